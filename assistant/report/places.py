"""Where complaints come from: a ticket's free-text location reduced to district and street.

Locations are written as callers say them (江北区滨江路口的药店, 东湖街道幸福小区, 市一院门口), so places are
compared by the parts a centre divides its city by: the district (区/县), then the street, road or township
(街道/路/街/镇). The districts a centre knows are its unit directory's; a location that names none takes the
district its street is written with in the report's other complaints (``settle``), else the district of the unit
the ticket went to when that unit serves one district rather than the whole city. A named place without either
(幸福小区) stays as written; words that place nothing (家里, 门口) count as 地点不详, so no complaint drops out of
the hot spots."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

UNKNOWN = "（地点不详）"
NO_STREET = "（未写街道）"
NO_DISTRICT = "（区县不详）"
_HAN = "\u4e00-\u9fff"
# A district the directory does not list, said in full: two or three characters before 区 or 县.
_DISTRICT = re.compile(rf"[{_HAN}]{{2,3}}?[区县]")
# Places ending in 区 that are no district (a housing estate, a campus).
_NOT_DISTRICT = ("社区", "小区", "园区", "校区", "景区", "片区", "街区", "市区", "厂区", "院区", "营区", "城区")
_STREET = re.compile(rf"[{_HAN}]{{1,6}}?(?:街道|大道|大街|路|街|巷|镇|乡)")
# A place a caller names without district or street (幸福小区, 城东菜市场): kept as written, up to its end.
_NAMED = re.compile(rf"[{_HAN}0-9]{{2,12}}?(?:小区|花园|花苑|社区|村|广场|商场|超市|市场|公园|学校|小学|中学|幼儿园"
                    r"|工地)")
_CITY = re.compile(rf"^[{_HAN}]{{2,3}}?市(?![{_HAN}]{{0,2}}(?:医院|院|局|委|中心))")


@dataclass(frozen=True)
class Place:
    district: str
    street: str
    written: bool = True  # the district is the one the location names (not the unit's, not unknown)

    @property
    def label(self) -> str:
        if self.district == UNKNOWN:
            return UNKNOWN
        return f"{self.district} {self.street}"


class Places:
    """The directory's districts and which district each unit serves, for placing locations."""

    def __init__(self, units: Iterable[tuple[str, str]], city_level: str = "") -> None:
        self.unit_district = {name: district for name, district in units
                              if district and district != city_level}
        known = {d for d in self.unit_district.values() if _DISTRICT.fullmatch(d)}
        self.known = tuple(sorted(known, key=len, reverse=True))
        self._known = re.compile("|".join(map(re.escape, self.known))) if self.known else None

    def place(self, location: str | None, unit: str | None = None) -> Place:
        text = re.sub(r"\s+", "", location or "")
        district, rest = self._district(text)
        written = bool(district)
        if not district:
            district = self.unit_district.get(unit or "", "")
        street = _STREET.search(rest)
        if street:
            return Place(district or NO_DISTRICT, street.group(0), written)
        if district:
            return Place(district, NO_STREET, written)
        named = _NAMED.search(rest)
        return Place(NO_DISTRICT, named.group(0), False) if named else Place(UNKNOWN, "", False)

    @staticmethod
    def settle(places: list[Place]) -> list[Place]:
        """``places`` with a street whose district was not written given the district the street is written with
        everywhere among them (松涛路 → 青松区 when every 松涛路 written with a district is in 青松区), before the
        unit's district: where a street lies is a fact of the city, the unit's district only a guess. A street
        written with two districts keeps what it had."""
        seen: dict[str, set[str]] = {}
        for p in places:
            if p.written and p.street != NO_STREET:
                seen.setdefault(p.street, set()).add(p.district)
        return [Place(next(iter(seen[p.street])), p.street, False)
                if not p.written and len(seen.get(p.street, ())) == 1 else p for p in places]

    def _district(self, text: str) -> tuple[str, str]:
        """The district named in ``text`` and what follows it (or all of it after the city, when none is)."""
        if self._known is not None:
            m = self._known.search(text)
            if m:
                return m.group(0), text[m.end():]
        text = _CITY.sub("", text)
        for m in _DISTRICT.finditer(text):
            if not m.group(0).endswith(_NOT_DISTRICT):
                return m.group(0), text[m.end():]
        return "", text
