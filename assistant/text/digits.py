"""Digits as Whisper writes them on a phone line: as digits, as digit characters, or as characters that sound alike.

The tables are keyed by the fuzzy readings of ``lexicon.correct.readings`` (l → n, ing → in): 零 reads "nin",
六 "niu".
"""

from __future__ import annotations

import re

from assistant.lexicon.correct import primary_reading, readings

HAN = re.compile(r"[\u4e00-\u9fff]")

DIGIT_CHARS = frozenset("0123456789零〇一二三四五六七八九幺")
TO_ASCII = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
DIGIT_SOUNDS = {"nin": "0", "yi": "1", "yao": "1", "er": "2", "san": "3", "si": "4", "wu": "5", "niu": "6",
                "qi": "7", "ba": "8", "jiu": "9"}
# Inside a phone number, Whisper also writes the nearest common syllable: 明/名 for 零, 于 for 一, 次/字 for 四,
# 区/去 for 七, 案 for 二, 送 for 四, 肉 for 六 (l heard as r), and for 七 the same syllable with j for q (及,
# 居, 斤), 数/书 for 四 (si heard as shu), and 英/音 for 幺. Only used where the result is then checked as a
# whole number.
NEAR_DIGIT_SOUNDS = {**DIGIT_SOUNDS, "min": "0", "yu": "1", "an": "2", "ci": "4", "zi": "4", "rou": "6",
                     "song": "4", "su": "4", "qu": "7", "ji": "7", "ju": "7", "jin": "7", "yin": "1"}


def digit_by_sound(char: str, sounds: dict[str, str] = DIGIT_SOUNDS) -> str | None:
    """The digit ``char`` is or sounds like, by its common reading first (以 is yi, though pypinyin also lists si)."""
    if char in DIGIT_CHARS:
        return char
    common = primary_reading(char)
    if common in sounds:
        return sounds[common]
    return next((sounds[r] for r in sorted(readings(char)) if r in sounds), None)


def digits_follow(text: str, i: int, count: int = 3) -> bool:
    """Whether ``text[i:]`` starts with ``count`` characters that read as digits."""
    part = text[i : i + count]
    return len(part) == count and all(digit_by_sound(c, NEAR_DIGIT_SOUNDS) is not None for c in part)
