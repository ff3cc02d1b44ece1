"""Changing a filed ticket's fields: the operator submits again, or a supervisor corrects a field later.

The change is audited like a state move (an ``edit`` event naming the fields, old → new) and the ticket's
corrections are brought up to date, so what gets retrained on is always the last confirmed value against
what the model drafted, with who confirmed it. A value the centre's taxonomy does not know for a label field
is refused before anything is written: a typo there would be learned as a label.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.centre import Taxonomy
from assistant.draft.fields import LABELS, label
from assistant.errors import TicketError
from assistant.store.models import Call, FieldCorrection, Ticket, TicketEvent
from assistant.store.privacy import mask_name, mask_phone
from assistant.store.tickets import STORED_FIELDS, _text
from assistant.store.values import check_actor, value_problem

# The label fields whose values come from the taxonomy (the unit comes from the directory).
TAXONOMY_FIELDS = ("appeal_type", "category", "urgency")


def ticket_of_call(session: Session, external_id: str) -> Ticket | None:
    """The ticket already filed for a call (the console's call id), if any."""
    return session.scalars(select(Ticket).join(Call, Ticket.call_id == Call.id)
                           .where(Call.external_id == external_id).order_by(Ticket.id)).first()


def field_name(name: str) -> str:
    """The stored field a user names, by its column name (category) or its label (问题分类); TicketError else."""
    name = name.strip()
    if name in STORED_FIELDS:
        return name
    by_label = {LABELS.get(f): f for f in STORED_FIELDS}
    if name in by_label:
        return by_label[name]
    known = "、".join(f"{f}（{LABELS.get(f, f)}）" for f in STORED_FIELDS)
    raise TicketError(f"没有可修改的字段“{name}”", f"可修改的字段：{known}")


def check_values(values: dict, taxonomy: Taxonomy | None) -> None:
    """Refuse a label field's value the taxonomy does not list (empty clears the field)."""
    if taxonomy is None:
        return
    for name in TAXONOMY_FIELDS:
        value = _text(values.get(name))
        if name in values and value is not None and value not in taxonomy.labels(name):
            raise TicketError(f"{label(name)}（{name}）没有“{value}”这一项",
                              f"可选：{'、'.join(taxonomy.labels(name))}（见中心配置 taxonomy.toml）")


def _shown(name: str, value: str | None) -> str | None:
    """``value`` as the history may hold it: a caller's name and number masked, since every role reads the
    history (the full values are the ticket's, read through the audited full read)."""
    masks = {"caller_name": mask_name, "phone": mask_phone}
    return masks[name](value) if name in masks and value else value


def update_ticket(session: Session, ticket: Ticket, values: dict, *, actor: str, model_version: str | None = None,
                  now: datetime | None = None, taxonomy: Taxonomy | None = None) -> list[str]:
    """Set the ticket's fields to ``values``; return the fields that changed (none: nothing is written).

    ``taxonomy``, when given, is checked for the label fields' values before anything changes."""
    now = now or datetime.now(UTC)
    check_actor(actor)
    problems = [p for f in STORED_FIELDS if f in values and (p := value_problem(f, values[f]))]
    if problems:
        raise TicketError(f"工单 {ticket.number} 未修改：{problems[0]}", "；".join(problems[1:]) or "请改短后再提交")
    check_values(values, taxonomy)
    changed = [f for f in STORED_FIELDS if f in values and _text(values[f]) != getattr(ticket, f)]
    if not changed:
        return []
    notes = []
    for name in changed:
        old, new = getattr(ticket, name), _text(values[name])
        notes.append(f"{label(name)}：{_shown(name, old) or '（空）'} → {_shown(name, new) or '（空）'}")
        setattr(ticket, name, new)
        ticket.corrections[:] = [c for c in ticket.corrections if c.field != name]
        drafted = _text((ticket.drafted or {}).get(name))
        if name in (ticket.drafted or {}) and drafted != new:
            ticket.corrections.append(FieldCorrection(field=name, drafted_value=drafted, confirmed_value=new,
                                                      model_version=model_version or ticket.model_version, at=now,
                                                      actor=actor))
    ticket.events.append(TicketEvent(actor=actor, at=now, action="edit", note="；".join(notes)))
    ticket.updated_at = now
    session.flush()
    return changed
