"""The hotline workflow: which moves are legal, and who may make them.

草稿 → 已受理 → 已派单 → 办理中 → 已办结 → 已回访 → 已归档, plus 当场办结 (answered on the call, then visited back
and archived) and 退回 (a unit returns a wrongly routed ticket to the centre, which routes it again). A return
visit the caller is not satisfied with (不满意) may reopen the case. 已归档 is final.
States are a ``StrEnum`` whose values are the Chinese names: what is stored, typed and shown stays the same.

Who may do what is a table of roles per step (``PERMITTED``); only 当场办结 is the centre's to set, in its
profile's ``workflow.toml`` (``solve_on_call``, by default the supervisor and the administrator), together
with the ways a caller is reached for a return visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from assistant.centre import Centre, active_centre
from assistant.config import read_toml, shown, warn_unknown
from assistant.errors import AccessError, ConfigError, TicketError
from assistant.store.roles import LABELS as ROLE_LABELS
from assistant.store.roles import Role


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
# At the centre, waiting to be sent to a unit: the dispatch deadline runs.
UNDISPATCHED = (ACCEPTED, RETURNED)

MOVES: dict[Status, tuple[Status, ...]] = {
    DRAFT: (ACCEPTED, SOLVED_ON_CALL),
    ACCEPTED: (DISPATCHED, SOLVED_ON_CALL),
    DISPATCHED: (IN_PROGRESS, RETURNED),
    IN_PROGRESS: (DONE, RETURNED),
    RETURNED: (DISPATCHED, ACCEPTED),
    DONE: (VISITED,),
    SOLVED_ON_CALL: (VISITED, ARCHIVED),
    VISITED: (ARCHIVED, IN_PROGRESS, ACCEPTED),  # back to work only when the caller was not satisfied
    ARCHIVED: (),
}

ALL_STATES_HINT = f"可用状态：{'、'.join(STATES)}"
SATISFACTION = ("满意", "基本满意", "不满意")
UNSATISFIED = "不满意"


class Step(StrEnum):
    """What a person does to a ticket; the value is what the history and the messages call it."""

    ACCEPT = "受理"
    DISPATCH = "转办"
    REROUTE = "改派"
    START = "签收"
    RETURN = "退回"
    FINISH = "办结"
    SOLVE = "当场办结"
    VISIT = "回访"
    REOPEN = "重新办理"
    ARCHIVE = "归档"


CENTRE_SIDE = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
UNIT_SIDE = frozenset({Role.UNIT, Role.SUPERVISOR, Role.ADMIN})
# The centre routes, visits back and closes; the unit signs for, returns and finishes its cases. Supervisors and
# administrators may act for either side. 当场办结 is not here: the profile says who may (CaseRules).
PERMITTED: dict[Step, frozenset[Role]] = {
    Step.ACCEPT: CENTRE_SIDE, Step.DISPATCH: CENTRE_SIDE, Step.REROUTE: CENTRE_SIDE,
    Step.START: UNIT_SIDE, Step.RETURN: UNIT_SIDE, Step.FINISH: UNIT_SIDE,
    Step.VISIT: CENTRE_SIDE, Step.REOPEN: CENTRE_SIDE, Step.ARCHIVE: CENTRE_SIDE,
}


class WorkflowError(TicketError):
    """A state change the workflow does not allow."""


WORKFLOW_FILE = "workflow.toml"
KNOWN_KEYS = ("solve_on_call", "visit_methods")
DEFAULT_SOLVE_ON_CALL = frozenset({Role.SUPERVISOR, Role.ADMIN})
DEFAULT_VISIT_METHODS = ("电话", "短信", "微信", "上门")
_LINE_EXAMPLE = 'solve_on_call = ["supervisor", "admin"]、visit_methods = ["电话", "短信"]'


@dataclass(frozen=True)
class CaseRules:
    """The centre's own part of the workflow, from its profile's ``workflow.toml`` (defaults without one)."""

    solve_on_call: frozenset[Role] = DEFAULT_SOLVE_ON_CALL
    visit_methods: tuple[str, ...] = DEFAULT_VISIT_METHODS

    @classmethod
    def load(cls, path: Path | None = None, centre: Centre | None = None) -> CaseRules:
        """The rules of ``path``, by default the profile's (``centre``, by default the one in use)."""
        if path is None:
            path = (centre or active_centre()).folder / WORKFLOW_FILE
        data = read_toml(path, "流程配置", _LINE_EXAMPLE)
        warn_unknown(path, "流程配置", data.keys(), KNOWN_KEYS, "设置项")
        return cls(solve_on_call=_roles(path, data.get("solve_on_call", sorted(DEFAULT_SOLVE_ON_CALL))),
                   visit_methods=_methods(path, data.get("visit_methods", list(DEFAULT_VISIT_METHODS))))


