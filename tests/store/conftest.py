"""One fixture, two real engines: a SQLite file and the PostgreSQL server of this machine and CI."""

import os

import pytest

from assistant.store.db import make_engine
from assistant.store.migrate import reset

BASE_PG_URL = os.environ.get("HOTLINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _worker_database(base: str) -> str:
    """Under ``pytest -n`` each worker gets a database of its own beside the base one (test_gw0, test_gw1 …):
    the tests reset the schema, and two workers resetting one database would fail each other."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return base
    from sqlalchemy import create_engine, text

    prefix, name = base.rsplit("/", 1)
    own = f"{name}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own}) is None:
            conn.execute(text(f'CREATE DATABASE "{own}"'))
    admin.dispose()
    return f"{prefix}/{own}"


PG_URL = _worker_database(BASE_PG_URL)


def fresh(url: str):
    engine = make_engine(url)
    reset(engine)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'hotline.db'}" if request.param == "sqlite" else PG_URL


@pytest.fixture
def engine(db_url):
    engine = fresh(db_url)
    yield engine
    engine.dispose()
