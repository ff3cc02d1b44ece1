"""The report as an Excel workbook: an overview sheet, then one sheet per section with its chart beside it.

Each sheet opens as people expect a finished table to: the header row frozen (and a pivot's row labels),
columns as wide as their contents (a Chinese character counted twice), counts with thousands separators, rates
as percentages, dates without a time, a filter on the header. Charts are the same PNGs as the page's, placed
to the right of the table.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from assistant.report.model import Report, Section, shown

NUMBER_FORMATS = {"int": "#,##0", "signed": "+#,##0;-#,##0;0", "pct": "0.0%", "days": "0.0", "score": "0.0",
                  "p": "0.000", "date": "yyyy-mm-dd"}
MIN_WIDTH, MAX_WIDTH = 6, 60


def width(text: str) -> int:
    """Columns ``text`` needs in a spreadsheet: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clean(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _header(sheet, titles) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DCE6F1")
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fit(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(MIN_WIDTH, min(MAX_WIDTH, w + 2))


def _overview(book, report: Report) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.active
    sheet.title = "概览"
    _header(sheet, ("指标", "数值"))
    rows = [("报表", report.title, "text"), ("统计区间", report.period, "text"),
            ("统计时点（判断超期）", report.as_of, "date"), ("生成时间", report.generated, "text"),
            *report.summary, *((f"口径：{s.title}", s.note, "text") for s in report.sections)]
    widths = [width("指标"), width("数值")]
    for r, (label, value, kind) in enumerate(rows, start=2):
        sheet.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=r, column=2, value=_clean(value))
        if kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[kind]
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        widths = [max(widths[0], width(label)), max(widths[1], width(shown(value, kind)))]
    _fit(sheet, widths)
    sheet.freeze_panes = "A2"


def _section(book, section: Section) -> None:
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(section.name)
    table = section.table
    _header(sheet, [c.title for c in table.columns])
    widths = [width(c.title) for c in table.columns]
    for r, row in enumerate(table.rows, start=2):
        for c, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = sheet.cell(row=r, column=c, value=_clean(value))
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            widths[c - 1] = max(widths[c - 1], width(shown(value, column.kind)))
        if row and row[0] == "合计":
            for c in range(1, len(row) + 1):
                sheet.cell(row=r, column=c).font = Font(bold=True)
    _fit(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=2, column=table.key_columns + 1).coordinate
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(table.rows) + 1, 2)}"
    if section.chart:
        image = Image(io.BytesIO(section.chart))
        sheet.add_image(image, f"{get_column_letter(len(table.columns) + 2)}2")


def write_xlsx(report: Report, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    _overview(book, report)
    for section in report.sections:
        _section(book, section)
    book.save(path)
