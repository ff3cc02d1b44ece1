"""``hotline db upgrade``: bring a database to the current schema with alembic.

Commands that read or write tickets call ``ensure_schema`` first. A SQLite file hotline built belongs to one
machine and an empty database holds nothing to lose, so both are brought to the current schema on the spot; a
PostgreSQL database that already holds tables is a whole centre's, and its administrator runs ``hotline db
upgrade``. A database with tables but no schema version of hotline's is not hotline's and is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from assistant.errors import StorageError
from assistant.store.db import safe_url, storage_errors, where

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration (``migrations/versions``); a test checks it against alembic's own reading. A database
# already at it is recognised with one query, without loading alembic: most commands start that much sooner.
HEAD = "0007"
log = logging.getLogger("assistant.store")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.util.exc import CommandError

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with storage_errors(engine.url):
        try:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except CommandError as exc:  # a revision this program does not know: the database is newer
            raise StorageError(f"数据库 {where(engine.url)} 的结构无法升级：{exc}",
                               "数据库可能由更新版本的 hotline 建立，请升级本程序") from exc


def ensure_schema(engine: Engine, *, writing: bool = False) -> None:
    """Make sure the tables are there and current: upgrade an empty database or a SQLite file hotline built,
    else refuse. A database with tables but no ``alembic_version`` is someone else's (a ``--db`` pointed at the
    wrong file): adding hotline's tables to it would go unnoticed, so it is refused too. ``writing``: a command
    that files tickets or units (the console, batch, units import) also upgrades an older PostgreSQL schema."""
    if _at_head(engine):
        return
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    with storage_errors(engine.url), engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    if current == head:
        return
    name = safe_url(engine.url)
    if current is not None and current not in {r.revision for r in script.walk_revisions()}:
        raise StorageError(f"数据库 {name} 的结构版本 {current} 是本程序不认识的",
                           "数据库可能由更新版本的 hotline 建立，请升级本程序")
    if current is None and tables:
        shown = "、".join(sorted(tables)[:5]) + ("等" if len(tables) > 5 else "")
        raise StorageError(f"数据库 {name} 不是 hotline 的数据库：其中已有别的表（{shown}），没有 hotline 的结构版本",
                           "检查 --db 或 HOTLINE_DB 是否指错了数据库；hotline 只使用空数据库或由它建立的数据库")
    if engine.dialect.name == "sqlite" or not tables or writing:
        log.info("bringing %s to schema %s (was %s)", where(engine.url), head, current)
        upgrade(engine)
        return
    raise StorageError(f"数据库 {name} 的结构不是最新（版本 {current}，需要版本 {head}）",
                       f"请先运行 hotline db upgrade --db {name}")


def _at_head(engine: Engine) -> bool:
    """Whether the database's schema version is ``HEAD`` (False when there is no version table, or no database)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
    except DBAPIError:
        return False  # no version table, or no database: ensure_schema's full check says which


def reset(engine: Engine) -> None:
    """Drop every table of the product and migrate from scratch. For tests and benchmarks only."""
    from assistant.store.models import Base

    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)
