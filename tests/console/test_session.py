"""The call's state: a revised text takes the place of the committed one it revises."""

from __future__ import annotations

import pytest

from assistant.console.session import CallSession
from assistant.live.streaming import LiveSegment


def call_with(*segments: LiveSegment) -> CallSession:
    call = CallSession(call_id="call-t", hotline="12320", operator_id="1187", started_at="2026-12-07T09:00:00")
    for seg in segments:
        call.add_segment(seg)
    return call


HEARD = (LiveSegment("op", 0.4, 3.0, "您好，请讲。", True),
         LiveSegment("caller", 3.5, 7.0, "我想问一下门诊几点开门。", True),
         LiveSegment("op", 7.6, 9.0, "八点开。", True))


@pytest.mark.parametrize("then, changed, texts", [
    # the caller's line revised: in place, nothing added
    (LiveSegment("caller", 3.5, 7.0, "我想问一下门诊几点开门？", True, revised=True), True,
     ["您好，请讲。", "我想问一下门诊几点开门？", "八点开。"]),
    # same start, other speaker: not the same utterance, a revision of nothing here
    (LiveSegment("op", 3.5, 7.0, "请问您贵姓？", True, revised=True), False,
     ["您好，请讲。", "我想问一下门诊几点开门。", "八点开。"]),
    # a revision of an utterance this call never held (the call before)
    (LiveSegment("caller", 30.0, 31.0, "谢谢。", True, revised=True), False,
     ["您好，请讲。", "我想问一下门诊几点开门。", "八点开。"]),
    # a new commit is added in time order
    (LiveSegment("caller", 5.0, 6.0, "还有挂号。", True), True,
     ["您好，请讲。", "我想问一下门诊几点开门。", "还有挂号。", "八点开。"]),
])
def test_a_revision_replaces_the_segment_of_its_speaker_and_start(then, changed, texts):
    call = call_with(*HEARD)
    assert call.add_segment(then) is changed
    assert [s["text"] for s in call.segments] == texts
    assert [s.text for s in call.transcript().segments] == texts


def test_a_revision_survives_the_autosave_round_trip():
    from dataclasses import asdict

    call = call_with(*HEARD, LiveSegment("op", 7.6, 9.0, "八点开门。", True, revised=True))
    again = CallSession.from_dict(asdict(call))
    assert again.segments == call.segments and again.segments[2]["revised"]
    assert again.add_segment(LiveSegment("op", 7.6, 9.0, "早上八点开门。", True, revised=True))
    assert len(again.segments) == 3
