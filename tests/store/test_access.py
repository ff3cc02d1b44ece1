"""Access the database enforces (PostgreSQL): each person's login in one role, proved with plain SQL.

Login roles belong to the whole server, not to one database: each test process names its own (``hl_gw0_4711_…``:
worker and process id, since another run of the suite may use the same worker names) and drops them when done.
"""

import json
import os

import psycopg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from assistant.console.session import CallSession
from assistant.console.tickets import TicketDesk
from assistant.errors import AccessError
from assistant.store import access
from assistant.store.db import make_engine
from assistant.store.models import Ticket, TicketEvent, Unit
from assistant.store.privacy import mask_name, mask_phone
from assistant.store.roles import Role, role_for
from assistant.store.tickets import Filters, create_ticket, list_tickets, row
from tests.conftest import run_hotline as hotline
from tests.store.conftest import PG_URL, fresh

WORKER = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
EAST, WEST = "东城区卫生健康局", "西城区卫生健康局"
EAST_CALLER = {"appeal_type": "投诉", "category": "服务态度", "unit": EAST, "caller_name": "柯文静",
               "phone": "13566071234", "title": "门诊排队无人引导"}
WEST_CALLER = {"appeal_type": "咨询", "category": "医保报销", "unit": WEST, "caller_name": "龚海涛",
               "phone": "18922043377", "title": "异地就医备案流程"}


def name(kind: str) -> str:
    return f"hl_{WORKER}_{kind}".lower()


def login_url(login: str) -> str:
    return make_url(PG_URL).set(username=login, password=None).render_as_string(hide_password=False)


def plain(login: str) -> psycopg.Connection:
    """A bare psycopg connection as ``login``: SQL typed by hand, no application in between."""
    url = make_url(PG_URL)
    return psycopg.connect(host=url.host, port=url.port or 5432, dbname=url.database, user=login)


def _drop(engine, *logins: str) -> None:
    with engine.begin() as conn:
        for login in logins:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
        if conn.execute(text("SELECT to_regclass('hotline_access.unit_login')")).scalar() is not None:
            conn.execute(text("DELETE FROM hotline_access.unit_login WHERE login = ANY(:l)"), {"l": list(logins)})


@pytest.fixture
def pg():
    """A fresh PostgreSQL store with a ticket for each of two units, and the logins the test grants."""
    engine = fresh(PG_URL)
    logins = [name(k) for k in ("east", "west", "op", "sup", "nobody")]
    _drop(engine, *logins)
    with Session(engine) as session, session.begin():
        session.add_all([Unit(name=EAST, aliases=["东城卫健局"]), Unit(name=WEST)])
        east = create_ticket(session, hotline="12320", values=EAST_CALLER, operator_id="2041", actor="接线员2041")
        west = create_ticket(session, hotline="12320", values=WEST_CALLER, operator_id="2041", actor="接线员2041")
        numbers = {EAST: east.number, WEST: west.number}
    with engine.begin() as conn:
        access.grant(conn, name("east"), Role.UNIT, "东城卫健局")  # an alias: the official name is recorded
        access.grant(conn, name("west"), Role.UNIT, WEST)
        access.grant(conn, name("op"), Role.OPERATOR)
        access.grant(conn, name("sup"), Role.SUPERVISOR)
    yield engine, numbers
    _drop(engine, *logins)
    engine.dispose()


def _refused(conn: psycopg.Connection, sql: str, *params) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        conn.execute(sql, params or None)
    conn.rollback()
    return str(refused.value)


