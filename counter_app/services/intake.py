"""The claim-document collector's work: intake files, their documents, follow-up, handover,
archive, door-to-door pickups and the day's productivity.

Every change to a file appends ``intake_entry`` rows (never rewritten; triggers refuse it) and
rewrites the file's projection columns in the same transaction, so lists and search read one
row while the entries stay the file's story. Completeness is decided by ``domain.intake``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from counter_app.config.settings import (
    BRANCH_TIME_ZONE,
    INTAKE_CLAIM_NUMBER_PATTERN,
    INTAKE_CONTACT_PHONE,
    INTAKE_FOLLOW_UP_DAYS,
    Settings,
)
from counter_app.domain.errors import InvalidInput, NotFound
from counter_app.domain.intake import (
    Assessment,
    Channel,
    Checklist,
    CollectorDay,
    ContactMethod,
    ContactOutcome,
    EntryKind,
    EntryUnknown,
    FileClosed,
    FileExists,
    FileState,
    FileStatus,
    FileUnknown,
    Form,
    HandoverLine,
    HandoverList,
    IntakeEntry,
    IntakeError,
    IntakeReceipt,
    ItemStatus,
    ReceiptLine,
    Relation,
    UnknownClaimType,
    assess,
    check_receipt,
    checklist_from_data,
    document_code_from_barcode,
    first_due,
    follow_up_key,
    format_receipt_number,
    is_overdue,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_claim_number,
    replay,
    status_of,
)
from counter_app.domain.roles import Role
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import (
    ChecklistTemplate,
    DayCounter,
    HandoverBatch,
    HubMeta,
    IntakeFile,
    PickupRequest,
)
from counter_app.storage.models import IntakeEntry as EntryRow
from counter_app.storage.types import new_id, utcnow

INTAKE_ROLES = (Role.COLLECTOR, Role.MANAGER)
ARCHIVE_ROLES = (Role.COLLECTOR, Role.BACKOFFICE, Role.MANAGER)
READ_ROLES = (Role.COLLECTOR, Role.BACKOFFICE, Role.MANAGER, Role.SERVICE)
# Who reads phone and ID numbers in full on a file's screen: collectors call customers back.
PERSONAL_DATA_ROLES = frozenset({Role.COLLECTOR, Role.MANAGER})
SEARCH_LIMIT = 200
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")
PLATE = re.compile(r"^[\u4e00-\u9fffA-Z0-9·-]{0,12}$")
BATCH_PREFIX = "JJ"  # 交接


class PickupUnknown(NotFound):
    code = "intake.pickup_unknown"


class BatchUnknown(NotFound):
    code = "intake.batch_unknown"


# --- what the service answers ---


@dataclass(frozen=True)
class FactView:
    code: str
    name: str


@dataclass(frozen=True)
class ChecklistView:
    claim_type: str
    name: str
    version: int
    facts: tuple[FactView, ...]
    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class DocumentView:
    entry_id: str
    document: str
    name: str
    form: str
    pages: int
    at: datetime
    actor: str


@dataclass(frozen=True)
class ItemView:
    code: str
    name: str
    status: str
    original: bool
    required: bool
    when: tuple[str, ...]
    alternatives: tuple[FactView, ...]  # (code, name) of documents that also satisfy it
    documents: tuple[DocumentView, ...]


@dataclass(frozen=True)
class EntryView:
    id: str
    seq: int
    kind: str
    at: datetime
    actor: str
    detail: dict[str, Any]
    refers_to: str | None


@dataclass(frozen=True)
class FileSummary:
    id: uuid.UUID
    claim_number: str
    receipt_number: str
    claim_type: str
    claim_type_name: str
    plate: str
    submitter_name: str
    submitter_phone: str
    status: str
    due: date | None
    overdue: bool
    missing_count: int
    opened_at: datetime
    opened_by: str


@dataclass(frozen=True)
class FileView:
    id: uuid.UUID
    claim_number: str
    receipt_number: str
    claim_type: str
    claim_type_name: str
    template_version: int
    latest_version: int  # a newer published version does not change an open file
    channel: str
    tracking_number: str
    submitter_name: str
    submitter_phone: str
    submitter_relation: str
    submitter_id_number: str
    plate: str
    opened_at: datetime
    opened_by: str
    status: str
    due: date | None
    overdue: bool
    complete: bool
    missing_count: int
    facts: tuple[str, ...]
    available_facts: tuple[FactView, ...]
    items: tuple[ItemView, ...]
    entries: tuple[EntryView, ...]
    completed_at: datetime | None
    completed_by: str | None
    archive_location: str | None
    handover_batch: str | None


@dataclass(frozen=True)
class IntakeOpen:
    claim_number: str
    claim_type: str
    channel: str = Channel.COUNTER.value
    tracking_number: str = ""
    submitter_name: str = ""
    submitter_phone: str = ""
    submitter_relation: str = Relation.INSURED.value
    submitter_id_number: str = ""
    plate: str = ""
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoverView:
    number: str
    created_at: datetime
    created_by: str
    files: tuple[FileSummary, ...]
    confirmed_at: datetime | None
    confirmed_by: str | None


@dataclass(frozen=True)
class PickupView:
    id: uuid.UUID
    claim_number: str
    contact_name: str
    contact_phone: str
    address: str
    window_start: datetime
    window_end: datetime
    documents: tuple[str, ...]
    state: str
    assigned_to: str | None
    outcome: str
    overdue: bool
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class PickupCreate:
    claim_number: str
    contact_name: str
    contact_phone: str
    address: str
    window_start: datetime
    window_end: datetime
    documents: tuple[str, ...] = ()
    assigned_to: str | None = None


class PickupState:
    OPEN = "open"
    ASSIGNED = "assigned"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_PICKUP_STATES = (PickupState.OPEN, PickupState.ASSIGNED)


# --- the service ---


class IntakeDesk:
    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self.clock = utcnow

    # configuration
    @property
    def tz(self) -> ZoneInfo:
        name = self._settings.get(BRANCH_TIME_ZONE)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"unknown time zone {name!r}", value=name) from None

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)

    # --- checklists ---
    def checklists(self) -> tuple[ChecklistView, ...]:
        with self._store.read() as session:
            rows = _latest_templates(session)
            return tuple(_checklist_view(r) for r in rows)

    # --- opening a file ---
    def open(self, actor: Actor, request: IntakeOpen) -> FileView:
        actor.require(*INTAKE_ROLES)
        claim_number = normalize_claim_number(
            request.claim_number, self._settings.get(INTAKE_CLAIM_NUMBER_PATTERN)
        )
        channel = _enum(Channel, request.channel, "channel")
        relation = _enum(Relation, request.submitter_relation, "submitter_relation")
        tracking = request.tracking_number.strip()
        if channel is Channel.COURIER and not tracking:
            raise IntakeError("a courier delivery needs its tracking number", field="tracking")
        phone = request.submitter_phone.strip()
        if phone and not PHONE.match(phone):
            raise IntakeError("phone number is not valid", field="submitter_phone")
        plate = request.plate.strip().upper().replace(" ", "")
        if not PLATE.match(plate):
            raise IntakeError("plate is not valid", field="plate")
        now = self.clock()
        day = now.astimezone(self.tz).date()
        with self._store.write() as session:
            existing = session.scalar(
                select(IntakeFile.id).where(IntakeFile.claim_number == claim_number)
            )
            if existing is not None:
                raise FileExists(
                    "a file for this claim number exists; documents are added to it",
                    file_id=str(existing),
                    claim_number=claim_number,
                )
            template = _latest_template(session, request.claim_type)
            checklist = _checklist(template)
            facts = set(checklist.check_facts(request.facts))
            if relation is Relation.AGENT and any(f.code == "entrusted" for f in checklist.facts):
                facts.add("entrusted")  # an agent's submission always needs the 授权委托书
            seq = _next_number(session, "receipt", day.isoformat())
            row = IntakeFile(
                id=new_id(),
                claim_number=claim_number,
                receipt_number=format_receipt_number(day, seq),
                template_id=template.id,
                claim_type=template.claim_type,
                channel=channel.value,
                tracking_number=tracking[:40],
                submitter_name=request.submitter_name.strip()[:64],
                submitter_phone=phone,
                submitter_relation=relation.value,
                submitter_id_number=request.submitter_id_number.strip().upper()[:24],
                plate=plate,
                business_day=day.isoformat(),
                opened_at=now,
                opened_by=actor.username,
                status=FileStatus.INCOMPLETE.value,
                due=None,
                missing_count=0,
                last_seq=0,
                updated_at=now,
            )
            session.add(row)
            session.flush()  # the file row before its first entry (the entry's foreign key)
            due = first_due(day, self._settings.get(INTAKE_FOLLOW_UP_DAYS))
            self._append(
                session,
                row,
                actor,
                EntryKind.OPENED,
                {"facts": sorted(facts), "due": due.isoformat(), "version": template.version},
            )
            return self._settle(session, row, actor, template)

    # --- documents ---
    def receive(
        self, actor: Actor, file_id: uuid.UUID, document: str, form: str, pages: int = 1
    ) -> FileView:
        """Tick a document: ``document`` is its code or a scanned ``DOC-...`` barcode."""
        actor.require(*INTAKE_ROLES)
        code = document_code_from_barcode(document) or document.strip().lower()
        kind = _enum(Form, form, "form")
        if not 1 <= pages <= 999:
            raise IntakeError("page count must be 1 to 999", field="pages")
        with self._store.write() as session:
            row, template, checklist, state = self._load(session, file_id)
            _require_open(row)
            check_receipt(checklist, state.facts, state.received, code, kind)
            self._append(
                session,
                row,
                actor,
                EntryKind.RECEIVED,
                {"document": code, "form": kind.value, "pages": pages},
            )
            return self._settle(session, row, actor, template)

    def withdraw(self, actor: Actor, file_id: uuid.UUID, entry_id: str, reason: str) -> FileView:
        """A correction: takes back a ticked document, with the reason, as a new entry."""
        actor.require(*INTAKE_ROLES)
        reason = reason.strip()
        if not reason:
            raise IntakeError("a correction needs a reason", field="reason")
        with self._store.write() as session:
            row, template, _checklist, state = self._load(session, file_id)
            _require_open(row)
            if not any(d.entry_id == entry_id for d in state.received):
                raise EntryUnknown("no ticked document with this entry", entry=entry_id)
            self._append(
                session,
                row,
                actor,
                EntryKind.WITHDRAWN,
                {"reason": reason[:200]},
                refers_to=uuid.UUID(entry_id),
            )
            audit.record(session, actor, "intake.withdraw", row.claim_number, {"entry": entry_id})
            return self._settle(session, row, actor, template)

    def correct_pages(
        self, actor: Actor, file_id: uuid.UUID, entry_id: str, pages: int
    ) -> FileView:
        """A correction of a ticked document's page count, as a new entry naming the old."""
        actor.require(*INTAKE_ROLES)
        if not 1 <= pages <= 999:
            raise IntakeError("page count must be 1 to 999", field="pages")
        with self._store.write() as session:
            row, template, _checklist, state = self._load(session, file_id)
            _require_open(row)
            earlier = next((d for d in state.received if d.entry_id == entry_id), None)
            if earlier is None:
                raise EntryUnknown("no ticked document with this entry", entry=entry_id)
            if earlier.pages != pages:
                self._append(
                    session,
                    row,
                    actor,
                    EntryKind.PAGES,
                    {"pages": pages, "was": earlier.pages},
                    refers_to=uuid.UUID(entry_id),
                )
            return self._settle(session, row, actor, template)

    def set_facts(self, actor: Actor, file_id: uuid.UUID, facts: Sequence[str]) -> FileView:
        actor.require(*INTAKE_ROLES)
        with self._store.write() as session:
            row, template, checklist, _state = self._load(session, file_id)
            _require_open(row)
            given = checklist.check_facts(facts)
            self._append(session, row, actor, EntryKind.FACTS, {"facts": sorted(given)})
            return self._settle(session, row, actor, template)

    # --- follow-up ---
    def log_contact(
        self,
        actor: Actor,
        file_id: uuid.UUID,
        method: str,
        outcome: str,
        note: str = "",
        next_due: date | None = None,
    ) -> FileView:
        actor.require(*INTAKE_ROLES)
        how = _enum(ContactMethod, method, "method")
        result = _enum(ContactOutcome, outcome, "outcome")
        if next_due is not None and next_due < self.today():
            raise IntakeError("the next follow-up date is in the past", field="next_due")
        detail: dict[str, Any] = {"method": how.value, "outcome": result.value, "note": note[:500]}
        if next_due is not None:
            detail["due"] = next_due.isoformat()
        with self._store.write() as session:
            row, template, _checklist, _state = self._load(session, file_id)
            self._append(session, row, actor, EntryKind.CONTACT, detail)
            return self._settle(session, row, actor, template)

    def follow_up(self, actor: Actor, mine: bool = False) -> tuple[FileSummary, ...]:
        """Incomplete files, overdue first."""
        actor.require(*READ_ROLES)
        today = self.today()
        with self._store.read() as session:
            query = select(IntakeFile).where(IntakeFile.status == FileStatus.INCOMPLETE.value)
            if mine:
                query = query.where(IntakeFile.opened_by == actor.username)
            rows = session.scalars(query).all()
            names = _type_names(session)
            ordered = sorted(rows, key=lambda r: follow_up_key(_due(r), r.opened_at, today))
            return tuple(_summary(r, names, today, actor) for r in ordered)

    # --- reading ---
    def file(self, actor: Actor, file_id: uuid.UUID) -> FileView:
        actor.require(*READ_ROLES)
        with self._store.read() as session:
            row, template, checklist, state = self._load(session, file_id)
            return self._view(session, row, template, checklist, state, actor)

    def by_claim_number(self, actor: Actor, claim_number: str) -> FileView:
        actor.require(*READ_ROLES)
        number = normalize_claim_number(
            claim_number, self._settings.get(INTAKE_CLAIM_NUMBER_PATTERN)
        )
        with self._store.read() as session:
            found = session.scalar(select(IntakeFile.id).where(IntakeFile.claim_number == number))
        if found is None:
            raise FileUnknown("no file for this claim number", claim_number=number)
        return self.file(actor, found)

    def search(
        self,
        actor: Actor,
        text: str = "",
        status: str | None = None,
        day_from: date | None = None,
        day_to: date | None = None,
        limit: int = SEARCH_LIMIT,
    ) -> tuple[FileSummary, ...]:
        """By claim number, plate, name or phone (each a prefix), opening date and status."""
        actor.require(*READ_ROLES)
        # Ids first: a broad prefix can match thousands of files, and sorting narrow rows
        # costs half of sorting whole ones; the page's rows are then read by id.
        query = select(IntakeFile.id)
        words = text.strip()
        if words:
            upper = words.upper()
            query = query.where(
                or_(
                    _prefix(IntakeFile.claim_number, upper),
                    _prefix(IntakeFile.plate, upper.replace(" ", "")),
                    _prefix(IntakeFile.submitter_name, words),
                    _prefix(IntakeFile.submitter_phone, words),
                    IntakeFile.receipt_number == upper,
                )
            )
        if status:
            query = query.where(IntakeFile.status == _enum(FileStatus, status, "status").value)
        # Days as opening-time bounds in the branch's time zone: one index then serves the
        # range and the newest-first order.
        if day_from:
            query = query.where(IntakeFile.opened_at >= self._day_start(day_from))
        if day_to:
            query = query.where(IntakeFile.opened_at < self._day_start(day_to + timedelta(days=1)))
        query = query.order_by(IntakeFile.opened_at.desc()).limit(max(1, min(limit, 500)))
        today = self.today()
        with self._store.read() as session:
            ids = list(session.scalars(query))
            rows = {
                r.id: r for r in session.scalars(select(IntakeFile).where(IntakeFile.id.in_(ids)))
            }
            names = _type_names(session)
            return tuple(_summary(rows[i], names, today, actor) for i in ids)

    # --- handover and archive ---
    def hand_over(self, actor: Actor, file_ids: Sequence[uuid.UUID]) -> HandoverView:
        actor.require(*ARCHIVE_ROLES)
        if not file_ids:
            raise IntakeError("choose at least one complete file", field="files")
        now = self.clock()
        day = now.astimezone(self.tz).date()
        with self._store.write() as session:
            rows = []
            for file_id in dict.fromkeys(file_ids):
                row = _file_row(session, file_id)
                if row.status != FileStatus.COMPLETE.value:
                    raise FileClosed(
                        "only complete files not yet handed over can be handed over",
                        claim_number=row.claim_number,
                        status=row.status,
                    )
                rows.append(row)
            seq = _next_number(session, "handover", day.isoformat())
            batch = HandoverBatch(
                id=new_id(),
                number=f"{BATCH_PREFIX}{day:%Y%m%d}-{seq:03d}",
                created_at=now,
                created_by=actor.username,
                file_count=len(rows),
            )
            session.add(batch)
            for row in rows:
                template = session.get_one(ChecklistTemplate, row.template_id)
                self._append(session, row, actor, EntryKind.HANDED_OVER, {"batch": batch.number})
                row.handover_batch_id = batch.id
                self._settle(session, row, actor, template)
            audit.record(session, actor, "intake.handover", batch.number, {"files": len(rows)})
            return self._batch_view(session, batch, actor)

    def confirm_handover(self, actor: Actor, batch_number: str) -> HandoverView:
        """The signed list came back: its batch barcode is scanned to confirm receipt."""
        actor.require(*ARCHIVE_ROLES)
        with self._store.write() as session:
            batch = session.scalar(
                select(HandoverBatch).where(HandoverBatch.number == batch_number.strip().upper())
            )
            if batch is None:
                raise BatchUnknown("no handover batch with this number", batch=batch_number)
            if batch.confirmed_at is None:
                batch.confirmed_at = self.clock()
                batch.confirmed_by = actor.username
                audit.record(session, actor, "intake.handover_confirmed", batch.number)
            return self._batch_view(session, batch, actor)

    def handover_batch(self, actor: Actor, batch_number: str) -> HandoverView:
        actor.require(*READ_ROLES)
        with self._store.read() as session:
            batch = session.scalar(
                select(HandoverBatch).where(HandoverBatch.number == batch_number.strip().upper())
            )
            if batch is None:
                raise BatchUnknown("no handover batch with this number", batch=batch_number)
            return self._batch_view(session, batch, actor)

    def handover_list(self, actor: Actor, batch_number: str) -> HandoverList:
        """The data of the printed handover list (交接清单)."""
        view = self.handover_batch(actor, batch_number)
        lines = []
        with self._store.read() as session:
            for summary in view.files:
                row, _template, _checklist, state = self._load(session, summary.id)
                lines.append(
                    HandoverLine(
                        claim_number=row.claim_number,
                        receipt_number=row.receipt_number,
                        claim_type_name=summary.claim_type_name,
                        plate=row.plate,
                        documents=len(state.received),
                        pages=sum(d.pages for d in state.received),
                    )
                )
            branch = _branch_name(session)
        return HandoverList(view.number, branch, view.created_at, view.created_by, tuple(lines))

    def archive(self, actor: Actor, file_id: uuid.UUID, location: str) -> FileView:
        actor.require(*ARCHIVE_ROLES)
        place = location.strip()
        if not place or len(place) > 64:
            raise IntakeError("archive location is 1 to 64 characters", field="location")
        with self._store.write() as session:
            row, template, _checklist, _state = self._load(session, file_id)
            if row.status not in (FileStatus.COMPLETE.value, FileStatus.HANDED_OVER.value,
                                  FileStatus.ARCHIVED.value):  # fmt: skip
                raise FileClosed(
                    "only a complete file is archived",
                    claim_number=row.claim_number,
                    status=row.status,
                )
            self._append(session, row, actor, EntryKind.ARCHIVED, {"location": place})
            return self._settle(session, row, actor, template)

    # --- the customer's receipt ---
    def receipt(self, actor: Actor, file_id: uuid.UUID) -> IntakeReceipt:
        actor.require(*READ_ROLES)
        with self._store.read() as session:
            row, template, checklist, state = self._load(session, file_id)
            assessment = assess(checklist, state.facts, state.received)
            received, missing = _receipt_lines(checklist, assessment)
            return IntakeReceipt(
                receipt_number=row.receipt_number,
                claim_number=row.claim_number,
                claim_type_name=template.name,
                branch_name=_branch_name(session),
                contact_phone=self._settings.get(INTAKE_CONTACT_PHONE),
                opened_at=row.opened_at,
                collector=row.opened_by,
                submitter=mask_name(row.submitter_name),
                submitter_phone=mask_phone(row.submitter_phone) if row.submitter_phone else "",
                plate=row.plate,
                channel=Channel(row.channel),
                received=received,
                missing=missing,
                due=state.due if missing else None,
                printed_at=self.clock(),
            )

    # --- door-to-door pickup ---
    def create_pickup(self, actor: Actor, request: PickupCreate) -> PickupView:
        actor.require(*ARCHIVE_ROLES)
        claim_number = normalize_claim_number(
            request.claim_number, self._settings.get(INTAKE_CLAIM_NUMBER_PATTERN)
        )
        if not request.address.strip():
            raise IntakeError("a pickup needs an address", field="address")
        if not request.contact_name.strip():
            raise IntakeError("a pickup needs a contact name", field="contact_name")
        if not PHONE.match(request.contact_phone.strip()):
            raise IntakeError("phone number is not valid", field="contact_phone")
        start, end = _aware(request.window_start), _aware(request.window_end)
        if end <= start:
            raise IntakeError("the time window ends before it starts", field="window_end")
        now = self.clock()
        with self._store.write() as session:
            if request.assigned_to:
                _require_staff(session, request.assigned_to)
            row = PickupRequest(
                id=new_id(),
                claim_number=claim_number,
                contact_name=request.contact_name.strip()[:64],
                contact_phone=request.contact_phone.strip(),
                address=request.address.strip()[:200],
                window_start=start,
                window_end=end,
                documents=[d.strip()[:64] for d in request.documents if d.strip()][:40],
                state=PickupState.ASSIGNED if request.assigned_to else PickupState.OPEN,
                assigned_to=request.assigned_to,
                outcome="",
                created_at=now,
                created_by=actor.username,
            )
            session.add(row)
            events.publish(session, events.INTAKE_CHANGED, {"pickup": str(row.id)})
            return self._pickup_view(row, actor)

    def assign_pickup(self, actor: Actor, pickup_id: uuid.UUID, username: str) -> PickupView:
        actor.require(*ARCHIVE_ROLES)
        with self._store.write() as session:
            row = _pickup_row(session, pickup_id)
            _require_open_pickup(row)
            _require_staff(session, username)
            row.assigned_to = username
            row.state = PickupState.ASSIGNED
            events.publish(session, events.INTAKE_CHANGED, {"pickup": str(row.id)})
            return self._pickup_view(row, actor)

    def close_pickup(
        self, actor: Actor, pickup_id: uuid.UUID, state: str, outcome: str
    ) -> PickupView:
        actor.require(*ARCHIVE_ROLES)
        if state not in (PickupState.DONE, PickupState.FAILED, PickupState.CANCELLED):
            raise IntakeError("a pickup ends done, failed or cancelled", field="state")
        if state != PickupState.DONE and not outcome.strip():
            raise IntakeError("say why the pickup failed or was cancelled", field="outcome")
        with self._store.write() as session:
            row = _pickup_row(session, pickup_id)
            _require_open_pickup(row)
            row.state = state
            row.outcome = outcome.strip()[:200]
            row.closed_at = self.clock()
            audit.record(session, actor, f"intake.pickup_{state}", row.claim_number)
            events.publish(session, events.INTAKE_CHANGED, {"pickup": str(row.id)})
            return self._pickup_view(row, actor)

    def pickups(self, actor: Actor, include_closed: bool = False) -> tuple[PickupView, ...]:
        """Open pickups, overdue first (the window's end passed), then by the window."""
        actor.require(*READ_ROLES)
        with self._store.read() as session:
            query = select(PickupRequest)
            if not include_closed:
                query = query.where(PickupRequest.state.in_(OPEN_PICKUP_STATES))
            rows = session.scalars(query).all()
        now = self.clock()
        ordered = sorted(
            rows,
            key=lambda r: (
                0 if _is_open_pickup(r) and _aware(r.window_end) < now else 1,
                _aware(r.window_start),
                r.created_at,
            ),
        )
        return tuple(self._pickup_view(r, actor) for r in ordered)

    # --- productivity ---
    def productivity(self, actor: Actor, day: date | None = None) -> tuple[CollectorDay, ...]:
        """Files each collector handled on ``day`` (opened or added documents to)."""
        actor.require(Role.MANAGER, Role.COLLECTOR, Role.BACKOFFICE)
        when = (day or self.today()).isoformat()
        with self._store.read() as session:
            rows = session.execute(
                select(EntryRow.actor, func.count(func.distinct(EntryRow.file_id)))
                .where(
                    EntryRow.business_day == when,
                    EntryRow.kind.in_((EntryKind.OPENED.value, EntryKind.RECEIVED.value)),
                )
                .group_by(EntryRow.actor)
                .order_by(func.count(func.distinct(EntryRow.file_id)).desc(), EntryRow.actor)
            ).all()
        return tuple(CollectorDay(name, date.fromisoformat(when), int(n)) for name, n in rows)

    # --- plumbing ---
    def _load(
        self, session: Session, file_id: uuid.UUID
    ) -> tuple[IntakeFile, ChecklistTemplate, Checklist, FileState]:
        row = _file_row(session, file_id)
        template = session.get_one(ChecklistTemplate, row.template_id)
        checklist = _checklist(template)
        return row, template, checklist, replay(_entries(session, row.id), checklist)

    def _append(
        self,
        session: Session,
        row: IntakeFile,
        actor: Actor,
        kind: EntryKind,
        detail: dict[str, Any],
        refers_to: uuid.UUID | None = None,
    ) -> None:
        now = self.clock()
        row.last_seq += 1
        row.updated_at = now
        session.add(
            EntryRow(
                id=new_id(),
                file_id=row.id,
                seq=row.last_seq,
                kind=kind.value,
                at=now,
                actor=actor.username,
                business_day=now.astimezone(self.tz).date().isoformat(),
                detail=detail,
                refers_to=refers_to,
            )
        )
        session.flush()

    def _settle(
        self, session: Session, row: IntakeFile, actor: Actor, template: ChecklistTemplate
    ) -> FileView:
        """Complete or reopen the file as its documents now say, and rewrite its projection."""
        checklist = _checklist(template)
        state = replay(_entries(session, row.id), checklist)
        assessment = assess(checklist, state.facts, state.received)
        if assessment.complete and state.completed_at is None:
            self._append(session, row, actor, EntryKind.COMPLETED, {})
        elif not assessment.complete and state.completed_at is not None:
            if state.handed_over_batch is not None or state.archive_location is not None:
                raise FileClosed("the file has left the counter", claim_number=row.claim_number)
            self._append(session, row, actor, EntryKind.REOPENED, {})
        state = replay(_entries(session, row.id), checklist)
        row.status = status_of(state, assessment).value
        row.due = state.due.isoformat() if state.due and not assessment.complete else None
        row.missing_count = len(assessment.missing)
        row.completed_at = state.completed_at
        row.completed_by = state.completed_by
        row.archive_location = state.archive_location
        events.publish(
            session,
            events.INTAKE_CHANGED,
            {"file": str(row.id), "claim_number": row.claim_number, "status": row.status},
        )
        return self._view(session, row, template, checklist, state, actor)

    def _view(
        self,
        session: Session,
        row: IntakeFile,
        template: ChecklistTemplate,
        checklist: Checklist,
        state: FileState,
        actor: Actor,
    ) -> FileView:
        assessment = assess(checklist, state.facts, state.received)
        latest = session.scalar(
            select(func.max(ChecklistTemplate.version)).where(
                ChecklistTemplate.claim_type == row.claim_type
            )
        )
        full = bool(actor.roles & PERSONAL_DATA_ROLES)
        due = _due(row)
        return FileView(
            id=row.id,
            claim_number=row.claim_number,
            receipt_number=row.receipt_number,
            claim_type=row.claim_type,
            claim_type_name=template.name,
            template_version=template.version,
            latest_version=int(latest or template.version),
            channel=row.channel,
            tracking_number=row.tracking_number,
            submitter_name=row.submitter_name,
            submitter_phone=row.submitter_phone if full else mask_phone(row.submitter_phone),
            submitter_relation=row.submitter_relation,
            submitter_id_number=(
                row.submitter_id_number if full else mask_id_number(row.submitter_id_number)
            ),
            plate=row.plate,
            opened_at=row.opened_at,
            opened_by=row.opened_by,
            status=row.status,
            due=due,
            overdue=is_overdue(due, self.today()),
            complete=assessment.complete,
            missing_count=len(assessment.missing),
            facts=tuple(sorted(state.facts)),
            available_facts=tuple(FactView(f.code, f.name) for f in checklist.facts),
            items=tuple(_item_view(a) for a in assessment.items),
            entries=tuple(
                EntryView(e.id, e.seq, e.kind.value, e.at, e.actor, dict(e.detail), e.refers_to)
                for e in _entries(session, row.id)
            ),
            completed_at=state.completed_at,
            completed_by=state.completed_by,
            archive_location=state.archive_location,
            handover_batch=state.handed_over_batch,
        )

    def _batch_view(self, session: Session, batch: HandoverBatch, actor: Actor) -> HandoverView:
        rows = session.scalars(
            select(IntakeFile)
            .where(IntakeFile.handover_batch_id == batch.id)
            .order_by(IntakeFile.claim_number)
        ).all()
        names = _type_names(session)
        today = self.today()
        return HandoverView(
            number=batch.number,
            created_at=batch.created_at,
            created_by=batch.created_by,
            files=tuple(_summary(r, names, today, actor) for r in rows),
            confirmed_at=batch.confirmed_at,
            confirmed_by=batch.confirmed_by,
        )

    def _pickup_view(self, row: PickupRequest, actor: Actor) -> PickupView:
        full = bool(actor.roles & PERSONAL_DATA_ROLES)
        return PickupView(
            id=row.id,
            claim_number=row.claim_number,
            contact_name=row.contact_name,
            contact_phone=row.contact_phone if full else mask_phone(row.contact_phone),
            address=row.address,
            window_start=_aware(row.window_start),
            window_end=_aware(row.window_end),
            documents=tuple(row.documents),
            state=row.state,
            assigned_to=row.assigned_to,
            outcome=row.outcome,
            overdue=_is_open_pickup(row) and _aware(row.window_end) < self.clock(),
            created_at=row.created_at,
            created_by=row.created_by,
        )


