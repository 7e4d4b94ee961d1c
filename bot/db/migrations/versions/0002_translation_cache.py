"""Translation cache: machine translations shared by every process.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

One row per (provider, source language, target language, sha256 of the text); the unique
constraint lets concurrent writers of the same translation collide harmlessly.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "translation_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("source_lang", sa.String(length=16), nullable=False),
        sa.Column("target_lang", sa.String(length=16), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("translated_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_cache")),
        sa.UniqueConstraint(
            "provider",
            "source_lang",
            "target_lang",
            "source_hash",
            name=op.f("uq_translation_cache_provider"),
        ),
    )


def downgrade() -> None:
    op.drop_table("translation_cache")
