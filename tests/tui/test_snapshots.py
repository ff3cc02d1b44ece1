"""Snapshots of the main screens at 120×40, the smallest terminal the console is made for (review a diff before
running with --snapshot-update)."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from assistant.console.session import Autosave, CallSession
from assistant.console.tickets import TicketDesk
from assistant.errors import AudioError
from assistant.store.db import make_engine
from assistant.store.migrate import upgrade
from assistant.store.tickets import create_ticket
from assistant.tui.app import ConsoleConfig, make_app

SIZE = (120, 40)
# The console's clock for the caller's 30-day window: the earlier tickets below stay inside it, whatever the day.
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def no_audio():
    raise AudioError("测试：没有音频源")


def app_with_saved_call(tmp_path, units_csv):
    saved = CallSession(
        call_id="call-snap", hotline="12320", operator_id="2046", started_at="2026-11-20T15:10:00+08:00",
        segments=[{"speaker": "op", "start": 0.3, "end": 6.0,
                   "text": "您好，12320卫生健康热线，工号2046，请问有什么可以帮您？"},
                  {"speaker": "caller", "start": 7.0, "end": 14.0, "text": "我想说一下市二院儿科排长队的问题。"}],
        values={"appeal_type": "投诉", "category": "就医流程", "unit": "临江市第二人民医院", "urgency": "一般",
                "caller_name": "林女士", "phone": "13905718264", "institution": "临江市第二人民医院",
                "department": "儿科", "title": "市二院儿科排长队", "demand": "希望医院增加儿科号源、缩短排队时间"},
        confidence={"appeal_type": 0.72, "category": 0.55, "unit": 0.9, "urgency": 0.97, "caller_name": 0.6,
                    "phone": 0.95, "institution": 0.88, "department": 0.81, "title": 0.42, "demand": 0.66},
        edited=["caller_name"])
    Autosave(tmp_path / "autosave").save(saved)
    engine = make_engine(f"sqlite:///{tmp_path / 'hotline.db'}")
    upgrade(engine)
    with Session(engine) as db, db.begin():
        # the caller's two earlier tickets: another matter (no words in common with the call), and this one
        for day, title, department in ((3, "医保卡补办要带什么材料", None), (12, "市二院儿科排队时间过长", "儿科")):
            values = {"title": title, "phone": "13905718264", "caller_name": "林晓燕", "appeal_type": "投诉",
                      "category": "就医流程", "unit": "临江市第二人民医院", "department": department}
            create_ticket(db, hotline="12320", values=values, operator_id="2046", actor="t",
                          now=datetime(2026, 11, day, 7, 30, tzinfo=UTC))
    url = f"sqlite:///{tmp_path / 'hotline.db'}"
    return make_app(ConsoleConfig(source_factory=no_audio, units=units_csv, db_url=url,
                                  autosave_dir=tmp_path / "autosave", clock=False, role="operator"),
                    desk=TicketDesk(url, role="operator", clock=lambda: NOW))


async def _settled(pilot):
    for _ in range(200):
        if "无法开始" in str(pilot.app.live.query_one("#status").render()):
            break
        await pilot.pause(0.1)
    # The "draft restored" toast times out after a few seconds: on a loaded machine it may already be gone when
    # the screen is taken, so it is cleared first (test_console.py tests the restore itself). App.notify posts
    # a message, so under load the toast can arrive after the status line: wait for it before clearing it.
    for _ in range(100):
        if pilot.app.screen.query("Toast"):
            break
        await pilot.pause(0.1)
    pilot.app.clear_notifications()
    for _ in range(100):  # the caller's earlier tickets, read once the restored phone number is on the form
        if pilot.app.live.caller.history is not None:
            break
        await pilot.pause(0.1)
    await pilot.pause(0.3)


def test_live_screen(snap_compare, tmp_path, units_csv):
    assert snap_compare(app_with_saved_call(tmp_path, units_csv), terminal_size=SIZE, run_before=_settled)


def test_help_screen(snap_compare, tmp_path, units_csv):
    assert snap_compare(app_with_saved_call(tmp_path, units_csv), press=["f1"], terminal_size=SIZE,
                        run_before=_settled)


def test_ticket_list_screen(snap_compare, tmp_path, units_csv):
    async def open_list(pilot):
        await _settled(pilot)
        await pilot.press("ctrl+l")
        for _ in range(100):
            table = pilot.app.screen.query("DataTable")
            if table and table.first().row_count == 2:
                break
            await pilot.pause(0.1)
        await pilot.pause(0.3)

    assert snap_compare(app_with_saved_call(tmp_path, units_csv), terminal_size=SIZE, run_before=open_list)
