"""The supervisor's report (``hotline report``): a period's tickets by unit and category, what rose last week,
where complaints come from, deadlines kept, satisfaction, repeat callers and QA scores, with charts, as one XLSX
workbook or one HTML page that needs nothing but itself.

The database counts (``figures``); this package names, sorts and draws (``sections``, ``charts``) and writes
(``xlsx``, ``html``). The report shows no caller's name or number, so any role may make it.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.centre import Centre, active_centre
from assistant.errors import AssistantError, InputFileError
from assistant.report import sections
from assistant.report.figures import Figures, collect
from assistant.report.model import Report
from assistant.report.places import Places
from assistant.report.rising import RULE
from assistant.store.export import write_atomically

__all__ = ["FORMATS", "build_report", "check_period", "check_target", "write_report"]

FORMATS = (".xlsx", ".html", ".htm")
COMPLAINT = "投诉"  # the appeal type whose places and units are the hot spots


def check_period(start: date, end: date) -> None:
    if start > end:
        raise AssistantError(f"统计区间有误：起始日期 {start:%Y-%m-%d} 晚于截止日期 {end:%Y-%m-%d}",
                             "--from 应早于或等于 --to，例如 --from 2026-03-01 --to 2026-03-31")


def check_target(out: Path) -> None:
    """Refuse, before any query runs, a target that cannot be written: wrong suffix, missing folder, a folder."""
    if out.is_dir():
        raise InputFileError(f"报表路径 {out} 是一个文件夹", "请在路径里写出文件名，例如 …/月报.xlsx")
    if out.suffix.lower() not in FORMATS:
        raise InputFileError(f"不支持的报表格式“{out.suffix or '（无扩展名）'}”：{out}",
                             "请用 .xlsx（Excel 工作簿）或 .html（网页）结尾的文件名")
    folder = out.parent
    if not folder.is_dir():
        raise InputFileError(f"报表文件夹 {folder} 不存在", "请先创建该文件夹，或换一个 --out 路径")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputFileError(f"没有权限写入文件夹 {folder}", "请换一个 --out 路径")


def _places(session: Session, centre: Centre) -> Places:
    """Districts from the directory in the database, else from the centre's units.csv."""
    from assistant.store.models import Unit

    units = [(n, d) for n, d in session.execute(select(Unit.name, Unit.district))]
    if not units and centre.units_path.is_file():
        from assistant.lexicon.units import load_units

        units = [(u.name, u.district) for u in load_units(centre.units_path).units]
    return Places(units, centre.units.city_level)


def build_report(session: Session, start: date, end: date, *, centre: Centre | None = None,
                 now: datetime | None = None) -> Report:
    """The report of tickets filed from ``start`` to ``end`` (inclusive), as of ``now`` (default: this moment,
    in the machine's time zone: open tickets past their deadline before today are overdue)."""
    check_period(start, end)
    centre = centre or active_centre()
    now = now if now is not None and now.tzinfo is not None else (now or datetime.now()).astimezone()
    complaint = COMPLAINT if COMPLAINT in centre.taxonomy.labels("appeal_type") else None
    f = collect(session, start, end, as_of=now.date(), offset=now.utcoffset() or timedelta(0), complaint=complaint)
    parts = [sections.unit_by_category(f, centre.taxonomy.labels("category")), sections.weekly(f),
             sections.rising(f)]
    if complaint:
        parts += [sections.hot_places(f, _places(session, centre)), sections.hot_units(f)]
    parts += [sections.timeliness(f), sections.satisfaction(f), sections.repeats(f), sections.qa(f)]
    return Report(title=f"{centre.name} 工单统计报表", start=start, end=end, as_of=now.date(),
                  generated_at=now.replace(microsecond=0), summary=summary(f, parts), sections=tuple(parts))


def summary(f: Figures, parts) -> tuple[tuple[str, object, str], ...]:
    every = sections.overall(f.timeliness)
    visited = sum(sum(v.values()) for v in f.satisfaction.values())
    pleased = sum(v.get("满意", 0) + v.get("基本满意", 0) for v in f.satisfaction.values())
    reviews = sum(n for n, *_ in f.qa.values())
    mean_score = sum(n * mean for n, mean, *_ in f.qa.values()) / reviews if reviews else None
    rising = next((s for s in parts if s.name == "上升项"), None)
    flagged = sum(1 for r in rising.table.rows if r[-1]) if rising else 0
    days = (f.end - f.start).days + 1

    def rate(a: int, b: int) -> float | None:
        return a / b if b else None

    return (
        ("工单总数", f.total, "int"),
        ("日均工单", f.total / days, "days"),
        ("超期工单", every.overdue, "int"),
        ("超期率", rate(every.overdue, every.with_deadline), "pct"),
        ("平均办理时长（天）", every.mean_days, "days"),
        ("回访数", visited, "int"),
        ("满意率（满意 + 基本满意）", rate(pleased, visited), "pct"),
        ("并单率（重复诉求）", rate(f.repeats, f.total), "pct"),
        ("来电 2 次及以上的来电人", sum(f.callers_by_count.values()), "int"),
        ("质检次数", reviews, "int"),
        ("质检平均分", mean_score, "score"),
        ("最近 7 天上升项", flagged, "int"),
        ("上升判定规则", RULE, "text"),
    )


def write_report(report: Report, out: Path) -> None:
    """Write ``report`` to ``out`` (.xlsx or .html), whole or not at all: a failed write leaves no half file."""

    def write(temp: Path) -> None:
        if out.suffix.lower() == ".xlsx":
            from assistant.report.xlsx import write_xlsx

            write_xlsx(report, temp)
        else:
            from assistant.report.html import render_html

            temp.write_text(render_html(report), encoding="utf-8")

    write_atomically(out, write, check=check_target, what="报表")
