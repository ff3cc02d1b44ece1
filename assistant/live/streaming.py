"""Streaming transcription of a live call, per channel, with bounded latency.

VAD-segmented: each channel's audio is cut into utterances by energy against its own line noise (a phone
channel carries one party, so energy is enough and costs nothing); an utterance is decoded and committed as
soon as its speaker pauses (``end_silence``), and while it is still going on its text so far is decoded now
and then as a *partial*. Decoding runs in one worker thread, on a short encoder window: the first text is there
fast, and its revision (below) brings the accuracy. Partials are decoded only while the worker is
idle. When a queued decode has waited longer than ``max_backlog``, early decodes are skipped too (committed
text still comes, later) and ``degraded`` is set, so latency cannot grow without bound for the text that
matters; the console shows the operator that it happened.

Each committed utterance is then decoded again in the background the file path's way, with the speaker's audio
before it as context, and its text replaced when that reads differently (``assistant.live.revision``): the
operator sees the early text sharpen, and the call ends with the file path's reading of it. The revisions run
on a second replica of the model (``replicas``), so a commit never waits for one
(docs/decisions/0024-live-commits-beside-revisions.md).
"""

from __future__ import annotations

import copy
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.asr import second_look
from assistant.asr.pipeline import Transcriber
from assistant.audio.load import SAMPLE_RATE
from assistant.live.endpoint import Endpointer
from assistant.live.revision import Reviser, Span

log = logging.getLogger("assistant.live")


@dataclass(frozen=True)
class LiveSegment:
    speaker: str
    start: float
    end: float
    text: str
    final: bool  # committed (True) or partial (False)
    decoded_at: float = 0.0  # monotonic time the text was ready (latency measurement)
    guessed: tuple[str, ...] = ()  # numbers the n-best second look supplied (Segment.guessed)
    revised: bool = False  # a committed segment's text decoded again: it replaces the one of the same speaker and start


@dataclass
class StreamOptions:
    # Pause that ends an utterance: longer utterances decode closer to the file path, for a little more latency
    # (docs/decisions/0004-utterance-end-silence.md).
    end_silence: float = 0.8
    # Forced commit of long speech: a piece is decoded in about a second on one core, and the revision decodes the
    # pieces of one stretch of speech together (docs/decisions/0024-live-commits-beside-revisions.md).
    max_utterance: float = 10.0
    partial_every: float = 1.2  # seconds of new speech between partial decodes
    max_backlog: float = 2.0  # seconds the oldest queued decode may wait before the call is marked degraded
    speech_factor: float = 4.0  # frame RMS above this × noise floor is speech
    # Beam size of committed decodes (partials are greedy), and audio kept from before the first loud frame:
    # onsets of words are quiet (docs/decisions/0014-live-beam-and-pre-roll.md).
    final_beam: int = 5
    pre_roll: float = 0.3
    # Pause after which the utterance is decoded *speculatively*, before ``end_silence`` confirms that it ended:
    # most of a commit's latency is the decode, so it starts while the endpointer is still waiting. If the
    # speaker goes on, the early text is shown as a partial instead. None: decode only once the utterance has
    # ended (docs/decisions/0005-early-decode.md).
    early_silence: float | None = 0.25
    # Seconds of encoder input after the utterance, instead of Whisper's padded 30 s window (None): a 4 s
    # utterance decodes in a third of the time. Its first text reads worse, and its revision reads as the file
    # path does (docs/decisions/0013-live-full-encoder-window.md, 0024-live-commits-beside-revisions.md).
    encoder_pad: float | None = 2.0
    encoder_min: float = 0.0  # the shortest encoder window when encoder_pad is set
    # Encoder window of a *partial* decode, in seconds (at least the audio so far + 1 s); None: 30 s like the
    # others. A partial is shown dimmed and replaced by the committed text, but while it decodes the one
    # decoder is busy and a commit waits behind it, so it is made cheap (docs/decisions/0006-partial-window.md).
    partial_window: float | None = 10.0
    # A live decode is bounded: no temperature fallback and at most this many tokens per second of audio, plus
    # 20 for a short one, so one looping decode cannot hold up every commit after it
    # (docs/decisions/0007-bounded-live-decodes.md).
    max_tokens_per_second: float = 12.0
    # A committed utterance is decoded again in the background as the file path decodes (VAD, beam 5, word
    # timestamps, the phone repair) with this many seconds of the channel before it; 0: the utterance alone;
    # None: no revisions (docs/decisions/0021-live-revision.md).
    revise_context: float | None = 10.0
    revise_tail: float = 0.8  # seconds after the utterance in its revision: the pause that ended it
    # Partial decodes go on while a revision waits (True), or are skipped until it is done (False).
    partials_before_revisions: bool = True


