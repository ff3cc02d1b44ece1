"""The console's view of the store: file the call's ticket, list tickets, show one with its history, correct it.

The database is migrated once per console run, not on every list or submit. Filing is one transaction: the
call, its segments, the ticket and its first event appear together or not at all. A call has one ticket: a
second submit updates the ticket filed by the first (the operator corrected something after filing), found by
the call's id in the same transaction, so two quick submits cannot file two tickets.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from assistant.console.session import CallSession


@dataclass(frozen=True)
class Filed:
    number: str
    updated: bool


def _models_in_use() -> str:
    """The version of the centre's classifiers drafting uses, recorded with the ticket and its corrections."""
    from assistant.centre import active_centre
    from assistant.draft.labels import models_version

    return models_version(active_centre().models_dir)


class TicketDesk:
    """Store access for one console: ``file`` the call, ``search`` and ``detail`` for the ticket list, ``edit``
    to correct a filed ticket from its detail."""

    def __init__(self, db_url: str | None = None, model_version: str | None = None):
        self.db_url = db_url
        self.model_version = model_version
        self._engine = None
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

    def file(self, call: CallSession) -> Filed:
        from assistant.store.edits import ticket_of_call, update_ticket
        from assistant.store.tickets import add_call, create_ticket, set_transcript

        actor = f"接线员{call.operator_id}"
        with Session(self.engine()) as db, db.begin():
            ticket = ticket_of_call(db, call.call_id)
            if ticket is not None:
                update_ticket(db, ticket, dict(call.values), actor=actor)
                if ticket.call is not None:  # what was said after the first submit is kept with the call
                    set_transcript(ticket.call, call.transcript())
                return Filed(ticket.number, updated=True)
            stored = add_call(db, call.transcript(), external_id=call.call_id,
                              started_at=datetime.fromisoformat(call.started_at), hotline=call.hotline,
                              operator_id=call.operator_id)
            ticket = create_ticket(db, hotline=call.hotline, values=dict(call.values), operator_id=call.operator_id,
                                   actor=actor, drafted=dict(call.drafted), call=stored,
                                   model_version=self.model_version or _models_in_use())
            return Filed(ticket.number, updated=False)

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
        from assistant.store.tickets import Filters, list_tickets, row

        with Session(self.engine()) as db:
            return [row(t) for t in list_tickets(db, Filters(search=text or None), limit=limit)]

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
