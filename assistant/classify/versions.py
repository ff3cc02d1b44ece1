"""A centre's trained classifiers, by version: ``models/<field>/<version>/`` and the version in use.

Each field (appeal_type, category, urgency) keeps every model trained for it in a folder of its own, named by
version, and a one-line ``ACTIVE`` file naming the version drafting uses; switching back to an older version
is rewriting that line. A folder with the model files directly in it (``models/<field>/metadata.json``) is
a single unversioned model and is used as such.

Versions are listed from their metadata alone (no model is unpickled), so ``hotline models list`` is instant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.classify.catalog import META_FILE
from assistant.errors import ModelError

if TYPE_CHECKING:
    from assistant.centre import Centre

ACTIVE_FILE = "ACTIVE"
# How a version was made: from the centre's seed data, from a labelled file, or by learning from corrections.
MADE = {"seed": "种子数据", "data": "数据文件", "learn": "更正学习"}


def active_folder(root: Path, field: str) -> Path:
    """The folder of the model in use for ``field`` under the models folder ``root``."""
    folder = root / field
    if (folder / META_FILE).is_file():
        return folder
    try:
        version = (folder / ACTIVE_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ModelError(f"{folder} 中没有{field}模型", "用 hotline train 训练本中心的模型") from None
    except OSError as exc:
        raise ModelError(f"{folder / ACTIVE_FILE} 无法读取：{exc}") from exc
    if not version or not (folder / version / META_FILE).is_file():
        raise ModelError(f"{folder / ACTIVE_FILE} 指向的版本 {version or '（空）'} 不存在",
                         "用 hotline models list 查看已有版本，hotline models use 版本 切换")
    return folder / version


def active_version(root: Path, field: str) -> str | None:
    """The name of the version in use for ``field``, or None when there is none (or an unversioned model)."""
    try:
        folder = active_folder(root, field)
    except ModelError:
        return None
    return None if folder == root / field else folder.name


@dataclass(frozen=True)
class Version:
    """One trained model of a field, as its metadata describes it."""

    field: str
    name: str
    folder: Path
    metadata: dict

    @property
    def created(self) -> str:
        return str(self.metadata.get("created", ""))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.metadata.get("labels", ()))

    @property
    def rows(self) -> int:
        return int(self.metadata.get("n_rows", 0))

    @property
    def made(self) -> str:
        """seed / data / learn: recorded since versions had it, else read from the name (seed-20261207)."""
        made = self.metadata.get("made")
        if made:
            return str(made)
        return next((tag for tag in MADE if tag in self.name.split("-")), "")

    @property
    def source(self) -> str:
        return str(self.metadata.get("source", ""))

    @property
    def cv_macro_f1(self) -> float | None:
        metrics = self.metadata.get("metrics", {})
        try:
            return float(metrics["cv"][metrics["chosen"]["name"]]["macro_f1"])
        except (KeyError, TypeError, ValueError):
            return None


def _read(folder: Path, field: str) -> Version | None:
    try:
        metadata = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Version(field, folder.name, folder, metadata if isinstance(metadata, dict) else {})


def versions(root: Path, field: str) -> list[Version]:
    """The versions trained for ``field``, oldest first (by the time their metadata says they were made)."""
    folder = root / field
    if not folder.is_dir():
        return []
    found = [_read(p, field) for p in folder.iterdir()
             if not p.name.startswith(".") and (p / META_FILE).is_file()]
    return sorted((v for v in found if v is not None), key=lambda v: (v.created, v.name))


def version(root: Path, field: str, name: str) -> Version:
    """The version ``name`` of ``field``; a ModelError naming the versions there are when it does not exist."""
    found = _read(root / field / name, field) if name and "/" not in name and not name.startswith(".") else None
    if found is None:
        known = "、".join(v.name for v in versions(root, field)) or "（没有）"
        raise ModelError(f"{field} 没有版本 {name}", f"已有的版本：{known}；用 hotline models list 查看")
    return found


def check_versioned(root: Path, field: str) -> None:
    """Refuse to add versions beside a single unversioned model, which would stay in use whatever ACTIVE says."""
    folder = root / field
    if (folder / META_FILE).is_file():
        raise ModelError(f"{folder} 中是一个未分版本的模型，新版本放在旁边不会被使用",
                         f"先把其中的文件移到 {folder}/某个版本名/ 下，并在 {folder / ACTIVE_FILE} 中写上该版本名")


def activate(root: Path, field: str, name: str) -> None:
    """Make version ``name`` the model drafting uses for ``field`` (written atomically)."""
    folder = root / field
    check_versioned(root, field)
    version(root, field, name)
    tmp = folder / f".{ACTIVE_FILE}.tmp"
    tmp.write_text(name + "\n", encoding="utf-8")
    tmp.replace(folder / ACTIVE_FILE)


def version_name(tag: str, now: datetime | None = None) -> str:
    """A new version's name: the time and the tag (seed, data, learn), which sorts versions by age."""
    return f"{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}-{tag}"


def new_version(root: Path, fields: tuple[str, ...] | list[str], tag: str, now: datetime | None = None) -> str:
    """A version name not yet used by any of ``fields``: two trainings in one second get ``-2``, ``-3`` …"""
    base = version_name(tag, now)
    name, n = base, 1
    while any((root / field / name).exists() for field in fields):
        n += 1
        name = f"{base}-{n}"
    return name


def refuse_shipped(centre: Centre) -> None:
    """The demo centre ships inside the program: its models are rebuilt from its seed data, never replaced,
    and the version it uses is not switched."""
    if centre.shipped:
        raise ModelError(f"当前使用的是内置的演示中心（{centre.folder}），不能在其中安装或切换模型",
                         "先用 hotline centre init 目录 建立本中心的配置，再用 hotline --centre 目录 …"
                         "（或环境变量 HOTLINE_CENTRE）指定它")
