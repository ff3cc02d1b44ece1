"""Small file helpers shared by the layers."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (model files are hundreds of MB)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Offices save tables from Excel or WPS: UTF-8 (often with a BOM) or, on Chinese Windows, GBK; GB18030 is the
# superset that also reads GBK and GB2312.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(raw: bytes) -> str:
    """The text of a CSV as a Chinese office saves it; UnicodeDecodeError when it is none of ``TEXT_ENCODINGS``."""
    try:
        return raw.decode(TEXT_ENCODINGS[0])
    except UnicodeDecodeError:
        return raw.decode(TEXT_ENCODINGS[1])


_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EEXIST: "已有同名的文件",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "该位置只读",
    errno.ENOSPC: "磁盘空间不足",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese; the system's own words after it when there is no translation."""
    return _REASONS.get(exc.errno) or f"系统错误（{exc.strerror or exc}）"
