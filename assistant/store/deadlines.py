"""Deadlines in working days, from appeal type and urgency, with a holiday calendar.

Defaults (a centre overrides them in ``$HOTLINE_HOME/deadlines.toml``): 紧急 the same day; 咨询 2 working days;
求助 5; 投诉 / 举报 / 建议 10; 表扬 10; dispatch within 1 working day. The calendar lists public holidays
(``holidays``) and the weekend days that are worked instead (``workdays``, 调休), as ISO dates.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from assistant.config import home_dir
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

    @classmethod
    def load(cls, path: Path | None = None) -> DeadlineRules:
        path = path or home_dir() / "deadlines.toml"
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            return cls(
                days={**DEFAULT_DAYS, **{k: int(v) for k, v in data.get("days", {}).items()}},
                urgent_days=int(data.get("urgent_days", 0)),
                dispatch_days=int(data.get("dispatch_days", 1)),
                holidays=frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
                workdays=frozenset(date.fromisoformat(d) for d in data.get("workdays", [])),
            )
        except (tomllib.TOMLDecodeError, ValueError, TypeError) as exc:
            raise ConfigError(f"时限配置 {path} 有误：{exc}") from exc

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
        if urgency == "紧急":
            return self.add_workdays(accepted, self.urgent_days)
        return self.add_workdays(accepted, self.days.get(appeal_type or "", self.default_days))

    def dispatch_deadline(self, accepted: date) -> date:
        return self.add_workdays(accepted, self.dispatch_days)
