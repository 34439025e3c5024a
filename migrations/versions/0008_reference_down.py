"""reference data down: clock stamps on reference rows, allotments, branch edits sent up

Revision ID: 0008_reference_down
Revises: 0007_outbox
Create Date: 2026-11-23 21:12:44.789022
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0008_reference_down"
down_revision: str | None = "0007_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Reference tables at this revision and their primary keys (counter_app.sync.tables.DOWN).
REFERENCE: dict[str, tuple[str, ...]] = {
    "service_type": ("id",),
    "counter_window": ("id",),
    "window_service": ("window_id", "service_type_id"),
    "service_staff": ("service_type_id", "staff_id"),
    "checklist_template": ("id",),
    "staff": ("id",),
    "staff_role": ("staff_id", "role"),
    "printer": ("id",),
    "form_type": ("code",),
    "form_allotment": ("id",),
}
STAMPED = [name for name in REFERENCE if name != "form_allotment"]  # made with its stamp
# Now sent up like the other branch-made tables (0007_outbox's triggers).
RECEIPTS = {"blank_form_allocation": ("id",)}
EVENTS = (
    ("insert", "INSERT", "NEW", "I"),
    ("update", "UPDATE", "NEW", "U"),
    ("delete", "DELETE", "OLD", "D"),
)
# Set by the hub, inside its own write transaction, while it applies a publication: those
# writes are head office's, and sending them back up as branch edits would echo them.
APPLYING = "NOT EXISTS (SELECT 1 FROM hub_meta WHERE key = 'sync.applying')"


def upgrade() -> None:
    op.create_table(
        "form_allotment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("form_type", sa.String(length=32), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column(
            "allotted_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("hlc", sa.String(length=24), server_default="", nullable=False),
        sa.Column("origin", sa.String(length=16), server_default="branch", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_allotment")),
    )
    for table in STAMPED:
        # ADD COLUMN in place: no table copy, so a big staff list or a busy hub is not held up.
        op.add_column(table, sa.Column("hlc", sa.String(24), server_default="", nullable=False))
        op.add_column(
            table, sa.Column("origin", sa.String(16), server_default="branch", nullable=False)
        )
    for table, key in REFERENCE.items():
        _capture(table, key, f"WHEN {APPLYING} ")
    for table, key in RECEIPTS.items():
        _capture(table, key, "")
    # What the branch holds already goes up once: its edits and its receipts so far.
    for table, key in (*REFERENCE.items(), *RECEIPTS.items()):
        columns = ", ".join(key)
        op.execute(
            f"INSERT INTO sync_outbox (table_name, row_key, op) "
            f"SELECT '{table}', json_array({columns}), 'I' FROM {table}"
        )


def _capture(table: str, key: tuple[str, ...], when: str) -> None:
    for name, event, row, code in EVENTS:
        values = ", ".join(f"{row}.{column}" for column in key)
        op.execute(
            f"CREATE TRIGGER outbox_{table}_{name} AFTER {event} ON {table} {when}BEGIN "
            f"INSERT INTO sync_outbox (table_name, row_key, op) "
            f"VALUES ('{table}', json_array({values}), '{code}'); END"
        )


def downgrade() -> None:
    for table in (*REFERENCE, *RECEIPTS):
        for name, *_rest in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS outbox_{table}_{name}")
    for table in STAMPED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("origin")
            batch_op.drop_column("hlc")
    op.drop_table("form_allotment")
