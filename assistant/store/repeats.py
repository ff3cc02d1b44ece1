"""Repeat callers and 重复诉求并单: a caller's earlier tickets, tickets found by phone or name, the open ticket a
new one likely repeats, and the merge that links them.

A caller is recognised by ``Ticket.phone_key`` (the number keyed, see ``privacy.phone_key``), never by reading
the number: a login that may only see masked numbers finds repeat callers all the same. The check on a new call
reads two bounded, indexed candidate sets — the caller's open tickets (``ix_ticket_phone_key``) and the newest
open tickets of the same unit and category (``ix_ticket_unit_category_status``), both within the window — and
scores them with ``likeness``; it never scans the archive, so it stays fast at 100,000 tickets.

Merging links a repeat to the earliest open ticket of its matter (the root): the root keeps the one deadline and
the repeat's follows it. Groups are one level deep — a ticket is either a root or a repeat of one — so each
number leads to the whole group in one step. A merge made in error is undone (``unmerge``): the repeat leaves the
group with the deadlines the merge had moved given back. Like the rest of the store, functions take a ``Session``
and the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.errors import AccessError, TicketError
from assistant.store import workflow
from assistant.store.likeness import ACCOUNT_FIELDS, account, grams, particulars, similarities, weighed
from assistant.store.models import Ticket, TicketEvent
from assistant.store.privacy import mask_name, mask_phone, phone_key
from assistant.store.roles import LABELS
from assistant.store.values import check_actor

OPEN = workflow.OPEN_STATES
# Scores at or above which an open ticket is offered as the one a new ticket repeats. The caller's own ticket of
# the same unit or category needs little in common (a caller's two matters there rarely share a particular); any
# other must be told much alike, as different matters of one unit and category share most of their words.
# Chosen on the training half of bench/repeats.py's archive and checked on the other half (docs/repeats.md).
CALLER_THRESHOLD = 0.06
ACCOUNT_THRESHOLD = 0.60
CALLER_POOL = 20  # a caller's open tickets looked at
UNIT_POOL = 100  # the newest open tickets of one unit and category looked at
SUSPECT = "repeat_suspect"  # the audit action of a flag for review
# Who may merge and undo a merge: the centre's side, as the database grants it (a unit's login may not change a
# ticket's group or deadline).
MERGING = workflow.CENTRE_SIDE
UNMERGE_REASON = ("撤销并单必须写明理由", "用 --note 写明为什么撤销，例如 两次来电说的不是同一件事")
MOVED = ("deadline", "dispatch_deadline")  # what a merge moves to the root's, and its undoing gives back
CANDIDATE_COLUMNS = (Ticket.id, Ticket.repeat_of_id, Ticket.unit, Ticket.category,
                     *(getattr(Ticket, f) for f in ACCOUNT_FIELDS))
# The candidate sets, built once: plain rows of the columns scored, not tickets (a hundred ORM objects cost more
# than the scoring), each read along its index and cut at its bound.
_RECENT = (select(*CANDIDATE_COLUMNS)
           .where(Ticket.status.in_(OPEN), Ticket.created_at >= bindparam("since"),
                  Ticket.created_at <= bindparam("now"))
           .order_by(Ticket.created_at.desc()))
_BY_UNIT = _RECENT.where(Ticket.unit == bindparam("unit"), Ticket.category == bindparam("category")).limit(UNIT_POOL)
_BY_CALLER = _RECENT.where(Ticket.phone_key == bindparam("key")).limit(CALLER_POOL)


class Repeat(NamedTuple):
    """An open ticket a new one likely repeats: the ticket (a group's root), the score 0–1, why, in Chinese."""

    ticket: Ticket
    score: float
    reason: str


@dataclass(frozen=True)
class Group:
    """A root ticket and the tickets merged into it (oldest first); a ticket alone is a group of one."""

    root: Ticket
    repeats: tuple[Ticket, ...] = ()

    @property
    def tickets(self) -> tuple[Ticket, ...]:
        return (self.root, *self.repeats)


def window_days() -> int:
    """The configured window (``repeat_days`` in config.toml or HOTLINE_REPEAT_DAYS; default 30)."""
    return Settings.load().repeat_days


def utc(moment: datetime | None) -> datetime:
    """An aware UTC moment; SQLite gives back the UTC wall time the store wrote, without its zone."""
    if moment is None:
        return datetime.now(UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def earlier_tickets(db: Session, phone: str | None, *, days: int | None = None, now: datetime | None = None,
                    limit: int = 20, exclude: int | None = None) -> list[Ticket]:
    """The caller's tickets of the last ``days`` days (default: the configured window), newest first, in any
    state; ``exclude`` leaves out one ticket (the one being filed)."""
    key = phone_key(phone)
    if key is None:
        return []
    now = utc(now)
    since = now - timedelta(days=days or window_days())
    stmt = (select(Ticket).where(Ticket.phone_key == key, Ticket.created_at >= since, Ticket.created_at <= now)
            .order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit))
    if exclude is not None:
        stmt = stmt.where(Ticket.id != exclude)
    return list(db.scalars(stmt))


def search(db: Session, *, phone: str | None = None, name: str | None = None, number: str | None = None,
           limit: int = 50) -> list[Group]:
    """Tickets by the caller's phone number (any way it is written), the caller's exact name, or a ticket
    number, newest first, each shown with its group: finding either number of a merge finds both."""
    if not any((phone, name, number)):
        raise TicketError("没有给出查找条件", "按电话 --phone、姓名 --name 或编号 --number 查找")
    stmt = select(Ticket)
    if phone:
        key = phone_key(phone)
        if key is None:
            raise TicketError(f"电话“{phone}”无效：至少要有 5 位数字", "写完整的号码，如 13912345678")
        stmt = stmt.where(Ticket.phone_key == key)
    if name:
        stmt = stmt.where(Ticket.caller_name == name.strip())
    if number:
        stmt = stmt.where(Ticket.number == number.strip())
    hits = list(db.scalars(stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)))
    return groups_of(db, hits)


