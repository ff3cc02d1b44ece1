"""What a batch has to do: the recordings named by paths, globs or a PBX manifest, each with its content hash.

The hash is the recording's identity in the store: a file renamed or copied elsewhere is recognised as done,
and two copies in one batch are transcribed once.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from assistant.audio.calls import CallInput, from_paths, read_manifest
from assistant.audio.inputs import NOT_AUDIO, collect
from assistant.audio.load import AUDIO_SUFFIXES
from assistant.errors import AssistantError
from assistant.files import sha256_file

MANIFEST_SUFFIXES = (".jsonl", ".csv")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Job:
    """One recording to process: where it is, what the PBX knows about it, and its content hash."""

    call: CallInput
    sha256: str
    duration: float  # seconds, from the container header (0 when it does not say); for progress and ETA

    @property
    def path(self) -> Path:
        return self.call.path


@dataclass(frozen=True)
class Unreadable:
    """A recording that failed before any work could start (missing, unreadable, a duplicate)."""

    call: CallInput
    reason: str


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...]
    failed: tuple[Unreadable, ...]  # recorded as failed in the store
    duplicates: tuple[tuple[Path, Path], ...]  # (copy, the file with the same content that is processed)


def find_calls(sources: list[str]) -> tuple[list[CallInput], list[tuple[Path, str]]]:
    """Each source is a manifest (.jsonl / .csv), a folder (searched recursively), a glob or a file."""
    calls: list[CallInput] = []
    plain: list[str] = []
    ignored: list[tuple[Path, str]] = []
    for source in sources:
        path = Path(source)
        if path.suffix.lower() in MANIFEST_SUFFIXES and path.is_file():
            calls += read_manifest(path)
        elif not path.exists() and _GLOB_CHARS & set(source):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                raise AssistantError(f"通配符 {source} 没有匹配到任何文件",
                                     "检查路径；用引号括起通配符以免被 shell 展开")
            for match in map(Path, matches):  # like a folder: what a pattern catches besides recordings is skipped
                if match.is_dir() or match.suffix.lower() in AUDIO_SUFFIXES:
                    plain.append(str(match))
                elif match.is_file():
                    ignored.append((match, NOT_AUDIO))
        else:
            plain.append(source)
    found = collect(plain)
    calls += from_paths(list(found.files))
    return calls, ignored + list(found.skipped)


def plan(calls: list[CallInput]) -> Plan:
    """Hash and probe every recording; unreadable ones and in-batch copies are set aside with a reason."""
    jobs: list[Job] = []
    failed: list[Unreadable] = []
    duplicates: list[tuple[Path, Path]] = []
    first: dict[str, Path] = {}
    for call in calls:
        try:
            if not call.path.is_file():
                raise FileNotFoundError
            digest = sha256_file(call.path)
        except FileNotFoundError:
            failed.append(Unreadable(call, "文件不存在"))
            continue
        except OSError as exc:
            failed.append(Unreadable(call, f"无法读取：{exc.strerror or exc}"))
            continue
        if digest in first:
            duplicates.append((call.path, first[digest]))
            continue
        first[digest] = call.path
        jobs.append(Job(call, digest, probe_duration(call.path)))
    return Plan(tuple(jobs), tuple(failed), tuple(duplicates))


def probe_duration(path: Path) -> float:
    """The duration the container header states, without decoding; 0.0 when it states none."""
    try:
        import av

        with av.open(str(path), metadata_errors="ignore") as container:
            if container.duration:
                return container.duration / 1_000_000
            stream = next(iter(container.streams.audio), None)
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except Exception:  # a corrupt file fails in the worker with the decoder's own message
        pass
    return 0.0