@dataclass
class _Early:
    """A speculative decode of an utterance whose speaker has paused."""

    end: float
    text: str | None = None  # set by the worker when decoded
    guessed: tuple[str, ...] = ()
    outcome: str | None = None  # 'final' or 'partial' once the endpointer knows; None while the pause lasts


def replicas(options: StreamOptions) -> int:
    """How many replicas of the model (``Transcriber(replicas=…)``) a live call with ``options`` runs on: a second
    one for the revisions, so that a commit never waits behind one; with none, one replica on every core."""
    return 1 if options.revise_context is None else 2


class LiveTranscriber:
    """Feed blocks of (channels, n) audio; receive LiveSegments through ``on_segment`` (from a worker thread)."""

    def __init__(self, transcriber: Transcriber, speakers: tuple[str, ...], on_segment: Callable[[LiveSegment], None],
                 options: StreamOptions | None = None, on_status: Callable[[str], None] | None = None):
        self.transcriber = transcriber
        self.speakers = speakers
        self.on_segment = on_segment
        self.on_status = on_status or (lambda _msg: None)
        self.options = options or StreamOptions()
        self.endpointers = [Endpointer(self.options) for _ in speakers]
        self.position = 0.0
        self.degraded = False
        self.skipped_partials = 0
        self._jobs: queue.Queue = queue.Queue()
        self._queued: deque[float] = deque()  # when each queued or running decode was queued (monotonic), oldest first
        self._early: dict[str, _Early] = {}  # each speaker's early decode awaiting its 'confirm' or 'resume'
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified when no live decode is queued or running
        self._short = None
        self._worker = threading.Thread(target=self._run, name="live-asr", daemon=True)
        self._worker.start()
        self.reviser = None
        if self.options.revise_context is not None:
            self.reviser = Reviser(transcriber, speakers, self.options, self._revised, self._lock, self._idle,
                                   lambda: bool(self._queued))

    def feed(self, block: np.ndarray) -> None:
        block = np.atleast_2d(block)
        if block.shape[0] != len(self.speakers):  # a mono source for a two-party layout, or the reverse
            block = np.repeat(block.mean(axis=0, keepdims=True), len(self.speakers), axis=0)
        t0 = self.position
        block = block.astype(np.float32)
        if self.reviser is not None:  # before the endpointers: a commit's revision takes the audio up to now
            for speaker, samples in zip(self.speakers, block, strict=True):
                self.reviser.hear(speaker, samples)
        for speaker, endpointer, samples in zip(self.speakers, self.endpointers, block, strict=True):
            for kind, start, end, audio in endpointer.push(samples, t0):
                if kind in ("confirm", "resume"):
                    self._settle(speaker, start, end, audio, confirmed=kind == "confirm")
                    continue
                with self._lock:
                    behind = bool(self._queued) and time.monotonic() - self._queued[0] > self.options.max_backlog
                    if behind and not self.degraded:
                        self.degraded = True
                        self.on_status("识别跟不上，已暂停中间结果，只输出确认的文字")
                    if kind == "partial" and (self._queued or self._revision_first()):  # only when idle
                        self.skipped_partials += 1
                        continue
                    if kind == "tentative" and behind:  # decode once the utterance has ended
                        continue
                    early = None
                    if kind == "tentative":
                        early = self._early[speaker] = _Early(end)
                    self._enqueue(kind, speaker, start, end, audio, early)
        self.position += block.shape[1] / SAMPLE_RATE

    def flush(self) -> None:
        """End of the call: commit what is still being said."""
        for speaker, endpointer in zip(self.speakers, self.endpointers, strict=True):
            if endpointer.start is not None and endpointer.buffer:
                audio = np.concatenate(endpointer.buffer)
                end = endpointer.start + len(audio) / SAMPLE_RATE
                if endpointer.tentative:  # silent since its early decode
                    self._settle(speaker, endpointer.start, end - endpointer.silence, audio, confirmed=True)
                else:
                    with self._lock:
                        self._enqueue("final", speaker, endpointer.start, end, audio)
                endpointer.start, endpointer.buffer, endpointer.tentative = None, [], False

    def _enqueue(self, kind: str, speaker: str, start: float, end: float, audio: np.ndarray,
                 early: _Early | None = None) -> None:
        """Queue a decode and note when; the caller holds ``_lock``."""
        self._queued.append(time.monotonic())
        self._jobs.put((kind, speaker, start, end, audio, early))

    @property
    def busy(self) -> bool:
        """A decode is queued or running."""
        return bool(self._queued)

    def _settle(self, speaker: str, start: float, end: float, audio: np.ndarray, confirmed: bool) -> None:
        """The pause after an early decode ended the utterance (``confirmed``) or the speaker went on."""
        with self._lock:
            early = self._early.pop(speaker, None)
            if early is None:  # no early decode was queued (the worker was behind)
                if confirmed:
                    self._enqueue("final", speaker, start, end, audio)
                return
            if early.text is None:  # queued or decoding: the worker delivers it
                early.outcome = "final" if confirmed else "partial"
                return
        if confirmed or early.text:
            self._send(LiveSegment(speaker, start, early.end, early.text, confirmed, time.monotonic(), early.guessed))

    def close(self, timeout: float = 60.0) -> None:
        """Wait for the queued decodes and then for the revisions, at most ``timeout`` s in all, and stop: the
        call's last text is the revised one. Revisions left when the time is up are dropped."""
        deadline = time.monotonic() + timeout
        self._jobs.put(None)
        self._worker.join(timeout=timeout)
        if self.reviser is not None:
            self.reviser.finish(max(0.0, deadline - time.monotonic()))

    def _send(self, segment: LiveSegment) -> None:
        """Hand a segment on; a committed one with text is then queued for its revision."""
        self.on_segment(segment)
        if segment.final and segment.text and self.reviser is not None:
            self.reviser.queue(segment.speaker, segment.start, segment.end, segment.text)

    def _revised(self, speaker: str, span: Span, text: str, guessed: tuple[str, ...]) -> None:
        self.on_segment(LiveSegment(speaker, span.start, span.end, text, True, time.monotonic(), guessed,
                                    revised=True))

    def _revision_first(self) -> bool:
        """A revision is waiting or running and partials give way to it; the caller holds ``_lock``."""
        return (self.reviser is not None and not self.options.partials_before_revisions
                and self.reviser.pending)

    def _decode(self, audio: np.ndarray, final: bool) -> tuple[str, tuple[str, ...]]:
        """The utterance's text and the numbers in it that the second look supplied."""
        model = self.transcriber.model
        if self.options.encoder_pad is not None:
            frames = min(3000, max(int(self.options.encoder_min * 100),
                                   len(audio) // 160 + int(self.options.encoder_pad * 100)))
            model = self._short_window(frames + frames % 2)
        elif not final and self.options.partial_window is not None:
            frames = min(3000, max(int(self.options.partial_window * 100), len(audio) // 160 + 100))
            model = self._short_window(frames + frames % 2)
        seconds = len(audio) / SAMPLE_RATE
        segments, _ = model.transcribe(
            audio, language=self.transcriber.options.language, beam_size=self.options.final_beam if final else 1,
            vad_filter=False, condition_on_previous_text=False, without_timestamps=True,
            temperature=0.0, max_new_tokens=int(self.options.max_tokens_per_second * seconds) + 20,
            suppress_tokens=self.transcriber.suppress_tokens)
        raw = "".join(s.text for s in segments)
        text = self.transcriber.clean(raw)
        # No repair by forced reading here: scoring some 90 candidate numbers takes seconds, which a live commit
        # must not wait for; the n-best second look (a fraction of a second) still runs.
        if not final:
            return text, ()
        checked = self.transcriber.recheck_phone(text, audio, 0.0, seconds, repair=False)
        return checked, second_look.new_numbers(text, checked)

    def _short_window(self, frames: int):
        """The shared model, seen through a shallow copy whose encoder input stops after ``frames`` mel frames.

        faster-whisper always pads a window to 30 s before ``encode``; for a 4 s utterance most of the encoder's
        work is that padding. The copy shares the loaded CTranslate2 model and is used by this worker only."""
        if self._short is None:
            self._short = copy.copy(self.transcriber.model)
        full = self.transcriber.model.encode
        self._short.encode = lambda features: full(features[..., :frames])
        return self._short

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            kind, speaker, start, end, audio, early = job
            if early is not None and early.outcome == "partial":  # the speaker went on before it started
                with self._lock:
                    self._done()
                continue
            with self._lock:
                queued_at = self._queued[0]
            began = time.monotonic()
            try:
                text, guessed = self._decode(audio, final=kind != "partial")
            except Exception:  # a decode failure must not stop the call
                log.exception("解码失败")
                text, guessed = "", ()
            log.debug("解码 %s %s：排队 %.2f s，解码 %.2f s，音频 %.1f s", kind, speaker, began - queued_at,
                      time.monotonic() - began, len(audio) / SAMPLE_RATE)
            final = kind == "final"
            with self._lock:
                self._done()
                if early is not None:
                    if early.outcome is None:  # the pause is still going on: kept for 'confirm'
                        early.text, early.guessed = text, guessed
                        continue
                    final = early.outcome == "final"
            if text or final:
                self._send(LiveSegment(speaker, start, end, text, final, time.monotonic(), guessed))

    def _done(self) -> None:
        """A live decode left the queue; the caller holds ``_lock``. An empty queue lets a revision go on."""
        self._queued.popleft()
        if not self._queued:
            self._idle.notify_all()
