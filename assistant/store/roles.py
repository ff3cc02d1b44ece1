"""Who may see callers' personal data in full, and where a command's role comes from.

On PostgreSQL the role is the database's: each person logs in as their own user, a member of one of the
project's group roles (``hotline db grant``), and the role is read from the session (``role_for``); the
database itself refuses what the role may not read or change (``store/access.py``, migration 0007). On SQLite,
one PC's file whose owner can read everything, the role comes from configuration: ``--role``, else
``HOTLINE_ROLE``, else ``role`` in config.toml, else 接线员/operator. Operators and unit staff see masked lists and
exports; supervisors (班长, 质检) and administrators may ask for full data, and every such read is written to
the audit log with their name.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import TYPE_CHECKING

from assistant.errors import AccessError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class Role(StrEnum):
    OPERATOR = "operator"
    UNIT = "unit"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def group(self) -> str:
        """The PostgreSQL group role a login of this role is a member of."""
        return f"hotline_{self.value}"


LABELS = {Role.OPERATOR: "接线员", Role.UNIT: "承办单位", Role.SUPERVISOR: "班长/质检", Role.ADMIN: "管理员"}
ROLES = LABELS  # role → Chinese label, as before the enum
FULL_ACCESS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ROLES_HINT = "可用角色：" + "、".join(f"{role}（{role.label}）" for role in Role)
# A login that is a member of several group roles acts as the strongest (the database's owner is all of them).
STRENGTH = (Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR, Role.UNIT)
GRANT_HINT = "请数据库管理员运行 hotline db grant {login} 角色（operator、unit、supervisor 或 admin）"

PermissionError_ = AccessError  # the former name of the refusal


def parse_role(value: str, where: str) -> Role:
    """The role ``value`` names, by its English name or its Chinese label; ``where`` says where it was written."""
    text = value.strip()
    by_label = {label: role for role, label in LABELS.items()}
    if text in by_label:
        return by_label[text]
    try:
        return Role(text.lower())
    except ValueError:
        raise AccessError(f"未知的角色“{value}”（{where}）", ROLES_HINT) from None


def configured_role(flag: str | None = None) -> Role:
    """The role configuration gives: ``flag`` (``--role``), else HOTLINE_ROLE, else config.toml's ``role``, else
    operator. What SQLite runs as; on PostgreSQL see ``role_for``."""
    if flag:
        return parse_role(flag, "--role")
    env = os.environ.get("HOTLINE_ROLE")
    if env and env.strip():
        return parse_role(env, "环境变量 HOTLINE_ROLE")
    from assistant.config import home_dir, read_toml

    path = home_dir() / "config.toml"
    value = read_toml(path, "配置文件", '例如 role = "supervisor"').get("role")
    if value is None:
        return Role.OPERATOR
    if not isinstance(value, str) or not value.strip():
        raise AccessError(f"配置文件 {path} 中 role 的值无效：应为角色名", ROLES_HINT)
    return parse_role(value, f"配置文件 {path} 中 role")


def current_role(flag: str | None = None, bind: Engine | Connection | None = None) -> Role:
    """The role a command acts as: the database session's when ``bind`` is a PostgreSQL engine or connection
    (``role_for``), else the configured one."""
    if bind is not None and bind.dialect.name == "postgresql":
        return role_for(bind, flag)
    return configured_role(flag)


def role_for(bind: Engine | Connection, flag: str | None = None) -> Role:
    """The role of the login behind ``bind``: on PostgreSQL its group role, read from the session, and ``flag``
    (``--role``) must not claim another; on SQLite the configured role."""
    if bind.dialect.name != "postgresql":
        return configured_role(flag)
    from assistant.store.db import session_login

    login = session_login(bind)
    role = next((r for r in STRENGTH if r.group in login.groups), None)
    if role is None:
        raise AccessError(f"数据库用户 {login.name} 不属于 hotline 的任何角色", GRANT_HINT.format(login=login.name))
    if flag and parse_role(flag, "--role") != role:
        raise AccessError(f"数据库用户 {login.name} 的角色是“{role.label}”，不能以“{parse_role(flag, '--role').label}”"
                          "的身份操作", "在 PostgreSQL 上角色由数据库决定，不看 --role；"
                          + GRANT_HINT.format(login=login.name))
    return role


def require_full_access(role: str) -> None:
    if role not in FULL_ACCESS:
        raise AccessError(f"角色“{LABELS.get(role, role)}”无权查看来电人完整信息",
                          "需要 supervisor（班长/质检）或 admin 角色：--role supervisor")
