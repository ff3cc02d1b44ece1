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
from assistant.files import decode_text, os_reason

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
        text = decode_text(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise ManifestError(f"清单文件 {path} 既不是 UTF-8 也不是 GBK 编码", "请另存为 UTF-8") from exc
    except OSError as exc:
        raise ManifestError(f"清单文件 {path} 无法读取：{os_reason(exc)}") from exc
    if path.suffix.lower() == ".csv":
        try:
            numbered = list(enumerate(csv.DictReader(text.splitlines()), start=2))
        except csv.Error as exc:
            raise ManifestError(f"清单文件 {path} 无法解析：{exc}") from exc
    else:
        numbered = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((n, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ManifestError(f"清单文件 {path} 第 {n} 行不是有效的 JSON（{exc.msg}）",
                                    "每行一个对象，例如 {\"audio\": \"a.wav\", \"id\": \"c1\"}") from exc
    return [_call(path, row, f"{path} 第 {n} 行") for n, row in numbered]


def _call(path: Path, row, where: str) -> CallInput:
    if not isinstance(row, dict):
        raise ManifestError(f"{where}：应为一个对象（{{\"audio\": …, \"id\": …}}），而不是 {_shown(row)}")
    audio = _field(row, "audio", where, numbers=False)
    if not audio:
        raise ManifestError(f"{where}：没有 audio（录音文件路径）")
    audio_path = (path.parent / audio).resolve()
    start = _field(row, "call_start", where, numbers=False)
    context = CallContext(
        call_start=_parse_time(start, where) if start else file_time(audio_path),
        call_start_certain=bool(start),
        hotline=_field(row, "hotline", where),
        operator_id=_field(row, "operator_id", where),
    )
    return CallInput(audio_path, _field(row, "id", where) or audio_path.stem, context)


def _field(row: dict, key: str, where: str, numbers: bool = True) -> str | None:
    """The column as text, None when empty; a PBX may export ids and numbers as JSON numbers, never objects."""
    value = row.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip() or None
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    kind = "文字" if not numbers else "文字或数字"
    raise ManifestError(f"{where}：{key} 应为{kind}，而不是 {_shown(value)}",
                        "例如 \"call_start\": \"2026-01-13T10:25:00+08:00\"" if key == "call_start" else "")


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


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
