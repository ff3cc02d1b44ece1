"""Guards against Whisper's known failure modes on telephone audio.

* Silence hallucinations and repetition loops are text: ``assistant.text.hallucinations`` handles them.
* Text on no-speech: an utterance whose stretch of its own channel carries no more energy than the line
  noise is dropped, whatever the decoder wrote there.
* Skipped speech: Whisper sometimes ends a 30 s window early (a segment, then end-of-text) and moves on, so
  the rest of a speaker's turn never reaches the transcript (an operator's long read-back, typically). Stretches of
  speech that VAD found but no word covers are reported by ``unheard_speech`` and decoded again on their own.
"""

from __future__ import annotations

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps


def noise_floor(channel: np.ndarray, frame: int = 1600) -> float:
    """RMS of the quietest tenth of 100 ms frames: the line noise of this channel."""
    n = len(channel) // frame
    if n == 0:
        return 0.0
    rms = np.sqrt(np.mean(channel[: n * frame].reshape(n, frame) ** 2, axis=1))
    return float(np.percentile(rms, 10))


def has_speech_energy(channel: np.ndarray, start: float, end: float, floor: float, rate: int = 16000) -> bool:
    """True when some 100 ms frame in [start, end] is clearly louder than the line noise."""
    piece = channel[int(start * rate) : int(end * rate) + 1]
    frame = rate // 10
    n = len(piece) // frame
    if n == 0:
        return bool(piece.size) and float(np.sqrt(np.mean(piece**2))) > 3 * floor + 1e-4
    rms = np.sqrt(np.mean(piece[: n * frame].reshape(n, frame) ** 2, axis=1))
    return float(rms.max()) > 3 * floor + 1e-4


# An uncovered stretch this long inside one VAD speech chunk is speech Whisper skipped, not a pause: VAD keeps
# pauses shorter than its minimum silence (2 s by default) inside a chunk, and pads each chunk by its speech pad
# (under 1 s).
MIN_UNHEARD = 2.0


def speech_chunks(channel: np.ndarray, vad: VadOptions | None = None, rate: int = 16000) -> list[dict]:
    """Silero VAD's speech chunks of ``channel`` ({"start", "end"} in samples), as faster-whisper's vad_filter
    finds them with ``vad`` (faster-whisper's defaults when None)."""
    return get_speech_timestamps(channel, vad or VadOptions(), rate)


def unheard_speech(channel: np.ndarray, heard: list[tuple[float, float]], vad: VadOptions | None = None,
                   min_gap: float = MIN_UNHEARD, rate: int = 16000,
                   chunks: list[dict] | None = None) -> list[tuple[float, float]]:
    """Stretches (start, end) in seconds where VAD hears speech on ``channel`` (``chunks`` when already found),
    no interval of ``heard`` (the decoded words) overlaps, the stretch lasts at least ``min_gap`` s and is louder
    than the line noise."""
    spans = sorted(heard)
    floor = noise_floor(channel)
    found = []
    for chunk in speech_chunks(channel, vad, rate) if chunks is None else chunks:
        start, end = chunk["start"] / rate, chunk["end"] / rate
        t = start
        for s, e in [*((s, e) for s, e in spans if e > start and s < end), (end, end)]:
            if s - t >= min_gap and has_speech_energy(channel, t, s, floor, rate):
                found.append((t, s))
            t = max(t, e)
    return found


MIN_UNPLACED_RUN = 3  # consecutive words Whisper could not place in time (zero length) that are dropped


def drop_unplaced(words: list) -> list:
    """``words`` (with ``start``/``end``) without runs of ``MIN_UNPLACED_RUN`` or more zero-length words: word
    alignment pins text it cannot find in the audio to one instant, typically at the end of a window Whisper left
    early, often tens of seconds after the words were said; the speech there is decoded again by the skipped-speech
    guard instead."""
    out, run = [], []
    for word in words:
        if word.end - word.start < 0.01:
            run.append(word)
            continue
        out.extend(run if len(run) < MIN_UNPLACED_RUN else ())
        run = []
        out.append(word)
    out.extend(run if len(run) < MIN_UNPLACED_RUN else ())
    return out

