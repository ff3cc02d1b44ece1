"""``hotline review 工单编号``: a call the store holds opens without transcribing, its checklist filled from the stored
transcript with the words that decided each item; the supervisor overrides an item, writes a comment and saves
to the database, and saving again updates the same review (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import DataTable, Input

from assistant.demo import DEMO_UNITS
from assistant.lexicon.units import load_units
from assistant.review.stored import review_stored
from assistant.store.models import Review, TicketEvent
from assistant.tui.app import ReviewApp
from assistant.tui.widgets.review.comment import CommentScreen
from tests.review.stored_calls import SCRIPT, file_call
from tests.store.conftest import db_url, engine  # noqa: F401
from tests.tui.test_console import SIZE, wait_for


@pytest.fixture(scope="module")
def directory():
    return load_units(DEMO_UNITS)


@pytest.mark.parametrize("by", ["ticket", "call"])
@pytest.mark.asyncio
async def test_a_stored_call_is_reviewed_and_saved_to_the_database(by, engine, db_url, directory):  # noqa: F811
    call_id, number = file_call(engine)
    review = review_stored(number if by == "ticket" else "rec-0412", directory=directory, db_url=db_url,
                           actor="质检周敏")
    assert (review.call_pk, review.ticket, len(review.segments)) == (call_id, number, len(SCRIPT))
    assert [c.passed for c in review.checks] == [True, True, True, False]
    assert review.value("category") == "就医流程"  # the ticket's value, over the draft's

    app = ReviewApp(number, lambda _ref: review)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)
        status = str(screen.query_one("#status").render())
        assert f"工单 {number}" in status and "3/4 项通过" in status and "保存到数据库" in status
        checks = screen.query_one("#checks", DataTable)
        checks.focus()
        checks.move_cursor(row=2)  # the demand read-back: the transcript shows where it was said
        await pilot.pause()
        assert screen.query_one("#segments", DataTable).cursor_row == 6
        checks.move_cursor(row=3)
        await pilot.press("space")  # the supervisor passes the close after listening
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CommentScreen))
        app.screen.query_one("#comment-text", Input).value = "时限是口头补说的"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.result.review_id is not None, timeout=30)
        first = screen.result.review_id
        checks.move_cursor(row=0)
        await pilot.press("space")  # changed its mind: saving again updates the same review
        await pilot.press("ctrl+s")
        with Session(engine) as db:
            await wait_for(pilot, lambda: len(db.scalars(select(TicketEvent.id).where(
                TicketEvent.action == "review")).all()) == 2, timeout=30)
    with Session(engine) as db:
        row = db.scalars(select(Review)).one()
        assert (row.id, row.call_id, row.reviewer, row.comment, row.score) == (
            first, call_id, "质检周敏", "时限是口头补说的", 75.0)
        assert [(i["auto"], i["passed"]) for i in row.items] == [(True, False), (True, True), (True, True),
                                                                 (False, True)]
        assert "2219" in row.items[0]["evidence"] and "第 1 句" in row.items[0]["evidence"]


@pytest.mark.asyncio
async def test_a_call_whose_recording_is_not_on_this_machine_says_so_instead_of_playing():
    from tests.tui.test_review_snapshot import stored_review

    app = ReviewApp("12320-20261203-0042", stored_review)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)
        screen.query_one("#segments", DataTable).focus()
        await pilot.press("p")
        await wait_for(pilot, lambda: any("录音不在本机" in str(n.message) for n in app._notifications), timeout=10)
        checks = screen.query_one("#checks", DataTable)
        checks.focus()
        checks.move_cursor(row=1)
        await pilot.pause()
        assert "复述并确认联系电话：第 5 句：复述“13906617258”" in str(screen.query_one("#check-evidence").render())
