"""Revisions of committed live text: the channel's recent audio, the clip's start, the model yielding to live
decodes, and a real read-speech clip through the live transcriber."""

import threading
import time

import numpy as np
import pytest

from assistant.audio.load import SAMPLE_RATE
from assistant.live.revision import MAX_CLIP, AudioRing, clip_start, yielding
from assistant.live.streaming import LiveTranscriber, StreamOptions
from tests.live.test_streaming import _cer, _feed, _quiet, _read_speech


def test_the_ring_gives_the_calls_time_back_and_forgets_what_is_older():
    ring = AudioRing(2.0)
    ramp = np.arange(5 * SAMPLE_RATE, dtype=np.float32)  # each sample's value is its index
    for i in range(0, len(ramp), 1600):
        ring.push(ramp[i : i + 1600])
    offset, clip = ring.clip(3.5, 4.5)
    assert offset == 3.5 and clip[0] == 3.5 * SAMPLE_RATE and len(clip) == SAMPLE_RATE
    offset, clip = ring.clip(1.0, 9.0)  # asked for more than it holds: the last 2 s
    assert offset == 3.0 and clip[0] == 3 * SAMPLE_RATE and clip[-1] == len(ramp) - 1
    ring.push(ramp[: 3 * SAMPLE_RATE])  # a block longer than the ring
    offset, clip = ring.clip(0.0, 99.0)
    assert offset == 6.0 and np.array_equal(clip, ramp[SAMPLE_RATE : 3 * SAMPLE_RATE])


@pytest.mark.parametrize("start, end, context, expected", [
    (20.0, 23.0, 15.0, 5.0),
    (20.0, 23.0, 0.0, 20.0),  # no context asked for
    (4.0, 6.0, 15.0, 0.0),  # the call began less than 15 s before
    (20.0, 33.0, 15.0, 33.3 - MAX_CLIP),  # a long utterance: the clip stays within one window
    (20.0, 20.0 + MAX_CLIP, 15.0, 20.0),  # longer than a window: the utterance alone
])
def test_a_revision_clip_begins_before_the_utterance_and_fits_one_window(start, end, context, expected):
    assert clip_start(start, end, context, tail=0.3) == pytest.approx(expected)


def test_the_model_waits_only_in_a_revisions_thread(transcriber):
    gate = yielding(transcriber.model)
    assert yielding(transcriber.model) is gate and transcriber.model.model is gate
    features = transcriber.model.feature_extractor(np.zeros(SAMPLE_RATE, dtype=np.float32))
    waited = []
    gate.waits[threading.get_ident()] = lambda: waited.append(threading.current_thread().name)
    try:
        transcriber.model.encode(features)
        other = threading.Thread(target=transcriber.model.encode, args=(features,), name="live-asr")
        other.start()
        other.join()
    finally:
        gate.waits.pop(threading.get_ident())
    assert waited == [threading.current_thread().name]
    assert gate.is_multilingual == gate._inner.is_multilingual  # everything else is the model's own


def _two_utterances(first: str, second: str) -> tuple[np.ndarray, float]:
    """Two read sentences of one speaker on one channel, with pauses; and where the second one begins."""
    a, b = _read_speech(first), _read_speech(second)
    quiet = _quiet(a)
    return np.concatenate([quiet, a, quiet, b, quiet]), (2 * len(quiet) + len(a)) / SAMPLE_RATE


# Two sentences of one reader; each alone decodes with errors the file path's decoding hears better.
FIRST, SECOND = "BAC009S0150W0259", "BAC009S0150W0463"


