"""Human handoff: tickets and their transcripts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

`handoff_tickets` holds a conversation handed to a person, with the summary an agent reads first;
`handoff_transcript_entries` every message, as written and translated (bot.handoff).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoff_tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("agent_language", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=100), nullable=True),
        sa.Column("claim_type", sa.String(length=24), nullable=True),
        sa.Column("order_number", sa.String(length=32), nullable=True),
        sa.Column("customer_tier", sa.String(length=16), nullable=True),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("offer", sa.JSON(), nullable=True),
        sa.Column("policy_reason", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_handoff_tickets_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_tickets")),
    )
    op.create_index(op.f("ix_handoff_tickets_case_id"), "handoff_tickets", ["case_id"])
    op.create_index(op.f("ix_handoff_tickets_conversation_id"), "handoff_tickets", ["conversation_id"])
    op.create_table(
        "handoff_transcript_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("translated_text", sa.Text(), nullable=True),
        sa.Column("translated_language", sa.String(length=16), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["handoff_tickets.id"],
            name=op.f("fk_handoff_transcript_entries_ticket_id_handoff_tickets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_transcript_entries")),
        sa.UniqueConstraint("ticket_id", "position", name=op.f("uq_handoff_transcript_entries_ticket_id")),
    )
    op.create_index(
        op.f("ix_handoff_transcript_entries_ticket_id"), "handoff_transcript_entries", ["ticket_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_transcript_entries_ticket_id"), table_name="handoff_transcript_entries")
    op.drop_table("handoff_transcript_entries")
    op.drop_index(op.f("ix_handoff_tickets_conversation_id"), table_name="handoff_tickets")
    op.drop_index(op.f("ix_handoff_tickets_case_id"), table_name="handoff_tickets")
    op.drop_table("handoff_tickets")
