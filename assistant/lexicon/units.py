"""The unit directory (承办单位) a centre brings: name, aliases, kind, district, categories handled.

Every centre has its own, so nothing about 临江市 is built in: the directory is read from a CSV in the format
of the sample corpus (``name,aliases,kind,district,handles``; lists separated by ``;``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import DirectoryError

REQUIRED_COLUMNS = ("name", "aliases", "kind", "district", "handles")


@dataclass(frozen=True)
class Unit:
    name: str
    aliases: tuple[str, ...]
    kind: str
    district: str
    handles: tuple[str, ...]

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


def load_units(path: str | Path) -> UnitDirectory:
    """Read a unit directory CSV (UTF-8, with or without BOM); errors name the file and the row."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise DirectoryError(
                    f"单位目录 {path} 缺少列：{', '.join(missing)}",
                    f"第一行应为 {','.join(REQUIRED_COLUMNS)}",
                )
            units = []
            seen: set[str] = set()
            for line_no, row in enumerate(reader, start=2):
                name = (row.get("name") or "").strip()
                if not name:
                    raise DirectoryError(f"单位目录 {path} 第 {line_no} 行没有单位名称")
                if name in seen:
                    raise DirectoryError(f"单位目录 {path} 第 {line_no} 行：单位 {name} 重复")
                seen.add(name)
                units.append(
                    Unit(
                        name=name,
                        aliases=tuple(a for a in _split(row.get("aliases")) if a != name),
                        kind=(row.get("kind") or "").strip(),
                        district=(row.get("district") or "").strip(),
                        handles=_split(row.get("handles")),
                    )
                )
    except FileNotFoundError as exc:
        raise DirectoryError(f"单位目录 {path} 不存在", "用 --units 指定，或在 config.toml 中设置 units") from exc
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"单位目录 {path} 不是 UTF-8 编码", "请另存为 UTF-8 CSV") from exc
    except csv.Error as exc:
        raise DirectoryError(f"单位目录 {path} 不是有效的 CSV：{exc}") from exc
    if not units:
        raise DirectoryError(f"单位目录 {path} 没有任何单位")
    return UnitDirectory(units=tuple(units), source=str(path))
