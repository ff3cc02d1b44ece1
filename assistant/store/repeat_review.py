"""What a supervisor reviews of repeats: the merged groups of a period, and the likely repeats not merged yet.

Likely repeats come from two places. Batches record a flag on each ticket they file that likely repeats an open
one (``repeat_suspect``, see ``repeats.flag``); that is read back here. ``scan`` looks again over a period's
open tickets — for tickets filed some other way — with the same candidate sets and the same scoring as the
check on a new call, reading the period and one window before it once instead of querying per ticket.

A ticket a supervisor unmerged from a root (an ``unmerge`` event) is not listed again as a likely repeat of that
root: the undoing is a person's word that it is not one, which a score does not overrule. It may still be listed
against another candidate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from assistant.store.likeness import account, grams
from assistant.store.models import Ticket, TicketEvent
from assistant.store.repeats import (
    CALLER_POOL,
    OPEN,
    SUSPECT,
    UNIT_POOL,
    Group,
    as_roots,
    groups_of,
    rank,
    utc,
    window_days,
)


@dataclass(frozen=True)
class Suspect:
    """A ticket not merged that likely repeats ``candidates`` (open roots, best first)."""

    ticket: Ticket
    candidates: tuple[Ticket, ...]
    score: float
    flagged_at: datetime | None = None  # when a batch flagged it; None: found by ``scan``


def _days(table, start: date | None, end: date | None) -> list:
    return [c for c in ((table.day >= start) if start else None, (table.day <= end) if end else None)
            if c is not None]


def groups(db: Session, *, start: date | None = None, end: date | None = None, open_only: bool = False,
           limit: int = 500) -> list[Group]:
    """The merged groups with a ticket filed between ``start`` and ``end``, newest root first; ``open_only``:
    only groups whose root is still open."""
    root = aliased(Ticket)
    ids = set(db.scalars(select(Ticket.repeat_of_id).where(Ticket.repeat_of_id.is_not(None),
                                                           *_days(Ticket, start, end))))
    ids.update(db.scalars(select(Ticket.repeat_of_id).join(root, root.id == Ticket.repeat_of_id)
                          .where(*_days(root, start, end))))
    if not ids:
        return []
    stmt = select(Ticket).where(Ticket.id.in_(ids)).order_by(Ticket.created_at.desc(), Ticket.id.desc())
    if open_only:
        stmt = stmt.where(Ticket.status.in_(OPEN))
    return groups_of(db, db.scalars(stmt.limit(limit)))


def flagged(db: Session, *, start: date | None = None, end: date | None = None,
            open_only: bool = False) -> list[Suspect]:
    """The tickets a batch flagged as likely repeats that are not merged yet, newest first, with the flag's
    candidates as they stand now (a candidate merged since is shown as its root; a root the ticket was unmerged
    from is left out, and closed ones with ``open_only``)."""
    rows = db.execute(select(TicketEvent, Ticket).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                      .where(TicketEvent.action == SUSPECT, Ticket.repeat_of_id.is_(None),
                             *_days(Ticket, start, end))
                      .order_by(Ticket.created_at.desc(), Ticket.id.desc(), TicketEvent.id.desc())).all()
    latest: dict[int, tuple[TicketEvent, Ticket]] = {}
    for event, ticket in rows:
        latest.setdefault(ticket.id, (event, ticket))
    apart = _unmerged_from(db, latest)
    numbers = {n for event, _ in latest.values() for n in (event.detail or {}).get("candidates", [])}
    by_number = {t.number: t for t in db.scalars(select(Ticket).where(Ticket.number.in_(numbers)))} \
        if numbers else {}
    roots = {t.id: t for t in db.scalars(select(Ticket).where(
        Ticket.id.in_({t.repeat_of_id for t in by_number.values() if t.repeat_of_id})))}
    out = []
    for event, ticket in latest.values():
        if open_only and ticket.status not in OPEN:
            continue
        found = [by_number[n] for n in (event.detail or {}).get("candidates", []) if n in by_number]
        found = list(dict.fromkeys(roots.get(t.repeat_of_id, t) if t.repeat_of_id else t for t in found))
        found = [t for t in found if t.id != ticket.id and t.number not in apart[ticket.id]
                 and (t.status in OPEN or not open_only)]
        if found:
            out.append(Suspect(ticket, tuple(found), float((event.detail or {}).get("score", 0.0)),
                               utc(event.at)))
    return out


def scan(db: Session, *, start: date | None = None, end: date | None = None,
         days: int | None = None) -> list[Suspect]:
    """Open tickets filed between ``start`` and ``end`` (default: the last window) that are not merged and
    likely repeat an earlier open one other than a root they were unmerged from, newest first."""
    days = days or window_days()
    end = end or utc(None).date()
    start = start or end - timedelta(days=days)
    tickets = list(db.scalars(select(Ticket).where(Ticket.status.in_(OPEN), Ticket.day >= start - timedelta(days=days),
                                                   Ticket.day <= end)
                              .order_by(Ticket.created_at, Ticket.id)))
    by_caller: dict[str, list[tuple[Ticket, frozenset]]] = defaultdict(list)
    by_unit: dict[tuple, list[tuple[Ticket, frozenset]]] = defaultdict(list)
    out: list[tuple[Ticket, list]] = []
    for t in tickets:
        mine = grams(account(t))
        unit_key = (t.unit, t.category) if t.unit and t.category else None
        if t.day >= start and t.repeat_of_id is None:
            since = utc(t.created_at) - timedelta(days=days)
            near = (by_caller[t.phone_key][-CALLER_POOL:] if t.phone_key else []) + \
                (by_unit[unit_key][-UNIT_POOL:] if unit_key else [])
            pool = {c.id: (c, g) for c, g in near if utc(c.created_at) >= since}
            callers = {c.id for c, _ in pool.values() if t.phone_key and c.phone_key == t.phone_key}
            found = rank(t, [c for c, _ in pool.values()], callers, [g for _, g in pool.values()])
            found = as_roots(db, found, {t.id})
            if found:
                out.append((t, found))
        if t.phone_key:
            by_caller[t.phone_key].append((t, mine))
        if unit_key:
            by_unit[unit_key].append((t, mine))
    apart = _unmerged_from(db, [t.id for t, _ in out])
    suspects = []
    for t, found in reversed(out):
        found = [r for r in found if r.ticket.number not in apart[t.id]]
        if found:
            suspects.append(Suspect(t, tuple(r.ticket for r in found), found[0].score))
    return suspects


def _unmerged_from(db: Session, ids) -> defaultdict[int, set[str]]:
    """The numbers of the roots each ticket of ``ids`` was unmerged from (the ``repeat_of`` of its ``unmerge``
    events); a ticket never unmerged has none."""
    apart: defaultdict[int, set[str]] = defaultdict(set)
    ids = list(ids)
    if ids:
        for ticket_id, detail in db.execute(select(TicketEvent.ticket_id, TicketEvent.detail).where(
                TicketEvent.action == "unmerge", TicketEvent.ticket_id.in_(ids))):
            if (detail or {}).get("repeat_of"):
                apart[ticket_id].add(detail["repeat_of"])
    return apart
