"""list order indexes: urgent tickets first, tickets late on dispatch

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 19:00:00

Lists put the taxonomy's urgent tickets first; each part of a list is read along an index (``listing.py``):
urgent tickets newest first by ``(urgency, created_at)``, and tickets still at the centre by their dispatch
deadline ``(status, dispatch_deadline)`` for the overdue list.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_urgency_created", ["urgency", "created_at"], unique=False)
        batch_op.create_index("ix_ticket_status_dispatch", ["status", "dispatch_deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_status_dispatch")
        batch_op.drop_index("ix_ticket_urgency_created")