def groups_of(db: Session, tickets: Iterable[Ticket]) -> list[Group]:
    """The group of each ticket, in the order the tickets come, each group once."""
    tickets = list(tickets)
    root_ids = list(dict.fromkeys(t.repeat_of_id or t.id for t in tickets))
    if not root_ids:
        return []
    roots = {t.id: t for t in db.scalars(select(Ticket).where(Ticket.id.in_(root_ids)))}
    members: dict[int, list[Ticket]] = {i: [] for i in root_ids}
    for t in db.scalars(select(Ticket).where(Ticket.repeat_of_id.in_(root_ids))
                        .order_by(Ticket.created_at, Ticket.id)):
        members[t.repeat_of_id].append(t)
    return [Group(roots[i], tuple(members[i])) for i in root_ids]


def group_of(db: Session, ticket: Ticket) -> Group:
    return groups_of(db, [ticket])[0]


def brief(ticket: Ticket, *, full: bool = False) -> dict:
    """What a list of earlier tickets shows of one: number, state, date, unit, title and summary, the caller
    masked unless ``full`` (the caller of a full view writes the read to the audit log)."""
    return {"number": ticket.number, "status": ticket.status, "created_at": utc(ticket.created_at),
            "deadline": ticket.deadline, "unit": ticket.unit, "category": ticket.category, "title": ticket.title,
            "summary": ticket.summary, "repeat_of_id": ticket.repeat_of_id,
            "caller_name": ticket.caller_name if full else mask_name(ticket.caller_name),
            "phone": ticket.phone if full else mask_phone(ticket.phone)}


def likely_repeats(db: Session, ticket_or_fields: Ticket | Mapping, *, days: int | None = None,
                   now: datetime | None = None, limit: int = 5,
                   thresholds: tuple[float, float] = (CALLER_THRESHOLD, ACCOUNT_THRESHOLD)) -> list[Repeat]:
    """The open tickets the given ticket (or a draft's field values, before filing) likely repeats, best first:
    the caller's own of the same unit or category with an account at least ``thresholds[0]`` alike, or the
    caller's or the same unit and category's with one at least ``thresholds[1]`` alike. Each is a group's root;
    only tickets filed before are looked at."""
    if isinstance(ticket_or_fields, Ticket):
        ticket = ticket_or_fields
        key, unit, category = ticket.phone_key, ticket.unit, ticket.category
        now, exclude = utc(now or ticket.created_at), {ticket.id}
        exclude.update(db.scalars(select(Ticket.id).where(Ticket.repeat_of_id == ticket.id)))
    else:
        fields = ticket_or_fields
        key, unit, category = phone_key(fields.get("phone")), fields.get("unit"), fields.get("category")
        now, exclude = utc(now), set()
    when = {"since": now - timedelta(days=days or window_days()), "now": now}
    pool = {}
    if unit and category:
        pool.update((r.id, r) for r in db.execute(_BY_UNIT, {**when, "unit": unit, "category": category}))
    callers = set()
    if key:
        rows = list(db.execute(_BY_CALLER, {**when, "key": key}))
        pool.update((r.id, r) for r in rows)
        callers = {r.id for r in rows}
    for i in exclude:
        pool.pop(i, None)
    found = rank(ticket_or_fields, list(pool.values()), callers, thresholds=thresholds)
    return as_roots(db, found, exclude)[:limit]


