"""The branch store's tables (SQLAlchemy 2, typed). Head office uses the same models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app.storage.types import UtcDateTime, new_id, utcnow

# Stable constraint names so Alembic batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ReferenceStamp:
    """Columns of a reference table (published by head office, sometimes edited here): the
    hybrid-clock stamp of the row's last write and which side made it (domain/hlc.py).
    ORM writes are stamped as they flush (storage/reference_stamp.py); a raw write keeps ""
    and so loses to any publication."""

    hlc: Mapped[str] = mapped_column(String(24), default="", server_default="")
    origin: Mapped[str] = mapped_column(String(16), default="branch", server_default="branch")


class HubMeta(Base):
    """Facts about this branch store: branch code, demo mark, audit chain head."""

    __tablename__ = "hub_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Staff(ReferenceStamp, Base):
    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    roles: Mapped[list[StaffRole]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", lazy="selectin"
    )


class StaffRole(ReferenceStamp, Base):
    __tablename__ = "staff_role"
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    staff: Mapped[Staff] = relationship(back_populates="roles")


class LoginAttempt(Base):
    """Every login attempt, kept for lockout and for the manager's review."""

    __tablename__ = "login_attempt"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
    workstation: Mapped[str] = mapped_column(String(64), default="")


class AuthToken(Base):
    """A bearer token; only its SHA-256 is stored, so a copied database grants no logins."""

    __tablename__ = "auth_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), index=True)
    workstation: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuditEntry(Base):
    """Who did what, when, from which workstation; hash-chained so edits and deletions show."""

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_id)
    at: Mapped[str] = mapped_column(String(40))  # ISO text: exactly what was hashed
    actor: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class HubEvent(Base):
    """Events pushed to clients; ``seq`` is the resume cursor of the WebSocket."""

    __tablename__ = "hub_event"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class ServiceType(ReferenceStamp, Base):
    """A kind of business a ticket is drawn for (出单/批改, 理赔单证, 咨询/投诉 …)."""

    __tablename__ = "service_type"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(2))
    digits: Mapped[int] = mapped_column(Integer, default=3)
    opens_at: Mapped[str] = mapped_column(String(5), default="08:30")
    closes_at: Mapped[str] = mapped_column(String(5), default="17:30")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # False: numbers run on across days instead of starting again at 1 each business day.
    daily_reset: Mapped[bool] = mapped_column(Boolean, default=True)
    # Seeds the wait estimate until the day has finished tickets of its own.
    service_minutes: Mapped[int] = mapped_column(Integer, default=5)
    staff: Mapped[list[ServiceStaff]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class ServiceStaff(ReferenceStamp, Base):
    """Who may serve a service; a service with nobody listed is served by every counter post."""

    __tablename__ = "service_staff"
    service_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_type.id"), primary_key=True
    )
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)


class CounterWindow(ReferenceStamp, Base):
    """A numbered counter window (窗口) and the services it serves."""

    __tablename__ = "counter_window"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    services: Mapped[list[WindowService]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class WindowService(ReferenceStamp, Base):
    __tablename__ = "window_service"
    window_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counter_window.id"), primary_key=True)
    service_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_type.id"), primary_key=True
    )


class ChecklistTemplate(ReferenceStamp, Base):
    """The documents a claim type needs; versioned reference data from head office."""

    __tablename__ = "checklist_template"
    __table_args__ = (UniqueConstraint("claim_type", "version"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    claim_type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # the circumstances its rules name (``when``), e.g. {"code": "disability_claimed", ...}
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Printer(ReferenceStamp, Base):
    """A printer known to the branch; ``profile`` names a file in ``printers/profiles``."""

    __tablename__ = "printer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "ticket" or "office"
    profile: Mapped[str] = mapped_column(String(64))
    connection: Mapped[str] = mapped_column(String(255), default="fake:")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class NumberCounter(Base):
    """The last number issued per service and numbering period (a business day, or "all" for a
    service that never resets). Bumped in the same transaction as the ticket it numbers."""

    __tablename__ = "number_counter"
    service_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_type.id"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class QueueCount(Base):
    """How many tickets wait per service and business day. Kept by SQLite triggers on
    ``ticket`` (migration 0002), so every path that changes a ticket keeps it right and the
    kiosk reads "people ahead" in one row instead of counting the whole queue."""

    __tablename__ = "queue_count"
    service_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_type.id"), primary_key=True
    )
    business_day: Mapped[str] = mapped_column(String(10), primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A queue ticket (排队号). Its number is unique per service and numbering period in the
    database itself, not only by a lock, so no bug or second process can issue it twice."""

    __tablename__ = "ticket"
    __table_args__ = (UniqueConstraint("numbered_by", "period", "seq"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    # The queue the ticket waits in now; a transfer changes it.
    service_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_type.id"))
    # The service whose numbers it took at issue; never changes, so A001 sent to B's queue
    # still holds A's number 1 and never collides with B001.
    numbered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_type.id"))
    business_day: Mapped[str] = mapped_column(String(10), index=True)
    period: Mapped[str] = mapped_column(String(10))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Place in the queue: the original issue time, kept across a transfer or a reinstatement.
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    serving_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    window_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_window: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    print_count: Mapped[int] = mapped_column(Integer, default=0)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    issued_by: Mapped[str] = mapped_column(String(64), default="")
    # The kiosk's idempotency key: a retried press after a lost answer gets the same ticket.
    request_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class TicketTransition(Base):
    """Every change of a ticket's state, timestamped: the wait and service time statistics."""

    __tablename__ = "ticket_transition"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    window_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class WindowState(Base):
    """Whether a window is open, paused or closed, who sits at it and whom it serves now."""

    __tablename__ = "window_state"
    window_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counter_window.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default="closed")
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    current_ticket_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ticket.id"), nullable=True
    )
    normals_since_priority: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CallRequest(Base):
    """A call-next already answered, by its idempotency key: a retried request calls once."""

    __tablename__ = "call_request"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_number: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Rating(Base):
    """The customer's rating of a finished ticket (服务评价), tied to the window and clerk."""

    __tablename__ = "rating"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id"), unique=True)
    window_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    score: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Appointment(Base):
    """A booked slot (预约); checking in issues its ticket, called at the slot's time."""

    __tablename__ = "appointment"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    service_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_type.id"))
    customer_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    slot_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16), default="booked")
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


