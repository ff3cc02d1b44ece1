"""What a draft is made of: every field a value, a confidence and the words it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.audio.calls import CallContext

TICKET_FIELDS = (
    "appeal_type", "category", "unit", "urgency", "institution", "department", "caller_name", "phone",
    "incident_time", "location", "amounts", "title", "demand", "summary",
)


@dataclass(frozen=True)
class Evidence:
    """Where in the transcript a value was read: segment index and character span in its text."""

    segment: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"segment": self.segment, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class FieldValue:
    value: object
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    alternatives: tuple[tuple[str, float], ...] = ()  # (label, probability), best first, for label fields

    @classmethod
    def empty(cls) -> FieldValue:
        return cls(None, 0.0)


@dataclass(frozen=True)
class TicketDraft:
    call_id: str
    context: CallContext
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def value(self, name: str):
        fv = self.fields.get(name)
        return None if fv is None else fv.value

    def to_dict(self) -> dict:
        """The JSON line of ``hotline draft``: ticket values, evidence and alternatives per field."""
        return {
            "id": self.call_id,
            "call_start": self.context.call_start.isoformat(),
            "call_start_certain": self.context.call_start_certain,
            "hotline": self.context.hotline,
            "operator_id": self.context.operator_id,
            "ticket": {name: self.value(name) for name in TICKET_FIELDS},
            "confidence": {name: round(self.fields[name].confidence, 3) for name in TICKET_FIELDS
                           if name in self.fields},
            "evidence": {name: [e.to_dict() for e in self.fields[name].evidence] for name in TICKET_FIELDS
                         if name in self.fields and self.fields[name].evidence},
            "alternatives": {name: [[label, round(p, 3)] for label, p in self.fields[name].alternatives]
                             for name in TICKET_FIELDS if name in self.fields and self.fields[name].alternatives},
        }
