"""The real console driven by Pilot: a call → live transcript → draft → edit → submit → store.

Most tests play a scripted call (tests/console/fakes.py) so they need no speech model; one plays the demo
recording through Whisper, as an operator would see it.
"""

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from textual.widgets import DataTable, Input

from assistant.console.session import Autosave, CallSession
from assistant.demo import DEMO_CALL, DEMO_UNITS
from assistant.draft.model import CallContext, Evidence, FieldValue, TicketDraft
from assistant.live.source import ReplaySource
from assistant.review.recording import CheckItem, Review
from assistant.store.db import make_engine
from assistant.store.models import FieldCorrection, Ticket
from assistant.transcript.model import Segment
from assistant.tui.app import ConsoleConfig, ReviewApp, make_app
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.tickets import COLUMNS, TicketListScreen
from tests.console.fakes import SCRIPT, ScriptedRecognizer, SilentSource

SIZE = (170, 50)


def config(tmp_path, source_factory=None):
    return ConsoleConfig(source_factory=source_factory or (lambda: SilentSource(len(SCRIPT))), units=DEMO_UNITS,
                         db_url=f"sqlite:///{tmp_path / 'hotline.db'}", autosave_dir=tmp_path / "autosave",
                         hotline="12320", operator_id="1187")


def scripted_app(tmp_path, source_factory=None):
    return make_app(config(tmp_path, source_factory), recognizer=ScriptedRecognizer())


async def wait_for(pilot, condition, timeout=120.0):
    for _ in range(int(timeout / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    app = pilot.app
    status = str(app.live.query_one("#status").render()) if app.screen_stack else ""
    raise AssertionError(f"timed out; status: {status}; segments: {len(app.session.segments)}; "
                         f"over: {app.call_over}; drafted: {app.session.drafted}")


async def drafted(pilot):
    app = pilot.app
    await wait_for(pilot, lambda: app.call_over and app.service.wait_for_drafts(0) and app.session.drafted.get("unit"))
    await pilot.pause(0.3)  # the last DraftChanged message reaches the form


async def filed(pilot) -> str:
    """Wait for the draft, press Ctrl+S, wait for the ticket; its number."""
    await drafted(pilot)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: pilot.app.session.ticket_number, timeout=30)
    return pilot.app.session.ticket_number


def tickets(tmp_path) -> int:
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        return db.scalar(select(func.count()).select_from(Ticket))


@pytest.mark.asyncio
async def test_call_draft_edit_submit(tmp_path):
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        screen = app.live
        assert {s["speaker"] for s in app.session.segments} == {"op", "caller"}
        assert screen.form.value("phone") == "13611112222"  # drafted while the call played
        assert screen.form.value("unit") == "东湖街道社区卫生服务中心"
        # the operator corrects the caller's name, accepts the category, and submits
        name_input = screen.query_one("#field-caller_name", Input)
        name_input.focus()
        await pilot.pause()
        name_input.value = "郑国华"
        await pilot.pause()
        screen.query_one("#field-category", Input).focus()
        await pilot.press("ctrl+a")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.ticket_number, timeout=30)
    number = app.submitted[0]
    assert number.startswith("12320-")
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        ticket = db.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert ticket.caller_name == "郑国华" and ticket.operator_id == "1187"
        assert ticket.call is not None and len(ticket.call.segments) == len(SCRIPT)
        assert "caller_name" in {c.field for c in db.scalars(select(FieldCorrection))}
    assert not list((tmp_path / "autosave").glob("*.json"))  # submitted: nothing left to restore


@pytest.mark.asyncio
async def test_ctrl_s_twice_files_one_ticket(tmp_path):
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        await pilot.press("ctrl+s")
        await filed(pilot)  # the second Ctrl+S, pressed while the first may still be filing
        await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "store" and not w.is_finished])
        app.live.query_one("#field-title", Input).value = "疫苗预约不上（已补充）"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: not [w for w in app.workers if w.group == "store" and not w.is_finished])
    assert len(app.submitted) == 1 and tickets(tmp_path) == 1
    with Session(make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")) as db:
        assert db.scalars(select(Ticket)).one().title == "疫苗预约不上（已补充）"


@pytest.mark.asyncio
async def test_unsubmitted_draft_is_restored_and_a_submitted_one_is_not(tmp_path):
    saved = CallSession(call_id="call-x", hotline="12320", operator_id="1187", started_at="2026-12-01T09:10:00+08:00",
                        segments=[{"speaker": "caller", "start": 1.0, "end": 3.0, "text": "我想问一下疫苗预约的事。"}],
                        values={"caller_name": "郑先生", "phone": "13611112222"}, edited=["caller_name"])
    Autosave(tmp_path / "autosave").save(saved)
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        assert app.restored
        assert app.live.form.value("caller_name") == "郑先生"
        await drafted(pilot)
        assert app.live.form.value("caller_name") == "郑先生"  # the operator's edit survives new drafts
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.ticket_number, timeout=30)
    again = scripted_app(tmp_path)
    assert not again.restored


