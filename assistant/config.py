"""Where the product keeps its files and which defaults a centre has configured.

Settings come from, in order: command-line flags, environment variables (``HOTLINE_*``), and the
optional TOML file ``$HOTLINE_HOME/config.toml``. Nothing here touches the network.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError


def home_dir() -> Path:
    """The product's own folder: assembled models, autosaves, the default database."""
    env = os.environ.get("HOTLINE_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "hotline"


@dataclass(frozen=True)
class Settings:
    """Defaults a centre configures once (``config.toml``) and may override per command."""

    units: Path | None = None
    model: str | None = None
    operator_channel: str = "left"
    cpu_threads: int = 0

    @classmethod
    def load(cls) -> Settings:
        path = home_dir() / "config.toml"
        data: dict = {}
        if path.exists():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"配置文件 {path} 无法解析：{exc}", "请检查 TOML 语法") from exc
        units = os.environ.get("HOTLINE_UNITS") or data.get("units")
        channel = os.environ.get("HOTLINE_OPERATOR_CHANNEL") or data.get("operator_channel", "left")
        if channel not in ("left", "right"):
            raise ConfigError(f"operator_channel 只能是 left 或 right，而不是 {channel!r}")
        return cls(
            units=Path(units).expanduser() if units else None,
            model=os.environ.get("HOTLINE_MODEL") or data.get("model"),
            operator_channel=channel,
            cpu_threads=int(os.environ.get("HOTLINE_THREADS") or data.get("cpu_threads", 0)),
        )
