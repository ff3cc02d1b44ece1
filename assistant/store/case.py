"""The case after the call: one function per step a person takes on a ticket.

Each step checks, before it changes anything, that the role may take it (``workflow.PERMITTED``), that the
ticket's state allows it (``workflow.MOVES``) and that it has what it needs (a unit from the directory, the
reason of a return, the unit's reply, the visit's satisfaction); then it changes the ticket and writes one
audit event (who, when, from → to, why, and a ``detail`` of what else changed) in the caller's transaction.

Rules decided here, for docs/workflow.md:
- a returned ticket (退回) is the centre's again: its dispatch deadline starts over (one working day from the
  return, by deadlines.toml); its handling deadline is the one the caller was promised and does not move;
- a return visit the caller is not satisfied with may reopen the case: back to 办理中 at the same unit (or to
  已受理, for dispatch, when no unit ever had it: a 当场办结 ticket), with a new handling deadline counted from
  the day it is reopened as deadlines.toml counts it for a new ticket of its appeal type and urgency.
"""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import TicketError
from assistant.store import workflow
from assistant.store.deadlines import DeadlineRules
from assistant.store.models import Ticket, TicketEvent, Unit
from assistant.store.roles import Role, current_role
from assistant.store.values import check_actor, iso_day
from assistant.store.workflow import CaseRules, Status, Step, WorkflowError, check_may, check_move

UnitNames = dict[str, str]  # every spelling (name or alias) → the unit's official name


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _day(now: datetime) -> date:
    return now.astimezone().date()


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def require(value: str | None, message: str, hint: str) -> str:
    """``value`` without surrounding blanks; a TicketError(message, hint) when nothing is left."""
    text = _text(value)
    if text is None:
        raise TicketError(message, hint)
    return text

RETURN_REASON = ("退回工单必须写明原因", "用 --reason 写明为什么不由本单位办理，例如 不属本单位职责")
FINISH_REPLY = ("办结必须填写办理结果", "用 --reply 写明承办单位的答复或处理结果")


def acting_role(session: Session, role: str | None) -> Role:
    """The role a step is taken in: ``role`` when the caller decided it (the CLI and the console read it from the
    database session on PostgreSQL, and the server enforces the login's privileges whatever it says); None: the
    login behind ``session`` on PostgreSQL (a unit's login is a unit without --role), the configured role on
    SQLite."""
    if role is not None:
        return current_role(role)
    return current_role(None, bind=session.get_bind())


def _begin(session: Session, step: Step, actor: str, role: str | None, rules: CaseRules | None = None) -> Role:
    """The checks every step starts with: a name for the audit log, a role that may take the step (returned)."""
    check_actor(actor)
    role = acting_role(session, role)
    check_may(role, step, rules)
    return role


def _move(ticket: Ticket, to: Status, step: Step, /, *, actor: str, now: datetime, note: str | None = None,
          **detail) -> None:
    ticket.events.append(TicketEvent(actor=actor, at=now, action="transition", from_status=ticket.status,
                                     to_status=to, note=note, detail={"step": step.name.lower(), **detail}))
    ticket.status = to
    ticket.updated_at = now


# The unit directory


def unit_names(session: Session, directory=None) -> UnitNames:
    """Where unit names are checked: ``directory`` (a UnitDirectory) if given, else the directory imported into
    the store (``hotline units import``), else the configured directory file (config.toml's ``units``, else the
    centre profile's units.csv)."""
    if directory is not None:
        return directory.spellings()
    names: UnitNames = {}
    for name, aliases in session.execute(select(Unit.name, Unit.aliases).order_by(Unit.id)):
        names.setdefault(name, name)
        for alias in aliases or ():
            names.setdefault(alias, name)
    if names:
        return names
    path = _units_file()
    if path is None:
        raise TicketError("没有单位目录，无法核对承办单位", "先运行 hotline units import 文件 导入本中心的单位目录")
    from assistant.lexicon.units import load_units

    return load_units(path).spellings()