def _roles(path: Path, value) -> frozenset[Role]:
    known = "、".join(f"{r}（{r.label}）" for r in Role)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"流程配置 {path} 中 solve_on_call 的值 {shown(value)} 无效：应为角色的列表",
                          f'例如 solve_on_call = ["supervisor", "admin"]；可用角色：{known}')
    roles = set()
    for name in value:
        try:
            roles.add(Role(name.strip()))
        except ValueError:
            raise ConfigError(f"流程配置 {path} 中 solve_on_call 的角色 {shown(name)} 不认识",
                              f"可用角色：{known}") from None
    return frozenset(roles)


def _methods(path: Path, value) -> tuple[str, ...]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and 0 < len(v.strip()) <= 20 for v in value)):
        raise ConfigError(f"流程配置 {path} 中 visit_methods 的值 {shown(value)} 无效：应为回访方式的列表，"
                          "每项 1 到 20 个字", '例如 visit_methods = ["电话", "短信", "微信"]')
    return tuple(v.strip() for v in value)


def may(role: str, step: Step, rules: CaseRules | None = None) -> bool:
    """Whether ``role`` may take ``step``."""
    if step is Step.SOLVE:
        return role in (rules or CaseRules.load()).solve_on_call
    return role in PERMITTED[step]


def may_solve_on_call(role: str, rules: CaseRules | None = None) -> bool:
    """Whether ``role`` may file a ticket as 当场办结 (the centre's ``solve_on_call``)."""
    return may(role, Step.SOLVE, rules)


def check_may(role: str, step: Step, rules: CaseRules | None = None) -> None:
    """An AccessError naming the role, the step and the roles that may take it, unless ``role`` may."""
    if may(role, step, rules):
        return
    allowed = (rules or CaseRules.load()).solve_on_call if step is Step.SOLVE else PERMITTED[step]
    names = "、".join(f"{r}（{r.label}）" for r in Role if r in allowed) or "（无）"
    where = "（见中心配置 workflow.toml 的 solve_on_call）" if step is Step.SOLVE else ""
    raise AccessError(f"角色“{ROLE_LABELS.get(role, role)}”不能{step}工单",
                      f"可以{step}的角色：{names}{where}")


def steps_for(status: str, role: str, rules: CaseRules | None = None) -> tuple[Step, ...]:
    """The steps ``role`` may take on a ticket in ``status`` (what a screen offers as buttons)."""
    by_status = {
        DRAFT: (Step.ACCEPT, Step.SOLVE), ACCEPTED: (Step.DISPATCH, Step.REROUTE, Step.SOLVE),
        RETURNED: (Step.DISPATCH, Step.REROUTE), DISPATCHED: (Step.START, Step.FINISH, Step.RETURN, Step.REROUTE),
        IN_PROGRESS: (Step.FINISH, Step.RETURN), DONE: (Step.VISIT,), SOLVED_ON_CALL: (Step.VISIT, Step.ARCHIVE),
        VISITED: (Step.ARCHIVE, Step.REOPEN), ARCHIVED: (),
    }
    rules = rules or CaseRules.load()
    return tuple(step for step in by_status.get(status, ()) if may(role, step, rules))


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
