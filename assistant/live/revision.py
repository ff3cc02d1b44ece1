"""A committed utterance decoded again the file path's way, in the background, to replace its early text.

A live commit decodes the utterance alone, soon after its speaker pauses: no context, no VAD, no word timestamps,
no forced-reading repair of a phone number. The file path hears the same speech better. Once the early text is
on the operator's screen there is time to do what the file path does: the channel's recent audio, from some
seconds before the utterance to the end of the pause that ended it, goes through the transcriber's own
``decode_words`` and ``text_of``, and the words whose middle falls inside the utterance become its text.

The trade-off is the one decoder. A revision yields to every live decode: each of its model calls waits until
no commit, early or partial decode is queued, so a commit waits for at most one model call of a revision, never
for a whole one (a forced-reading repair alone is seconds). See docs/decisions/0021-live-revision.md.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

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
class Revision:
    """One committed utterance to decode again: its span in the call and the clip of audio around it."""

    speaker: str
    start: float
    end: float
    text: str  # the committed text
    offset: float  # call time of the clip's first sample
    clip: np.ndarray
    # How far outside the span a word's middle may fall and still be the utterance's: none where the utterance
    # was cut out of continuous speech, since the words there belong to the utterance next to it.
    before: float = SPAN_SLACK
    after: float = 0.0


def clip_start(start: float, end: float, context: float, tail: float) -> float:
    """Where a revision's clip begins: ``context`` s before the utterance, later if the clip would not fit in one
    window. A fixed distance, not the start of an earlier utterance of the speaker: Whisper read better with the
    channel's pauses and the other party's turn kept before the speech (docs/decisions/0021-live-revision.md)."""
    return max(0.0, min(start, max(start - context, end + tail - MAX_CLIP)))


def revise(transcriber, job: Revision) -> tuple[str, tuple[str, ...]] | None:
    """The utterance's text and guessed numbers as the file path hears them; None when the revision finds no
    words of it (the committed text then stays)."""
    if not len(job.clip):
        return None
    words = transcriber.decode_words(job.clip)
    low, high = job.start - job.offset - job.before, job.end - job.offset + job.after
    mine = [w for w in words if low <= (w.start + w.end) / 2 <= high]
    if not mine:
        return None
    text, guessed = transcriber.text_of(job.clip, mine)
    return (text, guessed) if text else None


class _Abandoned(Exception):
    """Raised inside a revision's model call once the call has been closed without waiting for it."""


class Reviser:
    """The revisions of one call, on a thread of their own that yields to the live decodes.

    ``lock`` is the live transcriber's: under it ``busy()`` says whether a live decode is queued or running, and
    ``idle`` (a condition of it) is notified when that ends. ``on_revised(job, text, guessed)`` receives a text
    that differs from the committed one. Revisions wait while the live decoder is behind, they are not dropped:
    they never start a model call while a live decode waits, so they cannot deepen its backlog, and the call's
    final text should be the revised one."""

    def __init__(self, transcriber, speakers: tuple[str, ...], options: StreamOptions,
                 on_revised: Callable[[Revision, str, tuple[str, ...]], None], lock: threading.Lock,
                 idle: threading.Condition, busy: Callable[[], bool]):
        self.transcriber, self.on_revised = transcriber, on_revised
        self.context, self.tail = options.revise_context or 0.0, options.revise_tail
        # A commit this long was cut out of continuous speech (the endpointer's max_utterance), not ended by a pause.
        self.cut_length = options.max_utterance - options.end_silence
        self._rings = {speaker: AudioRing(RING_SECONDS) for speaker in speakers}
        self._ends: dict[str, float] = {}  # where each speaker's last committed utterance ended
        self._jobs: deque[Revision] = deque()
        self._running = False
        self._closing = False  # no commit will come any more: the thread ends when no job is left
        self._abandoned = False  # time ran out at the call's end: the jobs left are dropped
        self._lock, self._idle, self._busy = lock, idle, busy
        self.done = 0
        self._gate = yielding(transcriber.model)
        self._thread = threading.Thread(target=self._loop, name="live-revise", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> bool:
        """A revision is waiting or running; read under ``lock``."""
        return bool(self._jobs) or self._running

    def hear(self, speaker: str, samples: np.ndarray) -> None:
        self._rings[speaker].push(samples)

    def queue(self, speaker: str, start: float, end: float, text: str) -> None:
        """Revise a committed utterance; its audio up to ``end`` + ``tail`` has been heard."""
        with self._lock:
            joined = start - self._ends.get(speaker, float("-inf")) < JOINED
            self._ends[speaker] = max(end, self._ends.get(speaker, end))
        offset, clip = self._rings[speaker].clip(clip_start(start, end, self.context, self.tail), end + self.tail)
        if offset > start:  # committed so late that its own beginning is gone: its text stays
            log.debug("音频已不在缓存中，不修订 %.2f-%.2f", start, end)
            return
        job = Revision(speaker, start, end, text, offset, clip, before=0.0 if joined else SPAN_SLACK,
                       after=0.0 if end - start >= self.cut_length else self.tail)
        with self._lock:
            if not self._abandoned:
                self._jobs.append(job)
                self._idle.notify_all()

    def finish(self, timeout: float) -> None:
        """At the call's end, after the last commit: do the revisions left, for at most ``timeout`` s."""
        with self._lock:
            self._closing = True
            self._idle.notify_all()
        self._thread.join(timeout=timeout)
        with self._lock:
            if self.pending:
                log.warning("通话结束时还有 %d 句未修订，保留原文", len(self._jobs) + self._running)
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
                    revised = None
                except Exception:  # a failed revision leaves the committed text
                    log.exception("修订失败")
                    revised = None
                with self._lock:
                    self._running = False
                    self.done += 1
                    dropped = self._abandoned
                if revised is not None and revised[0] != job.text and not dropped:
                    self.on_revised(job, *revised)
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
