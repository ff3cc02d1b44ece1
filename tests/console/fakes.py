"""A scripted call: an audio source of silent blocks and a recogniser that 'hears' a written script.

Lets the console service and the Textual console run end to end (drafting, autosave, the store) without
loading Whisper: one committed segment per block, each preceded by its partial text.
"""

from __future__ import annotations

import threading

import numpy as np

from assistant.live.streaming import LiveSegment

# A call written for the tests: a parent cannot book a child's vaccination at a community health centre.
SCRIPT = (
    ("op", "您好，12320卫生健康热线，工号1187，请问有什么可以帮您？"),
    ("caller", "我家孩子要打疫苗，东湖社区医院说这周号约满了，想问问什么时候还能约上。"),
    ("op", "请问您贵姓，留一个联系电话？"),
    ("caller", "我姓郑，电话13611112222。"),
    ("op", "郑先生，我核对一下：您想给孩子在东湖社区医院约疫苗，现在约不上，对吗？"),
    ("caller", "对的。"),
    ("op", "好的，我们会转给东湖街道社区卫生服务中心，会在两个工作日内给您回电。"),
)


def scripted_segments(script=SCRIPT, gap: float = 0.5) -> list[LiveSegment]:
    segments, t = [], 0.0
    for speaker, text in script:
        length = 0.2 * len(text)
        segments.append(LiveSegment(speaker, t, t + length, text, True))
        t += length + gap
    return segments


class SilentSource:
    """``blocks`` silent stereo blocks of 100 ms; ``gate`` (if given) holds the call open until it is set."""

    channels = 2

    def __init__(self, blocks: int, gate: threading.Event | None = None):
        self.count, self.gate = blocks, gate

    def blocks(self):
        for _ in range(self.count):
            yield np.zeros((2, 1600), dtype=np.float32)
        if self.gate is not None:
            self.gate.wait(timeout=30)


class ScriptedStream:
    def __init__(self, segments, on_segment):
        self.pending, self.on_segment = list(segments), on_segment

    def feed(self, _block) -> None:
        if self.pending:
            seg = self.pending.pop(0)
            if not seg.revised:  # a revision comes after its commit, with no partial text of its own
                self.on_segment(LiveSegment(seg.speaker, seg.start, seg.end, seg.text[: len(seg.text) // 2], False))
            self.on_segment(seg)

    def flush(self) -> None:
        while self.pending:
            self.feed(None)

    def close(self) -> None:
        pass


class ScriptedRecognizer:
    def __init__(self, segments: list[LiveSegment] | None = None):
        self.segments = scripted_segments() if segments is None else segments

    def open(self, speakers, on_segment, on_status):
        return ScriptedStream(self.segments, on_segment)
