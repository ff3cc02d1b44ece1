"""field_correction.actor: who changed the drafted value

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 09:00:00

Rows written before the column get the actor of the ticket's create or edit event written with them (the same
transaction gave both the same time); a row with no such event keeps an empty actor.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("field_correction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=50), nullable=True))
    op.execute(
        "UPDATE field_correction SET actor = ("
        " SELECT e.actor FROM ticket_event e"
        " WHERE e.ticket_id = field_correction.ticket_id AND e.at = field_correction.at"
        " AND e.action IN ('create', 'edit') ORDER BY e.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("field_correction", schema=None) as batch_op:
        batch_op.drop_column("actor")
