"""What the QA checks share: words found as they sound, digits however they were said, the caller's yes.

The checks read a transcript, not what the reviewer heard: a script word the ASR wrote with other characters of
the same sound (公号 for 工号, 尖康 for 健康) is still the word, and a number still counts whether it came out as
digits, numerals or in groups. Sound is compared with the lexicon's fuzzy toneless readings, the same the
transcript's cleaner uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.draft.text import Turn
from assistant.lexicon.correct import sounds_alike
from assistant.transcript.model import Speaker

DIGIT_CHARS = "零〇一二三四五六七八九幺两0123456789"
_DIGIT_MAP = str.maketrans("零〇一二三四五六七八九幺两", "0012345678912")
# A run of digits as said: digits or numerals, grouped by spaces, dashes or commas.
DIGIT_RUN = re.compile(rf"[{DIGIT_CHARS}](?:[ \-－—、，,]?[{DIGIT_CHARS}])*")
# The caller's reply that agrees: it opens with a yes (对, 是的, 没错, 行, 嗯 …) and its first words say no no
# (嗯……不太对 is a no).
_AGREES = re.compile(r"^[\s，,。.…、嗯哦噢啊呃]*(?:对|是|没错|没问题|行|可以|好|就是|嗯|OK)", re.I)
_DENIES = re.compile(r"不(?:对|是|太对|正确|准确)|错了|说错|记错")
_FIRST_WORDS = 8


@dataclass(frozen=True)
class Said:
    """Words of one turn that satisfy (part of) a check: cited by the turn's first segment."""

    turn: Turn
    start: int
    end: int

    @property
    def words(self) -> str:
        return self.turn.text[self.start : self.end]

    @property
    def segment(self) -> int:
        return self.turn.cite(self.start, self.end).segment


def digits_of(run: str) -> str:
    return re.sub(r"\D", "", run.translate(_DIGIT_MAP))


def digit_runs(text: str) -> Iterator[tuple[str, int, int]]:
    """(digits, start, end) of every number said in ``text``."""
    for m in DIGIT_RUN.finditer(text):
        yield digits_of(m.group(0)), m.start(), m.end()


def find_said(text: str, word: str) -> Iterator[int]:
    """Where ``word`` is said in ``text``: spelled as it is or with characters that sound the same."""
    n = len(word)
    for i in range(len(text) - n + 1):
        if sounds_alike(text[i : i + n], word):
            yield i


def said_in_part(text: str, name: str, head: int = 2) -> tuple[int, int] | None:
    """Where a part of ``name`` is said: its last ``head`` characters (热线) with, before them and in order, at
    least as many more of its characters as make three fifths of it (卫健热线, 卫生热线 for 卫生健康热线). Each
    character may be heard as one of the same sound."""
    need = max(3, -(-3 * len(name) // 5))
    for end in find_said(text, name[-head:]):
        i, j, matched = end - 1, len(name) - head - 1, head
        while i >= 0 and j >= 0 and end - i <= len(name):
            if sounds_alike(text[i], name[j]):
                matched += 1
                i -= 1
            j -= 1
        if matched >= need:
            return i + 1, end + head
    return None


def operator_turns(turns: list[Turn]) -> list[tuple[int, Turn]]:
    return [(i, t) for i, t in enumerate(turns) if t.speaker == Speaker.OPERATOR]


def agreed(turns: list[Turn], i: int) -> Turn | None:
    """The caller's reply to turn ``i`` when it agrees, else None (a no, a reply of the operator's own, none)."""
    reply = turns[i + 1] if i + 1 < len(turns) else None
    if reply is None or reply.speaker != Speaker.CALLER or not _AGREES.search(reply.text):
        return None
    if _DENIES.search(reply.text[:_FIRST_WORDS]):
        return None
    return reply
