"""A committed utterance decoded again the file path's way, in the background, to replace its early text.

A live commit decodes the utterance alone, soon after its speaker pauses: no context, no VAD, no word timestamps,
no forced-reading repair of a phone number. The file path hears the same speech better. Once the early text is
on the operator's screen there is time to do what the file path does: the channel's recent audio, from some
seconds before the utterance to the end of the pause that ended it, goes through the transcriber's own
``decode_words`` and ``text_of``, and the words whose middle falls inside the utterance become its text. Speech
the endpointer cut into pieces (it commits at most ``max_utterance`` s at once) is revised as one stretch once its
last piece is committed, as the file path hears it: no piece is decoded with its sentence cut off.

Revisions run beside the live decodes on a model with two replicas, one core each (``Transcriber(replicas=2)``),
so a commit never waits for a revision. With one replica (one core) a revision yields to every live decode: each
of its model calls waits until no commit, early or partial decode is queued, so a commit waits for at most one
model call of a revision. See docs/decisions/0021-live-revision.md and 0024-live-commits-beside-revisions.md.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.asr.pipeline import give_back_freed_memory
from assistant.audio.load import SAMPLE_RATE

if TYPE_CHECKING:
    from assistant.live.streaming import StreamOptions

log = logging.getLogger("assistant.live")

# Audio kept per channel: a clip's window, and as much again for a commit that comes late (the decoder behind).
RING_SECONDS = 60.0
# The clip of a revision stays inside one Whisper window (30 s), less a margin for VAD's padding.
MAX_CLIP = 28.0
# Word times are Whisper's guesses: the first word of an utterance often starts early, into the pause before it,
# so a word whose middle is this far before the utterance is still its own (docs/decisions/0021-live-revision.md).
SPAN_SLACK = 0.25
# An utterance that begins less than this after the speaker's previous one ended was cut out of continuous speech
# (the endpointer commits at most max_utterance s at once); after a pause it begins end_silence - pre_roll later.
JOINED = 0.25


class AudioRing:
    """The last ``seconds`` of one channel, addressed by call time; written by the feeding thread, read by the
    decoder's."""

    def __init__(self, seconds: float):
        self._data = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
        self._written = 0  # samples since the call began
        self._lock = threading.Lock()

    def push(self, samples: np.ndarray) -> None:
        with self._lock:
            size, n = len(self._data), len(samples)
            if n >= size:
                samples, self._written = samples[-size:], self._written + n - size
                n = size
            at = self._written % size
            first = min(n, size - at)
            self._data[at : at + first] = samples[:first]
            self._data[: n - first] = samples[first:]
            self._written += n

    def clip(self, start: float, end: float) -> tuple[float, np.ndarray]:
        """The audio from ``start`` to ``end`` s of the call, cut to what the ring still holds, and its start."""
        with self._lock:
            size = len(self._data)
            first = max(int(start * SAMPLE_RATE), self._written - size, 0)
            last = min(int(end * SAMPLE_RATE), self._written)
            if last <= first:
                return first / SAMPLE_RATE, np.zeros(0, dtype=np.float32)
            index = np.arange(first, last) % size
            return first / SAMPLE_RATE, self._data[index]


@dataclass(frozen=True)
class Span:
    """One committed utterance in a revision: its place in the call, its committed text, and how far outside that
    place a word's middle may fall and still be its own."""

    start: float
    end: float
    text: str
    # Before: a little slack after a pause; where the utterance goes on from the one before it (cut out of
    # continuous speech), exactly the gap to it, so each word belongs to one of the two.
    before: float = SPAN_SLACK
    after: float = 0.0  # the pause that ended it; none where it was cut and the speech goes on


@dataclass(frozen=True)
class Revision:
    """Committed utterances of one speaker to decode again together, and the clip of audio around them: one
    utterance, or a stretch of continuous speech the endpointer cut into several."""

    speaker: str
    spans: tuple[Span, ...]
    offset: float  # call time of the clip's first sample
    clip: np.ndarray