def test_a_unit_login_reads_only_its_own_tickets_and_no_personal_column_even_in_plain_sql(pg):
    engine, numbers = pg
    with plain(name("east")) as conn:
        assert [r[0] for r in conn.execute("SELECT number FROM ticket")] == [numbers[EAST]]
        assert conn.execute("SELECT count(*) FROM ticket WHERE unit = %s", (WEST,)).fetchone()[0] == 0
        events = conn.execute("SELECT DISTINCT t.number FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id")
        assert [r[0] for r in events] == [numbers[EAST]]
        assert conn.execute("SELECT count(*) FROM ticket_event").fetchone()[0] == 1  # not the other unit's events
        for column in ("caller_name", "phone", "drafted", "phone_key"):
            assert "permission denied" in _refused(conn, f"SELECT {column} FROM ticket")
        _refused(conn, "SELECT * FROM ticket")
        for table in ("call", "segment", "field_correction", "review"):
            _refused(conn, f"SELECT count(*) FROM {table}")
        ids = [r[0] for r in conn.execute("SELECT id FROM ticket")]
        _refused(conn, "SELECT * FROM hotline_access.read_personal(%s, 'x', 'y')", ids)
        # The masked copies the application shows: only of the unit's own tickets.
        with engine.connect() as owner:
            all_ids = list(owner.execute(text("SELECT id FROM ticket ORDER BY id")).scalars())
        masked = conn.execute("SELECT caller_name, phone FROM hotline_access.masked(%s)", (all_ids,)).fetchall()
        assert masked == [("柯**", "135****1234")]
        # It moves only its own tickets, and cannot hand one to another unit.
        moved = conn.execute("UPDATE ticket SET status = '办理中' WHERE unit = %s", (WEST,))
        assert moved.rowcount == 0
        _refused(conn, "UPDATE ticket SET status = '办理中', unit = %s WHERE number = %s", WEST, numbers[EAST])
        signed = conn.execute("UPDATE ticket SET status = '办理中' WHERE number = %s", (numbers[EAST],))
        assert signed.rowcount == 1
        conn.rollback()
        _refused(conn, "UPDATE ticket SET caller_name = 'x'")
    with Session(engine) as session:
        assert session.scalar(select(Ticket.status).where(Ticket.number == numbers[WEST])) == "已受理"


def test_set_role_to_a_unit_login_is_held_to_the_same_rules(pg):
    engine, numbers = pg
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL ROLE {name('west')}")
        assert list(conn.execute(text("SELECT number FROM ticket")).scalars()) == [numbers[WEST]]
        ids = list(conn.execute(text("SELECT id FROM ticket")).scalars())
        assert conn.execute(text("SELECT phone FROM hotline_access.masked(:ids)"), {"ids": ids}).scalars().all() \
            == ["189****3377"]
    with pytest.raises(Exception, match="permission denied"), engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL ROLE {name('west')}")
        conn.execute(text("SELECT caller_name FROM ticket"))


def test_a_supervisors_full_read_goes_through_the_database_and_is_audited(pg):
    engine, numbers = pg
    with plain(name("sup")) as conn:
        assert conn.execute("SELECT count(*) FROM ticket").fetchone()[0] == 2  # every unit's tickets
        _refused(conn, "SELECT caller_name FROM ticket")  # not around the audit
        ids = [r[0] for r in conn.execute("SELECT id FROM ticket WHERE number = %s", (numbers[WEST],))]
        full = conn.execute("SELECT caller_name, phone FROM hotline_access.read_personal(%s, %s, %s)",
                            (ids, "质检彭丽", "核实回访号码")).fetchall()
        conn.commit()
    assert full == [("龚海涛", "18922043377")]
    with Session(engine) as session:
        audit = session.scalars(select(TicketEvent).where(TicketEvent.action == "read_personal")).all()
        assert [(e.ticket_id, e.actor, e.note, e.detail) for e in audit] == \
            [(ids[0], "质检彭丽", "核实回访号码", {"login": name("sup")})]


def test_the_application_under_a_supervisor_login_reads_in_full_only_with_an_audit(pg):
    engine, numbers = pg
    sup = make_engine(login_url(name("sup")))
    with Session(sup) as session, session.begin():
        tickets = list_tickets(session, Filters())
        assert sorted(row(t)["phone"] for t in tickets) == ["135****1234", "189****3377"]
        access.read_personal(session, tickets, actor="质检彭丽", note="导出完整信息")
        assert sorted(row(t, full=True)["phone"] for t in tickets) == ["13566071234", "18922043377"]
        assert all("质检彭丽" in [e.actor for e in t.events if e.action == "read_personal"] for t in tickets)
    sup.dispose()
    east = make_engine(login_url(name("east")))
    with Session(east) as session, session.begin(), pytest.raises(AccessError, match="无权查看来电人完整信息"):
        access.read_personal(session, list_tickets(session, Filters()), actor="东城刘", note="x")
    east.dispose()


