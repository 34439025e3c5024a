"""Policies and endorsements to print, and the print queue, under /api/printing
(documented in docs/forms.md).

  POST /import?source=                      a core-system JSON file (docs/policy.schema.json)
  GET  /documents?q=                        search by number, plate or insured
  GET  /documents/{number}                  one document with its data
  GET  /documents/{number}/layouts          the layouts that print it
  GET  /documents/{number}/preview.pdf      a layout filled in, with the form's scan behind it
  POST /jobs                                a print job (201)
  GET  /jobs?everyone=                      the caller's jobs (a manager: everyone's)
  GET  /jobs/{id}, GET /jobs/{id}/form.pdf?dx_mm=&dy_mm=&scale_x=&scale_y=
  GET  /jobs/{id}/attachment.pdf            continuation pages (附页) for plain paper
  POST /jobs/{id}/sending|sent|failed|retry|cancel|confirm|misprint
  GET  /calibration.pdf?width_mm=&height_mm=&dx_mm=…   the ruler page for a printer
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from counter_app.domain.blank_forms import ApprovalNeeded
from counter_app.hub.responses import pdf_response
from counter_app.hub.schemas import (
    ImportOut,
    LayoutOut,
    MisprintIn,
    PolicyDocumentFullOut,
    PolicyDocumentOut,
    PrintJobIn,
    PrintJobOut,
    PrintJobStepIn,
)
from counter_app.hub.security import Hub, RoleGuard
from counter_app.printing.form_pdf import Calibration, render_calibration_page, render_form
from counter_app.services.actor import Actor
from counter_app.services.policy_file import MAX_FILE_BYTES, PolicyFileInvalid
from counter_app.services.policy_printing import (
    IMPORT_ROLES,
    PRINT_ROLES,
    READ_ROLES,
    JobView,
)

router = APIRouter(prefix="/api/printing", tags=["printing"])

Importer = Annotated[Actor, Depends(RoleGuard(*IMPORT_ROLES))]
Clerk = Annotated[Actor, Depends(RoleGuard(*PRINT_ROLES))]
Reader = Annotated[Actor, Depends(RoleGuard(*READ_ROLES))]
Millimetres = Annotated[float, Query(ge=-20, le=20)]
Scale = Annotated[float, Query(ge=0.9, le=1.1)]


def _job(view: JobView) -> PrintJobOut:
    return PrintJobOut.model_validate(dataclasses.asdict(view))


@router.post("/import")
async def import_file(
    request: Request,
    actor: Importer,
    context: Hub,
    source: Annotated[str, Query(max_length=200)] = "",
) -> ImportOut:
    declared = int(request.headers.get("content-length") or 0)
    if declared > MAX_FILE_BYTES:
        raise PolicyFileInvalid(
            "file too large",
            errors=[
                {
                    "path": "(file)",
                    "rule": "file_size",
                    "detail": str(MAX_FILE_BYTES),
                    "value": str(declared),
                }
            ],
        )
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_FILE_BYTES:  # a sender that lied about its length
            break
    result = await run_in_threadpool(context.printing.import_file, actor, bytes(raw), source)
    return ImportOut.model_validate(dataclasses.asdict(result))


@router.get("/documents")
def documents(
    actor: Reader,
    context: Hub,
    q: Annotated[str, Query(max_length=40)] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[PolicyDocumentOut]:
    return [
        PolicyDocumentOut.model_validate(dataclasses.asdict(d))
        for d in context.printing.search(actor, q, limit)
    ]


@router.get("/documents/{number}")
def document(number: str, actor: Reader, context: Hub) -> PolicyDocumentFullOut:
    summary, body = context.printing.document(actor, number)
    return PolicyDocumentFullOut(
        summary=PolicyDocumentOut.model_validate(dataclasses.asdict(summary)), body=body
    )


@router.get("/documents/{number}/layouts")
def layouts(number: str, actor: Reader, context: Hub) -> list[LayoutOut]:
    summary, _body = context.printing.document(actor, number)
    return [
        LayoutOut(
            name=name,
            title=layout.title,
            paper=layout.paper,
            blank_form=layout.blank_form,
            width_mm=layout.width_mm,
            height_mm=layout.height_mm,
        )
        for name, layout in context.printing.layouts(summary.kind, summary.product)
    ]


@router.get("/documents/{number}/preview.pdf", response_class=Response)
def preview(
    number: str,
    actor: Reader,
    context: Hub,
    layout: Annotated[str, Query(max_length=64)],
    background: bool = True,
) -> Response:
    context.printing.document(actor, number)  # the role check and a clear 404
    form, body = context.printing.layout_for(number, layout)
    return pdf_response(render_form(form, body, background=background), f"{number}-{layout}")


@router.post("/jobs", status_code=201)
def create_job(body: PrintJobIn, actor: Clerk, context: Hub) -> PrintJobOut:
    view = context.printing.create_job(
        actor, body.document, body.layout, body.printer, body.reprint_reason
    )
    return _job(view)


@router.get("/jobs")
def jobs(actor: Clerk, context: Hub, everyone: bool = False) -> list[PrintJobOut]:
    return [_job(v) for v in context.printing.jobs(actor, everyone)]


@router.get("/jobs/{job_id}")
def job(job_id: uuid.UUID, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.job(actor, job_id))


@router.get("/jobs/{job_id}/form.pdf", response_class=Response)
def job_pdf(
    job_id: uuid.UUID,
    actor: Clerk,
    context: Hub,
    dx_mm: Millimetres = 0.0,
    dy_mm: Millimetres = 0.0,
    scale_x: Scale = 1.0,
    scale_y: Scale = 1.0,
) -> Response:
    """What goes to the printer: the fields alone, moved by this printer's calibration."""
    view = context.printing.job(actor, job_id)
    form, body = context.printing.layout_for(view.document, view.layout)
    calibration = Calibration(dx_mm, dy_mm, scale_x, scale_y)
    part: Literal["all", "form"] = "form" if form.paper == "preprinted" else "all"
    data = render_form(form, body, calibration=calibration, part=part)
    return pdf_response(data, f"{view.document}-{view.layout}")


