"""``hotline db grant``: each person's own database login, in one of the project's roles.

``grant``, ``revoke`` and ``logins`` are the database administrator's (a superuser or a role with CREATEROLE, on
PostgreSQL only); ``whoami`` is anyone's: the role a command would act as, read from the session on PostgreSQL
and from the configuration on SQLite.
"""

from __future__ import annotations

import sys

from assistant.cli.common import storage_command

DB_HELP = ("数据库地址，如 postgresql+psycopg://管理员@主机/库名（默认 HOTLINE_DB，或 HOTLINE_HOME 中的 SQLite 文件）")
ROLE_CHOICES = "operator（接线员）、unit（承办单位）、supervisor（班长/质检）、admin（管理员）"


def register(dsub) -> None:
    """Add the access commands to ``hotline db``."""
    g = dsub.add_parser("grant", help="让一个数据库用户担任某一角色（PostgreSQL）", description=(
        "让数据库用户担任某一角色：用户不存在时新建（可登录、无密码），并退出 hotline 的其他角色。"
        "承办单位的用户须用 --unit 写明单位，它只能看到、办理本单位的工单。由数据库管理员运行。"))
    g.add_argument("user", metavar="用户", help="数据库用户名（每人一个），如 zhangwei")
    g.add_argument("role", metavar="角色", help=f"角色：{ROLE_CHOICES}；也可写中文名")
    g.add_argument("--unit", metavar="NAME", help="承办单位名称或简称（unit 角色必填，须在单位目录中）")
    g.add_argument("--db", help=DB_HELP)
    g.set_defaults(run=run_grant)
    r = dsub.add_parser("revoke", help="让一个数据库用户退出 hotline 的全部角色", description=(
        "让数据库用户退出 hotline 的全部角色（用户本身保留）。由数据库管理员运行。"))
    r.add_argument("user", metavar="用户", help="数据库用户名")
    r.add_argument("--db", help=DB_HELP)
    r.set_defaults(run=run_revoke)
    ls = dsub.add_parser("logins", help="列出担任 hotline 角色的数据库用户",
                         description="列出担任 hotline 角色的数据库用户及其单位")
    ls.add_argument("--db", help=DB_HELP)
    ls.set_defaults(run=run_logins)
    w = dsub.add_parser("whoami", help="当前以什么角色操作", description=(
        "显示命令以什么角色操作：PostgreSQL 上是登录用户在数据库中的角色，SQLite 上是配置的角色"))
    w.add_argument("--db", help=DB_HELP)
    w.add_argument("--role", help="要核对的角色（PostgreSQL 上须与数据库中的一致）")
    w.set_defaults(run=run_whoami)


def _postgres(args) -> bool:
    from assistant.store.db import default_url, parse_url

    return parse_url(args.db or default_url()).get_backend_name() == "postgresql"


def _admin_engine(args, command: str):
    from assistant.errors import AccessError
    from assistant.store.access import SQLITE_HINT
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema

    if not _postgres(args):  # said before a SQLite file is looked for
        raise AccessError(f"hotline db {command} 只用于 PostgreSQL", SQLITE_HINT)
    engine = make_engine(args.db, must_exist=True)
    ensure_schema(engine)
    return engine


@storage_command
def run_grant(args) -> int:
    from assistant.store.access import check_login_name, grant
    from assistant.store.roles import parse_role

    login = check_login_name(args.user)  # what the user typed is checked before the database is opened
    role = parse_role(args.role, "角色")
    with _admin_engine(args, "grant").begin() as conn:
        granted = grant(conn, login, role, args.unit)
    if granted.created:
        print(f"已新建数据库用户 {login}（可登录，尚无密码）")
        print("  设置密码：在 psql 中运行 \\password " + login + "，或按服务器的 pg_hba.conf 使用其他认证方式",
              file=sys.stderr)
    before = "、".join(r.label for r in granted.previous if r is not role)
    where = f"，单位：{granted.unit}" if granted.unit else ""
    print(f"{login}：{role.label}（{role}）{where}" + (f"；已退出 {before}" if before else ""))
    if granted.unchecked_unit:
        print(f"警告：数据库中没有单位目录，未核对单位名“{granted.unit}”；它须与工单上的承办单位完全一致",
              file=sys.stderr)
    return 0


@storage_command
def run_revoke(args) -> int:
    from assistant.store.access import check_login_name, revoke

    login = check_login_name(args.user)
    with _admin_engine(args, "revoke").begin() as conn:
        previous = revoke(conn, login)
    if previous:
        print(f"{login}：已退出 {'、'.join(r.label for r in previous)}")
    else:
        print(f"{login} 本来就不担任 hotline 的角色")
    return 0


@storage_command
def run_logins(args) -> int:
    from assistant.store.access import logins

    with _admin_engine(args, "logins").connect() as conn:
        found = logins(conn)
    if not found:
        print("还没有数据库用户担任 hotline 的角色；用 hotline db grant 用户 角色 授权", file=sys.stderr)
        return 0
    for login in found:
        roles = "、".join(f"{r.label}（{r}）" for r in login.roles)
        notes = [f"单位：{login.unit}"] if login.unit else []
        if not login.can_login:
            notes.append("不能登录")
        print("\t".join([login.name, roles, *notes]))
    print(f"共 {len(found)} 个", file=sys.stderr)
    return 0


@storage_command
def run_whoami(args) -> int:
    from assistant.store.db import make_engine, session_login
    from assistant.store.roles import configured_role, role_for

    if not _postgres(args):
        role = configured_role(args.role)
        print(f"{role.label}（{role}）：来自配置（--role、HOTLINE_ROLE 或 config.toml 的 role）")
        print("SQLite 数据库在一台电脑上，文件的主人能读取全部内容", file=sys.stderr)
        return 0
    engine = make_engine(args.db)
    role = role_for(engine, args.role)
    login = session_login(engine)
    where = f"，单位：{login.unit}" if role == "unit" and login.unit else ""
    print(f"{login.name}：{role.label}（{role}）{where}：来自数据库")
    return 0