def test_an_operator_login_files_and_lists_through_the_cli_with_the_caller_masked(pg, tmp_path):
    engine, numbers = pg
    url = login_url(name("op"))
    drafts = tmp_path / "drafts.jsonl"
    drafts.write_text(json.dumps({"hotline": "12320", "operator_id": "3302", "ticket": {
        "appeal_type": "求助", "category": "院前急救", "unit": EAST, "caller_name": "滕子昂",
        "phone": "15811226699", "title": "夜间急救车调度咨询"}}, ensure_ascii=False) + "\n", encoding="utf-8")
    filed = hotline("tickets", "import", str(drafts), "--db", url, "--actor", "接线员3302")
    assert filed.returncode == 0, filed.stderr
    number = filed.stdout.split()[0]
    listed = hotline("tickets", "list", "--db", url, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["number"]: r for r in json.loads(listed.stdout)}
    assert set(rows) == {number, *numbers.values()}  # an operator reads every ticket, masked
    assert (rows[number]["caller_name"], rows[number]["phone"]) == ("滕**", "158****6699")
    shown = hotline("tickets", "show", number, "--db", url)
    assert shown.returncode == 0 and "158****6699" in shown.stdout and "15811226699" not in shown.stdout
    with plain(name("op")) as conn:
        _refused(conn, "SELECT phone FROM ticket")
        keys = conn.execute("SELECT count(*) FROM ticket WHERE phone_key IS NOT NULL").fetchone()[0]
        assert keys == 3  # repeat callers are found by the key, which an operator may read
    with Session(engine) as session:  # the number went in whole
        assert session.scalar(select(Ticket.phone).where(Ticket.number == number)) == "15811226699"


def test_the_console_files_and_updates_a_call_under_an_operator_login(pg):
    desk = TicketDesk(login_url(name("op")), model_version="test")
    call = CallSession(call_id="acc-1", hotline="12320", operator_id="3302", started_at="2026-12-01T09:00:00",
                       values={"appeal_type": "投诉", "unit": WEST, "caller_name": "景一凡", "phone": "13012345678"},
                       drafted={"caller_name": "景一帆", "phone": "13012345678"})
    first = desk.file(call)
    call.values["phone"] = "13012345679"
    second = desk.file(call)
    assert second.number == first.number and second.updated
    found = [r for r in desk.search(None) if r["number"] == first.number]
    assert (found[0]["caller_name"], found[0]["phone"]) == ("景**", "130****5679")
    engine, _ = pg
    with Session(engine) as session:
        assert session.scalar(select(Ticket.phone).where(Ticket.number == first.number)) == "13012345679"


def test_the_role_comes_from_the_session_not_from_the_flag(pg):
    checks = {"east": Role.UNIT, "op": Role.OPERATOR, "sup": Role.SUPERVISOR}
    for kind, role in checks.items():
        engine = make_engine(login_url(name(kind)))
        assert role_for(engine) is role
        assert role_for(engine, role.value) is role
        engine.dispose()
    east = make_engine(login_url(name("east")))
    with pytest.raises(AccessError, match="不能以“班长/质检”的身份操作"):
        role_for(east, "supervisor")
    east.dispose()
    owner, _ = pg
    with owner.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{name("nobody")}" LOGIN')
    nobody = make_engine(login_url(name("nobody")))
    with pytest.raises(AccessError, match="不属于 hotline 的任何角色") as caught:
        role_for(nobody)
    assert f"hotline db grant {name('nobody')}" in caught.value.hint
    nobody.dispose()
    whoami = hotline("db", "whoami", "--db", login_url(name("east")))
    assert whoami.returncode == 0 and f"单位：{EAST}" in whoami.stdout


def test_grant_revoke_and_logins_from_the_cli(pg):
    engine, _ = pg
    who = name("nobody")
    unit = hotline("db", "grant", who, "unit", "--db", PG_URL)
    assert unit.returncode == 2 and "必须指定单位" in unit.stderr
    typo = hotline("db", "grant", who, "unit", "--unit", "东城区卫生建康局", "--db", PG_URL)
    assert typo.returncode == 2 and f"是不是：{EAST}" in typo.stderr
    made = hotline("db", "grant", who, "承办单位", "--unit", EAST, "--db", PG_URL)
    assert made.returncode == 0 and "已新建数据库用户" in made.stdout and f"单位：{EAST}" in made.stdout
    again = hotline("db", "grant", who, "operator", "--db", PG_URL)
    assert again.returncode == 0 and "已退出 承办单位" in again.stdout
    listed = hotline("db", "logins", "--db", PG_URL)
    lines = {line.split("\t")[0]: line for line in listed.stdout.splitlines()}
    assert "接线员（operator）" in lines[who] and "单位" not in lines[who]
    assert f"单位：{EAST}" in lines[name("east")]
    by_operator = hotline("db", "grant", who, "admin", "--db", login_url(name("op")))
    assert by_operator.returncode == 2 and "无权创建用户或授予角色" in by_operator.stderr
    reserved = hotline("db", "grant", "hotline_admin", "admin", "--db", PG_URL)
    assert reserved.returncode == 2 and "不能作为个人的数据库用户" in reserved.stderr
    gone = hotline("db", "revoke", who, "--db", PG_URL)
    assert gone.returncode == 0 and "已退出 接线员" in gone.stdout
    with engine.connect() as conn:
        assert who not in [login.name for login in access.logins(conn)]


