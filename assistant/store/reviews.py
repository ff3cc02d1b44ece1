"""Supervisors' QA reviews in the store: saved, listed, exported, and a QA score per operator.

A review belongs to a recorded call and to the ticket filed from it, when there is one. It keeps each checklist
item as the checks judged it and as the reviewer left it, the score (the share of items passed, 0–100), who
reviewed, when, and a comment. Saving is one transaction that, on a call with a ticket, also writes an audit
event on the ticket (action ``review``: who, when, the score and the items failed); saved again from the same
screen, a review is updated in place rather than counted twice. Callers' numbers are kept out of the items'
evidence (masked as lists mask them), so the review table holds nothing a login that may not read callers'
numbers could not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import TicketError
from assistant.store.export import write_atomically, write_csv
from assistant.store.models import Call, Review, Ticket, TicketEvent
from assistant.store.privacy import mask_phone
from assistant.store.values import check_actor

_LONG_NUMBER = re.compile(r"\d{7,}")
COLUMNS = ("id", "at", "reviewer", "operator_id", "ticket", "call", "score", "failed", "comment")
HEADERS = ("编号", "质检时间", "质检员", "接线员工号", "工单编号", "通话", "得分", "未通过的检查项", "备注")


@dataclass(frozen=True)
class Item:
    """One checklist item of a review."""

    check: str  # the check's key (greeting, phone_readback …)
    label: str  # as the supervisor reads it (开场问候并报工号)
    auto: bool  # as the checks judged it from the transcript
    passed: bool  # as the reviewer left it
    evidence: str = ""
    note: str = ""

    @classmethod
    def of(cls, data: dict) -> Item:
        return cls(str(data.get("check", "")), str(data.get("label") or data.get("check", "")),
                   bool(data.get("auto")), bool(data.get("passed")), str(data.get("evidence") or ""),
                   str(data.get("note") or ""))


@dataclass(frozen=True)
class ReviewRow:
    """A stored review as lists and exports show it."""

    id: int
    at: datetime
    reviewer: str
    operator_id: str | None
    ticket: str | None
    call: str | None
    score: float
    items: tuple[Item, ...]
    comment: str | None

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(i.label for i in self.items if not i.passed)

    def cells(self) -> dict[str, object]:
        return {"id": self.id, "at": shown_time(self.at), "reviewer": self.reviewer,
                "operator_id": self.operator_id or "", "ticket": self.ticket or "", "call": self.call or "",
                "score": int(self.score) if float(self.score).is_integer() else self.score,
                "failed": "、".join(self.failed), "comment": self.comment or ""}


@dataclass(frozen=True)
class OperatorScore:
    operator_id: str
    reviews: int
    score: float  # the mean of the reviews' scores
    passed: dict[str, float]  # check label → share of reviews that passed it, 0–100


def score_of(items: Sequence[Item]) -> float:
    """The share of ``items`` passed, 0–100, to one decimal."""
    return round(100 * sum(i.passed for i in items) / len(items), 1) if items else 0.0


def shown_time(at: datetime) -> str:
    """A time as people read it: local, to the minute."""
    if at.tzinfo is None:  # SQLite gives back naive datetimes: they were stored in UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _masked(text: str) -> str:
    return _LONG_NUMBER.sub(lambda m: mask_phone(m.group(0)) or "", text)


def find_call(session: Session, ref: str) -> tuple[Call, Ticket | None]:
    """The call ``ref`` names and the ticket filed from it: a ticket number, or a call's id (the recording's id
    as batch stored it, or the row number ``hotline`` lists)."""
    ref = ref.strip()
    ticket = session.scalars(select(Ticket).where(Ticket.number == ref)).first()
    if ticket is not None:
        if ticket.call is None:
            raise TicketError(f"工单 {ref} 没有通话录音的转写（由导入或手工登记），无法按通话质检",
                              "质检一通录音：hotline review 录音文件")
        return ticket.call, ticket
    call = session.scalars(select(Call).where(Call.external_id == ref).order_by(Call.id.desc())).first()
    if call is None and ref.isdigit():
        call = session.get(Call, int(ref))
    if call is None:
        raise TicketError(f"找不到工单或通话“{ref}”",
                          "写工单编号（如 12320-20261203-0042）或通话编号；hotline tickets list 可查工单编号")
    if call.status != "done" or not call.segments:
        raise TicketError(f"通话“{ref}”没有转写（{call.error or '处理失败'}）", "重新处理录音：hotline batch")
    ticket = session.scalars(select(Ticket).where(Ticket.call_id == call.id).order_by(Ticket.id.desc())).first()
    return call, ticket


def save(session: Session, items: Sequence[Item], *, reviewer: str, call: Call | None = None,
         ticket: Ticket | None = None, comment: str | None = None, review_id: int | None = None,
         now: datetime | None = None) -> Review:
    """Store a review of ``call`` (and ``ticket``), or update review ``review_id``; the caller commits."""
    check_actor(reviewer)
    if not items:
        raise TicketError("质检结果没有检查项，未保存")
    comment = (comment or "").strip() or None
    now = now or datetime.now(UTC)
    call = call or (ticket.call if ticket else None)
    if call is None and ticket is None:
        raise TicketError("质检结果没有对应的通话或工单，未写入数据库")
    review = session.get(Review, review_id) if review_id else None
    if review is None:
        review = Review(call_id=call.id if call else None, ticket_id=ticket.id if ticket else None)
        session.add(review)
    review.operator_id = (ticket.operator_id if ticket else None) or (call.operator_id if call else None)
    review.reviewer, review.at, review.comment = reviewer, now, comment
    review.items = [asdict(Item(i.check, i.label, i.auto, i.passed, _masked(i.evidence), i.note)) for i in items]
    review.score = score_of(items)
    if ticket is not None:  # the ticket's history says it was reviewed, by whom and how it scored
        failed = [i.label for i in items if not i.passed]
        note = f"{review.score:g} 分" + (f"，未通过：{'、'.join(failed)}" if failed else "，全部通过")
        if review_id is not None:
            note += "（修改质检结果）"
        ticket.events.append(TicketEvent(actor=reviewer, at=now, action="review", note=note))
    session.flush()
    return review


def _day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Local days ``start``..``end`` (both included) as UTC instants."""
    zone = datetime.now().astimezone().tzinfo
    low = datetime.combine(start, time(), zone).astimezone(UTC) if start else None
    high = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC) if end else None
    return low, high


