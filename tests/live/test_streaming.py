"""The live decoder: the endpointer's early decode (tentative, then confirm or resume) and the encoder window
of each kind of decode."""

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from assistant.audio.load import SAMPLE_RATE, load_audio
from assistant.live.endpoint import FRAME, Endpointer
from assistant.live.streaming import LiveTranscriber, StreamOptions
from tests.conftest import CORPUS


def test_encoder_window_is_the_utterance_and_2_s_unless_whispers_30_s_is_asked_for(transcriber, monkeypatch):
    audio = load_audio(CORPUS / "aishell" / "audio" / "BAC009S0150W0001.flac").channels[0]
    frames_seen = []
    encode = transcriber.model.encode

    def recording_encode(features):
        frames_seen.append(features.shape[-1])
        return encode(features)

    monkeypatch.setattr(transcriber.model, "encode", recording_encode)
    frames = len(audio) // 160
    full = StreamOptions(encoder_pad=None)  # Whisper's padded window for commits, a short one for partials
    for options, final, expected in ((StreamOptions(), True, frames + 200),  # a commit: the utterance and 2 s
                                     (StreamOptions(), False, frames + 200),  # a partial too
                                     (StreamOptions(encoder_min=10.0), True, 1000),
                                     (full, True, 3000),
                                     (full, False, 1000),  # a partial 10 s
                                     (replace(full, partial_window=1.0), False, frames + 100),
                                     (replace(full, partial_window=None), False, 3000)):
        live = LiveTranscriber(transcriber, ("spk",), lambda segment: None, options)
        frames_seen.clear()
        text = live._decode(audio, final=final)
        live.close()
        assert text and frames_seen and all(abs(n - expected) <= 1 for n in frames_seen), (options, final)


def test_a_live_decode_is_bounded_no_fallback_and_tokens_by_length(transcriber, monkeypatch):
    audio = load_audio(CORPUS / "aishell" / "audio" / "BAC009S0150W0001.flac").channels[0]
    calls = []
    transcribe = transcriber.model.transcribe

    def recording_transcribe(samples, **kwargs):
        calls.append(kwargs)
        return transcribe(samples, **kwargs)

    monkeypatch.setattr(transcriber.model, "transcribe", recording_transcribe)
    live = LiveTranscriber(transcriber, ("spk",), lambda segment: None, StreamOptions(max_tokens_per_second=12.0))
    text = live._decode(audio, final=True)
    live.close()
    seconds = len(audio) / SAMPLE_RATE
    assert text
    assert calls[0]["temperature"] == 0.0 and calls[0]["max_new_tokens"] == int(12.0 * seconds) + 20


