"""Snap near-miss spellings to known terms by pinyin, leaving ordinary words alone.

Whisper writes what it hears with the most common characters: 心内科 comes out as 新内科, 市一院 as 是一院.
Both sound the same. This pass looks for windows of the transcript that *sound like* a directory name,
alias or department (toneless pinyin, with the fuzzy initials/finals that ASR and southern speakers confuse:
z/zh, c/ch, s/sh, n/l, in/ing, en/eng) and *share characters with it*. The shared-character rule is what
keeps ordinary words untouched: 新闻 never becomes anything, because no term both sounds like it and
shares a character with it. Terms shorter than three characters are not snapped: too many ordinary words
sound like them.

A snap must also make its clause read more likely, by jieba's unigram word model with the centre's terms in it,
by ``TERM_MARGIN`` (docs/decisions/0018-no-harm-to-correct-text.md): 手术是主任 sounds like 手术室主任 and shares
two characters with it, but 手术 and 是 are words as they stand, and 透析时间 does not become 透析室间. Right
after 去, 到, 投诉 … a place or unit is expected, so there any gain will do for a three-character name (我去是医院
→ 我去市一院).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pypinyin import Style, pinyin

from assistant.lexicon import wordfreq
from assistant.lexicon.mishearings import PHRASE_FIXES

_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"))
MIN_TERM_LEN = 3
_NUMERALS = frozenset("零〇一二三四五六七八九十百千两幺0123456789")
LONG_TERM_LEN = 6  # from here one shared character is enough
MISHEARD_TERM_LEN = 5  # from here one syllable may be heard wrong
PHRASE_LEN = 7  # from here a quarter of the syllables may be heard wrong
TERM_MARGIN = 8.0  # natural-log gain in clause probability an unlicensed snap needs
KNOWN_FREQUENCY = 2000  # what a term counts as in jieba's dictionary (as in homophones.py)
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z",
             "c", "s", "y", "w")


# What comes before a place or unit name: a motion or routing verb (去了, 转交, 通知, 复查, 联系, 找), 投诉, or 在
# that is not part of 现在, 正在 ….
_LICENSING = re.compile(r"(?:[去到给交往]了?|投诉|一下|通知|复查|联系|找|(?<![现正还就实存好都也])在)$")


def _needed_shared(length: int) -> int:
    if length >= LONG_TERM_LEN:
        return 1
    return {3: 2, 4: 2}.get(length, 3)


def _split(syllable: str) -> tuple[str, str]:
    """Initial and final; after j, q, x, y the u written in pinyin is ü (ju is no rhyme of bu)."""
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial):]
    if initial in ("j", "q", "x", "y") and final.startswith("u"):
        final = "v" + final[1:]
    return initial, final


def _near(a: str, b: str) -> bool:
    """Two characters whose common syllables share the initial or the final (七 qi / 区 qu, 乡 xiang / 江 jiang);
    rare readings are left out (那 as ne is no rhyme of 社)."""
    ra, rb = primary_reading(a), primary_reading(b)
    if ra is None or rb is None:
        return False
    (ia, fa), (ib, fb) = _split(ra), _split(rb)
    return bool(ia and ia == ib) or fa == fb


def alike(a: str, b: str) -> bool:
    """``a`` sounds like ``b`` or keeps its initial or final."""
    return bool(readings(a) & readings(b)) or _near(a, b)


def sounds_alike(a: str, b: str) -> bool:
    """``a`` and ``b``, of one length, may be the same words heard twice: character for character the same
    character or Han characters sharing a reading (张立华, 张丽华). Stricter than ``alike``, which lets a
    character keep only its initial or final."""
    return all(x == y or readings(x) & readings(y) for x, y in zip(a, b, strict=True))


def same_sound(window: str, term: str) -> int:
    """How many characters of ``window`` sound like the one of ``term``."""
    return sum(bool(readings(a) & readings(b)) for a, b in zip(window, term, strict=True))


def _shared(window: str, term: str) -> int:
    return sum(a == b for a, b in zip(window, term, strict=True))


def _all_near(window: str, term: str) -> bool:
    """Every character of ``window`` is ``alike`` the one of ``term``: what a longer term must meet to take in a
    correctly spelled shorter one (工作日内援露退回 must not become 工作日内答复退回)."""
    return all(alike(a, b) for a, b in zip(window, term, strict=True))


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


@lru_cache(maxsize=4096)
def primary_reading(char: str) -> str | None:
    """The fuzzy toneless reading of ``char`` in its most common use (于 → yu, not also wei or xu)."""
    if not _HAN.fullmatch(char):
        return None
    return _fuzzy(pinyin(char, style=Style.NORMAL, heteronym=False)[0][0])


class TermCorrector:
    """Replace sound-alike spellings of ``terms`` in text. Build once, apply to many texts."""

    def __init__(self, terms: Iterable[str], places: Iterable[str] = ()) -> None:
        """``places``: names of places and units among ``terms``; 再 right before one is the locative 在."""
        spelled = {t for t in terms if _HAN_RUN.fullmatch(t)}
        self.terms = frozenset(t for t in spelled if len(t) >= MIN_TERM_LEN)
        # every term, short ones too, as a word of the model a snap is weighed by (说是疾控的: 疾控 is a word)
        self._words = dict.fromkeys(spelled, KNOWN_FREQUENCY)
        names = sorted({p for p in places if len(p) >= MIN_TERM_LEN}, key=len, reverse=True)
        self._locative = re.compile("再(?=" + "|".join(map(re.escape, names)) + ")") if names else None
        self._by_reading: dict[str, list[str]] = defaultdict(list)
        # Phrases long enough to tolerate a misheard syllable are also found by their second one, so that the
        # first may be the syllable heard wrong (周五服务变名这线 → 政务服务便民热线).
        self._by_second: dict[str, list[str]] = defaultdict(list)
        for term in sorted(self.terms, key=len, reverse=True):  # longest first wins
            for r in readings(term[0]):
                self._by_reading[r].append(term)
            if len(term) >= PHRASE_LEN:
                for r in readings(term[1]):
                    self._by_second[r].append(term)

    def _matches(self, window: str, term: str, licensed: bool = False) -> bool:
        shared = _shared(window, term)
        if licensed and len(term) == MIN_TERM_LEN and shared >= 1 and shared < len(term):
            # Right after 去, 到, 转给, 投诉 … a place or unit is expected: a three-character name that sounds
            # exactly alike needs one shared character (我去是医院看 → 我去市一院看; 但是医院 stays).
            return all(readings(a) & readings(b) for a, b in zip(window, term, strict=True))
        # Identical, or too few characters in common to be the same name. Long names are distinctive by sound
        # alone (位生建康学县 → 卫生健康热线), short ones need shared characters too: two of three, or half
        # of four (而同医院 → 儿童医院), three of five.
        if shared == len(term) or shared < _needed_shared(len(term)):
            return False
        # Names of six characters or more tolerate one syllable heard wrong (政府服务辨明热线 → 政务服务便民热线,
        # 将北七人民医院 → 江北区人民医院), names of five one that keeps its initial or its final (复用保健院 →
        # 妇幼保健院); never a numeral of the name heard as another numeral: 第二人民医院 is another hospital than
        # 第一人民医院 (a numeral heard as a word is no such case: 我何对于下 → 我核对一下).
        misheard = [(a, b) for a, b in zip(window, term, strict=True) if not (readings(a) & readings(b))]
        if any(a in _NUMERALS and b in _NUMERALS for a, b in misheard):
            return False
        if len(term) >= PHRASE_LEN and shared >= 2:
            # Phrases of seven characters or more: a quarter of the syllables may be heard wrong, a syllable
            # that keeps its initial or final counting half, and at most one that keeps neither (政府服务变灵阵线
            # → 政务服务便民热线; 望湖街道旁边卫生服务中心 stays).
            near = sum(_near(a, b) for a, b in misheard)
            return len(misheard) - near <= 1 and len(term) - len(misheard) + near / 2 >= 0.75 * len(term)
        if len(misheard) > (1 if len(term) >= MISHEARD_TERM_LEN else 0):
            return False
        return len(term) >= LONG_TERM_LEN or all(_near(a, b) for a, b in misheard)

    def _plausible(self, text: str, i: int, term: str, licensed: bool) -> bool:
        """Whether ``term`` in place of ``text[i : i + len(term)]`` reads more likely by ``TERM_MARGIN`` (by any
        amount for a three-character name where ``licensed``), and is not the term with a word put in
        (请问有什么可以帮到您 and 请您保持电话畅通 are no mishearings of 请问有什么可以帮您 and 请保持电话畅通)."""
        for start in (i - 1, i):  # the term with one character put in, the window starting at it or after it
            longer = text[max(start, 0) : start + len(term) + 1]
            if len(longer) > len(term) and any(longer[:k] + longer[k + 1 :] == term for k in range(1, len(term))):
                return False
        start, end = i, i + len(term)  # the clause around the window
        while start > 0 and _HAN.fullmatch(text[start - 1]):
            start -= 1
        while end < len(text) and _HAN.fullmatch(text[end]):
            end += 1
        clause, snapped = text[start:end], text[start:i] + term + text[i + len(term) : end]
        gain = wordfreq.log_probability(snapped, self._words) - wordfreq.log_probability(clause, self._words)
        return gain > (0.0 if licensed and len(term) == MIN_TERM_LEN else TERM_MARGIN)

    def _protected(self, text: str) -> list[bool]:
        """Characters already inside a correctly spelled term: never rewritten (a longer term may still take them
        in as they are: 林乡市第二人民医院 → 临江市第二人民医院 around the alias 第二人民医院)."""
        mask = [False] * len(text)
        for term in self.terms:
            start = text.find(term)
            while start != -1:
                mask[start : start + len(term)] = [True] * len(term)
                start = text.find(term, start + 1)
        return mask

    def _candidates(self, text: str, i: int) -> Iterator[tuple[int, str]]:
        """Terms that may start at ``text[i]``, with the index that found them: by its sound (0), then long
        phrases by the sound of ``text[i + 1]`` (1)."""
        seen: set[str] = set()
        following = readings(text[i + 1]) if i + 1 < len(text) else frozenset()
        for rank, (index, chars) in enumerate(((self._by_reading, readings(text[i])), (self._by_second, following))):
            for r in chars:
                for term in index.get(r, ()):
                    if term not in seen:
                        seen.add(term)
                        yield rank, term

    def proposals(self, text: str) -> list[str]:
        """``text`` with one near-miss of a term put in, for each window that sounds loosely like a term: every
        character alike (the same sound, or the initial or the final kept) except one in four, at most a third
        heard as another sound, at least one character shared, no numeral for another. Far too loose to apply
        on text alone: the audio decides (``asr/choose.py``), so these are proposals, never corrections."""
        out: dict[str, None] = {}
        for i, char in enumerate(text):
            if not _HAN.fullmatch(char):
                continue
            for _rank, term in self._candidates(text, i):
                window = text[i : i + len(term)]
                if len(window) != len(term) or window == term or not _HAN_RUN.fullmatch(window):
                    continue
                misheard = [(a, b) for a, b in zip(window, term, strict=True) if not (readings(a) & readings(b))]
                if (any(a in _NUMERALS and b in _NUMERALS for a, b in misheard)
                        or sum(not _near(a, b) for a, b in misheard) > len(term) // 4
                        or len(misheard) > max(1, len(term) // 3)
                        or (misheard and not _shared(window, term))):
                    continue
                out[text[:i] + term + text[i + len(term) :]] = None
        return list(out)

    def correct(self, text: str) -> str:
        if not self.terms:
            return text
        protected = self._protected(text)
        out: list[str] = []
        i = 0
        while i < len(text):
            licensed = None
            best: tuple | None = None
            for rank, term in self._candidates(text, i):
                window = text[i : i + len(term)]
                if len(window) != len(term) or any(
                    p and a != b for p, a, b in zip(protected[i : i + len(term)], window, term, strict=True)
                ):
                    continue
                if licensed is None:
                    licensed = bool(_LICENSING.search(text[max(0, i - 3) : i]))
                if self._matches(window, term, licensed) and (
                    not any(protected[i : i + len(term)]) or _all_near(window, term)
                ) and self._plausible(text, i, term, licensed):
                    # Found by the first syllable before the second, then the longest; between terms of the same
                    # length the one that sounds most like the window (工作人员连系您 is 工作人员联系您, not
                    # 工作日内联系您), so that the choice never depends on the order of a set.
                    key = (rank, -len(term), -same_sound(window, term), -_shared(window, term), term)
                    best = min(best, key) if best is not None else key
            if best is None:
                out.append(text[i])
                i += 1
            else:
                out.append(best[-1])
                i += len(best[-1])
        text = "".join(out)
        # 在 and 再 sound alike; before a place or unit it is 在 (您陪老伴再望湖街道… → 在望湖街道…).
        return self._locative.sub("在", text) if self._locative is not None else text


_PHRASE_FIXES = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASE_FIXES)


def fix_phrases(text: str) -> str:
    """The short mishearings of ``mishearings.PHRASE_FIXES``: 您的性名 → 您的姓名, 我想反应一下 → 我想反映一下."""
    for pattern, replacement in _PHRASE_FIXES:
        text = pattern.sub(replacement, text)
    return text