def _units_file() -> Path | None:
    from assistant.centre import active_centre
    from assistant.config import Settings

    chosen = Settings.load().units
    if chosen:
        return Path(chosen)
    path = active_centre().units_path
    return path if path.exists() else None


def resolve_unit(session: Session, name: str | None, directory=None) -> str:
    """The official name of the unit ``name`` (its name or an alias in the directory); TicketError if the
    directory has no such unit, with the closest names."""
    name = require(name, "承办单位不能为空", "用 --unit 写明承办单位的名称或简称")
    names = unit_names(session, directory)
    if name in names:
        return names[name]
    close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.4)
    hint = f"是不是：{'、'.join(dict.fromkeys(names[c] for c in close))}？" if close else ""
    raise TicketError(f"单位目录中没有承办单位“{name}”", hint + "用 hotline units list 查看单位目录")


# The steps


def accept(session: Session, ticket: Ticket, *, actor: str, role: str, note: str | None = None,
           now: datetime | None = None, rules: DeadlineRules | None = None) -> Ticket:
    """受理: a draft becomes a ticket with its deadlines, or a returned ticket goes back to the centre's queue."""
    _begin(session, Step.ACCEPT, actor, role)
    check_move(ticket.status, workflow.ACCEPTED)
    if ticket.status == workflow.VISITED:
        raise WorkflowError("回访后的工单要重新办理，不是重新受理", "回访不满意时用 hotline tickets visit … --reopen")
    now = _now(now)
    if ticket.deadline is None:
        rules = rules or DeadlineRules.load()
        ticket.deadline = rules.deadline(_day(now), ticket.appeal_type, ticket.urgency)
        ticket.dispatch_deadline = rules.dispatch_deadline(_day(now), ticket.urgency)
    _move(ticket, workflow.ACCEPTED, Step.ACCEPT, actor=actor, now=now, note=_text(note))
    session.flush()
    return ticket


def dispatch(session: Session, ticket: Ticket, *, actor: str, role: str, unit: str | None = None,
             note: str | None = None, directory=None, now: datetime | None = None) -> Ticket:
    """转办: send a ticket waiting at the centre (已受理, 退回) to ``unit``, by default the unit it names."""
    _begin(session, Step.DISPATCH, actor, role)
    check_move(ticket.status, workflow.DISPATCHED)
    if unit is None and ticket.unit is None:
        raise TicketError(f"工单 {ticket.number} 还没有承办单位，无法转办", "用 --unit 写明转办给哪个承办单位")
    target = resolve_unit(session, unit if unit is not None else ticket.unit, directory)
    note = _text(note)
    if ticket.status == workflow.RETURNED and target == ticket.unit and note is None:
        raise TicketError(f"工单 {ticket.number} 是 {target} 退回的，再派给它要写明理由",
                          "用 --note 写明为什么仍由该单位办理，或用 --unit 改派其他单位")
    _send(ticket, target, Step.DISPATCH, actor=actor, now=_now(now), note=note)
    session.flush()
    return ticket


def reroute(session: Session, ticket: Ticket, *, actor: str, role: str, unit: str, note: str | None = None,
            directory=None, now: datetime | None = None) -> Ticket:
    """改派: send the ticket to another unit than the one it names; from 已受理 and 退回 this dispatches it, a
    ticket already dispatched (已派单) is dispatched again to the new unit."""
    _begin(session, Step.REROUTE, actor, role)
    if ticket.status not in (*workflow.UNDISPATCHED, workflow.DISPATCHED):
        raise WorkflowError(f"“{ticket.status}”的工单不能改派",
                            "只有已受理、退回和已派单的工单可以改派；办理中的工单请承办单位先退回")
    target = resolve_unit(session, unit, directory)
    if target == ticket.unit:
        raise TicketError(f"工单 {ticket.number} 的承办单位已是 {target}",
                          "改派要换一个承办单位；再派给同一单位用 dispatch")
    _send(ticket, target, Step.REROUTE, actor=actor, now=_now(now), note=_text(note))
    session.flush()
    return ticket


