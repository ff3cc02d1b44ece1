"""The real pipeline on short real clips: speakers, turn order, Simplified Chinese, digits, guards."""

import os

import numpy as np
import opencc
import pytest
from rapidfuzz.distance import Levenshtein

from assistant.asr.pipeline import plan_tracks
from assistant.audio.load import SAMPLE_RATE, Audio, load_audio
from assistant.errors import AudioError
from tests.audio.test_load import write_audio
from tests.conftest import CORPUS

T2S = opencc.OpenCC("t2s")


def _cut_call(call: dict, seconds: float, path):
    """The first ``seconds`` of a dev call as an 8 kHz stereo WAV, like a PBX recording."""
    audio = load_audio(CORPUS / "dev" / call["audio"])
    n = int(seconds * SAMPLE_RATE)
    stereo = np.stack([c[:n] for c in audio.channels])[:, ::2]  # back to 8 kHz
    write_audio(path, stereo, 8000, "pcm_s16le")
    return path


@pytest.fixture(scope="module")
def call_clip(tmp_path_factory, dev_calls):
    call = dev_calls["a01"]
    end = call["turns"][2]["end"] + 0.3  # operator greeting, caller's complaint, operator's answer
    return call, _cut_call(call, end, tmp_path_factory.mktemp("clips") / "a01-start.wav")


@pytest.fixture(scope="module")
def call_transcript(transcriber, call_clip):
    return transcriber.transcribe_file(call_clip[1])


def test_stereo_call_gives_labelled_turns_in_order(call_transcript, call_clip):
    call, _ = call_clip
    assert call_transcript.channels == "op-left"
    speakers = [s.speaker for s in call_transcript.segments]
    collapsed = [sp for i, sp in enumerate(speakers) if i == 0 or speakers[i - 1] != sp]
    assert collapsed == ["op", "caller", "op"]
    starts = [s.start for s in call_transcript.segments]
    assert starts == sorted(starts)
    for turn in call["turns"][:3]:
        said = "".join(s.text for s in call_transcript.segments if s.speaker == turn["spk"]
                       and turn["start"] - 1 <= s.start <= turn["end"])
        assert Levenshtein.normalized_distance(said, turn["text"]) < 0.5, (said, turn["text"])


def test_both_sides_at_once_give_what_one_side_after_the_other_gives(transcriber, directory, call_clip,
                                                                    call_transcript):
    from dataclasses import replace

    from assistant.asr.pipeline import Transcriber

    assert transcriber.options.parallel_channels and transcriber.workers == min(2, os.cpu_count() or 1)
    one_by_one = Transcriber(replace(transcriber.options, parallel_channels=False), directory, model=transcriber.model)
    serial = one_by_one.transcribe_file(call_clip[1])
    assert [(s.speaker, s.start, s.text) for s in serial.segments] == \
           [(s.speaker, s.start, s.text) for s in call_transcript.segments]


def test_output_is_simplified_punctuated_with_confidence(call_transcript):
    text = call_transcript.text
    assert T2S.convert(text) == text
    assert "。" in text or "？" in text
    for seg in call_transcript.segments:
        assert 0.0 < seg.confidence <= 1.0
        assert seg.words and seg.words[0].start >= seg.start - 0.01 and seg.words[-1].end <= seg.end + 0.01


def test_staff_number_comes_out_as_digits_and_hotline_name_is_right(call_transcript):
    greeting = call_transcript.segments[0].text
    assert "卫生健康热线" in greeting
    assert "工号" in greeting
    assert sum(ch.isdigit() for ch in greeting.split("工号")[1][:4]) >= 3, greeting


@pytest.mark.parametrize("clip", ["BAC009S0150W0085", "BAC009S0150W0103"])
def test_spoken_phone_number_becomes_digits(transcriber, aishell_refs, clip):
    expected = aishell_refs[clip].strip("\ufeff").translate(str.maketrans("零一二三四五六七八九", "0123456789"))
    transcript = transcriber.transcribe_file(CORPUS / "aishell/audio" / f"{clip}.flac")
    assert transcript.channels == "mono"
    assert not set(transcript.text) & set("零〇一二三四五六七八九幺"), transcript.text  # every digit as a digit
    digits = "".join(ch for ch in transcript.text if ch.isdigit())
    # How many digits Whisper base hears depends on the CPU's int8 kernels: on one machine this clip gives all
    # eleven, on another it drops the last three (13515082). The digits it does hear must be the spoken ones.
    assert len(digits) >= 8 and Levenshtein.distance(digits, expected) <= 3, (transcript.text, expected)


