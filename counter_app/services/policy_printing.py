"""Policies and endorsements to print, and the print queue (出单打印).

A print job goes: queued → printing (the workstation sent it; a pre-printed job now names the
blank form on top of the clerk's stack) → to_confirm (the printer took it) → printed (the
clerk checked the form; the serial is used with the policy number, in the same transaction).
A job that failed keeps its serial and can be retried on the same form, or the form is
declared a misprint: it is voided with a supervisor's approval and a new job takes the next
serial. Nothing is marked printed until the clerk confirms it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from counter_app.domain.blank_forms import NoBlankForms, SerialState
from counter_app.domain.errors import Conflict, InvalidInput, NotFound
from counter_app.domain.roles import Role
from counter_app.printing.form_layout import FormLayout, all_layouts
from counter_app.printing.form_pdf import page_count
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.services.blank_forms import BlankFormDesk, load_form_type
from counter_app.services.policy_file import PolicyDoc, parse_batch
from counter_app.storage.database import Store
from counter_app.storage.models import BlankFormSerial, PolicyDocument, PrintJob
from counter_app.storage.types import utcnow

PRINT_ROLES = (Role.CLERK, Role.CHANNEL, Role.MANAGER)
IMPORT_ROLES = (Role.CLERK, Role.BACKOFFICE, Role.MANAGER)
READ_ROLES = (Role.CLERK, Role.CHANNEL, Role.BACKOFFICE, Role.MANAGER, Role.SERVICE)

QUEUED, PRINTING, TO_CONFIRM, PRINTED = "queued", "printing", "to_confirm", "printed"
FAILED, CANCELLED, MISPRINTED = "failed", "cancelled", "misprinted"
OPEN_STATES = (QUEUED, PRINTING, TO_CONFIRM, FAILED)
# Jobs whose form may have gone through the printer: their serial is spoken for.
HOLDS_FORM = (PRINTING, TO_CONFIRM, FAILED)


class DocumentUnknown(NotFound):
    code = "printing.document_unknown"


class LayoutUnknown(NotFound):
    code = "printing.layout_unknown"


class LayoutMismatch(InvalidInput):
    code = "printing.layout_mismatch"


class ReprintReasonNeeded(Conflict):
    code = "printing.reprint_reason_needed"


class JobUnknown(NotFound):
    code = "printing.job_unknown"


class JobState(Conflict):
    code = "printing.job_state"


class AlreadyPrinted(Conflict):
    code = "policies.already_printed"


@dataclass(frozen=True)
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # printed already, and changed since


@dataclass(frozen=True)
class DocumentSummary:
    number: str
    kind: str
    product: str
    policy_number: str
    insured_name: str
    plate: str
    imported_at: datetime
    printed_at: datetime | None


@dataclass(frozen=True)
class JobView:
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
    state: str
    reprint_reason: str
    reprint_of: uuid.UUID | None
    error: str
    attempts: int
    created_at: datetime
    updated_at: datetime
    attachment_pages: int = 0  # continuation pages (附页) of a pre-printed job, for plain paper


class PrintDesk:
    def __init__(self, store: Store, forms: BlankFormDesk) -> None:
        self._store = store
        self._forms = forms
        self.clock = utcnow

    # --- documents ---
    def import_file(self, actor: Actor, raw: bytes, source: str = "") -> ImportResult:
        """A core-system file: all or nothing on schema errors; a printed document that
        changed since is refused by itself (its correction comes as an endorsement)."""
        actor.require(*IMPORT_ROLES)
        docs = parse_batch(raw)
        result = ImportResult()
        now = self.clock()
        with self._store.write() as session:
            for doc in docs:
                row = session.get(PolicyDocument, doc.number)
                if row is None:
                    session.add(_row(doc, actor, now, source))
                    result.added.append(doc.number)
                elif row.digest == doc.digest:
                    result.unchanged.append(doc.number)
                elif row.printed_at is not None:
                    result.refused.append(doc.number)
                else:
                    _update(row, doc, actor, now, source)
                    result.updated.append(doc.number)
            audit.record(
                session,
                actor,
                "policies.import",
                source[:100],
                {
                    "added": len(result.added),
                    "updated": len(result.updated),
                    "refused": result.refused[:20],
                },
            )
        return result

    def search(self, actor: Actor, text: str = "", limit: int = 100) -> list[DocumentSummary]:
        """By policy, endorsement or plate number, or the insured's name; newest first."""
        actor.require(*READ_ROLES)
        query = select(PolicyDocument).order_by(
            PolicyDocument.imported_at.desc(), PolicyDocument.number
        )
        text = text.strip()[:40]
        if text:
            like = f"%{text}%"
            query = query.where(
                or_(
                    PolicyDocument.number == text.upper(),
                    PolicyDocument.policy_number == text.upper(),
                    PolicyDocument.plate.like(like),
                    PolicyDocument.insured_name.like(like),
                    PolicyDocument.number.like(f"%{text.upper()}%"),
                )
            )
        with self._store.read() as session:
            rows = session.scalars(query.limit(max(1, min(limit, 500)))).all()
            return [_summary(r) for r in rows]

    def document(self, actor: Actor, number: str) -> tuple[DocumentSummary, dict[str, Any]]:
        actor.require(*READ_ROLES)
        with self._store.read() as session:
            row = _document(session, number)
            return _summary(row), dict(row.body)

    def layouts(self, kind: str, product: str) -> list[tuple[str, FormLayout]]:
        return [
            (name, layout)
            for name, layout in sorted(all_layouts().items())
            if layout.document == kind and product in layout.products
        ]

    def layout_for(self, number: str, layout: str) -> tuple[FormLayout, dict[str, Any]]:
        """A layout and the document it prints, checked to belong together."""
        with self._store.read() as session:
            row = _document(session, number)
            return _check_layout(row, layout), dict(row.body)

    # --- the queue ---
    def create_job(
        self,
        actor: Actor,
        number: str,
        layout: str,
        printer: str = "",
        reprint_reason: str = "",
    ) -> JobView:
        """A job for a document on a layout. A document printed before needs a reason (a
        reprint, audited); a pre-printed layout needs a blank form of its type in the clerk's
        hands, said now rather than at the printer."""
        actor.require(*PRINT_ROLES)
        now = self.clock()
        with self._store.write() as session:
            row = _document(session, number)
            form = _check_layout(row, layout)
            reason = reprint_reason.strip()[:200]
            if row.printed_at is not None and not reason:
                raise ReprintReasonNeeded(
                    "printed before: a reprint needs its reason", document=number
                )
            if form.blank_form:
                self._forms.form_type(form.blank_form)  # a layout naming no known type
                _top_of_stack(session, form.blank_form, actor.username, exclude=())
            job = PrintJob(
                id=uuid.uuid4(),
                document=number,
                layout=layout,
                form_type=form.blank_form,
                serial=None,
                clerk=actor.username,
                workstation=actor.workstation,
                printer=printer[:200],
                state=QUEUED,
                reprint_reason=reason if row.printed_at is not None else "",
                reprint_of=None,
                error="",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            session.add(job)
            if job.reprint_reason:
                audit.record(
                    session,
                    actor,
                    "printing.reprint",
                    number,
                    {"reason": job.reprint_reason, "layout": layout},
                )
            audit.record(session, actor, "printing.job", number, {"layout": layout})
            session.flush()
            _changed(session, job)
            return _view(session, job)

    def jobs(self, actor: Actor, everyone: bool = False, limit: int = 200) -> list[JobView]:
        """The clerk's jobs, open ones first; a manager may see everyone's."""
        actor.require(*PRINT_ROLES, Role.BACKOFFICE)
        query = select(PrintJob).order_by(PrintJob.updated_at.desc()).limit(limit)
        if not (everyone and actor.roles & {Role.MANAGER, Role.BACKOFFICE}):
            query = query.where(PrintJob.clerk == actor.username)
        with self._store.read() as session:
            rows = session.scalars(query).all()
            views = [_view(session, r) for r in rows]
        return sorted(views, key=lambda v: (v.state not in OPEN_STATES, -v.updated_at.timestamp()))

    def job(self, actor: Actor, job_id: uuid.UUID) -> JobView:
        actor.require(*PRINT_ROLES, Role.BACKOFFICE)
        with self._store.read() as session:
            return _view(session, self._own(session, actor, job_id))

    def sending(self, actor: Actor, job_id: uuid.UUID, printer: str = "") -> JobView:
        """The workstation is about to send the job: a pre-printed job takes the top blank
        form of the clerk's stack that no other open job holds."""
        return self._step(actor, job_id, (QUEUED,), PRINTING, printer=printer)

    def sent(self, actor: Actor, job_id: uuid.UUID) -> JobView:
        """The printer took the whole job; the clerk now checks the form."""
        return self._step(actor, job_id, (PRINTING,), TO_CONFIRM)

    def failed(self, actor: Actor, job_id: uuid.UUID, error: str) -> JobView:
        """The printer refused or vanished: the job and its serial wait for a retry."""
        return self._step(actor, job_id, (PRINTING, QUEUED), FAILED, error=error)

    def retry(self, actor: Actor, job_id: uuid.UUID) -> JobView:
        """Again on the same form (it came out blank): back in the queue, serial kept."""
        return self._step(actor, job_id, (FAILED,), QUEUED)

    def cancel(self, actor: Actor, job_id: uuid.UUID) -> JobView:
        """A job not printed; a form it held goes back on top of the stack, still blank."""
        return self._step(actor, job_id, (QUEUED, FAILED), CANCELLED)

    def confirm(self, actor: Actor, job_id: uuid.UUID) -> JobView:
        """The form came out right: the document is printed and its serial used."""
        now = self.clock()
        with self._store.write() as session:
            job = self._own(session, actor, job_id)
            _require_state(job, (TO_CONFIRM,))
            row = _document(session, job.document)
            if job.form_type and job.serial:
                self._forms.use_in(
                    session, actor, job.form_type, row.number, job.serial, clerk=job.clerk
                )
            job.state, job.updated_at = PRINTED, now
            row.printed_at = row.printed_at or now
            _changed(session, job)
            audit.record(
                session,
                actor,
                "printing.printed",
                job.document,
                {"serial": job.serial or "", "layout": job.layout},
            )
            return _view(session, job)

    def misprint(self, actor: Actor, job_id: uuid.UUID, reason: str, approver: Actor) -> JobView:
        """The form is spoiled (misaligned, jammed, half printed): it is voided with the
        supervisor's approval and a new job for the next form takes its place in the queue."""
        now = self.clock()
        with self._store.write() as session:
            job = self._own(session, actor, job_id)
            _require_state(job, (TO_CONFIRM, FAILED))
            if job.form_type and job.serial:
                self._forms.void_in(
                    session, actor, job.form_type, job.serial, reason, approver, clerk=job.clerk
                )
            elif not reason.strip():
                raise InvalidInput("a misprint says what went wrong")
            job.state, job.updated_at, job.error = MISPRINTED, now, reason.strip()[:400]
            again = PrintJob(
                id=uuid.uuid4(),
                document=job.document,
                layout=job.layout,
                form_type=job.form_type,
                serial=None,
                clerk=job.clerk,
                workstation=actor.workstation,
                printer=job.printer,
                state=QUEUED,
                reprint_reason=job.reprint_reason,
                reprint_of=job.id,
                error="",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            session.add(again)
            _changed(session, job)
            audit.record(
                session,
                actor,
                "printing.misprint",
                job.document,
                {
                    "serial": job.serial or "",
                    "reason": reason.strip()[:200],
                    "approved_by": approver.username,
                },
            )
            session.flush()
            return _view(session, again)

    # --- plumbing ---
    def _own(self, session: Session, actor: Actor, job_id: uuid.UUID) -> PrintJob:
        job = session.get(PrintJob, job_id)
        if job is None or (job.clerk != actor.username and Role.MANAGER not in actor.roles):
            raise JobUnknown("no such print job", job=str(job_id))
        return job

    def _step(
        self,
        actor: Actor,
        job_id: uuid.UUID,
        allowed: Sequence[str],
        to: str,
        *,
        printer: str = "",
        error: str = "",
    ) -> JobView:
        actor.require(*PRINT_ROLES)
        with self._store.write() as session:
            job = self._own(session, actor, job_id)
            _require_state(job, allowed)
            if to == PRINTING:
                job.attempts += 1
                job.printer = printer[:200] or job.printer
                job.workstation = actor.workstation
                if job.form_type and job.serial is None:
                    job.serial = _top_of_stack(
                        session, job.form_type, job.clerk, exclude=_held(session, job)
                    )
            if to == CANCELLED:
                job.serial = None
            job.error = error[:400] if to == FAILED else ""
            job.state, job.updated_at = to, self.clock()
            _changed(session, job)
            audit.record(
                session,
                actor,
                f"printing.{to}",
                job.document,
                {"job": str(job.id), "serial": job.serial or "", "error": job.error},
            )
            return _view(session, job)


def _changed(session: Session, job: PrintJob) -> None:
    events.publish(
        session,
        events.PRINT_JOB_CHANGED,
        {"job": str(job.id), "clerk": job.clerk, "state": job.state},
    )


def _require_state(job: PrintJob, allowed: Sequence[str]) -> None:
    if job.state not in allowed:
        raise JobState("the job is not in a state for this", state=job.state, allowed=list(allowed))


def _held(session: Session, job: PrintJob) -> set[str]:
    rows = session.scalars(
        select(PrintJob.serial).where(
            PrintJob.clerk == job.clerk,
            PrintJob.form_type == job.form_type,
            PrintJob.state.in_(HOLDS_FORM),
            PrintJob.id != job.id,
            PrintJob.serial.is_not(None),
        )
    )
    return {s for s in rows if s}


def _top_of_stack(session: Session, code: str, clerk: str, exclude: set[str] | tuple[()]) -> str:
    kind = load_form_type(session, code)
    rows = session.scalars(
        select(BlankFormSerial.serial)
        .where(
            BlankFormSerial.form_type == code,
            BlankFormSerial.holder == clerk,
            BlankFormSerial.state == SerialState.ISSUED.value,
        )
        .order_by(BlankFormSerial.serial)
        .limit(len(exclude) + 1)
    )
    for serial in rows:
        text = kind.format(serial)
        if text not in exclude:
            return text
    raise NoBlankForms("no blank forms of this type with this clerk", form_type=code)


def _document(session: Session, number: str) -> PolicyDocument:
    row = session.get(PolicyDocument, number.strip().upper()[:40])
    if row is None:
        raise DocumentUnknown("no such policy or endorsement", number=number[:40])
    return row


def _check_layout(row: PolicyDocument, name: str) -> FormLayout:
    layout = all_layouts().get(name)
    if layout is None:
        raise LayoutUnknown("no such layout", layout=name[:64])
    if layout.document != row.kind or row.product not in layout.products:
        raise LayoutMismatch(
            "this layout prints other documents", layout=name, kind=row.kind, product=row.product
        )
    return layout


def _row(doc: PolicyDoc, actor: Actor, now: datetime, source: str) -> PolicyDocument:
    row = PolicyDocument(number=doc.number, printed_at=None)
    _update(row, doc, actor, now, source)
    return row


def _update(row: PolicyDocument, doc: PolicyDoc, actor: Actor, now: datetime, source: str) -> None:
    row.kind, row.product, row.policy_number = doc.kind, doc.product, doc.policy_number
    row.insured_name, row.plate = doc.insured_name[:200], doc.plate
    row.body, row.digest = doc.body, doc.digest
    row.imported_at, row.imported_by, row.source = now, actor.username, source[:200]


def _summary(row: PolicyDocument) -> DocumentSummary:
    return DocumentSummary(
        row.number,
        row.kind,
        row.product,
        row.policy_number,
        row.insured_name,
        row.plate,
        row.imported_at,
        row.printed_at,
    )


def _view(session: Session, job: PrintJob) -> JobView:
    doc = session.get(PolicyDocument, job.document)
    layout = all_layouts().get(job.layout)
    extra = 0
    if job.state in OPEN_STATES and doc and layout and layout.paper == "preprinted":
        extra = page_count(layout, doc.body) - 1
    return JobView(
        id=job.id,
        document=job.document,
        kind=doc.kind if doc else "",
        insured_name=doc.insured_name if doc else "",
        layout=job.layout,
        layout_title=layout.title if layout else job.layout,
        paper=layout.paper if layout else "",
        form_type=job.form_type,
        serial=job.serial,
        clerk=job.clerk,
        workstation=job.workstation,
        printer=job.printer,
        state=job.state,
        reprint_reason=job.reprint_reason,
        reprint_of=job.reprint_of,
        error=job.error,
        attempts=job.attempts,
        created_at=job.created_at,
        updated_at=job.updated_at,
        attachment_pages=extra,
    )
