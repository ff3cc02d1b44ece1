"""QA reviews in the store, on SQLite and PostgreSQL: saved with the call, ticket, reviewer and score, updated in
place, listed by operator and day, exported, and a QA score per operator."""

import csv
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import InputFileError, TicketError
from assistant.store import reviews
from assistant.store.models import Call, Review, Ticket, TicketEvent
from assistant.store.reviews import Item
from tests.review.stored_calls import file_call
from tests.store.conftest import db_url, engine  # noqa: F401

ITEMS = [Item("greeting", "开场问候并报工号", True, True, "第 1 句：开场说了 “您好”"),
         Item("phone_readback", "复述并确认联系电话", True, True, "第 5 句：复述“13906617258”，来电人答“对。”"),
         Item("demand_confirmed", "复述诉求并得到确认", False, True, "", note="班长改判"),
         Item("closing_time_limit", "结束时告知办理时限", False, False, "结束时未告知何时答复")]
WHEN = datetime(2026, 12, 4, 2, 30, tzinfo=UTC)


def save(engine, ref, items=ITEMS, reviewer="质检李娜", **kw):  # noqa: F811
    with Session(engine) as db, db.begin():
        call, ticket = reviews.find_call(db, ref)
        return reviews.save(db, items, reviewer=reviewer, call=call, ticket=ticket, **kw).id


def test_a_review_is_stored_with_its_call_ticket_score_and_an_audit_event(engine):  # noqa: F811
    call_id, number = file_call(engine)
    review_id = save(engine, number, comment="结束语要说时限", now=WHEN)
    with Session(engine) as db:
        row = db.get(Review, review_id)
        ticket = db.scalars(select(Ticket)).one()
        event = db.scalars(select(TicketEvent).where(TicketEvent.action == "review")).one()
        assert (row.call_id, row.ticket_id, row.operator_id, row.reviewer, row.score, row.comment) == (
            call_id, ticket.id, "2219", "质检李娜", 75.0, "结束语要说时限")
        assert row.items[1]["evidence"] == "第 5 句：复述“139****7258”，来电人答“对。”"  # no caller's number
        assert row.items[2] == {"check": "demand_confirmed", "label": "复述诉求并得到确认", "auto": False,
                                "passed": True, "evidence": "", "note": "班长改判"}
        assert (event.actor, event.note) == ("质检李娜", "75 分，未通过：结束时告知办理时限")


def test_saved_again_a_review_is_updated_not_counted_twice(engine):  # noqa: F811
    _, number = file_call(engine)
    first = save(engine, number)
    all_passed = [Item(i.check, i.label, i.auto, True) for i in ITEMS]
    assert save(engine, number, all_passed, review_id=first) == first
    with Session(engine) as db:
        assert [r.score for r in db.scalars(select(Review))] == [100.0]
        notes = [e.note for e in db.scalars(select(TicketEvent).where(TicketEvent.action == "review")
                                            .order_by(TicketEvent.id))]
    assert notes == ["75 分，未通过：结束时告知办理时限", "100 分，全部通过（修改质检结果）"]


def test_a_call_is_found_by_ticket_number_or_call_id(engine):  # noqa: F811
    call_id, number = file_call(engine, "rec-0501")
    bare, _ = file_call(engine, "rec-0502", ticket=False)
    with Session(engine) as db:
        for ref in (number, "rec-0501", str(call_id)):
            call, ticket = reviews.find_call(db, ref)
            assert (call.id, ticket.number) == (call_id, number)
        call, ticket = reviews.find_call(db, "rec-0502")
        assert (call.id, ticket) == (bare, None)
        with pytest.raises(TicketError, match="找不到工单或通话“12320-20991231-0001”"):
            reviews.find_call(db, "12320-20991231-0001")
    save(engine, "rec-0502")  # a call without a ticket is reviewed too, without an audit event
    with Session(engine) as db:
        assert db.scalars(select(Review.ticket_id)).one() is None
        assert db.scalars(select(TicketEvent).where(TicketEvent.action == "review")).all() == []