Index("ix_ticket_queue", Ticket.state, Ticket.service_type_id, Ticket.queued_at)
Index("ix_ticket_called_at", Ticket.called_at)
Index("ix_login_attempt_username_at", LoginAttempt.username, LoginAttempt.at)


class DisplayKey(Base):
    """A key for one waiting-area display (a TV's browser); like ``AuthToken`` only its SHA-256
    is stored. It lets the display read the board and nothing else, without a staff login."""

    __tablename__ = "display_key"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    label: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class IntakeFile(Base):
    """One claim's document file (索赔单证), one per claim number.

    The truth is its ``intake_entry`` rows; the columns after ``submitter_id_number`` are a
    projection of them kept for lists and search, rewritten in the same transaction."""

    __tablename__ = "intake_file"
    __table_args__ = (
        Index("ix_intake_file_followup", "status", "due"),
        # lists are newest first: status with opening time, and opening time alone
        Index("ix_intake_file_status_opened", "status", "opened_at"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    claim_number: Mapped[str] = mapped_column(String(40), unique=True)
    receipt_number: Mapped[str] = mapped_column(String(24), unique=True)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_template.id"))
    claim_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    tracking_number: Mapped[str] = mapped_column(String(40), default="")
    submitter_name: Mapped[str] = mapped_column(String(64), default="", index=True)
    submitter_phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    submitter_relation: Mapped[str] = mapped_column(String(16), default="insured")
    submitter_id_number: Mapped[str] = mapped_column(String(24), default="")
    plate: Mapped[str] = mapped_column(String(16), default="", index=True)
    business_day: Mapped[str] = mapped_column(String(10))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    opened_by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    due: Mapped[str | None] = mapped_column(String(10), nullable=True)
    missing_count: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    archive_location: Mapped[str | None] = mapped_column(String(64), nullable=True)
    handover_batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IntakeEntry(Base):
    """One step of a file's story. Never updated or deleted (triggers refuse it): a correction
    is a new entry that ``refers_to`` the one it takes back."""

    __tablename__ = "intake_entry"
    __table_args__ = (UniqueConstraint("file_id", "seq"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    file_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("intake_file.id"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    business_day: Mapped[str] = mapped_column(String(10), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    refers_to: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)


class DayCounter(Base):
    """Per-day human numbers other than tickets (intake receipts, handover batches)."""

    __tablename__ = "day_counter"
    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class HandoverBatch(Base):
    """Complete files handed to the claims department together, on one signed list."""

    __tablename__ = "handover_batch"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    file_count: Mapped[int] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PickupRequest(Base):
    """A door-to-door document pickup (上门收单): dispatched, then done or failed."""

    __tablename__ = "pickup_request"
    __table_args__ = (Index("ix_pickup_request_open", "state", "window_end"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    claim_number: Mapped[str] = mapped_column(String(40), index=True)
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime] = mapped_column(UtcDateTime)
    window_end: Mapped[datetime] = mapped_column(UtcDateTime)
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16))
    assigned_to: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class FormType(ReferenceStamp, Base):
    """A kind of valuable blank form (交强险保单, 批单 …) and how its serials are written."""

    __tablename__ = "form_type"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(8))
    digits: Mapped[int] = mapped_column(Integer)


class BlankFormAllocation(Base):
    """A serial range head office allocated to the branch, as received into stock."""

    __tablename__ = "blank_form_allocation"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    form_type: Mapped[str] = mapped_column(ForeignKey("form_type.code"), index=True)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_by: Mapped[str] = mapped_column(String(64))


class FormAllotment(ReferenceStamp, Base):
    """A serial range head office allotted to this branch (published down); the back office
    receives it into stock as a blank_form_allocation."""

    __tablename__ = "form_allotment"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    form_type: Mapped[str] = mapped_column(String(32))
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    allotted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")


class BlankFormSerial(Base):
    """One blank form: its state and who holds it now (the movements are its history)."""

    __tablename__ = "blank_form_serial"
    # With the serial last it covers counting a holder's forms in a serial range, which is
    # how a million forms in stock are listed as their few runs without reading each one.
    __table_args__ = (
        Index("ix_blank_form_serial_holder", "form_type", "holder", "state", "serial"),
    )
    form_type: Mapped[str] = mapped_column(ForeignKey("form_type.code"), primary_key=True)
    serial: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    holder: Mapped[str] = mapped_column(String(64))
    policy_number: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")


class BlankFormMovement(Base):
    """One move of one serial. Never updated or deleted (triggers refuse it)."""

    __tablename__ = "blank_form_movement"
    __table_args__ = (Index("ix_blank_form_movement_day", "business_day", "form_type"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    form_type: Mapped[str] = mapped_column(ForeignKey("form_type.code"))
    serial: Mapped[int] = mapped_column(Integer)
    move: Mapped[str] = mapped_column(String(16))
    holder: Mapped[str] = mapped_column(String(64))
    before_holder: Mapped[str] = mapped_column(String(64))
    before_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    policy_number: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    approved_by: Mapped[str] = mapped_column(String(64), default="")
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    business_day: Mapped[str] = mapped_column(String(10))


class BlankFormTally(Base):
    """The day's moves counted by kind: what the reconciliation adds up, kept in step with
    ``blank_form_movement`` in the same transaction, so a month's report reads a few hundred
    rows however many serials moved (an allocation is 100,000 moves)."""

    __tablename__ = "blank_form_tally"
    business_day: Mapped[str] = mapped_column(String(10), primary_key=True)
    form_type: Mapped[str] = mapped_column(ForeignKey("form_type.code"), primary_key=True)
    move: Mapped[str] = mapped_column(String(16), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64), primary_key=True)
    before_holder: Mapped[str] = mapped_column(String(64), primary_key=True)
    before_state: Mapped[str] = mapped_column(String(16), primary_key=True)  # "" for none
    count: Mapped[int] = mapped_column(Integer)


class PolicyDocument(Base):
    """A policy or endorsement imported from the core system, ready to print.

    ``body`` is the JSON object exactly as imported (checked against docs/policy.schema.json);
    the columns beside it are what the clerk searches by."""

    __tablename__ = "policy_document"
    __table_args__ = (
        Index("ix_policy_document_policy", "policy_number"),
        Index("ix_policy_document_plate", "plate"),
    )
    number: Mapped[str] = mapped_column(String(40), primary_key=True)  # policy or endorsement
    kind: Mapped[str] = mapped_column(String(16))  # policy | endorsement
    product: Mapped[str] = mapped_column(String(16))  # compulsory | commercial
    policy_number: Mapped[str] = mapped_column(String(40))  # itself, or the endorsed policy
    insured_name: Mapped[str] = mapped_column(String(200))
    plate: Mapped[str] = mapped_column(String(12))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))  # sha-256 of the canonical body
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200), default="")
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PrintJob(Base):
    """One print of a document on one layout, from queued to confirmed (or given up).

    A job on a pre-printed layout names the blank form it goes on (the top of the clerk's
    stack when the job was made); the serial is consumed only when the clerk confirms the
    print came out right, and voided (with a supervisor) when it did not."""

    __tablename__ = "print_job"
    __table_args__ = (
        Index("ix_print_job_clerk", "clerk", "state"),
        Index("ix_print_job_document", "document"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document: Mapped[str] = mapped_column(ForeignKey("policy_document.number"))
    layout: Mapped[str] = mapped_column(String(64))
    form_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    serial: Mapped[str | None] = mapped_column(String(40), nullable=True)  # as printed
    clerk: Mapped[str] = mapped_column(String(64))
    workstation: Mapped[str] = mapped_column(String(64))
    printer: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16))
    reprint_reason: Mapped[str] = mapped_column(String(200), default="")
    reprint_of: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    error: Mapped[str] = mapped_column(String(400), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncOutbox(Base):
    """What is waiting to go to head office: one row per insert, update or delete of a table
    sent up (``counter_app.sync.tables.UP``), written by SQLite triggers in the same
    transaction as the change (so raw and bulk writes are caught too). It holds the changed
    row's key; the sender reads the row as it is when it sends. Rows are deleted only after
    head office acknowledged the batch that carried them."""

    __tablename__ = "sync_outbox"
    # AUTOINCREMENT: a seq is never reused once acknowledged rows are deleted.
    __table_args__ = ({"sqlite_autoincrement": True},)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_key: Mapped[str] = mapped_column(Text)  # JSON array of the primary key's values
    op: Mapped[str] = mapped_column(String(1))  # I, U or D
    # The batch the row was put in before it was sent: a batch re-sent after a crash keeps
    # its number, and head office, which records (branch, batch), applies it only once.
    batch: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