# --- helpers ---


def _enum(kind: Any, value: str, field: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise IntakeError(f"{field} {value!r} is not known", field=field) from None


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise IntakeError("times must carry their time zone", field="time")
    return value.astimezone(UTC)


def _prefix(column: Any, text: str) -> Any:
    # A range, not LIKE: SQLite's LIKE ignores case and so cannot use the column's index.
    return and_(column >= text, column < text + "\U0010ffff")


def _due(row: IntakeFile) -> date | None:
    return date.fromisoformat(row.due) if row.due else None


def _file_row(session: Session, file_id: uuid.UUID) -> IntakeFile:
    row = session.get(IntakeFile, file_id)
    if row is None:
        raise FileUnknown("no such intake file", file=str(file_id))
    return row


def _pickup_row(session: Session, pickup_id: uuid.UUID) -> PickupRequest:
    row = session.get(PickupRequest, pickup_id)
    if row is None:
        raise PickupUnknown("no such pickup", pickup=str(pickup_id))
    return row


def _is_open_pickup(row: PickupRequest) -> bool:
    return row.state in OPEN_PICKUP_STATES


def _require_open_pickup(row: PickupRequest) -> None:
    if not _is_open_pickup(row):
        raise FileClosed("this pickup is already closed", state=row.state)


def _require_staff(session: Session, username: str) -> None:
    from counter_app.storage.models import Staff

    if session.scalar(select(Staff.id).where(Staff.username == username)) is None:
        raise NotFound("no staff member with this username", username=username)


def _require_open(row: IntakeFile) -> None:
    if row.status in (FileStatus.HANDED_OVER.value, FileStatus.ARCHIVED.value):
        raise FileClosed("the file has been handed over or archived", claim_number=row.claim_number)


def _entries(session: Session, file_id: uuid.UUID) -> list[IntakeEntry]:
    rows = session.scalars(
        select(EntryRow).where(EntryRow.file_id == file_id).order_by(EntryRow.seq)
    ).all()
    return [
        IntakeEntry(
            id=str(r.id),
            seq=r.seq,
            kind=EntryKind(r.kind),
            at=r.at,
            actor=r.actor,
            detail=dict(r.detail),
            refers_to=str(r.refers_to) if r.refers_to else None,
        )
        for r in rows
    ]


def _checklist(template: ChecklistTemplate) -> Checklist:
    return checklist_from_data(
        {
            "claim_type": template.claim_type,
            "name": template.name,
            "version": template.version,
            "items": template.items,
            "facts": template.facts or [],
        }
    )


def _latest_templates(session: Session) -> list[ChecklistTemplate]:
    newest = (
        select(ChecklistTemplate.claim_type, func.max(ChecklistTemplate.version).label("v"))
        .group_by(ChecklistTemplate.claim_type)
        .subquery()
    )
    return list(
        session.scalars(
            select(ChecklistTemplate)
            .join(
                newest,
                and_(
                    ChecklistTemplate.claim_type == newest.c.claim_type,
                    ChecklistTemplate.version == newest.c.v,
                ),
            )
            .order_by(ChecklistTemplate.claim_type)
        )
    )


def _latest_template(session: Session, claim_type: str) -> ChecklistTemplate:
    template = session.scalar(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.claim_type == claim_type)
        .order_by(ChecklistTemplate.version.desc())
        .limit(1)
    )
    if template is None:
        raise UnknownClaimType("no checklist for this claim type", claim_type=claim_type)
    return template


