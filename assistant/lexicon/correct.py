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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

from assistant.lexicon.terms import PHRASE_FIXES

_HAN = re.compile(r"[\u4e00-\u9fff]")
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"))
MIN_TERM_LEN = 3
_NUMERALS = frozenset("零〇一二三四五六七八九十百千两幺0123456789")
LONG_TERM_LEN = 6  # from here one shared character is enough
MISHEARD_TERM_LEN = 5  # from here one syllable may be heard wrong
PHRASE_LEN = 7  # from here a quarter of the syllables may be heard wrong
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


def _alike(a: str, b: str) -> bool:
    """``a`` sounds like ``b`` or keeps its initial or final."""
    return bool(readings(a) & readings(b)) or _near(a, b)


def _same_sound(window: str, term: str) -> int:
    """How many characters of ``window`` sound like the one of ``term``."""
    return sum(bool(readings(a) & readings(b)) for a, b in zip(window, term, strict=True))


def _shared(window: str, term: str) -> int:
    return sum(a == b for a, b in zip(window, term, strict=True))


def _all_near(window: str, term: str) -> bool:
    """Every character of ``window`` is ``_alike`` the one of ``term``: what a longer term must meet to take in a
    correctly spelled shorter one (工作日内援露退回 must not become 工作日内答复退回)."""
    return all(_alike(a, b) for a, b in zip(window, term, strict=True))


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
        self.terms = frozenset(t for t in terms if len(t) >= MIN_TERM_LEN and all(_HAN.fullmatch(c) for c in t))
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
                ):
                    # Found by the first syllable before the second, then the longest; between terms of the same
                    # length the one that sounds most like the window (工作人员连系您 is 工作人员联系您, not
                    # 工作日内联系您), so that the choice never depends on the order of a set.
                    key = (rank, -len(term), -_same_sound(window, term), -_shared(window, term), term)
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


HOTLINE_NUMBERS = ("12320", "12345", "12315", "12333", "12356")
# The public hotlines' own names, longest first; any of them is also a plain 热线.
HOTLINE_NAMES = {"12320": ("卫生健康热线", "健康热线"), "12345": ("政务服务便民热线", "便民热线")}
_DIGIT_CHARS = frozenset("0123456789零〇一二三四五六七八九幺")
_TO_ASCII = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
_GONG_HAO = frozenset({("gong", "hao"), ("gong", "hou")})  # 工号, and 功后 / 宫后 as Whisper hears it
_DI = frozenset("第低地弟")  # 幺 heard as di before the other four digits (第二三二零 → 12320)
_UNREAD = "?"
_HEARD_BEFORE_HOTLINE = re.compile(r"[^\d，。？！]{0,6}热线")  # 热线 within six characters after the number


def _hotline_digits(text: str, i: int) -> tuple[str, int] | None:
    """The 4-6 digits of a number starting at ``text[i]`` as Whisper may write a hotline number: digits, or
    characters that sound like digits (于二三二领), with at most one character unread inside it (一二三座五);
    returns (digits with ``_UNREAD`` for the unread one, end) or None."""
    if i > 0 and text[i - 1] in _DIGIT_CHARS:
        return None
    digits, j = ("1", i + 1) if text[i] in _DI else ("", i)
    written = 0
    while j < len(text) and len(digits) < 6:
        char = text[j]
        if char in _DIGIT_CHARS:
            digits, written = digits + char.translate(_TO_ASCII), written + 1
        elif _HAN.fullmatch(char) and (digit := _digit_by_sound(char, _NEAR_DIGIT_SOUNDS)) is not None:
            digits += digit
        elif _HAN.fullmatch(char) and digits and _UNREAD not in digits and j + 1 < len(text) and (
            text[j + 1] in _DIGIT_CHARS
        ):
            digits += _UNREAD
        else:
            break
        j += 1
    if written < 2 or len(digits) < 4 or (j < len(text) and text[j] in _DIGIT_CHARS):
        return None
    return digits, j


def _sounds_like_name(window: str, name: str) -> bool:
    """``window`` is ``name`` heard on a phone line: a third of the syllables may be off if the others sound alike
    or keep their initial or final, and at least half sound the same (位生性康学县 → 卫生健康热线)."""
    if len(window) != len(name) or window == name or not all(_HAN.fullmatch(c) for c in window):
        return False
    same = _same_sound(window, name)
    alike = sum(_alike(a, b) for a, b in zip(window, name, strict=True))
    return same * 2 >= len(name) and alike >= len(name) - len(name) // 3


