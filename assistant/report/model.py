"""What a report is made of, before it is a file: tables of typed columns and the charts beside them.

The two writers (XLSX and HTML) read only these frozen values, so every figure is computed once and both files
show the same numbers; each column's ``kind`` tells a writer how people expect that number to look (a rate as
12.5%, a duration as 3.2, a date without a time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# How a column's values are shown: a writer's number format or text rule for each.
KINDS = ("text", "int", "signed", "pct", "days", "score", "p", "date")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    # Columns kept in view beside the frozen header (a pivot's row labels).
    key_columns: int = 0


@dataclass(frozen=True)
class Section:
    """One part of the report: a sheet of the workbook, a heading of the page."""

    name: str  # the sheet's name: short, no [ ] : * ? / \
    title: str
    note: str  # how the figures were counted, in one or two sentences
    table: Table
    chart: bytes | None = None  # PNG
    chart_title: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    start: date
    end: date
    as_of: date  # open tickets are overdue when their deadline is before this day
    generated_at: datetime
    summary: tuple[tuple[str, object, str], ...]  # (label, value, kind)
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def period(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def generated(self) -> str:
        return f"{self.generated_at:%Y-%m-%d %H:%M}"


def shown(value, kind: str) -> str:
    """A value as text, the way the writers' number formats show it (for HTML, widths and tests)."""
    if value is None:
        return "—"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "signed":
        return f"{int(value):+,}" if value else "0"
    if kind == "pct":
        return f"{value:.1%}"
    if kind in ("days", "score"):
        return f"{value:.1f}"
    if kind == "p":
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if kind == "date":
        return f"{value:%Y-%m-%d}"
    return str(value)
