"""policy documents and print jobs

Revision ID: 0006_policy_printing
Revises: 0005_blank_forms
Create Date: 2026-11-23 17:47:08.912433
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0006_policy_printing"
down_revision: str | None = "0005_blank_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blank_form_tally",
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("form_type", sa.String(length=32), nullable=False),
        sa.Column("move", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("before_holder", sa.String(length=64), nullable=False),
        sa.Column("before_state", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_type"], ["form_type.code"], name=op.f("fk_blank_form_tally_form_type_form_type")
        ),
        sa.PrimaryKeyConstraint(
            "business_day",
            "form_type",
            "move",
            "holder",
            "before_holder",
            "before_state",
            name=op.f("pk_blank_form_tally"),
        ),
    )
    # The moves made before this revision, counted once.
    op.execute(
        "INSERT INTO blank_form_tally SELECT business_day, form_type, move, holder, "
        "before_holder, coalesce(before_state, ''), count(*) FROM blank_form_movement "
        "GROUP BY business_day, form_type, move, holder, before_holder, before_state"
    )
    with op.batch_alter_table("blank_form_serial", schema=None) as batch_op:
        batch_op.drop_index("ix_blank_form_serial_holder")
        batch_op.create_index(
            "ix_blank_form_serial_holder", ["form_type", "holder", "state", "serial"], unique=False
        )
    op.create_table(
        "policy_document",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("product", sa.String(length=16), nullable=False),
        sa.Column("policy_number", sa.String(length=40), nullable=False),
        sa.Column("insured_name", sa.String(length=200), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column(
            "imported_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column(
            "printed_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_policy_document")),
    )
    with op.batch_alter_table("policy_document", schema=None) as batch_op:
        batch_op.create_index("ix_policy_document_plate", ["plate"], unique=False)
        batch_op.create_index("ix_policy_document_policy", ["policy_number"], unique=False)

    op.create_table(
        "print_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document", sa.String(length=40), nullable=False),
        sa.Column("layout", sa.String(length=64), nullable=False),
        sa.Column("form_type", sa.String(length=32), nullable=True),
        sa.Column("serial", sa.String(length=40), nullable=True),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("printer", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reprint_reason", sa.String(length=200), nullable=False),
        sa.Column("reprint_of", sa.Uuid(), nullable=True),
        sa.Column("error", sa.String(length=400), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["document"],
            ["policy_document.number"],
            name=op.f("fk_print_job_document_policy_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_job")),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index("ix_print_job_clerk", ["clerk", "state"], unique=False)
        batch_op.create_index("ix_print_job_document", ["document"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("blank_form_serial", schema=None) as batch_op:
        batch_op.drop_index("ix_blank_form_serial_holder")
        batch_op.create_index(
            "ix_blank_form_serial_holder", ["form_type", "holder", "state"], unique=False
        )
    op.drop_table("blank_form_tally")
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index("ix_print_job_document")
        batch_op.drop_index("ix_print_job_clerk")

    op.drop_table("print_job")
    with op.batch_alter_table("policy_document", schema=None) as batch_op:
        batch_op.drop_index("ix_policy_document_policy")
        batch_op.drop_index("ix_policy_document_plate")

    op.drop_table("policy_document")
