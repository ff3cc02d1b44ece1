"""The operator's script as Whisper mishears it: the hotline's number and name, the staff number, the closing.

Every call opens the same way (您好，12320卫生健康热线，工号NNNN，请讲), so a greeting that comes out garbled is
put back by sound: the hotline number written with sound-alike digits, its name, 工号 and its digits. The
hotline numbers and names and the staff number's length are the sample centres'; a centre's own script is
meant to supply them.
"""

from __future__ import annotations

import re

from assistant.centre import Script
from assistant.lexicon.correct import alike, primary_reading, readings, same_sound
from assistant.text.digits import DIGIT_CHARS, HAN, NEAR_DIGIT_SOUNDS, TO_ASCII, digit_by_sound, digits_follow

_GONG_HAO = frozenset({("gong", "hao"), ("gong", "hou")})  # 工号, and 功后 / 宫后 as Whisper hears it
_DI = frozenset("第低地弟")  # 幺 heard as di before the other four digits (第二三二零 → 12320)
_UNREAD = "?"
_HEARD_BEFORE_HOTLINE = re.compile(r"[^\d，。？！]{0,6}热线")  # 热线 within six characters after the number


def _hotline_digits(text: str, i: int) -> tuple[str, int] | None:
    """The 4-6 digits of a number starting at ``text[i]`` as Whisper may write a hotline number: digits, or
    characters that sound like digits (于二三二领), with at most one character unread inside it (一二三座五);
    returns (digits with ``_UNREAD`` for the unread one, end) or None."""
    if i > 0 and text[i - 1] in DIGIT_CHARS:
        return None
    digits, j = ("1", i + 1) if text[i] in _DI else ("", i)
    written = 0
    while j < len(text) and len(digits) < 6:
        char = text[j]
        if char in DIGIT_CHARS:
            digits, written = digits + char.translate(TO_ASCII), written + 1
        elif HAN.fullmatch(char) and (digit := digit_by_sound(char, NEAR_DIGIT_SOUNDS)) is not None:
            digits += digit
        elif HAN.fullmatch(char) and digits and _UNREAD not in digits and j + 1 < len(text) and (
            text[j + 1] in DIGIT_CHARS
        ):
            digits += _UNREAD
        else:
            break
        j += 1
    if written < 2 or len(digits) < 4 or (j < len(text) and text[j] in DIGIT_CHARS):
        return None
    return digits, j


def _sounds_like_name(window: str, name: str) -> bool:
    """``window`` is ``name`` heard on a phone line: a third of the syllables may be off if the others sound alike
    or keep their initial or final, and at least half sound the same (位生性康学县 → 卫生健康热线)."""
    if len(window) != len(name) or window == name or not all(HAN.fullmatch(c) for c in window):
        return False
    same = same_sound(window, name)
    near = sum(alike(a, b) for a, b in zip(window, name, strict=True))
    return same * 2 >= len(name) and near >= len(name) - len(name) // 3


def _exact_number(text: str, i: int, script: Script) -> bool:
    """A hotline number of ``script`` starts at ``text[i]`` just as it is written."""
    read = _hotline_digits(text, i)
    return read is not None and read[0] in script.numbers


def fix_hotline_numbers(text: str, script: Script) -> str:
    """A public hotline number and its name as an operator's greeting says them (您好，12320卫生健康热线): a 4-6
    digit number, written or sounding like digits, one edit from a hotline number and followed by 热线 or by
    the hotline's name (heard more or less right) is that number, and the name after it is snapped by sound.
    The numbers and names are the centre's (``script``); any hotline's name is also a plain 热线."""
    from rapidfuzz.distance import Levenshtein

    out: list[str] = []
    i = 0
    while i < len(text):
        read = _hotline_digits(text, i)
        if read is not None and text[i] not in DIGIT_CHARS and _exact_number(text, i + 1, script):
            read = None  # 这里是12320: 是 sounds like 4, but the number starts after it
        if read is not None:
            digits, end = read
            best = min(script.numbers, key=lambda h: Levenshtein.distance(h, digits))
            names = (*script.names_of(best), "热线")
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


def fix_staff_number(text: str, digits: int) -> str:
    """工号 and the digits after it, by sound: 功耗1146 → 工号1146, 工号102期 → 工号1027; up to the staff number's
    length (``digits``, the centre's) a nearer sound will do too (工号三次零二 → 工号3402, 工号340案 → 工号3402);
    past it, only digits written as digits."""
    out = list(text)
    for i in range(len(text) - 2):
        literal = text[i : i + 2] == "工号"
        # Digits after it; or, after a mishearing of 工号 (功耗), three characters that sound like digits: after
        # 工号 itself that could be words (我的工号您记一下).
        if text[i + 2] not in DIGIT_CHARS and (
            literal or digit_by_sound(text[i + 2], NEAR_DIGIT_SOUNDS) is None or not digits_follow(text, i + 3, 2)
        ):
            continue
        if not literal and not any(
            (a, b) in _GONG_HAO for a in readings(text[i]) for b in readings(text[i + 1])
        ):
            continue
        out[i : i + 2] = ["工", "号"]
        j = i + 2
        while j < len(text) and j < i + 8:
            if j < i + 2 + digits:
                digit = digit_by_sound(text[j], NEAR_DIGIT_SOUNDS)
            else:  # past its length, only digits written as such (工号1027您好: 您 is no 零)
                digit = text[j] if text[j] in DIGIT_CHARS else None
            if digit is None:
                break
            out[j] = digit
            j += 1
    return "".join(out)


# The greeting ends 工号NNNN，请讲: a two-character clause there that rhymes with 讲 is that 请讲 (信将, 新疆, 现象).
_CLOSING = re.compile(r"工号\d{3,5}，([\u4e00-\u9fff]{2})(?=[，。？！]|$)")


def fix_greeting_closing(text: str) -> str:
    """工号3402，训讲 → 工号3402，请讲: the greeting's last word, heard as another word ending in -ang."""
    for m in _CLOSING.finditer(text):
        word = m.group(1)
        if word != "请讲" and (primary_reading(word[1]) or "").endswith("ang"):
            return text[: m.start(1)] + "请讲" + text[m.end(1) :]
    return text
