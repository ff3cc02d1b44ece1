"""Fixtures of the speech tests: a real dev-call turn with a phone number."""

import re

import pytest

from assistant.audio.load import load_audio
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def phone_turn(dev_calls):
    """The caller's turn of a31 that gives the phone number (Whisper base's first reading drops a digit):
    (that side's samples, the gold turn, the number)."""
    call = dev_calls["a31"]
    number = call["ticket"]["phone"]
    turn = next(t for t in call["turns"] if number in re.sub(r"\D", "", t["text"]))
    side = next(k for k, v in call["channels"].items() if v == turn["spk"])
    samples = load_audio(CORPUS / "dev" / call["audio"]).channels[0 if side == "left" else 1]
    return samples, turn, number
