"""Turn the paths a user typed into the list of recordings to process, with a reason for each one skipped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.audio.load import AUDIO_SUFFIXES

NOT_AUDIO = "不是支持的音频格式（wav、mp3、flac、ogg、m4a 等）"


@dataclass(frozen=True)
class Inputs:
    files: tuple[Path, ...]
    skipped: tuple[tuple[Path, str], ...]  # (path, reason) for files in folders that are not recordings


def collect(paths: list[str]) -> Inputs:
    """Named files are always attempted (a missing one fails later with its own message); folders are
    searched recursively for recordings, and any other file found there is reported as skipped."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith("."):
                    continue
                if child.suffix.lower() in AUDIO_SUFFIXES:
                    files.append(child)
                else:
                    skipped.append((child, NOT_AUDIO))
        else:
            files.append(path)
    return Inputs(tuple(files), tuple(skipped))