def fix_hotline_numbers(text: str) -> str:
    """A public hotline number and its name as an operator's greeting says them (您好，12320卫生健康热线): a 4-6
    digit number, written or sounding like digits, one edit from a hotline number and followed by 热线 or by
    the hotline's name (heard more or less right) is that number, and the name after it is snapped by sound."""
    from rapidfuzz.distance import Levenshtein

    out: list[str] = []
    i = 0
    while i < len(text):
        read = _hotline_digits(text, i)
        if read is not None:
            digits, end = read
            best = min(HOTLINE_NUMBERS, key=lambda h: Levenshtein.distance(h, digits))
            names = (*HOTLINE_NAMES.get(best, ()), "热线")
            after = end + 1 if text[end : end + 1] == "，" else end
            named = [n for n in names if text[after : after + len(n)] == n or _sounds_like_name(
                text[after : after + len(n)], n)]
            if Levenshtein.distance(best, digits) <= 1 and (named or _HEARD_BEFORE_HOTLINE.match(text, end)):
                out.append(best + text[end:after])
                if named:
                    out.append(named[0])
                    after += len(named[0])
                i = after
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


# Keyed by the fuzzy readings of ``readings`` (l → n, ing → in): 零 reads "nin", 六 "niu".
_DIGIT_SOUNDS = {"nin": "0", "yi": "1", "yao": "1", "er": "2", "san": "3", "si": "4", "wu": "5", "niu": "6",
                 "qi": "7", "ba": "8", "jiu": "9"}
# Inside a phone number, Whisper also writes the nearest common syllable: 明/名 for 零, 于 for 一, 次/字 for 四,
# 区/去 for 七, 案 for 二, 送 for 四, 肉 for 六 (l heard as r), and for 七 the same syllable with j for q (及,
# 居, 斤), 数/书 for 四 (si heard as shu), and 英/音 for 幺. Only used where the result is then checked as a
# whole number.
_NEAR_DIGIT_SOUNDS = {**_DIGIT_SOUNDS, "min": "0", "yu": "1", "an": "2", "ci": "4", "zi": "4", "rou": "6",
                      "song": "4", "su": "4", "qu": "7", "ji": "7", "ju": "7", "jin": "7", "yin": "1"}


def _digit_by_sound(char: str, sounds: dict[str, str] = _DIGIT_SOUNDS) -> str | None:
    """The digit ``char`` is or sounds like, by its common reading first (以 is yi, though pypinyin also lists si)."""
    if char in _DIGIT_CHARS:
        return char
    common = primary_reading(char)
    if common in sounds:
        return sounds[common]
    return next((sounds[r] for r in sorted(readings(char)) if r in sounds), None)


def fix_staff_number(text: str) -> str:
    """工号 and the digits after it, by sound: 功耗1146 → 工号1146, 工号102期 → 工号1027; up to the fourth digit a
    nearer sound will do too (工号三次零二 → 工号3402, 工号340案 → 工号3402), as staff numbers have four; past the
    fourth, only digits written as digits."""
    out = list(text)
    for i in range(len(text) - 2):
        literal = text[i : i + 2] == "工号"
        # Digits after it; or, after a mishearing of 工号 (功耗), three characters that sound like digits: after
        # 工号 itself that could be words (我的工号您记一下).
        if text[i + 2] not in _DIGIT_CHARS and (
            literal or _digit_by_sound(text[i + 2], _NEAR_DIGIT_SOUNDS) is None or not _digits_follow(text, i + 3, 2)
        ):
            continue
        if not literal and not any(
            (a, b) in _GONG_HAO for a in readings(text[i]) for b in readings(text[i + 1])
        ):
            continue
        out[i : i + 2] = ["工", "号"]
        j = i + 2
        while j < len(text) and j < i + 8:
            if j < i + 2 + STAFF_NUMBER_DIGITS:
                digit = _digit_by_sound(text[j], _NEAR_DIGIT_SOUNDS)
            else:  # past four, only digits written as such (工号1027您好: 您 is no 零)
                digit = text[j] if text[j] in _DIGIT_CHARS else None
            if digit is None:
                break
            out[j] = digit
            j += 1
    return "".join(out)


STAFF_NUMBER_DIGITS = 4
# The greeting ends 工号NNNN，请讲: a two-character clause there that rhymes with 讲 is that 请讲 (信将, 新疆, 现象).
_CLOSING = re.compile(r"工号\d{3,5}，([\u4e00-\u9fff]{2})(?=[，。？！]|$)")


