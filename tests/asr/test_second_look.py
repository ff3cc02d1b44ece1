"""The second look at a broken phone number: real n-best decoding of a real dev-call turn."""

import re

import pytest

from assistant.asr import second_look
from assistant.audio.load import SAMPLE_RATE, load_audio
from tests.conftest import CORPUS


def test_nbest_gives_distinct_readings_best_first(transcriber, phone_turn):
    samples, turn, _ = phone_turn
    clip = samples[int(turn["start"] * SAMPLE_RATE) : int(turn["end"] * SAMPLE_RATE)]
    readings = second_look.nbest(transcriber.model, clip, "zh", 4)
    assert len(readings) == 4
    assert len(set(readings)) > 1
    assert all(re.search(r"[\u4e00-\u9fff]", r) for r in readings)


def _dropped(number: str, i: int) -> str:
    return number[:i] + number[i + 1 :]


def test_dropped_digit_is_recovered_from_the_nbest(transcriber, phone_turn):
    samples, turn, number = phone_turn
    # The utterance as the pipeline cuts it from the whole call (71.58-77.90 s); its first reading drops the
    # seventh digit. Only the number is taken from the n-best readings, the rest of the text stays as it was.
    heard = turn["text"].replace(number, _dropped(number, 6))
    assert transcriber.recheck_phone(heard, samples, 71.58, 77.90) == turn["text"]


def test_no_second_look_without_a_broken_number(phone_turn):
    samples, turn, number = phone_turn

    def never(clip):
        raise AssertionError("decoded although nothing was broken")

    text = f"电话{number}。"
    assert second_look.fix_phone(text, samples, turn["start"], turn["end"], never, str) == text
    assert second_look.fix_phone("您好，请讲。", samples, turn["start"], turn["end"], never, str) == "您好，请讲。"


@pytest.mark.parametrize(
    ("heard", "some", "none"),
    [
        ("1392047586", ["13920475861", "13920477586", "11392047586"], ["1392047586", "23920475861"]),  # one short
        ("139204758612", ["13920475861", "39204758612"], ["1392047586", "139204758612"]),  # one long
        ("139204758", [], []),  # two short: not repaired
    ],
)
def test_repairs_are_the_valid_numbers_one_digit_away(heard, some, none):
    found = second_look.repairs(heard)
    assert all(re.fullmatch(r"1[3-9]\d{9}", n) for n in found)
    assert set(some) & set(found) == {n for n in some if re.fullmatch(r"1[3-9]\d{9}", n)}
    assert not set(none) & set(found)
    assert (found == []) == (not some)


def test_forced_reading_prefers_what_was_said(transcriber, phone_turn):
    samples, turn, number = phone_turn
    clip = samples[int(71.58 * SAMPLE_RATE) : int(77.90 * SAMPLE_RATE)]
    said = turn["text"]
    wrong = said.replace(number, f"{number[:4]}{(int(number[4]) + 5) % 10}{number[5:]}")
    right, other = second_look.likelihoods(transcriber.model, clip, [said, wrong], "zh")
    assert right > other


@pytest.fixture(scope="module")
def a21_caller(dev_calls):
    """The caller's side of a21, the turn that gives the phone number, and the number."""
    call = dev_calls["a21"]
    number = call["ticket"]["phone"]
    turn = next(t for t in call["turns"] if number in re.sub(r"\D", "", t["text"]))
    return load_audio(CORPUS / "dev" / call["audio"]).channels[1], turn["text"], number


def test_a_number_no_reading_has_is_repaired_by_forced_reading(transcriber, a21_caller):
    samples, said, number = a21_caller
    # The utterance as the pipeline cuts it (77.72-85.96 s): beam search dropped one of a pair of repeated
    # digits and none of the 8 best readings has it.
    short = _dropped(number, next(i for i in range(10) if number[i] == number[i + 1]))
    heard = said.replace(number, short)

    def no_valid_reading(clip):
        return [f"手机{short}。"]

    fixed = second_look.fix_phone(heard, samples, 77.72, 85.96, no_valid_reading, str, transcriber._likelihoods)
    assert fixed == said
    assert second_look.fix_phone(heard, samples, 77.72, 85.96, no_valid_reading, str) == heard  # without scoring


@pytest.mark.parametrize(
    ("before", "after", "guessed"),
    [
        ("电话1392047586。", "电话13920475861。", ("13920475861",)),  # a digit restored
        ("电话13920475861。", "电话13920475861。", ()),  # nothing changed
        ("您好，请讲。", "您好，请讲。", ()),
        ("电话13800138800，再说一遍1380013880。", "电话13800138800，再说一遍13800138800。", ()),  # heard once already
    ],
)
def test_new_numbers_are_the_ones_a_second_look_put_in(before, after, guessed):
    assert second_look.new_numbers(before, after) == guessed


def test_a_guessed_number_survives_the_transcript_json():
    from assistant.transcript.model import Segment, Transcript

    segment = Segment("caller", 1.0, 2.0, "电话13920475861。", 0.8, guessed=("13920475861",))
    plain = Segment("op", 2.5, 3.0, "好的。", 0.9)
    data = Transcript("t", "t.wav", 3.0, "op-left", (segment, plain)).to_dict()
    assert "guessed" not in data["segments"][1]
    assert Transcript.from_dict(data).segments == (segment, plain)
