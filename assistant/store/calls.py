"""Recorded calls in the store as batches see them: which recordings are done, and one write per outcome.

A recording is identified by the SHA-256 of its content. A done call is never redone; a failed one is kept
with its reason and tried again by the next batch, its row replaced when it then succeeds. As everywhere in
the store, the caller owns the transaction: each function here is used inside ``with session.begin():``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from assistant.draft.model import TicketDraft
from assistant.store import workflow
from assistant.store.models import Call
from assistant.store.tickets import add_call, ticket_from_draft
from assistant.store.values import hotline_problem, value_problem
from assistant.transcript.model import Transcript

DONE, FAILED = "done", "failed"


def done_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    """The hashes among ``hashes`` whose call is already in the store and done."""
    wanted = list(hashes)
    found: set[str] = set()
    for i in range(0, len(wanted), 500):  # stay far below any engine's limit on bound parameters
        chunk = wanted[i:i + 500]
        found.update(session.scalars(select(Call.content_sha256)
                                     .where(Call.content_sha256.in_(chunk), Call.status == DONE)))
    return found


def store_call(session: Session, transcript: Transcript, draft: TicketDraft, *, sha256: str, actor: str,
               model_version: str | None = None) -> str:
    """The call, its segments and its drafted ticket (state 草稿); returns the ticket number. Earlier failures
    of the same content or the same file (repaired since) are removed."""
    path = transcript.source or None
    session.execute(delete(Call).where(Call.status == FAILED,  # this recording's earlier failures are resolved
                                       or_(Call.content_sha256 == sha256, Call.recording_path == path)))
    context = draft.context
    call = add_call(session, transcript, external_id=draft.call_id, started_at=context.call_start,
                    content_sha256=sha256, hotline=context.hotline, operator_id=context.operator_id)
    ticket = ticket_from_draft(session, draft, actor=actor, call=call, status=workflow.DRAFT,
                               model_version=model_version)
    return ticket.number


def store_failure(session: Session, *, external_id: str, path: str, sha256: str | None, started_at: datetime,
                  reason: str, duration: float = 0.0, hotline: str | None = None,
                  operator_id: str | None = None) -> None:
    """Record a recording that could not be processed, or update the reason of its earlier failure."""
    match = Call.content_sha256 == sha256 if sha256 else (Call.content_sha256.is_(None)
                                                          & (Call.recording_path == path))
    call = session.scalars(select(Call).where(match, Call.status == FAILED)).first()
    if call is None:
        call = Call(external_id=external_id, content_sha256=sha256, status=FAILED, channel_layout="")
        session.add(call)
    call.recording_path, call.started_at, call.error = path, started_at, reason
    # A failure is recorded whatever the manifest said: values the columns cannot hold are left out, not refused.
    call.hotline = hotline if hotline and not hotline_problem(hotline) else None
    call.operator_id = operator_id if operator_id and not value_problem("operator_id", operator_id) else None
    call.duration = duration
    session.flush()


def failures(session: Session) -> list[Call]:
    """Failed recordings, newest call first: what a back office has to look at."""
    return list(session.scalars(select(Call).where(Call.status == FAILED).order_by(Call.started_at.desc())))
