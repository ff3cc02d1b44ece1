"""Tickets to a CSV or XLSX file, written whole or not at all.

The file is written beside its target under a temporary name and renamed over it only when complete, so a
failed export never leaves half a table where a complete one is expected (nor destroys an earlier export).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.errors import InputFileError
from assistant.store.values import LABELS

# The case after the call, labelled here: the form's labels (draft/fields.py) stop at what the call drafts.
CASE_LABELS = {"overdue": "超期", "dispatched_at": "派单时间", "done_at": "办结时间", "reply": "办理结果",
               "visit_method": "回访方式", "satisfaction": "满意度", "visit_comment": "回访意见",
               "visited_at": "回访时间"}
COLUMNS = ("number", "status", "urgency", "created_at", "dispatch_deadline", "deadline", "overdue", "hotline",
           "appeal_type", "category", "unit", "institution", "department", "caller_name", "phone", "incident_time",
           "location", "title", "demand", "summary", "dispatched_at", "reply", "done_at", "visit_method",
           "satisfaction", "visit_comment", "visited_at")
HEADERS = tuple({**LABELS, **CASE_LABELS}[c] for c in COLUMNS)
FORMATS = (".csv", ".xlsx")


def check_target(out: Path) -> None:
    """Refuse, before any query runs, a target that cannot be written: wrong suffix, missing folder, a folder."""
    if out.is_dir():
        raise InputFileError(f"导出路径 {out} 是一个文件夹", "请在路径里写出文件名，例如 …/工单.xlsx")
    if out.suffix.lower() not in FORMATS:
        raise InputFileError(f"不支持的导出格式“{out.suffix or '（无扩展名）'}”：{out}",
                             "请用 .csv 或 .xlsx 结尾的文件名")
    folder = out.parent
    if not folder.exists():
        raise InputFileError(f"导出文件夹 {folder} 不存在", "请先创建该文件夹，或换一个 --out 路径")
    if not folder.is_dir():
        raise InputFileError(f"导出路径 {out} 有误：{folder} 不是文件夹", "请检查 --out 路径")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputFileError(f"没有权限写入文件夹 {folder}", "请换一个 --out 路径")


def write_atomically(out: Path, write: Callable[[Path], None], *, check: Callable[[Path], None] = check_target,
                     what: str = "导出文件") -> None:
    """Check ``out`` with ``check``, have ``write`` fill a temporary file beside it and rename it over ``out``: a
    failed write leaves no half file and no earlier file destroyed. ``what`` names the file in the message."""
    check(out)
    temp = out.with_name(f".{out.stem}.{os.getpid()}.part{out.suffix}")  # same folder: the rename is atomic
    try:
        write(temp)
        os.replace(temp, out)
    except OSError as exc:
        raise InputFileError(f"无法写入{what} {out}：{exc.strerror or exc}",
                             "没有写出任何内容；请检查磁盘空间和权限") from exc
    finally:
        temp.unlink(missing_ok=True)


def write_csv(path: Path, headers: Sequence[str], cells: Sequence[Sequence]) -> None:
    with path.open("x", encoding="utf-8-sig", newline="") as f:  # BOM: Excel opens it as UTF-8
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows(cells)


def write_tickets(out: Path, rows: Sequence[dict]) -> None:
    """Write ``rows`` (dicts of ``tickets.row``) to ``out`` in the format its suffix names."""

    def write(temp: Path) -> None:
        if out.suffix.lower() == ".csv":
            write_csv(temp, HEADERS, [[r.get(c) or "" for c in COLUMNS] for r in rows])
        else:
            _write_xlsx(temp, rows)

    write_atomically(out, write)


def _write_xlsx(path: Path, rows: Sequence[dict]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    def cell(value):  # XLSX cannot hold control characters that a transcript or an import may carry
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([cell(r.get(c)) for c in COLUMNS])
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    for index, column in enumerate(COLUMNS, start=1):  # wide enough for the header and the first rows, ≤ 40
        sample = [HEADERS[index - 1], *(str(r.get(column) or "") for r in rows[:200])]
        width = max(_width(text) for text in sample)
        sheet.column_dimensions[get_column_letter(index)].width = min(40, width + 2)
    book.save(path)


def _width(text: str) -> int:
    """Columns a spreadsheet needs for ``text``: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
