"""The receipt the operator reads to the caller once the ticket is filed (受理回执).

The sentence is the centre's (``script.receipt`` in centre.toml, with ``{number}``, ``{deadline}`` and
``{hotline}``); the deadline is said as a person says a date, 12月9日, with the year only when it is not this
year's, because the operator reads it aloud and the caller writes it down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

NO_DEADLINE = "办理时限内"  # said in place of a date when the ticket has none


def spoken_date(day: date, today: date | None = None) -> str:
    """12月9日; 2027年1月5日 when it falls in another year than ``today``'s."""
    today = today or date.today()
    year = "" if day.year == today.year else f"{day.year}年"
    return f"{year}{day.month}月{day.day}日"


@dataclass(frozen=True)
class Receipt:
    """What the console keeps on screen after a submit, until the next call starts."""

    number: str
    sentence: str  # to be read to the caller
    solved: bool = False  # filed as 当场办结: nothing to wait for
    merged_into: str | None = None  # 并单: the earlier ticket whose deadline this one follows


def receipt(template: str, *, number: str, deadline: date | None, hotline: str, today: date | None = None,
            solved: bool = False, merged_into: str | None = None) -> Receipt:
    """The receipt of a filed ticket: the centre's sentence filled in, or the number alone without one. A
    ticket solved on the call has no deadline to promise: its sentence gives the number only."""
    if solved or not template:
        sentence = f"您的工单编号是{number}。"
    else:
        when = spoken_date(deadline, today) if deadline else NO_DEADLINE
        sentence = template.format(number=number, deadline=when, hotline=hotline)
    return Receipt(number, sentence, solved, merged_into)
