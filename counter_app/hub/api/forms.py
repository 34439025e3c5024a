"""The valuable blank-form ledger (有价单证), all under /api/forms (documented in docs/forms.md).

GET  /types                         the branch's form types
POST /receive                       an allocation from head office into stock
POST /issue, POST /take-back        领用 to a clerk, unused forms back into stock
POST /write-off                     回销: used and voided forms handed back
POST /lose                          遗失: a form reported lost
POST /void                          作废: a spoiled blank form, with a supervisor's approval
GET  /holdings?holder=              what is where, as serial ranges
GET  /next?form_type=               the form on top of the caller's stack
GET  /reconciliation?first=&last=   the period's lines per holder and form type
GET  /reconciliation.pdf            the same as the signed report
POST /stock-take, /stock-take.pdf   盘点: counted ranges against the ledger
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Response

from counter_app.config.settings import BRANCH_TIME_ZONE
from counter_app.domain.blank_forms import FormType, SerialRange
from counter_app.domain.errors import InvalidInput
from counter_app.domain.roles import Role
from counter_app.hub.responses import pdf_response
from counter_app.hub.schemas import (
    AllotmentOut,
    FormHolderOut,
    FormTypeIn,
    FormTypeOut,
    HoldingOut,
    LoseIn,
    MovedOut,
    ReconciliationLineOut,
    SerialsIn,
    SerialSpanIn,
    StockTakeIn,
    StockTakeOut,
    VoidIn,
)
from counter_app.hub.security import Hub, RoleGuard
from counter_app.printing.forms_report import (
    ReportHeader,
    UnreturnedRange,
    reconciliation_pdf,
    stock_take_pdf,
)
from counter_app.services.actor import Actor
from counter_app.services.blank_forms import PRINT_ROLES, STOCK_ROLES

router = APIRouter(prefix="/api/forms", tags=["forms"])

Stock = Annotated[Actor, Depends(RoleGuard(*STOCK_ROLES))]
Printer = Annotated[Actor, Depends(RoleGuard(*PRINT_ROLES))]
Definer = Annotated[Actor, Depends(RoleGuard(Role.ADMIN, Role.MANAGER))]
Anyone = Annotated[Actor, Depends(RoleGuard(*STOCK_ROLES, *PRINT_ROLES))]


@router.get("/types")
def form_types(actor: Anyone, context: Hub) -> list[FormTypeOut]:
    return [FormTypeOut.model_validate(dataclasses.asdict(t)) for t in context.forms.form_types()]


@router.put("/types/{code}")
def define_type(code: str, body: FormTypeIn, actor: Definer, context: Hub) -> FormTypeOut:
    """A form type and how its serials are written (head office's list); changing the prefix
    or digits of a type the branch already holds forms of is refused."""
    if body.code != code:
        raise InvalidInput("the code in the path and the body differ", code=code[:32])
    kind = FormType(body.code, body.name, body.prefix, body.digits)
    return FormTypeOut.model_validate(dataclasses.asdict(context.forms.define_type(actor, kind)))


@router.get("/allotments")
def allotments(actor: Stock, context: Hub) -> list[AllotmentOut]:
    """Head office's allotments not received yet: what F2 (receive) offers first."""
    kinds = {k.code: k for k in context.forms.form_types()}
    found = []
    for a in context.forms.allotments():
        kind = kinds.get(a.form_type)
        if kind is None:
            continue  # its form type is not published here yet: shown once it is
        found.append(
            AllotmentOut(
                id=a.id,
                form_type=a.form_type,
                first=kind.format(a.first),
                last=kind.format(a.last),
                count=a.last - a.first + 1,
                allotted_at=a.allotted_at,
                note=a.note,
            )
        )
    return found


@router.get("/holders")
def holders(actor: Stock, context: Hub) -> list[FormHolderOut]:
    """The staff forms can be issued to (printing posts), with their names, for the back
    office, which may not read the staff list itself."""
    return [
        FormHolderOut(username=u, display_name=n)
        for u, n in context.staff.with_roles(frozenset(PRINT_ROLES))
    ]


@router.post("/receive")
def receive(body: SerialSpanIn, actor: Stock, context: Hub) -> MovedOut:
    return MovedOut(moved=context.forms.receive(actor, body.form_type, body.first, body.last))


@router.post("/issue")
def issue(body: SerialSpanIn, actor: Stock, context: Hub) -> MovedOut:
    moved = context.forms.issue(actor, body.form_type, body.first, body.last, body.clerk)
    return MovedOut(moved=moved)


@router.post("/take-back")
def take_back(body: SerialSpanIn, actor: Stock, context: Hub) -> MovedOut:
    moved = context.forms.take_back(actor, body.form_type, body.first, body.last, body.clerk)
    return MovedOut(moved=moved)


@router.post("/write-off")
def write_off(body: SerialsIn, actor: Stock, context: Hub) -> MovedOut:
    if body.everything:
        return MovedOut(moved=context.forms.write_off_all(actor, body.form_type, body.clerk))
    return MovedOut(moved=context.forms.write_off(actor, body.form_type, body.serials, body.clerk))


@router.post("/lose")
def lose(body: LoseIn, actor: Anyone, context: Hub) -> MovedOut:
    return MovedOut(moved=context.forms.lose(actor, body.form_type, body.serial, body.reason))


@router.post("/void")
def void(body: VoidIn, actor: Printer, context: Hub) -> MovedOut:
    approver = context.auth.approve(
        body.supervisor.username,
        body.supervisor.password,
        actor.workstation,
        f"forms.void {body.form_type} {body.serial}",
    )
    moved = context.forms.void(actor, body.form_type, body.serial, body.reason, approver)
    return MovedOut(moved=moved)


@router.get("/holdings")
def holdings(
    actor: Anyone, context: Hub, holder: Annotated[str | None, Query(max_length=64)] = None
) -> list[HoldingOut]:
    return [
        HoldingOut.model_validate(dataclasses.asdict(h))
        for h in context.forms.holdings(actor, holder)
    ]


@router.get("/next")
def next_blank(
    actor: Printer, context: Hub, form_type: Annotated[str, Query(max_length=32)]
) -> dict[str, str]:
    return {"serial": context.forms.next_blank(form_type, actor.username)}


@router.get("/reconciliation")
def reconciliation(
    actor: Stock,
    context: Hub,
    first: date,
    last: date | None = None,
    form_type: Annotated[str | None, Query(max_length=32)] = None,
) -> list[ReconciliationLineOut]:
    return [
        ReconciliationLineOut.model_validate({**dataclasses.asdict(line), "gap": line.gap})
        for line in context.forms.reconciliation(actor, form_type or None, first, last)
    ]


def _header(actor: Actor, context: Hub, first: date, last: date) -> ReportHeader:
    tz = ZoneInfo(context.settings.get(BRANCH_TIME_ZONE))
    names = context.staff.display_names()
    return ReportHeader(
        branch_name=context.branch.info().name,
        first_day=first,
        last_day=last,
        printed_at=datetime.now(tz),
        printed_by=names.get(actor.username, actor.username),
        tz=tz,
    )


@router.get("/reconciliation.pdf", response_class=Response)
def reconciliation_report(
    actor: Stock, context: Hub, first: date, last: date | None = None
) -> Response:
    last = last or first
    lines = context.forms.reconciliation(actor, None, first, last)
    kinds = {t.code: t for t in context.forms.form_types()}
    data = reconciliation_pdf(
        _header(actor, context, first, last),
        lines,
        kinds,
        context.staff.display_names(),
        [UnreturnedRange(*u) for u in context.forms.unreturned(actor)],
    )
    return pdf_response(data, f"forms-{first.isoformat()}-{last.isoformat()}")


@router.post("/stock-take")
def take_stock(body: StockTakeIn, actor: Stock, context: Hub) -> StockTakeOut:
    result = context.forms.stock_take(actor, body.form_type, body.holder, body.counted)
    kind = context.forms.form_type(body.form_type)

    def spans(ranges: list[SerialRange]) -> list[tuple[str, str]]:
        return [(kind.format(r.first), kind.format(r.last)) for r in ranges]

    return StockTakeOut(
        matches=result.matches, missing=spans(result.missing), unexpected=spans(result.unexpected)
    )


@router.post("/stock-take.pdf", response_class=Response)
def stock_take_report(body: StockTakeIn, actor: Stock, context: Hub) -> Response:
    result = context.forms.stock_take(actor, body.form_type, body.holder, body.counted)
    kind = context.forms.form_type(body.form_type)
    today = context.forms.today()
    names = context.staff.display_names()
    counted = [SerialRange(kind.parse(a), kind.parse(b)) for a, b in body.counted]
    data = stock_take_pdf(
        _header(actor, context, today, today),
        kind,
        names.get(body.holder, body.holder) if body.holder else "",
        counted,
        result,
    )
    return pdf_response(data, f"stock-take-{kind.code}-{today.isoformat()}")
