"""queue: tickets, windows, calls, ratings, appointments

Revision ID: 0002_queue
Revises: 0001_foundation
Create Date: 2026-11-23 12:19:10.756562
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import counter_app.storage.types

revision: str = "0002_queue"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The waiting count per service and day follows every change of a ticket (see QueueCount).
CALLABLE = "('waiting', 'transferred')"
BUMP = """INSERT INTO queue_count (service_type_id, business_day, waiting)
    VALUES (NEW.service_type_id, NEW.business_day, 1)
    ON CONFLICT (service_type_id, business_day) DO UPDATE SET waiting = waiting + 1;"""
DROP = """UPDATE queue_count SET waiting = waiting - 1
    WHERE service_type_id = OLD.service_type_id AND business_day = OLD.business_day;"""
TRIGGERS = {
    "ticket_count_insert": f"AFTER INSERT ON ticket WHEN NEW.state IN {CALLABLE} BEGIN {BUMP} END",
    "ticket_count_leave": (
        f"AFTER UPDATE OF state, service_type_id ON ticket WHEN OLD.state IN {CALLABLE} "
        f"BEGIN {DROP} END"
    ),
    "ticket_count_enter": (
        f"AFTER UPDATE OF state, service_type_id ON ticket WHEN NEW.state IN {CALLABLE} "
        f"BEGIN {BUMP} END"
    ),
    "ticket_count_delete": f"AFTER DELETE ON ticket WHEN OLD.state IN {CALLABLE} BEGIN {DROP} END",
}


def upgrade() -> None:
    op.create_table(
        "number_counter",
        sa.Column("service_type_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_number_counter_service_type_id_service_type"),
        ),
        sa.PrimaryKeyConstraint("service_type_id", "period", name=op.f("pk_number_counter")),
    )
    op.create_table(
        "service_staff",
        sa.Column("service_type_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_service_staff_service_type_id_service_type"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_service_staff_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("service_type_id", "staff_id", name=op.f("pk_service_staff")),
    )
    op.create_table(
        "ticket",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("service_type_id", sa.Uuid(), nullable=False),
        sa.Column("numbered_by", sa.Uuid(), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=True),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column(
            "issued_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "queued_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("called_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "serving_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "finished_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("target_window", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("print_count", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_ticket_service_type_id_service_type"),
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_ticket_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
        sa.ForeignKeyConstraint(
            ["numbered_by"],
            ["service_type.id"],
            name=op.f("fk_ticket_numbered_by_service_type"),
        ),
        sa.UniqueConstraint("numbered_by", "period", "seq", name=op.f("uq_ticket_numbered_by")),
        sa.UniqueConstraint("request_key", name=op.f("uq_ticket_request_key")),
    )
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_business_day"), ["business_day"], unique=False)
        batch_op.create_index("ix_ticket_called_at", ["called_at"], unique=False)
        batch_op.create_index(
            "ix_ticket_queue", ["state", "service_type_id", "queued_at"], unique=False
        )

    op.create_table(
        "appointment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("service_type_id", sa.Uuid(), nullable=False),
        sa.Column("customer_name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("slot_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_appointment_service_type_id_service_type"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_appointment_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
        sa.UniqueConstraint("code", name=op.f("uq_appointment_code")),
    )
    op.create_table(
        "call_request",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_call_request_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_call_request")),
    )
    op.create_table(
        "rating",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_rating_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_rating_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_rating_ticket_id")),
    )
    op.create_table(
        "ticket_transition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_ticket_transition_ticket_id_ticket")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_transition")),
    )
    with op.batch_alter_table("ticket_transition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_transition_ticket_id"), ["ticket_id"], unique=False
        )

    op.create_table(
        "window_state",
        sa.Column("window_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("current_ticket_id", sa.Uuid(), nullable=True),
        sa.Column("normals_since_priority", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", counter_app.storage.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["current_ticket_id"],
            ["ticket.id"],
            name=op.f("fk_window_state_current_ticket_id_ticket"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_window_state_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["counter_window.id"],
            name=op.f("fk_window_state_window_id_counter_window"),
        ),
        sa.PrimaryKeyConstraint("window_id", name=op.f("pk_window_state")),
    )
    with op.batch_alter_table("service_type", schema=None) as batch_op:
        # Existing services keep working: they reset daily and start from a 5-minute estimate.
        batch_op.add_column(
            sa.Column("daily_reset", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("service_minutes", sa.Integer(), nullable=False, server_default="5")
        )
    op.create_table(
        "queue_count",
        sa.Column("service_type_id", sa.Uuid(), nullable=False),
        sa.Column("business_day", sa.String(length=10), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_queue_count_service_type_id_service_type"),
        ),
        sa.PrimaryKeyConstraint("service_type_id", "business_day", name=op.f("pk_queue_count")),
    )
    _create_triggers()


def _create_triggers() -> None:
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("queue_count")
    with op.batch_alter_table("service_type", schema=None) as batch_op:
        batch_op.drop_column("service_minutes")
        batch_op.drop_column("daily_reset")

    op.drop_table("window_state")
    with op.batch_alter_table("ticket_transition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_transition_ticket_id"))

    op.drop_table("ticket_transition")
    op.drop_table("rating")
    op.drop_table("call_request")
    op.drop_table("appointment")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_queue")
        batch_op.drop_index("ix_ticket_called_at")
        batch_op.drop_index(batch_op.f("ix_ticket_business_day"))

    op.drop_table("ticket")
    op.drop_table("service_staff")
    op.drop_table("number_counter")
