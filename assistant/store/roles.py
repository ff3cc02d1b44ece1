"""Who may see callers' personal data in full.

Roles come from ``--role`` or ``HOTLINE_ROLE`` (default 接线员/operator). Operators and unit staff see masked
lists and exports; supervisors (班长, 质检) and administrators may ask for full data, and every such read is
written to the audit log with their name.
"""

from __future__ import annotations

import os

from assistant.errors import AssistantError

ROLES = {"operator": "接线员", "unit": "承办单位", "supervisor": "班长/质检", "admin": "管理员"}
FULL_ACCESS = frozenset({"supervisor", "admin"})


class PermissionError_(AssistantError):
    """A role asking for what it may not see."""


def current_role(flag: str | None = None) -> str:
    role = flag or os.environ.get("HOTLINE_ROLE") or "operator"
    if role not in ROLES:
        raise AssistantError(f"未知的角色“{role}”", f"可用角色：{', '.join(ROLES)}")
    return role


def require_full_access(role: str) -> None:
    if role not in FULL_ACCESS:
        raise PermissionError_(f"角色“{ROLES[role]}”无权查看来电人完整信息",
                               "需要 supervisor（班长/质检）或 admin 角色：--role supervisor")
