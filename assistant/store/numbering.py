"""Ticket numbers ``<hotline>-<yyyymmdd>-<seq>``: unique and gap-free per hotline per day, under concurrency.

The counter row is incremented with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` inside the same
transaction that inserts the ticket. The row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE)
holds other writers until commit, and a rolled-back ticket rolls its number back with it: no duplicates,
no gaps.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.store.models import TicketCounter


def next_seq(session: Session, hotline: str, day: date) -> int:
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"ticket numbering is not implemented for {dialect}")
    table = TicketCounter.__table__
    stmt = (
        insert(table)
        .values(hotline=hotline, day=day, last_seq=1)
        .on_conflict_do_update(index_elements=["hotline", "day"], set_={"last_seq": table.c.last_seq + 1})
        .returning(table.c.last_seq)
    )
    return int(session.execute(stmt).scalar_one())


def format_number(hotline: str, day: date, seq: int) -> str:
    return f"{hotline}-{day:%Y%m%d}-{seq:04d}"
