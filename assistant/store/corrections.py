"""The store's corrections as examples to learn from: the call's text as drafting read it, the confirmed label.

Drafting classifies the whole call, operator and caller, normalised turn by turn (``draft.text.turns_of``);
the text learned from is built the same way from the call's stored segments, so the model learns from what
it will be shown. A ticket filed without a call (imported drafts) is learned from its title, demand and
summary. Corrections whose value the taxonomy no longer lists, or that cleared the field, are counted and
left out.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.classify.learning import Example
from assistant.draft.text import turns_of
from assistant.store.models import Call, FieldCorrection, Ticket
from assistant.transcript.model import Segment, Speaker, Transcript

UNKNOWN_LABEL = "标签不在分类体系中"
CLEARED = "值被清空"
NO_TEXT = "工单没有通话文字、标题、诉求或摘要"


def call_text(call: Call) -> str:
    """The call's text as the drafter reads it."""
    segments = tuple(Segment(speaker=Speaker(s.speaker) if s.speaker in set(Speaker) else Speaker.UNKNOWN,
                             start=s.start, end=s.end, text=s.text, confidence=s.confidence,
                             guessed=tuple(s.guessed or ()))
                     for s in call.segments)
    transcript = Transcript(id=call.external_id, source="", duration=call.duration, channels=call.channel_layout,
                            segments=segments)
    return "".join(turn.text for turn in turns_of(transcript))


def ticket_text(ticket: Ticket) -> str:
    """What the ticket says happened: its call's text, else its title, demand and summary."""
    if ticket.call is not None and ticket.call.segments:
        return call_text(ticket.call)
    return "。".join(part for part in (ticket.title, ticket.demand, ticket.summary) if part)


def written_texts(session: Session, after: int = 0) -> tuple[list[str], int]:
    """What operators wrote or confirmed on the tickets after id ``after``: title, demand, summary, institution and
    department (never the transcripts, whose errors a model of them would learn); and the newest ticket id read
    (``after`` when there is none)."""
    rows = session.execute(select(Ticket.id, Ticket.title, Ticket.demand, Ticket.summary, Ticket.institution,
                                  Ticket.department).where(Ticket.id > after).order_by(Ticket.id)).all()
    texts = [part for row in rows for part in row[1:] if part and part.strip()]
    return texts, max((row[0] for row in rows), default=after)


def correction_examples(session: Session, field: str,
                        labels: tuple[str, ...]) -> tuple[list[Example], dict[str, int]]:
    """Every usable correction of ``field``, oldest first, and how many were left out for which reason."""
    rows = session.scalars(
        select(FieldCorrection).where(FieldCorrection.field == field)
        .order_by(FieldCorrection.at, FieldCorrection.id)
        .options(selectinload(FieldCorrection.ticket).selectinload(Ticket.call).selectinload(Call.segments)))
    examples: list[Example] = []
    skipped: dict[str, int] = {}
    for correction in rows:
        label = (correction.confirmed_value or "").strip()
        text = ticket_text(correction.ticket) if label in labels else ""
        reason = CLEARED if not label else UNKNOWN_LABEL if label not in labels else NO_TEXT if not text else None
        if reason:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        examples.append(Example(correction.id, text, label))
    return examples, skipped
