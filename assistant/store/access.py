"""Access the database enforces: each person's login in one of the project's roles, and what the ORM may load.

On PostgreSQL, migration 0007 gives four group roles (hotline_operator, hotline_unit, hotline_supervisor,
hotline_admin) column privileges and row-level security: no login of theirs may SELECT a caller's name or number,
a unit's login sees only its own unit's tickets, and a full read goes through ``hotline_access.read_personal``,
which writes the audit event in the same statement. ``grant`` makes a login a member of one role (and records a
unit login's unit); it runs as the database's administrator.

The ORM must then never name a column the login cannot read: ``Ticket``'s personal columns are deferred, and a
listener on every session loads them with the ticket where the login may read them (SQLite, the database's
owner) and, where it may not, fills the name and number from ``hotline_access.masked`` (王**, 139****5678), so
lists and exports keep showing what they showed. The trade-off: one more query per ticket-loading statement for
restricted logins, and attributes filled that way are the masked values; a full read is explicit
(``read_personal``). A personal attribute first touched after a commit expired its ticket is loaded by itself and
refused by the server; reading the ticket again fills it.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session, undefer
from sqlalchemy.orm.attributes import set_committed_value

from assistant.errors import AccessError, StorageError
from assistant.store.db import GROUPS, safe_url
from assistant.store.models import Ticket
from assistant.store.roles import GRANT_HINT, ROLES_HINT, STRENGTH, Role
from assistant.store.values import check_actor

log = logging.getLogger("assistant.store")

PERSONAL = ("caller_name", "phone")
# Ticket's deferred columns: the personal ones, the draft that holds them too, the number's lookup key.
DEFERRED = (*PERSONAL, "drafted", "phone_key")
SQLITE_HINT = ("SQLite 数据库在一台电脑上，文件的主人能读取全部内容；"
               "角色来自 --role、HOTLINE_ROLE 或 config.toml 的 role（见 docs/access.md）")


# What the ORM may load


@dataclass(frozen=True)
class Readable:
    """Which deferred ticket columns a login may SELECT, and whether names and numbers come masked from the
    database instead."""

    columns: frozenset[str]
    masked: bool = False


EVERYTHING = Readable(frozenset(DEFERRED))
_readable: WeakKeyDictionary[Engine, Readable] = WeakKeyDictionary()
_ticket_mapper = inspect(Ticket)


def readable(session: Session) -> Readable:
    """What the login behind ``session`` may read of a ticket (asked once per engine)."""
    return _readable_for(session, session.get_bind())


def _readable_for(session: Session, bind: Engine | Connection, bind_arguments: dict | None = None) -> Readable:
    engine = bind.engine if isinstance(bind, Connection) else bind
    if engine.dialect.name != "postgresql":
        return EVERYTHING
    known = _readable.get(engine)
    if known is None:
        conn = session.connection(bind_arguments=bind_arguments)
        table = conn.execute(text("SELECT to_regclass('ticket')")).scalar()
        if table is None:  # not migrated: the query itself will say so
            return EVERYTHING
        rows = conn.execute(text("SELECT c FROM unnest(CAST(:columns AS text[])) AS c"
                                 " WHERE has_column_privilege('ticket', c, 'SELECT')"), {"columns": list(DEFERRED)})
        columns = frozenset(rows.scalars())
        masked = not set(PERSONAL) <= columns and conn.execute(
            text("SELECT to_regprocedure('hotline_access.masked(integer[])')")).scalar() is not None
        known = _readable[engine] = Readable(columns, masked)
    return known


def _loads_tickets(statement) -> bool:
    """Whether ``statement`` loads whole Ticket objects (not only some of their columns)."""
    descriptions = getattr(statement, "column_descriptions", ())
    return any(d.get("expr") is Ticket for d in descriptions)


def _on_execute(state: ORMExecuteState):
    if not state.is_select or state.is_from_statement or _ticket_mapper not in state.all_mappers:
        return None
    entities = not state.is_column_load and _loads_tickets(state.statement)
    if not entities and not state.is_column_load:
        return None
    bind = state.session.get_bind(**state.bind_arguments)
    can = _readable_for(state.session, bind, state.bind_arguments)
    if entities and can.columns:
        state.statement = state.statement.options(*(undefer(getattr(Ticket, c)) for c in sorted(can.columns)))
    if not can.masked:
        return None
    frozen = state.invoke_statement().freeze()
    fill_masked(state.session, [obj for row in frozen.data for obj in (row if isinstance(row, tuple) else (row,))
                                if isinstance(obj, Ticket)])
    return frozen()


def fill_masked(session: Session, tickets: Iterable[Ticket]) -> None:
    """Give each ticket whose name and number are not loaded the masked ones the database computes."""
    todo = {}
    for ticket in tickets:
        loaded = inspect(ticket).dict
        if any(name not in loaded for name in PERSONAL) and ticket.id is not None:
            todo[ticket.id] = ticket
    if not todo:
        return
    rows = session.connection().execute(text("SELECT ticket_id, caller_name, phone FROM hotline_access.masked(:ids)"),
                                        {"ids": sorted(todo)})
    for ticket_id, name, phone in rows:
        ticket = todo[ticket_id]
        loaded = inspect(ticket).dict
        for attribute, value in (("caller_name", name), ("phone", phone)):
            if attribute not in loaded:
                set_committed_value(ticket, attribute, value)


def watch(engine: Engine) -> None:
    """Make sessions load tickets as the login behind ``engine`` may (one listener for every session)."""
    if not event.contains(Session, "do_orm_execute", _on_execute):
        event.listen(Session, "do_orm_execute", _on_execute)


# The full read


def may_read_personal(session: Session) -> bool:
    """Whether a full read is possible for this login: on SQLite always (the role decides); on PostgreSQL when
    the login reads the columns itself (the owner) or may call ``hotline_access.read_personal``."""
    can = readable(session)
    if set(PERSONAL) <= can.columns:
        return True
    return bool(session.connection().execute(text(
        "SELECT to_regprocedure('hotline_access.read_personal(integer[],text,text)') IS NOT NULL AND"
        " has_function_privilege('hotline_access.read_personal(integer[],text,text)', 'EXECUTE')")).scalar())


def read_personal(session: Session, tickets: Sequence[Ticket], *, actor: str, note: str) -> None:
    """Load the callers' names and numbers of ``tickets`` in full, each read written to the audit log in the
    session's transaction: by the database itself (``hotline_access.read_personal``) where the login may not
    read the columns, else as an event the application adds. AccessError for a login that may do neither."""
    from assistant.store.tickets import audit_full_read

    check_actor(actor)
    if not tickets:
        return
    if set(PERSONAL) <= readable(session).columns:
        for ticket in tickets:
            audit_full_read(ticket, actor, note)
            ticket.caller_name, ticket.phone  # noqa: B018 - loaded now, in the transaction that audits them
        session.flush()
        return
    if not may_read_personal(session):
        login = session.connection().execute(text("SELECT current_user")).scalar_one()
        raise AccessError(f"数据库用户 {login} 无权查看来电人完整信息",
                          f"需要 supervisor（班长/质检）或 admin 角色；{GRANT_HINT.format(login=login)}")
    session.flush()
    by_id = {t.id: t for t in tickets}
    rows = session.connection().execute(
        text("SELECT ticket_id, caller_name, phone FROM hotline_access.read_personal(:ids, :actor, :note)"),
        {"ids": sorted(by_id), "actor": actor, "note": note})
    for ticket_id, name, phone in rows:
        set_committed_value(by_id[ticket_id], "caller_name", name)
        set_committed_value(by_id[ticket_id], "phone", phone)
    for ticket in tickets:  # the database wrote the events: the history shows them when read again
        session.expire(ticket, ["events"])


# Logins and their roles (PostgreSQL)


@dataclass(frozen=True)
class Login:
    name: str
    roles: tuple[Role, ...]
    unit: str | None = None
    can_login: bool = True

    @property
    def role(self) -> Role | None:
        return next((r for r in STRENGTH if r in self.roles), None)


@dataclass(frozen=True)
class Granted:
    login: str
    role: Role
    unit: str | None
    created: bool
    previous: tuple[Role, ...]
    unchecked_unit: bool = False  # the store has no unit directory to check the name against


def require_postgres(bind: Engine | Connection, command: str) -> None:
    if bind.dialect.name != "postgresql":
        raise AccessError(f"hotline db {command} 只用于 PostgreSQL", SQLITE_HINT)


def check_login_name(name: str) -> str:
    """A name PostgreSQL can take for a login that is not one of the project's group roles."""
    name = name.strip()
    if not name or len(name.encode()) > 63 or any(not c.isprintable() for c in name):
        raise AccessError(f"数据库用户名“{name}”无效",
                          "用户名为 1 到 63 字节，不含控制字符，例如 zhangwei 或 unit_jk01")
    if name.startswith("pg_") or name in GROUPS:
        raise AccessError(f"“{name}”不能作为个人的数据库用户",
                          "pg_ 开头的名字和 hotline 的角色名（hotline_operator 等）由数据库保留；"
                          "请给每个人一个自己的用户名")
    return name


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _check_admin(conn: Connection) -> None:
    missing = set(GROUPS) - set(conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:groups)"),
                                             {"groups": list(GROUPS)}).scalars())
    if missing or conn.execute(text("SELECT to_regclass('hotline_access.unit_login')")).scalar() is None:
        name = safe_url(conn.engine.url)
        lacking = "、".join(sorted(missing)) or "hotline_access"
        raise StorageError(f"数据库 {name} 还没有 hotline 的角色（缺少 {lacking}）",
                           f"请先由数据库管理员运行 hotline db upgrade --db {name}")
    me, allowed = conn.execute(text("SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles"
                                    " WHERE rolname = current_user")).one()
    if not allowed:
        raise AccessError(f"数据库用户 {me} 无权创建用户或授予角色",
                          "请由数据库管理员（超级用户或有 CREATEROLE 权限的用户）运行此命令")


