"""Choosing an utterance's reading: the pure rule here; on real audio in test_pipeline.py."""

from assistant.asr.choose import Reading, choose


def _scores(table):
    return lambda texts: [table[t] for t in texts]


def test_the_first_reading_stays_unless_another_beats_it_by_the_margin():
    readings = [Reading("我在市三院", "snap")]
    audio = _scores({"我在十三月": -10.0, "我在市三院": -9.0})
    assert choose("我在十三月", readings, audio, None, 0.0, {"snap": 0.5}) == Reading("我在市三院", "snap")
    assert choose("我在十三月", readings, audio, None, 0.0, {"snap": 2.0}) == Reading("我在十三月", "first")


def test_the_language_model_tips_a_choice_the_audio_leaves_open():
    readings = [Reading("我在市三院", "snap")]
    audio = _scores({"我在十三月": -10.0, "我在市三院": -10.2})
    centre = {"我在十三月": -30.0, "我在市三院": -20.0}.get
    assert choose("我在十三月", readings, audio, None, 0.0, {}).source == "first"
    assert choose("我在十三月", readings, audio, centre, 0.5, {}) == Reading("我在市三院", "snap")


def test_nothing_is_scored_when_no_reading_differs():
    def never(_texts):
        raise AssertionError("scored")

    assert choose("好的", [Reading("好的", "plain"), Reading("", "nbest")], never, None, 0.0, {}).text == "好的"


def test_of_several_readings_the_best_scoring_one_wins_and_keeps_its_source():
    readings = [Reading("甲", "plain"), Reading("乙", "nbest"), Reading("丙", "snap")]
    audio = _scores({"丁": -5.0, "甲": -4.0, "乙": -1.0, "丙": -3.0})
    assert choose("丁", readings, audio, None, 0.0, {}) == Reading("乙", "nbest")
    # each source has its own margin: the n-best reading must win by more than the others
    assert choose("丁", readings, audio, None, 0.0, {"nbest": 5.0}) == Reading("丙", "snap")
