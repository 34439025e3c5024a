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


class HubMeta(Base):
    """Facts about this branch store: branch code, demo mark, audit chain head."""

    __tablename__ = "hub_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Staff(Base):
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


class StaffRole(Base):
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


class ServiceType(Base):
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


class CounterWindow(Base):
    """A numbered counter window (窗口) and the services it serves."""

    __tablename__ = "counter_window"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    services: Mapped[list[WindowService]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class WindowService(Base):
    __tablename__ = "window_service"
    window_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counter_window.id"), primary_key=True)
    service_type_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("service_type.id"), primary_key=True
    )


class ChecklistTemplate(Base):
    """The documents a claim type needs; versioned reference data from head office."""

    __tablename__ = "checklist_template"
    __table_args__ = (UniqueConstraint("claim_type", "version"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    claim_type: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Printer(Base):
    """A printer known to the branch; ``profile`` names a file in ``printers/profiles``."""

    __tablename__ = "printer"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "ticket" or "office"
    profile: Mapped[str] = mapped_column(String(64))
    connection: Mapped[str] = mapped_column(String(255), default="fake:")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


Index("ix_login_attempt_username_at", LoginAttempt.username, LoginAttempt.at)
