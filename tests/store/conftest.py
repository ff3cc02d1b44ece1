"""One fixture, two real engines: a SQLite file and the PostgreSQL server of this machine and CI."""

import os

import pytest

from assistant.store.db import make_engine
from assistant.store.migrate import reset

PG_URL = os.environ.get("HOTLINE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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