def test_silence_gives_no_text(transcriber, tmp_path):
    rng = np.random.default_rng(1)
    noise = (rng.standard_normal((2, 8000 * 8)) * 0.003).astype(np.float32)  # 8 s of line hiss, both sides
    noise[1] *= 0.5
    path = tmp_path / "hiss.wav"
    write_audio(path, noise, 8000, "pcm_s16le")
    transcript = transcriber.transcribe_file(path)
    assert transcript.text == ""


def test_mono_recording_cannot_be_split_by_channel():
    audio = Audio(path=CORPUS / "x.wav", channels=(np.zeros(16000, np.float32),), source_rate=8000)
    with pytest.raises(AudioError, match="单声道"):
        plan_tracks(audio, "op-left")
    assert plan_tracks(audio, "auto")[0] == "mono"


def test_operator_on_the_right_swaps_speakers():
    left, right = np.ones(16000, np.float32), np.zeros(16000, np.float32)
    right[::2] = 0.5
    audio = Audio(path=CORPUS / "x.wav", channels=(left, right), source_rate=8000)
    layout, tracks = plan_tracks(audio, "op-right")
    assert layout == "op-right"
    assert tracks[0].speaker == "op" and tracks[0].samples is right


def test_identical_channels_are_treated_as_mono():
    rng = np.random.default_rng(2)
    signal = rng.standard_normal(16000).astype(np.float32)
    audio = Audio(path=CORPUS / "x.wav", channels=(signal, signal.copy()), source_rate=8000)
    assert plan_tracks(audio, "auto")[0] == "mono"


def test_speech_whisper_skipped_is_decoded_again(transcriber, aishell_refs):
    clip = "BAC009S0150W0103"
    samples = load_audio(CORPUS / "aishell/audio" / f"{clip}.flac").channels[0]
    heard = transcriber.fill_unheard(samples, [])  # as if Whisper had ended the window before this speech
    assert heard and all(a.start <= b.start for a, b in zip(heard, heard[1:], strict=False))
    text = T2S.convert("".join(w.text for w in heard))
    reference = aishell_refs[clip].strip("\ufeff")
    digits = str.maketrans("0123456789", "零一二三四五六七八九")
    assert Levenshtein.normalized_distance(text.translate(digits), reference) < 0.35, (text, reference)
    assert transcriber.fill_unheard(samples, heard) == heard  # nothing left unheard: unchanged


def test_speech_still_unheard_after_decoding_it_again_is_decoded_once_more(transcriber, dev_calls, monkeypatch):
    from assistant.asr import pipeline
    from assistant.asr.options import AsrOptions

    # faster-whisper's own 400 ms VAD pad: with it this clip shows the failure (with 800 ms, one decode gets it all)
    transcriber = pipeline.Transcriber(AsrOptions(vad_speech_pad_ms=400, correct_homophones=False),
                                       model=transcriber.model)

    call = dev_calls["a19"]
    turns = [t for t in call["turns"] if t["spk"] == "op"]
    readback = max(turns, key=lambda t: t["end"] - t["start"])
    start = turns[turns.index(readback) - 1]["start"] - 0.3  # from the operator's question before it
    operator = load_audio(CORPUS / "dev" / call["audio"]).channels[0]
    samples = operator[int(start * SAMPLE_RATE) : int((readback["end"] + 0.5) * SAMPLE_RATE)]

    def han(text):  # Simplified Chinese characters only
        return "".join(c for c in T2S.convert(text) if "\u4e00" <= c <= "\u9fff")

    def heard_text(words):
        return han("".join(w.text for w in words))

    reference = han(readback["text"])

    # Decoded alone after the question, the 19 s read-back comes out as its first sentence (好女士，我记录一下).
    monkeypatch.setattr(pipeline, "UNHEARD_ROUNDS", 1)
    once = heard_text(transcriber.fill_unheard(samples, []))
    monkeypatch.setattr(pipeline, "UNHEARD_ROUNDS", 3)
    again = heard_text(transcriber.fill_unheard(samples, []))
    assert len(once) < 0.3 * len(reference) < len(again), (once, again)
    assert Levenshtein.normalized_distance(again, reference) < 0.5, (again, reference)