def _send(ticket: Ticket, unit: str, step: Step, *, actor: str, now: datetime, note: str | None) -> None:
    detail = {"dispatched_to": unit}
    if unit != ticket.unit:
        detail["unit"] = [ticket.unit, unit]
    if ticket.status == workflow.DISPATCHED:  # a re-routing that keeps the state: not a transition
        ticket.events.append(TicketEvent(actor=actor, at=now, action="reroute", from_status=ticket.status,
                                         to_status=ticket.status, note=note,
                                         detail={"step": step.name.lower(), **detail}))
        ticket.updated_at = now
    else:
        _move(ticket, workflow.DISPATCHED, step, actor=actor, now=now, note=note, **detail)
    ticket.unit = unit
    ticket.dispatched_at = now


def start(session: Session, ticket: Ticket, *, actor: str, role: str, note: str | None = None,
          now: datetime | None = None) -> Ticket:
    """签收: the unit takes the dispatched ticket on (已派单 → 办理中)."""
    _begin(session, Step.START, actor, role)
    check_move(ticket.status, workflow.IN_PROGRESS)
    if ticket.status != workflow.DISPATCHED:
        raise WorkflowError("回访后的工单要重新办理，不是签收", "回访不满意时用 hotline tickets visit … --reopen")
    _move(ticket, workflow.IN_PROGRESS, Step.START, actor=actor, now=_now(now), note=_text(note))
    session.flush()
    return ticket


def return_ticket(session: Session, ticket: Ticket, *, actor: str, role: str, reason: str | None,
                  now: datetime | None = None, rules: DeadlineRules | None = None) -> Ticket:
    """退回: the unit sends back a ticket that is not its to handle, saying why; the centre routes it again
    within a new dispatch deadline."""
    _begin(session, Step.RETURN, actor, role)
    check_move(ticket.status, workflow.RETURNED)
    reason = require(reason, *RETURN_REASON)
    now = _now(now)
    rules = rules or DeadlineRules.load()
    old = ticket.dispatch_deadline
    ticket.dispatch_deadline = rules.dispatch_deadline(_day(now), ticket.urgency)
    _move(ticket, workflow.RETURNED, Step.RETURN, actor=actor, now=now, note=reason, by=ticket.unit,
          dispatch_deadline=[iso_day(old), iso_day(ticket.dispatch_deadline)])
    session.flush()
    return ticket


def finish(session: Session, ticket: Ticket, *, actor: str, role: str, reply: str | None,
           now: datetime | None = None) -> Ticket:
    """办结: the unit's reply is recorded and the case is done; a ticket not yet signed for is signed for first."""
    role = _begin(session, Step.FINISH, actor, role)
    reply = require(reply, *FINISH_REPLY)
    now = _now(now)
    if ticket.status == workflow.DISPATCHED:
        check_may(role, Step.START)
        _move(ticket, workflow.IN_PROGRESS, Step.START, actor=actor, now=now, note="办结时签收")
    check_move(ticket.status, workflow.DONE)
    _move(ticket, workflow.DONE, Step.FINISH, actor=actor, now=now, note=reply)
    ticket.reply = reply
    ticket.done_at = now
    session.flush()
    return ticket


def solve_on_call(session: Session, ticket: Ticket, *, actor: str, role: str, reply: str | None = None,
                  now: datetime | None = None, case_rules: CaseRules | None = None) -> Ticket:
    """当场办结: answered on the call, not dispatched; only the roles the centre's ``solve_on_call`` names."""
    _begin(session, Step.SOLVE, actor, role, case_rules)
    check_move(ticket.status, workflow.SOLVED_ON_CALL)
    now = _now(now)
    reply = _text(reply)
    _move(ticket, workflow.SOLVED_ON_CALL, Step.SOLVE, actor=actor, now=now, note=reply)
    ticket.reply = reply or ticket.reply
    ticket.done_at = now
    session.flush()
    return ticket


