"""Engines: a SQLite file by default (WAL, foreign keys, busy timeout), PostgreSQL for a centre.

The URL comes from ``--db``, else ``HOTLINE_DB``, else ``$HOTLINE_HOME/hotline.db``. SQLite write
transactions start with ``BEGIN IMMEDIATE`` so two processes never both read a counter and then both try to
upgrade to a write lock (which SQLite answers with "database is locked" instead of waiting).

Every failure of the database becomes one ``StorageError`` naming the file or URL (password hidden) with a
Chinese cause; the driver's own English text is kept in the hint, where an administrator can search for it.
Only the default file's folder is created on demand: a folder missing from a given URL is more likely a typo
than a wish for a new database.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError, SQLAlchemyError

from assistant.config import home_dir
from assistant.errors import StorageError

__all__ = ["SessionLogin", "StorageError", "check_connection", "default_url", "driver_detail", "make_engine",
           "safe_url", "session_login", "storage_errors"]

SUPPORTED_HINT = ("支持 SQLite 和 PostgreSQL，例如 sqlite:///hotline.db、sqlite:////srv/hotline/hotline.db "
                  "或 postgresql+psycopg://用户@主机:5432/库名")
# (pattern in psycopg's message, the cause in Chinese): the common reasons a server cannot be reached.
PG_CAUSES = (
    (r"connection refused", "连接被拒绝：数据库服务没有运行，或主机、端口不对"),
    (r"password authentication failed|no password supplied", "用户名或密码不对"),
    (r'database "[^"]*" does not exist', "库不存在"),
    (r'role "[^"]*" does not exist', "用户不存在"),
    (r"could not translate host name|name or service not known|nodename nor servname", "找不到主机"),
    (r"timeout expired|timed out", "连接超时"),
    (r"no pg_hba\.conf entry", "服务器不允许从本机连接（pg_hba.conf）"),
)


def default_url() -> str:
    return os.environ.get("HOTLINE_DB") or f"sqlite:///{home_dir() / 'hotline.db'}"


def safe_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return str(url)


def where(url: str | URL) -> str:
    """How messages name a database: the SQLite file, or the URL without its password."""
    try:
        parsed = make_url(url)
    except Exception:
        return str(url)
    return (parsed.database or ":memory:") if parsed.get_backend_name() == "sqlite" else safe_url(parsed)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN IMMEDIATE
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def parse_url(url: str) -> URL:
    """The URL of a supported engine (SQLite, PostgreSQL through psycopg), or a StorageError saying which are."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StorageError(f"数据库地址 {url} 无法解析", SUPPORTED_HINT) from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":  # the driver this product installs
        return parsed.set(drivername="postgresql+psycopg")
    if backend in ("sqlite", "postgresql") and parsed.get_driver_name() in ("pysqlite", "psycopg"):
        return parsed
    what = backend if backend not in ("sqlite", "postgresql") else f"{backend} 的驱动 {parsed.get_driver_name()}"
    raise StorageError(f"不支持的数据库 {what}（{safe_url(parsed)}）", SUPPORTED_HINT)


def _check_sqlite_path(path: Path, *, create_folder: bool, must_exist: bool) -> None:
    folder = path.parent
    if path.is_dir():
        raise StorageError(f"SQLite 数据库地址 {path} 是一个文件夹", "请在地址里写出数据库文件名，例如 …/hotline.db")
    if must_exist and not path.exists():
        raise StorageError(f"SQLite 数据库文件 {path} 不存在",
                           "请检查 --db 地址（或 HOTLINE_DB）；新库由 hotline db upgrade 或 tickets import 创建")
    if not folder.exists() and create_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"无法创建数据库文件夹 {folder}：{exc.strerror}",
                               "请检查权限，或用 --db 指定别处") from exc
    if not folder.exists():
        raise StorageError(f"无法在 {path} 建立 SQLite 数据库：文件夹 {folder} 不存在",
                           "请先创建该文件夹，或检查 --db 地址（或 HOTLINE_DB）")
    if not folder.is_dir():
        raise StorageError(f"SQLite 数据库地址 {path} 有误：{folder} 不是文件夹", "请检查 --db 地址（或 HOTLINE_DB）")
    # WAL keeps two files beside the database: even reading needs a writable folder.
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.R_OK | os.W_OK)):
        raise StorageError(f"没有权限写入 SQLite 数据库 {path}", "数据库文件和它所在的文件夹都需要可写")


def make_engine(url: str | None = None, *, check: bool = True, must_exist: bool = False) -> Engine:
    """An engine for ``url`` (default: ``HOTLINE_DB`` or the SQLite file in ``HOTLINE_HOME``).

    ``must_exist``: refuse a SQLite file that is not there yet (commands that only read), instead of creating
    an empty database where a typo pointed.
    """
    given = url or os.environ.get("HOTLINE_DB")
    parsed = parse_url(given or default_url())
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _check_sqlite_path(Path(parsed.database).expanduser(), create_folder=not given,
                               must_exist=must_exist and bool(given))
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    else:
        try:
            engine = create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except NoSuchModuleError as exc:  # pragma: no cover - psycopg is a dependency
            raise StorageError(f"没有安装 PostgreSQL 驱动 psycopg（{safe_url(parsed)}）",
                               "pip install 'psycopg[binary]'") from exc
    from assistant.store import access  # sessions on it load callers' data only where the login may read it

    access.watch(engine)
    if check:
        check_connection(engine)
    return engine


