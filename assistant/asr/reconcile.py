"""The call's own redundancy: what the caller said and the operator read back, heard in two voices.

An operator reads the caller's facts back (复述确认): the name, the unit, the place. Whisper hears each side on
its own and may spell the same words two ways (张丽华 on one side, 张立华 on the other). Where a stretch of an
operator's utterance and a stretch of a caller's sound the same, character for character, and share at least
one character, they are taken for the same words, and the spelling is chosen that both clips support best: each
utterance is scored with each spelling by Whisper's likelihood on its own audio plus the centre language model,
and the spelling with the higher sum is written in both (``echoes`` finds the stretches, ``Transcriber`` scores
them). Whisper favours its own spelling on each clip, and that bias cancels out between the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon.correct import sounds_alike

MIN_LENGTH = 3  # two-character homophones are too often two different words (公事, 公式)
MAX_LENGTH = 8
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Echo:
    """``first`` at ``first_at`` of one utterance and ``second`` at ``second_at`` of another: the same sounds."""

    first_at: int
    first: str
    second_at: int
    second: str


def echoes(first: str, second: str) -> list[Echo]:
    """The longest stretches of Han characters that sound the same in ``first`` and ``second`` but are spelled
    differently, sharing at least one character; a stretch inside a longer one found is not listed again."""
    found: list[Echo] = []
    taken_first: set[int] = set()
    taken_second: set[int] = set()
    runs_first = [(m.start(), m.group()) for m in _HAN_RUN.finditer(first)]
    runs_second = [(m.start(), m.group()) for m in _HAN_RUN.finditer(second)]
    for length in range(MAX_LENGTH, MIN_LENGTH - 1, -1):
        for start_a, run_a in runs_first:
            for i in range(len(run_a) - length + 1):
                a = run_a[i : i + length]
                span_a = set(range(start_a + i, start_a + i + length))
                if span_a & taken_first:
                    continue
                for start_b, run_b in runs_second:
                    for j in range(len(run_b) - length + 1):
                        b = run_b[j : j + length]
                        span_b = set(range(start_b + j, start_b + j + length))
                        if a == b or span_b & taken_second or not any(x == y for x, y in zip(a, b, strict=True)):
                            continue
                        if sounds_alike(a, b):
                            found.append(Echo(start_a + i, a, start_b + j, b))
                            taken_first |= span_a
                            taken_second |= span_b
                            break
                    if span_a & taken_first:
                        break
    return found


def respelled(text: str, at: int, old: str, new: str) -> str:
    """``text`` with ``old`` at ``at`` written as ``new``."""
    assert text[at : at + len(old)] == old
    return text[:at] + new + text[at + len(old) :]