def test_a_revision_replaces_its_commit_in_place_with_its_own_words(transcriber, aishell_refs):
    samples, second_at = _two_utterances(FIRST, SECOND)
    segments = []
    live = LiveTranscriber(transcriber, ("spk",), segments.append, StreamOptions(partial_every=1e9))

    def settle():  # each commit decoded in time, as on a machine that keeps up
        while live.busy:
            time.sleep(0.01)

    _feed(live, samples, settle)
    live.flush()
    live.close()
    commits = [s for s in segments if s.final and not s.revised]
    revisions = [s for s in segments if s.revised]
    assert len(commits) == 2 and live.reviser.done == 2 and revisions
    for revision in revisions:  # the same utterance (speaker, start, end), after its commit
        commit = next(c for c in commits if (c.speaker, c.start, c.end) == (revision.speaker, revision.start,
                                                                             revision.end))
        assert revision.final and revision.text != commit.text and revision.decoded_at > commit.decoded_at
    latest = {s.start: s.text for s in [*commits, *revisions]}  # what the console shows in the end
    (start1, text1), (start2, text2) = sorted(latest.items())
    assert start2 > second_at - 1.0
    # Each revision holds its own sentence and none of the other's words (whether it reads better is measured by
    # bench/live.py on whole calls: on one sentence Whisper's beam may spell a letter differently).
    assert _cer(aishell_refs[FIRST], text1) < 0.6
    # The second sentence was decoded with the first before it: none of the first's words are taken into it.
    assert _cer(aishell_refs[SECOND], text2) < 0.3


def test_close_waits_for_the_revisions_left_even_when_the_decoder_fell_behind(transcriber):
    samples, _ = _two_utterances(FIRST, SECOND)
    segments = []
    live = LiveTranscriber(transcriber, ("spk",), segments.append,
                           StreamOptions(partial_every=1e9, max_backlog=0.0))
    _feed(live, samples)  # far faster than real time: commits queue up, revisions wait behind them
    live.flush()
    live.close()
    done = len(segments)
    commits = [s for s in segments if s.final and s.text and not s.revised]
    assert live.degraded and len(commits) == 2
    assert live.reviser.done == 2 and not live.reviser.pending
    time.sleep(0.5)
    assert len(segments) == done  # nothing comes after close


def test_close_drops_the_revisions_left_when_its_time_is_up(transcriber):
    samples, _ = _two_utterances(FIRST, SECOND)
    segments = []
    live = LiveTranscriber(transcriber, ("spk",), segments.append, StreamOptions(partial_every=1e9))
    _feed(live, samples)
    live.flush()
    live.close(timeout=0.0)
    closed_at = time.monotonic()
    live._worker.join()  # the commits still being decoded come, their revisions do not
    live.reviser._thread.join()
    assert not [s for s in segments if s.revised and s.decoded_at >= closed_at]
    assert len([s for s in segments if s.final and s.text and not s.revised]) == 2


def test_pieces_of_continuous_speech_are_revised_together_beside_the_live_decodes(hotline_home, directory,
                                                                                  aishell_refs):
    from assistant.asr.pipeline import Transcriber
    from assistant.live.revision import YieldingModel

    transcriber = Transcriber(directory=directory, replicas=2)
    a, b = _read_speech(FIRST), _read_speech(SECOND)
    quiet = _quiet(a)
    samples = np.concatenate([quiet, a, b, quiet])  # two sentences read on, each longer than max_utterance
    clips = []
    decode_words = transcriber.decode_words

    def recording_decode_words(clip, *args):
        clips.append(len(clip) / SAMPLE_RATE)
        return decode_words(clip, *args)

    transcriber.decode_words = recording_decode_words
    options = StreamOptions(partial_every=1e9, max_utterance=4.0)
    segments = []
    live = LiveTranscriber(transcriber, ("spk",), segments.append, options)

    def settle():
        while live.busy:
            time.sleep(0.01)

    _feed(live, samples, settle)
    live.flush()
    live.close()
    commits = [s for s in segments if s.final and s.text and not s.revised]
    cut = [c.end - c.start >= options.max_utterance - options.end_silence for c in commits]
    # Each sentence is cut once and ends at a pause: two stretches, each decoded once, whole, its pieces together.
    assert cut == [True, False, True, False] and live.reviser.done == 4
    assert len(clips) == 2 and clips[1] > commits[3].end - commits[2].start
    latest = {s.start: s.text for s in sorted(segments, key=lambda s: s.decoded_at) if s.final}
    reference = aishell_refs[FIRST] + aishell_refs[SECOND]
    first = _cer(reference, "".join(c.text for c in commits))
    assert _cer(reference, "".join(t for _, t in sorted(latest.items()))) < min(0.3, first)
    # Revisions ran on the second replica: nothing made them wait for the live decodes.
    assert transcriber.workers == 2 and not isinstance(transcriber.model.model, YieldingModel)
