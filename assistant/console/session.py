"""The state of one call at the console: transcript so far, the draft, what the operator changed.

Plain data (no widgets) so it can be autosaved after every keystroke and restored after a crash or a closed
window: nothing the operator typed is lost before the ticket is submitted. Once submitted, a call is never
written to the autosave folder again, so it cannot come back as an unsubmitted draft.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

from assistant.config import home_dir
from assistant.draft.fields import FORM_FIELDS
from assistant.draft.model import FieldValue, TicketDraft
from assistant.live.streaming import LiveSegment
from assistant.transcript.model import Segment, Transcript

log = logging.getLogger("assistant.console")

# Autosaves older than this are deleted at start: a draft nobody restored in a week is not coming back.
AUTOSAVE_KEEP_DAYS = 7


@dataclass
class CallSession:
    call_id: str
    hotline: str
    operator_id: str
    started_at: str
    segments: list[dict] = field(default_factory=list)  # committed LiveSegments as dicts
    values: dict[str, str] = field(default_factory=dict)  # what the form shows now
    drafted: dict[str, str] = field(default_factory=dict)  # what the model proposed
    confidence: dict[str, float] = field(default_factory=dict)
    alternatives: dict[str, list] = field(default_factory=dict)
    evidence: dict[str, list] = field(default_factory=dict)
    edited: list[str] = field(default_factory=list)  # fields the operator changed or accepted
    ticket_number: str | None = None  # set by the first submit: one call, one ticket

    @classmethod
    def from_dict(cls, data: dict) -> CallSession:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def submitted(self) -> bool:
        return self.ticket_number is not None

    def add_segment(self, seg: LiveSegment) -> bool:
        """Add a committed segment, or put a revised text in place of the one of the same speaker and start:
        one utterance stays one line, and the indices the evidence refers to stay valid. A revision of an
        utterance this call does not hold (one said before the next call began) is ignored. Returns whether the
        transcript changed."""
        row = {"speaker": seg.speaker, "start": seg.start, "end": seg.end, "text": seg.text,
               "guessed": list(seg.guessed), "revised": seg.revised}
        for i, old in enumerate(self.segments):
            if old["speaker"] == seg.speaker and abs(old["start"] - seg.start) < 1e-6:
                self.segments[i] = row
                return True
        if seg.revised:
            return False
        self.segments.append(row)
        self.segments.sort(key=lambda s: s["start"])
        return True

    def transcript(self) -> Transcript:
        segs = tuple(Segment(s["speaker"], s["start"], s["end"], s["text"], 1.0, guessed=tuple(s.get("guessed", ())))
                     for s in self.segments if s["text"])
        return Transcript(id=self.call_id, source="", duration=segs[-1].end if segs else 0.0, channels="op-left",
                          segments=segs)

    def apply_draft(self, draft: TicketDraft) -> list[str]:
        """Take the model's new values for every field the operator has not touched; return the changed ones."""
        changed = []
        for name, _label in FORM_FIELDS:
            field_value = draft.fields.get(name) or FieldValue.empty()
            value = "" if field_value.value is None else str(field_value.value)
            self.drafted[name] = value
            self.confidence[name] = round(float(field_value.confidence), 3)
            self.alternatives[name] = [[label, round(p, 3)] for label, p in field_value.alternatives]
            self.evidence[name] = [e.to_dict() for e in field_value.evidence]
            if name not in self.edited and self.values.get(name) != value:
                self.values[name] = value
                changed.append(name)
        return changed

    def edit(self, name: str, value: str) -> None:
        self.values[name] = value
        if name not in self.edited:
            self.edited.append(name)


class Autosave:
    """One JSON file per unsubmitted call, written atomically; submitted and stale ones are removed."""

    def __init__(self, folder: Path | None = None, keep_days: float = AUTOSAVE_KEEP_DAYS):
        self.folder = folder or home_dir() / "autosave"
        self.keep_days = keep_days

    def path(self, call_id: str) -> Path:
        return self.folder / f"{call_id}.json"

    def save(self, session: CallSession) -> None:
        if session.submitted:  # a segment committed after the submit must not bring the call back
            self.discard(session.call_id)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path(session.call_id).with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(session), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path(session.call_id))

    def latest(self) -> CallSession | None:
        """The most recent unsubmitted call, after removing stale, submitted and unreadable files."""
        if not self.folder.is_dir():
            return None
        self.prune()
        files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in files:
            session = self._read(path)
            if session is not None and not session.submitted:
                return session
        return None

    def prune(self) -> list[Path]:
        """Delete autosaves older than ``keep_days``, of submitted calls, or that cannot be read."""
        removed = []
        cutoff = time.time() - self.keep_days * 86400
        for path in self.folder.glob("*.json"):
            session = self._read(path)
            if session is None or session.submitted or path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path)
        for tmp in self.folder.glob("*.tmp"):  # a save interrupted half-way
            tmp.unlink(missing_ok=True)
        if removed:
            log.info("removed %d old autosaves from %s", len(removed), self.folder)
        return removed

    @staticmethod
    def _read(path: Path) -> CallSession | None:
        try:
            return CallSession.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, AttributeError):  # unreadable, or JSON that is not a call
            return None

    def discard(self, call_id: str) -> None:
        """Remove the call's autosave; one that cannot be removed is pruned at a later start."""
        try:
            self.path(call_id).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove the autosave of %s: %s", call_id, exc)


def new_call_id(now: datetime | None = None) -> str:
    return f"call-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S-%f')}"
