"""One recorded call made ready for review, and the supervisor's verdict saved beside it.

Textual-free: the review screen shows a ``Review``, toggles its checks and corrects its fields; saving writes
one JSON file per call under ``$HOTLINE_HOME/reviews`` (atomically, so a crash never leaves half a review) and
the corrections to the ticket filed from the recording (``correct.py``).
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

    def correct(self, name: str, value: str) -> None:
        """The supervisor sets ``name`` to ``value``; setting the drafted value again drops the correction."""
        if value == str(self.draft.value(name) or ""):
            self.corrected.pop(name, None)
        else:
            self.corrected[name] = value

    def value(self, name: str) -> str:
        """The field as the review now has it: corrected, else drafted."""
        return self.corrected.get(name, str(self.draft.value(name) or ""))


def review_recording(recording: Path, *, options: AsrOptions, directory: UnitDirectory, db_url: str | None = None,
                     actor: str = "质检") -> Review:
    """Transcribe and draft the recording, fill the checklist from what was said, and find the ticket filed
    from it (in ``db_url``, default the usual database) for the supervisor's corrections."""
    from assistant.asr.pipeline import Transcriber
    from assistant.audio.calls import file_time
    from assistant.draft.drafter import Drafter
    from assistant.draft.model import CallContext
    from assistant.draft.text import turns_of

    transcript = Transcriber(options, directory).transcribe_file(recording)
    draft = Drafter(directory).draft(transcript, CallContext(call_start=file_time(recording),
                                                             call_start_certain=False))
    checks = [CheckItem(c.key, c.label, c.passed, c.shown) for c in run_checks(turns_of(transcript))]
    from assistant.review.correct import filed_ticket

    try:
        ticket = filed_ticket(Path(recording), db_url)
    except StorageError as exc:  # the review goes on without the store; the status line says no ticket
        log.warning("%s", exc)
        ticket = None
    return Review(transcript.id, str(recording), transcript.segments, draft, checks, ticket=ticket, actor=actor,
                  db_url=db_url)


def save_review(review: Review, folder: Path | None = None, now: datetime | None = None) -> Path:
    folder = folder or home_dir() / "reviews"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{review.call_id}.json"
    data = {"id": review.call_id, "source": review.source, "reviewed_at": (now or datetime.now()).isoformat(),
            "checks": [asdict(c) for c in review.checks], "ticket": review.draft.to_dict()["ticket"],
            "ticket_number": review.ticket, "corrected": dict(review.corrected), "actor": review.actor}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
