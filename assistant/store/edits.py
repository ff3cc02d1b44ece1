"""Changing a filed ticket's fields: the operator submits again, or a supervisor corrects a field later.

The change is audited like a state move (an ``edit`` event naming the fields, old → new) and the ticket's
corrections are brought up to date, so what gets retrained on is always the last confirmed value against
what the model drafted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.draft.fields import label
from assistant.errors import TicketError
from assistant.store.models import Call, FieldCorrection, Ticket, TicketEvent
from assistant.store.tickets import STORED_FIELDS, _text
from assistant.store.values import value_problem


def ticket_of_call(session: Session, external_id: str) -> Ticket | None:
    """The ticket already filed for a call (the console's call id), if any."""
    return session.scalars(select(Ticket).join(Call, Ticket.call_id == Call.id)
                           .where(Call.external_id == external_id).order_by(Ticket.id)).first()


def update_ticket(session: Session, ticket: Ticket, values: dict, *, actor: str, model_version: str | None = None,
                  now: datetime | None = None) -> list[str]:
    """Set the ticket's fields to ``values``; return the fields that changed (none: nothing is written)."""
    now = now or datetime.now(UTC)
    problems = [p for f in STORED_FIELDS if f in values and (p := value_problem(f, values[f]))]
    if problems:
        raise TicketError(f"工单 {ticket.number} 未修改：{problems[0]}", "；".join(problems[1:]) or "请改短后再提交")
    changed = [f for f in STORED_FIELDS if f in values and _text(values[f]) != getattr(ticket, f)]
    if not changed:
        return []
    notes = []
    for name in changed:
        old, new = getattr(ticket, name), _text(values[name])
        notes.append(f"{label(name)}：{old or '（空）'} → {new or '（空）'}")
        setattr(ticket, name, new)
        ticket.corrections[:] = [c for c in ticket.corrections if c.field != name]
        drafted = _text((ticket.drafted or {}).get(name))
        if name in (ticket.drafted or {}) and drafted != new:
            ticket.corrections.append(FieldCorrection(field=name, drafted_value=drafted, confirmed_value=new,
                                                      model_version=model_version or ticket.model_version, at=now))
    ticket.events.append(TicketEvent(actor=actor, at=now, action="edit", note="；".join(notes)))
    ticket.updated_at = now
    session.flush()
    return changed
