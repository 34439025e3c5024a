"""display keys: one secret per waiting-area display, only its SHA-256 stored

Revision ID: 0003_display_keys
Revises: 0002_queue
Create Date: 2026-11-23 12:35:04.480755
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0003_display_keys"
down_revision: str | None = "0002_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "display_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column(
            "revoked_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_display_key_key_hash")),
    )


def downgrade() -> None:
    op.drop_table("display_key")
