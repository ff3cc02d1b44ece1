"""The read-back and the caller's words reconciled: the stretches found by sound, and the spelling chosen on real
audio by both clips."""

import pytest

from assistant.asr.reconcile import Echo, echoes, respelled
from assistant.transcript.model import Segment, Speaker


def test_a_name_spelled_two_ways_by_sound_is_found_once_at_its_longest():
    assert echoes("您好张立华女士，我核对一下", "我叫张丽华") == [Echo(2, "张立华", 2, "张丽华")]


def test_nothing_is_found_where_the_sounds_differ_or_nothing_is_shared():
    assert echoes("请问您贵姓", "我姓王") == []
    assert echoes("您在城西医院", "我在城西医院") == []  # spelled alike: nothing to choose
    assert echoes("公式", "公事") == []  # two characters: too often two words
    assert echoes("李明亮", "黎鸣谅") == []  # the same sounds without a character in common


def test_respelled_writes_the_other_spelling_in_place():
    assert respelled("您好张立华女士", 2, "张立华", "张丽华") == "您好张丽华女士"
    with pytest.raises(AssertionError):
        respelled("您好张立华女士", 3, "张立华", "张丽华")


def test_both_clips_choose_the_spelling_of_the_unit(transcriber):
    from assistant.asr.pipeline import Transcriber, plan_tracks
    from assistant.audio.load import load_audio
    from assistant.demo import DEMO_CALL, DEMO_UNITS
    from assistant.lexicon.units import load_units

    listener = Transcriber(transcriber.options, load_units(DEMO_UNITS), model=transcriber.model)
    _layout, tracks = plan_tracks(load_audio(DEMO_CALL), "auto")
    sides = {t.speaker: t.samples for t in tracks}
    # The caller names the hospital, the operator reads it back; one side is written with a same-sound character.
    caller = Segment(Speaker.CALLER, 7.5, 15.6, "你好，我想反映一下，昨天下午我在是二院儿科排队", 0.8)
    operator = Segment(Speaker.OPERATOR, 37.9, 48.7, "我核对一下：昨天下午您在市二院儿科就诊", 0.8)
    out = listener.reconcile([operator, caller], sides)
    assert "市二院儿科" in out[0].text and "市二院儿科" in out[1].text
    assert out[0] is operator  # what was already right is the same segment
