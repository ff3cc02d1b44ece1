"""The report's figures, counted by the database: one GROUP BY per table of the report.

A month of a busy centre is thousands of tickets; every figure here is a grouped count, sum or mean computed by
SQLite or PostgreSQL, so what crosses into Python is a few hundred rows whatever the month's size. The two
engines keep time differently (SQLite stores the clock of the value written, which this product writes in UTC;
PostgreSQL stores an instant), so the two expressions that read times — days between two instants, and the
local day an instant falls on — are written once per engine.

Tickets count by the day they were filed (``Ticket.day``, the centre's local date, as ``tickets list --from``
reads it); drafts are not tickets yet and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from assistant.store import workflow
from assistant.store.models import Review, Ticket

WEEK = 7


@dataclass(frozen=True)
class Timeliness:
    """One unit's deadlines: tickets, those with a deadline, overdue (finished late or still open past it), of
    them still open, finished, the mean days from filing to finishing, and repeats (并单)."""

    tickets: int
    with_deadline: int
    overdue: int
    overdue_open: int
    done: int
    mean_days: float | None
    repeats: int


@dataclass(frozen=True)
class Figures:
    start: date
    end: date
    as_of: date
    total: int
    unit_category: dict[tuple[str | None, str | None], int]
    days: dict[date, int]  # tickets filed per day, from a week before the period (its first week's comparison)
    # (unit, category) → (tickets in the 7 days ending at ``end``, in the 7 days before them)
    recent: dict[tuple[str | None, str | None], tuple[int, int]]
    complaints_by_place: dict[tuple[str | None, str | None], int]  # (location, unit) → complaints
    timeliness: dict[str | None, Timeliness]
    satisfaction: dict[str | None, dict[str, int]]  # unit → {满意: n, …}
    repeats: int  # tickets filed as a repeat of an earlier one
    with_phone: int  # tickets whose caller can be recognised again (a number was taken)
    callers_by_count: dict[int, int]  # tickets per caller (≥ 2) → callers
    qa: dict[str | None, tuple[int, float, float, float]]  # operator → (reviews, mean, lowest, highest)


def _in_period(start: date, end: date):
    return and_(Ticket.day >= start, Ticket.day <= end, Ticket.status != workflow.DRAFT)


def _days_between(dialect: str, later, earlier):
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def _local_day(dialect: str, instant, offset: timedelta):
    """The local date of a stored instant, ``offset`` ahead of UTC (the centre's clock)."""
    if dialect == "sqlite":
        return func.date(instant, f"{int(offset.total_seconds()):+d} seconds")
    return cast(func.timezone("UTC", instant) + offset, Date)


def collect(session: Session, start: date, end: date, *, as_of: date, offset: timedelta,
            complaint: str | None) -> Figures:
    """Every figure of the report for tickets filed from ``start`` to ``end`` (inclusive).

    ``as_of``: open tickets whose deadline is before this day are overdue. ``offset``: the centre's clock ahead
    of UTC, for the day a ticket was finished on. ``complaint``: the appeal type whose places and units are the
    hot spots (投诉), None when the centre's taxonomy has none.
    """
    dialect = session.get_bind().dialect.name
    period = _in_period(start, end)
    count = func.count()

    unit_category = {(u, c): n for u, c, n in session.execute(
        select(Ticket.unit, Ticket.category, count).where(period).group_by(Ticket.unit, Ticket.category))}
    days = dict(session.execute(select(Ticket.day, count).where(_in_period(start - timedelta(days=WEEK), end))
                                .group_by(Ticket.day)).all())

    this_week = Ticket.day > end - timedelta(days=WEEK)
    recent: dict[tuple[str | None, str | None], tuple[int, int]] = {}
    rows = session.execute(
        select(Ticket.unit, Ticket.category, func.sum(case((this_week, 1), else_=0)),
               func.sum(case((this_week, 0), else_=1)))
        .where(_in_period(end - timedelta(days=2 * WEEK - 1), end))
        .group_by(Ticket.unit, Ticket.category))
    for unit, category, now_n, before_n in rows:
        recent[(unit, category)] = (int(now_n), int(before_n))

    places: dict[tuple[str | None, str | None], int] = {}
    if complaint:
        places = {(loc, u): n for loc, u, n in session.execute(
            select(Ticket.location, Ticket.unit, count).where(period, Ticket.appeal_type == complaint)
            .group_by(Ticket.location, Ticket.unit))}

    return Figures(
        start=start, end=end, as_of=as_of, total=sum(unit_category.values()), unit_category=unit_category,
        days=days, recent=recent, complaints_by_place=places,
        timeliness=_timeliness(session, dialect, period, as_of, offset),
        satisfaction=_satisfaction(session, period),
        repeats=session.scalar(select(count).where(period, Ticket.repeat_of_id.is_not(None))) or 0,
        with_phone=session.scalar(select(count).where(period, Ticket.phone_key.is_not(None))) or 0,
        callers_by_count=_callers(session, period),
        qa=_qa(session, start, end, offset),
    )


def _timeliness(session: Session, dialect: str, period, as_of: date, offset: timedelta
                ) -> dict[str | None, Timeliness]:
    finished_late = and_(Ticket.done_at.is_not(None), Ticket.deadline.is_not(None),
                         _local_day(dialect, Ticket.done_at, offset) > Ticket.deadline)
    open_late = and_(Ticket.done_at.is_(None), Ticket.status.in_(workflow.OPEN_STATES),
                     Ticket.deadline < as_of)
    handled = case((and_(Ticket.done_at.is_not(None), Ticket.done_at >= Ticket.created_at),
                    _days_between(dialect, Ticket.done_at, Ticket.created_at)), else_=literal(None))
    rows = session.execute(
        select(Ticket.unit, func.count(), func.count(Ticket.deadline),
               func.sum(case((or_(finished_late, open_late), 1), else_=0)),
               func.sum(case((open_late, 1), else_=0)), func.count(Ticket.done_at), func.avg(handled),
               func.sum(case((Ticket.repeat_of_id.is_not(None), 1), else_=0)))
        .where(period).group_by(Ticket.unit))
    return {unit: Timeliness(int(n), int(dl), int(late or 0), int(late_open or 0), int(done),
                             float(mean) if mean is not None else None, int(rep or 0))
            for unit, n, dl, late, late_open, done, mean, rep in rows}


def _satisfaction(session: Session, period) -> dict[str | None, dict[str, int]]:
    out: dict[str | None, dict[str, int]] = {}
    rows = session.execute(select(Ticket.unit, Ticket.satisfaction, func.count())
                           .where(period, Ticket.satisfaction.is_not(None))
                           .group_by(Ticket.unit, Ticket.satisfaction))
    for unit, level, n in rows:
        out.setdefault(unit, {})[level] = n
    return out


def _callers(session: Session, period) -> dict[int, int]:
    per_caller = (select(func.count().label("n")).where(period, Ticket.phone_key.is_not(None))
                  .group_by(Ticket.phone_key).having(func.count() >= 2).subquery())
    return {int(n): int(callers) for n, callers in session.execute(
        select(per_caller.c.n, func.count()).group_by(per_caller.c.n))}


def _qa(session: Session, start: date, end: date, offset: timedelta
        ) -> dict[str | None, tuple[int, float, float, float]]:
    """Reviews made from the start of ``start`` to the end of ``end``, the centre's days, by operator."""
    first = datetime.combine(start, time(), tzinfo=UTC) - offset
    after = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC) - offset
    rows = session.execute(
        select(Review.operator_id, func.count(), func.avg(Review.score), func.min(Review.score),
               func.max(Review.score))
        .where(Review.at >= first, Review.at < after).group_by(Review.operator_id))
    return {op: (int(n), float(mean), float(low), float(high)) for op, n, mean, low, high in rows}