def _bursts(*parts: tuple[str, float], seed: int = 0) -> np.ndarray:
    """Line noise with loud stretches: ('noise'|'loud', seconds) parts at 16 kHz."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0, 0.3 if kind == "loud" else 0.003, int(seconds * SAMPLE_RATE))
                           for kind, seconds in parts]).astype(np.float32)


def _events(options: StreamOptions, samples: np.ndarray) -> list[tuple[str, float, float, np.ndarray | None]]:
    endpointer, events = Endpointer(options), []
    for i in range(0, len(samples), SAMPLE_RATE // 10):
        events += endpointer.push(samples[i : i + SAMPLE_RATE // 10], i / SAMPLE_RATE)
    return [e for e in events if e[0] != "partial"]


def test_a_pause_is_decoded_early_and_confirmed_or_resumed():
    samples = _bursts(("noise", 1.0), ("loud", 1.0), ("noise", 0.4), ("loud", 1.0), ("noise", 1.0))
    events = _events(StreamOptions(early_silence=0.25, end_silence=0.6), samples)
    assert [e[0] for e in events] == ["tentative", "resume", "tentative", "confirm"]
    (_, start1, end1, early1), _, (_, start2, end2, early2), (_, start3, end3, ended) = events
    assert start1 == start2 == start3 and abs(end1 - 2.0) < 0.05 and abs(end2 - 3.4) < 0.05 and abs(end3 - end2) < 1e-6
    # The early audio is as long as what the end of the utterance hands over: the pause repeated to 0.6 s.
    assert abs(len(early2) - len(ended)) <= FRAME and len(early1) < len(early2)
    assert [e[0] for e in _events(StreamOptions(early_silence=None, end_silence=0.6), samples)] == ["final"]


def test_no_partial_is_decoded_when_the_forced_commit_comes_sooner_than_the_next_one():
    samples = _bursts(("noise", 1.0), ("loud", 4.5), ("noise", 1.0))
    endpointer, events = Endpointer(StreamOptions(partial_every=1.2, max_utterance=4.0)), []
    for i in range(0, len(samples), SAMPLE_RATE // 10):
        events += endpointer.push(samples[i : i + SAMPLE_RATE // 10], i / SAMPLE_RATE)
    kind, start, end, _ = next(e for e in events if e[0] != "partial")
    assert kind == "final" and abs(end - start - 4.0) < 0.05  # the forced commit of the first 4 s
    # Every 1.2 s of new speech (after 0.3 s of pre-roll), but not at 3.9 s: the commit came sooner.
    assert [round(e - s, 1) for k, s, e, _ in events if k == "partial" and e <= end] == [1.5, 2.7]


def _read_speech(clip: str) -> np.ndarray:
    return load_audio(CORPUS / "aishell" / "audio" / f"{clip}.flac").channels[0]


def _feed(live: LiveTranscriber, samples: np.ndarray, settle=lambda: None) -> None:
    for i in range(0, len(samples), SAMPLE_RATE // 10):
        live.feed(samples[None, i : i + SAMPLE_RATE // 10])
        settle()


@pytest.mark.parametrize("wait_for_decode", [False, True])
def test_early_decode_is_committed_once_whether_it_finishes_before_or_after_the_pause_ends(
        transcriber, aishell_refs, wait_for_decode):
    speech, reference = _read_speech("BAC009S0150W0193"), aishell_refs["BAC009S0150W0193"]
    quiet = _quiet(speech)
    segments, threads = [], []

    def collect(segment):
        segments.append(segment)
        threads.append(threading.current_thread().name)

    live = LiveTranscriber(transcriber, ("spk",), collect, StreamOptions(partial_every=1e9, revise_context=None))

    def settle():  # the decode finishes inside the pause, before the endpointer confirms it
        while wait_for_decode and live.busy:
            time.sleep(0.01)

    _feed(live, np.concatenate([quiet, speech, quiet]), settle)
    live.flush()
    live.close()
    finals = [i for i, s in enumerate(segments) if s.final]
    assert len(finals) == 1
    assert _cer(reference, segments[finals[0]].text) < 0.3
    # Decoded in time, the early text is committed at the pause's end by the feeding thread, with no decode
    # after it; still decoding then, it is committed by the worker when done.
    assert (threads[finals[0]] == threading.current_thread().name) == wait_for_decode


def test_speech_after_an_early_decode_goes_into_the_same_utterance(transcriber, aishell_refs):
    # Read with a 0.4 s pause after 收入群体的救助.
    speech, reference = _read_speech("BAC009S0150W0205"), aishell_refs["BAC009S0150W0205"]
    samples = np.concatenate([_quiet(speech), speech, _quiet(speech)])
    assert [e[0] for e in _events(StreamOptions(), samples)] == ["tentative", "resume", "tentative", "confirm"]
    segments = []
    live = LiveTranscriber(transcriber, ("spk",), segments.append,
                           StreamOptions(partial_every=1e9, revise_context=None))
    _feed(live, samples)
    live.flush()
    live.close()
    finals = [s for s in segments if s.final]
    assert len(finals) == 1 and _cer(reference, finals[0].text) < 0.3


def _quiet(speech: np.ndarray, seconds: float = 1.0) -> np.ndarray:
    """A second of line noise at the recording's own noise level."""
    frames = np.sqrt((speech[: len(speech) // FRAME * FRAME].reshape(-1, FRAME) ** 2).mean(axis=1))
    rng = np.random.default_rng(len(speech))
    return rng.normal(0, np.percentile(frames, 10), int(seconds * SAMPLE_RATE)).astype(np.float32)


def _cer(reference: str, hypothesis: str) -> float:
    from rapidfuzz.distance import Levenshtein

    strip = "，。？！、 "
    hyp = "".join(c for c in hypothesis if c not in strip)
    return Levenshtein.distance(reference, hyp) / len(reference)


@pytest.mark.parametrize("max_backlog, degraded", [(0.0, True), (60.0, False)])
def test_a_call_is_marked_degraded_when_a_decode_waits_too_long_and_loses_no_utterance(
        transcriber, max_backlog, degraded):
    speech = _read_speech("BAC009S0150W0193")
    samples = np.concatenate([_quiet(speech), speech, _quiet(speech), speech, _quiet(speech)])
    segments, statuses = [], []
    live = LiveTranscriber(transcriber, ("spk",), segments.append,
                           StreamOptions(max_backlog=max_backlog, revise_context=None), on_status=statuses.append)
    _feed(live, samples)  # much faster than real time: the second utterance ends while the first is decoding
    live.flush()
    live.close()
    assert live.degraded == degraded and len(statuses) == int(degraded)
    assert len([s for s in segments if s.final and s.text]) == 2
