"""The JSON the hub speaks. Shared by the hub and the client so both sides agree on shapes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
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


# --- claim-document intake ---


class FactOut(Model):
    code: str
    name: str


class ChecklistOut(Model):
    claim_type: str
    name: str
    version: int
    facts: list[FactOut]
    items: list[dict[str, Any]]


class DocumentOut(Model):
    entry_id: str
    document: str
    name: str
    form: Literal["original", "copy"]
    pages: int
    at: datetime
    actor: str


class ChecklistItemOut(Model):
    code: str
    name: str
    status: Literal["received", "copy_only", "missing", "optional", "not_applicable"]
    original: bool
    required: bool
    when: list[str]
    alternatives: list[FactOut]
    documents: list[DocumentOut]


class IntakeEntryOut(Model):
    id: str
    seq: int
    kind: str
    at: datetime
    actor: str
    detail: dict[str, Any]
    refers_to: str | None


IntakeStatus = Literal["incomplete", "complete", "handed_over", "archived"]


class IntakeFileSummaryOut(Model):
    id: uuid.UUID
    claim_number: str
    receipt_number: str
    claim_type: str
    claim_type_name: str
    plate: str
    submitter_name: str
    submitter_phone: str
    status: IntakeStatus
    due: date | None
    overdue: bool
    missing_count: int
    opened_at: datetime
    opened_by: str


class IntakeFileOut(Model):
    id: uuid.UUID
    claim_number: str
    receipt_number: str
    claim_type: str
    claim_type_name: str
    template_version: int
    latest_version: int
    channel: str
    tracking_number: str
    submitter_name: str
    submitter_phone: str
    submitter_relation: str
    submitter_id_number: str
    plate: str
    opened_at: datetime
    opened_by: str
    status: IntakeStatus
    due: date | None
    overdue: bool
    complete: bool
    missing_count: int
    facts: list[str]
    available_facts: list[FactOut]
    items: list[ChecklistItemOut]
    entries: list[IntakeEntryOut]
    completed_at: datetime | None
    completed_by: str | None
    archive_location: str | None
    handover_batch: str | None


class IntakeOpenIn(Model):
    claim_number: str = Field(min_length=1, max_length=40)
    claim_type: str = Field(min_length=1, max_length=32)
    channel: Literal["counter", "courier", "partner", "repair_shop", "pickup"] = "counter"
    tracking_number: str = Field(default="", max_length=40)
    submitter_name: str = Field(default="", max_length=64)
    submitter_phone: str = Field(default="", max_length=20)
    submitter_relation: Literal["insured", "family", "agent", "repair_shop", "other"] = "insured"
    submitter_id_number: str = Field(default="", max_length=24)
    plate: str = Field(default="", max_length=16)
    facts: list[str] = Field(default_factory=list, max_length=32)


class DocumentIn(Model):
    document: str = Field(min_length=1, max_length=64)  # a code or a scanned DOC-... barcode
    form: Literal["original", "copy"] = "original"
    pages: int = Field(default=1, ge=1, le=999)


class WithdrawIn(Model):
    entry_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=200)


class PagesIn(Model):
    entry_id: uuid.UUID
    pages: int = Field(ge=1, le=999)


class FactsIn(Model):
    facts: list[str] = Field(max_length=32)


class ContactIn(Model):
    method: Literal["phone", "sms", "visit"]
    outcome: Literal["reached", "no_answer", "wrong_number", "refused", "sent"]
    note: str = Field(default="", max_length=500)
    next_due: date | None = None


class ArchiveIn(Model):
    location: str = Field(min_length=1, max_length=64)


class ReceiptLineOut(Model):
    name: str
    form: Literal["original", "copy"] | None
    pages: int
    note: str


class IntakeReceiptOut(Model):
    receipt_number: str
    claim_number: str
    claim_type_name: str
    branch_name: str
    contact_phone: str
    opened_at: datetime
    collector: str
    submitter: str
    submitter_phone: str
    plate: str
    channel: str
    received: list[ReceiptLineOut]
    missing: list[ReceiptLineOut]
    due: date | None
    printed_at: datetime


class HandoverIn(Model):
    files: list[uuid.UUID] = Field(min_length=1, max_length=200)


class HandoverOut(Model):
    number: str
    created_at: datetime
    created_by: str
    files: list[IntakeFileSummaryOut]
    confirmed_at: datetime | None
    confirmed_by: str | None


class PickupIn(Model):
    claim_number: str = Field(min_length=1, max_length=40)
    contact_name: str = Field(min_length=1, max_length=64)
    contact_phone: str = Field(min_length=1, max_length=20)
    address: str = Field(min_length=1, max_length=200)
    window_start: AwareDatetime
    window_end: AwareDatetime
    documents: list[str] = Field(default_factory=list, max_length=40)
    assigned_to: str | None = Field(default=None, max_length=64)


class PickupOut(Model):
    id: uuid.UUID
    claim_number: str
    contact_name: str
    contact_phone: str
    address: str
    window_start: datetime
    window_end: datetime
    documents: list[str]
    state: Literal["open", "assigned", "done", "failed", "cancelled"]
    assigned_to: str | None
    outcome: str
    overdue: bool
    created_at: datetime
    created_by: str


class PickupAssignIn(Model):
    username: str = Field(min_length=1, max_length=64)


class PickupCloseIn(Model):
    state: Literal["done", "failed", "cancelled"]
    outcome: str = Field(default="", max_length=200)


class CollectorDayOut(Model):
    collector: str
    day: date
    files: int
    norm: int
    percent_of_norm: int


# --- the valuable blank-form ledger (有价单证) ---
FormSerialState = Literal["in_stock", "issued", "used", "voided", "lost", "written_off"]


class FormTypeOut(Model):
    code: str
    name: str
    prefix: str
    digits: int


class AllotmentOut(Model):
    id: str
    form_type: str
    first: str  # as printed on the forms
    last: str
    count: int
    allotted_at: str
    note: str


class FormTypeIn(Model):
    code: str = Field(pattern=r"^[A-Z0-9_]{1,32}$")
    name: str = Field(min_length=1, max_length=64)
    prefix: str = Field(pattern=r"^[A-Z]{1,8}$")
    digits: int = Field(ge=4, le=20)


class FormHolderOut(Model):
    username: str
    display_name: str


class SerialSpanIn(Model):
    form_type: str = Field(min_length=1, max_length=32)
    first: str = Field(min_length=1, max_length=40)
    last: str = Field(min_length=1, max_length=40)
    clerk: str = Field(default="", max_length=64)


class SerialsIn(Model):
    form_type: str = Field(min_length=1, max_length=32)
    clerk: str = Field(min_length=1, max_length=64)
    serials: list[str] = Field(default_factory=list, max_length=100_000)
    everything: bool = False  # every used and voided form the clerk holds


class SupervisorIn(Model):
    """A supervisor's own credentials, typed at the clerk's counter to approve a void."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoseIn(Model):
    form_type: str = Field(min_length=1, max_length=32)
    serial: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=200)


