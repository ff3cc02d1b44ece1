"""Repeat callers and 重复诉求并单: a caller's earlier tickets, tickets found by phone or name with their groups, the
open ticket a new one likely repeats, and the flag a batch leaves for a supervisor. The merge that links a repeat
to its root, and its undoing, are ``merging``'s.

A caller is recognised by ``Ticket.phone_key`` (the number keyed, see ``privacy.phone_key``), never by reading
the number: a login that may only see masked numbers finds repeat callers all the same. The check on a new call
reads two bounded, indexed candidate sets — the caller's open tickets (``ix_ticket_phone_key``) and the newest
open tickets of the same unit and category (``ix_ticket_unit_category_status``), both within the window — and
scores them with ``likeness``; it never scans the archive, so it stays fast at 100,000 tickets.

Groups are one level deep — a ticket is either a root or a repeat of one — so each number leads to the whole
group in one step. Like the rest of the store, functions take a ``Session`` and the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.errors import TicketError
from assistant.store import workflow
from assistant.store.likeness import ACCOUNT_FIELDS, account, grams, particulars, similarities, weighed
from assistant.store.models import Ticket, TicketEvent
from assistant.store.privacy import mask_name, mask_phone, phone_key

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

