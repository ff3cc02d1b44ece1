"""Corrections name who made them: filed, re-submitted, corrected later; the schema upgrade that added the name.

Each test runs on a real SQLite file and on the PostgreSQL server (the store's fixture).
"""

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.centre import load_centre, shipped_centre_folder
from assistant.errors import TicketError
from assistant.store.edits import field_name, update_ticket
from assistant.store.migrate import HEAD, alembic_config
from assistant.store.models import Base, FieldCorrection, Ticket, TicketEvent
from assistant.store.tickets import create_ticket, get

DRAFTED = {"appeal_type": "投诉", "category": "医疗质量", "urgency": "一般", "title": "门诊排队太久"}
TAXONOMY = load_centre(shipped_centre_folder()).taxonomy


def filed(engine, values: dict, actor: str = "接线员0815") -> str:
    with Session(engine) as session, session.begin():
        ticket = create_ticket(session, hotline="12320", values=values, operator_id="0815", actor=actor,
                               drafted=DRAFTED, model_version="models-abc")
        return ticket.number


def corrections(engine) -> list[tuple]:
    with Session(engine) as session:
        rows = session.scalars(select(FieldCorrection).order_by(FieldCorrection.id))
        return [(c.field, c.drafted_value, c.confirmed_value, c.actor, c.model_version) for c in rows]


def test_filing_and_a_later_correction_each_name_who(engine):
    number = filed(engine, {**DRAFTED, "category": "就医流程"})
    assert corrections(engine) == [("category", "医疗质量", "就医流程", "接线员0815", "models-abc")]
    with Session(engine) as session, session.begin():
        changed = update_ticket(session, get(session, number), {"category": "收费价格", "urgency": "紧急"},
                                actor="班长王芳", taxonomy=TAXONOMY)
    assert changed == ["category", "urgency"]
    assert sorted(corrections(engine)) == [("category", "医疗质量", "收费价格", "班长王芳", "models-abc"),
                                           ("urgency", "一般", "紧急", "班长王芳", "models-abc")]
    with Session(engine) as session:
        event = session.scalars(select(TicketEvent).where(TicketEvent.action == "edit")).one()
        assert event.actor == "班长王芳" and "问题分类：就医流程 → 收费价格" in event.note


def test_setting_the_drafted_value_back_leaves_no_correction(engine):
    number = filed(engine, {**DRAFTED, "category": "就医流程"})
    with Session(engine) as session, session.begin():
        update_ticket(session, get(session, number), {"category": "医疗质量"}, actor="班长王芳")
    assert corrections(engine) == []


@pytest.mark.parametrize(("values", "words"), [
    ({"category": "天气预报"}, ("问题分类", "天气预报", "taxonomy.toml")),
    ({"urgency": "特急"}, ("紧急程度", "特急", "紧急")),
    ({"title": "长" * 5000, "unit": "单" * 200}, ("承办单位", "最多 100 个字")),
])
def test_a_bad_value_changes_nothing(engine, values, words):
    number = filed(engine, DRAFTED)
    with Session(engine) as session, session.begin(), pytest.raises(TicketError) as info:
        update_ticket(session, get(session, number), {"urgency": "紧急", **values}, actor="班长王芳",
                      taxonomy=TAXONOMY)
    said = f"{info.value.message} {info.value.hint}"
    assert all(word in said for word in words), said
    with Session(engine) as session:
        assert get(session, number).urgency == "一般"
    assert corrections(engine) == []


def test_fields_are_named_by_column_or_label():
    assert field_name("category") == field_name("问题分类") == "category"
    with pytest.raises(TicketError, match="没有可修改的字段“颜色”") as info:
        field_name("颜色")
    assert "紧急程度" in info.value.hint


def test_the_upgrade_names_who_made_the_corrections_already_kept(db_url, engine):
    """A database at 0003 with a filed and an edited ticket: after the upgrade each correction names the actor
    of the event written with it."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        config = alembic_config(db_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    filed_at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    edited_at = filed_at + timedelta(hours=2)
    with engine.begin() as c:
        c.execute(text("INSERT INTO ticket (id, number, hotline, day, seq, status, category, drafted, created_at,"
                       " updated_at) VALUES (1, '12320-20261201-0001', '12320', '2026-12-01', 1, '已受理',"
                       " '收费价格', '{}', :at, :at)"), {"at": filed_at})
        c.execute(text("INSERT INTO ticket_event (ticket_id, actor, at, action) VALUES"
                       " (1, '接线员0815', :f, 'create'), (1, '班长王芳', :e, 'edit')"),
                  {"f": filed_at, "e": edited_at})
        c.execute(text("INSERT INTO field_correction (ticket_id, field, drafted_value, confirmed_value, at) VALUES"
                       " (1, 'urgency', '紧急', '一般', :f), (1, 'category', '医疗质量', '收费价格', :e),"
                       " (1, 'title', 'a', 'b', :other)"),
                  {"f": filed_at, "e": edited_at, "other": edited_at + timedelta(days=1)})
    with engine.begin() as connection:
        config = alembic_config(db_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    with Session(engine) as session:
        rows = session.scalars(select(FieldCorrection).order_by(FieldCorrection.id))
        assert [(c.field, c.actor) for c in rows] == [("urgency", "接线员0815"), ("category", "班长王芳"),
                                                     ("title", None)]
        assert session.get(Ticket, 1).corrections
