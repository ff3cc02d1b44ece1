"""Write transcripts as JSON Lines (what score.py reads), JSON, plain text, SRT or WebVTT."""

from __future__ import annotations

import json
from collections.abc import Iterable

from assistant.transcript.model import Transcript

FORMATS = ("jsonl", "json", "txt", "srt", "vtt")


def _clock(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_jsonl_line(t: Transcript) -> str:
    return json.dumps(t.to_dict(), ensure_ascii=False)


def to_txt(t: Transcript) -> str:
    lines = [f"[{_clock(s.start, '.')[3:]}] {s.speaker_label}：{s.text}" for s in t.segments]
    return "\n".join(lines) + "\n"


def to_srt(t: Transcript) -> str:
    blocks = [
        f"{i}\n{_clock(s.start, ',')} --> {_clock(s.end, ',')}\n{s.speaker_label}：{s.text}\n"
        for i, s in enumerate(t.segments, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(t: Transcript) -> str:
    blocks = [
        f"{_clock(s.start, '.')} --> {_clock(s.end, '.')}\n<v {s.speaker_label}>{s.text}\n" for s in t.segments
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def render(transcripts: Iterable[Transcript], fmt: str) -> str:
    """All transcripts in one document of format ``fmt`` (text formats head each file with its id)."""
    items = list(transcripts)
    if fmt == "jsonl":
        return "".join(to_jsonl_line(t) + "\n" for t in items)
    if fmt == "json":
        return json.dumps([t.to_dict() for t in items], ensure_ascii=False, indent=2) + "\n"
    writer = {"txt": to_txt, "srt": to_srt, "vtt": to_vtt}[fmt]
    if len(items) == 1:
        return writer(items[0])
    return "\n".join(f"# {t.id}\n{writer(t)}" for t in items)
