"""Quarantined webhook bodies, sender processes and the owners of their claims, payment
replies and their claims, the inbox backlog index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Bring the schema from ``down_revision`` to this revision."""
    op.create_table(
        "waflow_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    with op.batch_alter_table("waflow_quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_quarantine_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_sender",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("pid_started", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("waflow_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_reply_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("payment_claimed_until", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("payment_failures", sa.Integer(), nullable=True))

    with op.batch_alter_table("waflow_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=32), nullable=True))

    backlog = sa.text("state IN ('pending', 'failed')")  # storage.models.INBOUND_BACKLOG
    op.create_index(
        "ix_waflow_inbound_backlog",
        "waflow_inbound",
        ["state", "id"],
        sqlite_where=backlog,
        postgresql_where=backlog,
    )


def downgrade() -> None:
    """Undo :func:`upgrade`."""
    op.drop_index("ix_waflow_inbound_backlog", table_name="waflow_inbound")
    with op.batch_alter_table("waflow_outbox", schema=None) as batch_op:
        batch_op.drop_column("owner")

    with op.batch_alter_table("waflow_order", schema=None) as batch_op:
        batch_op.drop_column("payment_failures")
        batch_op.drop_column("payment_claimed_until")
        batch_op.drop_column("payment_reply_id")

    op.drop_table("waflow_sender")
    with op.batch_alter_table("waflow_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_quarantine_wa_id"))

    op.drop_table("waflow_quarantine")
