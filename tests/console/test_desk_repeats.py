"""The console's store access for repeat callers, on SQLite and PostgreSQL: the caller's earlier tickets in the
window, the offers of 并单 and the merge, finding tickets by phone or name; and on PostgreSQL the same under an
operator's own login, whose names and numbers the database masks."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from assistant.console import events
from assistant.console.service import CallSetup, ConsoleService
from assistant.console.session import CallSession
from assistant.console.tickets import TicketDesk, phone_query
from assistant.errors import TicketError
from assistant.store import access
from assistant.store.roles import Role
from assistant.store.tickets import create_ticket
from tests.console.fakes import ScriptedRecognizer
from tests.store.conftest import PG_URL, fresh

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PHONE = "15807713344"
FIRST = {"appeal_type": "投诉", "category": "收费价格", "unit": "临江市第二人民医院", "caller_name": "石志远",
         "phone": PHONE, "title": "住院押金退费一直没到账", "summary": "出院两周了住院押金还没有退回，窗口让等通知。"}
AGAIN = {**FIRST, "title": "住院押金退费还没到账", "summary": "出院两周住院押金还没退回，再次来电催问。"}


def filed(db_url, *tickets):
    engine = fresh(db_url)
    with Session(engine) as db, db.begin():
        numbers = [create_ticket(db, hotline="12320", values=values, operator_id="2046", actor="接线员2046",
                                 now=NOW - timedelta(days=days)).number for values, days in tickets]
    engine.dispose()
    return numbers


def call_of(values, call_id="call-desk") -> CallSession:
    return CallSession(call_id=call_id, hotline="12320", operator_id="1187", started_at=NOW.isoformat(),
                       values=dict(values))


def test_the_callers_tickets_of_the_window_newest_first(db_url):
    old, recent, other = filed(db_url, (FIRST, 45), (FIRST, 6), ({**FIRST, "phone": "13300007777"}, 1))
    desk = TicketDesk(db_url, role="operator" if db_url.startswith("sqlite") else None, clock=lambda: NOW)
    history = desk.history({**AGAIN, "phone": "158 0771 3344"}, actor="接线员1187")  # written another way
    assert [t.number for t in history.tickets] == [recent] and history.days == 30
    assert history.tickets[0].likely == "同一来电人"
    # an operator sees the caller masked; the database's owner (an administrator) in full, the read audited
    assert history.tickets[0].caller_name == ("石**" if db_url.startswith("sqlite") else "石志远")
    assert desk.history(AGAIN, actor="接线员1187", exclude=recent).tickets == ()  # the call's own ticket left out
    assert desk.history({"phone": "123"}, actor="接线员1187").tickets == ()  # too short to be anyone's number
    assert old and other


def test_a_filed_repeat_is_offered_and_merged_once(db_url):
    (first,) = filed(db_url, (FIRST, 2))
    desk = TicketDesk(db_url, model_version="test")
    filed_now = desk.file(call_of(AGAIN))
    offers = desk.offers(filed_now.number)
    assert [(o.number, o.reason) for o in offers] == [(first, "同一来电人")] and 0 < offers[0].score <= 1
    merged = desk.merge(filed_now.number, first, "接线员1187", "接线时确认为同一诉求")
    assert merged.into == first and merged.deadline == desk.file(call_of(AGAIN)).deadline
    assert desk.offers(filed_now.number) == []  # merged: nothing more to offer
    with pytest.raises(TicketError, match="已并入"):
        desk.merge(filed_now.number, first, "接线员1187")
    rows = {r["number"]: r["group"] for r in desk.search(PHONE)}
    assert rows == {first: "主单", filed_now.number: f"并入 {first}"}  # either number finds both


def test_the_service_says_why_a_merge_was_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    (first,) = filed(url, (FIRST, 2))
    seen = []
    service = ConsoleService(CallSetup(autosave_dir=tmp_path / "autosave", operator_id="1187", receipt=""),
                             ScriptedRecognizer([]), lambda: None, TicketDesk(url, model_version="test"),
                             emit=seen.append)
    assert isinstance(service.merge(first), events.ActionFailed)  # nothing filed yet
    service.call.values.update(AGAIN)
    submitted = service.submit()
    assert isinstance(submitted, events.Submitted) and [o.number for o in submitted.repeats] == [first]
    refused = service.merge(submitted.number)  # into itself
    assert isinstance(refused, events.ActionFailed) and "不能把工单" in refused.message
    done = service.merge(first)
    assert isinstance(done, events.MergeDone) and done.receipt.merged_into == first
    assert done.receipt.sentence == f"您的工单编号是{submitted.number}。"  # the template given: none


@pytest.mark.parametrize(("text", "phone"), [
    ("15807713344", True), ("158 0771 3344", True), ("+86 158-0771-3344", True), ("(0771) 2345678", True),
    ("12320-20261207-0003", False), ("3344", False), ("押金", False), ("石志远", False),
])
def test_what_the_search_box_takes_for_a_phone(text, phone):
    assert phone_query(text) is phone


def test_search_by_name_and_by_title_together(db_url):
    first, other = filed(db_url, (FIRST, 2), ({**FIRST, "caller_name": "石志远", "phone": "13300007777",
                                               "title": "挂号费多收"}, 1))
    desk = TicketDesk(db_url)
    assert {r["number"] for r in desk.search("石志远")} == {first, other}
    assert [r["number"] for r in desk.search("押金")] == [first]
    assert all(r["caller_name"] == "石**" and "****" in r["phone"] for r in desk.search("石志远"))


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def test_an_operator_login_sees_the_callers_tickets_masked_by_the_database():
    login = f"hl_{WORKER}_console_op".lower()
    engine = fresh(PG_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        access.grant(conn, login, Role.OPERATOR)
    try:
        (first,) = filed(PG_URL, (FIRST, 3))
        url = make_url(PG_URL).set(username=login).render_as_string(hide_password=False)
        desk = TicketDesk(url, model_version="test", clock=lambda: NOW)
        assert desk.role() == Role.OPERATOR and not desk.may_solve_on_call()
        history = desk.history(AGAIN, actor="接线员1187")
        assert [(t.number, t.caller_name, t.likely) for t in history.tickets] == [(first, "石**", "同一来电人")]
        assert [r["number"] for r in desk.search(PHONE)] == [first]
        with pytest.raises(Exception, match="当场办结"):  # the role may not: nothing is filed
            desk.file(call_of(AGAIN, "call-solve"), solved=True)
        assert [r["number"] for r in desk.search(PHONE)] == [first]
    finally:
        engine.dispose()
        with fresh(PG_URL).begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
