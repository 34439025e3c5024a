"""Claim-document intake: checklists, what a file still lacks, its append-only story, follow-up.

Standard library only. The hub's ``IntakeDesk`` service applies these inside its transactions.

A checklist template (reference data from head office, versioned) lists the documents a claim
type needs. An item may apply only under some circumstances (``when``: the facts that must hold,
e.g. 伤残鉴定书 only when disability is claimed), and may be satisfied by any one of several
documents (``alternatives``: 事故认定书 or 调解书 or 自行协商协议书). An intake keeps the template
version it was opened with.

A file's history is append-only: every receipt, correction, contact and completion is an
``IntakeEntry``; a correction names the entry it takes back. ``replay`` folds the entries into
the file's present state, and ``assess`` decides from the template and that state what is
received and what is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from counter_app.domain.errors import Conflict, InvalidInput, NotFound

# The seed's staffing norm for a collector (files a person handles in a day).
FILES_PER_DAY_NORM = 30
DEFAULT_CLAIM_NUMBER_PATTERN = r"[A-Z]{2,6}[0-9]{10,20}"
# The prefix a document's own barcode (or a checklist card's) carries: ``DOC-<item code>``.
DOCUMENT_BARCODE_PREFIX = "DOC-"
RECEIPT_PREFIX = "SD"


class IntakeError(InvalidInput):
    code = "intake.invalid"


class BadClaimNumber(InvalidInput):
    code = "intake.bad_claim_number"


class UnknownClaimType(NotFound):
    code = "intake.unknown_claim_type"


class UnknownDocument(InvalidInput):
    code = "intake.unknown_document"


class DocumentNotApplicable(Conflict):
    code = "intake.document_not_applicable"


class DocumentAlreadyReceived(Conflict):
    code = "intake.document_already_received"


class EntryUnknown(NotFound):
    code = "intake.entry_unknown"


class FileUnknown(NotFound):
    code = "intake.file_unknown"


class FileClosed(Conflict):
    code = "intake.file_closed"


class FileIncomplete(Conflict):
    code = "intake.incomplete"


class FileExists(Conflict):
    code = "intake.file_exists"


class Channel(StrEnum):
    COUNTER = "counter"
    COURIER = "courier"  # needs a tracking number
    PARTNER = "partner"  # a partner point
    REPAIR_SHOP = "repair_shop"
    PICKUP = "pickup"  # 上门收单


class Relation(StrEnum):
    INSURED = "insured"  # 被保险人本人
    FAMILY = "family"
    AGENT = "agent"  # 受托人: an entrusted submission
    REPAIR_SHOP = "repair_shop"
    OTHER = "other"


class Form(StrEnum):
    ORIGINAL = "original"
    COPY = "copy"


class EntryKind(StrEnum):
    OPENED = "opened"
    RECEIVED = "received"
    WITHDRAWN = "withdrawn"  # a correction: takes back an earlier ``received``
    PAGES = "pages"  # a correction: the page count of an earlier ``received``
    FACTS = "facts"  # the circumstances changed (e.g. disability now claimed)
    CONTACT = "contact"
    DUE = "due"  # a new follow-up date
    COMPLETED = "completed"
    REOPENED = "reopened"
    ARCHIVED = "archived"
    HANDED_OVER = "handed_over"


class ContactMethod(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    VISIT = "visit"


class ContactOutcome(StrEnum):
    REACHED = "reached"  # the customer will bring / send the documents
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    REFUSED = "refused"
    SENT = "sent"  # an SMS was sent


class FileStatus(StrEnum):
    INCOMPLETE = "incomplete"  # 资料不齐
    COMPLETE = "complete"
    HANDED_OVER = "handed_over"
    ARCHIVED = "archived"


class ItemStatus(StrEnum):
    RECEIVED = "received"
    COPY_ONLY = "copy_only"  # a copy came, the original is needed
    MISSING = "missing"
    OPTIONAL = "optional"  # applies, not required, not received
    NOT_APPLICABLE = "not_applicable"


# --- claim numbers and barcodes ---


def normalize_claim_number(text: str, pattern: str = DEFAULT_CLAIM_NUMBER_PATTERN) -> str:
    """The claim report number (报案号) as scanned or typed: trimmed, upper case, checked."""
    value = text.strip().upper()
    if not value:
        raise BadClaimNumber("claim number is empty", value=text)
    if len(value) > 40 or re.fullmatch(pattern, value, re.IGNORECASE) is None:
        raise BadClaimNumber("claim number does not match the branch's pattern", value=value[:40])
    return value


def document_code_from_barcode(text: str) -> str | None:
    """``DOC-<code>`` (a document's own barcode or a checklist card) gives ``code``."""
    value = text.strip()
    if value.upper().startswith(DOCUMENT_BARCODE_PREFIX):
        code = value[len(DOCUMENT_BARCODE_PREFIX) :].lower()
        if re.fullmatch(r"[a-z][a-z0-9_]{0,47}", code):
            return code
    return None


def document_barcode(code: str) -> str:
    return f"{DOCUMENT_BARCODE_PREFIX}{code.upper()}"


def format_receipt_number(day: date, seq: int) -> str:
    """收单回执号: ``SD20261123-0007``, per branch and day."""
    return f"{RECEIPT_PREFIX}{day:%Y%m%d}-{seq:04d}"


# --- templates ---


@dataclass(frozen=True)
class Alternative:
    code: str
    name: str


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    name: str
    original: bool = False  # the original is needed; a copy does not satisfy it
    required: bool = True
    when: tuple[str, ...] = ()  # facts that must all hold for the item to apply
    alternatives: tuple[Alternative, ...] = ()  # any one of these satisfies the item

    def applies(self, facts: frozenset[str]) -> bool:
        return all(f in facts for f in self.when)

    def accepts(self, code: str) -> bool:
        return code == self.code or any(a.code == code for a in self.alternatives)

    def document_name(self, code: str) -> str:
        for alternative in self.alternatives:
            if alternative.code == code:
                return alternative.name
        return self.name


@dataclass(frozen=True)
class Fact:
    code: str
    name: str


@dataclass(frozen=True)
class Checklist:
    """One version of a claim type's checklist, with the shared items already merged in."""

    claim_type: str
    name: str
    version: int
    items: tuple[ChecklistItem, ...]
    facts: tuple[Fact, ...] = ()

    def item_for(self, document_code: str) -> ChecklistItem:
        for item in self.items:
            if item.accepts(document_code):
                return item
        raise UnknownDocument(
            "this document is not on the claim type's checklist",
            document=document_code,
            claim_type=self.claim_type,
        )

    def check_facts(self, facts: Iterable[str]) -> frozenset[str]:
        known = {f.code for f in self.facts}
        given = frozenset(facts)
        unknown = sorted(given - known)
        if unknown:
            raise IntakeError("unknown circumstance", facts=unknown)
        return given


def checklist_from_data(data: Mapping[str, Any]) -> Checklist:
    """A template as stored (JSON) or published (TOML): ``items`` and optional ``facts``."""
    try:
        items = tuple(
            ChecklistItem(
                code=str(raw["code"]),
                name=str(raw["name"]),
                original=bool(raw.get("original", False)),
                required=bool(raw.get("required", True)),
                when=tuple(str(w) for w in raw.get("when", ())),
                alternatives=tuple(
                    Alternative(str(a["code"]), str(a["name"])) for a in raw.get("alternatives", ())
                ),
            )
            for raw in data["items"]
        )
        facts = tuple(Fact(str(f["code"]), str(f["name"])) for f in data.get("facts", ()))
        checklist = Checklist(
            claim_type=str(data["claim_type"]),
            name=str(data["name"]),
            version=int(data.get("version", 1)),
            items=items,
            facts=facts,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise IntakeError(f"checklist template is malformed: {exc}") from exc
    _check_template(checklist)
    return checklist


def _check_template(checklist: Checklist) -> None:
    codes: list[str] = []
    for item in checklist.items:
        codes.append(item.code)
        codes.extend(a.code for a in item.alternatives)
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise IntakeError("a document appears twice in the template", documents=doubled)
    bad = [c for c in codes if not re.fullmatch(r"[a-z][a-z0-9_]{0,47}", c)]
    if bad:
        raise IntakeError("document codes are lower-case letters, digits and _", documents=bad)
    known = {f.code for f in checklist.facts}
    undeclared = sorted({w for item in checklist.items for w in item.when} - known)
    if undeclared:
        raise IntakeError("a rule names an undeclared circumstance", facts=undeclared)


def merge_templates(shared: Mapping[str, Any] | None, own: Mapping[str, Any]) -> dict[str, Any]:
    """A claim type's template with the shared ("all claims") items first, as published."""
    items = list(shared.get("items", ())) if shared else []
    facts = list(shared.get("facts", ())) if shared else []
    seen = {f["code"] for f in facts}
    facts += [f for f in own.get("facts", ()) if f["code"] not in seen]
    return {**own, "items": items + list(own.get("items", ())), "facts": facts}


# --- the file's story ---


@dataclass(frozen=True)
class IntakeEntry:
    id: str
    seq: int
    kind: EntryKind
    at: datetime
    actor: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    refers_to: str | None = None


@dataclass(frozen=True)
class ReceivedDocument:
    entry_id: str
    document: str  # the document code (the item's or one alternative's)
    item: str  # the checklist item it satisfies
    form: Form
    pages: int
    at: datetime
    actor: str


@dataclass(frozen=True)
class Contact:
    entry_id: str
    at: datetime
    actor: str
    method: ContactMethod
    outcome: ContactOutcome
    note: str


@dataclass(frozen=True)
class FileState:
    """What the entries add up to."""

    facts: frozenset[str]
    received: tuple[ReceivedDocument, ...]
    contacts: tuple[Contact, ...]
    due: date | None
    completed_at: datetime | None
    completed_by: str | None
    archive_location: str | None
    handed_over_batch: str | None


def replay(entries: Sequence[IntakeEntry], checklist: Checklist) -> FileState:
    """Fold the file's entries, in order, into its present state."""
    facts: frozenset[str] = frozenset()
    received: dict[str, ReceivedDocument] = {}
    contacts: list[Contact] = []
    due: date | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    location: str | None = None
    batch: str | None = None
    for entry in sorted(entries, key=lambda e: e.seq):
        d = entry.detail
        if entry.kind in (EntryKind.OPENED, EntryKind.FACTS):
            facts = frozenset(d.get("facts", ()))
            if d.get("due"):
                due = date.fromisoformat(d["due"])
        elif entry.kind is EntryKind.RECEIVED:
            item = checklist.item_for(d["document"])
            received[entry.id] = ReceivedDocument(
                entry.id,
                d["document"],
                item.code,
                Form(d["form"]),
                int(d.get("pages", 1)),
                entry.at,
                entry.actor,
            )
        elif entry.kind is EntryKind.WITHDRAWN:
            received.pop(entry.refers_to or "", None)
        elif entry.kind is EntryKind.PAGES:
            earlier = received.get(entry.refers_to or "")
            if earlier is not None:
                received[earlier.entry_id] = replace(earlier, pages=int(d["pages"]))
        elif entry.kind is EntryKind.CONTACT:
            contacts.append(
                Contact(
                    entry.id,
                    entry.at,
                    entry.actor,
                    ContactMethod(d["method"]),
                    ContactOutcome(d["outcome"]),
                    str(d.get("note", "")),
                )
            )
            if d.get("due"):
                due = date.fromisoformat(d["due"])
        elif entry.kind is EntryKind.DUE:
            due = date.fromisoformat(d["due"])
        elif entry.kind is EntryKind.COMPLETED:
            completed_at, completed_by = entry.at, entry.actor
        elif entry.kind is EntryKind.REOPENED:
            completed_at = completed_by = None
            batch = None
        elif entry.kind is EntryKind.ARCHIVED:
            location = str(d["location"])
        elif entry.kind is EntryKind.HANDED_OVER:
            batch = str(d["batch"])
    return FileState(
        facts,
        tuple(received.values()),
        tuple(contacts),
        due,
        completed_at,
        completed_by,
        location,
        batch,
    )


@dataclass(frozen=True)
class ItemAssessment:
    item: ChecklistItem
    status: ItemStatus
    documents: tuple[ReceivedDocument, ...]

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.documents)


@dataclass(frozen=True)
class Assessment:
    items: tuple[ItemAssessment, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing(self) -> tuple[ItemAssessment, ...]:
        return tuple(
            a for a in self.items if a.status in (ItemStatus.MISSING, ItemStatus.COPY_ONLY)
        )

    @property
    def received(self) -> tuple[ItemAssessment, ...]:
        return tuple(a for a in self.items if a.documents)


def assess(
    checklist: Checklist, facts: frozenset[str], received: Iterable[ReceivedDocument]
) -> Assessment:
    """Each item's status: received, a copy where the original is needed, missing, optional, or
    not applicable under the file's circumstances. Complete means nothing missing."""
    by_item: dict[str, list[ReceivedDocument]] = {}
    for document in received:
        by_item.setdefault(document.item, []).append(document)
    result = []
    for item in checklist.items:
        documents = tuple(by_item.get(item.code, ()))
        if not item.applies(facts):
            status = ItemStatus.NOT_APPLICABLE
        elif any(d.form is Form.ORIGINAL for d in documents) or (documents and not item.original):
            status = ItemStatus.RECEIVED
        elif documents:
            status = ItemStatus.COPY_ONLY if item.required else ItemStatus.RECEIVED
        else:
            status = ItemStatus.MISSING if item.required else ItemStatus.OPTIONAL
        result.append(ItemAssessment(item, status, documents))
    return Assessment(tuple(result))


def check_receipt(
    checklist: Checklist,
    facts: frozenset[str],
    received: Iterable[ReceivedDocument],
    document: str,
    form: Form,
) -> ChecklistItem:
    """Refuse a document that is not on the list, does not apply, or is already in the file in
    that form (the same document scanned twice)."""
    item = checklist.item_for(document)
    if not item.applies(facts):
        raise DocumentNotApplicable(
            "this document does not apply to the file's circumstances",
            document=document,
            needs=list(item.when),
        )
    for earlier in received:
        if earlier.document == document and (earlier.form is form or earlier.form is Form.ORIGINAL):
            raise DocumentAlreadyReceived(
                "this document is already ticked", document=document, form=earlier.form.value
            )
    return item


def status_of(state: FileState, assessment: Assessment) -> FileStatus:
    if state.archive_location is not None and state.completed_at is not None:
        return FileStatus.ARCHIVED
    if state.handed_over_batch is not None:
        return FileStatus.HANDED_OVER
    if state.completed_at is not None:
        return FileStatus.COMPLETE
    return FileStatus.INCOMPLETE


# --- follow-up ---


def first_due(opened: date, follow_up_days: int) -> date:
    """An incomplete file's first follow-up date: ``follow_up_days`` later, skipping Sundays
    (branches open on Saturdays)."""
    due = opened + timedelta(days=follow_up_days)
    if due.weekday() == 6:
        due += timedelta(days=1)
    return due


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def follow_up_key(due: date | None, opened_at: datetime, today: date) -> tuple[int, date, datetime]:
    """Sort key for the follow-up and pickup lists: overdue first (oldest due first), then due
    today and later, then those with no date."""
    if due is None:
        return (2, date.max, opened_at)
    return (0 if due < today else 1, due, opened_at)


def reminder_text(
    branch_name: str,
    claim_number: str,
    missing: Sequence[str],
    due: date | None,
    contact_phone: str,
) -> str:
    """The text message a collector copies to remind a customer of missing documents."""
    lines = [f"【{branch_name}】您好！" if branch_name else "您好！"]
    if missing:
        lines.append(f"您报案号 {claim_number} 的索赔资料尚缺：{'、'.join(missing)}。")
        if due is not None:
            lines.append(f"请于 {due.year}年{due.month}月{due.day}日 前补交，以免影响理赔进度。")
    else:
        lines.append(f"您报案号 {claim_number} 的索赔资料已齐全，感谢配合。")
    if contact_phone:
        lines.append(f"咨询电话：{contact_phone}。")
    return "".join(lines)


# --- personal data ---


def _mask_middle(text: str, head: int, tail: int) -> str:
    return f"{text[:head]}{'*' * (len(text) - head - tail)}{text[len(text) - tail :]}"


def mask_phone(phone: str) -> str:
    """A mobile number keeps its first 3 and last 4 digits; a shorter one only its last 2, so
    at least four digits are always hidden."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    if len(digits) >= 11:
        return _mask_middle(digits, 3, 4)
    return _mask_middle(digits, 0, 2)


def mask_id_number(value: str) -> str:
    """An 18-character ID keeps its first and last 4; shorter numbers less."""
    text = value.strip()
    if len(text) <= 8:
        return "*" * len(text)
    if len(text) < 15:
        return _mask_middle(text, 2, 2)
    return _mask_middle(text, 4, 4)


def mask_name(name: str) -> str:
    text = name.strip()
    if len(text) <= 1:
        return text
    return text[0] + "*" * (len(text) - 1)


def mask_account(value: str) -> str:
    text = re.sub(r"\s", "", value)
    return f"**** {text[-4:]}" if len(text) > 4 else "*" * len(text)


# --- productivity ---


@dataclass(frozen=True)
class CollectorDay:
    collector: str
    day: date
    files: int
    norm: int = FILES_PER_DAY_NORM

    @property
    def percent_of_norm(self) -> int:
        return round(self.files * 100 / self.norm) if self.norm else 0


# --- what the customer's receipt and the handover list show ---


@dataclass(frozen=True)
class ReceiptLine:
    name: str  # the document's name (the alternative actually received, if any)
    form: Form | None  # None for a missing item
    pages: int = 0
    note: str = ""  # e.g. "需原件" for a copy where the original is needed


@dataclass(frozen=True)
class IntakeReceipt:
    """Everything on the customer's intake receipt (收单回执); personal data already masked."""

    receipt_number: str
    claim_number: str
    claim_type_name: str
    branch_name: str
    contact_phone: str
    opened_at: datetime  # aware; printed in the branch's time zone by the caller's choice
    collector: str
    submitter: str
    submitter_phone: str
    plate: str
    channel: Channel
    received: tuple[ReceiptLine, ...]
    missing: tuple[ReceiptLine, ...]
    due: date | None
    printed_at: datetime


@dataclass(frozen=True)
class HandoverLine:
    claim_number: str
    receipt_number: str
    claim_type_name: str
    plate: str
    documents: int
    pages: int


@dataclass(frozen=True)
class HandoverList:
    """A batch of complete files for the claims department (交接清单), signed on paper."""

    batch_number: str
    branch_name: str
    created_at: datetime
    created_by: str
    files: tuple[HandoverLine, ...]