def _reviews(session: Session, operator: str | None, start: date | None, end: date | None) -> Iterable[Review]:
    stmt = select(Review).order_by(Review.at.desc(), Review.id.desc())
    low, high = _day_bounds(start, end)
    if operator:
        stmt = stmt.where(Review.operator_id == operator)
    if low:
        stmt = stmt.where(Review.at >= low)
    if high:
        stmt = stmt.where(Review.at < high)
    return session.scalars(stmt)


def list_reviews(session: Session, *, operator: str | None = None, start: date | None = None,
                 end: date | None = None) -> list[ReviewRow]:
    """Reviews newest first, of one operator's calls or all, reviewed between ``start`` and ``end``."""
    rows = list(_reviews(session, operator, start, end))
    tickets = {t.id: t.number for t in session.execute(
        select(Ticket.id, Ticket.number).where(Ticket.id.in_({r.ticket_id for r in rows if r.ticket_id})))}
    calls = {c.id: c.external_id for c in session.execute(
        select(Call.id, Call.external_id).where(Call.id.in_({r.call_id for r in rows if r.call_id})))}
    return [ReviewRow(r.id, r.at, r.reviewer, r.operator_id, tickets.get(r.ticket_id), calls.get(r.call_id),
                      r.score, tuple(Item.of(i) for i in r.items or ()), r.comment) for r in rows]


def operator_scores(session: Session, *, start: date | None = None, end: date | None = None) -> list[OperatorScore]:
    """Each reviewed operator's QA score (the mean of their reviews) and how often they passed each check;
    lowest score first, where a supervisor looks first."""
    by_operator: dict[str, list[Review]] = {}
    for review in _reviews(session, None, start, end):
        by_operator.setdefault(review.operator_id or "（未知）", []).append(review)
    out = []
    for operator_id, reviews in by_operator.items():
        checks: dict[str, list[bool]] = {}
        for review in reviews:
            for item in map(Item.of, review.items or ()):
                checks.setdefault(item.label, []).append(item.passed)
        out.append(OperatorScore(operator_id, len(reviews),
                                 round(sum(r.score for r in reviews) / len(reviews), 1),
                                 {label: round(100 * sum(v) / len(v), 1) for label, v in checks.items()}))
    return sorted(out, key=lambda s: (s.score, s.operator_id))


def write_reviews(out: Path, rows: Sequence[ReviewRow]) -> None:
    """``rows`` to ``out`` (.csv or .xlsx), written whole under a temporary name and renamed over it."""

    def write(temp: Path) -> None:
        if out.suffix.lower() == ".csv":
            write_csv(temp, HEADERS, [[r.cells()[c] for c in COLUMNS] for r in rows])
        else:
            _write_xlsx(temp, rows)

    write_atomically(out, write)


def _write_xlsx(path: Path, rows: Sequence[ReviewRow]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "质检"
    sheet.append(HEADERS)
    for r in rows:
        cells = r.cells()
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in
                      (cells[c] for c in COLUMNS)])
    sheet.freeze_panes = "A2"  # the header stays in view
    for index, header in enumerate(HEADERS, start=1):
        sample = [header, *(str(r.cells()[COLUMNS[index - 1]]) for r in rows[:200])]
        width = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in sample)
        sheet.column_dimensions[get_column_letter(index)].width = min(50, width + 2)
    book.save(path)
