"""The corrections learning reads from the store: the call's text as drafting reads it, the confirmed label.

On a real SQLite file and on PostgreSQL (the store's fixture).
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from assistant.draft.text import turns_of
from assistant.store.corrections import CLEARED, UNKNOWN_LABEL, correction_examples
from assistant.store.edits import update_ticket
from assistant.store.tickets import add_call, create_ticket, get
from assistant.transcript.model import Segment, Speaker, Transcript

LABELS = ("一般", "紧急")
T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
CALL = Transcript(id="call-1", source="", duration=9.0, channels="op-left", segments=(
    Segment(Speaker.OPERATOR, 0.0, 2.0, "您好，健康热线，工号1027。", 0.9),
    Segment(Speaker.CALLER, 2.0, 5.0, "我家老人摔倒了，", 0.9),
    Segment(Speaker.CALLER, 5.0, 7.0, "头上一直流血，電話是一三九。", 0.9),
    Segment(Speaker.OPERATOR, 7.0, 9.0, "好的，马上通知。", 0.9),
))


def file(session, values, drafted, *, call=None, at=T0):
    ticket = create_ticket(session, hotline="12320", values=values, operator_id="1027", actor="接线员1027",
                           drafted=drafted, call=call, now=at)
    return ticket.number


def test_examples_come_oldest_first_with_the_calls_text_or_the_tickets_own(engine):
    with Session(engine) as session, session.begin():
        call = add_call(session, CALL, external_id="call-1", started_at=T0)
        file(session, {"urgency": "紧急"}, {"urgency": "一般"}, call=call, at=T0 + timedelta(hours=1))
        file(session, {"urgency": "一般", "title": "咨询体检", "demand": "想问报告何时能拿"},
             {"urgency": "紧急", "title": "咨询体检"}, at=T0)
        file(session, {"urgency": "特急", "title": "标签写错"}, {"urgency": "一般"}, at=T0 + timedelta(hours=2))
        cleared = file(session, {"urgency": "一般", "title": "清空"}, {"urgency": "紧急"}, at=T0 + timedelta(hours=3))
        update_ticket(session, get(session, cleared), {"urgency": ""}, actor="班长王芳")
        file(session, {"urgency": "一般", "category": "食品安全"}, {"urgency": "一般", "category": "医疗质量"})
    with Session(engine) as session:
        examples, skipped = correction_examples(session, "urgency", LABELS)
    assert [(e.text, e.label) for e in examples] == [
        ("咨询体检。想问报告何时能拿", "一般"),
        ("".join(t.text for t in turns_of(CALL)), "紧急"),
    ]
    assert "电话是139" in examples[1].text  # read as drafting reads it: simplified, digits
    assert skipped == {UNKNOWN_LABEL: 1, CLEARED: 1}
