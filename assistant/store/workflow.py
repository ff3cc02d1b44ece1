"""The hotline workflow and which moves are legal.

草稿 → 已受理 → 已派单 → 办理中 → 已办结 → 已回访 → 已归档, plus 当场办结 (answered on the call, then visited back
and archived) and 退回 (a unit returns a wrongly routed ticket; it goes back to 已受理 to be routed again).
States are a ``StrEnum`` whose values are the Chinese names: what is stored, typed and shown stays the same.
"""

from __future__ import annotations

from enum import StrEnum

from assistant.errors import TicketError


class Status(StrEnum):
    DRAFT = "草稿"
    ACCEPTED = "已受理"
    DISPATCHED = "已派单"
    IN_PROGRESS = "办理中"
    DONE = "已办结"
    VISITED = "已回访"
    ARCHIVED = "已归档"
    SOLVED_ON_CALL = "当场办结"
    RETURNED = "退回"


DRAFT, ACCEPTED, DISPATCHED, IN_PROGRESS, DONE, VISITED, ARCHIVED = (
    Status.DRAFT, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.DONE, Status.VISITED,
    Status.ARCHIVED)
SOLVED_ON_CALL, RETURNED = Status.SOLVED_ON_CALL, Status.RETURNED
STATES: tuple[Status, ...] = tuple(Status)
OPEN_STATES = (DRAFT, ACCEPTED, DISPATCHED, IN_PROGRESS, RETURNED)

MOVES: dict[Status, tuple[Status, ...]] = {
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

ALL_STATES_HINT = f"可用状态：{'、'.join(STATES)}"


class WorkflowError(TicketError):
    """A state change the workflow does not allow."""


def parse_status(value: str) -> Status:
    """The state named ``value``, or a WorkflowError listing every state."""
    try:
        return Status(value.strip())
    except ValueError:
        raise WorkflowError(f"未知的工单状态“{value}”", ALL_STATES_HINT) from None


def check_move(current: str, target: str) -> None:
    target = parse_status(target)
    allowed = MOVES.get(current, ())
    if target not in allowed:
        after = "、".join(allowed) or "无（已是终态）"
        raise WorkflowError(f"工单不能从“{current}”改为“{target}”", f"“{current}”之后可以是：{after}")


def moves_help() -> str:
    """Every state and where it may go next, for ``tickets move --help``."""
    return "；".join(f"{state} → {'、'.join(after) or '（终态）'}" for state, after in MOVES.items())