def _type_names(session: Session) -> dict[str, str]:
    return {t.claim_type: t.name for t in _latest_templates(session)}


def _checklist_view(template: ChecklistTemplate) -> ChecklistView:
    return ChecklistView(
        claim_type=template.claim_type,
        name=template.name,
        version=template.version,
        facts=tuple(FactView(f["code"], f["name"]) for f in template.facts or []),
        items=tuple(template.items),
    )


def _next_number(session: Session, name: str, period: str) -> int:
    statement = (
        sqlite_insert(DayCounter)
        .values(name=name, period=period, last_seq=1)
        .on_conflict_do_update(
            index_elements=["name", "period"], set_={"last_seq": DayCounter.last_seq + 1}
        )
        .returning(DayCounter.last_seq)
    )
    return int(session.execute(statement).scalar_one())


def _branch_name(session: Session) -> str:
    row = session.get(HubMeta, "branch_name")
    return row.value if row else ""


def _summary(row: IntakeFile, names: dict[str, str], today: date, actor: Actor) -> FileSummary:
    full = bool(actor.roles & PERSONAL_DATA_ROLES)
    due = _due(row)
    return FileSummary(
        id=row.id,
        claim_number=row.claim_number,
        receipt_number=row.receipt_number,
        claim_type=row.claim_type,
        claim_type_name=names.get(row.claim_type, row.claim_type),
        plate=row.plate,
        submitter_name=row.submitter_name if full else mask_name(row.submitter_name),
        submitter_phone=row.submitter_phone if full else mask_phone(row.submitter_phone),
        status=row.status,
        due=due,
        overdue=row.status == FileStatus.INCOMPLETE.value and is_overdue(due, today),
        missing_count=row.missing_count,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
    )


