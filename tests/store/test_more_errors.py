"""The store takes what the user typed literally and leaves other programs' databases alone, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from assistant.errors import StorageError
from assistant.store.migrate import ensure_schema
from assistant.store.models import Base
from assistant.store.tickets import Filters, create_ticket, list_tickets

TITLES = ("水_管漏了", "优惠 50% 不兑现", "路径 C:\\temp 打不开", "水表管道结冰")


@pytest.fixture
def titled(engine):
    with Session(engine) as session, session.begin():
        for n, title in enumerate(TITLES):
            create_ticket(session, hotline="12345", values={"title": title, "phone": f"1390000{n:04d}"},
                          operator_id="0421", actor="测试员")
    return engine


@pytest.mark.parametrize(("search", "found"), [
    ("_", {"水_管漏了"}),
    ("水_管", {"水_管漏了"}),
    ("%", {"优惠 50% 不兑现"}),
    ("50%", {"优惠 50% 不兑现"}),
    ("\\", {"路径 C:\\temp 打不开"}),
    ("C:\\t", {"路径 C:\\temp 打不开"}),
    ("管", {"水_管漏了", "水表管道结冰"}),
])
def test_search_takes_like_wildcards_literally(titled, search, found):
    with Session(titled) as session:
        assert {t.title for t in list_tickets(session, Filters(search=search))} == found


@pytest.fixture
def foreign(engine):
    """The test database holding only another program's table."""
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(text("CREATE TABLE inventory (item_code VARCHAR(20))"))
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS inventory"))


def test_a_database_with_other_tables_and_no_schema_version_is_refused(foreign):
    with pytest.raises(StorageError, match="不是 hotline 的数据库") as caught:
        ensure_schema(foreign)
    assert "inventory" in caught.value.message and "指错" in caught.value.hint
    with foreign.connect() as conn:
        assert set(inspect(conn).get_table_names()) == {"inventory"}


def test_an_empty_database_is_still_set_up(engine):
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    ensure_schema(engine)
    with engine.connect() as conn:
        assert {"ticket", "alembic_version"} <= set(inspect(conn).get_table_names())
