"""Reading a table a centre hands over: CSV or TSV (UTF-8 or GBK), an Excel .xlsx sheet, or JSON Lines.

Training archives and unit directories arrive in whatever an office exports; both are read here, the same way,
as a list of dicts keyed by the header row.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from assistant.errors import AssistantError
from assistant.files import decode_text


class TableError(AssistantError):
    """A table file that cannot be read."""


def _read_csv(path: Path) -> list[dict]:
    try:
        text = decode_text(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise TableError(f"{path}：既不是 UTF-8 也不是 GBK 编码", "请另存为 UTF-8 CSV") from exc
    sample = text[:4096]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(",") else ","
    return list(csv.DictReader(text.splitlines(), delimiter=delimiter))


def _read_xlsx(path: Path) -> list[dict]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise TableError(f"{path}：无法作为 Excel 文件打开（{exc}）") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    out: list[dict] = []
    for row in rows:
        cells = ["" if c is None else str(c).strip() for c in row]
        if header is None:
            if any(cells):
                header = cells
            continue
        out.append(dict(zip(header, cells, strict=False)))
    book.close()
    return out


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    with path.open(encoding="utf-8-sig") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TableError(f"{path} 第 {n} 行不是有效的 JSON：{exc.msg}") from exc
            if not isinstance(row, dict):
                raise TableError(f"{path} 第 {n} 行不是 JSON 对象")
            out.append(row)
    return out


READERS = {".csv": _read_csv, ".tsv": _read_csv, ".xlsx": _read_xlsx, ".jsonl": _read_jsonl}


def read_rows(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise TableError(f"数据文件 {path} 不存在")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise TableError(f"{path}：不支持的格式 {path.suffix}", "支持 .csv、.tsv、.xlsx、.jsonl")
    return reader(path)
