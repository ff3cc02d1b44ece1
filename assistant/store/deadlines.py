"""Deadlines in working days, from appeal type and urgency, with a holiday calendar.

Defaults (a centre overrides them in its profile's ``deadlines.toml``): 紧急 the same day; 咨询 2 working days;
求助 5; 投诉 / 举报 / 建议 10; 表扬 10; dispatch within 1 working day (an urgent ticket within its handling
deadline). A ticket returned by a unit gets a new dispatch deadline counted from the return; a case reopened
after an unsatisfied return visit a new handling deadline counted from the reopening (store/case.py). The
calendar lists public holidays (``holidays``) and the weekend days that are worked instead (``workdays``, 调休),
as ISO dates. As with
config.toml, a wrong value is a ConfigError naming the file, key and value, and an unknown key (a typo such as
``holiday``, or an appeal type there is none of) only a warning listing the known ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from assistant.centre import Centre, active_centre
from assistant.config import count, read_toml, shown, warn_unknown
from assistant.errors import ConfigError

DEFAULT_DAYS = {"咨询": 2, "求助": 5, "投诉": 10, "举报": 10, "建议": 10, "表扬": 10}


@dataclass(frozen=True)
class DeadlineRules:
    days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DAYS))
    urgent_days: int = 0
    dispatch_days: int = 1
    default_days: int = 10
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    urgent_label: str = "紧急"  # the taxonomy's urgency label for danger now

    @classmethod
    def load(cls, path: Path | None = None, centre: Centre | None = None) -> DeadlineRules:
        """The rules of ``path``, by default the centre's (``centre``, by default the one in use)."""
        if path is None:
            centre = centre or active_centre()
            path = centre.deadlines_path
        urgent = centre.taxonomy.urgent if centre else None
        appeals = centre.taxonomy.labels("appeal_type") if centre else tuple(DEFAULT_DAYS)
        if not path.exists():
            return cls(urgent_label=urgent or "紧急")
        data = read_toml(path, "时限配置", _LINE_EXAMPLE)
        warn_unknown(path, "时限配置", data.keys(), KNOWN_KEYS, "设置项")
        days = data.get("days", {})
        if not isinstance(days, dict):
            raise ConfigError(f"时限配置 {path} 中 days 的值 {shown(days)} 无效：应为一个表，按诉求类型写工作日数",
                              _DAYS_EXAMPLE)
        warn_unknown(path, "时限配置", days.keys(), appeals, "诉求类型", "days.")
        return cls(
            days={**DEFAULT_DAYS, **{k: _day_count(path, f"days.{k}", v) for k, v in days.items()
                                     if k in appeals}},
            urgent_days=_day_count(path, "urgent_days", data.get("urgent_days", 0)),
            dispatch_days=_day_count(path, "dispatch_days", data.get("dispatch_days", 1)),
            holidays=_dates(path, "holidays", data.get("holidays", [])),
            workdays=_dates(path, "workdays", data.get("workdays", [])),
            urgent_label=urgent or "紧急",
        )

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (n = 0: start itself, or the next working day)."""
        day = start
        if n == 0:
            while not self.is_workday(day):
                day += timedelta(days=1)
            return day
        while n > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def deadline(self, accepted: date, appeal_type: str | None, urgency: str | None) -> date:
        if urgency == self.urgent_label:
            return self.add_workdays(accepted, self.urgent_days)
        return self.add_workdays(accepted, self.days.get(appeal_type or "", self.default_days))

    def dispatch_deadline(self, accepted: date, urgency: str | None = None) -> date:
        """The day by which a ticket accepted (or returned to the centre) on ``accepted`` is dispatched: an
        urgent one no later than its handling deadline (the same day by default)."""
        days = min(self.dispatch_days, self.urgent_days) if urgency == self.urgent_label else self.dispatch_days
        return self.add_workdays(accepted, days)


# What deadlines.toml may set; anything else is reported, as config.toml does (a typo such as ``holiday =``
# would otherwise leave the calendar empty without a word).
KNOWN_KEYS = ("days", "urgent_days", "dispatch_days", "holidays", "workdays")
_LINE_EXAMPLE = '每行写成 键 = 值，中文的键要加引号：urgent_days = 0、holidays = ["2026-10-01"]、"咨询" = 2'
_DAYS_EXAMPLE = '在 [days] 表中按诉求类型写工作日数，例如 "咨询" = 2（中文的键要加引号）'


def _day_count(path: Path, key: str, value) -> int:
    """A number of working days: an integer, 0 or more (a digit string as config.toml also takes it)."""
    try:
        return count(value)
    except ValueError:
        example = f'"{key[5:]}" = 2（中文的键要加引号）' if key.startswith("days.") else f"{key} = 2"
        raise ConfigError(f"时限配置 {path} 中 {key} 的值 {shown(value)} 无效：应为不小于 0 的整数（工作日数）",
                          f"例如 {example}") from None


def _dates(path: Path, key: str, value) -> frozenset[date]:
    """ISO dates, quoted or as TOML dates: ``holidays = ["2026-10-01", 2026-10-02]``."""
    hint = f'例如 {key} = ["2026-10-01", "2026-10-02"]'
    if not isinstance(value, list):
        raise ConfigError(f"时限配置 {path} 中 {key} 的值 {shown(value)} 无效：应为日期的列表", hint)
    days = set()
    for item in value:
        day = _date(item)
        if day is None:
            raise ConfigError(f"时限配置 {path} 中 {key} 的 {shown(item)} 不是日期（应为 YYYY-MM-DD）", hint)
        days.add(day)
    return frozenset(days)


def _date(item) -> date | None:
    if isinstance(item, date) and not isinstance(item, datetime):
        return item
    if isinstance(item, str):
        try:
            return date.fromisoformat(item.strip())
        except ValueError:
            return None
    return None