def visit(session: Session, ticket: Ticket, *, actor: str, role: str, method: str | None,
          satisfaction: str | None, comment: str | None = None, reopen: bool = False, now: datetime | None = None,
          rules: DeadlineRules | None = None, case_rules: CaseRules | None = None) -> Ticket:
    """回访: how the caller was reached, whether satisfied, what they said; ``reopen`` (不满意 only) puts the case
    back to work in the same transaction (see ``reopen_case``)."""
    case_rules = case_rules or CaseRules.load()
    role = _begin(session, Step.VISIT, actor, role, case_rules)
    check_move(ticket.status, workflow.VISITED)
    method, satisfaction = check_visit(method, satisfaction, reopen=reopen, role=role, case_rules=case_rules)
    now = _now(now)
    comment = _text(comment)
    _move(ticket, workflow.VISITED, Step.VISIT, actor=actor, now=now, note=comment, method=method,
          satisfaction=satisfaction)
    ticket.visit_method, ticket.satisfaction, ticket.visit_comment, ticket.visited_at = (
        method, satisfaction, comment, now)
    if reopen:
        reopen_case(session, ticket, actor=actor, role=role, reason=comment or "回访不满意", now=now, rules=rules)
    session.flush()
    return ticket


def check_visit(method: str | None, satisfaction: str | None, *, reopen: bool = False, role: str | None = None,
                case_rules: CaseRules | None = None) -> tuple[str, str]:
    """The visit's method and satisfaction as the centre allows them (before any ticket is read); with
    ``role``, also whether it may reopen the case."""
    case_rules = case_rules or CaseRules.load()
    methods = "、".join(case_rules.visit_methods)
    method = require(method, "回访必须写明回访方式", f"用 --method 写明，可选：{methods}")
    if method not in case_rules.visit_methods:
        raise TicketError(f"回访方式“{method}”不在本中心的回访方式中",
                          f"可选：{methods}（见中心配置 workflow.toml 的 visit_methods）")
    choices = "、".join(workflow.SATISFACTION)
    satisfaction = require(satisfaction, "回访必须记录满意度", f"用 --satisfaction 写明：{choices}")
    if satisfaction not in workflow.SATISFACTION:
        raise TicketError(f"满意度“{satisfaction}”无效", f"可选：{choices}")
    if reopen and satisfaction != workflow.UNSATISFIED:
        raise TicketError(f"满意度为“{satisfaction}”的工单不能重新办理", "只有回访不满意的工单可以重新办理")
    if reopen and role is not None:
        check_may(current_role(role), Step.REOPEN, case_rules)
    return method, satisfaction


def reopen_target(ticket: Ticket) -> Status:
    """Where a reopened case goes: 办理中 at its unit, or 已受理 when no unit ever had it (当场办结)."""
    return workflow.IN_PROGRESS if ticket.unit and ticket.dispatched_at else workflow.ACCEPTED


def reopen_case(session: Session, ticket: Ticket, *, actor: str, role: str, reason: str | None,
                now: datetime | None = None, rules: DeadlineRules | None = None) -> Ticket:
    """重新办理: a visited case whose caller was not satisfied goes back to work with a new handling deadline, a
    full period from today by deadlines.toml."""
    _begin(session, Step.REOPEN, actor, role)
    if ticket.status != workflow.VISITED or ticket.satisfaction != workflow.UNSATISFIED:
        shown = f"状态“{ticket.status}”，满意度“{ticket.satisfaction or '无'}”"
        raise WorkflowError(f"工单 {ticket.number} 不能重新办理（{shown}）",
                            "只有回访不满意（已回访、不满意）的工单可以重新办理")
    reason = require(reason, "重新办理必须写明原因", "用 --note 写明来电人哪里不满意")
    now = _now(now)
    rules = rules or DeadlineRules.load()
    target = reopen_target(ticket)
    old = ticket.deadline
    ticket.deadline = rules.deadline(_day(now), ticket.appeal_type, ticket.urgency)
    detail = {"deadline": [iso_day(old), iso_day(ticket.deadline)], "done_at": _stamp(ticket.done_at)}
    if target == workflow.ACCEPTED:
        ticket.dispatch_deadline = rules.dispatch_deadline(_day(now), ticket.urgency)
    _move(ticket, target, Step.REOPEN, actor=actor, now=now, note=reason, **detail)
    ticket.done_at = None
    session.flush()
    return ticket


