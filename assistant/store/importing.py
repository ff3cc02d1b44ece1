"""Registering ``hotline draft`` output as tickets: every line checked first, then all of them in one transaction.

A file with one bad line imports nothing. Importing half a file would commit tickets whose numbers nobody saw,
and importing the corrected file again would register them twice; all-or-nothing keeps a retry safe.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from assistant.errors import InputFileError
from assistant.store.tickets import STORED_FIELDS, create_ticket
from assistant.store.values import ticket_problems

DEFAULT_HOTLINE = "12345"
SHOWN_PROBLEMS = 5  # bad lines named in the hint beyond the first; the rest are counted


@dataclass(frozen=True)
class DraftLine:
    """One ticket to import: where it came from and what it holds."""

    line: int
    hotline: str
    operator_id: str | None
    values: dict


def read_lines(path: str) -> list[str]:
    """The lines of ``path`` (``-``: standard input), or an InputFileError saying why it cannot be read."""
    if path == "-":
        return sys.stdin.read().splitlines()
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise InputFileError(f"找不到要导入的文件 {path}",
                             "请检查路径；它应是 hotline draft 输出的 .jsonl 文件") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} 是文件夹，不是 hotline draft 的输出文件", "请给出 .jsonl 文件") from None
    except PermissionError:
        raise InputFileError(f"没有权限读取 {path}", "请检查文件权限") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path} 不是 UTF-8 文本（第 {exc.start} 字节起无法解码）",
                             "请给出 hotline draft 输出的 .jsonl 文件") from None
    except OSError as exc:
        raise InputFileError(f"无法读取 {path}：{exc.strerror}") from None


def parse_line(text: str) -> tuple[DraftLine | None, list[str]]:
    """One JSON line as a DraftLine (without its number), or the problems that keep it from being one."""
    try:
        draft = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"不是有效的 JSON（第 {exc.colno} 个字符处有误）"]
    if not isinstance(draft, dict):
        return None, ["应是一个 JSON 对象，即 hotline draft 输出的一行"]
    if "ticket" not in draft:
        return None, ["没有 ticket 字段，不是 hotline draft 的输出"]
    hotline = draft.get("hotline") or DEFAULT_HOTLINE
    operator_id = draft.get("operator_id")
    problems = ticket_problems(hotline, draft["ticket"], STORED_FIELDS, operator_id, whole="ticket 字段")
    if problems:
        return None, problems
    operator = None if operator_id in (None, "") else str(operator_id)
    return DraftLine(0, str(hotline), operator, draft["ticket"]), []


def parse_drafts(lines: Iterable[str], name: str) -> list[DraftLine]:
    """Every non-blank line checked; an InputFileError naming the file and each bad line if any is wrong."""
    drafts: list[DraftLine] = []
    bad: list[str] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        draft, problems = parse_line(text.lstrip("\ufeff") if number == 1 else text)
        if problems:
            bad.append(f"第 {number} 行：{'；'.join(problems)}")
        else:
            drafts.append(DraftLine(number, draft.hotline, draft.operator_id, draft.values))
    if bad:
        more = f"（共 {len(bad)} 行有误）" if len(bad) > 1 else ""
        others = "；".join(bad[1:SHOWN_PROBLEMS + 1]) + ("；……" if len(bad) > SHOWN_PROBLEMS + 1 else "")
        hint = "没有导入任何工单；改正后请重新导入整个文件" + (f"。其他有误的行：{others}" if others else "")
        raise InputFileError(f"{name} {bad[0]}{more}", hint)
    return drafts


def import_drafts(session: Session, drafts: Iterable[DraftLine], *, actor: str) -> list[str]:
    """Create one ticket per draft in the caller's transaction; their numbers in file order."""
    return [create_ticket(session, hotline=d.hotline, values=d.values, operator_id=d.operator_id, actor=actor,
                          drafted=d.values).number for d in drafts]
