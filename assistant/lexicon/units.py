"""The unit directory (承办单位) a centre brings: name, aliases, kind, district, categories handled.

Every centre has its own, so nothing about 临江市 is built in: the directory is read from a CSV in the format
of the sample corpus (``name,aliases,kind,district,handles``; lists separated by ``;``), saved in UTF-8 or GBK,
or from the first sheet of an .xlsx with the same columns. The CSV is read strictly: a file a spreadsheet
program would show differently (a quote left open, a field spilling into more columns) is refused with its
line rather than read as something else.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import DirectoryError
from assistant.files import decode_text, os_reason

REQUIRED_COLUMNS = ("name", "aliases", "kind", "district", "handles")


@dataclass(frozen=True)
class Unit:
    name: str
    aliases: tuple[str, ...]
    kind: str
    district: str
    handles: tuple[str, ...]
    line: int = field(default=0, compare=False, repr=False)  # where the directory file gives it, for messages

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way the unit is written: full name first, then aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class UnitDirectory:
    units: tuple[Unit, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.units)

    def by_name(self, name: str) -> Unit | None:
        return next((u for u in self.units if u.name == name), None)

    def spellings(self) -> dict[str, str]:
        """Every spelling (name or alias) → the unit's official name."""
        out: dict[str, str] = {}
        for unit in self.units:
            for spelling in unit.spellings:
                out.setdefault(spelling, unit.name)
        return out

    def place_names(self) -> tuple[str, ...]:
        """The districts of the directory (江北区) and its city, the 市 its unit names most often begin with (临江市):
        place names callers and operators say, snapped like unit names."""
        districts = {u.district for u in self.units if _PLACE.fullmatch(u.district)}
        cities = Counter(m.group(0) for u in self.units if (m := _CITY.match(u.name)))
        city = [name for name, count in cities.most_common(1) if count >= 2]
        return tuple(sorted(districts)) + tuple(city)


_PLACE = re.compile(r"[\u4e00-\u9fff]{1,4}[区县市镇]")
_CITY = re.compile(r"[\u4e00-\u9fff]{2,3}?市")


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").replace("；", ";").split(";") if p.strip())


@dataclass(frozen=True)
class UnitTable:
    """A directory file as read, before it is checked: the header and each row with the line (in a CSV) or the
    sheet row (in an .xlsx) it came from, so every complaint can name it."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]

    def to_csv(self) -> str:
        """The table as the UTF-8 CSV the product keeps (units.csv), whatever the file it was read from."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows([row.get(column, "") for column in self.header] for _, row in self.rows)
        return out.getvalue()


def read_unit_table(path: str | Path) -> UnitTable:
    """Read a directory from a CSV (UTF-8 with or without BOM, or GBK) or an .xlsx (its first sheet)."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise DirectoryError(f"单位目录 {path} 是旧版 Excel（.xls）文件，无法读取", "请在 Excel 中另存为 .xlsx 或 CSV")
    try:
        if path.suffix.lower() == ".xlsx":
            return _xlsx_table(path)
        return _csv_table(path, decode_text(path.read_bytes()))
    except FileNotFoundError as exc:
        raise DirectoryError(f"单位目录 {path} 不存在",
                             "检查路径；也可用 --units 指定，或在 config.toml 中设置 units") from exc
    except IsADirectoryError as exc:
        raise DirectoryError(f"单位目录 {path} 是一个文件夹，不是文件", "请给出 units.csv 文件的路径") from exc
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"单位目录 {path} 既不是 UTF-8 也不是 GBK 编码", "请另存为 UTF-8 CSV") from exc
    except OSError as exc:
        raise DirectoryError(f"单位目录 {path} 无法读取：{os_reason(exc)}", "检查路径和文件权限") from exc


def _csv_table(path: Path, text: str) -> UnitTable:
    """Strict CSV: a quote left open would otherwise swallow every line after it into one unit's name."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    end = 0  # the last line of the previous record
    try:
        for record in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if end > line:
                column = next(i for i, cell in enumerate(record) if "\n" in cell or "\r" in cell)
                name = header[column] if header and column < len(header) else f"第 {column + 1} 列"
                raise DirectoryError(
                    f"单位目录 {path} 第 {line} 行：{name} 的内容从第 {line} 行跨到第 {end} 行，多半是引号没有闭合",
                    _QUOTE_HINT)
            if header is None:
                header = tuple(cell.strip().lstrip("\ufeff") for cell in record)
                _check_columns(path, header)
                continue
            if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
                raise DirectoryError(
                    f"单位目录 {path} 第 {line} 行有 {len(record)} 个字段，表头只有 {len(header)} 列",
                    "字段里的逗号要放在双引号里；别名、承办类别之间用分号 ; 分隔")
            rows.append((line, {column: cell.strip() for column, cell in zip(header, record, strict=False)}))
    except csv.Error as exc:
        raise DirectoryError(f"单位目录 {path} 第 {end + 1} 行：{_csv_problem(str(exc))}", _QUOTE_HINT) from exc
    if header is None:
        raise DirectoryError(f"单位目录 {path} 是空文件", f"第一行应为 {','.join(REQUIRED_COLUMNS)}")
    return UnitTable(path, header, tuple(rows))


