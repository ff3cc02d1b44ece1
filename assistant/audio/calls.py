"""Which recordings are calls and what the PBX knows about each: the manifest, or the file itself.

A manifest (JSON Lines or CSV, one row per call, as PBX systems export them) gives ``audio`` (a path relative
to the manifest), ``id``, ``call_start`` (ISO time), ``hotline`` and ``operator_id``; other columns are
ignored and the listed recordings are the input. Without one, the call start is the recording's own
creation time when its container records one, else the file's modification time, and is marked uncertain.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import AssistantError

LOCAL_TZ = datetime.now().astimezone().tzinfo or UTC


@dataclass(frozen=True)
class CallContext:
    """What the PBX knows about the call: its start (to resolve 昨天, 上周三 …), hotline and operator."""

    call_start: datetime
    call_start_certain: bool = True
    hotline: str | None = None
    operator_id: str | None = None


class ManifestError(AssistantError):
    """A manifest that cannot be read."""


@dataclass(frozen=True)
class CallInput:
    path: Path
    call_id: str
    context: CallContext


def _parse_time(value: str, where: str) -> datetime:
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ManifestError(f"{where}：call_start “{value}” 不是 ISO 时间", "例如 2026-01-13T10:25:00+08:00") from exc
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


def read_manifest(path: str | Path) -> list[CallInput]:
    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"清单文件 {path} 不存在")
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
        else:
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise ManifestError(f"清单文件 {path} 无法解析：{exc}") from exc
    calls = []
    for n, row in enumerate(rows, start=2 if path.suffix.lower() == ".csv" else 1):
        where = f"{path} 第 {n} 行"
        audio = (row.get("audio") or "").strip()
        if not audio:
            raise ManifestError(f"{where}：没有 audio（录音文件路径）")
        audio_path = (path.parent / audio).resolve()
        start = row.get("call_start")
        context = CallContext(
            call_start=_parse_time(start, where) if start else file_time(audio_path),
            call_start_certain=bool(start),
            hotline=str(row.get("hotline") or "") or None,
            operator_id=str(row.get("operator_id") or "") or None,
        )
        calls.append(CallInput(audio_path, str(row.get("id") or audio_path.stem), context))
    return calls


def file_time(path: Path) -> datetime:
    """The recording's creation time from its container tags, else its modification time."""
    try:
        import av

        with av.open(str(path), metadata_errors="ignore") as container:
            for key in ("creation_time", "date", "ICRD"):
                value = container.metadata.get(key)
                if value:
                    try:
                        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
                        return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)
                    except ValueError:
                        continue
    except Exception:  # unreadable audio is reported by the transcriber with its own message
        pass
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=LOCAL_TZ)
    except OSError:
        return datetime.now(tz=LOCAL_TZ)


def from_paths(paths: list[Path]) -> list[CallInput]:
    return [CallInput(p, p.stem, CallContext(call_start=file_time(p), call_start_certain=False)) for p in paths]
