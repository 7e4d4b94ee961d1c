"""Messaging channels: processed platform messages and per-customer channel state.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

`processed_messages` makes a platform's repeated delivery of a webhook a no-op across processes
and restarts; `channel_contacts` keeps, per (channel, customer), the time of their last message
(the 24-hour customer-service window) and the choices last offered as numbers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_messages")),
        sa.UniqueConstraint("channel", "message_id", name=op.f("uq_processed_messages_channel")),
    )
    op.create_table(
        "channel_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.String(length=255), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(), nullable=True),
        sa.Column("choices", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_contacts")),
        sa.UniqueConstraint("channel", "recipient_id", name=op.f("uq_channel_contacts_channel")),
    )


def downgrade() -> None:
    op.drop_table("channel_contacts")
    op.drop_table("processed_messages")