def test_a_ticket_filed_without_a_call_cannot_be_reviewed_as_a_call(engine):  # noqa: F811
    from assistant.store.tickets import create_ticket

    with Session(engine) as db, db.begin():
        number = create_ticket(db, hotline="12320", values={"title": "手工登记"}, operator_id="2219",
                               actor="cli").number
    with Session(engine) as db, pytest.raises(TicketError, match="没有通话录音的转写"):
        reviews.find_call(db, number)


def test_a_failed_call_and_an_empty_review_are_refused(engine):  # noqa: F811
    from assistant.store.calls import store_failure

    with Session(engine) as db, db.begin():
        store_failure(db, external_id="bad-01", path="/rec/bad-01.wav", sha256=None, started_at=WHEN,
                      reason="无法解码")
    with Session(engine) as db, pytest.raises(TicketError, match="无法解码"):
        reviews.find_call(db, "bad-01")
    _, number = file_call(engine)
    with pytest.raises(TicketError, match="没有检查项"):
        save(engine, number, items=[])
    with Session(engine) as db:
        assert db.scalars(select(Review)).all() == []


def test_listed_newest_first_by_operator_and_day_and_scored_per_operator(engine):  # noqa: F811
    _, a = file_call(engine, "rec-a", operator="2219")
    _, b = file_call(engine, "rec-b", operator="2219")
    _, c = file_call(engine, "rec-c", operator="3050")
    save(engine, a, now=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    save(engine, b, [Item(i.check, i.label, i.auto, True) for i in ITEMS], now=datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    save(engine, c, [Item(i.check, i.label, i.auto, i.check == "greeting") for i in ITEMS],
         now=datetime(2026, 12, 3, 3, 0, tzinfo=UTC))
    with Session(engine) as db:
        assert [r.ticket for r in reviews.list_reviews(db)] == [c, b, a]
        assert [r.ticket for r in reviews.list_reviews(db, operator="2219")] == [b, a]
        assert [r.ticket for r in reviews.list_reviews(db, start=date(2026, 12, 2), end=date(2026, 12, 2))] == [b]
        row = reviews.list_reviews(db, operator="2219")[1]
        assert row.failed == ("结束时告知办理时限",) and row.call == "rec-a"
        assert row.cells()["at"] == reviews.shown_time(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
        scores = reviews.operator_scores(db)
    assert [(s.operator_id, s.reviews, s.score) for s in scores] == [("3050", 1, 25.0), ("2219", 2, 87.5)]
    assert scores[1].passed == {"开场问候并报工号": 100.0, "复述并确认联系电话": 100.0, "复述诉求并得到确认": 100.0,
                                "结束时告知办理时限": 50.0}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_whole_with_a_chinese_header(engine, tmp_path, suffix):  # noqa: F811
    _, number = file_call(engine)
    save(engine, number, comment="时限没说", now=WHEN)
    with Session(engine) as db:
        rows = reviews.list_reviews(db)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"质检{suffix}"
    reviews.write_reviews(out, rows)
    if suffix == ".csv":
        table = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    else:
        sheet = openpyxl.load_workbook(out).active
        assert sheet.freeze_panes == "A2"
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == list(reviews.HEADERS)
    assert table[1][2:] == ["质检李娜", "2219", number, "rec-0412", "75", "结束时告知办理时限", "时限没说"]
    assert len(table[1][1]) == len("2026-12-04 10:30")  # to the minute, no microseconds
    assert list(folder.iterdir()) == [out]  # no temporary file left behind


def test_an_export_to_a_folder_that_is_not_there_writes_nothing(tmp_path):
    with pytest.raises(InputFileError, match="不存在"):
        reviews.write_reviews(tmp_path / "nowhere" / "质检.csv", [])
    with pytest.raises(InputFileError, match="不支持的导出格式"):
        reviews.write_reviews(tmp_path / "质检.pdf", [])


def test_the_call_row_is_kept_when_its_review_goes(engine):  # noqa: F811
    _, number = file_call(engine)
    save(engine, number)
    with Session(engine) as db, db.begin():
        db.delete(db.scalars(select(Review)).one())
    with Session(engine) as db:
        assert db.scalars(select(Call)).one().external_id == "rec-0412"
