"""The review screen: the supervisor corrects a field with ``e``; Ctrl+S saves the review and corrects the ticket
filed from the same recording, in the supervisor's name."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import DataTable, Input

from assistant.draft.fields import FORM_FIELDS
from assistant.files import sha256_file
from assistant.review.correct import filed_ticket
from assistant.store.db import make_engine
from assistant.store.migrate import reset
from assistant.store.models import FieldCorrection, Ticket
from assistant.store.tickets import add_call, create_ticket
from assistant.transcript.model import Segment, Speaker, Transcript
from assistant.tui.app import ReviewApp
from assistant.tui.widgets.ticket.edit import FieldEditScreen
from tests.tui.test_console import SIZE, scripted_review, wait_for

FILED = {"unit": "东湖街道社区卫生服务中心", "category": "就医流程", "title": "疫苗预约不上"}


@pytest.mark.asyncio
async def test_a_corrected_field_reaches_the_recordings_ticket(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    recording = tmp_path / "call.wav"
    recording.write_bytes(b"RIFF" + bytes(range(256)) * 4)
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    engine = make_engine(url)
    reset(engine)
    with Session(engine) as db, db.begin():
        call = add_call(db, Transcript("c1", str(recording), 5.0, "mono", (Segment(Speaker.CALLER, 0, 4, "喂", 0.9),)),
                        external_id="c1", started_at=datetime.now(UTC), content_sha256=sha256_file(recording))
        number = create_ticket(db, hotline="12320", values=FILED, operator_id="1187", actor="batch", drafted=FILED,
                               call=call).number

    def loader(path):
        return replace(scripted_review(path), ticket=filed_ticket(path, url), actor="质检李娜", db_url=url)

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
        with Session(engine) as db:
            await wait_for(pilot, lambda: db.scalars(select(FieldCorrection)).all(), timeout=30)
    with Session(engine) as db:
        assert db.scalars(select(Ticket)).one().category == "疫苗接种"
        assert [(c.drafted_value, c.confirmed_value, c.actor) for c in db.scalars(select(FieldCorrection))] == [
            ("就医流程", "疫苗接种", "质检李娜")]
    saved = json.loads((tmp_path / "reviews" / "call-review.json").read_text(encoding="utf-8"))
    assert saved["corrected"] == {"category": "疫苗接种"} and saved["ticket_number"] == number
