"""Entity linking: where the transcript names a unit of the directory, and which one.

Callers name units by alias (市一院), by partial description (江北那个人民医院) or, through ASR, by a
sound-alike (是一院). Sound-alikes are repaired first with the same pinyin corrector the ASR uses (it only
swaps characters one for one, so spans stay valid), then spellings are matched longest first, then partial
descriptions: a place word of the unit (its district or the head of its name) followed closely by the
unit's kind of name (人民医院, 中医院, 社区医院 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.centre import Units
from assistant.lexicon.correct import TermCorrector
from assistant.lexicon.units import Unit, UnitDirectory

_PLACE = re.compile(r"^(.{2,3}?)(市|区|县|街道|镇|乡)")


@dataclass(frozen=True)
class Mention:
    unit: Unit
    start: int
    end: int
    score: float  # 1.0 full name, 0.95 alias, 0.8 partial description


def _places(unit: Unit, city_level: str) -> set[str]:
    places = set()
    m = _PLACE.match(unit.name)
    if m:
        places.add(m.group(1))
    if unit.district and unit.district != city_level:
        places.add(re.sub(r"(区|县|街道|镇)$", "", unit.district))
    return {p for p in places if len(p) >= 2}


class UnitLinker:
    """Finds the directory's units in text; ``naming`` is the centre's (centre.toml [units]): which kinds of
    unit serve callers, how callers say the ends of unit names, the district of city-level units."""

    def __init__(self, directory: UnitDirectory, naming: Units):
        self.directory = directory
        self.naming = naming
        spellings = directory.spellings()
        for unit in directory.units:  # 临江市卫生健康综合监督执法局 is also said without the city
            m = _PLACE.match(unit.name)
            if m and m.group(2) == "市":
                for short in (unit.name[len(m.group(1)) :], unit.name[m.end() :]):
                    if len(short) >= 5:
                        spellings.setdefault(short, unit.name)
        self._spellings = sorted(spellings.items(), key=lambda kv: len(kv[0]), reverse=True)
        self._by_name = {u.name: u for u in directory.units}
        self.corrector = TermCorrector(spellings)
        self._partial = []
        ends = sorted(naming.name_forms, key=len, reverse=True)
        for unit in directory.units:
            end = next((e for e in ends if unit.name.endswith(e)), None)
            if end:
                said = "|".join(map(re.escape, naming.name_forms[end]))
                for place in _places(unit, naming.city_level):
                    self._partial.append((re.compile(f"{re.escape(place)}[^，。？！、]{{0,5}}?(?:{said})"), unit))

    def serves(self, unit: Unit) -> bool:
        """A unit of a kind that serves callers (a hospital), not one that regulates them."""
        return unit.kind in self.naming.service_kinds

    def mentions(self, text: str) -> list[Mention]:
        """Every unit mention in ``text``, non-overlapping, in order."""
        fixed = self.corrector.correct(text)
        taken = [False] * len(fixed)
        found: list[Mention] = []
        for spelling, name in self._spellings:
            for m in re.finditer(re.escape(spelling), fixed):
                if any(taken[m.start() : m.end()]):
                    continue
                if len(spelling) <= 2 and not _standalone(fixed, m.start(), m.end()):
                    continue
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                score = 1.0 if spelling == name else 0.95
                found.append(Mention(self._by_name[name], m.start(), m.end(), score))
        for pattern, unit in self._partial:
            for m in pattern.finditer(fixed):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                    found.append(Mention(unit, m.start(), m.end(), 0.8))
        return sorted(found, key=lambda x: x.start)


def _standalone(text: str, start: int, end: int) -> bool:
    """A two-character alias (一院, 疾控) counts unless it is part of a longer word like 第一院系."""
    before = text[start - 1] if start else ""
    return before not in "第统"
