"""Where the product keeps its files and which defaults a centre has configured.

Settings come from, in order: command-line flags, environment variables (``HOTLINE_*``), and the
optional TOML file ``$HOTLINE_HOME/config.toml``. Nothing here touches the network.

Each value is checked where it is read, so a wrong one is a ``ConfigError`` naming the key, the file or
variable it came from and the value, instead of a traceback later in the model or the audio code. An unknown
key is only a warning: the command still runs, and the warning lists the keys there are.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError
from assistant.files import os_reason

log = logging.getLogger("assistant.config")


def home_dir() -> Path:
    """The product's own folder: assembled models, autosaves, the default database."""
    env = os.environ.get("HOTLINE_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "hotline"


# The keys config.toml may set; anything else is reported (a typo such as `unit =` would otherwise do nothing).
# ``role`` is read by store/roles.py (configured_role), not by Settings.
KNOWN_KEYS = ("centre", "units", "model", "operator_channel", "cpu_threads", "repeat_days", "role")
CHANNELS = ("left", "right")
_warned: set[tuple[Path, str]] = set()


@dataclass(frozen=True)
class Settings:
    """Defaults a centre configures once (``config.toml``) and may override per command."""

    centre: Path | None = None
    units: Path | None = None
    model: str | None = None
    operator_channel: str = "left"
    cpu_threads: int = 0
    repeat_days: int = 30  # how far back a caller's earlier tickets are shown and repeats are looked for

    @classmethod
    def load(cls) -> Settings:
        path = home_dir() / "config.toml"
        data = read_toml(path, "配置文件", '每行写成 键 = 值，文字要加引号，例如 model = "base"、cpu_threads = 2')
        warn_unknown(path, "配置文件", data.keys(), KNOWN_KEYS, "设置项")
        centre = _setting(path, data, "centre", "HOTLINE_CENTRE", _folder_text)
        units = _setting(path, data, "units", "HOTLINE_UNITS", _path_text)
        model = _setting(path, data, "model", "HOTLINE_MODEL", _text)
        channel = _setting(path, data, "operator_channel", "HOTLINE_OPERATOR_CHANNEL", _channel)
        threads = _setting(path, data, "cpu_threads", "HOTLINE_THREADS", _threads)
        repeat_days = _setting(path, data, "repeat_days", "HOTLINE_REPEAT_DAYS", _days)
        return cls(
            centre=Path(centre).expanduser() if centre else None,
            units=Path(units).expanduser() if units else None,
            model=model,
            operator_channel=channel or "left",
            cpu_threads=threads or 0,
            repeat_days=30 if repeat_days is None else repeat_days,
        )


def read_toml(path: Path, what: str, hint: str) -> dict:
    """A centre's TOML settings file (``what`` names it in messages: 配置文件, 时限配置); {} when there is none.
    ``hint`` says how a line of this file is written, for a file that is not valid TOML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {path} 不是 UTF-8 编码", "请把它另存为 UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{what} {path} 无法读取：{os_reason(exc)}", "检查该文件的位置和权限") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _AT.search(str(exc))
        place = f"第 {at.group(1)} 行第 {at.group(2)} 列" if at else "某处"
        raise ConfigError(f"{what} {path} 不是有效的 TOML：{place}有误（tomllib：{exc}）", hint) from exc


_AT = re.compile(r"at line (\d+), column (\d+)")


def warn_unknown(path: Path, what: str, keys, known: tuple[str, ...], kind: str, prefix: str = "") -> None:
    """A warning, once per file and key, for each of ``keys`` that is not ``known``: a typo would otherwise do
    nothing without a word. ``kind`` names what the keys are (设置项, 诉求类型)."""
    for key in keys:
        if key not in known and (path, prefix + key) not in _warned:
            _warned.add((path, prefix + key))
            log.warning("%s %s 中的%s %s 不认识，已忽略（可用的%s：%s）", what, path, kind, prefix + key, kind,
                        "、".join(known))


def count(value) -> int:
    """A whole number of 0 or more, also written as a digit string; ValueError otherwise."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("not a count")
    return value


def _setting(path: Path, data: dict, key: str, env: str, check):
    """The value of ``key``: the environment variable ``env`` if set, else the file; checked by ``check``, which
    returns the value or raises ValueError with what the value should be."""
    raw = os.environ.get(env)
    if raw:
        source, value = f"环境变量 {env}", raw
    elif key in data:
        source, value = f"配置文件 {path} 中 {key}", data[key]
    else:
        return None
    try:
        return check(value)
    except ValueError as exc:
        raise ConfigError(f"{source} 的值 {shown(value)} 无效：{exc}", _EXAMPLES[key]) from None


_EXAMPLES = {
    "centre": '例如 centre = "/srv/hotline/centre"（hotline centre init 生成的目录），或设置环境变量 HOTLINE_CENTRE',
    "units": '例如 units = "/srv/hotline/units.csv"，或设置环境变量 HOTLINE_UNITS',
    "model": '例如 model = "base"（规格名）或 model = "/srv/hotline/models/base"（模型目录）',
    "operator_channel": 'operator_channel = "left" 或 operator_channel = "right"',
    "cpu_threads": "例如 cpu_threads = 2；0 表示自动",
    "repeat_days": "例如 repeat_days = 30（查来电人历史工单和重复诉求的天数）",
}


def shown(value) -> str:
    """The value as the user wrote it in TOML: strings quoted, booleans, lists and tables as TOML writes them."""
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(shown, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {shown(v)}" for k, v in value.items()) + "}"
    return str(value)


def _text(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为加引号的文字")
    return value.strip()


def _path_text(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为单位目录文件的路径（加引号的文字）")
    return value.strip()


def _folder_text(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("应为中心配置目录的路径（加引号的文字）")
    return value.strip()


def _channel(value) -> str:
    if value not in CHANNELS:
        raise ValueError("只能是 left 或 right（接线员所在的声道）")
    return value


def _threads(value) -> int:
    try:
        return count(value)
    except ValueError:
        raise ValueError("应为不小于 0 的整数（CPU 线程数，0 表示自动）") from None


def _days(value) -> int:
    try:
        days = count(value)
    except ValueError:
        raise ValueError("应为 1 到 3650 的整数（天数）") from None
    if not 1 <= days <= 3650:
        raise ValueError("应为 1 到 3650 的整数（天数）")
    return days