def fix_greeting_closing(text: str) -> str:
    """工号3402，训讲 → 工号3402，请讲: the greeting's last word, heard as another word ending in -ang."""
    for m in _CLOSING.finditer(text):
        word = m.group(1)
        if word != "请讲" and (primary_reading(word[1]) or "").endswith("ang"):
            return text[: m.start(1)] + "请讲" + text[m.end(1) :]
    return text


MOBILE = re.compile(r"1[3-9]\d{9}")  # a mainland mobile number
MOBILE_IN_TEXT = re.compile(rf"(?<!\d){MOBILE.pattern}(?!\d)")  # … not inside a longer digit run
_PHONE_CUE = re.compile(r"电话|手机|号码|联系方式|座机")
# 电话 as Whisper mishears it before a number: 变化, 建画, 先换, 兼换 …
_DIAN = frozenset({"dian", "bian", "jian", "xian", "qian", "nian"})
_HUA = frozenset({"hua", "huan", "huai", "hui"})
_NUMBER_SEPARATORS = frozenset(" -.、，,")
# Whisper sometimes writes digits said one by one as a numeral (一三九 → 一百三十九); inside a phone run the
# place words are dropped like separators, and the run must still check as a mobile number.
_PLACE_WORDS = frozenset("百十")
_CONNECTORS = frozenset("是为：:，, ")
MIN_HEARD_DIGITS = 7  # a run needs this many real digits before sound-alike characters are read as digits
# ... or this many when the run, sound-alikes included, is exactly a valid mobile number ending its clause
MIN_HEARD_DIGITS_MOBILE = 6
MAX_FILLER = 8  # characters between a phone cue and its number (电话你记一下，…)


def _cues(text: str):
    """(start, end, literal) of every phone cue: the words themselves, or 电话 misheard."""
    for m in _PHONE_CUE.finditer(text):
        yield m.start(), m.end(), True
    for i in range(len(text) - 1):
        if text[i : i + 2] != "电话" and readings(text[i]) & _DIAN and readings(text[i + 1]) & _HUA:
            yield i, i + 2, False


def _digits_follow(text: str, i: int, count: int = 3) -> bool:
    """Whether ``text[i:]`` starts with ``count`` characters that read as digits."""
    part = text[i : i + count]
    return len(part) == count and all(_digit_by_sound(c, _NEAR_DIGIT_SOUNDS) is not None for c in part)


def _ends_clause(text: str, i: int) -> bool:
    """Whether the clause ends at ``text[i]``: the text ends there or a character that is not Chinese follows."""
    return i == len(text) or not _HAN.fullmatch(text[i])


def _number_after(text: str, start: int) -> tuple[int, str, int, bool] | None:
    """The run of digits, separators and digit-like syllables from ``start``: (end, digits, heard digits, whether
    the run is a valid mobile number that ends its clause).

    After the last real digit, one sound-alike character counts only where the text or the clause ends there
    (…5391案。), and more than one only where the clause ends there and the whole run is then a valid mobile
    number (…三八八英武。): the word after the number (…1987及时) is not part of it. A run
    longer than a mobile number whose first 11 digits are one and whose rest has no Arabic digit (only sound-alike
    characters or Chinese numerals: …1515883042居，以及一下) ends after the 11th."""
    found: list[tuple[int, str, bool]] = []  # (index in text, digit, written as a digit)
    skipped = False
    i = start
    while i < len(text) and i < start + 20:
        char = text[i]
        if char in _DIGIT_CHARS:
            found.append((i, char.translate(_TO_ASCII), True))
        elif (char in _NUMBER_SEPARATORS or char in _PLACE_WORDS) and found and _digits_follow(text, i + 1, 1):
            pass
        elif (digit := _digit_by_sound(char, _NEAR_DIGIT_SOUNDS)) is not None:
            found.append((i, digit, False))
        elif not skipped and found and _HAN.fullmatch(char) and _digits_follow(text, i + 1):
            skipped = True  # one garbled syllable inside the number (英雄五零六七…): left out like a separator
        else:
            break
        i += 1
    last = max((k for k, (_, _, real) in enumerate(found) if real), default=-1)
    trailing = len(found) - 1 - last
    clause_ends = _ends_clause(text, i)
    whole_mobile = clause_ends and MOBILE.fullmatch("".join(d for _, d, _ in found)) is not None
    if not whole_mobile and (trailing > 1 or (trailing == 1 and not clause_ends)):
        found = found[: last + 1]
        i = found[-1][0] + 1 if found else start
    if not found:
        return None
    digits = "".join(d for _, d, _ in found)
    if len(found) > 11 and MOBILE.fullmatch(digits[:11]) and not any(text[k].isascii() for k, _, _ in found[11:]):
        found, i = found[:11], found[10][0] + 1
    return i, "".join(d for _, d, _ in found), sum(real for _, _, real in found), whole_mobile