@dataclass(frozen=True)
class SessionLogin:
    """Who a PostgreSQL session is: the login, the project's group roles it is a member of, and its unit (a
    unit's login only)."""

    name: str
    groups: frozenset[str]
    unit: str | None = None


GROUPS = ("hotline_operator", "hotline_unit", "hotline_supervisor", "hotline_admin")


def session_login(bind: Engine | Connection) -> SessionLogin:
    """The login behind ``bind`` as the server sees it (not as a flag claims it)."""
    def read(conn: Connection) -> SessionLogin:
        name = conn.execute(text("SELECT current_user")).scalar_one()
        groups = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:groups)"
                                   " AND pg_has_role(current_user, oid, 'MEMBER')"), {"groups": list(GROUPS)})
        unit = None
        schema = conn.execute(text("SELECT to_regnamespace('hotline_access') IS NOT NULL"
                                   " AND has_schema_privilege('hotline_access', 'USAGE')")).scalar()
        if schema and conn.execute(text("SELECT to_regclass('hotline_access.unit_login') IS NOT NULL")).scalar():
            unit = conn.execute(text("SELECT unit FROM hotline_access.unit_login WHERE login = current_user"
                                     "::text")).scalar()
        return SessionLogin(name, frozenset(groups.scalars()), unit)

    with storage_errors(bind.engine.url):
        if isinstance(bind, Connection):
            return read(bind)
        with bind.connect() as conn:
            return read(conn)


def check_connection(engine: Engine) -> None:
    """Open a connection and read the schema; a clear error naming the URL or file when that fails."""
    with storage_errors(engine.url):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":
                result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
                if result != "ok":
                    raise StorageError(f"SQLite 数据库文件 {where(engine.url)} 已损坏：{result}", "请从备份恢复")
            inspect(conn).get_table_names()


@contextmanager
def storage_errors(url: str | URL) -> Iterator[None]:
    """Turn any database failure inside the block into one StorageError naming ``url``."""
    try:
        yield
    except DBAPIError as exc:
        raise storage_error(exc.orig, url) from exc
    except sqlite3.Error as exc:
        raise storage_error(exc, url) from exc
    except SQLAlchemyError as exc:
        raise StorageError(f"数据库 {where(url)} 出错", driver_detail(exc)) from exc


def storage_error(orig: BaseException, url: str | URL) -> StorageError:
    """The StorageError for a driver's exception: the cause in Chinese first, the driver's text as detail."""
    if isinstance(orig, sqlite3.Error):
        return _sqlite_error(orig, where(url))
    return _pg_error(orig, where(url))


def driver_detail(exc: BaseException) -> str:
    """The driver's own words, on one line and without the SQL, for the hint of a StorageError."""
    first = str(exc).strip().split("\n[SQL:", 1)[0]
    return "驱动信息：" + " ".join(first.split())


def _needs_upgrade(name: str) -> StorageError:
    return StorageError(f"数据库 {name} 还没有工单表，或结构不是最新", f"请先运行 hotline db upgrade --db {name}")


def _sqlite_error(orig: sqlite3.Error, name: str) -> StorageError:
    code = getattr(orig, "sqlite_errorname", "") or ""
    detail = driver_detail(orig)
    if code.startswith("SQLITE_CANTOPEN"):
        return StorageError(f"无法打开或创建 SQLite 数据库文件 {name}",
                            f"请检查路径和写权限，或换一个 --db 地址；{detail}")
    if code.startswith("SQLITE_READONLY"):
        return StorageError(f"SQLite 数据库文件 {name} 只读，无法写入",
                            f"数据库文件和它所在的文件夹都需要可写；{detail}")
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in str(orig):
        return StorageError(f"SQLite 数据库文件 {name} 无法读取：不是数据库或已损坏", "请检查文件，或从备份恢复")
    if code == "SQLITE_FULL":
        return StorageError(f"磁盘已满，无法写入 SQLite 数据库文件 {name}", "请腾出空间后重试；本次操作未写入")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageError(f"SQLite 数据库文件 {name} 正被其他程序占用", f"请稍后重试；本次操作未写入；{detail}")
    if "no such table" in str(orig) or "no such column" in str(orig):
        return _needs_upgrade(name)
    return StorageError(f"SQLite 数据库 {name} 出错", detail)


def _pg_error(orig: BaseException, name: str) -> StorageError:
    state = getattr(orig, "sqlstate", None) or ""
    detail = driver_detail(orig)
    if not state or state.startswith("08"):  # no SQLSTATE: the connection itself failed
        cause = next((c for pattern, c in PG_CAUSES if re.search(pattern, str(orig), re.IGNORECASE)), "")
        return StorageError(f"无法连接数据库 {name}" + (f"：{cause}" if cause else ""),
                            f"请检查地址、网络和数据库服务是否运行；{detail}")
    if state in ("42P01", "42703"):  # undefined table / column
        return _needs_upgrade(name)
    if state == "42501":
        return StorageError(f"数据库 {name} 的用户没有权限执行此操作", detail)
    if state == "25006":
        return StorageError(f"数据库 {name} 只读，无法写入", detail)
    if state.startswith("22"):  # a value the column cannot hold: the checks before writing missed it
        return StorageError(f"数据库 {name} 拒绝了一个值", detail)
    return StorageError(f"数据库 {name} 出错", detail)
