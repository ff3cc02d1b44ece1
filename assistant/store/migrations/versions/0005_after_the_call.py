"""after the call: dispatch and finish times, the unit's reply, the return visit, 并单, phone key, reviews

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 18:00:00

Tickets get the times they were dispatched and finished, the unit's reply, how the return visit reached the
caller with the satisfaction and comment, the open ticket a repeat was merged into, and the caller's number as
a lookup key (``privacy.phone_key``), filled in here for the tickets already stored. Events get a ``detail``
(what a re-routing or merge changed). QA reviews move into the database, linked to the call and ticket.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _phone_key(phone):
    """``assistant.store.privacy.phone_key`` as of this revision: a migration does not follow later changes."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if len(digits) < 5:
        return None
    return hashlib.sha256(f"hotline-phone:{digits}".encode()).hexdigest()


def upgrade() -> None:
    # Plain ADD COLUMN, no batch: on SQLite a batch copies the table, and dropping the old ``ticket`` would
    # cascade to its events and corrections.
    op.add_column("ticket", sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("ticket", sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("ticket", sa.Column("reply", sa.Text(), nullable=True))
    op.add_column("ticket", sa.Column("visit_method", sa.String(length=20), nullable=True))
    op.add_column("ticket", sa.Column("satisfaction", sa.String(length=10), nullable=True))
    op.add_column("ticket", sa.Column("visit_comment", sa.Text(), nullable=True))
    op.add_column("ticket", sa.Column("visited_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column's reference only in its own ALTER form
        op.execute("ALTER TABLE ticket ADD COLUMN repeat_of_id INTEGER"
                   " CONSTRAINT fk_ticket_repeat_of REFERENCES ticket (id)")
    else:
        op.add_column("ticket", sa.Column("repeat_of_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_ticket_repeat_of", "ticket", "ticket", ["repeat_of_id"], ["id"])
    op.add_column("ticket", sa.Column("phone_key", sa.String(length=64), nullable=True))
    op.create_index("ix_ticket_repeat_of_id", "ticket", ["repeat_of_id"])
    op.create_index("ix_ticket_phone_key", "ticket", ["phone_key"])
    op.create_index("ix_ticket_unit_category_status", "ticket", ["unit", "category", "status"])
    op.add_column("ticket_event", sa.Column("detail", sa.JSON(), nullable=True))
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("call.id", ondelete="CASCADE"), nullable=True),
        sa.Column("ticket_id", sa.Integer(), sa.ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True),
        sa.Column("operator_id", sa.String(length=20), nullable=True),
        sa.Column("reviewer", sa.String(length=50), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
    )
    op.create_index("ix_review_call_id", "review", ["call_id"])
    op.create_index("ix_review_ticket_id", "review", ["ticket_id"])
    op.create_index("ix_review_operator_id", "review", ["operator_id"])
    op.create_index("ix_review_at", "review", ["at"])
    connection = op.get_bind()
    ticket = sa.table("ticket", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                      sa.column("phone_key", sa.String))
    rows = connection.execute(sa.select(ticket.c.id, ticket.c.phone).where(ticket.c.phone.isnot(None))).all()
    keys = [{"key_id": row.id, "key": _phone_key(row.phone)} for row in rows if _phone_key(row.phone)]
    if keys:
        connection.execute(ticket.update().where(ticket.c.id == sa.bindparam("key_id"))
                           .values(phone_key=sa.bindparam("key")), keys)


def downgrade() -> None:
    op.drop_table("review")
    op.drop_index("ix_ticket_unit_category_status", table_name="ticket")
    op.drop_index("ix_ticket_phone_key", table_name="ticket")
    op.drop_index("ix_ticket_repeat_of_id", table_name="ticket")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_ticket_repeat_of", "ticket", type_="foreignkey")
    # SQLite 3.35+ drops a plain column in place (the reference included), without copying the table.
    op.drop_column("ticket_event", "detail")
    for column in ("phone_key", "repeat_of_id", "visited_at", "visit_comment", "satisfaction", "visit_method",
                   "reply", "done_at", "dispatched_at"):
        op.drop_column("ticket", column)
