"""The supervisor's corrections of a reviewed call, written to the ticket filed from the same recording.

A recording filed by ``hotline batch`` is found again by its content's SHA-256 (or its path); the fields the
supervisor corrected during the review are applied to that ticket in one transaction, checked against the
centre's taxonomy, audited and kept as corrections for ``hotline learn`` with the supervisor's name. A
recording that was never filed has no ticket: its corrections stay in the review's JSON only.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session


def filed_ticket(recording: Path, db_url: str | None = None) -> str | None:
    """The number of the ticket filed from ``recording``, or None (no such ticket, or no database yet)."""
    from assistant.review.stored import filed_call

    found = filed_call(recording, db_url)
    return found[1] if found else None


def correct_ticket(number: str, values: dict[str, str], *, actor: str, db_url: str | None = None) -> list[str]:
    """Apply the supervisor's ``values`` to ticket ``number``; the fields that changed."""
    from assistant.centre import active_centre
    from assistant.store.db import make_engine, storage_errors
    from assistant.store.edits import update_ticket
    from assistant.store.migrate import ensure_schema
    from assistant.store.tickets import get

    engine = make_engine(db_url, must_exist=True)
    taxonomy = active_centre().taxonomy
    with storage_errors(engine.url):
        ensure_schema(engine)
        with Session(engine) as db, db.begin():
            return update_ticket(db, get(db, number), dict(values), actor=actor, taxonomy=taxonomy)
