"""blank-form ledger: form types, allocations, serials, append-only movements

Revision ID: 0005_blank_forms
Revises: 0004_intake
Create Date: 2026-11-23 17:19:31.640841
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0005_blank_forms"
down_revision: str | None = "0004_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_type",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_form_type")),
    )
    op.create_table(
        "blank_form_allocation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("form_type", sa.String(length=32), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column(
            "received_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_type"],
            ["form_type.code"],
            name=op.f("fk_blank_form_allocation_form_type_form_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blank_form_allocation")),
    )
    with op.batch_alter_table("blank_form_allocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_blank_form_allocation_form_type"), ["form_type"], unique=False
        )

    op.create_table(
        "blank_form_movement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("form_type", sa.String(length=32), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("before_holder", sa.String(length=64), nullable=False),
        sa.Column("before_state", sa.String(length=16), nullable=True),
        sa.Column("policy_number", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_type"],
            ["form_type.code"],
            name=op.f("fk_blank_form_movement_form_type_form_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blank_form_movement")),
    )
    with op.batch_alter_table("blank_form_movement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_blank_form_movement_day", ["business_day", "form_type"], unique=False
        )

    op.create_table(
        "blank_form_serial",
        sa.Column("form_type", sa.String(length=32), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("policy_number", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_type"], ["form_type.code"], name=op.f("fk_blank_form_serial_form_type_form_type")
        ),
        sa.PrimaryKeyConstraint("form_type", "serial", name=op.f("pk_blank_form_serial")),
    )
    with op.batch_alter_table("blank_form_serial", schema=None) as batch_op:
        batch_op.create_index(
            "ix_blank_form_serial_holder", ["form_type", "holder", "state"], unique=False
        )
    # Movements are the ledger's history: a correction is a new move, never a rewrite.
    for name, event in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON blank_form_movement "
            "BEGIN SELECT RAISE(ABORT, 'blank_form_movement is append-only'); END"
        )


APPEND_ONLY = (
    ("blank_form_movement_no_update", "UPDATE"),
    ("blank_form_movement_no_delete", "DELETE"),
)


def downgrade() -> None:
    for name, _event in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("blank_form_serial", schema=None) as batch_op:
        batch_op.drop_index("ix_blank_form_serial_holder")

    op.drop_table("blank_form_serial")
    with op.batch_alter_table("blank_form_movement", schema=None) as batch_op:
        batch_op.drop_index("ix_blank_form_movement_day")

    op.drop_table("blank_form_movement")
    with op.batch_alter_table("blank_form_allocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blank_form_allocation_form_type"))

    op.drop_table("blank_form_allocation")
    op.drop_table("form_type")
