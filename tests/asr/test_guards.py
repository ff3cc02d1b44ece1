import numpy as np
import pytest

from assistant.asr.guards import has_speech_energy, noise_floor, unheard_speech
from assistant.text.hallucinations import collapse_loops, strip_hallucinations


@pytest.mark.parametrize(
    "credit",
    ["字幕由Amara.org社区提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", "谢谢观看", "中文字幕提供"],
)
def test_subtitle_credits_are_dropped(credit):
    assert strip_hallucinations(credit) == ""


@pytest.mark.parametrize(
    "speech", ["您好，请问有什么可以帮您？", "我要投诉一下", "谢谢你啊", "字要写清楚"]
)
def test_real_speech_is_kept(speech):
    assert strip_hallucinations(speech) == speech


@pytest.mark.parametrize(
    ("looped", "expected"),
    [
        ("我要找临江市场监临江市场监临江市场监临江市场监临江市场监", "我要找临江市场监"),
        ("1.1.1.1.1.1.1.1.1.1.", "1."),
        ("啊啊啊啊啊啊啊啊啊", "啊"),
        ("对对对", "对对对"),  # three in a row is speech
        ("好的好的好的", "好的好的好的"),
    ],
)
def test_repetition_loops_are_collapsed(looped, expected):
    assert collapse_loops(looped) == expected


def test_energy_guard_tells_speech_from_line_noise():
    rng = np.random.default_rng(0)
    channel = (rng.standard_normal(16000 * 4) * 0.005).astype(np.float32)
    t = np.arange(16000) / 16000
    channel[16000:32000] += (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    floor = noise_floor(channel)
    assert has_speech_energy(channel, 1.0, 2.0, floor)
    assert not has_speech_energy(channel, 2.5, 3.5, floor)


def _speech_between_hiss():
    from assistant.audio.load import load_audio
    from tests.conftest import CORPUS

    clip = "BAC009S0150W0103"  # a mobile number read out, about 5 s
    speech = load_audio(CORPUS / "aishell/audio" / f"{clip}.flac").channels[0]
    rng = np.random.default_rng(2)
    hiss = (rng.standard_normal(16000 * 3) * 0.002).astype(np.float32)
    return np.concatenate([hiss, speech, hiss]), len(speech) / 16000


def test_unheard_speech_is_found_where_no_word_covers_it():
    channel, seconds = _speech_between_hiss()
    assert seconds > 3.5
    assert unheard_speech(channel, [(3.0, 3.0 + seconds)]) == []
    gaps = unheard_speech(channel, [(3.0, 4.0)])  # only the first second was heard
    assert len(gaps) == 1
    start, end = gaps[0]
    assert start == 4.0 and abs(end - (3.0 + seconds)) < 0.6
    assert unheard_speech(channel, [(3.0, 3.0 + seconds - 1.5)]) == []  # a tail under 2 s is a pause


def test_line_noise_alone_is_never_unheard_speech():
    rng = np.random.default_rng(3)
    hiss = (rng.standard_normal(16000 * 10) * 0.003).astype(np.float32)
    assert unheard_speech(hiss, []) == []


def test_runs_of_words_whisper_could_not_place_in_time_are_dropped():
    from assistant.asr.guards import drop_unplaced
    from assistant.transcript.model import Word

    placed = [Word(1.0, 1.3, "好", 0.9), Word(1.3, 1.6, "的", 0.9)]
    pinned = [Word(9.0, 9.0, c, 0.5) for c in "我记录一下"]  # all pinned to one instant
    assert drop_unplaced([*placed, *pinned]) == placed
    short_run = [*placed, *pinned[:2], Word(9.0, 9.4, "了", 0.8)]  # two alone are kept
    assert drop_unplaced(short_run) == short_run


def test_vad_settings_of_the_options_reach_silero():
    from assistant.asr.guards import speech_chunks
    from assistant.asr.options import AsrOptions
    from assistant.audio.load import SAMPLE_RATE, load_audio
    from tests.conftest import CORPUS

    clip = load_audio(CORPUS / "aishell/audio/BAC009S0150W0103.flac").channels[0]
    silence = np.zeros(3 * SAMPLE_RATE, dtype=np.float32)
    samples = np.concatenate([silence, clip, silence])
    narrow = speech_chunks(samples, AsrOptions(vad_speech_pad_ms=200).vad)
    wide = speech_chunks(samples, AsrOptions(vad_speech_pad_ms=800).vad)
    assert len(narrow) == len(wide) == 1
    # 600 ms more padding on each side (where the silence leaves room for it)
    assert narrow[0]["start"] - wide[0]["start"] == pytest.approx(0.6 * SAMPLE_RATE, abs=1)
    assert wide[0]["end"] - narrow[0]["end"] == pytest.approx(0.6 * SAMPLE_RATE, abs=1)
