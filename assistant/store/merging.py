"""并单 and 撤销并单: a repeat linked to the earliest open ticket of its matter (the root), and a merge made in error
undone.

The root keeps the one deadline and the repeat's follows it; the merge event on the repeat records each deadline
it moved, so that ``unmerge`` can give them back — except one changed since, which is a later decision than the
merge. Groups stay one level deep: each refusal names the ticket to merge into or unmerge instead. Who may do
either is the centre's side, as the database grants it. Functions take a ``Session`` and the caller owns the
transaction; both tickets are locked first, so that two merges at once cannot build a chain. Finding the repeats
is left to ``repeats``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import AccessError, TicketError
from assistant.store import workflow
from assistant.store.models import Ticket, TicketEvent
from assistant.store.repeats import OPEN, utc
from assistant.store.roles import LABELS
from assistant.store.values import check_actor, iso_day

# Who may merge and undo a merge: the centre's side, as the database grants it (a unit's login may not change a
# ticket's group or deadline).
MERGING = workflow.CENTRE_SIDE
UNMERGE_REASON = ("撤销并单必须写明理由", "用 --note 写明为什么撤销，例如 两次来电说的不是同一件事")
MOVED = ("deadline", "dispatch_deadline")  # what a merge moves to the root's, and its undoing gives back


def merge(db: Session, ticket: Ticket, into: Ticket, *, actor: str, note: str | None = None,
          role: str | None = None, now: datetime | None = None) -> Ticket:
    """并单: link ``ticket`` as a repeat of the earlier open ticket ``into``, whose deadline it takes; an event on
    each (action ``merge``) says who, when and which numbers: ``{"repeat_of": into's number}`` with the deadline
    and dispatch deadline moved (``[old, new]``, each when it moved) on the repeat, ``{"repeat": ticket's
    number}`` on the root; ``unmerge`` gives the moved ones back. Refused, with what to do instead: a ``role``
    that may not merge (when given), a ticket into itself, into a closed or later ticket, into a repeat (merge
    into its root), a ticket already merged or one that others were merged into."""
    check_actor(actor)
    _check_may_merge(role, "并单")
    _lock(db, ticket, into)
    if ticket.id == into.id:
        raise TicketError(f"不能把工单 {ticket.number} 并入它自己", "并入的应是同一诉求更早的那张工单")
    if into.repeat_of_id is not None:
        root = db.get(Ticket, into.repeat_of_id)
        raise TicketError(f"工单 {into.number} 本身已并入 {root.number}，不能再并入它",
                          f"请并入主单：hotline tickets merge {ticket.number} {root.number}")
    if ticket.repeat_of_id is not None:
        root = db.get(Ticket, ticket.repeat_of_id)
        raise TicketError(f"工单 {ticket.number} 已并入 {root.number}", "一张工单只能并入一次")
    if db.scalar(select(Ticket.number).where(Ticket.repeat_of_id == ticket.id).limit(1)):
        raise TicketError(f"已有工单并入 {ticket.number}，它不能再并入其他工单",
                          f"它是一组重复诉求的主单；可把 {into.number} 并入它")
    for t in (into, ticket):
        if t.status not in OPEN:
            raise TicketError(f"工单 {t.number} 已是“{t.status}”，不能并单",
                              "只有未办结的工单（" + "、".join(OPEN) + "）可以并单")
    if (utc(into.created_at), into.id) > (utc(ticket.created_at), ticket.id):
        raise TicketError(f"工单 {into.number} 比 {ticket.number} 晚，不能并入更晚的工单",
                          f"把晚的并入早的：hotline tickets merge {into.number} {ticket.number}")
    now = utc(now)
    detail: dict = {"repeat_of": into.number}
    for field in MOVED:
        if getattr(ticket, field) != getattr(into, field):
            detail[field] = [iso_day(getattr(ticket, field)), iso_day(getattr(into, field))]
    ticket.repeat_of_id = into.id
    ticket.deadline, ticket.dispatch_deadline = into.deadline, into.dispatch_deadline
    ticket.events.append(TicketEvent(actor=actor, at=now, action="merge", detail=detail, note=note or None))
    into.events.append(TicketEvent(actor=actor, at=now, action="merge", detail={"repeat": ticket.number},
                                   note=f"重复诉求 {ticket.number} 并入本单" + (f"；{note}" if note else "")))
    ticket.updated_at = into.updated_at = now
    db.flush()
    return ticket


def unmerge(db: Session, ticket: Ticket, *, actor: str, note: str | None, role: str | None = None,
            now: datetime | None = None) -> Ticket:
    """撤销并单: ``ticket`` leaves the group it was merged into and gets back the deadline and dispatch deadline it
    had before, as its merge event recorded them. A deadline changed since the merge (a reopening, a return) is
    the newer decision and is kept; the event names it under ``kept``. An ``unmerge`` event on each ticket, the
    reason as its note: ``{"repeat_of": root, field: [merged, restored]…}`` on the repeat, ``{"repeat": ticket's
    number}`` on the root. Refused: an actor the log cannot hold, a ``role`` that may not merge (when given), no
    reason, a ticket not merged into any, either ticket 已归档 (its record is final and its group is part of it)."""
    check_actor(actor)
    _check_may_merge(role, "撤销并单")
    reason = (note or "").strip()
    if not reason:
        raise TicketError(*UNMERGE_REASON)
    root = db.get(Ticket, ticket.repeat_of_id) if ticket.repeat_of_id is not None else None
    _lock(db, *(t for t in (ticket, root) if t is not None))
    if root is None or ticket.repeat_of_id != root.id:
        _refuse_not_merged(db, ticket)
    for t in (ticket, root):
        if t.status == workflow.ARCHIVED:
            raise TicketError(f"工单 {t.number} 已归档，不能撤销并单",
                              "已归档的工单是定案的记录，它所在的并单组随之定案，不再改动")
    merged = next((e for e in reversed(ticket.events)
                   if e.action == "merge" and (e.detail or {}).get("repeat_of") == root.number), None)
    recorded = (merged.detail or {}) if merged is not None else {}
    detail: dict = {"repeat_of": root.number}
    kept: dict = {}
    for field in MOVED:
        if not recorded.get(field):  # the merge did not move it
            continue
        before, after = recorded[field]
        current = iso_day(getattr(ticket, field))
        if current != after:
            kept[field] = current
            continue
        setattr(ticket, field, date.fromisoformat(before) if before else None)
        detail[field] = [after, before]
    if kept:
        detail["kept"] = kept
    now = utc(now)
    ticket.repeat_of_id = None
    ticket.events.append(TicketEvent(actor=actor, at=now, action="unmerge", detail=detail, note=reason))
    root.events.append(TicketEvent(actor=actor, at=now, action="unmerge", detail={"repeat": ticket.number},
                                   note=reason))
    ticket.updated_at = root.updated_at = now
    db.flush()
    return ticket


def _check_may_merge(role: str | None, doing: str) -> None:
    """Refuse a ``role`` (when one is given) that may not change a ticket's group: a unit's."""
    if role is not None and role not in MERGING:
        raise AccessError(f"角色“{LABELS.get(role, role)}”不能{doing}", f"可以{doing}的角色："
                          + "、".join(f"{r}（{r.label}）" for r in LABELS if r in MERGING))


def _refuse_not_merged(db: Session, ticket: Ticket) -> None:
    repeat = db.scalar(select(Ticket.number).where(Ticket.repeat_of_id == ticket.id)
                       .order_by(Ticket.created_at, Ticket.id).limit(1))
    if repeat:
        raise TicketError(f"工单 {ticket.number} 是主单，没有并入其他工单",
                          f"撤销的是并入它的那张：hotline tickets unmerge {repeat} --note 理由")
    raise TicketError(f"工单 {ticket.number} 没有并入其他工单，无需撤销并单",
                      f"它所在的组可用 hotline tickets search --number {ticket.number} 查看")


def _lock(db: Session, *tickets: Ticket) -> None:
    """Re-read both tickets under a row lock (PostgreSQL; SQLite's write transaction is already exclusive), so
    that two merges at once cannot build a chain."""
    for t in sorted(tickets, key=lambda t: t.id):
        db.refresh(t, with_for_update=True)
