"""The queue: tickets from the kiosk, calls at the windows, ratings, appointments, the snapshot.

Stable routes (documented in docs/queue.md):
  POST /api/tickets                        {"service": "A", "priority": null} -> 201 ticket
  POST /api/windows/{window}/call-next     -> 200 ticket, or 204 when nobody waits
  GET  /api/queue                          -> the live snapshot
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from counter_app.domain.roles import Role
from counter_app.hub.schemas import (
    AppointmentCreate,
    AppointmentOut,
    QueueOut,
    RatingRequest,
    ReprintRequest,
    ServiceSetupIn,
    ServiceSetupOut,
    TicketIssue,
    TicketOut,
    TransferRequest,
    WindowOut,
)
from counter_app.hub.security import AnyStaff, Hub, RoleGuard
from counter_app.services.actor import Actor
from counter_app.services.queue import (
    COUNTER_ROLES,
    KIOSK_ROLES,
    ServiceSetup,
    TicketView,
    WindowStatus,
)

router = APIRouter(prefix="/api", tags=["queue"])

Kiosk = Annotated[Actor, Depends(RoleGuard(*KIOSK_ROLES))]
Counter = Annotated[Actor, Depends(RoleGuard(*COUNTER_ROLES))]
CounterOrKiosk = Annotated[Actor, Depends(RoleGuard(*COUNTER_ROLES, *KIOSK_ROLES))]
Booking = Annotated[
    Actor,
    Depends(RoleGuard(Role.GUIDE, Role.SERVICE, Role.CHANNEL, Role.MANAGER, Role.ADMIN)),
]
WindowNumber = Annotated[int, Path(ge=1, le=999)]


def _out(view: TicketView) -> TicketOut:
    return TicketOut(**dataclasses.asdict(view))


def _plain(value: Any) -> Any:
    return dataclasses.asdict(value)


@router.post("/tickets", status_code=201, response_model=TicketOut)
async def issue_ticket(
    body: TicketIssue,
    actor: Kiosk,
    context: Hub,
    idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
) -> Response:
    view = await context.writer.run(
        lambda session: context.queue.issue(
            actor, body.service, body.priority, session=session, key=idempotency_key
        ),
        # Issuing refuses (unknown or closed service, bad key) before its first write.
        isolated=False,
    )
    # The busiest route: the answer is written straight from the service's view (the shape is
    # TicketOut's, checked by the client and by tests) rather than validated a second time.
    return Response(_ticket_json(view), status_code=201, media_type="application/json")


def _ticket_json(view: TicketView) -> bytes:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return json.dumps(
        {
            "id": str(view.id),
            "number": view.number,
            "service": view.service,
            "service_name": view.service_name,
            "priority": view.priority,
            "state": view.state,
            "business_day": view.business_day,
            "issued_at": when(view.issued_at),
            "queued_at": when(view.queued_at),
            "called_at": when(view.called_at),
            "finished_at": when(view.finished_at),
            "window": view.window,
            "target_window": view.target_window,
            "call_count": view.call_count,
            "print_count": view.print_count,
            "waiting_ahead": view.waiting_ahead,
            "estimated_wait_minutes": view.estimated_wait_minutes,
        },
        ensure_ascii=False,
    ).encode("utf-8")


@router.get("/tickets/{ticket_id}")
def get_ticket(ticket_id: uuid.UUID, actor: AnyStaff, context: Hub) -> TicketOut:
    return _out(context.queue.ticket(ticket_id))


@router.post("/tickets/{ticket_id}/reprint")
def reprint_ticket(
    ticket_id: uuid.UUID, body: ReprintRequest, actor: Kiosk, context: Hub
) -> TicketOut:
    return _out(context.queue.reprint(actor, ticket_id, body.reason))


@router.post("/tickets/{ticket_id}/printed", status_code=204)
def ticket_printed(ticket_id: uuid.UUID, actor: Kiosk, context: Hub) -> Response:
    context.queue.mark_printed(actor, ticket_id)
    return Response(status_code=204)


@router.post("/tickets/{ticket_id}/cancel")
def cancel_ticket(ticket_id: uuid.UUID, actor: Kiosk, context: Hub) -> TicketOut:
    return _out(context.queue.cancel(actor, ticket_id))


@router.post("/tickets/{ticket_id}/reinstate")
def reinstate_ticket(ticket_id: uuid.UUID, actor: CounterOrKiosk, context: Hub) -> TicketOut:
    return _out(context.queue.reinstate(actor, ticket_id))


@router.post("/tickets/{ticket_id}/rating", status_code=204)
def rate_ticket(
    ticket_id: uuid.UUID, body: RatingRequest, actor: Counter, context: Hub
) -> Response:
    context.queue.rate(actor, ticket_id, body.score, body.reason)
    return Response(status_code=204)


@router.post(
    "/windows/{window}/call-next",
    responses={200: {"model": TicketOut}, 204: {"description": "nobody is waiting"}},
    response_model=None,
)
def call_next(
    window: WindowNumber,
    actor: Counter,
    context: Hub,
    idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
) -> TicketOut | Response:
    view = context.queue.call_next(actor, window, idempotency_key)
    if view is None:
        return Response(status_code=204)
    return _out(view)


@router.post("/windows/{window}/recall")
def recall(window: WindowNumber, actor: Counter, context: Hub) -> TicketOut:
    return _out(context.queue.recall(actor, window))


@router.post("/windows/{window}/start")
def start_serving(window: WindowNumber, actor: Counter, context: Hub) -> TicketOut:
    return _out(context.queue.start(actor, window))


@router.post("/windows/{window}/finish")
def finish(window: WindowNumber, actor: Counter, context: Hub) -> TicketOut:
    return _out(context.queue.finish(actor, window))


@router.post("/windows/{window}/no-show")
def no_show(window: WindowNumber, actor: Counter, context: Hub) -> TicketOut:
    return _out(context.queue.no_show(actor, window))


@router.post("/windows/{window}/transfer")
def transfer(
    window: WindowNumber, body: TransferRequest, actor: Counter, context: Hub
) -> TicketOut:
    return _out(context.queue.transfer(actor, window, body.service, body.window))


def _window_out(view: Any) -> WindowOut:
    data = _plain(view)
    data["services"] = list(data["services"])
    return WindowOut(**data)


@router.get("/windows/{window}")
def get_window(window: WindowNumber, actor: AnyStaff, context: Hub) -> WindowOut:
    return _window_out(context.queue.window(window))


@router.post("/windows/{window}/open")
def open_window(window: WindowNumber, actor: Counter, context: Hub) -> WindowOut:
    return _window_out(context.queue.set_window(actor, window, WindowStatus.OPEN))


@router.post("/windows/{window}/pause")
def pause_window(window: WindowNumber, actor: Counter, context: Hub) -> WindowOut:
    return _window_out(context.queue.set_window(actor, window, WindowStatus.PAUSED))


@router.post("/windows/{window}/resume")
def resume_window(window: WindowNumber, actor: Counter, context: Hub) -> WindowOut:
    return _window_out(context.queue.set_window(actor, window, WindowStatus.OPEN))


@router.post("/windows/{window}/close")
def close_window(window: WindowNumber, actor: Counter, context: Hub) -> WindowOut:
    return _window_out(context.queue.set_window(actor, window, WindowStatus.CLOSED))


Setup = Annotated[Actor, Depends(RoleGuard(Role.MANAGER, Role.ADMIN))]


def _setup_out(setup: ServiceSetup) -> ServiceSetupOut:
    data = dataclasses.asdict(setup)
    data["windows"] = list(setup.windows)
    data["staff"] = list(setup.staff)
    return ServiceSetupOut(**data)


@router.get("/services")
def list_services(actor: AnyStaff, context: Hub) -> list[ServiceSetupOut]:
    return [_setup_out(s) for s in context.services.list()]


@router.put("/services/{code}")
def set_service(
    code: Annotated[str, Path(min_length=1, max_length=16)],
    body: ServiceSetupIn,
    actor: Setup,
    context: Hub,
) -> ServiceSetupOut:
    setup = ServiceSetup(
        code=code,
        **{
            **body.model_dump(),
            "windows": tuple(body.windows),
            "staff": tuple(body.staff),
        },
    )
    return _setup_out(context.services.save(actor, setup))


@router.get("/queue")
def queue_snapshot(actor: AnyStaff, context: Hub) -> QueueOut:
    data = _plain(context.queue.snapshot())
    for window in data["windows"]:
        window["services"] = list(window["services"])
    return QueueOut(**data)


@router.post("/appointments", status_code=201)
def book_appointment(body: AppointmentCreate, actor: Booking, context: Hub) -> AppointmentOut:
    view = context.queue.book(actor, body.service, body.customer_name, body.phone, body.slot_at)
    return AppointmentOut(**_plain(view))


@router.get("/appointments")
def list_appointments(
    actor: AnyStaff, context: Hub, day: Annotated[date | None, Query()] = None
) -> list[AppointmentOut]:
    return [AppointmentOut(**_plain(v)) for v in context.queue.appointments(day)]


@router.post("/appointments/{code}/check-in", status_code=201)
def check_in(
    code: Annotated[str, Path(min_length=1, max_length=16)], actor: Kiosk, context: Hub
) -> TicketOut:
    return _out(context.queue.check_in(actor, code))
