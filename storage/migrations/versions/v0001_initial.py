"""The schema of the last release before migrations (every built-in feature's tables).

A database made by that release has these tables and no revision: ``create_schema`` stamps it
with this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Bring the schema from ``down_revision`` to this revision."""
    op.create_table(
        "waflow_audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("staff_email", sa.String(length=254), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_waflow_audit_event_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "waflow_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("price", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.String(length=16), nullable=True),
        sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_booking", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_booking_start_at"), ["start_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_waflow_booking_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("template", sa.String(length=512), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("segment", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("audience", sa.Integer(), nullable=True),
        sa.Column("cursor", sa.Integer(), nullable=False),
        sa.Column("expanded", sa.Boolean(), nullable=False),
        sa.Column("next_slot_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_broadcast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_broadcast_state"), ["state"], unique=False)

    op.create_table(
        "waflow_cart_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wa_id", "product_id", name="uq_waflow_cart_line"),
    )
    with op.batch_alter_table("waflow_cart_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_cart_line_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("opted", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_consent_event", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_consent_event_wa_id_at", ["wa_id", "at"], unique=False)

    op.create_table(
        "waflow_console_secret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waflow_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=256), nullable=True),
        sa.Column("name", sa.String(length=256), nullable=True),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marketing_opt_out", sa.Boolean(), nullable=False),
        sa.Column("marketing_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wa_id"),
    )
    with op.batch_alter_table("waflow_contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_contact_user_id"), ["user_id"], unique=False)

    op.create_table(
        "waflow_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=128), nullable=True),
        sa.Column("flow_version", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=128), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("call_stack", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wa_id"),
    )
    op.create_table(
        "waflow_customer_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wa_id", "tag", name="uq_waflow_customer_tag"),
    )
    with op.batch_alter_table("waflow_customer_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_customer_tag_tag"), ["tag"], unique=False)
        batch_op.create_index(batch_op.f("ix_waflow_customer_tag_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_flow_step",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("flow", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_flow_step", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_flow_step_flow_at", ["flow", "at"], unique=False)

    op.create_table(
        "waflow_handoff_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_handoff_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_handoff_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_waflow_handoff_event_wa_id_at", ["wa_id", "at"], unique=False)

    op.create_table(
        "waflow_inbound",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=True),
        sa.Column("phone_number_id", sa.String(length=64), nullable=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    with op.batch_alter_table("waflow_inbound", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_inbound_pending", ["wa_id", "state", "id"], unique=False)

    op.create_table(
        "waflow_inbox_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_inbox_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_inbox_note_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_inbox_thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("read_up_to", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wa_id"),
    )
    op.create_table(
        "waflow_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fulfilment", sa.String(length=16), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("location_name", sa.String(length=256), nullable=True),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("delivery_fee", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("payment_reference", sa.String(length=255), nullable=True),
        sa.Column("payment_url", sa.Text(), nullable=True),
        sa.Column("tracking_url", sa.Text(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("waflow_order", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_order_expiry", ["status", "expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_waflow_order_payment_reference"), ["payment_reference"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_waflow_order_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("fallback", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease", sa.String(length=32), nullable=True),
        sa.Column("wamid", sa.String(length=200), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("inbound_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_outbox_due", ["state", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_waflow_outbox_wa_id"), ["wa_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_waflow_outbox_wamid"), ["wamid"], unique=False)

    op.create_table(
        "waflow_payment_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("order_number", sa.String(length=16), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "event_id", name="uq_waflow_payment_event"),
    )
    op.create_table(
        "waflow_privacy_purge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waflow_privacy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("link_hash", sa.String(length=64), nullable=True),
        sa.Column("link_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("link_hash"),
    )
    with op.batch_alter_table("waflow_privacy_request", schema=None) as batch_op:
        batch_op.create_index("ix_waflow_privacy_request_state", ["state", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_waflow_privacy_request_wa_id"), ["wa_id"], unique=False
        )

    op.create_table(
        "waflow_read_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("typing", sa.Boolean(), nullable=False),
        sa.Column("inbound_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waflow_saved_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "waflow_staff_reply",
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("outbox_id"),
    )
    op.create_table(
        "waflow_staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "waflow_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wamid", sa.String(length=200), nullable=False),
        sa.Column("recipient_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("pricing", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wamid", name="uq_waflow_status_wamid"),
    )
    op.create_table(
        "waflow_stock",
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("product_id"),
    )
    op.create_table(
        "waflow_survey_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey", sa.String(length=64), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey", "wa_id", "ref", name="uq_waflow_survey_invite"),
    )
    with op.batch_alter_table("waflow_survey_invite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waflow_survey_invite_wa_id"), ["wa_id"], unique=False)

    op.create_table(
        "waflow_survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey", sa.String(length=64), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("once_key", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("ref", sa.String(length=128), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("survey", "once_key", name="uq_waflow_survey_once"),
    )
    with op.batch_alter_table("waflow_survey_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_survey_response_survey"), ["survey"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waflow_survey_response_wa_id"), ["wa_id"], unique=False
        )

    op.create_table(
        "waflow_booking_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("cell_start", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["waflow_booking.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource", "cell_start", name="uq_waflow_booking_cell"),
    )
    with op.batch_alter_table("waflow_booking_cell", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_booking_cell_booking_id"), ["booking_id"], unique=False
        )

    op.create_table(
        "waflow_broadcast_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("wa_id", sa.String(length=64), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stop_recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["broadcast_id"], ["waflow_broadcast.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("broadcast_id", "wa_id", name="uq_waflow_broadcast_recipient"),
    )
    with op.batch_alter_table("waflow_broadcast_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_broadcast_recipient_broadcast_id"), ["broadcast_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waflow_broadcast_recipient_outbox_id"), ["outbox_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waflow_broadcast_recipient_wa_id"), ["wa_id"], unique=False
        )

    op.create_table(
        "waflow_order_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tracking_url", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["waflow_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_order_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_order_event_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "waflow_order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["waflow_order.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("waflow_order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_order_line_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "waflow_staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["waflow_staff_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("waflow_staff_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_staff_session_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "waflow_survey_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("survey", sa.String(length=64), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value_int", sa.Integer(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["waflow_survey_response.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("response_id", "question", name="uq_waflow_survey_answer"),
    )
    with op.batch_alter_table("waflow_survey_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_waflow_survey_answer_response_id"), ["response_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_waflow_survey_answer_survey"), ["survey"], unique=False
        )


def downgrade() -> None:
    """Undo :func:`upgrade`."""
    with op.batch_alter_table("waflow_survey_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_survey_answer_survey"))
        batch_op.drop_index(batch_op.f("ix_waflow_survey_answer_response_id"))

    op.drop_table("waflow_survey_answer")
    with op.batch_alter_table("waflow_staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_staff_session_staff_id"))

    op.drop_table("waflow_staff_session")
    with op.batch_alter_table("waflow_order_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_order_line_order_id"))

    op.drop_table("waflow_order_line")
    with op.batch_alter_table("waflow_order_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_order_event_order_id"))

    op.drop_table("waflow_order_event")
    with op.batch_alter_table("waflow_broadcast_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_broadcast_recipient_wa_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_broadcast_recipient_outbox_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_broadcast_recipient_broadcast_id"))

    op.drop_table("waflow_broadcast_recipient")
    with op.batch_alter_table("waflow_booking_cell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_booking_cell_booking_id"))

    op.drop_table("waflow_booking_cell")
    with op.batch_alter_table("waflow_survey_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_survey_response_wa_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_survey_response_survey"))

    op.drop_table("waflow_survey_response")
    with op.batch_alter_table("waflow_survey_invite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_survey_invite_wa_id"))

    op.drop_table("waflow_survey_invite")
    op.drop_table("waflow_stock")
    op.drop_table("waflow_status")
    op.drop_table("waflow_staff_user")
    op.drop_table("waflow_staff_reply")
    op.drop_table("waflow_saved_reply")
    op.drop_table("waflow_read_receipt")
    with op.batch_alter_table("waflow_privacy_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_privacy_request_wa_id"))
        batch_op.drop_index("ix_waflow_privacy_request_state")

    op.drop_table("waflow_privacy_request")
    op.drop_table("waflow_privacy_purge")
    op.drop_table("waflow_payment_event")
    with op.batch_alter_table("waflow_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_outbox_wamid"))
        batch_op.drop_index(batch_op.f("ix_waflow_outbox_wa_id"))
        batch_op.drop_index("ix_waflow_outbox_due")

    op.drop_table("waflow_outbox")
    with op.batch_alter_table("waflow_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_order_wa_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_order_payment_reference"))
        batch_op.drop_index("ix_waflow_order_expiry")

    op.drop_table("waflow_order")
    op.drop_table("waflow_inbox_thread")
    with op.batch_alter_table("waflow_inbox_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_inbox_note_wa_id"))

    op.drop_table("waflow_inbox_note")
    with op.batch_alter_table("waflow_inbound", schema=None) as batch_op:
        batch_op.drop_index("ix_waflow_inbound_pending")

    op.drop_table("waflow_inbound")
    with op.batch_alter_table("waflow_handoff_event", schema=None) as batch_op:
        batch_op.drop_index("ix_waflow_handoff_event_wa_id_at")
        batch_op.drop_index(batch_op.f("ix_waflow_handoff_event_at"))

    op.drop_table("waflow_handoff_event")
    with op.batch_alter_table("waflow_flow_step", schema=None) as batch_op:
        batch_op.drop_index("ix_waflow_flow_step_flow_at")

    op.drop_table("waflow_flow_step")
    with op.batch_alter_table("waflow_customer_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_customer_tag_wa_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_customer_tag_tag"))

    op.drop_table("waflow_customer_tag")
    op.drop_table("waflow_conversation")
    with op.batch_alter_table("waflow_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_contact_user_id"))

    op.drop_table("waflow_contact")
    op.drop_table("waflow_console_secret")
    with op.batch_alter_table("waflow_consent_event", schema=None) as batch_op:
        batch_op.drop_index("ix_waflow_consent_event_wa_id_at")

    op.drop_table("waflow_consent_event")
    with op.batch_alter_table("waflow_cart_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_cart_line_wa_id"))

    op.drop_table("waflow_cart_line")
    with op.batch_alter_table("waflow_broadcast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_broadcast_state"))

    op.drop_table("waflow_broadcast")
    with op.batch_alter_table("waflow_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_booking_wa_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_booking_start_at"))

    op.drop_table("waflow_booking")
    with op.batch_alter_table("waflow_audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waflow_audit_event_staff_id"))
        batch_op.drop_index(batch_op.f("ix_waflow_audit_event_at"))

    op.drop_table("waflow_audit_event")
