"""复述并确认联系电话 and 复述诉求并得到确认: the operator says back what the caller said, and the caller agrees.

A phone read-back is an operator turn holding a whole phone number (7 to 12 digits however grouped or said; a
tail like 尾号6074 is no read-back, nor a staff or ticket number) that the caller's next turn agrees to. A number
the caller said otherwise is still found: the check reports whether the digits match what the caller gave.

A demand read-back is an operator turn that restates the caller's matter and asks for agreement: it carries a
read-back cue (the script's 我核对一下, 我复述一下 … as drafting finds them, misheard ones too) or ends on a question
tag, it repeats enough of the caller's own words, and it says the matter, not only where and when (a word of
what the caller wants or reports: 希望, 要求, 想, 反映, the centre's appeal types 投诉, 举报 …). The caller's next
turn must agree; a restatement the caller rejects counts only once restated and agreed.
"""

from __future__ import annotations

import re

from assistant.centre import Script
from assistant.draft.text import Turn
from assistant.review.checks.spoken import Said, agreed, digit_runs, find_said
from assistant.transcript.model import Speaker

PHONE_DIGITS = range(7, 13)  # a local number to a mobile or a landline with its area code
_NOT_A_PHONE = re.compile(r"(?:工号|编号|尾号|单号)[是为：:]?$")
# Asking for agreement: a question tag after the restatement, or before it (您看我这样记录行不行：…).
QUESTION = re.compile(r"对吗|是吗|对吧|是吧|对不对|是不是|没错吧|是这样吗|是这个意思吗|行不行|可以吗|好吗|没问题吧")
# The script's phrases that open a read-back (我跟您核对一下, 您的诉求是 …), found by sound, besides the cues drafting
# knows (``Turn.readback``).
CUE_WORDS = ("核对", "确认", "复述", "诉求")
MIN_SHARED = 2  # the caller's own two-character words the restatement repeats
MIN_LENGTH = 10  # Han characters: a restatement of the matter, not a single question
# Words that say the matter rather than only where and when: what the caller wants or reports; the taxonomy's
# appeal types (投诉, 举报, 咨询 …) are added.
MATTER_WORDS = ("希望", "要求", "想", "要", "请", "让", "需要", "诉求", "反映")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _phone_numbers(turn: Turn) -> list[tuple[str, int, int]]:
    return [(d, s, e) for d, s, e in digit_runs(turn.text)
            if len(d) in PHONE_DIGITS and not _NOT_A_PHONE.search(turn.text[max(0, s - 6) : s])]


def _near(a: str, b: str) -> bool:
    """The same number but for one digit the ASR may have misheard."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def check_phone(turns: list[Turn], script: Script) -> tuple[bool, str, Said | None]:
    given: list[str] = []
    tried: Said | None = None
    for i, turn in enumerate(turns):
        numbers = _phone_numbers(turn)
        if turn.speaker == Speaker.CALLER:
            given += [d for d, _, _ in numbers]
            continue
        if turn.speaker != Speaker.OPERATOR or not numbers:
            continue
        digits, start, end = numbers[-1]
        said = Said(turn, start, end)
        reply = agreed(turns, i)
        if reply is None:
            tried = tried or said
            continue
        match = ("与来电人所说一致" if digits in given else
                 "与来电人所说差一位（可能是转写误差）" if any(_near(digits, g) for g in given) else
                 "来电人未在通话中报出此号码" if not given else "与来电人所说号码不同")
        return True, f"复述“{said.words}”，来电人答“{reply.text[:12]}”；{match}", said
    if tried:
        return False, f"复述了“{tried.words}”，但来电人没有确认", tried
    if given:
        return False, f"来电人报了号码 {given[-1]}，接线员没有复述", None
    return False, "通话中没有复述联系电话", None


def _bigrams(text: str) -> set[str]:
    han = "".join(_HAN.findall(text))
    return {han[i : i + 2] for i in range(len(han) - 1)}


def _matter_words(script_words: tuple[str, ...]) -> re.Pattern:
    words = sorted({*MATTER_WORDS, *script_words}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def check_demand(turns: list[Turn], script: Script,
                 appeal_types: tuple[str, ...] = ()) -> tuple[bool, str, Said | None]:
    matter = _matter_words(appeal_types)
    cues = [p for p in script.phrases if any(w in p for w in CUE_WORDS)]
    heard: set[str] = set()
    rejected: Said | None = None
    for i, turn in enumerate(turns):
        if turn.speaker == Speaker.CALLER:
            heard |= _bigrams(turn.text)
            continue
        if turn.speaker != Speaker.OPERATOR:
            continue
        asks = turn.readback or any(next(find_said(turn.text, cue), None) is not None for cue in cues) \
            or QUESTION.search(turn.text)
        shared = _bigrams(turn.text) & heard
        long_enough = len(_HAN.findall(turn.text)) >= MIN_LENGTH
        if not (asks and long_enough and len(shared) >= MIN_SHARED and matter.search(turn.text)):
            continue
        said = Said(turn, 0, len(turn.text))
        reply = agreed(turns, i)
        if reply is not None:
            return True, f"复述“{turn.text[:40]}”，来电人答“{reply.text[:12]}”", said
        rejected = rejected or said
    if rejected:
        return False, f"复述了诉求“{rejected.turn.text[:30]}”，但来电人没有认可", rejected
    return False, "通话中没有复述来电人的诉求并请其确认", None