def test_sqlite_takes_the_role_from_configuration_and_has_no_grants(tmp_path, hotline_home):
    db = f"sqlite:///{tmp_path / 'hotline.db'}"
    refused = hotline("db", "grant", "someone", "operator", "--db", db)
    assert refused.returncode == 2 and "只用于 PostgreSQL" in refused.stderr and "文件的主人" in refused.stderr
    assert "接线员" in hotline("db", "whoami", "--db", db).stdout
    assert "管理员" in hotline("db", "whoami", "--db", db, env={"HOTLINE_ROLE": "admin"}).stdout
    config = hotline_home / "config.toml"
    config.write_text('role = "班长/质检"\n', encoding="utf-8")
    try:
        assert "班长/质检（supervisor）" in hotline("db", "whoami", "--db", db, env={"HOTLINE_ROLE": ""}).stdout
        config.write_text('role = "boss"\n', encoding="utf-8")
        wrong = hotline("db", "whoami", "--db", db, env={"HOTLINE_ROLE": ""})
        assert wrong.returncode == 2 and "未知的角色“boss”" in wrong.stderr and "config.toml" in wrong.stderr
    finally:
        config.unlink()


@pytest.mark.parametrize("value", ["", "王", "欧阳", "司马相如", "13912345678", "0571-86001234", "12345",
                                   "+8613912345678"])
def test_the_databases_masks_are_the_applications(pg, value):
    engine, _ = pg
    with engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET caller_name = :v, phone = :v WHERE unit = :u"), {"v": value, "u": EAST})
        conn.exec_driver_sql(f"SET LOCAL ROLE {name('east')}")
        ids = list(conn.execute(text("SELECT id FROM ticket")).scalars())
        masked = conn.execute(text("SELECT caller_name, phone FROM hotline_access.masked(:ids)"), {"ids": ids}).one()
    assert tuple(masked) == (mask_name(value), mask_phone(value))


def test_every_ticket_column_but_the_personal_ones_is_readable_by_each_role(pg):
    engine, _ = pg
    hidden = {Role.UNIT: {"caller_name", "phone", "drafted", "phone_key"}}
    with engine.connect() as conn:
        columns = set(conn.execute(text("SELECT attname FROM pg_attribute WHERE attrelid = 'ticket'::regclass"
                                        " AND attnum > 0 AND NOT attisdropped")).scalars())
        for role in Role:
            readable = set(conn.execute(text(
                "SELECT c FROM unnest(CAST(:c AS text[])) AS c WHERE has_column_privilege(:g, 'ticket', c, 'SELECT')"),
                {"c": sorted(columns), "g": role.group}).scalars())
            assert columns - readable == hidden.get(role, {"caller_name", "phone"}), role


def test_the_revision_runs_again_and_comes_down_cleanly(pg):
    from alembic import command

    from assistant.store.migrate import alembic_config, upgrade

    engine, numbers = pg
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    upgrade(engine)  # a second run changes nothing and refuses nothing
    with plain(name("east")) as conn:
        assert [r[0] for r in conn.execute("SELECT number FROM ticket")] == [numbers[EAST]]
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0006")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regnamespace('hotline_access')")).scalar() is None
        assert not conn.execute(text("SELECT relrowsecurity FROM pg_class WHERE relname = 'ticket'"
                                     " AND relnamespace = current_schema()::regnamespace")).scalar()
    upgrade(engine)


def test_on_sqlite_a_ticket_loads_with_its_caller_in_one_query(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL owner is covered by the tests above")
    with Session(engine) as session, session.begin():
        for caller in (EAST_CALLER, WEST_CALLER):
            create_ticket(session, hotline="12320", values=caller, operator_id="2041", actor="接线员2041",
                          drafted=caller)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with Session(engine) as session:
        tickets = list_tickets(session, Filters())
        shown = [(t.caller_name, t.phone, t.drafted["phone"], t.phone_key is not None) for t in tickets]
    assert sorted(shown) == [("柯文静", "13566071234", "13566071234", True),
                             ("龚海涛", "18922043377", "18922043377", True)]
    assert len([s for s in statements if "FROM ticket" in s]) == 1


def _events(engine, action: str) -> list[TicketEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(TicketEvent).where(TicketEvent.action == action).order_by(TicketEvent.id)))


