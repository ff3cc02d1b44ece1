"""The real console driven by Pilot: replay a call → live transcript → draft → edit → submit → store."""


import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.widgets import DataTable, Input

from assistant.live.source import ReplaySource
from assistant.store.db import make_engine
from assistant.store.models import FieldCorrection, Ticket
from assistant.tui.app import DEMO_CALL, ConsoleConfig, make_app
from assistant.tui.screens.tickets import HelpScreen, TicketListScreen
from assistant.tui.session import Autosave, CallSession

SIZE = (170, 50)


def config(tmp_path, units_csv, path=DEMO_CALL, speed=4.0):
    return ConsoleConfig(source_factory=lambda: ReplaySource(path, speed=speed), units=units_csv,
                         db_url=f"sqlite:///{tmp_path / 'hotline.db'}", autosave_dir=tmp_path / "autosave",
                         hotline="12320", operator_id="2046")


async def wait_for(pilot, condition, timeout=180.0):
    for _ in range(int(timeout / 0.25)):
        if condition():
            return
        await pilot.pause(0.25)
    app = pilot.app
    status = str(app.live.query_one("#status").render()) if app.screen_stack else ""
    raise AssertionError(f"timed out; status: {status}; segments: {len(app.session.segments)}; "
                         f"over: {app.call_over}; drafted: {app.session.drafted}")


@pytest.mark.asyncio
async def test_replay_draft_edit_submit(tmp_path, units_csv):
    app = make_app(config(tmp_path, units_csv))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.call_over and app.session.drafted.get("unit"))
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "draft"))
        screen = app.live
        assert len(app.session.segments) >= 6
        speakers = {s["speaker"] for s in app.session.segments}
        assert speakers == {"op", "caller"}
        assert app.session.values["urgency"] in ("一般", "紧急")
        assert screen.form.value("unit")  # drafted while the call played
        # the operator corrects the caller's name, accepts the category, and submits
        name_input = screen.query_one("#field-caller_name", Input)
        name_input.focus()
        await pilot.pause()
        name_input.value = "林晓燕"
        await pilot.pause()
        screen.query_one("#field-category", Input).focus()
        await pilot.press("ctrl+a")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.submitted, timeout=60)
    number = app.submitted[0]
    assert number.startswith("12320-")
    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    with Session(engine) as db:
        ticket = db.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.caller_name == "林晓燕" and ticket.operator_id == "2046"
        assert ticket.call is not None and len(ticket.call.segments) >= 6
        fields = {c.field for c in db.scalars(select(FieldCorrection))}
        assert "caller_name" in fields
    assert not list((tmp_path / "autosave").glob("*.json"))  # submitted: nothing left to restore


@pytest.mark.asyncio
async def test_unsubmitted_draft_is_restored(tmp_path, units_csv):
    saved = CallSession(call_id="call-x", hotline="12320", operator_id="2046", started_at="2026-11-20T15:10:00+08:00",
                        segments=[{"speaker": "caller", "start": 1.0, "end": 3.0, "text": "我要反映一下挂号的问题。"}],
                        values={"caller_name": "林女士", "phone": "13905718264"}, edited=["caller_name"])
    Autosave(tmp_path / "autosave").save(saved)
    app = make_app(config(tmp_path, units_csv, speed=50.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.0)
        assert app.restored
        assert app.live.form.value("caller_name") == "林女士"
        assert app.live.form.value("phone") == "13905718264"
        await wait_for(pilot, lambda: app.call_over)
        await pilot.pause(1.0)
        assert app.live.form.value("caller_name") == "林女士"  # the operator's edit survives new drafts


@pytest.mark.asyncio
async def test_help_and_ticket_list_screens(tmp_path, units_csv):
    from assistant.store.migrate import upgrade
    from assistant.store.tickets import create_ticket

    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    upgrade(engine)
    with Session(engine) as db, db.begin():
        number = create_ticket(db, hotline="12320", values={"title": "测试工单", "phone": "13905718264"},
                               operator_id="1", actor="t").number
    app = make_app(config(tmp_path, units_csv, speed=50.0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, TicketListScreen)
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, timeout=30)
        assert table.get_row_at(0)[0] == number and table.get_row_at(0)[7] == "139****8264"


@pytest.mark.asyncio
async def test_review_screen_checklist_override_and_save(tmp_path, units_csv, monkeypatch):
    from assistant.tui.app import ReviewApp

    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    app = ReviewApp(DEMO_CALL, units_csv)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: getattr(screen, "result", None) is not None, timeout=120)
        await pilot.pause()
        checks = screen.query_one("#checks", DataTable)
        assert checks.row_count == 4
        first = screen.result["checks"][0]["passed"]
        checks.focus()
        await pilot.press("space")
        assert screen.result["checks"][0]["passed"] is (not first)
        assert screen.result["checks"][0]["overridden"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = json.loads((tmp_path / "reviews" / "demo-call.json").read_text(encoding="utf-8"))
    assert saved["checks"][0]["overridden"] and "unit" in saved["ticket"]


def test_a_guessed_number_reaches_the_draft_and_survives_the_autosave(tmp_path):
    from assistant.draft.extract.phone import GUESSED, extract_phone
    from assistant.draft.text import turns_of
    from assistant.live.streaming import LiveSegment

    session = CallSession(call_id="call-g", hotline="12320", operator_id="2046",
                          started_at="2026-11-20T15:10:00+08:00")
    session.add_segment(LiveSegment("caller", 1.0, 3.0, "电话是15977654321。", True, guessed=("15977654321",)))
    Autosave(tmp_path).save(session)
    restored = Autosave(tmp_path).latest()
    for s in (session, restored):
        assert extract_phone(turns_of(s.transcript())).confidence == GUESSED