@pytest.mark.asyncio
async def test_help_and_ticket_list_screens(tmp_path):
    from assistant.store.migrate import upgrade
    from assistant.store.tickets import create_ticket

    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    upgrade(engine)
    with Session(engine) as db, db.begin():
        number = create_ticket(db, hotline="12320", values={"title": "测试工单", "phone": "13611112222"},
                               operator_id="1", actor="t").number
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, TicketListScreen)
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 1, timeout=30)
        assert table.get_row_at(0)[0] == number and table.get_row_at(0)[COLUMNS.index("phone")] == "136****2222"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "测试工单" in str(app.screen.query_one("#detail").render()), timeout=30)
        assert "热线：12320" in str(app.screen.query_one("#detail").render())


def scripted_review(recording):
    segments = tuple(Segment(s, i * 5.0, i * 5.0 + 4.0, t, 0.9) for i, (s, t) in enumerate(SCRIPT))
    unit = "东湖街道社区卫生服务中心"
    draft = TicketDraft("call-review", CallContext(datetime(2026, 12, 1, 9, 10)),
                        {"unit": FieldValue(unit, 0.9, (Evidence(6, 8, 19, unit),))})
    checks = [CheckItem("greeting", "开场问候并报工号", True, SCRIPT[0][1]),
              CheckItem("phone_readback", "复述并确认联系电话", False, "未复述电话或来电人未确认")]
    return Review("call-review", str(recording), segments, draft, checks)


@pytest.mark.asyncio
async def test_review_screen_checklist_override_and_save(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path))
    app = ReviewApp(tmp_path / "call.wav", loader=scripted_review)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: screen.result is not None, timeout=30)
        await pilot.pause()
        checks = screen.query_one("#checks", DataTable)
        assert checks.row_count == 2
        checks.focus()
        await pilot.press("space")
        assert screen.result.checks[0].passed is False and screen.result.checks[0].overridden
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = json.loads((tmp_path / "reviews" / "call-review.json").read_text(encoding="utf-8"))
    assert saved["checks"][0]["overridden"] and saved["ticket"]["unit"] == "东湖街道社区卫生服务中心"


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_demo_recording_through_whisper(tmp_path):
    """The first thing a new user sees: the demo call replayed into the real model fills in the work order."""
    app = make_app(config(tmp_path, lambda: ReplaySource(DEMO_CALL, speed=4.0)))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.call_over and app.session.drafted.get("unit"), timeout=300)
        await wait_for(pilot, lambda: app.service.wait_for_drafts(0), timeout=60)
        assert len(app.session.segments) >= 6
        assert {s["speaker"] for s in app.session.segments} == {"op", "caller"}
        assert app.session.values["unit"] in DEMO_UNITS.read_text(encoding="utf-8")  # routed within the demo centre
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.ticket_number, timeout=30)
    assert tickets(tmp_path) == 1


def test_a_guessed_number_reaches_the_draft_and_survives_the_autosave(tmp_path):
    from assistant.draft.extract.phone import GUESSED, extract_phone
    from assistant.draft.text import turns_of
    from assistant.live.streaming import LiveSegment

    session = CallSession(call_id="call-g", hotline="12320", operator_id="1187",
                          started_at="2026-12-01T09:10:00+08:00")
    session.add_segment(LiveSegment("caller", 1.0, 3.0, "电话是15977654321。", True, guessed=("15977654321",)))
    Autosave(tmp_path).save(session)
    restored = Autosave(tmp_path).latest()
    for s in (session, restored):
        assert extract_phone(turns_of(s.transcript())).confidence == GUESSED


@pytest.mark.asyncio
async def test_ctrl_n_starts_the_next_call_with_an_empty_form(tmp_path):
    app = scripted_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await filed(pilot)
        first = app.session.call_id
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.session.call_id != first and not app.live.form.value("phone"))
        assert not app.live.transcript.query("TranscriptLine")
        assert "新来电" in str(app.live.query_one("#status").render())


def test_console_arguments_are_checked_before_the_screen_opens(tmp_path):
    from tests.conftest import run_hotline

    env = {"HOTLINE_HOME": str(tmp_path)}
    long_hotline = run_hotline("console", "--replay", "demo", "--hotline", "123456789012345", env=env, timeout=60)
    assert long_hotline.returncode == 2 and "热线号码" in long_hotline.stderr and "Traceback" not in long_hotline.stderr
    missing_units = run_hotline("console", "--replay", "demo", "--units", str(tmp_path / "无此目录.csv"), env=env,
                                timeout=60)
    assert missing_units.returncode == 2 and "无此目录.csv" in missing_units.stderr  # demo stays the demo call
    assert "demo" not in missing_units.stderr.split("无此目录.csv")[0].split("：")[-1]
