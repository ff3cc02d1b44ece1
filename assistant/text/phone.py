"""Phone numbers in what Whisper wrote: found after their cue, read when spelled in sound-alike characters.

A caller's number is the field an operator can least afford to get wrong. Whisper writes spoken digits as
characters (一三八…), sometimes as other characters of the same sound (明 for 零, 案 for 二); after a phone cue
(电话, 手机 …) such a run is read as digits when the result is a whole number, and a run that is not a valid
mobile number is marked for the second look (``asr/second_look.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon.correct import readings
from assistant.text.digits import DIGIT_CHARS, HAN, NEAR_DIGIT_SOUNDS, TO_ASCII, digit_by_sound, digits_follow

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
_PAUSES = frozenset("，, ")
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


def _ends_clause(text: str, i: int) -> bool:
    """Whether the clause ends at ``text[i]``: the text ends there or a character that is not Chinese follows."""
    return i == len(text) or not HAN.fullmatch(text[i])


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
        if char in DIGIT_CHARS:
            found.append((i, char.translate(TO_ASCII), True))
        elif (char in _NUMBER_SEPARATORS or char in _PLACE_WORDS) and found and digits_follow(text, i + 1, 1):
            pass
        elif (digit := digit_by_sound(char, NEAR_DIGIT_SOUNDS)) is not None:
            found.append((i, digit, False))
        elif not skipped and found and HAN.fullmatch(char) and digits_follow(text, i + 1):
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
    A word that only sounds like 电话 followed by a pause is a word of its own (鲁建华，135…: a name).
    """
    runs = []
    cues = sorted(_cues(text), reverse=True)
    for cue_start, cue_end, literal in cues:
        if not literal and text[cue_end : cue_end + 1] in _PAUSES:
            continue
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
    return [i for i in range(cue_end + 1, stop) if text[i] in DIGIT_CHARS and text[i - 1] not in DIGIT_CHARS]


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
