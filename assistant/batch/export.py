"""Per-call files next to the store: ``<id>.json`` (transcript and drafted ticket), ``.txt``, ``.srt``.

Each file appears whole or not at all (written aside, then renamed). Two recordings with the same id (the
same file name in different folders) get the start of their content hash appended, so neither is lost.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.batch.worker import Outcome
from assistant.errors import AssistantError
from assistant.files import os_reason
from assistant.transcript import formats

EXPORT_FORMATS = ("json", "txt", "srt")


class Exporter:
    def __init__(self, folder: str | Path, kinds: tuple[str, ...] = EXPORT_FORMATS) -> None:
        unknown = [k for k in kinds if k not in EXPORT_FORMATS]
        if unknown:
            raise AssistantError(f"不支持的导出格式：{'、'.join(unknown)}", f"可选 {', '.join(EXPORT_FORMATS)}")
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AssistantError(f"无法创建导出目录 {self.folder}：{os_reason(exc)}",
                                 "检查路径和写入权限，或换一个 --export 目录") from exc
        self.kinds = kinds
        self.owners: dict[str, str] = {}  # file stem -> content hash, within this run

    def stem(self, outcome: Outcome) -> str:
        base = "".join(c if c.isalnum() or c in "-_." else "_" for c in outcome.job.call.call_id) or "call"
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
        transcript = outcome.transcript
        for kind in self.kinds:
            if kind == "json":
                data = {**transcript.to_dict(), "sha256": outcome.job.sha256, "ticket_number": ticket,
                        "draft": outcome.draft.to_dict()}
                text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            elif kind == "txt":
                text = formats.to_txt(transcript)
            else:
                text = formats.to_srt(transcript)
            target = self.folder / f"{stem}.{kind}"
            tmp = target.with_name(target.name + ".part")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