def test_a_supervisor_logins_full_show_and_list_are_the_databases_audited_reads(pg):
    engine, numbers = pg
    url = login_url(name("sup"))
    masked = hotline("tickets", "show", numbers[EAST], "--db", url)
    assert masked.returncode == 0, masked.stderr
    assert "135****1234" in masked.stdout and "13566071234" not in masked.stdout
    assert _events(engine, "read_personal") == []
    shown = hotline("tickets", "show", numbers[EAST], "--db", url, "--full", "--actor", "质检彭丽")
    assert shown.returncode == 0, shown.stderr  # no --role: the login is a supervisor
    assert "13566071234" in shown.stdout and "柯文静" in shown.stdout
    assert "查看来电人完整信息" in shown.stdout  # the history printed holds the read just made
    audit = _events(engine, "read_personal")
    assert [(e.actor, e.note, e.detail) for e in audit] == [("质检彭丽", "查看来电人完整信息", {"login": name("sup")})]
    listed = hotline("tickets", "list", "--db", url, "--full", "--format", "json", "--actor", "质检彭丽")
    assert listed.returncode == 0, listed.stderr
    assert sorted(r["phone"] for r in json.loads(listed.stdout)) == ["13566071234", "18922043377"]
    assert all(e.detail == {"login": name("sup")} for e in _events(engine, "read_personal"))
    assert len(_events(engine, "read_personal")) == 3
    claimed = hotline("tickets", "show", numbers[EAST], "--db", login_url(name("op")), "--full", "--role", "supervisor")
    assert claimed.returncode == 2 and "不能以“班长/质检”的身份操作" in claimed.stderr
    refused = hotline("tickets", "show", numbers[EAST], "--db", login_url(name("op")), "--full")
    assert refused.returncode == 2 and "无权查看来电人完整信息" in refused.stderr
    assert len(_events(engine, "read_personal")) == 3


def test_a_unit_login_counts_its_own_tickets(pg):
    _, numbers = pg
    counted = hotline("tickets", "stats", "--db", login_url(name("east")))
    assert counted.returncode == 0, counted.stderr
    assert f"{EAST}\t1" in counted.stdout and WEST not in counted.stdout
    assert "服务态度\t1" in counted.stdout and "医保报销" not in counted.stdout


def test_a_unit_login_takes_its_steps_without_a_role_flag(pg, monkeypatch):
    from assistant.store import case
    from assistant.store.tickets import get

    monkeypatch.setenv("HOTLINE_ROLE", "operator")  # the configured role would be refused 办结
    engine, numbers = pg
    with Session(engine) as session, session.begin():
        case.dispatch(session, get(session, numbers[EAST]), actor="接线员2041", role="operator", unit=EAST)
    east = make_engine(login_url(name("east")))
    with Session(east) as session, session.begin():
        ticket = case.finish(session, get(session, numbers[EAST]), actor="东城刘", role=None, reply="已安排导诊员")
        assert ticket.status == "已办结"
    east.dispose()
    monkeypatch.setenv("HOTLINE_ROLE", "supervisor")  # the configured role would be let 办结
    op = make_engine(login_url(name("op")))
    with Session(op) as session, session.begin(), pytest.raises(AccessError, match="角色“接线员”不能办结"):
        case.finish(session, get(session, numbers[WEST]), actor="接线员2041", role=None, reply="已答复")
    op.dispose()


def test_an_edit_writes_the_callers_name_and_number_masked_in_the_history(engine):
    from assistant.store.edits import update_ticket

    with Session(engine) as session, session.begin():
        ticket = create_ticket(session, hotline="12320", values=EAST_CALLER, operator_id="2041", actor="接线员2041")
        update_ticket(session, ticket, {"caller_name": "柯文清", "phone": "13566075678", "category": "医疗质量"},
                      actor="班长邵敏")
        number = ticket.number
    with Session(engine) as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        note = next(e.note for e in ticket.events if e.action == "edit")
        assert (ticket.caller_name, ticket.phone) == ("柯文清", "13566075678")  # the ticket holds them whole
    assert "来电人：柯** → 柯**" in note and "135****1234 → 135****5678" in note
    assert "服务态度 → 医疗质量" in note
    for whole in ("柯文静", "柯文清", "13566071234", "13566075678"):
        assert whole not in note


def test_a_role_line_in_config_toml_is_a_known_setting(hotline_home, caplog):
    from assistant.config import Settings

    config = hotline_home / "config.toml"
    config.write_text('role = "supervisor"\nrol = "admin"\n', encoding="utf-8")
    try:
        Settings.load()
    finally:
        config.unlink()
    assert "rol 不认识" in caplog.text and "role 不认识" not in caplog.text
