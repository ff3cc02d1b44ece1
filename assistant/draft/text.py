"""The transcript as the extractors see it: turns (a speaker's consecutive segments joined), with citations.

ASR cuts one turn into several utterances, and an operator's read-back ("我核对一下：…，对吗？") often spans
several of them; the extractors need the whole turn. Each turn keeps where its segments start, so a span
in the turn is cited back as (segment index, span within that segment).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.draft.model import Evidence
from assistant.lexicon.correct import readings
from assistant.text.normalize import normalize_numbers, to_simplified
from assistant.transcript.model import Speaker, Transcript

CONFIRM = re.compile(r"^[嗯哦啊，,\s]*(对|是的|是啊|是|没错|对对|没问题|就是这样|嗯)")
READBACK = re.compile(r"(核对|确认|复述|记录|重复|核实)一下|我跟您(核对|确认)|我(记|总结)一下|我帮您(记|理)一下")
# The same cue as ASR writes it: 我附数一下, 我核对依下, 我合对一下 — by sound (toneless pinyin).
_READBACK_SOUNDS = tuple(
    tuple(readings(c) for c in word + "一下") for word in ("核对", "确认", "复述", "记录", "重复", "核实")
)
# The shape of the cue when ASR heard its words as others (我跟您合作一下, 我何必依下, 我进入一下, 我确认一价):
# 我, two characters, a syllable yi or yu, 下. Counted only near the start of a long operator turn, and never
# for the verbs of an ordinary explanation (我给您解释一下, 我查询一下).
_READBACK_SHAPE = re.compile(r"我(?:跟您|给您|帮您)?([\u4e00-\u9fff]{2})([\u4e00-\u9fff])(?:下|价)")
_NOT_READBACK_VERBS = frozenset({"介绍", "解释", "查询", "说明", "了解", "转接", "联系", "查查", "看看", "问问",
                                 "咨询", "请示", "反映", "协调", "沟通", "处理", "安排", "申请"})
READBACK_MIN_LEN = 40  # characters: a read-back restates the whole call
QUESTION = re.compile(r"对吗|是吗|对不对|没错吧|是不是")


@dataclass(frozen=True)
class Turn:
    speaker: str  # op | caller | spk
    text: str
    parts: tuple[tuple[int, int], ...]  # (segment index, offset of that segment's text in ``text``)
    readback: bool = False  # the operator restates the call
    confirmed: bool = False  # … and the caller says yes
    guessed: frozenset[str] = frozenset()  # numbers a second look of the ASR supplied (Segment.guessed)

    @property
    def index(self) -> int:
        return self.parts[0][0]

    def cite(self, start: int, end: int) -> Evidence:
        offsets = [off for _, off in self.parts]
        k = max(0, bisect.bisect_right(offsets, start) - 1)
        segment, off = self.parts[k]
        return Evidence(segment, start - off, end - off, self.text[start:end])

    def finditer(self, pattern: re.Pattern) -> Iterator[re.Match]:
        return pattern.finditer(self.text)


def _sounds_like_readback(text: str) -> bool:
    """A read-back cue misheard: four characters that each sound like the cue's (核对一下 → 合对依下)."""
    for i in range(len(text) - 3):
        heard = [readings(c) for c in text[i : i + 4]]
        for cue in _READBACK_SOUNDS:
            if all(h & c for h, c in zip(heard, cue, strict=True)):
                return True
    return False


def _shaped_like_readback(text: str) -> bool:
    if len(text) < READBACK_MIN_LEN:
        return False
    for m in _READBACK_SHAPE.finditer(text[:25]):
        verb, yi = m.group(1), m.group(2)
        if verb not in _NOT_READBACK_VERBS and (yi == "一" or readings(yi) & {"yi", "yu"}):
            return True
    return False


def turns_of(transcript: Transcript) -> list[Turn]:
    """Segments → turns with normalised text (simplified, digits) and confirmed read-backs marked."""
    raw: list[tuple[str, list[str], list[int]]] = []
    for i, seg in enumerate(transcript.segments):
        text = normalize_numbers(to_simplified(seg.text))
        if raw and raw[-1][0] == seg.speaker:
            raw[-1][1].append(text)
            raw[-1][2].append(i)
        else:
            raw.append((seg.speaker, [text], [i]))
    turns: list[Turn] = []
    for n, (speaker, texts, indices) in enumerate(raw):
        offsets, pos = [], 0
        for t in texts:
            offsets.append(pos)
            pos += len(t)
        text = "".join(texts)
        is_op = speaker == Speaker.OPERATOR
        readback = is_op and (bool(READBACK.search(text)) or _sounds_like_readback(text)
                              or _shaped_like_readback(text))
        asks = is_op and bool(QUESTION.search(text))
        nxt = raw[n + 1] if n + 1 < len(raw) else None
        confirmed = (readback or asks) and nxt is not None and bool(CONFIRM.search("".join(nxt[1])))
        guessed = frozenset(g for i in indices for g in transcript.segments[i].guessed)
        turns.append(Turn(speaker, text, tuple(zip(indices, offsets, strict=True)), readback, confirmed, guessed))
    return turns