def _memberships(conn: Connection, login: str) -> tuple[Role, ...]:
    groups = set(conn.execute(text(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
        " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :login AND g.rolname = ANY(:groups)"),
        {"login": login, "groups": list(GROUPS)}).scalars())
    return tuple(r for r in STRENGTH if r.group in groups)


def resolve_unit_name(conn: Connection, name: str) -> tuple[str, bool]:
    """The official name of unit ``name`` in the store's directory (by name or alias), and whether it could be
    checked (False: the store has no directory)."""
    rows = conn.execute(text("SELECT name, aliases FROM unit ORDER BY id")).all()
    if not rows:
        return name, False
    names: dict[str, str] = {}
    for official, aliases in rows:
        names.setdefault(official, official)
        for alias in aliases or ():
            names.setdefault(alias, official)
    if name in names:
        return names[name], True
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.4)
    hint = f"是不是：{'、'.join(dict.fromkeys(names[c] for c in close))}？" if close else ""
    raise AccessError(f"单位目录中没有承办单位“{name}”",
                      hint + "单位名要与工单上的承办单位一致；用 hotline units list 查看")


def grant(conn: Connection, login: str, role: Role, unit: str | None = None) -> Granted:
    """Make ``login`` (created as a LOGIN role when absent) a member of ``role``'s group role and of no other of
    the project's; a unit login's unit is recorded. One transaction: the caller's."""
    require_postgres(conn, "grant")
    login = check_login_name(login)
    if role is Role.UNIT and not (unit and unit.strip()):
        raise AccessError("承办单位的登录必须指定单位", f"例如 hotline db grant {login} unit --unit 单位名称")
    if role is not Role.UNIT and unit:
        raise AccessError(f"只有 unit（承办单位）角色需要 --unit，{role}（{role.label}）不需要", ROLES_HINT)
    _check_admin(conn)
    unchecked = False
    if role is Role.UNIT:
        unit, checked = resolve_unit_name(conn, unit.strip())
        unchecked = not checked
    found = conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :login"), {"login": login}).first()
    if found is not None and not found[0]:
        raise AccessError(f"数据库角色 {login} 不能登录，不是个人的用户", "请给每个人一个能登录的用户名")
    quoted = _quote(conn, login)
    if found is None:
        conn.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN")
    previous = _memberships(conn, login)
    for old in previous:
        if old is not role:
            conn.exec_driver_sql(f"REVOKE {old.group} FROM {quoted}")
    if role not in previous:
        conn.exec_driver_sql(f"GRANT {role.group} TO {quoted}")
    if role is Role.UNIT:
        conn.execute(text("INSERT INTO hotline_access.unit_login (login, unit) VALUES (:login, :unit)"
                          " ON CONFLICT (login) DO UPDATE SET unit = excluded.unit, granted_at = now()"),
                     {"login": login, "unit": unit})
    else:
        conn.execute(text("DELETE FROM hotline_access.unit_login WHERE login = :login"), {"login": login})
    log.info("granted %s to %s (unit %s)", role.group, login, unit)
    return Granted(login, role, unit, created=found is None, previous=previous, unchecked_unit=unchecked)


