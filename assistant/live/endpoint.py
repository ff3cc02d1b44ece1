"""Where an utterance of one channel begins and ends, from frame energy alone.

A phone channel carries one party, so energy against the channel's own line noise is enough and costs nothing.
The endpointer reports an utterance's audio so far now and then (for a partial decode), a pause that may end it
(for an early decode, confirmed or voided later) and its end; ``assistant.live.streaming`` decides what to
decode.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from assistant.audio.load import SAMPLE_RATE

if TYPE_CHECKING:
    from assistant.live.streaming import StreamOptions

FRAME = SAMPLE_RATE // 50  # 20 ms


class Endpointer:
    """Utterance boundaries of one channel from frame energy against an adaptive noise floor."""

    def __init__(self, options: StreamOptions):
        self.options = options
        self.recent: deque[float] = deque(maxlen=250)  # 5 s of frame energies
        self.before: deque[np.ndarray] = deque(maxlen=max(1, int(options.pre_roll * 50)))
        self.floor = 1.0  # until the first frames are seen nothing is speech
        self.buffer: list[np.ndarray] = []
        self.start: float | None = None
        self.silence = 0.0
        self.since_partial = 0.0
        self.tentative = False  # an early decode of this utterance is out and no speech came since

    def push(self, samples: np.ndarray, t0: float) -> list[tuple[str, float, float, np.ndarray]]:
        """Feed samples starting at audio time ``t0``; returns (kind, start, end, audio) events.

        Kinds: 'partial' (text so far), 'final' (the utterance ended), 'tentative' (a pause began: decode now,
        the utterance may have ended), then 'confirm' (it had) or 'resume' (it had not; audio None).
        """
        out = []
        n = len(samples) // FRAME
        for i in range(n):
            frame = samples[i * FRAME : (i + 1) * FRAME]
            rms = float(np.sqrt(np.mean(frame**2)) + 1e-9)
            now = t0 + (i + 1) * FRAME / SAMPLE_RATE
            self.recent.append(rms)
            if len(self.recent) % 25 == 0 or len(self.recent) < 25:  # the line noise: quietest tenth, 5 s back
                self.floor = max(1e-4, float(np.percentile(self.recent, 10)))
            speech = len(self.recent) >= 10 and rms > self.options.speech_factor * self.floor
            if self.start is None:
                if speech:
                    self.buffer = [*self.before, frame]
                    self.start = now - len(self.buffer) * FRAME / SAMPLE_RATE
                    self.silence = 0.0
                    self.since_partial = 0.0
                    self.before.clear()
                else:
                    self.before.append(frame)
                continue
            self.buffer.append(frame)
            if speech:
                if self.tentative:  # the pause was not the end: the early decode is void
                    out.append(("resume", self.start, now, None))
                    self.tentative = False
                self.silence = 0.0
            else:
                self.silence += FRAME / SAMPLE_RATE
            self.since_partial += FRAME / SAMPLE_RATE
            length, end = now - self.start, now - self.silence
            early = self.options.early_silence
            if self.silence >= self.options.end_silence or length >= self.options.max_utterance:
                if self.tentative:  # no speech since the early decode: it is the utterance
                    out.append(("confirm", self.start, end, np.concatenate(self.buffer)))
                elif end - self.start >= 0.25:
                    out.append(("final", self.start, end, np.concatenate(self.buffer)))
                self.start, self.buffer, self.tentative = None, [], False
            elif early is not None and not self.tentative and self.silence >= early and end - self.start >= 0.25:
                out.append(("tentative", self.start, end, self._as_ended()))
                self.tentative = True
            elif (self.since_partial >= self.options.partial_every and self.silence == 0.0
                  and length + self.options.partial_every < self.options.max_utterance):
                # (none when the forced commit comes sooner than the next partial would: it would only hold up
                # the decoder that commit needs)
                self.since_partial = 0.0
                out.append(("partial", self.start, now, np.concatenate(self.buffer)))
        return out

    def _as_ended(self) -> np.ndarray:
        """The utterance as 'final' would hand it over: the pause so far is repeated up to ``end_silence``, since
        Whisper's text depends on the trailing line noise: a bare 0.25 s tail decodes worse than the full pause,
        and the repeated pause decodes like it (docs/decisions/0005-early-decode.md)."""
        pause = self.buffer[len(self.buffer) - round(self.silence * 50) :]
        missing = round((self.options.end_silence - self.silence) * 50)
        return np.concatenate([*self.buffer, *(pause[i % len(pause)] for i in range(missing))])
