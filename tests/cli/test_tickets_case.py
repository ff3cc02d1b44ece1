"""`hotline tickets dispatch / return / reroute / finish / visit` as a centre and its units run them, on SQLite
and PostgreSQL: each mistake one Chinese line and nothing changed, each step in the history, the deadlines shown,
exported and queried. The command runs in this process (``assistant.cli.main``, the parser and the error
handling the ``hotline`` script runs): some forty commands, each a child process, took minutes on a loaded
machine; tests/cli/test_tickets_cli.py runs the commands as child processes.

On PostgreSQL the role is the login's, not ``--role``'s: each step runs under the login of a person in that role
(``hotline db grant``), and a unit's login reaches only its own unit's tickets."""

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from assistant.cli import main
from assistant.store import access, workflow
from assistant.store.deadlines import DeadlineRules
from assistant.store.roles import Role
from assistant.store.tickets import create_ticket, get
from tests.store import conftest as store_fixtures

db_url, engine = store_fixtures.db_url, store_fixtures.engine  # the store's fixture: SQLite and PostgreSQL

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
HEALTH, HOSPITAL, INSURANCE = "临江市卫生健康委员会", "临江市第一人民医院", "临江市医疗保障局"
VALUES = {"appeal_type": "投诉", "category": "医保报销", "urgency": "一般", "caller_name": "郑海燕",
          "phone": "13600002222", "title": "住院押金迟迟不退"}


def add(engine, days_ago: float = 0, **values) -> str:
    now = datetime.now(UTC) - timedelta(days=days_ago)
    with Session(engine) as session, session.begin():
        return create_ticket(session, hotline="12320", values={**VALUES, **values}, operator_id="0815",
                             actor="接线员0815", now=now, rules=DeadlineRules()).number


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def hotline(capsys):
    """Run ``hotline ARGS`` and return what it printed, as a child process would."""

    def run(*args: str) -> Done:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return Done(code, out.out, out.err)

    return run


@pytest.fixture
def seat(engine, db_url):
    """``seat(role, unit)``: the flags that make a command act in that role. SQLite: ``--role``. PostgreSQL: the
    URL of a login granted that role (and unit), dropped afterwards: login names are the server's, so each
    pytest worker has its own."""
    logins: dict[str, str] = {}

    def drop() -> None:
        with engine.begin() as conn:
            for login in logins.values():
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{login}"')
            conn.execute(text("DELETE FROM hotline_access.unit_login WHERE login = ANY(:l)"),
                         {"l": list(logins.values())})

    def take(role: str, unit: str | None = None) -> tuple[str, ...]:
        if engine.dialect.name == "sqlite":
            return ("--db", db_url, "--role", role)
        key = f"{role}{'' if unit is None else [HEALTH, HOSPITAL, INSURANCE].index(unit)}"
        if key not in logins:
            logins[key] = f"hl_{WORKER}_case_{key}".lower()
            with engine.begin() as conn:
                access.grant(conn, logins[key], Role(role), unit)
        return ("--db", make_url(db_url).set(username=logins[key]).render_as_string(hide_password=False))

    yield take
    if logins:
        drop()


