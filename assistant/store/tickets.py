"""Tickets in the store: created from a draft, moved through the workflow, read with masking and audit.

Every function takes a ``Session`` and leaves committing to the caller (``with Session(engine).begin():``),
so each user action is one transaction: a ticket, its number, its call and its first event appear together
or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from assistant.draft.model import TICKET_FIELDS, TicketDraft
from assistant.errors import TicketError
from assistant.store import workflow
from assistant.store.deadlines import DeadlineRules
from assistant.store.models import Call, FieldCorrection, Segment, Ticket, TicketEvent
from assistant.store.numbering import format_number, next_seq
from assistant.store.privacy import mask_name, mask_phone
from assistant.store.values import check_actor, check_ticket
from assistant.transcript.model import Transcript

STORED_FIELDS = tuple(f for f in TICKET_FIELDS if f != "amounts")
PERSONAL = ("caller_name", "phone")


def _now() -> datetime:
    return datetime.now(UTC)


def add_call(session: Session, transcript: Transcript, *, external_id: str, started_at: datetime,
             content_sha256: str | None = None, hotline: str | None = None, operator_id: str | None = None) -> Call:
    call = Call(external_id=external_id, recording_path=transcript.source or None, content_sha256=content_sha256,
                started_at=started_at, duration=transcript.duration, channel_layout=transcript.channels,
                hotline=hotline, operator_id=operator_id)
    set_transcript(call, transcript)
    session.add(call)
    return call


def set_transcript(call: Call, transcript: Transcript) -> None:
    """The call's segments and duration are the transcript's (a call filed again holds what was said since)."""
    call.duration = transcript.duration
    call.segments = [Segment(speaker=s.speaker, start=s.start, end=s.end, text=s.text, confidence=s.confidence,
                             guessed=list(s.guessed))
                     for s in transcript.segments]


def create_ticket(session: Session, *, hotline: str, values: dict, operator_id: str | None, actor: str,
                  drafted: dict | None = None, model_version: str | None = None, call: Call | None = None,
                  status: str = workflow.ACCEPTED, rules: DeadlineRules | None = None,
                  now: datetime | None = None) -> Ticket:
    """Number and insert a ticket with its first event; records corrections where values differ from the draft.

    Values the schema cannot hold raise a TicketError before anything is written, on every engine.
    """
    check_ticket(hotline, values, STORED_FIELDS, operator_id)
    check_actor(actor)
    hotline, status = str(hotline), workflow.Status(status)
    now = now or _now()
    day = now.astimezone().date()
    seq = next_seq(session, hotline, day)
    rules = rules or DeadlineRules.load()
    ticket = Ticket(number=format_number(hotline, day, seq), hotline=hotline, day=day, seq=seq, status=status,
                    operator_id=_text(operator_id), created_at=now, updated_at=now, drafted=drafted or {},
                    model_version=model_version, call=call,
                    **{f: _text(values.get(f)) for f in STORED_FIELDS})
    if status != workflow.DRAFT:
        _set_deadlines(ticket, day, rules)
    ticket.events.append(TicketEvent(actor=actor, at=now, action="create", to_status=status))
    for field, drafted_value in (drafted or {}).items():
        confirmed = _text(values.get(field))
        if field in STORED_FIELDS and _text(drafted_value) != confirmed:
            ticket.corrections.append(FieldCorrection(field=field, drafted_value=_text(drafted_value),
                                                      confirmed_value=confirmed, model_version=model_version,
                                                      at=now, actor=actor))
    session.add(ticket)
    session.flush()
    return ticket


def ticket_from_draft(session: Session, draft: TicketDraft, *, actor: str, call: Call | None = None,
                      status: str = workflow.ACCEPTED, values: dict | None = None, **kw) -> Ticket:
    drafted = draft.to_dict()["ticket"]
    return create_ticket(session, hotline=draft.context.hotline or "12345", values=values or drafted,
                         operator_id=draft.context.operator_id, actor=actor, drafted=drafted, call=call,
                         status=status, **kw)


def transition(session: Session, ticket: Ticket, target: str, *, actor: str, note: str | None = None,
               now: datetime | None = None) -> Ticket:
    target = workflow.parse_status(target)
    check_actor(actor)
    workflow.check_move(ticket.status, target)
    now = now or _now()
    ticket.events.append(TicketEvent(actor=actor, at=now, action="transition", from_status=ticket.status,
                                     to_status=target, note=note))
    if target == workflow.ACCEPTED and ticket.deadline is None:
        _set_deadlines(ticket, now.astimezone().date(), DeadlineRules.load())
    ticket.status = target
    ticket.updated_at = now
    session.flush()
    return ticket


def _set_deadlines(ticket: Ticket, accepted: date, rules: DeadlineRules) -> None:
    ticket.deadline = rules.deadline(accepted, ticket.appeal_type, ticket.urgency)
    ticket.dispatch_deadline = rules.dispatch_deadline(accepted)


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


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


def query(filters: Filters, today: date | None = None) -> Select:
    stmt = select(Ticket)
    if filters.start:
        stmt = stmt.where(Ticket.day >= filters.start)
    if filters.end:
        stmt = stmt.where(Ticket.day <= filters.end)
    if filters.status:
        stmt = stmt.where(Ticket.status == filters.status)
    if filters.category:
        stmt = stmt.where(Ticket.category == filters.category)
    if filters.unit:
        stmt = stmt.where(Ticket.unit == filters.unit)
    if filters.search:  # number and title: scanning the long summaries of 100,000 tickets took > 100 ms
        # % and _ typed by the user are the characters themselves, not LIKE's wildcards
        needle = filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{needle}%"
        stmt = stmt.where(or_(Ticket.number.like(like, escape="\\"), Ticket.title.like(like, escape="\\")))
    if filters.overdue:  # most overdue first, read along the deadline index
        stmt = stmt.where(Ticket.status.in_(workflow.OPEN_STATES), Ticket.deadline < (today or date.today()))
        return stmt.order_by(Ticket.deadline, Ticket.id)
    return stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc())


def list_tickets(session: Session, filters: Filters, *, limit: int = 50, offset: int = 0) -> list[Ticket]:
    return list(session.scalars(query(filters).limit(limit).offset(offset)))


def row(ticket: Ticket, *, full: bool = False) -> dict:
    """A ticket as a flat dict; personal data masked unless ``full``."""
    data = {"number": ticket.number, "status": ticket.status, "hotline": ticket.hotline,
            "created_at": ticket.created_at.isoformat(),
            "deadline": ticket.deadline.isoformat() if ticket.deadline else None}
    data.update({f: getattr(ticket, f) for f in STORED_FIELDS})
    if not full:
        data["phone"] = mask_phone(data["phone"])
        data["caller_name"] = mask_name(data["caller_name"])
    return data


def read_full(session: Session, number: str, *, actor: str) -> Ticket:
    """The ticket with personal data, the read written to the audit log in the same transaction."""
    ticket = get(session, number)
    audit_full_read(ticket, actor, "查看来电人完整信息")
    session.flush()
    return ticket


def audit_full_read(ticket: Ticket, actor: str, note: str) -> None:
    """Record that ``actor`` saw the caller's personal data in full (in the caller's transaction)."""
    check_actor(actor)
    ticket.events.append(TicketEvent(actor=actor, at=_now(), action="read_personal", note=note))


# What each audit action is called in a ticket's history.
ACTIONS = {"create": "创建", "transition": "改状态", "edit": "修改", "read_personal": "查看来电人完整信息"}


def history_lines(ticket: Ticket) -> list[str]:
    """The ticket's events, one line each, oldest first: what `tickets show` and the console display."""
    lines = []
    for e in ticket.events:
        move = f"{e.from_status or ''} → {e.to_status}" if e.to_status else ACTIONS.get(e.action, e.action)
        lines.append(f"{e.at:%Y-%m-%d %H:%M} {e.actor} {move} {e.note or ''}".rstrip())
    return lines


def get(session: Session, number: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.number == number)
                             .options(selectinload(Ticket.events))).one_or_none()
    if ticket is None:
        raise TicketError(f"没有编号为 {number} 的工单", "编号形如 12345-20260105-0001，可用 hotline tickets list 查找")
    return ticket


def stats(session: Session, filters: Filters) -> dict[str, list[tuple[str, int]]]:
    base = query(filters).order_by(None).subquery()
    out = {}
    for name in ("status", "category", "unit", "appeal_type"):
        col = base.c[name]
        rows = session.execute(select(col, func.count()).group_by(col).order_by(func.count().desc())).all()
        out[name] = [(r[0] or "（空）", r[1]) for r in rows]
    return out


def replace_units(session: Session, directory) -> int:
    """Make the Unit table the given directory (one transaction: the old directory or the new, never half)."""
    from sqlalchemy import delete

    from assistant.store.models import Unit as UnitRow

    session.execute(delete(UnitRow))
    session.add_all(UnitRow(name=u.name, aliases=list(u.aliases), kind=u.kind, district=u.district,
                            handles=list(u.handles)) for u in directory.units)
    session.flush()
    return len(directory.units)