@router.get("/jobs/{job_id}/attachment.pdf", response_class=Response)
def job_attachment_pdf(job_id: uuid.UUID, actor: Clerk, context: Hub) -> Response:
    """A pre-printed job's continuation pages (附页), for plain paper on the office printer;
    404 printing.no_attachment when everything fits on the form."""
    view = context.printing.job(actor, job_id)
    form, body = context.printing.layout_for(view.document, view.layout)
    data = render_form(form, body, part="attachment")
    return pdf_response(data, f"{view.document}-{view.layout}-attachment")


@router.post("/jobs/{job_id}/sending")
def sending(job_id: uuid.UUID, body: PrintJobStepIn, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.sending(actor, job_id, body.printer))


@router.post("/jobs/{job_id}/sent")
def sent(job_id: uuid.UUID, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.sent(actor, job_id))


@router.post("/jobs/{job_id}/failed")
def failed(job_id: uuid.UUID, body: PrintJobStepIn, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.failed(actor, job_id, body.error))


@router.post("/jobs/{job_id}/retry")
def retry(job_id: uuid.UUID, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.retry(actor, job_id))


@router.post("/jobs/{job_id}/cancel")
def cancel(job_id: uuid.UUID, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.cancel(actor, job_id))


@router.post("/jobs/{job_id}/confirm")
def confirm(job_id: uuid.UUID, actor: Clerk, context: Hub) -> PrintJobOut:
    return _job(context.printing.confirm(actor, job_id))


@router.post("/jobs/{job_id}/misprint")
def misprint(job_id: uuid.UUID, body: MisprintIn, actor: Clerk, context: Hub) -> PrintJobOut:
    """The spoiled form is voided (a supervisor approves with their own password) and the
    returned job is the reprint, queued for the next form."""
    view = context.printing.job(actor, job_id)
    approver = actor
    if view.serial:
        if body.supervisor is None:
            raise ApprovalNeeded("a misprinted form is voided with a supervisor's approval")
        approver = context.auth.approve(
            body.supervisor.username,
            body.supervisor.password,
            actor.workstation,
            f"printing.misprint {view.document} {view.serial}",
        )
    return _job(context.printing.misprint(actor, job_id, body.reason, approver))


@router.get("/calibration.pdf", response_class=Response)
def calibration_page(
    actor: Clerk,
    width_mm: Annotated[float, Query(ge=50, le=500)] = 210.0,
    height_mm: Annotated[float, Query(ge=50, le=500)] = 297.0,
    dx_mm: Millimetres = 0.0,
    dy_mm: Millimetres = 0.0,
    scale_x: Scale = 1.0,
    scale_y: Scale = 1.0,
) -> Response:
    calibration = Calibration(dx_mm, dy_mm, scale_x, scale_y)
    return pdf_response(render_calibration_page(width_mm, height_mm, calibration), "calibration")
