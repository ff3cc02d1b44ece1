"""Tickets in the store: created from a draft, moved through the workflow, read with masking and audit.

Every function takes a ``Session`` and leaves committing to the caller (``with Session(engine).begin():``),
so each user action is one transaction: a ticket, its number, its call and its first event appear together
or not at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.draft.model import TICKET_FIELDS, TicketDraft
from assistant.errors import TicketError
from assistant.store import workflow
from assistant.store.deadlines import DeadlineRules
from assistant.store.history import ACTIONS, history_lines, stamp
from assistant.store.listing import Filters, list_tickets, overdue_text, query, stats
from assistant.store.models import Call, FieldCorrection, Segment, Ticket, TicketEvent
from assistant.store.numbering import format_number, next_seq
from assistant.store.privacy import mask_name, mask_phone
from assistant.store.roles import Role, configured_role, role_for
from assistant.store.values import check_actor, check_ticket
from assistant.store.workflow import CaseRules, Step, check_may
from assistant.transcript.model import Transcript

STORED_FIELDS = tuple(f for f in TICKET_FIELDS if f != "amounts")
PERSONAL = ("caller_name", "phone")
# What a ticket's case holds after the call, as rows show it (dates: the day; times: to the second, local).
CASE_DATES = ("deadline", "dispatch_deadline")
CASE_TIMES = ("dispatched_at", "done_at", "visited_at")
CASE_TEXTS = ("reply", "visit_method", "satisfaction", "visit_comment")
__all__ = ["ACTIONS", "PERSONAL", "STORED_FIELDS", "Filters", "add_call", "audit_full_read", "create_ticket", "get",
           "history_lines", "list_tickets", "query", "read_full", "reading_role", "replace_units", "row",
           "set_transcript", "stats", "ticket_from_draft", "transition"]


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
                  now: datetime | None = None, role: str | None = None,
                  case_rules: CaseRules | None = None) -> Ticket:
    """Number and insert a ticket with its first event; records corrections where values differ from the draft.

    Values the schema cannot hold raise a TicketError before anything is written, on every engine. A ticket
    filed as 当场办结 needs a role the centre lets solve on the call (``role`` None: the login's on PostgreSQL,
    the configured one on SQLite).
    """
    check_ticket(hotline, values, STORED_FIELDS, operator_id)
    check_actor(actor)
    hotline, status = str(hotline), workflow.Status(status)
    if status == workflow.SOLVED_ON_CALL:
        from assistant.store.case import acting_role

        check_may(acting_role(session, role), Step.SOLVE, case_rules)
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
    if status == workflow.SOLVED_ON_CALL:
        ticket.done_at = now
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
               now: datetime | None = None, role: str | None = None) -> Ticket:
    """Move ``ticket`` to ``target`` by the step that leads there (``case.move``): ``note`` is the step's reason
    or reply where it needs one; ``role`` None is the configured role."""
    from assistant.store.case import move

    return move(session, ticket, target, actor=actor, role=role, note=note, now=now)


def _set_deadlines(ticket: Ticket, accepted: date, rules: DeadlineRules) -> None:
    ticket.deadline = rules.deadline(accepted, ticket.appeal_type, ticket.urgency)
    ticket.dispatch_deadline = rules.dispatch_deadline(accepted, ticket.urgency)


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def row(ticket: Ticket, *, full: bool = False, today: date | None = None) -> dict:
    """A ticket as a flat dict; personal data masked unless ``full``; ``overdue`` names the deadlines missed by
    ``today`` (default: the local date)."""
    data = {"number": ticket.number, "status": ticket.status, "hotline": ticket.hotline,
            "created_at": stamp(ticket.created_at, seconds=True)}
    data.update({f: getattr(ticket, f).isoformat() if getattr(ticket, f) else None for f in CASE_DATES})
    data.update({f: getattr(ticket, f) for f in STORED_FIELDS})
    data.update({f: stamp(getattr(ticket, f), seconds=True) for f in CASE_TIMES})
    data.update({f: getattr(ticket, f) for f in CASE_TEXTS})
    data["overdue"] = overdue_text(ticket, today) or None
    if not full:
        data["phone"] = mask_phone(data["phone"])
        data["caller_name"] = mask_name(data["caller_name"])
    return data


def read_full(session: Session, number: str, *, actor: str, note: str = "查看来电人完整信息") -> Ticket:
    """The ticket with personal data, the read written to the audit log in the same transaction (by the
    database on PostgreSQL: ``access.read_personal``)."""
    from assistant.store.access import read_personal

    ticket = get(session, number)
    read_personal(session, [ticket], actor=actor, note=note)
    return ticket


def reading_role(session: Session, flag: str | None = None) -> Role:
    """The role a command reads tickets in: on PostgreSQL the login's (``roles.role_for``; ``flag`` may only
    repeat it), except for a login that reads the callers' columns itself, the database's owner, which is outside
    the roles (docs/access.md) and, as on SQLite, takes the configured one (``flag``, HOTLINE_ROLE, config.toml)."""
    from assistant.store.access import PERSONAL, readable

    conn = session.connection()
    if conn.dialect.name == "postgresql" and not set(PERSONAL) <= readable(session).columns:
        return role_for(conn, flag)
    return configured_role(flag)


def audit_full_read(ticket: Ticket, actor: str, note: str) -> None:
    """Record that ``actor`` saw the caller's personal data in full (in the caller's transaction), where the
    application writes that record itself; callers go through ``access.read_personal``."""
    check_actor(actor)
    ticket.events.append(TicketEvent(actor=actor, at=_now(), action="read_personal", note=note))


def get(session: Session, number: str) -> Ticket:
    ticket = session.scalars(select(Ticket).where(Ticket.number == number)
                             .options(selectinload(Ticket.events))).one_or_none()
    if ticket is None:
        raise TicketError(f"没有编号为 {number} 的工单", "编号形如 12345-20260105-0001，可用 hotline tickets list 查找")
    return ticket


def replace_units(session: Session, directory) -> int:
    """Make the Unit table the given directory (one transaction: the old directory or the new, never half)."""
    from sqlalchemy import delete

    from assistant.store.models import Unit as UnitRow

    session.execute(delete(UnitRow))
    session.add_all(UnitRow(name=u.name, aliases=list(u.aliases), kind=u.kind, district=u.district,
                            handles=list(u.handles)) for u in directory.units)
    session.flush()
    return len(directory.units)
