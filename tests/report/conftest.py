"""A generated month of tickets on each engine, made once per test session (per pytest-xdist worker), and its
report.

The PostgreSQL store lives in a database of its own (``…_report``, one per pytest-xdist worker): other modules'
tests reset the shared test database between tests, and a module-scoped store there could be emptied under
these tests' feet.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.report.generate import CENTRE_TZ, generate
from tests.store.conftest import PG_URL, fresh

# When the report is made: a Friday morning at the centre, three days after the month, with microseconds.
NOW = datetime(2026, 4, 3, 9, 30, 15, 123456, tzinfo=CENTRE_TZ)


def own_database(url: str, suffix: str) -> str:
    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('report') / 'hotline.db'}"
    return own_database(PG_URL, "report")


@pytest.fixture(scope="session")
def month(store_url):
    """(engine, Store): 5,000 tickets in March 2026, drafts, the two weeks before, 400 QA reviews."""
    engine = fresh(store_url)
    store = generate(engine, 5000)
    yield engine, store
    engine.dispose()


@pytest.fixture(scope="session")
def report(month):
    from assistant.report import build_report

    engine, store = month
    with Session(engine) as session:
        return build_report(session, store.start, store.end, now=NOW)
