"""Snap near-miss spellings to known terms by pinyin, leaving ordinary words alone.

Whisper writes what it hears with the most common characters: 心内科 comes out as 新内科, 市一院 as 是一院.
Both sound the same. This pass looks for windows of the transcript that *sound like* a directory name,
alias or department (toneless pinyin, with the fuzzy initials/finals that ASR and southern speakers confuse:
z/zh, c/ch, s/sh, n/l, in/ing, en/eng) and *share characters with it*. The shared-character rule is what
keeps ordinary words untouched: 新闻 never becomes anything, because no term both sounds like it and
shares a character with it. Terms shorter than three characters are not snapped: too many ordinary words
sound like them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import Style, pinyin

_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"))
MIN_TERM_LEN = 3
_NUMERALS = frozenset("零〇一二三四五六七八九十百千两幺0123456789")
LONG_TERM_LEN = 6


def _fuzzy(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """All fuzzy toneless readings of one Han character (heteronyms included)."""
    if not _HAN.fullmatch(char):
        return frozenset()
    return frozenset(_fuzzy(p) for p in pinyin(char, style=Style.NORMAL, heteronym=True)[0])


class TermCorrector:
    """Replace sound-alike spellings of ``terms`` in text. Build once, apply to many texts."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if len(t) >= MIN_TERM_LEN and all(_HAN.fullmatch(c) for c in t))
        self._by_reading: dict[str, list[str]] = defaultdict(list)
        for term in sorted(self.terms, key=len, reverse=True):  # longest first wins
            for r in readings(term[0]):
                self._by_reading[r].append(term)

    def _matches(self, window: str, term: str) -> bool:
        shared = sum(a == b for a, b in zip(window, term, strict=True))
        # Identical, or too few characters in common to be the same name. Long names are distinctive by sound
        # alone (位生建康学县 → 卫生健康热线), short ones need shared characters too.
        needed = 1 if len(term) >= LONG_TERM_LEN else (len(term) * 2 - 1 + 2) // 3
        if shared == len(term) or shared < needed:
            return False
        # Long names tolerate one syllable heard wrong (政府服务辨明热线 → 政务服务便民热线), but never a
        # numeral: 第二人民医院 is another hospital than 第一人民医院, not a mishearing of it.
        misheard = [(a, b) for a, b in zip(window, term, strict=True) if not (readings(a) & readings(b))]
        if any(a in _NUMERALS or b in _NUMERALS for a, b in misheard):
            return False
        return len(misheard) <= (1 if len(term) >= LONG_TERM_LEN else 0)

    def _protected(self, text: str) -> list[bool]:
        """Characters already inside a correctly spelled term: never rewritten."""
        mask = [False] * len(text)
        for term in self.terms:
            start = text.find(term)
            while start != -1:
                mask[start : start + len(term)] = [True] * len(term)
                start = text.find(term, start + 1)
        return mask

    def correct(self, text: str) -> str:
        if not self.terms:
            return text
        protected = self._protected(text)
        out: list[str] = []
        i = 0
        while i < len(text):
            replaced = False
            for r in readings(text[i]):
                for term in self._by_reading.get(r, ()):
                    window = text[i : i + len(term)]
                    if (len(window) == len(term) and not any(protected[i : i + len(term)])
                            and self._matches(window, term)):
                        out.append(term)
                        i += len(term)
                        replaced = True
                        break
                if replaced:
                    break
            if not replaced:
                out.append(text[i])
                i += 1
        return "".join(out)


HOTLINE_NUMBERS = ("12320", "12345", "12315", "12333", "12356")
_NEAR_HOTLINE = re.compile(r"(?<!\d)(\d{4,6})(?!\d)(?=[^\d，。？！]{0,6}热线)")
_DIGIT_CHARS = frozenset("0123456789零〇一二三四五六七八九幺")
_GONG_HAO = frozenset({("gong", "hao")})


def fix_hotline_numbers(text: str) -> str:
    """A 4-6 digit number just before 热线 that is one edit from a public hotline number is that number."""
    from rapidfuzz.distance import Levenshtein

    def snap(match: re.Match) -> str:
        number = match.group(1)
        best = min(HOTLINE_NUMBERS, key=lambda h: Levenshtein.distance(h, number))
        return best if Levenshtein.distance(best, number) <= 1 else number

    return _NEAR_HOTLINE.sub(snap, text)


_DIGIT_SOUNDS = {"lin": "0", "yi": "1", "yao": "1", "er": "2", "san": "3", "si": "4", "wu": "5", "liu": "6",
                 "qi": "7", "ba": "8", "jiu": "9"}


def _digit_by_sound(char: str) -> str | None:
    if char in _DIGIT_CHARS:
        return char
    return next((_DIGIT_SOUNDS[r] for r in readings(char) if r in _DIGIT_SOUNDS), None)


def fix_staff_number(text: str) -> str:
    """工号 and the digits after it, by sound: 功耗1146 → 工号1146, 工号102期 → 工号1027."""
    out = list(text)
    for i in range(len(text) - 2):
        if text[i + 2] not in _DIGIT_CHARS:
            continue
        if text[i : i + 2] != "工号" and not any(
            (a, b) in _GONG_HAO for a in readings(text[i]) for b in readings(text[i + 1])
        ):
            continue
        out[i : i + 2] = ["工", "号"]
        j = i + 2
        while j < len(text) and j < i + 8 and (digit := _digit_by_sound(text[j])) is not None:
            out[j] = digit
            j += 1
    return "".join(out)
