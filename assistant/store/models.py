"""The tables: calls and their segments, tickets with their workflow history, corrections, the directory.

Personal data (caller name and phone) lives only in ``Ticket``; lists and exports mask it (see
``privacy.py``) and every full read is written to ``TicketEvent`` as an audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from assistant.store.privacy import phone_key


class Base(DeclarativeBase):
    pass


class Unit(Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(50), default="")
    district: Mapped[str] = mapped_column(String(50), default="")
    handles: Mapped[list] = mapped_column(JSON, default=list)


class Call(Base):
    __tablename__ = "call"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), index=True)
    recording_path: Mapped[str | None] = mapped_column(Text)
    content_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration: Mapped[float] = mapped_column(Float, default=0.0)
    channel_layout: Mapped[str] = mapped_column(String(20), default="mono")
    hotline: Mapped[str | None] = mapped_column(String(10))
    operator_id: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="done")  # done | failed
    error: Mapped[str | None] = mapped_column(Text)

    segments: Mapped[list[Segment]] = relationship(back_populates="call", cascade="all, delete-orphan",
                                                   order_by="Segment.start")
    tickets: Mapped[list[Ticket]] = relationship(back_populates="call")


class Segment(Base):
    __tablename__ = "segment"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(String(10))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    # Phone numbers the ASR's second look supplied rather than heard first (transcript.Segment.guessed).
    guessed: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    call: Mapped[Call] = relationship(back_populates="segments")


class TicketCounter(Base):
    """The last number handed out per hotline per day: one row, incremented inside the ticket's transaction."""

    __tablename__ = "ticket_counter"

    hotline: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("hotline", "day", "seq", name="uq_ticket_seq"),
        Index("ix_ticket_status_deadline", "status", "deadline"),
        Index("ix_ticket_created", "created_at"),
        Index("ix_ticket_deadline", "deadline"),
        Index("ix_ticket_unit_category_status", "unit", "category", "status"),
        # Lists read urgent tickets first and the tickets late on dispatch along these (store/listing.py).
        Index("ix_ticket_urgency_created", "urgency", "created_at"),
        Index("ix_ticket_status_dispatch", "status", "dispatch_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    hotline: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    appeal_type: Mapped[str | None] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(20), index=True)
    unit: Mapped[str | None] = mapped_column(String(100), index=True)
    urgency: Mapped[str | None] = mapped_column(String(10))
    institution: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(50))
    # Deferred: a query names these columns only where the login may read them (``store/access.py`` loads them
    # with every ticket there); on PostgreSQL most logins may not (migration 0007).
    caller_name: Mapped[str | None] = mapped_column(String(50), deferred=True, deferred_group="personal")
    phone: Mapped[str | None] = mapped_column(String(20), deferred=True, deferred_group="personal")
    incident_time: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    demand: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    drafted: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)  # the draft as the model produced it
    model_version: Mapped[str | None] = mapped_column(String(100))
    operator_id: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deadline: Mapped[date | None] = mapped_column(Date)
    dispatch_deadline: Mapped[date | None] = mapped_column(Date)
    # After the call: when the ticket was dispatched and finished, the unit's reply, the return visit.
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply: Mapped[str | None] = mapped_column(Text)
    visit_method: Mapped[str | None] = mapped_column(String(20))  # how the caller was reached: 电话、短信…
    satisfaction: Mapped[str | None] = mapped_column(String(10))  # 满意 | 基本满意 | 不满意
    visit_comment: Mapped[str | None] = mapped_column(Text)
    visited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # 并单: the open ticket this one repeats; the earlier ticket keeps the one deadline.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", name="fk_ticket_repeat_of"),
                                                        index=True)
    # The caller's number reduced to its digits and keyed (never shown): repeat callers are found by it, by a
    # login that may not read the number itself.
    phone_key: Mapped[str | None] = mapped_column(String(64), index=True, deferred=True)

    call: Mapped[Call | None] = relationship(back_populates="tickets")
    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", cascade="all, delete-orphan",
                                                     order_by="TicketEvent.id")
    corrections: Mapped[list[FieldCorrection]] = relationship(back_populates="ticket", cascade="all, delete-orphan")

    @validates("phone")
    def _keyed(self, _key: str, phone: str | None) -> str | None:
        """Whoever sets the number sets its lookup key with it."""
        self.phone_key = phone_key(phone)
        return phone


class TicketEvent(Base):
    """Audit log: state changes, edits and every full read of personal data."""

    __tablename__ = "ticket_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(20))  # create | transition | edit | read_personal | reroute | merge …
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    # What else the event changed, e.g. {"unit": ["from", "to"]} for a re-routing or {"repeat_of": "number"}.
    detail: Mapped[dict | None] = mapped_column(JSON)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class FieldCorrection(Base):
    """A drafted field someone changed: the value the models drafted, the one kept, who kept it, when, and which
    models drafted it. One row per ticket and field, the last confirmed value: the data ``hotline learn``
    retrains on."""

    __tablename__ = "field_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    drafted_value: Mapped[str | None] = mapped_column(Text)
    confirmed_value: Mapped[str | None] = mapped_column(Text)
    model_version: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The audit log's actor (接线员0815, a supervisor's name); empty only for rows older than the column.
    actor: Mapped[str | None] = mapped_column(String(50))

    ticket: Mapped[Ticket] = relationship(back_populates="corrections")


class Review(Base):
    """A supervisor's QA review of a call: each checklist item as judged from the transcript and as the reviewer
    confirmed it, the score, who reviewed and when."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"), index=True)
    operator_id: Mapped[str | None] = mapped_column(String(20), index=True)  # whose call was reviewed
    reviewer: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    score: Mapped[float] = mapped_column(Float)  # share of the checklist passed, 0–100
    items: Mapped[list] = mapped_column(JSON, default=list)  # [{"check", "auto", "passed", "evidence", "note"}]
    comment: Mapped[str | None] = mapped_column(Text)