def clip_start(start: float, end: float, context: float, tail: float) -> float:
    """Where a revision's clip begins: ``context`` s before the utterance, later if the clip would not fit in one
    window. A fixed distance, not the start of an earlier utterance of the speaker: Whisper read better with the
    channel's pauses and the other party's turn kept before the speech (docs/decisions/0021-live-revision.md)."""
    return max(0.0, min(start, max(start - context, end + tail - MAX_CLIP)))


def revise(transcriber, job: Revision) -> list[tuple[str, tuple[str, ...]] | None]:
    """Each span's text and guessed numbers as the file path hears them, from one decoding of the clip; None for a
    span the revision finds no words of (its committed text then stays)."""
    words = transcriber.decode_words(job.clip) if len(job.clip) else []
    found = []
    for span in job.spans:
        low, high = span.start - job.offset - span.before, span.end - job.offset + span.after
        mine = [w for w in words if low <= (w.start + w.end) / 2 <= high]
        text, guessed = transcriber.text_of(job.clip, mine) if mine else ("", ())
        found.append((text, guessed) if text else None)
    return found


class _Abandoned(Exception):
    """Raised inside a revision's model call once the call has been closed without waiting for it."""


class Reviser:
    """The revisions of one call, on a thread of their own: beside the live decodes on a second replica of the
    model, else yielding to them before each model call.

    ``lock`` is the live transcriber's: under it ``busy()`` says whether a live decode is queued or running, and
    ``idle`` (a condition of it) is notified when that ends. ``on_revised(speaker, span, text, guessed)`` receives
    a text that differs from the committed one. Revisions are not dropped while the call goes on, so the call's final
    text should be the revised one; with one replica they wait while the live decoder is behind, never starting a
    model call while a live decode waits, so they cannot deepen its backlog."""

    def __init__(self, transcriber, speakers: tuple[str, ...], options: StreamOptions,
                 on_revised: Callable[[str, Span, str, tuple[str, ...]], None], lock: threading.Lock,
                 idle: threading.Condition, busy: Callable[[], bool]):
        self.transcriber, self.on_revised = transcriber, on_revised
        self.context, self.tail = options.revise_context or 0.0, options.revise_tail
        # A commit this long was cut out of continuous speech (the endpointer's max_utterance), not ended by a pause.
        self.cut_length = options.max_utterance - options.end_silence
        self.max_utterance = options.max_utterance
        self._rings = {speaker: AudioRing(RING_SECONDS) for speaker in speakers}
        self._ends: dict[str, float] = {}  # where each speaker's last committed utterance ended
        self._jobs: deque[Revision] = deque()
        self._held: dict[str, list[Span]] = {}  # each speaker's pieces of speech that goes on, until its last piece
        self._running = False
        self._closing = False  # no commit will come any more: the thread ends when no job is left
        self._abandoned = False  # time ran out at the call's end: the jobs left are dropped
        self._lock, self._idle, self._busy = lock, idle, busy
        self.done = 0
        # Two replicas: revisions decode on one while the live decodes use the other, so they need not yield.
        self._gate = yielding(transcriber.model) if transcriber.workers < 2 else None
        self._thread = threading.Thread(target=self._loop, name="live-revise", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> bool:
        """A revision is waiting or running; read under ``lock``."""
        return bool(self._jobs) or self._running

    def hear(self, speaker: str, samples: np.ndarray) -> None:
        self._rings[speaker].push(samples)

    def queue(self, speaker: str, start: float, end: float, text: str) -> None:
        """Revise a committed utterance; its audio up to ``end`` + ``tail`` has been heard. A piece cut out of
        speech that goes on waits for the next piece, up to what one revision's clip holds."""
        cut = end - start >= self.cut_length
        with self._lock:
            since = start - self._ends.get(speaker, float("-inf"))
            self._ends[speaker] = max(end, self._ends.get(speaker, end))
            held = self._held.pop(speaker, [])
        joined = since < JOINED
        if held and not joined:  # the speech it was cut from ended without a piece of its own
            self._submit(speaker, held)
            held = []
        held.append(Span(start, end, text, before=max(0.0, since) if joined else SPAN_SLACK,
                         after=0.0 if cut else self.tail))
        if cut and end - held[0].start + self.max_utterance + self.tail <= MAX_CLIP:
            with self._lock:
                self._held[speaker] = held
            return
        self._submit(speaker, held)

    def _submit(self, speaker: str, spans: list[Span]) -> None:
        first, last = spans[0], spans[-1]
        offset, clip = self._rings[speaker].clip(clip_start(first.start, last.end, self.context, self.tail),
                                                 last.end + self.tail)
        if offset > first.start:  # committed so late that its own beginning is gone: its text stays
            log.debug("音频已不在缓存中，不修订 %.2f-%.2f", first.start, last.end)
            return
        with self._lock:
            if not self._abandoned:
                self._jobs.append(Revision(speaker, tuple(spans), offset, clip))
                self._idle.notify_all()

    def finish(self, timeout: float) -> None:
        """At the call's end, after the last commit: do the revisions left, for at most ``timeout`` s."""
        with self._lock:
            held, self._held = self._held, {}
        for speaker, spans in held.items():
            self._submit(speaker, spans)
        with self._lock:
            self._closing = True
            self._idle.notify_all()
        self._thread.join(timeout=timeout)
        with self._lock:
            if self.pending:
                log.warning("通话结束时还有 %d 段未修订，保留原文", len(self._jobs) + self._running)
                self._abandoned = True
                self._jobs.clear()
                self._idle.notify_all()

    def _wait_for_live(self) -> None:
        """Before each model call of a revision: wait until no live decode is queued or running."""
        with self._lock:
            while self._busy() and not self._abandoned:
                self._idle.wait(timeout=1.0)
            if self._abandoned:  # the call is closed: the revision stops here
                raise _Abandoned

    def _loop(self) -> None:
        if self._gate is not None:
            self._gate.waits[threading.get_ident()] = self._wait_for_live
        try:
            while True:
                with self._lock:
                    while not self._jobs and not self._closing:
                        self._idle.wait()
                    if not self._jobs or self._abandoned:
                        return
                    job = self._jobs.popleft()
                    self._running = True
                try:
                    revised = revise(self.transcriber, job)
                except _Abandoned:
                    revised = []
                except Exception:  # a failed revision leaves the committed text
                    log.exception("修订失败")
                    revised = []
                give_back_freed_memory()  # its clip's features and decoder buffers, freed on another thread's arena
                with self._lock:
                    self._running = False
                    self.done += len(job.spans)
                    dropped = self._abandoned
                for span, found in zip(job.spans, revised, strict=False):
                    if found is not None and found[0] != span.text and not dropped:
                        self.on_revised(job.speaker, span, *found)
        finally:
            if self._gate is not None:
                self._gate.waits.pop(threading.get_ident(), None)


class YieldingModel:
    """The shared CTranslate2 Whisper model, whose calls from a registered thread first wait for leave.

    Installed in place of ``WhisperModel.model``: other threads see the model unchanged, while a revision thread
    waits before each encode, generate or align until the live decodes are idle."""

    _CALLS = frozenset({"encode", "generate", "align", "detect_language"})

    def __init__(self, inner):
        self._inner = inner
        self.waits: dict[int, Callable[[], None]] = {}  # thread ident → what it waits on before a model call

    def __getattr__(self, name: str):
        attr = getattr(self._inner, name)
        if name not in self._CALLS:
            return attr

        def call(*args, **kwargs):
            wait = self.waits.get(threading.get_ident())
            if wait is not None:
                wait()
            return attr(*args, **kwargs)

        return call


def yielding(whisper_model) -> YieldingModel | None:
    """The ``YieldingModel`` inside a faster-whisper model, installed on first use; None for a model without a
    CTranslate2 one inside."""
    inner = getattr(whisper_model, "model", None)
    if inner is None:
        return None
    if not isinstance(inner, YieldingModel):
        inner = YieldingModel(inner)
        whisper_model.model = inner
    return inner