_QUOTE_HINT = '字段里的双引号要成对；引号本身写成两个双引号 ""'


def _csv_problem(message: str) -> str:
    """What Python's csv message means for a directory, in Chinese; the message itself after it as detail."""
    if message == "unexpected end of data":
        return "引号没有闭合（从这一行到文件末尾都被读成了一个字段）"
    if "expected after" in message:
        return f"引号后面应紧跟逗号（csv：{message}）"
    if "field larger than field limit" in message:
        return f"字段过长，多半是引号没有闭合（csv：{message}）"
    return f"不是有效的 CSV（csv：{message}）"


def _xlsx_table(path: Path) -> UnitTable:
    from assistant.tables import TableError, read_rows

    if not path.is_file():
        raise FileNotFoundError(path)
    try:
        records = read_rows(path)  # the same reading as hotline train's archives
    except TableError as exc:
        raise DirectoryError(f"单位目录 {exc.message}", exc.hint or "请确认是 Excel 保存的 .xlsx 文件") from exc
    header = tuple(str(k) for k in records[0]) if records else REQUIRED_COLUMNS
    _check_columns(path, header)
    rows = tuple((n, {k: str(v) for k, v in record.items()})  # row 1 is the header
                 for n, record in enumerate(records, start=2) if any(str(v).strip() for v in record.values()))
    return UnitTable(path, header, rows)


def _check_columns(path: Path, header: tuple[str, ...]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise DirectoryError(f"单位目录 {path} 缺少列：{', '.join(missing)}",
                             f"第一行应为 {','.join(REQUIRED_COLUMNS)}（现在是 {','.join(header)}）")


def parse_units(table: UnitTable) -> UnitDirectory:
    """The directory in ``table``; a row without a name or a name given twice is an error naming the line."""
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        name = row.get("name", "")
        if not name:
            raise DirectoryError(f"单位目录 {table.path} 第 {line} 行没有单位名称")
        if name in seen:
            raise DirectoryError(f"单位目录 {table.path} 第 {line} 行：单位 {name} 重复（第 {seen[name]} 行已有）")
        seen[name] = line
        units.append(Unit(
            name=name,
            aliases=tuple(a for a in _split(row.get("aliases")) if a != name),
            kind=row.get("kind", ""),
            district=row.get("district", ""),
            handles=_split(row.get("handles")),
            line=line,
        ))
    if not units:
        raise DirectoryError(f"单位目录 {table.path} 没有任何单位")
    return UnitDirectory(units=tuple(units), source=str(table.path))


def load_units(path: str | Path) -> UnitDirectory:
    """Read a unit directory (CSV in UTF-8 or GBK, or .xlsx); errors name the file and the line."""
    return parse_units(read_unit_table(path))


def unknown_handles(directory: UnitDirectory, known: Iterable[str]) -> list[tuple[Unit, str]]:
    """Each (unit, category) whose category in ``handles`` is not one of ``known``: routing by category never
    reaches such a unit, so a typo there quietly sends its tickets elsewhere."""
    known = set(known)
    return [(unit, category) for unit in directory.units for category in unit.handles if category not in known]