def rank(query: Ticket | Mapping, candidates: list, same_caller: set[int],
         gram_sets: list[frozenset[str]] | None = None,
         thresholds: tuple[float, float] = (CALLER_THRESHOLD, ACCOUNT_THRESHOLD)) -> list[Repeat]:
    """Of ``candidates`` (tickets or rows with their id, repeat_of_id, unit, category and account), those
    ``query`` likely repeats, best first; ``same_caller`` are the ids of the caller's own. The caller's ticket of
    the same unit or category needs an account ``thresholds[0]`` alike, any other ``thresholds[1]`` (the cosine
    weighed with the particulars both give, see ``likeness``). No database: the scoring alone. ``gram_sets``
    are the candidates' bigrams when the caller has them already."""
    if gram_sets is None:
        gram_sets = [grams(account(t)) for t in candidates]
    mine = particulars(query)
    scores = [weighed(s, mine, particulars(t)) for s, t in
              zip(similarities(grams(account(query)), gram_sets), candidates, strict=True)]
    unit = query.get("unit") if isinstance(query, Mapping) else query.unit
    category = query.get("category") if isinstance(query, Mapping) else query.category
    found = []
    for t, score in zip(candidates, scores, strict=True):
        own = t.id in same_caller
        if own and (unit and t.unit == unit or category and t.category == category) and score >= thresholds[0]:
            found.append(Repeat(t, score, "同一来电人"))
        elif score >= thresholds[1]:
            found.append(Repeat(t, score, "同一来电人，诉求相近" if own else "同一单位、同一分类，诉求相近"))
    return sorted(found, key=lambda r: -r.score)


def as_roots(db: Session, found: list[Repeat], exclude: set[int]) -> list[Repeat]:
    """Each candidate found as its group's root ticket (once, with its best score); roots no longer open are
    left out."""
    wanted = {r.ticket.repeat_of_id or r.ticket.id for r in found}
    roots = {t.id: t for t in db.scalars(select(Ticket).where(Ticket.id.in_(wanted)))} if wanted else {}
    out: dict[int, Repeat] = {}
    for r in found:
        root = roots.get(r.ticket.repeat_of_id or r.ticket.id)
        if root is None or root.id in exclude or root.status not in OPEN or root.id in out:
            continue
        out[root.id] = r._replace(ticket=root)
    return list(out.values())


def flag(db: Session, ticket: Ticket | str, *, actor: str, now: datetime | None = None) -> TicketEvent | None:
    """Record, for a supervisor to review, the open tickets ``ticket`` (or the ticket of that number) likely
    repeats; nothing is merged."""
    if isinstance(ticket, str):
        ticket = db.scalars(select(Ticket).where(Ticket.number == ticket)).one()
    found = likely_repeats(db, ticket)
    if not found:
        return None
    event = TicketEvent(actor=actor, at=utc(now), action=SUSPECT,
                        note="疑似重复诉求：" + "、".join(f"{r.ticket.number}（{r.reason}）" for r in found),
                        detail={"candidates": [r.ticket.number for r in found], "score": round(found[0].score, 3)})
    ticket.events.append(event)
    db.flush()
    return event


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
            detail[field] = [_iso(getattr(ticket, field)), _iso(getattr(into, field))]
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
        current = _iso(getattr(ticket, field))
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


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _lock(db: Session, *tickets: Ticket) -> None:
    """Re-read both tickets under a row lock (PostgreSQL; SQLite's write transaction is already exclusive), so
    that two merges at once cannot build a chain."""
    for t in sorted(tickets, key=lambda t: t.id):
        db.refresh(t, with_for_update=True)
