"""`hotline tickets edit`: a supervisor corrects a filed ticket; every change audited and kept for learning.

The real command in a child process, on SQLite and on PostgreSQL; a mistake is one Chinese line and changes
nothing.
"""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.store.models import FieldCorrection, Ticket, TicketEvent
from tests.cli.test_tickets_cli import fails, line, write
from tests.cli.test_tickets_cli import hotline as run
from tests.store import conftest as store_fixtures

db_url, engine = store_fixtures.db_url, store_fixtures.engine

FILED = {"title": "饭店吃坏肚子", "appeal_type": "投诉", "category": "医疗质量", "urgency": "一般",
         "caller_name": "张三", "phone": "13800000000"}


@pytest.fixture
def number(engine, db_url, tmp_path):
    drafts = write(tmp_path / "drafts.jsonl", line(FILED))
    done = run("tickets", "import", str(drafts), "--db", db_url)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[0]


def edit(db_url, number, *values, role="supervisor", actor="班长王芳"):
    return run("tickets", "edit", number, *values, "--db", db_url, "--role", role, "--actor", actor)


def ticket(engine, number):
    with Session(engine) as session:
        t = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        corrections = sorted((c.field, c.drafted_value, c.confirmed_value, c.actor) for c in t.corrections)
        edits = [(e.actor, e.note) for e in t.events if e.action == "edit"]
        return {"category": t.category, "urgency": t.urgency, "title": t.title}, corrections, edits


def test_a_supervisor_corrects_fields_by_name_or_label(engine, db_url, number):
    done = edit(db_url, number, "category=食品安全", "紧急程度=紧急", "title=饭店就餐后腹泻")
    assert done.returncode == 0, done.stderr
    assert f"{number}：问题分类 → 食品安全" in done.stdout
    values, corrections, edits = ticket(engine, number)
    assert values == {"category": "食品安全", "urgency": "紧急", "title": "饭店就餐后腹泻"}
    assert corrections == [("category", "医疗质量", "食品安全", "班长王芳"),
                           ("title", "饭店吃坏肚子", "饭店就餐后腹泻", "班长王芳"),
                           ("urgency", "一般", "紧急", "班长王芳")]
    assert len(edits) == 1 and edits[0][0] == "班长王芳" and "问题分类：医疗质量 → 食品安全" in edits[0][1]
    again = edit(db_url, number, "category=食品安全")
    assert again.returncode == 0 and "没有改动" in again.stdout


@pytest.mark.parametrize(("values", "words"), [
    (("category=食品安全", "颜色=红"), ("颜色", "可修改的字段")),
    (("category=天气",), ("问题分类", "天气", "taxonomy.toml")),
    (("urgency=紧急", "category"), ("category", "字段=值")),
    (("category=食品安全", "问题分类=急救服务"), ("问题分类", "两次")),
    (("urgency=紧急", f"unit={'单' * 101}"), ("承办单位", "100")),
])
def test_a_mistake_is_one_line_and_changes_nothing(engine, db_url, number, values, words):
    fails(edit(db_url, number, *values), *words)
    assert ticket(engine, number) == (
        {"category": "医疗质量", "urgency": "一般", "title": "饭店吃坏肚子"}, [], [])


def test_operators_and_unknown_numbers_are_refused(engine, db_url, number):
    fails(edit(db_url, number, "category=食品安全", role="operator"), "接线员", "supervisor")
    fails(edit(db_url, "12320-20990101-0001", "category=食品安全"), "12320-20990101-0001")
    fails(edit(db_url, number, "category=食品安全", actor=" "), "操作人")
    with Session(engine) as session:
        assert session.scalars(select(FieldCorrection)).all() == []
        assert [e.action for e in session.scalars(select(TicketEvent))] == ["create"]
