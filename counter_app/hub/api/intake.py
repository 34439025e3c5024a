"""Claim-document intake: files and their documents, follow-up, handover, archive, pickups.

Routes (documented in docs/intake.md), all under /api/intake:
  GET  /checklists                         the current checklist of each claim type
  POST /files                              open a file (201); 409 intake.file_exists with file_id
  GET  /files?q=&status=&day_from=&day_to= search
  GET  /files/follow-up                    incomplete files, overdue first
  GET  /files/by-claim/{claim_number}      a file by its claim report number
  GET  /files/{id}                         a file with its checklist and its story
  POST /files/{id}/documents               tick a document (code or scanned DOC-... barcode)
  POST /files/{id}/withdraw                take a ticked document back (a correction)
  POST /files/{id}/pages                   correct a ticked document's page count
  PUT  /files/{id}/facts                   the circumstances the checklist's rules read
  POST /files/{id}/contacts                log a follow-up contact
  POST /files/{id}/archive                 record the archive location
  GET  /files/{id}/receipt                 the customer's receipt (data)
  GET  /files/{id}/receipt.pdf?page=A5     the receipt as PDF (A5 or A4)
  GET  /handovers/{number}/list.pdf        the handover list to sign
  GET  /checklists/{claim_type}/card.pdf   a card of document barcodes to scan from
  POST /handovers, GET /handovers/{number}, POST /handovers/{number}/confirm
  GET/POST /pickups, POST /pickups/{id}/assign, POST /pickups/{id}/close
  GET  /productivity?day=
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from counter_app.domain.intake import UnknownClaimType
from counter_app.hub.responses import pdf_response
from counter_app.hub.schemas import (
    ArchiveIn,
    ChecklistOut,
    CollectorDayOut,
    ContactIn,
    DocumentIn,
    FactsIn,
    HandoverIn,
    HandoverOut,
    IntakeFileOut,
    IntakeFileSummaryOut,
    IntakeOpenIn,
    IntakeReceiptOut,
    PagesIn,
    PickupAssignIn,
    PickupCloseIn,
    PickupIn,
    PickupOut,
    WithdrawIn,
)
from counter_app.hub.security import Hub, RoleGuard
from counter_app.printing.intake_pdf import (
    render_checklist_card_pdf,
    render_handover_pdf,
    render_receipt_pdf,
)
from counter_app.services.actor import Actor
from counter_app.services.intake import (
    ARCHIVE_ROLES,
    INTAKE_ROLES,
    READ_ROLES,
    FileView,
    IntakeOpen,
    PickupCreate,
)

router = APIRouter(prefix="/api/intake", tags=["intake"])

Collector = Annotated[Actor, Depends(RoleGuard(*INTAKE_ROLES))]
Archivist = Annotated[Actor, Depends(RoleGuard(*ARCHIVE_ROLES))]
Reader = Annotated[Actor, Depends(RoleGuard(*READ_ROLES))]


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value)


def _file(view: FileView) -> IntakeFileOut:
    return IntakeFileOut.model_validate(_plain(view))


@router.get("/checklists")
def checklists(actor: Reader, context: Hub) -> list[ChecklistOut]:
    return [ChecklistOut.model_validate(_plain(c)) for c in context.intake.checklists()]


@router.post("/files", status_code=201)
def open_file(body: IntakeOpenIn, actor: Collector, context: Hub) -> IntakeFileOut:
    request = IntakeOpen(**{**body.model_dump(), "facts": tuple(body.facts)})
    return _file(context.intake.open(actor, request))


@router.get("/files")
def search_files(
    actor: Reader,
    context: Hub,
    q: Annotated[str, Query(max_length=64)] = "",
    status: Literal["incomplete", "complete", "handed_over", "archived"] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[IntakeFileSummaryOut]:
    found = context.intake.search(actor, q, status, day_from, day_to, limit)
    return [IntakeFileSummaryOut.model_validate(_plain(f)) for f in found]


@router.get("/files/follow-up")
def follow_up(actor: Reader, context: Hub, mine: bool = False) -> list[IntakeFileSummaryOut]:
    return [
        IntakeFileSummaryOut.model_validate(_plain(f))
        for f in context.intake.follow_up(actor, mine)
    ]


@router.get("/files/by-claim/{claim_number}")
def file_by_claim(claim_number: str, actor: Reader, context: Hub) -> IntakeFileOut:
    return _file(context.intake.by_claim_number(actor, claim_number))


@router.get("/files/{file_id}")
def get_file(file_id: uuid.UUID, actor: Reader, context: Hub) -> IntakeFileOut:
    return _file(context.intake.file(actor, file_id))


@router.post("/files/{file_id}/documents")
def receive_document(
    file_id: uuid.UUID, body: DocumentIn, actor: Collector, context: Hub
) -> IntakeFileOut:
    return _file(context.intake.receive(actor, file_id, body.document, body.form, body.pages))


@router.post("/files/{file_id}/withdraw")
def withdraw_document(
    file_id: uuid.UUID, body: WithdrawIn, actor: Collector, context: Hub
) -> IntakeFileOut:
    return _file(context.intake.withdraw(actor, file_id, str(body.entry_id), body.reason))


@router.post("/files/{file_id}/pages")
def correct_pages(
    file_id: uuid.UUID, body: PagesIn, actor: Collector, context: Hub
) -> IntakeFileOut:
    return _file(context.intake.correct_pages(actor, file_id, str(body.entry_id), body.pages))


@router.put("/files/{file_id}/facts")
def set_facts(file_id: uuid.UUID, body: FactsIn, actor: Collector, context: Hub) -> IntakeFileOut:
    return _file(context.intake.set_facts(actor, file_id, body.facts))


@router.post("/files/{file_id}/contacts")
def log_contact(
    file_id: uuid.UUID, body: ContactIn, actor: Collector, context: Hub
) -> IntakeFileOut:
    view = context.intake.log_contact(
        actor, file_id, body.method, body.outcome, body.note, body.next_due
    )
    return _file(view)


@router.post("/files/{file_id}/archive")
def archive_file(
    file_id: uuid.UUID, body: ArchiveIn, actor: Archivist, context: Hub
) -> IntakeFileOut:
    return _file(context.intake.archive(actor, file_id, body.location))


@router.get("/files/{file_id}/receipt")
def receipt(file_id: uuid.UUID, actor: Reader, context: Hub) -> IntakeReceiptOut:
    return IntakeReceiptOut.model_validate(_plain(context.intake.receipt(actor, file_id)))


@router.get("/files/{file_id}/receipt.pdf", response_class=Response)
def receipt_pdf(
    file_id: uuid.UUID, actor: Reader, context: Hub, page: Literal["A5", "A4"] = "A5"
) -> Response:
    receipt = context.intake.receipt(actor, file_id)
    return pdf_response(
        render_receipt_pdf(receipt, context.intake.tz, page), receipt.receipt_number
    )


@router.get("/handovers/{number}/list.pdf", response_class=Response)
def handover_pdf(number: str, actor: Reader, context: Hub) -> Response:
    handover = context.intake.handover_list(actor, number)
    return pdf_response(render_handover_pdf(handover, context.intake.tz), handover.batch_number)


@router.get("/checklists/{claim_type}/card.pdf", response_class=Response)
def checklist_card_pdf(claim_type: str, actor: Reader, context: Hub) -> Response:
    for checklist in context.intake.checklists():
        if checklist.claim_type == claim_type:
            documents = [
                (str(alternative["code"]), str(alternative["name"]))
                for item in checklist.items
                for alternative in (item.get("alternatives") or [item])
            ]
            title = f"{checklist.name} 单证条码卡（第 {checklist.version} 版）"
            return pdf_response(render_checklist_card_pdf(title, documents), f"card-{claim_type}")
    raise UnknownClaimType("no checklist for this claim type", claim_type=claim_type)


@router.post("/handovers", status_code=201)
def hand_over(body: HandoverIn, actor: Archivist, context: Hub) -> HandoverOut:
    return HandoverOut.model_validate(_plain(context.intake.hand_over(actor, body.files)))


@router.get("/handovers/{number}")
def handover(number: str, actor: Reader, context: Hub) -> HandoverOut:
    return HandoverOut.model_validate(_plain(context.intake.handover_batch(actor, number)))


@router.post("/handovers/{number}/confirm")
def confirm_handover(number: str, actor: Archivist, context: Hub) -> HandoverOut:
    return HandoverOut.model_validate(_plain(context.intake.confirm_handover(actor, number)))


@router.get("/pickups")
def pickups(actor: Reader, context: Hub, include_closed: bool = False) -> list[PickupOut]:
    return [
        PickupOut.model_validate(_plain(p)) for p in context.intake.pickups(actor, include_closed)
    ]


@router.post("/pickups", status_code=201)
def create_pickup(body: PickupIn, actor: Archivist, context: Hub) -> PickupOut:
    request = PickupCreate(**{**body.model_dump(), "documents": tuple(body.documents)})
    return PickupOut.model_validate(_plain(context.intake.create_pickup(actor, request)))


@router.post("/pickups/{pickup_id}/assign")
def assign_pickup(
    pickup_id: uuid.UUID, body: PickupAssignIn, actor: Archivist, context: Hub
) -> PickupOut:
    view = context.intake.assign_pickup(actor, pickup_id, body.username)
    return PickupOut.model_validate(_plain(view))


@router.post("/pickups/{pickup_id}/close")
def close_pickup(
    pickup_id: uuid.UUID, body: PickupCloseIn, actor: Archivist, context: Hub
) -> PickupOut:
    view = context.intake.close_pickup(actor, pickup_id, body.state, body.outcome)
    return PickupOut.model_validate(_plain(view))


@router.get("/productivity")
def productivity(actor: Archivist, context: Hub, day: date | None = None) -> list[CollectorDayOut]:
    return [
        CollectorDayOut(
            collector=d.collector,
            day=d.day,
            files=d.files,
            norm=d.norm,
            percent_of_norm=d.percent_of_norm,
        )
        for d in context.intake.productivity(actor, day)
    ]
