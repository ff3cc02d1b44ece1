"""The transcript every later stage reads: speaker-labelled, timestamped segments in time order."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Speaker(StrEnum):
    """Who is speaking: a stereo call's two sides, or one track whose speaker is unknown (a mono recording).

    The values are what transcripts and the store hold (``op``, ``caller``, ``spk``)."""

    OPERATOR = "op"
    CALLER = "caller"
    UNKNOWN = "spk"

    @property
    def label(self) -> str:
        return SPEAKER_LABELS[self]


SPEAKER_LABELS = {Speaker.OPERATOR: "接线员", Speaker.CALLER: "来电人", Speaker.UNKNOWN: "说话人"}


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One utterance of one speaker (a turn, or part of one, between pauses)."""

    speaker: Speaker
    start: float
    end: float
    text: str
    confidence: float
    words: tuple[Word, ...] = ()
    # Numbers (digits) in ``text`` that a second look supplied instead of the first reading (asr/second_look.py):
    # the drafter shows a phone number taken from one as less sure.
    guessed: tuple[str, ...] = ()

    @property
    def speaker_label(self) -> str:
        return SPEAKER_LABELS.get(self.speaker, self.speaker)


@dataclass(frozen=True)
class Transcript:
    id: str
    source: str
    duration: float
    channels: str  # "op-left" | "op-right" | "mono"
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    model: str = ""

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    def to_dict(self, *, words: bool = True) -> dict:
        data = {
            "id": self.id,
            "source": self.source,
            "duration": round(self.duration, 3),
            "channels": self.channels,
            "model": self.model,
            "text": self.text,
            "segments": [],
        }
        for seg in self.segments:
            item = asdict(seg)
            item["start"], item["end"] = round(seg.start, 2), round(seg.end, 2)
            item["confidence"] = round(seg.confidence, 3)
            if not seg.guessed:
                del item["guessed"]
            if words:
                item["words"] = [
                    {"start": round(w.start, 2), "end": round(w.end, 2), "text": w.text, "p": round(w.probability, 3)}
                    for w in seg.words
                ]
            else:
                del item["words"]
            data["segments"].append(item)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Transcript:
        segments = tuple(
            Segment(
                speaker=Speaker(s.get("speaker", Speaker.UNKNOWN)),
                start=float(s["start"]),
                end=float(s["end"]),
                text=s.get("text", ""),
                confidence=float(s.get("confidence", 1.0)),
                words=tuple(Word(w["start"], w["end"], w["text"], w.get("p", 1.0)) for w in s.get("words", ())),
                guessed=tuple(str(g) for g in s.get("guessed", ())),
            )
            for s in data.get("segments", ())
        )
        return cls(
            id=data["id"],
            source=data.get("source", ""),
            duration=float(data.get("duration", 0.0)),
            channels=data.get("channels", "mono"),
            segments=segments,
            model=data.get("model", ""),
        )
