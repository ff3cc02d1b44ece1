"""The console after the submit, driven by Pilot at 120×40: the whole work order on screen, the receipt, the
caller's earlier tickets, 并单 and 当场办结, and finding a caller's tickets from the ticket list.

A scripted call (tests/console/fakes.py) plays into the real app; the store is a real SQLite file and, where
the store is used, the local PostgreSQL too.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from textual.geometry import Region
from textual.widgets import DataTable, Input, Label, Static

from assistant.console.receipt import spoken_date
from assistant.console.tickets import TicketDesk
from assistant.demo import DEMO_UNITS
from assistant.draft.fields import FORM_FIELDS
from assistant.store.models import Ticket
from assistant.store.tickets import create_ticket
from assistant.tui.app import ConsoleConfig, make_app
from assistant.tui.screens.tickets import TicketListScreen
from assistant.tui.widgets.ticket.actions import MergeScreen, SolveScreen
from tests.console.fakes import SCRIPT, ScriptedRecognizer, SilentSource
from tests.store.conftest import db_url, fresh  # noqa: F401
from tests.tui.test_console import drafted, filed, wait_for

SIZE = (120, 40)
RECEIPT = "您的工单编号是{number}，我们会在{deadline}前给您答复，请保持电话畅通。"
PHONE = "13611112222"  # the scripted caller's
EARLIER = {"appeal_type": "咨询", "category": "疫苗接种", "unit": "东湖街道社区卫生服务中心", "caller_name": "郑先生",
           "phone": PHONE, "title": "孩子在东湖社区医院约不上疫苗",
           "summary": "来电人反映孩子想在东湖社区医院约疫苗，这周号约满了约不上。"}
OTHER = {"appeal_type": "咨询", "category": "医保报销", "unit": "临江市第二人民医院", "caller_name": "郑先生",
         "phone": PHONE, "title": "医保卡补办要带什么材料"}  # the same caller, another matter: no words in common


def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hotline.db'}"


def case_app(tmp_path, url=None, role="operator"):
    url = url or sqlite_url(tmp_path)
    config = ConsoleConfig(source_factory=lambda: SilentSource(len(SCRIPT)), units=DEMO_UNITS, db_url=url,
                           autosave_dir=tmp_path / "autosave", hotline="12320", operator_id="1187", role=role,
                           receipt=RECEIPT)
    return make_app(config, recognizer=ScriptedRecognizer(), desk=TicketDesk(url, role=role, model_version="test"))


def seed(url, *tickets: tuple[dict, int]) -> dict[str, str]:
    """Tickets filed ``days`` ago: their numbers by title."""
    engine = fresh(url)
    now = datetime.now(UTC)
    with Session(engine) as db, db.begin():
        numbers = {values["title"]: create_ticket(db, hotline="12320", values=values, operator_id="2046",
                                                  actor="接线员2046", now=now - timedelta(days=days)).number
                   for values, days in tickets}
    engine.dispose()
    return numbers


def stored(url, number):
    from assistant.store.db import make_engine

    engine = make_engine(url)
    with Session(engine) as db:
        ticket = db.scalars(select(Ticket).where(Ticket.number == number)).one()
        events = [(e.action, e.note, e.detail or {}) for e in ticket.events]
        data = {"status": ticket.status, "deadline": ticket.deadline, "reply": ticket.reply,
                "repeat_of": ticket.repeat_of_id and db.get(Ticket, ticket.repeat_of_id).number, "events": events}
    engine.dispose()
    return data


def text_of(widget) -> str:
    return str(widget.render())


@pytest.mark.asyncio
async def test_every_field_its_confidence_and_the_callers_tickets_fit_120_by_40(tmp_path):
    seed(sqlite_url(tmp_path), (EARLIER, 3))
    app = case_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        screen = app.live
        await wait_for(pilot, lambda: screen.caller.history is not None, timeout=30)
        await pilot.pause(0.3)
        visible = Region(0, 1, *SIZE).intersection(screen.query_one("#form").region)  # below the header
        assert screen.query_one("#form").max_scroll_y == 0  # nothing of the form scrolled away
        for name, label in FORM_FIELDS:
            row = screen.query_one(f"#row-{name}")
            parts = [row.query_one(Label), row.query_one(Input), row.query_one(f"#conf-{name}", Static)]
            for widget in (row, *parts):
                assert visible.contains_region(widget.region), (name, widget, widget.region)
                assert widget.region.height == 1 and widget.region.width > 0
            assert text_of(parts[0]) == label
            assert parts[1].region.width >= 16  # room for eight characters of a value
        assert text_of(screen.query_one(f"#conf-{'phone'}")).endswith("%")  # the draft's confidence beside it
        status_row = SIZE[1] - 2  # the status line and the footer are below everything
        for panel in ("#field-info", "#caller", "#caller-tickets"):
            region = screen.query_one(panel).region
            assert region.height >= 1 and region.bottom <= status_row and region.right <= SIZE[0], (panel, region)
        assert screen.query_one("#caller-tickets", DataTable).row_count == 1
        screen.query_one("#field-unit", Input).focus()
        await pilot.pause()
        info = text_of(screen.query_one("#field-info"))
        assert "承办单位" in info and "依据" in info and "东湖街道社区卫生服务中心" in info
        assert "候选（F2 切换）" in info


@pytest.mark.asyncio
async def test_each_badge_shows_the_drafts_confidence_and_ctrl_a_confirms_the_focused_field(tmp_path):
    app = case_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        screen = app.live
        for name in screen.form.names():  # the last draft's confidence, also for values it did not change
            shown = f"{app.session.confidence[name]:.0%}" if screen.form.value(name) else ""
            assert text_of(screen.query_one(f"#conf-{name}")) == shown, name
        screen.query_one("#field-category", Input).focus()
        await pilot.press("ctrl+a")  # not the input's own Ctrl+A (go to start)
        assert "category" in app.session.edited and text_of(screen.query_one("#conf-category")) == "✔"
        assert "已确认" in text_of(screen.query_one("#field-info"))


@pytest.mark.asyncio
async def test_the_receipt_stays_on_screen_until_the_next_call(tmp_path):
    app = case_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        receipt = app.live.receipt
        assert not receipt.display
        number = await filed(pilot)
        await wait_for(pilot, lambda: receipt.display, timeout=10)
        deadline = stored(sqlite_url(tmp_path), number)["deadline"]
        said = f"您的工单编号是{number}，我们会在{spoken_date(deadline)}前给您答复，请保持电话畅通。"
        assert said in text_of(receipt) and "请向来电人宣读" in text_of(receipt)
        assert Region(0, 0, *SIZE).contains_region(receipt.region)
        await pilot.pause(2.0)  # the toast goes, the receipt stays
        assert receipt.display and number in text_of(receipt)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: not receipt.display)
        assert "联系电话填好后" in text_of(app.live.query_one("#caller-title"))


@pytest.mark.asyncio
@pytest.mark.parametrize("role", ["operator", "supervisor"])
async def test_the_callers_earlier_tickets_masked_as_the_role_requires(tmp_path, role):
    url = sqlite_url(tmp_path)
    numbers = seed(url, (EARLIER, 3), (OTHER, 12), ({**OTHER, "title": "四十天前的旧事"}, 40),
                   ({**EARLIER, "phone": "13900001111", "title": "别的来电人"}, 2))
    app = case_app(tmp_path, role=role)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        caller = app.live.caller
        # read again as the draft tells more of the matter: the same matter is marked once the account is drafted
        await wait_for(pilot, lambda: caller.history is not None and any(t.likely for t in caller.history.tickets),
                       timeout=30)
        shown = {t.number: t for t in caller.history.tickets}
        assert list(shown) == [numbers[EARLIER["title"]], numbers[OTHER["title"]]]  # 30 days, newest first
        assert shown[numbers[EARLIER["title"]]].likely == "同一来电人"  # the same matter: marked ≈
        assert shown[numbers[OTHER["title"]]].likely is None
        table = app.live.query_one("#caller-tickets", DataTable)
        first = table.get_row_at(0)
        assert first[0] == "≈" and first[1] == numbers[EARLIER["title"]] and first[2] == "已受理"
        assert first[4] == ("郑**" if role == "operator" else "郑先生")
        assert "2 张工单" in text_of(app.live.query_one("#caller-title"))
        table.focus()
        await pilot.press("enter")  # the earlier ticket opens
        await wait_for(pilot, lambda: numbers[EARLIER["title"]] in text_of(app.screen.query_one("#detail"))
                       if app.screen.query("#detail") else False, timeout=30)
    reads = [e for e in stored(url, numbers[EARLIER["title"]])["events"] if e[0] == "read_personal"]
    assert bool(reads) == (role == "supervisor")  # a full read is audited; a masked one is not a read


@pytest.mark.asyncio
async def test_a_repeat_of_an_open_ticket_is_offered_for_merging(tmp_path, db_url):  # noqa: F811
    numbers = seed(db_url, (EARLIER, 3), (OTHER, 5))
    earlier = numbers[EARLIER["title"]]
    app = case_app(tmp_path, db_url, role=None)  # PostgreSQL: the login's role
    async with app.run_test(size=SIZE) as pilot:
        number = await filed(pilot)
        await wait_for(pilot, lambda: app.live.receipt.display, timeout=10)
        assert [o.number for o in app.offers] == [earlier]
        assert "疑似重复诉求" in text_of(app.live.receipt) and earlier in text_of(app.live.receipt)
        assert app.live.check_action("merge", ())
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.offers and "已并入" in text_of(app.live.receipt), timeout=30)
        assert not app.live.check_action("merge", ())
        mine, root = stored(db_url, number), stored(db_url, earlier)
        assert spoken_date(root["deadline"]) in text_of(app.live.receipt)  # the receipt says the root's deadline
    assert mine["repeat_of"] == earlier and mine["deadline"] == root["deadline"]
    assert any(a == "merge" and d.get("repeat_of") == earlier for a, _n, d in mine["events"])
    assert any(a == "merge" and d.get("repeat") == number for a, _n, d in root["events"])


@pytest.mark.asyncio
async def test_no_merge_is_offered_without_a_repeat_and_esc_merges_nothing(tmp_path):
    url = sqlite_url(tmp_path)
    numbers = seed(url, (EARLIER, 3))
    app = case_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        number = await filed(pilot)
        await wait_for(pilot, lambda: app.offers, timeout=10)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, MergeScreen))
        await pilot.press("escape")
        await pilot.pause(0.5)
    assert stored(url, number)["repeat_of"] is None
    assert not [e for e in stored(url, numbers[EARLIER["title"]])["events"] if e[0] == "merge"]
    fresh_app = case_app(tmp_path / "other")
    async with fresh_app.run_test(size=SIZE) as pilot:
        await filed(pilot)
        await wait_for(pilot, lambda: fresh_app.live.receipt.display, timeout=10)
        assert not fresh_app.offers and not fresh_app.live.check_action("merge", ())
        assert "疑似重复" not in text_of(fresh_app.live.receipt)


@pytest.mark.asyncio
async def test_an_operator_cannot_solve_on_the_call(tmp_path):
    app = case_app(tmp_path, role="operator")
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        await wait_for(pilot, lambda: app.role_label == "接线员")
        assert not app.may_solve and not app.live.check_action("solve", ())
        await pilot.press("f9")  # the key is not there for this role
        await pilot.pause(0.3)
        assert not isinstance(app.screen, SolveScreen)
        number = await filed(pilot)
    assert stored(sqlite_url(tmp_path), number)["status"] == "已受理"


@pytest.mark.asyncio
async def test_a_supervising_seat_files_the_call_as_solved_on_the_call(tmp_path, db_url):  # noqa: F811
    seed(db_url)
    role = "supervisor" if db_url.startswith("sqlite") else None  # PostgreSQL: the login decides
    app = case_app(tmp_path, db_url, role=role)
    async with app.run_test(size=SIZE) as pilot:
        await drafted(pilot)
        await wait_for(pilot, lambda: app.may_solve, timeout=30)
        assert app.live.check_action("solve", ())
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, SolveScreen))
        app.screen.query_one("#solve-reply", Input).value = "已告知可改约下周二上午的号"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.ticket_number, timeout=30)
        await wait_for(pilot, lambda: app.live.receipt.display, timeout=10)
        number = app.session.ticket_number
        assert "已当场办结" in text_of(app.live.receipt) and number in text_of(app.live.receipt)
        assert "答复" not in text_of(app.live.receipt).split("宣读：")[1]  # no deadline promised
    ticket = stored(db_url, number)
    assert ticket["status"] == "当场办结" and ticket["reply"] == "已告知可改约下周二上午的号"
    assert ("transition", "已告知可改约下周二上午的号") in [(a, n) for a, n, _d in ticket["events"]]


@pytest.mark.asyncio
async def test_the_ticket_list_finds_a_callers_tickets_by_phone_or_name(tmp_path, db_url):  # noqa: F811
    numbers = seed(db_url, (EARLIER, 3), (OTHER, 50), ({**OTHER, "caller_name": "盛佳怡", "phone": "13700002222",
                                                       "title": "别人的工单"}, 1))
    app = case_app(tmp_path, db_url, role=None if db_url.startswith("postgresql") else "operator")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, TicketListScreen))
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 3, timeout=30)
        for query, titles in (("136 1111 2222", {EARLIER["title"], OTHER["title"]}), ("盛佳怡", {"别人的工单"}),
                              ("疫苗", {EARLIER["title"]})):
            await pilot.press("/")
            search = app.screen.query_one("#search", Input)
            search.value = query
            await pilot.press("enter")
            want = {numbers[t] for t in titles}
            await wait_for(pilot, lambda w=want: {table.get_row_at(i)[0] for i in range(table.row_count)} == w,
                           timeout=30)
        assert "按编号、标题或来电人姓名" in text_of(app.screen.query_one("#search-result"))


def test_an_unknown_role_is_named_before_the_screen_opens(tmp_path):
    from tests.conftest import run_hotline

    done = run_hotline("console", "--replay", "demo", "--role", "厨师", env={"HOTLINE_HOME": str(tmp_path)},
                       timeout=60)
    assert done.returncode == 2 and "未知的角色“厨师”" in done.stderr and "Traceback" not in done.stderr
