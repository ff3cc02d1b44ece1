"""The console's view of the store: file the call's ticket, the caller's earlier tickets, 并单, list and correct.

The database is migrated once per console run, not on every list or submit. Filing is one transaction: the
call, its segments, the ticket and its first event appear together or not at all; filed as 当场办结, the step
and its audit event are in the same transaction, so a role that may not solve on the call files nothing. A call
has one ticket: a second submit updates the ticket filed by the first (the operator corrected something after
filing), found by the call's id in the same transaction, so two quick submits cannot file two tickets.

The caller's earlier tickets and the open tickets a new one likely repeats are ``assistant.store.repeats``'s;
here they become small frozen values a screen can show, masked unless the console's role may read callers in
full (a full read is audited). The role is the database session's on PostgreSQL and the configured one on
SQLite (``store.roles.current_role``).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.console.session import CallSession
from assistant.store.likeness import ACCOUNT_FIELDS

log = logging.getLogger("assistant.console")

# What the tickets screen's search box takes for a phone number (digits, spaces, + - and brackets) and for a
# ticket number (12320-20261203-0042), which is looked up as a number, not as a phone.
PHONE_TEXT = re.compile(r"\+?[\d\s()\-]+")
TICKET_NUMBER = re.compile(r"\d{3,8}-\d{8}-\d{4}")
PHONE_DIGITS = 5  # fewer digits than this are a part of a number or title, not a caller's phone (privacy.phone_key)
# The fields the caller's earlier tickets depend on: the phone finds them, the account (and the unit and category
# a repeat by another caller shares) says which of them the call likely repeats.
LOOKUP_FIELDS = frozenset({"phone", "unit", "category", *ACCOUNT_FIELDS})


@dataclass(frozen=True)
class Filed:
    number: str
    updated: bool
    status: str = "已受理"
    deadline: date | None = None


@dataclass(frozen=True)
class EarlierTicket:
    """One of the caller's earlier tickets, as the repeat-caller panel shows it (the caller masked by role)."""

    number: str
    status: str
    day: date
    title: str
    unit: str
    caller_name: str
    repeat_of: str | None = None  # the number of the ticket it was merged into (并单)
    likely: str | None = None  # why the call's matter looks like this one's (likely_repeats), if it does


@dataclass(frozen=True)
class CallerHistory:
    phone: str
    days: int  # the window looked at (repeat_days)
    tickets: tuple[EarlierTicket, ...]


@dataclass(frozen=True)
class RepeatOffer:
    """An open ticket the filed one likely repeats, offered for 并单."""

    number: str
    status: str
    day: date
    title: str
    reason: str
    score: float


@dataclass(frozen=True)
class Merged:
    number: str
    into: str
    deadline: date | None


def _models_in_use() -> str:
    """The version of the centre's classifiers drafting uses, recorded with the ticket and its corrections."""
    from assistant.centre import active_centre
    from assistant.draft.labels import models_version

    return models_version(active_centre().models_dir)


def _day(moment: datetime) -> date:
    from assistant.store.repeats import utc

    return utc(moment).astimezone().date()


def phone_query(text: str) -> bool:
    """Whether the search text is a phone number (and not a ticket number)."""
    return (bool(PHONE_TEXT.fullmatch(text)) and not TICKET_NUMBER.fullmatch(text)
            and sum(c.isdigit() for c in text) >= PHONE_DIGITS)


