"""One call made ready for review: a recording transcribed now, or a call the store already holds.

Textual-free: the review screen shows a ``Review``, toggles its checks, corrects its fields and takes a comment.
A call the store holds (a ticket number or call id, or a recording batch filed) is saved to the database with
its corrections (``stored.py``); a recording the store has never seen has no call to link a review to, so its
review is written as one JSON file under ``$HOTLINE_HOME/reviews`` (atomically: never half a review).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import home_dir
from assistant.draft.model import TicketDraft
from assistant.errors import StorageError
from assistant.review.qa import run_checks
from assistant.transcript.model import Segment

if TYPE_CHECKING:
    from assistant.asr.options import AsrOptions
    from assistant.lexicon.units import UnitDirectory

log = logging.getLogger("assistant.review")


@dataclass
class CheckItem:
    """One checklist item: the automatic verdict, which the supervisor may override."""

    key: str
    label: str
    passed: bool
    evidence: str
    overridden: bool = False
    segment: int | None = None  # where the evidence was said

    @property
    def auto(self) -> bool:
        """The verdict of the checks, before any override."""
        return self.passed != self.overridden

    def toggle(self) -> None:
        self.passed = not self.passed
        self.overridden = not self.overridden


@dataclass
class Review:
    call_id: str
    source: str
    segments: tuple[Segment, ...]
    draft: TicketDraft
    checks: list[CheckItem] = field(default_factory=list)
    ticket: str | None = None  # the number of the ticket filed from this recording, if any
    corrected: dict[str, str] = field(default_factory=dict)  # field -> the value the supervisor set
    actor: str = "质检"  # who reviews: named on the audit entry and the corrections
    db_url: str | None = None
    call_pk: int | None = None  # the call's row in the store, when the store holds it
    filed: dict[str, str] = field(default_factory=dict)  # field -> the value the ticket holds now
    comment: str = ""
    review_id: int | None = None  # the stored review, once saved: saving again updates it

    @property
    def stored(self) -> bool:
        """The store holds the call or its ticket: the review is saved there."""
        return self.call_pk is not None or self.ticket is not None

    def correct(self, name: str, value: str) -> None:
        """The supervisor sets ``name`` to ``value``; setting the value held before again drops the correction."""
        if value == self.held(name):
            self.corrected.pop(name, None)
        else:
            self.corrected[name] = value

    def held(self, name: str) -> str:
        """The field before this review: as the ticket holds it, else as drafted."""
        return self.filed[name] if name in self.filed else str(self.draft.value(name) or "")

    def value(self, name: str) -> str:
        """The field as the review now has it: corrected, else as held before."""
        return self.corrected.get(name, self.held(name))


def review_recording(recording: Path, *, options: AsrOptions, directory: UnitDirectory, db_url: str | None = None,
                     actor: str = "质检") -> Review:
    """Transcribe and draft the recording, fill the checklist from what was said, and find the ticket filed
    from it (in ``db_url``, default the usual database) for the supervisor's corrections."""
    from assistant.asr.pipeline import Transcriber
    from assistant.audio.calls import file_time
    from assistant.draft.drafter import Drafter
    from assistant.draft.model import CallContext

    transcript = Transcriber(options, directory).transcribe_file(recording)
    draft = Drafter(directory).draft(transcript, CallContext(call_start=file_time(recording),
                                                             call_start_certain=False))
    from assistant.review.stored import filed_call

    try:
        call_pk, ticket = filed_call(Path(recording), db_url) or (None, None)
    except StorageError as exc:  # the review goes on without the store; the status line says no ticket
        log.warning("%s", exc)
        call_pk, ticket = None, None
    return Review(transcript.id, str(recording), transcript.segments, draft, checklist(transcript), ticket=ticket,
                  actor=actor, db_url=db_url, call_pk=call_pk)


def checklist(transcript) -> list[CheckItem]:
    """The QA checklist of ``transcript`` as the review screen toggles it."""
    from assistant.draft.text import turns_of

    return [CheckItem(c.key, c.label, c.passed, c.shown, segment=c.segment)
            for c in run_checks(turns_of(transcript))]


def save_review(review: Review, folder: Path | None = None, now: datetime | None = None) -> Path:
    """The review of a recording the store does not hold, as JSON under ``folder`` (``$HOTLINE_HOME/reviews``)."""
    folder = folder or home_dir() / "reviews"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{review.call_id}.json"
    data = {"id": review.call_id, "source": review.source, "reviewed_at": (now or datetime.now()).isoformat(),
            "checks": [asdict(c) for c in review.checks], "ticket": review.draft.to_dict()["ticket"],
            "ticket_number": review.ticket, "corrected": dict(review.corrected), "actor": review.actor,
            "comment": review.comment}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
