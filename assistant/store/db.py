"""Engines: a SQLite file by default (WAL, foreign keys, busy timeout), PostgreSQL for a centre.

The URL comes from ``--db``, else ``HOTLINE_DB``, else ``$HOTLINE_HOME/hotline.db``. SQLite write
transactions start with ``BEGIN IMMEDIATE`` so two processes never both read a counter and then both try to
upgrade to a write lock (which SQLite answers with "database is locked" instead of waiting).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from assistant.config import home_dir
from assistant.errors import AssistantError


class StorageError(AssistantError):
    """A database that cannot be reached, read or written."""


def default_url() -> str:
    return os.environ.get("HOTLINE_DB") or f"sqlite:///{home_dir() / 'hotline.db'}"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN IMMEDIATE
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None, *, check: bool = True) -> Engine:
    url = url or default_url()
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StorageError(
            f"数据库地址 {url} 无法解析", "例如 sqlite:///hotline.db 或 postgresql+psycopg://用户@主机/库名"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    else:
        engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10}
                               if parsed.get_backend_name() == "postgresql" else {})
    if check:
        check_connection(engine)
    return engine


def check_connection(engine: Engine) -> None:
    """Open a connection and read the schema; a clear error naming the URL or file when that fails."""
    where = engine.url.database if engine.dialect.name == "sqlite" else safe_url(str(engine.url))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":
                result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
                if result != "ok":
                    raise StorageError(f"SQLite 数据库文件 {where} 已损坏：{result}", "请从备份恢复")
            inspect(conn).get_table_names()
    except StorageError:
        raise
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if engine.dialect.name == "sqlite":
            raise StorageError(f"SQLite 数据库文件 {where} 无法读取：不是数据库或已损坏",
                               "请检查文件，或从备份恢复") from exc
        raise StorageError(f"无法连接数据库 {where}：{exc.orig if isinstance(exc, OperationalError) else exc}",
                           "请检查地址、网络和数据库服务是否运行") from exc
