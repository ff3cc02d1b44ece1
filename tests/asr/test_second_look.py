"""The second look at a broken phone number: real n-best decoding of a real dev-call turn."""

import re

import pytest

from assistant.asr import second_look
from assistant.audio.load import SAMPLE_RATE, load_audio
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def phone_turn(dev_calls):
    """The caller's turn of a31 that gives the phone number (Whisper base's first reading drops a digit)."""
    call = dev_calls["a31"]
    number = call["ticket"]["phone"]
    turn = next(t for t in call["turns"] if number in re.sub(r"\D", "", t["text"]))
    side = next(k for k, v in call["channels"].items() if v == turn["spk"])
    samples = load_audio(CORPUS / "dev" / call["audio"]).channels[0 if side == "left" else 1]
    return samples, turn, number


def test_nbest_gives_distinct_readings_best_first(transcriber, phone_turn):
    samples, turn, _ = phone_turn
    clip = samples[int(turn["start"] * SAMPLE_RATE) : int(turn["end"] * SAMPLE_RATE)]
    readings = second_look.nbest(transcriber.model, clip, "zh", 4)
    assert len(readings) == 4
    assert len(set(readings)) > 1
    assert all(re.search(r"[\u4e00-\u9fff]", r) for r in readings)


def test_dropped_digit_is_recovered_from_the_nbest(transcriber, phone_turn):
    samples, _, number = phone_turn
    # The utterance as the pipeline cuts it from the whole call (71.58-77.90 s); its first reading drops the 4.
    heard = "历新、熊猫的熊立正的力心救的心电话1396825107。"
    assert transcriber.recheck_phone(heard, samples, 71.58, 77.90) == f"历新、熊猫的熊立正的力心救的心电话{number}。"


def test_no_second_look_without_a_broken_number(phone_turn):
    samples, turn, _ = phone_turn

    def never(clip):
        raise AssertionError("decoded although nothing was broken")

    text = "电话13968245107。"
    assert second_look.fix_phone(text, samples, turn["start"], turn["end"], never, str) == text
    assert second_look.fix_phone("您好，请讲。", samples, turn["start"], turn["end"], never, str) == "您好，请讲。"