def fails(done, *words: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stderr.startswith("错误："), done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    return done.stderr


def status(engine, number: str) -> str:
    with Session(engine) as session:
        return get(session, number).status


def test_a_case_from_dispatch_to_reopening(engine, db_url, hotline, seat):
    number = add(engine)
    operator, supervisor = seat("operator"), seat("supervisor")
    health, hospital = seat("unit", HEALTH), seat("unit", HOSPITAL)
    fails(hotline("tickets", "dispatch", number, "--unit", "市卫生局", *operator), "单位目录中没有承办单位“市卫生局”")
    sent = hotline("tickets", "dispatch", number, "--unit", "市卫健委", "--note", "请核实押金", "--actor", "接线员0815",
                   *operator)
    assert sent.returncode == 0 and f"已派单（承办单位 {HEALTH}" in sent.stdout, sent.stderr
    fails(hotline("tickets", "return", number, *health), "退回工单必须写明原因", "--reason")
    fails(hotline("tickets", "return", number, "--reason", "  ", *health), "退回工单必须写明原因")
    fails(hotline("tickets", "return", number, "--reason", "押金归医院财务", *operator), "接线员", "不能退回", "unit")
    if engine.dialect.name == "postgresql":  # another unit's login does not even find the ticket
        fails(hotline("tickets", "return", number, "--reason", "不归我们", *seat("unit", INSURANCE)), "没有编号为")
    assert status(engine, number) == workflow.DISPATCHED  # every refusal above changed nothing
    back = hotline("tickets", "return", number, "--reason", "押金归医院财务处理", "--actor", "卫健委办公室", *health)
    assert back.returncode == 0 and "退回（派单时限" in back.stdout, back.stderr
    rerouted = hotline("tickets", "reroute", number, "--unit", "市一院", "--note", "由医院退押金", "--actor", "班长陈",
                       *supervisor)
    assert rerouted.returncode == 0 and HOSPITAL in rerouted.stdout, rerouted.stderr
    fails(hotline("tickets", "finish", number, *hospital), "办结必须填写办理结果", "--reply")
    done = hotline("tickets", "finish", number, "--reply", "押金已原路退回", "--actor", "市一院财务科", *hospital)
    assert done.returncode == 0 and done.stdout.strip() == f"{number}：已办结", done.stderr
    fails(hotline("tickets", "visit", number, "--method", "电话", "--satisfaction", "满意", "--reopen", *operator),
          "不能重新办理")
    again = hotline("tickets", "visit", number, "--method", "电话", "--satisfaction", "不满意", "--comment",
                    "只退了一半", "--reopen", "--actor", "回访员", *operator)
    assert again.returncode == 0 and f"办理中（承办单位 {HOSPITAL}，办理时限" in again.stdout, again.stderr
    shown = hotline("tickets", "show", number, "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    history = shown.stdout.split("历史：")[1].splitlines()
    dispatched = rf"  \d{{4}}-\d\d-\d\d \d\d:\d\d 接线员0815 已受理 → 已派单 转办至 {HEALTH}：请核实押金"
    assert re.fullmatch(dispatched, history[2]), history
    assert f"卫健委办公室 已派单 → 退回 由 {HEALTH} 退回：押金归医院财务处理" in history[3]
    assert f"班长陈 退回 → 已派单 改派 {HEALTH} → {HOSPITAL}：由医院退押金" in history[4]
    assert "市一院财务科 已派单 → 办理中 签收：办结时签收" in history[5]
    assert "回访员 已办结 → 已回访 回访（电话，不满意）：只退了一半" in history[7]
    assert "回访员 已回访 → 办理中 重新办理：只退了一半（办理时限改为" in history[8]
    fields = dict(line.split("：", 1) for line in shown.stdout.split("历史：")[0].splitlines())
    assert fields["派单时限"] and fields["办理结果"] == "押金已原路退回" and fields["满意度"] == "不满意"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", fields["派单时间"]), fields["派单时间"]


def test_move_delegates_and_refuses_what_a_step_needs(engine, db_url, hotline, seat):
    number = add(engine, unit=INSURANCE)
    operator, unit = seat("operator"), seat("unit", INSURANCE)
    assert hotline("tickets", "move", number, "已派单", *operator).returncode == 0
    fails(hotline("tickets", "move", number, "退回", *unit), "退回工单必须写明原因", "--note")
    assert hotline("tickets", "move", number, "办理中", *unit).returncode == 0
    fails(hotline("tickets", "move", number, "已办结", *unit), "办结必须填写办理结果")
    assert hotline("tickets", "move", number, "已办结", "--note", "已答复", *unit).returncode == 0
    fails(hotline("tickets", "move", number, "已回访", *operator), "回访", "hotline tickets visit")
    fails(hotline("tickets", "visit", number, "--method", "信鸽", "--satisfaction", "满意", *operator), "信鸽", "电话")
    assert hotline("tickets", "visit", number, "--method", "短信", "--satisfaction", "满意", *operator).returncode == 0
    assert hotline("tickets", "move", number, "已归档", *operator).returncode == 0
    fails(hotline("tickets", "move", number, "办理中", *operator), "不能从“已归档”改为“办理中”", "终态")
    solved = add(engine)
    fails(hotline("tickets", "move", solved, "当场办结", *operator), "不能当场办结", "supervisor")
    assert hotline("tickets", "move", solved, "当场办结", *seat("supervisor")).returncode == 0


def test_overdue_lists_undispatched_tickets_and_urgent_ones_first(engine, db_url, tmp_path, hotline):
    waiting = add(engine, days_ago=5, title="五天前受理未派单")  # past its dispatch deadline, not its handling one
    urgent = add(engine, urgency="紧急", title="紧急的新工单")
    recent = add(engine, title="刚受理的工单")
    db = ("--db", db_url)
    listed = hotline("tickets", "list", "--overdue", "--format", "json", *db)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [r["number"] for r in rows] == [waiting] and rows[0]["overdue"].startswith("超过派单时限 ")
    table = hotline("tickets", "list", "--overdue", *db)
    assert "派单时限" in table.stdout and "超过派单时限" in table.stdout, table.stdout
    every = json.loads(hotline("tickets", "list", "--format", "json", *db).stdout)
    assert [r["number"] for r in every] == [urgent, recent, waiting]
    out = tmp_path / "工单.xlsx"
    assert hotline("tickets", "export", "--out", str(out), *db).returncode == 0
    sheet = openpyxl.load_workbook(out).active
    headers = [c.value for c in sheet[1]]
    assert {"派单时限", "办理时限", "超期", "办理结果", "满意度", "回访方式"} <= set(headers)
    assert [sheet.cell(r, 1).value for r in (2, 3, 4)] == [urgent, recent, waiting]
    late = sheet.cell(4, headers.index("超期") + 1).value
    assert late.startswith("超过派单时限 ") and sheet.freeze_panes == "A2"