def test_words_keep_the_time_they_were_said_after_vad_drops_the_silence(transcriber, aishell_refs):
    """The pipeline joins the VAD speech chunks itself (found once per channel) and maps times back."""
    from assistant.asr import guards

    clip = load_audio(CORPUS / "aishell/audio/BAC009S0150W0103.flac").channels[0]
    silence = np.zeros(3 * SAMPLE_RATE, dtype=np.float32)
    samples = np.concatenate([silence, clip, silence, clip])
    second = (2 * len(silence) + len(clip)) / SAMPLE_RATE  # where the clip is said again
    chunks = guards.speech_chunks(samples)
    assert len(chunks) == 2
    words = list(transcriber._decode_words(samples, None, chunks))
    first_half = [w for w in words if w.start < second - 1]
    second_half = [w for w in words if w.start >= second - 0.5]
    assert first_half and second_half and len(first_half) + len(second_half) == len(words)
    assert first_half[0].start >= 3 - 0.5 and first_half[-1].end <= second - 3 + 0.5
    for w in words:  # every word inside a chunk, in the recording's own time
        assert any(c["start"] / SAMPLE_RATE - 0.05 <= w.start <= c["end"] / SAMPLE_RATE + 0.05 for c in chunks)
    assert Levenshtein.normalized_distance("".join(w.text for w in first_half),
                                           "".join(w.text for w in second_half)) < 0.2


def test_arabic_digit_tokens_are_exactly_the_tokens_with_digits(transcriber):
    from assistant.asr.model import arabic_digit_tokens

    tokenizer = transcriber.model.hf_tokenizer
    ids = arabic_digit_tokens(transcriber.model)
    assert all(any(c.isdigit() for c in tokenizer.decode([i])) for i in ids)
    assert {tokenizer.decode([i]).strip() for i in ids} >= {"0", "9", "12", "00"}  # multi-digit tokens too
    assert not any(tokenizer.decode([i]) in ("医", "一", "电话") for i in ids)
    assert transcriber.suppress_tokens == [-1, *ids]


def test_digits_are_decoded_as_characters_and_come_out_as_a_number(transcriber, phone_turn):
    """The caller saying a phone number: Whisper writes no Arabic digit, the clean-up turns its characters into
    the number."""
    import re

    from assistant.text.clean import clean_text

    samples, turn, number = phone_turn
    clip = samples[int((turn["start"] - 0.3) * SAMPLE_RATE) : int((turn["end"] + 0.3) * SAMPLE_RATE)]
    raw = "".join(w.text for w in transcriber._decode_words(clip, None))
    assert not re.search(r"[0-9]", raw), raw
    seconds = len(clip) / SAMPLE_RATE
    text = transcriber.recheck_phone(clean_text(raw, transcriber.cleaner.corrector), clip, 0.3, seconds - 0.3)
    digits = "".join(re.findall(r"\d", text))
    # Whisper base may still mishear a digit or two (重 for 四 on one machine, which the second look mends);
    # the rest must be the number's.
    assert len(digits) >= 9 and Levenshtein.distance(digits, number) <= 2, (raw, digits)


@pytest.fixture(scope="module")
def demo_listener(transcriber):
    """The test model with the demo centre's directory, and the demo call's two sides."""
    from assistant.asr.pipeline import Transcriber
    from assistant.demo import DEMO_CALL, DEMO_UNITS
    from assistant.lexicon.units import load_units

    listener = Transcriber(transcriber.options, load_units(DEMO_UNITS), model=transcriber.model)
    _layout, tracks = plan_tracks(load_audio(DEMO_CALL), "auto")
    return listener, {t.speaker: t.samples for t in tracks}


def test_a_name_too_far_off_to_snap_on_text_alone_is_put_right_when_the_audio_agrees(demo_listener):
    from assistant.transcript.model import Word

    listener, sides = demo_listener
    heard = "好的，这个工单我们转给林乡续第二人民医院处理"  # the city's name misheard beyond what the text may snap
    assert "临江市" not in listener.clean(heard)
    text, _ = listener.text_of(sides["op"], [Word(51.6, 57.9, heard, 0.9)])
    assert "临江市第二人民医院" in text


def test_a_reading_the_audio_does_not_support_is_left_alone(demo_listener):
    from assistant.transcript.model import Word

    listener, sides = demo_listener
    said = "好的，您慢慢说，孩子现在情况怎么样？"  # said as written: no name to put in, nothing to re-decode
    assert listener.text_of(sides["op"], [Word(16.2, 20.0, said, 0.9)])[0] == said