def _stamp(moment: datetime | None) -> str | None:
    return moment.replace(microsecond=0).isoformat() if moment else None


def archive(session: Session, ticket: Ticket, *, actor: str, role: str, note: str | None = None,
            now: datetime | None = None) -> Ticket:
    """归档: the case is closed for good; nothing moves it again."""
    _begin(session, Step.ARCHIVE, actor, role)
    check_move(ticket.status, workflow.ARCHIVED)
    _move(ticket, workflow.ARCHIVED, Step.ARCHIVE, actor=actor, now=_now(now), note=_text(note))
    session.flush()
    return ticket


VISIT_HINT = "回访要记录回访方式和满意度：hotline tickets visit 编号 --method 电话 --satisfaction 满意"
# What ``move`` needs in its --note for these states, said as the step's own command would.
NEEDS_NOTE = {
    workflow.RETURNED: ("退回工单必须写明原因",
                        "用 --note 写明为什么不由本单位办理（或用 hotline tickets return … --reason）"),
    workflow.DONE: ("办结必须填写办理结果", "用 --note 写明承办单位的答复（或用 hotline tickets finish … --reply）"),
}


def move(session: Session, ticket: Ticket, target: str, *, actor: str, role: str | None = None,
         note: str | None = None, now: datetime | None = None, directory=None) -> Ticket:
    """``hotline tickets move``: the step that takes the ticket to ``target``, ``note`` being what that step
    needs (the reason of a return, the reply of 办结). ``role`` None: the configured role (HOTLINE_ROLE)."""
    target = workflow.parse_status(target)
    role = acting_role(session, role)
    check_actor(actor)
    check_move(ticket.status, target)
    current = ticket.status
    if target in NEEDS_NOTE and _text(note) is None:
        raise TicketError(*NEEDS_NOTE[target])
    if target == workflow.ACCEPTED and current != workflow.VISITED:
        return accept(session, ticket, actor=actor, role=role, note=note, now=now)
    if target in (workflow.ACCEPTED, workflow.IN_PROGRESS) and current == workflow.VISITED:
        if reopen_target(ticket) != target:
            raise WorkflowError(f"工单 {ticket.number} 重新办理时应回到“{reopen_target(ticket)}”，不是“{target}”",
                                "有承办单位办理过的回到办理中，当场办结的回到已受理")
        return reopen_case(session, ticket, actor=actor, role=role, reason=note, now=now)
    steps = {
        workflow.DISPATCHED: lambda: dispatch(session, ticket, actor=actor, role=role, note=note, now=now,
                                              directory=directory),
        workflow.IN_PROGRESS: lambda: start(session, ticket, actor=actor, role=role, note=note, now=now),
        workflow.RETURNED: lambda: return_ticket(session, ticket, actor=actor, role=role, reason=note, now=now),
        workflow.DONE: lambda: finish(session, ticket, actor=actor, role=role, reply=note, now=now),
        workflow.SOLVED_ON_CALL: lambda: solve_on_call(session, ticket, actor=actor, role=role, reply=note, now=now),
        workflow.ARCHIVED: lambda: archive(session, ticket, actor=actor, role=role, note=note, now=now),
    }
    if target == workflow.VISITED:
        raise TicketError(f"工单 {ticket.number} 的回访不能用 move 记录", VISIT_HINT)
    return steps[target]()
