"""The state of one call at the console: transcript so far, the draft, what the operator changed.

Plain data (no widgets) so it can be autosaved after every keystroke and restored after a crash or a closed
window: nothing the operator typed is lost before the ticket is submitted.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from assistant.config import home_dir
from assistant.live.streaming import LiveSegment
from assistant.transcript.model import Segment, Transcript

FORM_FIELDS = (
    ("appeal_type", "诉求类型"), ("category", "问题分类"), ("unit", "承办单位"), ("urgency", "紧急程度"),
    ("caller_name", "来电人"), ("phone", "联系电话"), ("institution", "涉及机构"), ("department", "科室"),
    ("incident_time", "事发时间"), ("location", "地点"), ("title", "工单标题"), ("demand", "诉求"),
    ("summary", "摘要"),
)
LABEL_FIELDS = ("appeal_type", "category", "unit", "urgency")


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

    def add_segment(self, seg: LiveSegment) -> None:
        self.segments.append({"speaker": seg.speaker, "start": seg.start, "end": seg.end, "text": seg.text,
                              "guessed": list(seg.guessed)})
        self.segments.sort(key=lambda s: s["start"])

    def transcript(self) -> Transcript:
        segs = tuple(Segment(s["speaker"], s["start"], s["end"], s["text"], 1.0, guessed=tuple(s.get("guessed", ())))
                     for s in self.segments if s["text"])
        return Transcript(id=self.call_id, source="", duration=segs[-1].end if segs else 0.0, channels="op-left",
                          segments=segs)

    def apply_draft(self, draft: dict) -> list[str]:
        """Take the model's new values for every field the operator has not touched; return the changed ones."""
        changed = []
        for name, _label in FORM_FIELDS:
            value = draft["ticket"].get(name)
            value = "" if value is None else str(value)
            self.drafted[name] = value
            self.confidence[name] = float(draft.get("confidence", {}).get(name, 0.0))
            self.alternatives[name] = draft.get("alternatives", {}).get(name, [])
            self.evidence[name] = draft.get("evidence", {}).get(name, [])
            if name not in self.edited and self.values.get(name) != value:
                self.values[name] = value
                changed.append(name)
        return changed

    def edit(self, name: str, value: str) -> None:
        self.values[name] = value
        if name not in self.edited:
            self.edited.append(name)


class Autosave:
    """One JSON file per unsubmitted call, written atomically."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or home_dir() / "autosave"

    def path(self, call_id: str) -> Path:
        return self.folder / f"{call_id}.json"

    def save(self, session: CallSession) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path(session.call_id).with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(session), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path(session.call_id))

    def latest(self) -> CallSession | None:
        if not self.folder.is_dir():
            return None
        files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in files:
            try:
                return CallSession(**json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
        return None

    def discard(self, call_id: str) -> None:
        self.path(call_id).unlink(missing_ok=True)


def new_call_id(now: datetime | None = None) -> str:
    return f"call-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}"
