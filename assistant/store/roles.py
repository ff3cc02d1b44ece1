"""Who may see callers' personal data in full.

Roles come from ``--role`` or ``HOTLINE_ROLE`` (default 接线员/operator). Operators and unit staff see masked
lists and exports; supervisors (班长, 质检) and administrators may ask for full data, and every such read is
written to the audit log with their name.
"""

from __future__ import annotations

import os
from enum import StrEnum

from assistant.errors import AccessError


class Role(StrEnum):
    OPERATOR = "operator"
    UNIT = "unit"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {Role.OPERATOR: "接线员", Role.UNIT: "承办单位", Role.SUPERVISOR: "班长/质检", Role.ADMIN: "管理员"}
ROLES = LABELS  # role → Chinese label, as before the enum
FULL_ACCESS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ROLES_HINT = "可用角色：" + "、".join(f"{role}（{role.label}）" for role in Role)

PermissionError_ = AccessError  # the former name of the refusal


def current_role(flag: str | None = None) -> Role:
    role = flag or os.environ.get("HOTLINE_ROLE") or Role.OPERATOR
    try:
        return Role(role.strip())
    except ValueError:
        where = "--role" if flag else "HOTLINE_ROLE"
        raise AccessError(f"未知的角色“{role}”（{where}）", ROLES_HINT) from None


def require_full_access(role: str) -> None:
    if role not in FULL_ACCESS:
        raise AccessError(f"角色“{LABELS.get(role, role)}”无权查看来电人完整信息",
                          "需要 supervisor（班长/质检）或 admin 角色：--role supervisor")
