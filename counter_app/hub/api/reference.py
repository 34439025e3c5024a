"""Reference data and the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, Query

from counter_app.hub.schemas import (
    AuditEntryOut,
    AuditProblemOut,
    AuditVerifyOut,
    ChecklistTemplateOut,
    CounterWindowOut,
    PrinterOut,
    ReferenceOut,
    ServiceTypeOut,
)
from counter_app.hub.security import AdminOrManager, AnyStaff, Hub

router = APIRouter(prefix="/api", tags=["reference"])


@router.get("/reference")
def reference(actor: AnyStaff, context: Hub) -> ReferenceOut:
    data = context.reference.load()
    return ReferenceOut(
        service_types=[ServiceTypeOut(**vars(s)) for s in data.service_types],
        windows=[
            CounterWindowOut(
                id=w.id, number=w.number, name=w.name, service_codes=list(w.service_codes)
            )
            for w in data.windows
        ],
        checklists=[
            ChecklistTemplateOut(
                id=c.id,
                claim_type=c.claim_type,
                name=c.name,
                version=c.version,
                items=list(c.items),
            )
            for c in data.checklists
        ],
        printers=[PrinterOut(**vars(p)) for p in data.printers],
    )


@router.get("/audit")
def audit_entries(
    actor: AdminOrManager,
    context: Hub,
    limit: int = Query(default=100, ge=1, le=1000),
    action: str | None = Query(default=None, max_length=64),
) -> list[AuditEntryOut]:
    return [AuditEntryOut(**vars(e)) for e in context.audit.recent(limit, action)]


@router.get("/audit/verify")
def audit_verify(actor: AdminOrManager, context: Hub) -> AuditVerifyOut:
    count, problems = context.audit.verify()
    return AuditVerifyOut(
        entries=count,
        ok=not problems,
        problems=[AuditProblemOut(seq=p.seq, kind=p.kind, message=p.message) for p in problems],
    )
