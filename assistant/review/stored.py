"""Reviews of the calls the store holds: opened without transcribing again, saved to the database.

A call batch or the console filed is in the store with its transcript; ``hotline review`` opens it by ticket
number or call id, drafts the stored transcript again for the fields' evidence (the ticket's current values are
shown over the draft's, so a correction is made against what was filed), and fills the checklist. Saving writes
the review and the supervisor's corrections of the ticket in one transaction: both or neither.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.errors import StorageError
from assistant.files import sha256_file
from assistant.review.recording import Review, checklist
from assistant.store.models import Call, Ticket
from assistant.store.tickets import PERSONAL
from assistant.transcript.model import Segment, Speaker, Transcript

if TYPE_CHECKING:
    from assistant.lexicon.units import UnitDirectory


def _engine(db_url: str | None):
    from assistant.store.db import make_engine
    from assistant.store.migrate import ensure_schema

    engine = make_engine(db_url, must_exist=True)
    ensure_schema(engine)
    return engine


def filed_call(recording: Path, db_url: str | None = None) -> tuple[int, str | None] | None:
    """The stored call of ``recording`` (by its content's SHA-256 or its path) and the number of the ticket filed
    from it; None when the store has no such call, or there is no database yet."""
    from assistant.store.db import make_engine, storage_errors
    from assistant.store.migrate import ensure_schema

    try:
        engine = make_engine(db_url, must_exist=True)
    except StorageError:  # no database yet: nothing was filed
        return None
    digest = sha256_file(recording)
    with storage_errors(engine.url):
        ensure_schema(engine)
        with Session(engine) as db:
            call = db.scalars(select(Call).where(or_(Call.content_sha256 == digest,
                                                     Call.recording_path == str(recording)))
                              .order_by(Call.id.desc())).first()
            if call is None:
                return None
            number = db.scalars(select(Ticket.number).where(Ticket.call_id == call.id)
                                .order_by(Ticket.id.desc())).first()
            return call.id, number


def transcript_of(call: Call) -> Transcript:
    segments = tuple(Segment(speaker=Speaker(s.speaker) if s.speaker in set(Speaker) else Speaker.UNKNOWN,
                             start=s.start, end=s.end, text=s.text, confidence=s.confidence,
                             guessed=tuple(s.guessed or ()))
                     for s in call.segments)
    return Transcript(id=call.external_id, source=call.recording_path or "", duration=call.duration,
                      channels=call.channel_layout, segments=segments)


def review_stored(ref: str, *, directory: UnitDirectory, db_url: str | None = None, actor: str = "质检") -> Review:
    """The review of the call ``ref`` names (a ticket number or call id), from what the store holds."""
    from assistant.draft.drafter import Drafter
    from assistant.draft.fields import FORM_FIELDS
    from assistant.draft.model import CallContext
    from assistant.store.db import storage_errors
    from assistant.store.reviews import find_call

    engine = _engine(db_url)
    with storage_errors(engine.url), Session(engine) as db:
        call, ticket = find_call(db, ref)
        transcript = transcript_of(call)
        context = CallContext(call_start=call.started_at, hotline=call.hotline, operator_id=call.operator_id)
        # The caller's name and number stay as the transcript has them: reading the ticket's is a full read of
        # personal data, which the review does not need.
        filed = {name: str(getattr(ticket, name) or "") for name, _ in FORM_FIELDS if name not in PERSONAL} \
            if ticket else {}
        call_pk, number = call.id, ticket.number if ticket else None
        # The recording, where this machine can reach it, is what ``p`` plays; else the call is named.
        source = call.recording_path if call.recording_path and Path(call.recording_path).is_file() \
            else f"通话 {transcript.id}"
    draft = Drafter(directory).draft(transcript, context)
    return Review(transcript.id, source, transcript.segments, draft, checklist(transcript),
                  ticket=number, actor=actor, db_url=db_url, call_pk=call_pk, filed=filed)


def store_review(review: Review) -> tuple[int, list[str]]:
    """Save ``review`` and its corrections of the ticket in one transaction: (the review's id, fields changed)."""
    from assistant.centre import active_centre
    from assistant.store import reviews
    from assistant.store.db import storage_errors
    from assistant.store.edits import update_ticket
    from assistant.store.tickets import get

    items = [reviews.Item(c.key, c.label, c.auto, c.passed, c.evidence) for c in review.checks]
    engine = _engine(review.db_url)
    with storage_errors(engine.url), Session(engine) as db, db.begin():
        ticket = get(db, review.ticket) if review.ticket else None
        call = db.get(Call, review.call_pk) if review.call_pk else None
        changed = []
        if ticket is not None and review.corrected:
            changed = update_ticket(db, ticket, dict(review.corrected), actor=review.actor,
                                    taxonomy=active_centre().taxonomy)
        row = reviews.save(db, items, reviewer=review.actor, call=call, ticket=ticket, comment=review.comment,
                           review_id=review.review_id)
        return row.id, changed