class VoidIn(LoseIn):
    supervisor: SupervisorIn


class MovedOut(Model):
    moved: int


class HoldingOut(Model):
    form_type: str
    holder: str
    state: FormSerialState
    count: int
    ranges: list[tuple[str, str]]


class ReconciliationLineOut(Model):
    holder: str
    form_type: str
    opening: int
    received: int
    used: int
    voided: int
    lost: int
    returned: int
    closing: int
    misprints: int
    gap: int


class StockTakeIn(Model):
    form_type: str = Field(min_length=1, max_length=32)
    holder: str = Field(default="", max_length=64)
    counted: list[tuple[str, str]] = Field(default_factory=list, max_length=1000)


class StockTakeOut(Model):
    matches: bool
    missing: list[tuple[str, str]]
    unexpected: list[tuple[str, str]]


# --- policies and the print queue ---
PrintJobState = Literal[
    "queued", "printing", "to_confirm", "printed", "failed", "cancelled", "misprinted"
]


class ImportOut(Model):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    refused: list[str]


class PolicyDocumentOut(Model):
    number: str
    kind: Literal["policy", "endorsement"]
    product: Literal["compulsory", "commercial"]
    policy_number: str
    insured_name: str
    plate: str
    imported_at: AwareDatetime
    printed_at: AwareDatetime | None


class PolicyDocumentFullOut(Model):
    summary: PolicyDocumentOut
    body: dict[str, Any]


class LayoutOut(Model):
    name: str
    title: str
    paper: Literal["preprinted", "plain"]
    blank_form: str | None
    width_mm: float
    height_mm: float


class PrintJobIn(Model):
    document: str = Field(min_length=1, max_length=40)
    layout: str = Field(min_length=1, max_length=64)
    printer: str = Field(default="", max_length=200)
    reprint_reason: str = Field(default="", max_length=200)


class PrintJobStepIn(Model):
    printer: str = Field(default="", max_length=200)
    error: str = Field(default="", max_length=400)


class MisprintIn(Model):
    reason: str = Field(min_length=1, max_length=200)
    supervisor: SupervisorIn | None = None  # needed when the job was on a pre-printed form


class PrintJobOut(Model):
    id: uuid.UUID
    document: str
    kind: str
    insured_name: str
    layout: str
    layout_title: str
    paper: str
    form_type: str | None
    serial: str | None
    clerk: str
    workstation: str
    printer: str
    state: PrintJobState
    reprint_reason: str
    reprint_of: uuid.UUID | None
    error: str
    attempts: int
    created_at: AwareDatetime
    updated_at: AwareDatetime
    attachment_pages: int = 0


class SyncStatusOut(Model):
    enrolled: bool
    branch_code: str
    state: Literal["not_enrolled", "idle", "sending", "offline", "refused"]
    waiting: int
    last_success: AwareDatetime | None
    last_error: str
    last_error_code: str
    batches_sent: int
    retry_in_seconds: float
    reference_revision: int = 0
    last_pull: AwareDatetime | None = None
