"""Per-call files next to the store: ``<id>.json`` (transcript and drafted ticket), ``.txt``, ``.srt``.

Each file appears whole or not at all (written aside, then renamed). Two recordings with the same id (the
same file name in different folders) get the start of their content hash appended, so neither is lost.

The files hold what callers said, names and numbers included, and leave the database's protection behind: for
a role that may not read callers' data in full (``roles.FULL_ACCESS``) they are masked as lists are. The
drafted name and number become 王**, 139****5678 wherever they appear; any other run of seven digits or more
(ten with spaces or hyphens: dates stay readable) is masked the same way; per-word timings are left out, since
the words of a number spell it out. Masking keeps every text's length, so the draft's evidence spans still
point at the right characters.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from assistant.batch.worker import Outcome
from assistant.errors import AssistantError
from assistant.files import os_reason
from assistant.store.privacy import mask_name, mask_phone
from assistant.store.roles import FULL_ACCESS, Role, configured_role, parse_role
from assistant.transcript import formats
from assistant.transcript.model import Transcript

EXPORT_FORMATS = ("json", "txt", "srt")
# Digits, with spaces or hyphens between them; ``_number`` decides which runs are numbers to mask.
_DIGITS = re.compile(r"\d(?:[\d \-]*\d)?")


def _mask_digits(run: str, keep: str = "*") -> str:
    """Keep the first three and last four digits of ``run``; the others become ``keep``; separators stay."""
    digits = [i for i, c in enumerate(run) if c.isdigit()]
    hidden = set(digits[3:-4])
    return "".join(keep if i in hidden else c for i, c in enumerate(run))


def _number(match: re.Match) -> str:
    """A number as said on a call: seven digits or more in a row, or ten or more with spaces or hyphens."""
    run = match.group()
    count = sum(c.isdigit() for c in run)
    if count >= 7 and run.isdigit() or count >= 10:
        return _mask_digits(run)
    return run


def mask_text(text: str | None, names: tuple[str, ...] = ()) -> str | None:
    """``text`` with long numbers and the given caller names masked, the same length as before."""
    if not text:
        return text
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return _DIGITS.sub(_number, text)


class Exporter:
    """Writes each call's files; ``role`` (default: the configured one) decides whether they are masked."""

    def __init__(self, folder: str | Path, kinds: tuple[str, ...] = EXPORT_FORMATS, *,
                 role: Role | str | None = None) -> None:
        unknown = [k for k in kinds if k not in EXPORT_FORMATS]
        if unknown:
            raise AssistantError(f"不支持的导出格式：{'、'.join(unknown)}", f"可选 {', '.join(EXPORT_FORMATS)}")
        if isinstance(role, str):
            role = parse_role(role, "--role")
        self.role = role or configured_role()
        self.full = self.role in FULL_ACCESS
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AssistantError(f"无法创建导出目录 {self.folder}：{os_reason(exc)}",
                                 "检查路径和写入权限，或换一个 --export 目录") from exc
        self.kinds = kinds
        self.owners: dict[str, str] = {}  # file stem -> content hash, within this run

    def stem(self, outcome: Outcome) -> str:
        call_id = outcome.job.call.call_id
        if not self.full:  # recordings are often named by the caller's number
            call_id = re.sub(r"\d{7,}", lambda m: _mask_digits(m.group(), "x"), call_id)
        base = "".join(c if c.isalnum() or c in "-_." else "_" for c in call_id) or "call"
        sha = outcome.job.sha256
        owner = self.owners.get(base) or self._owner_on_disk(base)
        if owner is None or owner == sha:
            self.owners[base] = sha
            return base
        return f"{base}-{sha[:8]}"

    def _owner_on_disk(self, base: str) -> str | None:
        """The content hash recorded in an earlier run's ``<base>.json``, if there is one."""
        try:
            return json.loads((self.folder / f"{base}.json").read_text(encoding="utf-8")).get("sha256")
        except (OSError, ValueError, AttributeError):
            return None

    def __call__(self, outcome: Outcome, ticket: str) -> None:
        stem = self.stem(outcome)
        transcript, draft = outcome.transcript, outcome.draft.to_dict()
        if not self.full:
            transcript, draft = masked(transcript, draft)
        for kind in self.kinds:
            if kind == "json":
                data = {**transcript.to_dict(words=self.full), "sha256": outcome.job.sha256, "ticket_number": ticket,
                        "draft": draft, "personal": "full" if self.full else "masked"}
                text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            elif kind == "txt":
                text = formats.to_txt(transcript)
            else:
                text = formats.to_srt(transcript)
            target = self.folder / f"{stem}.{kind}"
            tmp = target.with_name(target.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)


def masked(transcript: Transcript, draft: dict) -> tuple[Transcript, dict]:
    """The transcript and the draft (``TicketDraft.to_dict()``) with callers' names and numbers masked."""
    ticket = draft.get("ticket") or {}
    names = tuple(n for n in (ticket.get("caller_name"),) if isinstance(n, str))

    def hide(value):
        return mask_text(value, names) if isinstance(value, str) else value

    segments = tuple(replace(s, text=hide(s.text), words=(), guessed=tuple(_mask_digits(g) for g in s.guessed))
                     for s in transcript.segments)
    transcript = replace(transcript, id=hide(transcript.id), source=hide(transcript.source), segments=segments)
    personal = {name: mask(ticket.get(name)) for name, mask in (("caller_name", mask_name), ("phone", mask_phone))
                if isinstance(ticket.get(name), str)}
    ticket = {**{k: hide(v) for k, v in ticket.items()}, **personal}  # the number as lists show it
    evidence = {field: [{**e, "text": hide(e.get("text"))} for e in items]
                for field, items in (draft.get("evidence") or {}).items()}
    return transcript, {**draft, "id": hide(draft.get("id")), "ticket": ticket, "evidence": evidence}