def revoke(conn: Connection, login: str) -> tuple[Role, ...]:
    """Take ``login`` out of every role of the project (the login itself stays); the roles it had."""
    require_postgres(conn, "revoke")
    login = check_login_name(login)
    _check_admin(conn)
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first() is None:
        raise AccessError(f"没有数据库用户 {login}", "用 hotline db logins 查看已授权的用户")
    previous = _memberships(conn, login)
    for old in previous:
        conn.exec_driver_sql(f"REVOKE {old.group} FROM {_quote(conn, login)}")
    conn.execute(text("DELETE FROM hotline_access.unit_login WHERE login = :login"), {"login": login})
    return previous


def logins(conn: Connection) -> list[Login]:
    """Every role that is a member of one of the project's, with its unit, by name."""
    require_postgres(conn, "logins")
    rows = conn.execute(text(
        "SELECT u.rolname, u.rolcanlogin, array_agg(g.rolname) FROM pg_auth_members m"
        " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
        " WHERE g.rolname = ANY(:groups) GROUP BY u.rolname, u.rolcanlogin ORDER BY u.rolname"),
        {"groups": list(GROUPS)}).all()
    units = {}
    if conn.execute(text("SELECT to_regclass('hotline_access.unit_login')")).scalar() is not None:
        units = dict(conn.execute(text("SELECT login, unit FROM hotline_access.unit_login")).all())
    return [Login(name, tuple(r for r in STRENGTH if r.group in groups), units.get(name), can_login)
            for name, can_login, groups in rows]
