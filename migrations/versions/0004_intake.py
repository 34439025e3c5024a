"""claim-document intake: files, their append-only entries, handover batches, pickups

Revision ID: 0004_intake
Revises: 0003_display_keys
Create Date: 2026-11-23 16:01:51.118379
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0004_intake"
down_revision: str | None = "0003_display_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "day_counter",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", "period", name=op.f("pk_day_counter")),
    )
    op.create_table(
        "handover_batch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column(
            "created_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column(
            "confirmed_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_batch")),
        sa.UniqueConstraint("number", name=op.f("uq_handover_batch_number")),
    )
    op.create_table(
        "pickup_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_number", sa.String(length=40), nullable=False),
        sa.Column("contact_name", sa.String(length=64), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column(
            "window_start", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "window_end", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_request")),
    )
    with op.batch_alter_table("pickup_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pickup_request_claim_number"), ["claim_number"], unique=False
        )
        batch_op.create_index("ix_pickup_request_open", ["state", "window_end"], unique=False)

    op.create_table(
        "intake_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_number", sa.String(length=40), nullable=False),
        sa.Column("receipt_number", sa.String(length=24), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("claim_type", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("tracking_number", sa.String(length=40), nullable=False),
        sa.Column("submitter_name", sa.String(length=64), nullable=False),
        sa.Column("submitter_phone", sa.String(length=20), nullable=False),
        sa.Column("submitter_relation", sa.String(length=16), nullable=False),
        sa.Column("submitter_id_number", sa.String(length=24), nullable=False),
        sa.Column("plate", sa.String(length=16), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column(
            "opened_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("missing_count", sa.Integer(), nullable=False),
        sa.Column(
            "completed_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("completed_by", sa.String(length=64), nullable=True),
        sa.Column("archive_location", sa.String(length=64), nullable=True),
        sa.Column("handover_batch_id", sa.Uuid(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
            name=op.f("fk_intake_file_template_id_checklist_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_file")),
        sa.UniqueConstraint("claim_number", name=op.f("uq_intake_file_claim_number")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_intake_file_receipt_number")),
    )
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.create_index("ix_intake_file_followup", ["status", "due"], unique=False)
        batch_op.create_index("ix_intake_file_status_opened", ["status", "opened_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_file_opened_at"), ["opened_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_intake_file_plate"), ["plate"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_intake_file_submitter_name"), ["submitter_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_intake_file_submitter_phone"), ["submitter_phone"], unique=False
        )

    op.create_table(
        "intake_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("refers_to", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"], ["intake_file.id"], name=op.f("fk_intake_entry_file_id_intake_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_entry")),
        sa.UniqueConstraint("file_id", "seq", name=op.f("uq_intake_entry_file_id")),
    )
    with op.batch_alter_table("intake_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intake_entry_business_day"), ["business_day"], unique=False
        )

    with op.batch_alter_table("checklist_template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=False, server_default="[]"))
    # A file's story is append-only: corrections are new entries, so nothing may rewrite one.
    for name, event in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON intake_entry "
            "BEGIN SELECT RAISE(ABORT, 'intake_entry is append-only'); END"
        )


APPEND_ONLY = (("intake_entry_no_update", "UPDATE"), ("intake_entry_no_delete", "DELETE"))


def downgrade() -> None:
    for name, _event in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("checklist_template", schema=None) as batch_op:
        batch_op.drop_column("facts")

    with op.batch_alter_table("intake_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_entry_business_day"))

    op.drop_table("intake_entry")
    with op.batch_alter_table("intake_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_file_submitter_phone"))
        batch_op.drop_index(batch_op.f("ix_intake_file_submitter_name"))
        batch_op.drop_index(batch_op.f("ix_intake_file_plate"))
        batch_op.drop_index(batch_op.f("ix_intake_file_opened_at"))
        batch_op.drop_index("ix_intake_file_status_opened")
        batch_op.drop_index("ix_intake_file_followup")

    op.drop_table("intake_file")
    with op.batch_alter_table("pickup_request", schema=None) as batch_op:
        batch_op.drop_index("ix_pickup_request_open")
        batch_op.drop_index(batch_op.f("ix_pickup_request_claim_number"))

    op.drop_table("pickup_request")
    op.drop_table("handover_batch")
    op.drop_table("day_counter")
