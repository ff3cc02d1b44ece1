"""The hotline workflow and which moves are legal.

草稿 → 已受理 → 已派单 → 办理中 → 已办结 → 已回访 → 已归档, plus 当场办结 (answered on the call, then visited back
and archived) and 退回 (a unit returns a wrongly routed ticket; it goes back to 已受理 to be routed again).
"""

from __future__ import annotations

from assistant.errors import AssistantError

DRAFT, ACCEPTED, DISPATCHED, IN_PROGRESS, DONE, VISITED, ARCHIVED = (
    "草稿", "已受理", "已派单", "办理中", "已办结", "已回访", "已归档")
SOLVED_ON_CALL, RETURNED = "当场办结", "退回"
STATES = (DRAFT, ACCEPTED, DISPATCHED, IN_PROGRESS, DONE, VISITED, ARCHIVED, SOLVED_ON_CALL, RETURNED)
OPEN_STATES = (DRAFT, ACCEPTED, DISPATCHED, IN_PROGRESS, RETURNED)

MOVES: dict[str, tuple[str, ...]] = {
    DRAFT: (ACCEPTED, SOLVED_ON_CALL),
    ACCEPTED: (DISPATCHED, SOLVED_ON_CALL),
    DISPATCHED: (IN_PROGRESS, RETURNED),
    IN_PROGRESS: (DONE, RETURNED),
    RETURNED: (ACCEPTED,),
    DONE: (VISITED,),
    SOLVED_ON_CALL: (VISITED, ARCHIVED),
    VISITED: (ARCHIVED,),
    ARCHIVED: (),
}


class WorkflowError(AssistantError):
    """A state change the workflow does not allow."""


def check_move(current: str, target: str) -> None:
    if target not in STATES:
        raise WorkflowError(f"未知的工单状态“{target}”", f"可用状态：{'、'.join(STATES)}")
    if target not in MOVES.get(current, ()):
        allowed = "、".join(MOVES.get(current, ())) or "无（已是终态）"
        raise WorkflowError(f"工单不能从“{current}”改为“{target}”", f"“{current}”之后可以是：{allowed}")
