"""outbox to head office: every change of a table sent up, captured by triggers

Revision ID: 0007_outbox
Revises: 0006_policy_printing
Create Date: 2026-11-23 18:34:37.355987
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_outbox"
down_revision: str | None = "0006_policy_printing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables sent up at this revision and their primary keys (counter_app.sync.tables.UP).
SENT_UP: dict[str, tuple[str, ...]] = {
    "audit_entry": ("seq",),
    "ticket": ("id",),
    "ticket_transition": ("id",),
    "call_request": ("key",),
    "rating": ("id",),
    "appointment": ("id",),
    "intake_file": ("id",),
    "intake_entry": ("id",),
    "handover_batch": ("id",),
    "pickup_request": ("id",),
    "policy_document": ("number",),
    "print_job": ("id",),
    "blank_form_serial": ("form_type", "serial"),
    "blank_form_movement": ("id",),
    "blank_form_tally": (
        "business_day",
        "form_type",
        "move",
        "holder",
        "before_holder",
        "before_state",
    ),
}
EVENTS = (
    ("insert", "INSERT", "NEW", "I"),
    ("update", "UPDATE", "NEW", "U"),
    ("delete", "DELETE", "OLD", "D"),
)


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("op", sa.String(length=1), nullable=False),
        sa.Column("batch", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_outbox_batch"), ["batch"], unique=False)
    # Triggers, not application code: a raw or bulk write (the blank-form ledger's bulk
    # statements, a repair with the sqlite3 shell) is captured as surely as an ORM one.
    for table, key in SENT_UP.items():
        for name, event, row, code in EVENTS:
            values = ", ".join(f"{row}.{column}" for column in key)
            op.execute(
                f"CREATE TRIGGER outbox_{table}_{name} AFTER {event} ON {table} BEGIN "
                f"INSERT INTO sync_outbox (table_name, row_key, op) "
                f"VALUES ('{table}', json_array({values}), '{code}'); END"
            )
    # What the branch held before this revision goes up too, once.
    for table, key in SENT_UP.items():
        columns = ", ".join(key)
        op.execute(
            f"INSERT INTO sync_outbox (table_name, row_key, op) "
            f"SELECT '{table}', json_array({columns}), 'I' FROM {table}"
        )


def downgrade() -> None:
    for table in SENT_UP:
        for name, *_rest in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS outbox_{table}_{name}")
    op.drop_table("sync_outbox")
