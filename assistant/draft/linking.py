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

from assistant.lexicon.correct import TermCorrector
from assistant.lexicon.units import Unit, UnitDirectory

SERVICE_KINDS = ("医院", "社区卫生服务机构", "急救机构", "心理服务机构")
# A unit's kind of name, and how callers say it.
_SUFFIXES = {
    "第一人民医院": "第一人民医院|一院", "第二人民医院": "第二人民医院|二院", "人民医院": "人民医院",
    "中医院": "中医院", "儿童医院": "儿童医院", "妇幼保健院": "妇幼保健院|妇幼",
    "社区卫生服务中心": "社区卫生服务中心|社区医院|卫生服务中心|卫生院|社区卫生院",
    "卫生健康局": "卫生健康局|卫健局",
}
_PLACE = re.compile(r"^(.{2,3}?)(市|区|县|街道|镇|乡)")


@dataclass(frozen=True)
class Mention:
    unit: Unit
    start: int
    end: int
    score: float  # 1.0 full name, 0.95 alias, 0.8 partial description


def _places(unit: Unit) -> set[str]:
    places = set()
    m = _PLACE.match(unit.name)
    if m:
        places.add(m.group(1))
    if unit.district and unit.district not in ("市直",):
        places.add(re.sub(r"(区|县|街道|镇)$", "", unit.district))
    return {p for p in places if len(p) >= 2}


class UnitLinker:
    def __init__(self, directory: UnitDirectory):
        self.directory = directory
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
        for unit in directory.units:
            suffix = next((s for s in _SUFFIXES if unit.name.endswith(s)), None)
            if suffix:
                for place in _places(unit):
                    said = _SUFFIXES[suffix]
                    self._partial.append((re.compile(f"{place}[^，。？！、]{{0,5}}?(?:{said})"), unit))

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
