"""Making a centre's own profile: a copy of an existing one (by default the shipped demo centre) to edit."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.centre.profile import CENTRE_FILE, home_centre_folder, shipped_centre_folder
from assistant.errors import ConfigError
from assistant.files import os_reason


def init_centre(folder: Path | None = None, source: Path | None = None) -> Path:
    """Copy the profile ``source`` (the demo centre) to ``folder`` (the product folder's own profile), which must
    not hold a profile yet; returns the new profile's folder."""
    folder = Path(folder) if folder else home_centre_folder()
    source = Path(source) if source else shipped_centre_folder()
    if (folder / CENTRE_FILE).exists():
        raise ConfigError(f"{folder} 中已有中心配置（{CENTRE_FILE}），没有覆盖",
                          "直接修改其中的文件，或换一个目录")
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} 不是空目录，没有在其中新建中心配置", "换一个不存在或为空的目录")
    if not (source / CENTRE_FILE).is_file():
        raise ConfigError(f"{source} 不是中心配置目录：缺少 {CENTRE_FILE}")
    tmp = folder.with_name(f".{folder.name}.tmp")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(source, tmp, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        if folder.exists():
            folder.rmdir()
        tmp.replace(folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ConfigError(f"无法在 {folder} 新建中心配置：{os_reason(exc)}", "检查路径和写入权限") from exc
    return folder
