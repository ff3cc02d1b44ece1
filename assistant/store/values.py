"""What a ticket's columns are called and what they can hold, checked before anything is written.

PostgreSQL refuses a value longer than its column and SQLite silently keeps it, so the limits are checked here,
read from the models' own column types: the same answer on both engines, and one that names the field.
"""

from __future__ import annotations

import re

from sqlalchemy import String

from assistant.draft.fields import LABELS
from assistant.errors import TicketError
from assistant.store.models import Ticket, TicketEvent

HOTLINE = re.compile(r"\d{3,10}")
KINDS = {dict: "对象", list: "列表", bool: "真假值", int: "数字", float: "数字", str: "文字", type(None): "空值"}


def max_length(column: str, table=Ticket) -> int | None:
    kind = table.__table__.columns[column].type
    return kind.length if isinstance(kind, String) else None


def label(column: str) -> str:
    return f"{LABELS.get(column, column)}（{column}）"


def value_problem(column: str, value: object) -> str | None:
    """Why ``value`` cannot be stored in ``column``, or None when it can."""
    if value is None or isinstance(value, str | int | float) and not isinstance(value, bool):
        text = "" if value is None else str(value)
    else:
        return f"{label(column)}应是文字，实际是{KINDS.get(type(value), type(value).__name__)}"
    limit = max_length(column)
    if limit is not None and len(text) > limit:
        return f"{label(column)}最多 {limit} 个字，实际 {len(text)} 个"
    return None


def hotline_problem(hotline: object) -> str | None:
    if not isinstance(hotline, str | int) or isinstance(hotline, bool) or not HOTLINE.fullmatch(str(hotline)):
        return f"热线号码“{hotline}”无效：应为 3 到 10 位数字，如 12345"
    return None


def ticket_problems(hotline: object, values: object, fields: tuple[str, ...], operator_id: object = None,
                    *, whole: str = "工单内容") -> list[str]:
    """Everything that keeps these values from being stored as a ticket, in Chinese, empty when none.

    ``whole`` names the values as the user wrote them (the ``ticket`` field of an imported line).
    """
    problems = [p for p in (hotline_problem(hotline),) if p]
    if not isinstance(values, dict):
        return [*problems, f"{whole}应是对象（字段名 → 值），实际是{KINDS.get(type(values), type(values).__name__)}"]
    problems += [p for f in fields if (p := value_problem(f, values.get(f)))]
    if operator_id is not None and (p := value_problem("operator_id", operator_id)):
        problems.append(p)
    return problems


def check_ticket(hotline: object, values: object, fields: tuple[str, ...], operator_id: object = None) -> None:
    problems = ticket_problems(hotline, values, fields, operator_id)
    if problems:
        raise TicketError(f"工单无法保存：{'；'.join(problems)}", "请改正这些值后重试；没有写入任何内容")


def check_actor(actor: str) -> None:
    """The name written to the audit log must fit its column (``--actor``)."""
    limit = max_length("actor", TicketEvent)
    if not actor or not actor.strip() or len(actor) > limit:
        raise TicketError(f"操作人“{actor}”无效：应为 1 到 {limit} 个字", "请用 --actor 给出姓名或工号")


def iso_day(day) -> str | None:
    """A date as an event's detail holds it (2026-12-08), None for none."""
    return day.isoformat() if day else None