class TicketDesk:
    """Store access for one console: ``file`` the call, ``history`` of its caller, ``offers`` and ``merge`` for
    并单, ``search`` and ``detail`` for the ticket list, ``edit`` to correct a filed ticket from its detail."""

    def __init__(self, db_url: str | None = None, model_version: str | None = None, role: str | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.db_url = db_url
        self.model_version = model_version
        self.role_flag = role  # --role; None: HOTLINE_ROLE, config.toml, operator (PostgreSQL: the login's)
        self.clock = clock or (lambda: datetime.now(UTC))  # when the caller's window ends (fixed in tests)
        self._engine = None
        self._role = None
        self._lock = threading.Lock()

    def engine(self):
        with self._lock:
            if self._engine is None:
                from assistant.store.db import make_engine
                from assistant.store.migrate import ensure_schema

                engine = make_engine(self.db_url)
                ensure_schema(engine, writing=True)
                self._engine = engine
            return self._engine

    def role(self):
        """The role this console acts as (``store.roles.Role``), read once."""
        if self._role is None:
            from assistant.store.roles import current_role

            self._role = current_role(self.role_flag, bind=self.engine())
        return self._role

    def may_solve_on_call(self) -> bool:
        from assistant.store.workflow import may_solve_on_call

        return may_solve_on_call(self.role())

    # --- the call's ticket ----------------------------------------------------------------------------------
    def file(self, call: CallSession, *, solved: bool = False, reply: str | None = None) -> Filed:
        """File (or update) the call's ticket; ``solved``: as 当场办结, with the answer given as ``reply``."""
        from assistant.store.edits import ticket_of_call, update_ticket
        from assistant.store.tickets import add_call, create_ticket, set_transcript
        from assistant.store.workflow import SOLVED_ON_CALL

        actor = f"接线员{call.operator_id}"
        role = self.role() if solved else None
        with Session(self.engine()) as db, db.begin():
            ticket = ticket_of_call(db, call.call_id)
            updated = ticket is not None
            if updated:
                update_ticket(db, ticket, dict(call.values), actor=actor)
                if ticket.call is not None:  # what was said after the first submit is kept with the call
                    set_transcript(ticket.call, call.transcript())
            else:
                stored = add_call(db, call.transcript(), external_id=call.call_id,
                                  started_at=datetime.fromisoformat(call.started_at), hotline=call.hotline,
                                  operator_id=call.operator_id)
                ticket = create_ticket(db, hotline=call.hotline, values=dict(call.values),
                                       operator_id=call.operator_id, actor=actor, drafted=dict(call.drafted),
                                       call=stored, model_version=self.model_version or _models_in_use())
            if solved and ticket.status != SOLVED_ON_CALL:
                from assistant.store.case import solve_on_call

                solve_on_call(db, ticket, actor=actor, role=role, reply=reply)
            return Filed(ticket.number, updated, str(ticket.status), ticket.deadline)

    def offers(self, number: str, limit: int = 5) -> list[RepeatOffer]:
        """The open tickets the filed ticket ``number`` likely repeats (none once it is merged, closed or the
        root of others): what the console offers for 并单."""
        from assistant.store.models import Ticket
        from assistant.store.repeats import OPEN, likely_repeats
        from assistant.store.tickets import get

        with Session(self.engine()) as db:
            ticket = get(db, number)
            if ticket.status not in OPEN or ticket.repeat_of_id is not None or db.scalar(
                    select(Ticket.id).where(Ticket.repeat_of_id == ticket.id).limit(1)):
                return []
            return [RepeatOffer(r.ticket.number, str(r.ticket.status), _day(r.ticket.created_at),
                                r.ticket.title or r.ticket.summary or "", r.reason, round(r.score, 2))
                    for r in likely_repeats(db, ticket, limit=limit)]

    def merge(self, number: str, into: str, actor: str, note: str | None = None) -> Merged:
        """并单: ``number`` merged into the earlier open ticket ``into`` (one transaction, an event on each)."""
        from assistant.store.merging import merge
        from assistant.store.tickets import get

        with Session(self.engine()) as db, db.begin():
            ticket = merge(db, get(db, number), get(db, into), actor=actor, note=note, role=self.role())
            return Merged(ticket.number, into, ticket.deadline)

    # --- the caller -------------------------------------------------------------------------------------------
    def history(self, values: dict[str, str], *, actor: str, exclude: str | None = None) -> CallerHistory:
        """The caller's tickets of the configured window (the phone in ``values``), newest first, each marked
        when the call's matter (``values``) likely repeats it; ``exclude`` is the call's own ticket."""
        from assistant.store import repeats
        from assistant.store.models import Ticket
        from assistant.store.roles import FULL_ACCESS

        phone, days, now = values.get("phone") or "", repeats.window_days(), self.clock()
        with Session(self.engine()) as db, db.begin():
            own = db.scalar(select(Ticket.id).where(Ticket.number == exclude)) if exclude else None
            found = repeats.earlier_tickets(db, phone, days=days, now=now, exclude=own)
            likely = ({r.ticket.id: r.reason for r in repeats.likely_repeats(db, values, days=days, now=now)}
                      if found else {})
            full = self.role() in FULL_ACCESS
            if full and found:
                from assistant.store.access import read_personal

                read_personal(db, found, actor=actor, note="接线台查看来电人近期工单")
            roots = dict(db.execute(select(Ticket.id, Ticket.number).where(
                Ticket.id.in_({t.repeat_of_id for t in found if t.repeat_of_id}))).all()) if found else {}
            rows = []
            for t in found:
                data = repeats.brief(t, full=full)
                rows.append(EarlierTicket(t.number, str(t.status), _day(t.created_at),
                                          data["title"] or data["summary"] or "", data["unit"] or "",
                                          data["caller_name"] or "", roots.get(t.repeat_of_id),
                                          likely.get(t.repeat_of_id or t.id)))
        return CallerHistory(phone, days, tuple(rows))

    # --- the ticket list -------------------------------------------------------------------------------------
    def edit(self, number: str, values: dict[str, str], actor: str) -> list[str]:
        """Correct fields of the filed ticket ``number`` (one transaction, audited, corrections kept with
        ``actor``); label fields must be the centre's taxonomy labels. Returns the fields that changed."""
        from assistant.centre import active_centre
        from assistant.store.edits import update_ticket
        from assistant.store.tickets import get

        taxonomy = active_centre().taxonomy
        with Session(self.engine()) as db, db.begin():
            return update_ticket(db, get(db, number), dict(values), actor=actor, taxonomy=taxonomy)

    def search(self, text: str | None, limit: int = 200) -> list[dict]:
        """Tickets as list rows (masked), each with ``group`` (主单 / 并入 …): by the caller's phone when ``text``
        is a phone number, else by number or title and by the caller's exact name; all tickets when empty."""
        from assistant.store import repeats
        from assistant.store.tickets import Filters, list_tickets, row

        text = (text or "").strip()
        with Session(self.engine()) as db:
            if text and phone_query(text):
                found = [t for g in repeats.search(db, phone=text, limit=limit) for t in g.tickets]
            else:
                found = list_tickets(db, Filters(search=text or None), limit=limit)
                if text and not any(c.isdigit() for c in text):
                    seen = {t.id for t in found}
                    for group in repeats.search(db, name=text, limit=limit):  # the caller's, with their groups
                        for t in group.tickets:
                            if t.id not in seen:
                                seen.add(t.id)
                                found.append(t)
            return [{**row(t), "group": link} for t, link in zip(found, _links(db, found), strict=True)]

    def detail(self, number: str) -> list[tuple[str, str]]:
        """(label, value) pairs of the ticket, then ("历史", line) for each event of its history."""
        from assistant.store.export import COLUMNS, HEADERS
        from assistant.store.tickets import get, history_lines, row

        with Session(self.engine()) as db:  # the fields of `hotline tickets show`, in its order
            ticket = get(db, number)
            data = row(ticket)
            pairs = [(header, str(data.get(name) or "")) for header, name in zip(HEADERS, COLUMNS, strict=True)]
            pairs += [("历史", line) for line in history_lines(ticket)]
            return pairs


def _links(db: Session, tickets: list) -> list[str]:
    """How each ticket stands in its 并单 group: 并入 <root number>, 主单 (with others merged in), or nothing."""
    from assistant.store.models import Ticket

    ids = [t.id for t in tickets]
    roots = {t.repeat_of_id for t in tickets if t.repeat_of_id}
    numbers = dict(db.execute(select(Ticket.id, Ticket.number).where(Ticket.id.in_(roots))).all()) if roots else {}
    merged_into = set(db.scalars(select(Ticket.repeat_of_id).where(Ticket.repeat_of_id.in_(ids)))) if ids else set()
    return [f"并入 {numbers[t.repeat_of_id]}" if t.repeat_of_id else ("主单" if t.id in merged_into else "")
            for t in tickets]
