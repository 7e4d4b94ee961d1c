"""Agent console: who decided a resolution, who wrote an agent message and how it was delivered,
and how much of the conversation's tracker a ticket has read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

`resolutions.decided_by`: the agent who approved or changed a remedy (null: the customer's own
choice).  `handoff_transcript_entries.author` / `delivery`: an agent message's author and
delivery result.  `handoff_tickets.tracker_events_read`: the number of tracker events already
copied into the transcript (bot.handoff.console), null before the first read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resolutions", sa.Column("decided_by", sa.String(length=100), nullable=True))
    op.add_column("handoff_tickets", sa.Column("tracker_events_read", sa.Integer(), nullable=True))
    op.add_column("handoff_transcript_entries", sa.Column("author", sa.String(length=100), nullable=True))
    op.add_column("handoff_transcript_entries", sa.Column("delivery", sa.String(length=24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_transcript_entries") as batch:
        batch.drop_column("delivery")
        batch.drop_column("author")
    with op.batch_alter_table("handoff_tickets") as batch:
        batch.drop_column("tracker_events_read")
    with op.batch_alter_table("resolutions") as batch:
        batch.drop_column("decided_by")
