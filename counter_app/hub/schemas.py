"""The JSON the hub speaks. Shared by the hub and the client so both sides agree on shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from counter_app.domain.queue import Priority, RatingScore, TicketState
from counter_app.domain.roles import Role


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorBody(Model):
    code: str
    detail: str
    params: dict[str, Any] = Field(default_factory=dict)


class Health(Model):
    status: Literal["ok"]
    version: str
    api_version: int
    schema_revision: str
    branch_code: str
    branch_name: str
    demo: bool
    server_time: datetime


class LoginRequest(Model):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    workstation: str = Field(default="", max_length=64)


class StaffOut(Model):
    id: uuid.UUID
    username: str
    display_name: str
    roles: list[Role]
    active: bool


class LoginResponse(Model):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    staff: StaffOut


class Me(Model):
    username: str
    workstation: str
    roles: list[Role]


class StaffCreate(Model):
    username: str = Field(min_length=2, max_length=32)
    display_name: str = Field(min_length=1, max_length=64)
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(Model):
    password: str = Field(min_length=1, max_length=256)


class RolesChange(Model):
    roles: list[Role] = Field(min_length=1)


class ServiceTypeOut(Model):
    id: uuid.UUID
    code: str
    name: str
    prefix: str
    digits: int
    opens_at: str
    closes_at: str


class CounterWindowOut(Model):
    id: uuid.UUID
    number: int
    name: str
    service_codes: list[str]


class ChecklistTemplateOut(Model):
    id: uuid.UUID
    claim_type: str
    name: str
    version: int
    items: list[dict[str, Any]]


class PrinterOut(Model):
    id: uuid.UUID
    name: str
    kind: str
    profile: str
    connection: str


class ReferenceOut(Model):
    service_types: list[ServiceTypeOut]
    windows: list[CounterWindowOut]
    checklists: list[ChecklistTemplateOut]
    printers: list[PrinterOut]


class AuditEntryOut(Model):
    seq: int
    at: str
    actor: str
    workstation: str
    action: str
    subject: str
    detail: dict[str, Any]


class AuditProblemOut(Model):
    seq: int
    kind: str
    message: str


class AuditVerifyOut(Model):
    entries: int
    ok: bool
    problems: list[AuditProblemOut]


class EventOut(Model):
    """One pushed event. ``seq`` is the cursor to resume from after a reconnect."""

    type: Literal["event"] = "event"
    seq: int
    at: datetime
    event: str
    payload: dict[str, Any]


# --- queue ---
class TicketIssue(Model):
    service: str = Field(min_length=1, max_length=16)
    priority: Priority | None = None


class TicketOut(Model):
    id: uuid.UUID
    number: str
    service: str
    service_name: str
    priority: Priority | None
    state: TicketState
    business_day: str
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    finished_at: datetime | None
    window: int | None
    target_window: int | None
    call_count: int
    print_count: int
    waiting_ahead: int
    estimated_wait_minutes: int


class ReprintRequest(Model):
    reason: str = Field(default="", max_length=200)


class TransferRequest(Model):
    service: str | None = Field(default=None, min_length=1, max_length=16)
    window: int | None = Field(default=None, ge=1, le=999)


class RatingRequest(Model):
    score: RatingScore
    reason: str = Field(default="", max_length=200)


class ServiceQueueOut(Model):
    code: str
    name: str
    prefix: str
    open_now: bool
    waiting: int
    longest_wait_seconds: int
    windows_open: int
    estimated_wait_minutes: int


class WindowOut(Model):
    number: int
    name: str
    services: list[str]
    status: Literal["open", "paused", "closed"]
    staff: str | None
    staff_name: str | None
    current: TicketOut | None


class CallOut(Model):
    ticket_id: uuid.UUID
    number: str
    service: str
    window: int
    called_at: datetime
    call_count: int


class ClerkStatsOut(Model):
    username: str
    display_name: str
    served: int
    average_service_seconds: int
    ratings: int
    satisfaction: float | None


class QueueOut(Model):
    business_day: str
    at: datetime
    services: list[ServiceQueueOut]
    windows: list[WindowOut]
    recent_calls: list[CallOut]
    clerks: list[ClerkStatsOut]
    issued_today: int
    served_today: int
    satisfaction: float | None


class AppointmentCreate(Model):
    service: str = Field(min_length=1, max_length=16)
    customer_name: str = Field(min_length=1, max_length=64)
    phone: str = Field(default="", max_length=32)
    slot_at: AwareDatetime


class AppointmentOut(Model):
    id: uuid.UUID
    code: str
    service: str
    customer_name: str
    phone: str
    slot_at: datetime
    state: str
    ticket_id: uuid.UUID | None


# --- the waiting-area board served by the hub ---
class BoardKeyCreate(Model):
    label: str = Field(min_length=1, max_length=64)


class BoardKeyOut(Model):
    id: uuid.UUID
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


class BoardKeyCreated(BoardKeyOut):
    """The key is in this answer only; the hub keeps its hash."""

    key: str
    url_path: str


class BoardServiceOut(Model):
    code: str
    name: str
    waiting: int


class BoardWindowOut(Model):
    number: int
    name: str
    status: Literal["open", "paused", "closed"]


class BoardSnapshotOut(Model):
    """What a display shows on (re)load. ``cursor`` is the event seq the snapshot includes:
    a display opens ``/api/events`` from it and misses nothing in between."""

    branch_code: str
    branch_name: str
    demo: bool
    at: datetime
    utc_offset_minutes: int  # the branch's time zone now: the clock ignores the TV's own
    business_day: str
    cursor: int
    recent_calls: list[CallOut]
    services: list[BoardServiceOut]
    windows: list[BoardWindowOut]


class ServiceSetupIn(Model):
    name: str = Field(min_length=1, max_length=64)
    prefix: str = Field(min_length=1, max_length=2)
    digits: int = Field(default=3, ge=1, le=5)
    opens_at: str = Field(default="08:30", pattern=r"^\d{2}:\d{2}$")
    closes_at: str = Field(default="17:30", pattern=r"^\d{2}:\d{2}$")
    daily_reset: bool = True
    service_minutes: int = Field(default=5, ge=1, le=240)
    active: bool = True
    windows: list[int] = Field(default_factory=list, max_length=200)
    staff: list[str] = Field(default_factory=list, max_length=500)


class ServiceSetupOut(ServiceSetupIn):
    code: str
