"""Every figure of the report against the same figure computed directly from the tickets, on both engines.

The database aggregates (``figures.collect``); here each ticket is read back whole and counted in Python, the
plain way, with the centre's clock done by ``astimezone``. Any difference in how the engines keep times or
dates, count NULLs or average shows up as a mismatch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.report.figures import collect
from assistant.store import workflow
from assistant.store.models import Review, Ticket
from tests.report.conftest import NOW
from tests.report.generate import CENTRE_TZ

AS_OF = NOW.date()


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value  # SQLite hands back the UTC clock


@pytest.fixture(scope="session")
def figures(month):
    engine, store = month
    with Session(engine) as session:
        return collect(session, store.start, store.end, as_of=AS_OF, offset=timedelta(hours=8), complaint="投诉")


@pytest.fixture(scope="session")
def tickets(month):
    engine, _ = month
    with Session(engine) as session:
        return list(session.scalars(select(Ticket)))


def in_month(tickets, store):
    return [t for t in tickets if store.start <= t.day <= store.end and t.status != workflow.DRAFT]


def test_the_month_holds_five_thousand_tickets_and_drafts_are_left_out(figures, tickets, month):
    _, store = month
    assert figures.total == 5000
    assert any(t.status == workflow.DRAFT and store.start <= t.day <= store.end for t in tickets)
    assert len(tickets) > 5000


def test_counts_by_unit_and_category(figures, tickets, month):
    mine = Counter((t.unit, t.category) for t in in_month(tickets, month[1]))
    assert figures.unit_category == dict(mine)
    assert (None, None) in mine or any(u is None for u, _ in mine)  # tickets without a unit are counted too


def test_days_and_the_two_weeks_compared(figures, tickets, month):
    _, store = month
    accepted = [t for t in tickets if t.status != workflow.DRAFT]
    assert figures.days == dict(Counter(t.day for t in accepted if store.start - timedelta(days=7) <= t.day
                                        <= store.end))
    recent: dict = defaultdict(lambda: [0, 0])
    for t in accepted:
        age = (store.end - t.day).days
        if 0 <= age < 14:
            recent[(t.unit, t.category)][0 if age < 7 else 1] += 1
    assert figures.recent == {k: tuple(v) for k, v in recent.items()}


def test_complaints_by_place(figures, tickets, month):
    mine = Counter((t.location, t.unit) for t in in_month(tickets, month[1]) if t.appeal_type == "投诉")
    assert figures.complaints_by_place == dict(mine)


def test_overdue_and_handling_time_by_unit(figures, tickets, month):
    rows = defaultdict(list)
    for t in in_month(tickets, month[1]):
        rows[t.unit].append(t)
    assert set(figures.timeliness) == set(rows)
    late_next_day = 0
    for unit, group in rows.items():
        got = figures.timeliness[unit]
        finished_late = [t for t in group if t.done_at and t.deadline
                         and _utc(t.done_at).astimezone(CENTRE_TZ).date() > t.deadline]
        late_next_day += sum(1 for t in finished_late if _utc(t.done_at).date() == t.deadline)
        open_late = [t for t in group if t.done_at is None and t.status in workflow.OPEN_STATES
                     and t.deadline and t.deadline < AS_OF]
        done = [t for t in group if t.done_at]
        days = [(_utc(t.done_at) - _utc(t.created_at)).total_seconds() / 86400 for t in done]
        assert got.tickets == len(group)
        assert got.with_deadline == sum(1 for t in group if t.deadline)
        assert got.overdue == len(finished_late) + len(open_late)
        assert got.overdue_open == len(open_late)
        assert got.done == len(done)
        assert got.mean_days == pytest.approx(sum(days) / len(days), abs=1e-6)
        assert got.repeats == sum(1 for t in group if t.repeat_of_id)
    assert late_next_day > 0  # finishes late only by the centre's clock exist, and were counted late


def test_satisfaction_by_unit(figures, tickets, month):
    mine: dict = defaultdict(Counter)
    for t in in_month(tickets, month[1]):
        if t.satisfaction:
            mine[t.unit][t.satisfaction] += 1
    assert figures.satisfaction == {u: dict(c) for u, c in mine.items()}
    assert {lv for c in mine.values() for lv in c} == {"满意", "基本满意", "不满意"}


def test_repeat_callers(figures, tickets, month):
    group = in_month(tickets, month[1])
    assert figures.repeats == sum(1 for t in group if t.repeat_of_id) > 0
    assert figures.with_phone == sum(1 for t in group if t.phone_key)
    per_caller = Counter(t.phone_key for t in group if t.phone_key)
    assert figures.callers_by_count == dict(Counter(n for n in per_caller.values() if n >= 2))


def test_qa_scores_by_operator(figures, month):
    engine, store = month
    with Session(engine) as session:
        reviews = list(session.scalars(select(Review)))
    mine = defaultdict(list)
    for r in reviews:
        if store.start <= _utc(r.at).astimezone(CENTRE_TZ).date() <= store.end:
            mine[r.operator_id].append(r.score)
    assert set(figures.qa) == set(mine)
    for op, scores in mine.items():
        n, mean, low, high = figures.qa[op]
        assert (n, low, high) == (len(scores), min(scores), max(scores))
        assert mean == pytest.approx(sum(scores) / len(scores))


def test_the_report_flags_the_pair_planted_to_rise(month, report):
    _, store = month
    rising = next(s for s in report.sections if s.name == "上升项")
    flagged = {(r[0], r[1]) for r in rising.table.rows if r[-1] == "上升"}
    unit, category = store.rising
    assert ("单位×分类", f"{unit}｜{category}") in flagged
    assert ("分类", category) in flagged
    for r in rising.table.rows:  # every flag obeys the stated rule, and nothing else is flagged
        assert (r[-1] == "上升") == (r[2] >= 5 and r[6] < 0.01)
    assert len(flagged) <= 4  # the rest of the month is steady: a false flag is rare at p < 0.01
    summary = dict((label, value) for label, value, _ in report.summary)
    assert summary["工单总数"] == 5000 and summary["最近 7 天上升项"] == len(flagged)


def test_the_tables_add_up_to_the_tickets(month, tickets, report):
    _, store = month
    tables = {s.name: s.table for s in report.sections}
    group = in_month(tickets, store)
    complaints = sum(1 for t in group if t.appeal_type == "投诉")
    assert tables["单位×分类"].rows[-1][-1] == sum(r[-1] for r in tables["单位×分类"].rows[:-1]) == 5000
    places = tables["投诉地点"].rows
    assert sum(r[2] for r in places) == complaints and [r[2] for r in places] == sorted((r[2] for r in places),
                                                                                        reverse=True)
    assert sum(1 for r in places if r[0] == "青松区") >= 2  # a district only the locations name
    assert sum(r[1] for r in tables["被投诉单位"].rows) == complaints
    total = tables["办理时效"].rows[-1]
    assert total[0] == "合计" and total[1] == 5000
    assert total[3] == sum(1 for t in group if t.deadline and (
        (t.done_at and _utc(t.done_at).astimezone(CENTRE_TZ).date() > t.deadline)
        or (t.done_at is None and t.status in workflow.OPEN_STATES and t.deadline < AS_OF)))
    visited = tables["满意度"].rows[-1]
    assert visited[1] == sum(1 for t in group if t.satisfaction)
    assert visited[5] == pytest.approx(sum(1 for t in group if t.satisfaction in ("满意", "基本满意")) / visited[1])
    assert sum(r[1] for r in tables["质检评分"].rows) == dict((k, v) for k, v, _ in report.summary)["质检次数"]
    weeks = tables["周环比"].rows
    assert sum(r[3] for r in weeks) == 5000 and weeks[-1][1] == store.end and weeks[0][0] == store.start
    assert weeks[-1][4] == sum(1 for t in tickets if t.status != workflow.DRAFT
                               and 7 <= (store.end - t.day).days < 14)
