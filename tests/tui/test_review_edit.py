"""The review screen: the supervisor corrects a field with ``e``; Ctrl+S saves the review to the database with the
ticket's corrections, in the supervisor's name, in one transaction (SQLite and PostgreSQL)."""

from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import DataTable, Input

from assistant.draft.fields import FORM_FIELDS
from assistant.files import sha256_file
from assistant.review.stored import filed_call
from assistant.store.models import FieldCorrection, Review, Ticket, TicketEvent
from assistant.tui.app import ReviewApp
from assistant.tui.widgets.ticket.edit import FieldEditScreen
from tests.review.stored_calls import file_call
from tests.store.conftest import db_url, engine  # noqa: F401
from tests.tui.test_console import SIZE, scripted_review, wait_for


@pytest.mark.asyncio
async def test_a_corrected_field_reaches_the_recordings_ticket(tmp_path, monkeypatch, engine, db_url):  # noqa: F811
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    recording = tmp_path / "call.wav"
    recording.write_bytes(b"RIFF" + bytes(range(256)) * 4)
    call_id, number = file_call(engine, "c1", operator="1187", sha256=sha256_file(recording))

    def loader(path):
        call_pk, ticket = filed_call(path, db_url)
        return replace(scripted_review(path), ticket=ticket, call_pk=call_pk, actor="质检李娜", db_url=db_url)

    app = ReviewApp(recording, loader=loader)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)
        fields = screen.query_one("#fields", DataTable)
        fields.focus()
        fields.move_cursor(row=[name for name, _ in FORM_FIELDS].index("category"))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, FieldEditScreen))
        app.screen.query_one("#edit-value", Input).value = "疫苗接种"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.result.corrected == {"category": "疫苗接种"} and screen.result.ticket == number
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.result.review_id is not None, timeout=30)
    with Session(engine) as db:
        assert db.scalars(select(Ticket)).one().category == "疫苗接种"
        assert [(c.drafted_value, c.confirmed_value, c.actor) for c in db.scalars(select(FieldCorrection))] == [
            ("就医流程", "疫苗接种", "质检李娜")]
        review = db.scalars(select(Review)).one()
        assert (review.call_id, review.reviewer, review.operator_id, review.score) == (
            call_id, "质检李娜", "1187", 50.0)
        actions = [e.action for e in db.scalars(select(TicketEvent).order_by(TicketEvent.id))]
    assert actions == ["create", "edit", "review"]
    assert not (tmp_path / "reviews").exists()  # the store holds the review: no file beside it


@pytest.mark.asyncio
async def test_a_refused_correction_saves_neither_it_nor_the_review(tmp_path, monkeypatch, engine, db_url):  # noqa: F811
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    _, number = file_call(engine, "c2")

    def loader(path):
        review = replace(scripted_review(path), ticket=number, actor="质检李娜", db_url=db_url)
        review.correct("category", "天气预报")  # not a category of the centre's taxonomy
        return review

    app = ReviewApp(tmp_path / "call.wav", loader=loader)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("未保存" in str(n.message) for n in app._notifications), timeout=30)
        assert screen.result.review_id is None
    with Session(engine) as db:
        assert db.scalars(select(Review)).all() == [] and db.scalars(select(Ticket)).one().category == "就医流程"