def _item_view(assessment: Any) -> ItemView:
    item = assessment.item
    return ItemView(
        code=item.code,
        name=item.name,
        status=assessment.status.value,
        original=item.original,
        required=item.required,
        when=item.when,
        alternatives=tuple(FactView(a.code, a.name) for a in item.alternatives),
        documents=tuple(
            DocumentView(
                d.entry_id,
                d.document,
                item.document_name(d.document),
                d.form.value,
                d.pages,
                d.at,
                d.actor,
            )
            for d in assessment.documents
        ),
    )


def _receipt_lines(
    checklist: Checklist, assessment: Assessment
) -> tuple[tuple[ReceiptLine, ...], tuple[ReceiptLine, ...]]:
    received: list[ReceiptLine] = []
    missing: list[ReceiptLine] = []
    for a in assessment.items:
        for d in a.documents:
            received.append(ReceiptLine(a.item.document_name(d.document), d.form, d.pages))
        if a.status is ItemStatus.MISSING:
            names = " / ".join(alt.name for alt in a.item.alternatives) or a.item.name
            missing.append(ReceiptLine(names, None, 0, "需原件" if a.item.original else ""))
        elif a.status is ItemStatus.COPY_ONLY:
            missing.append(ReceiptLine(a.item.name, None, 0, "已收复印件，需补原件"))
    return tuple(received), tuple(missing)
