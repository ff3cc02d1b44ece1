"""Which tickets a list shows and in what order: urgent ones first, everywhere tickets are listed or exported.

"Urgent" is the taxonomy's urgent label (the one with ``urgent = true``, 紧急 in the demo centre). Sorting on an
expression (urgent or not, then newest) cannot run along an index, and over 100,000 tickets it cost 60 ms on
SQLite and 370 ms on PostgreSQL per page. So a list is a union of branches, each one sorted along an index and
cut at the page's end (urgent tickets by ``(urgency, created_at)``, the others by ``created_at``), merged by
rank: a page costs what it cost before urgent tickets came first.

The overdue list holds the tickets past their handling deadline (办理时限, any open state) and the ones still at
the centre (已受理, 退回) past their dispatch deadline (派单时限); it is sorted by the deadline missed, the
handling deadline when both are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from assistant.store import workflow
from assistant.store.models import Ticket


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    status: str | None = None
    category: str | None = None
    unit: str | None = None
    overdue: bool = False
    search: str | None = None

    def __post_init__(self) -> None:
        if self.status:  # an unknown state would silently list nothing
            object.__setattr__(self, "status", workflow.parse_status(self.status))


def urgent_label() -> str:
    """The centre's urgent label (紧急 when the taxonomy names none, as deadlines.py assumes too)."""
    from assistant.centre import active_centre

    return active_centre().taxonomy.urgent or "紧急"


def conditions(filters: Filters, today: date | None = None) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``filters``; ``today`` decides what is overdue (default: the local date)."""
    where: list[ColumnElement[bool]] = []
    if filters.start:
        where.append(Ticket.day >= filters.start)
    if filters.end:
        where.append(Ticket.day <= filters.end)
    if filters.status:
        where.append(Ticket.status == filters.status)
    if filters.category:
        where.append(Ticket.category == filters.category)
    if filters.unit:
        where.append(Ticket.unit == filters.unit)
    if filters.search:  # number and title: scanning the long summaries of 100,000 tickets took > 100 ms
        # % and _ typed by the user are the characters themselves, not LIKE's wildcards
        needle = filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{needle}%"
        where.append(or_(Ticket.number.like(like, escape="\\"), Ticket.title.like(like, escape="\\")))
    if filters.overdue:
        today = today or date.today()
        where.append(or_(_late(today), _late_dispatch(today)))
    return where


def _late(today: date) -> ColumnElement[bool]:
    return and_(Ticket.status.in_(workflow.OPEN_STATES), Ticket.deadline < today)


def _late_dispatch(today: date) -> ColumnElement[bool]:
    return and_(Ticket.status.in_(workflow.UNDISPATCHED), Ticket.dispatch_deadline < today)


def matching(filters: Filters, today: date | None = None) -> Select:
    """The tickets ``filters`` select, unordered (for counting)."""
    return select(Ticket).where(*conditions(filters, today))


def query(filters: Filters, today: date | None = None, *, limit: int | None = None, offset: int = 0,
          urgent: str | None = None) -> Select:
    """The tickets ``filters`` select, urgent first, then newest first (overdue: the deadline missed first)."""
    today = today or date.today()
    urgent = urgent or urgent_label()
    plain = conditions(replace(filters, overdue=False))
    is_urgent = Ticket.urgency == urgent
    not_urgent = or_(Ticket.urgency.is_(None), Ticket.urgency != urgent)
    if filters.overdue:  # disjoint branches: late on handling; late on dispatch only
        late, dispatch_only = _late(today), and_(_late_dispatch(today),
                                                 or_(Ticket.deadline.is_(None), Ticket.deadline >= today))
        branches = [(rank, [which, late], Ticket.deadline) for rank, which in ((0, is_urgent), (1, not_urgent))]
        branches += [(rank, [which, dispatch_only], Ticket.dispatch_deadline)
                     for rank, which in ((0, is_urgent), (1, not_urgent))]
        newest = False
    else:
        branches = [(0, [is_urgent], Ticket.created_at), (1, [not_urgent], Ticket.created_at)]
        newest = True
    end = None if limit is None else limit + offset
    parts = []
    for rank, where, key in branches:
        part = select(Ticket.id.label("id"), literal_column(str(rank)).label("rank"), key.label("key")).where(
            *plain, *where)
        if end is not None:
            order = (key.desc(), Ticket.id.desc()) if newest else (key, Ticket.id)
            part = part.order_by(*order).limit(end)
        parts.append(select(part.subquery()))  # a subquery each: SQLite takes no ORDER BY inside a UNION
    merged = union_all(*parts).subquery()
    key, ident = merged.c.key, merged.c.id
    order = (merged.c.rank, key.desc(), ident.desc()) if newest else (merged.c.rank, key, ident)
    stmt = select(Ticket).join(merged, Ticket.id == merged.c.id).order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return stmt


def list_tickets(session: Session, filters: Filters, *, limit: int = 50, offset: int = 0,
                 today: date | None = None) -> list:
    return list(session.scalars(query(filters, today, limit=limit, offset=offset)))


STATS_COLUMNS = ("status", "category", "unit", "appeal_type")


def stats(session: Session, filters: Filters, today: date | None = None) -> dict[str, list[tuple[str, int]]]:
    """How many of the tickets ``filters`` select have each state, category, unit and appeal type. Only those
    columns are named: a login that may not read the caller's name and number (PostgreSQL) may still count."""
    base = select(*(getattr(Ticket, name) for name in STATS_COLUMNS)).where(*conditions(filters, today)).subquery()
    out = {}
    for name in STATS_COLUMNS:
        col = base.c[name]
        rows = session.execute(select(col, func.count()).group_by(col).order_by(func.count().desc())).all()
        out[name] = [(r[0] or "（空）", r[1]) for r in rows]
    return out


def late_deadlines(ticket: Ticket, today: date | None = None) -> list[tuple[str, date]]:
    """The deadlines ``ticket`` has missed, as (name, date): 派单时限 while it waits at the centre, 办理时限 while
    it is open."""
    today = today or date.today()
    late = []
    if ticket.status in workflow.UNDISPATCHED and ticket.dispatch_deadline and ticket.dispatch_deadline < today:
        late.append(("派单时限", ticket.dispatch_deadline))
    if ticket.status in workflow.OPEN_STATES and ticket.deadline and ticket.deadline < today:
        late.append(("办理时限", ticket.deadline))
    return late


def overdue_text(ticket: Ticket, today: date | None = None) -> str:
    """Which deadline was missed, for lists and exports: 超过派单时限 2026-12-08 (empty when none)."""
    return "；".join(f"超过{name} {day.isoformat()}" for name, day in late_deadlines(ticket, today))
