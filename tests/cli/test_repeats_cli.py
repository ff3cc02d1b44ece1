"""`hotline tickets search`, `repeats`, `merge` and `unmerge` as a user runs them, on SQLite and PostgreSQL: masked
unless the role allows, full reads audited, 并单 and 撤销并单 and their refusals in one Chinese line, groups and
flags listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import Ticket, TicketEvent
from assistant.store.repeats import flag
from assistant.store.tickets import create_ticket
from tests.cli.test_tickets_cli import fails
from tests.conftest import run_hotline as hotline
from tests.store import conftest as store_fixtures

db_url, engine = store_fixtures.db_url, store_fixtures.engine  # the store's fixture: SQLite and PostgreSQL

NOW = datetime.now(UTC).replace(microsecond=0)
CALLER, NAME = "13800112233", "司马青云"
LEAK = {
    "unit": "南屏区第二人民医院", "category": "医疗质量", "appeal_type": "投诉", "urgency": "一般",
    "caller_name": NAME, "phone": CALLER, "department": "眼科", "location": "南屏区第二人民医院眼科",
    "title": "白内障手术后视力下降", "demand": "要求医院给出解释",
    "summary": "来电人反映上月在眼科做白内障手术，术后视力反而下降，复查三次医生都说再观察。来电人提到姓卓的医生，"
               "住在12床。",
}
AGAIN = {**LEAK, "phone": "138 0011 2233", "title": "白内障术后看不清",
         "summary": "来电人又来电，说眼科卓医生做的白内障手术后看东西模糊，12床出院后一直没好，要求解释。"}


def filed(engine, *tickets: tuple[timedelta, dict]) -> list[str]:
    with Session(engine) as session, session.begin():
        return [create_ticket(session, hotline="12320", values=values, operator_id="3318", actor="接线员3318",
                              now=NOW - ago).number for ago, values in tickets]


def ok(done) -> str:
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stdout


def test_search_by_phone_or_name_is_masked_and_a_full_view_is_audited(engine, db_url):
    first, second = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN))
    out = ok(hotline("tickets", "search", "--phone", "+86 138-0011-2233", "--db", db_url))
    assert first in out and second in out and out.index(second) < out.index(first)  # newest first
    assert CALLER not in out and NAME not in out and "138****2233" in out and "司***" in out
    assert first in ok(hotline("tickets", "search", "--name", NAME, "--db", db_url))
    err = fails(hotline("tickets", "search", "--phone", CALLER, "--full", "--db", db_url, "--role", "operator"),
                "无权查看")
    assert CALLER not in err
    with Session(engine) as session:
        assert session.scalars(select(TicketEvent).where(TicketEvent.action == "read_personal")).all() == []
    out = ok(hotline("tickets", "search", "--phone", CALLER, "--full", "--db", db_url, "--role", "supervisor",
                     "--actor", "质检员林"))
    assert CALLER in out and NAME in out
    with Session(engine) as session:
        reads = session.scalars(select(TicketEvent).where(TicketEvent.action == "read_personal")).all()
        assert sorted(e.ticket.number for e in reads) == [first, second] and {e.actor for e in reads} == {"质检员林"}


def test_search_needs_one_criterion_and_a_whole_number(engine, db_url):
    fails(hotline("tickets", "search", "--db", db_url), "--phone")
    fails(hotline("tickets", "search", "--phone", "12", "--db", db_url), "“12”", "5 位")
    done = hotline("tickets", "search", "--phone", "13999999999", "--db", db_url)
    assert ok(done) == "" and "没有找到工单" in done.stderr


def test_merge_then_either_number_shows_the_group_and_repeats_lists_it(engine, db_url):
    first, second = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN))
    out = ok(hotline("tickets", "merge", second, first, "--note", "同一白内障手术", "--actor", "班长何",
                     "--db", db_url))
    assert f"{second} 已并入 {first}" in out
    for number in (first, second):
        out = ok(hotline("tickets", "search", "--number", number, "--db", db_url))
        assert first in out and second in out and f"并入 {first}" in out and "主单（并入 1 张）" in out
    out = ok(hotline("tickets", "repeats", "--db", db_url))
    assert "并单组：1 组" in out and f"主单 {first}" in out and f"└ {second}" in out
    assert "疑似重复、尚未并单：0 张" in out
    later = (NOW + timedelta(days=2)).date().isoformat()
    assert "并单组：0 组" in ok(hotline("tickets", "repeats", "--from", later, "--db", db_url))
    shown = ok(hotline("tickets", "show", second, "--db", db_url))
    assert f"并入 {first}" in shown and "同一白内障手术" in shown
    with Session(engine) as session:
        root = session.scalars(select(Ticket).where(Ticket.number == first)).one()
        assert [e.detail for e in root.events if e.action == "merge"] == [{"repeat": second}]
        repeat = session.scalars(select(Ticket).where(Ticket.number == second)).one()
        assert [e.detail["repeat_of"] for e in repeat.events if e.action == "merge"] == [first]


def test_merge_refusals_are_one_chinese_line_with_the_way_out(engine, db_url):
    first, second, third = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN),
                                 (timedelta(hours=1), {**AGAIN, "phone": "13800112299"}))
    fails(hotline("tickets", "merge", first, first, "--db", db_url), "它自己")
    fails(hotline("tickets", "merge", first, second, "--db", db_url), "晚", f"merge {second} {first}")
    ok(hotline("tickets", "merge", second, first, "--db", db_url))
    fails(hotline("tickets", "merge", third, second, "--db", db_url), "已并入", f"merge {third} {first}")
    fails(hotline("tickets", "merge", third, "12320-20260101-9999", "--db", db_url), "12320-20260101-9999")
    fails(hotline("tickets", "merge", third, first, "--db", db_url, "--actor", ""), "操作人")
    with Session(engine) as session:
        assert session.scalars(select(Ticket).where(Ticket.number == third)).one().repeat_of_id is None


def test_merge_refuses_a_units_role_and_changes_nothing(engine, db_url):
    first, second = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN))
    with Session(engine) as session:
        events = len(session.scalars(select(TicketEvent)).all())
    # SQLite: the unit role may not; PostgreSQL: the login's role decides, and --role may not claim another
    err = fails(hotline("tickets", "merge", second, first, "--role", "unit", "--db", db_url), "承办单位")
    assert engine.dialect.name != "sqlite" or "不能并单" in err
    with Session(engine) as session:
        assert len(session.scalars(select(TicketEvent)).all()) == events
        assert session.scalars(select(Ticket).where(Ticket.number == second)).one().repeat_of_id is None
    if engine.dialect.name == "sqlite":  # the centre's side may, in the role configured
        assert f"{second} 已并入 {first}" in ok(hotline("tickets", "merge", second, first, "--role", "supervisor",
                                                         "--db", db_url))


def test_repeats_lists_flags_and_what_a_scan_finds(engine, db_url):
    relative = {**AGAIN, "phone": "13800112299", "caller_name": "司马红"}
    first, second = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), {**LEAK, **{
        k: relative[k] for k in ("phone", "caller_name")}, "summary": LEAK["summary"] + "家属代为来电。"}))
    out = ok(hotline("tickets", "repeats", "--db", db_url))
    assert "疑似重复、尚未并单：0 张" in out  # nothing flagged; the scan is asked for
    out = ok(hotline("tickets", "repeats", "--scan", "--db", db_url))
    assert "疑似重复、尚未并单：1 张" in out and f"≈ {first}" in out and "相似度查找" in out
    assert "疑似重复、尚未并单：0 张" in ok(hotline("tickets", "repeats", "--scan", "--days", "2", "--db", db_url))
    with Session(engine) as session, session.begin():
        flag(session, second, actor="batch")
    done = hotline("tickets", "repeats", "--open", "--scan", "--db", db_url)
    out = ok(done)
    assert out.count(second) == 1 and "批量标记于" in out and "hotline tickets merge" in done.stderr
    assert NAME not in out and CALLER not in out
    fails(hotline("tickets", "repeats", "--from", "2026-13-01", "--db", db_url), "2026-13-01")
    fails(hotline("tickets", "repeats", "--scan", "--days", "0", "--db", db_url), "0")


def test_unmerge_undoes_a_wrong_merge_in_both_histories_and_repeats_drops_the_group(engine, db_url):
    first, second = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN))
    with Session(engine) as session:
        own = session.scalars(select(Ticket).where(Ticket.number == second)).one().deadline
    assert f"≈ {first}" in ok(hotline("tickets", "repeats", "--scan", "--db", db_url))
    ok(hotline("tickets", "merge", second, first, "--actor", "班长何", "--db", db_url))
    out = ok(hotline("tickets", "unmerge", second, "--note", "不是同一次手术", "--actor", "质检员林", "--db", db_url))
    assert f"{second} 已撤销并单，不再并入 {first}" in out and f"办理时限 {own.isoformat()}" in out
    shown = ok(hotline("tickets", "show", second, "--db", db_url))
    assert f"质检员林 撤销并单（原并入 {first}）：不是同一次手术（办理时限 " in shown and f"→ {own}" in shown
    shown = ok(hotline("tickets", "show", first, "--db", db_url))
    assert f"质检员林 撤销并单（重复工单 {second} 不再并入本单）：不是同一次手术" in shown
    out = ok(hotline("tickets", "repeats", "--db", db_url))
    assert "并单组：0 组" in out and second not in out
    # the scan found it before the merge; undone, it is no suspect of that root again
    out = ok(hotline("tickets", "repeats", "--scan", "--db", db_url))
    assert "疑似重复、尚未并单：0 张" in out and second not in out
    with Session(engine) as session:
        repeat = session.scalars(select(Ticket).where(Ticket.number == second)).one()
        assert repeat.repeat_of_id is None and repeat.deadline == own
        assert [e.action for e in repeat.events][-2:] == ["merge", "unmerge"]


def test_unmerge_refusals_are_one_chinese_line_and_change_nothing(engine, db_url):
    first, second, third = filed(engine, (timedelta(days=6), LEAK), (timedelta(hours=3), AGAIN),
                                 (timedelta(hours=1), {**AGAIN, "phone": "13800112299"}))
    ok(hotline("tickets", "merge", second, first, "--db", db_url))
    with Session(engine) as session:
        events = len(session.scalars(select(TicketEvent)).all())
    why = ("--note", "并错了")
    fails(hotline("tickets", "unmerge", third, *why, "--db", db_url), third, "没有并入其他工单")
    fails(hotline("tickets", "unmerge", first, *why, "--db", db_url), first, "是主单", f"unmerge {second}")
    fails(hotline("tickets", "unmerge", second, "--db", db_url), "撤销并单必须写明理由", "--note")
    fails(hotline("tickets", "unmerge", second, "--note", " ", "--db", db_url), "撤销并单必须写明理由")
    fails(hotline("tickets", "unmerge", second, *why, "--actor", "", "--db", db_url), "操作人")
    fails(hotline("tickets", "unmerge", "12320-20260101-9999", *why, "--db", db_url), "12320-20260101-9999")
    # SQLite: the unit role may not; PostgreSQL: the login's role decides, and --role may not claim another
    fails(hotline("tickets", "unmerge", second, *why, "--role", "unit", "--db", db_url), "承办单位")
    with Session(engine) as session:
        assert len(session.scalars(select(TicketEvent)).all()) == events
        repeat = session.scalars(select(Ticket).where(Ticket.number == second)).one()
        assert repeat.repeat_of_id == session.scalars(select(Ticket.id).where(Ticket.number == first)).one()
