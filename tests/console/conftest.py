"""The store's two real engines (SQLite and PostgreSQL), for the console's filing tests."""

from tests.store.conftest import db_url  # noqa: F401