@dataclass(frozen=True)
class PhoneRun:
    """A digit run announced by a phone cue: ``text[cue_start:end]`` is the cue and the number as heard."""

    cue_start: int
    cue_end: int
    cue: str  # the cue as it should read: itself, or 电话 for a misheard one
    start: int
    end: int
    digits: str  # the run read as digits, sound-alike syllables included

    @property
    def mobile(self) -> bool:
        return MOBILE.fullmatch(self.digits) is not None


def phone_runs(text: str) -> list[PhoneRun]:
    """Every run of at least seven real digits after a phone cue (six when the run, sound-alikes included, is a
    valid mobile number that ends its clause), last first (so edits keep earlier offsets).

    After 是/为/a comma the run may start one character later (电话是138…: 是 is not a 4) or at once
    (变化于321…: 于 is the 1); the reading that makes a valid mobile number wins, else the later start. When
    nothing follows the cue itself, a number a few words later in the same sentence counts (电话可以留，152…).
    """
    runs = []
    cues = sorted(_cues(text), reverse=True)
    for cue_start, cue_end, literal in cues:
        starts = (cue_end + 1, cue_end) if cue_end < len(text) and text[cue_end] in _CONNECTORS else (cue_end,)
        found = _runs_from(text, cue_start, cue_end, literal, starts)
        if not found and literal:
            found = _runs_from(text, cue_start, cue_end, literal, _later_starts(text, cue_end, cues))
        if found:
            runs.append(next((run for run in found if run.mobile), found[0]))
    return runs


def _runs_from(text: str, cue_start: int, cue_end: int, literal: bool, starts) -> list[PhoneRun]:
    found = []
    for start in starts:
        run = _number_after(text, start)
        if run is None:
            continue
        if run[2] >= (MIN_HEARD_DIGITS_MOBILE if run[3] else MIN_HEARD_DIGITS):
            cue = text[cue_start:cue_end] if literal else "电话"
            found.append(PhoneRun(cue_start, cue_end, cue, start, run[0], run[1]))
    return found


def _later_starts(text: str, cue_end: int, cues) -> list[int]:
    """Where a number may start a few words after its cue (电话可以留，152… ; 电话你记一下，177…): each digit
    that begins a run within ``MAX_FILLER`` characters, in the same sentence and before any other cue."""
    stop = min([cue_end + MAX_FILLER + 1, len(text), *(s for s, _, _ in cues if s >= cue_end)])
    stop = min([stop, *(i for i in range(cue_end, stop) if text[i] in "。？！")])
    return [i for i in range(cue_end + 1, stop) if text[i] in _DIGIT_CHARS and text[i - 1] not in _DIGIT_CHARS]


def _rewrite(text: str, run: PhoneRun, digits: str) -> str:
    return text[: run.cue_start] + run.cue + text[run.cue_end : run.start] + digits + text[run.end :]


def fix_phone_number(text: str) -> str:
    """A mobile number after 电话/手机/号码 (or 电话 misheard) that came out with sound-alike characters:
    电话1371234567明 → 电话13712345670, 变化于3912345678 → 电话13912345678.

    Only a run with at least seven real digits is read, and it is rewritten only when the result is exactly one
    valid mobile number (11 digits from 1[3-9]); a misheard cue becomes 电话 only then. Anything else is left
    as heard: a digit that Whisper dropped is not guessed here (see ``asr.second_look``).
    """
    for run in phone_runs(text):
        if run.mobile and (text[run.start : run.end] != run.digits or text[run.cue_start : run.cue_end] != run.cue):
            text = _rewrite(text, run, run.digits)
    return text


def broken_phone(text: str) -> PhoneRun | None:
    """The last phone run that is not a valid mobile number, if any: a digit was dropped or added."""
    return next((run for run in phone_runs(text) if not run.mobile), None)


def replace_phone(text: str, run: PhoneRun, number: str) -> str:
    """``text`` with ``run`` (from ``broken_phone(text)``) replaced by ``number``, the cue spelled right."""
    return _rewrite(text, run, number)


_PHRASE_FIXES = tuple((re.compile(pattern), replacement) for pattern, replacement in PHRASE_FIXES)


def fix_phrases(text: str) -> str:
    """The short hotline mishearings of ``terms.PHRASE_FIXES``: 您的性名 → 您的姓名, 我想反应一下 → 我想反映一下."""
    for pattern, replacement in _PHRASE_FIXES:
        text = pattern.sub(replacement, text)
    return text
