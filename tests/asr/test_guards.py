import numpy as np
import pytest

from assistant.asr.guards import collapse_loops, has_speech_energy, noise_floor, strip_hallucinations


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
