"""The queue desk: issuing tickets, calling them at the windows, ratings and appointments.

Every call is one write transaction on the branch store. The ticket is committed before the
hub answers, so the kiosk prints a ticket that already exists; a printer failure never loses it.
Events go out in the same transaction (``queue.*``), each carrying the waiting counts, so boards
and kiosks stay current without polling.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.config.settings import (
    BRANCH_TIME_ZONE,
    QUEUE_APPOINTMENT_EARLY_MINUTES,
    QUEUE_CALL_ORDER,
    QUEUE_DAY_STARTS,
    QUEUE_INTERLEAVE_NORMAL,
    QUEUE_LONG_WAIT_MINUTES,
    QUEUE_PRIORITY_MINUTES,
    QUEUE_REINSTATE_MINUTES,
    Settings,
)
from counter_app.domain.errors import InvalidInput
from counter_app.domain.queue import (
    AT_WINDOW,
    CALLABLE,
    AppointmentNotToday,
    AppointmentUnknown,
    AppointmentUsed,
    BadIdempotencyKey,
    CallMode,
    CallPolicy,
    NoCurrentTicket,
    Priority,
    QueuedTicket,
    RatingScore,
    ReinstateExpired,
    ServiceClosed,
    ServiceUnknown,
    TicketAction,
    TicketState,
    TicketStateError,
    TicketUnknown,
    WindowBusy,
    WindowNotServing,
    WindowPaused,
    WindowUnknown,
    after_call,
    average_service_seconds,
    business_day,
    choose_next,
    estimate_wait_minutes,
    format_number,
    is_open,
    next_state,
    numbering_day,
    parse_hhmm,
    satisfaction_rate,
)
from counter_app.domain.roles import Role
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.fast import FastStatement
from counter_app.storage.models import (
    Appointment,
    CallRequest,
    CounterWindow,
    NumberCounter,
    QueueCount,
    Rating,
    ServiceStaff,
    ServiceType,
    Staff,
    Ticket,
    TicketTransition,
    WindowService,
    WindowState,
)
from counter_app.storage.types import new_id, utcnow

# Posts that sit at a window and call tickets.
COUNTER_ROLES = (Role.CLERK, Role.COLLECTOR, Role.CHANNEL, Role.SERVICE, Role.MANAGER)
KIOSK_ROLES = (Role.GUIDE, Role.MANAGER, Role.ADMIN)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
CONTINUOUS = "all"  # numbering period of a service that never resets
RECENT_CALLS = 12
# Service facts and wait-estimate inputs are re-read after this long (or when forgotten).
FACTS_TTL_S = 5.0

# The issuing path's statements, prepared once and run on the driver's cursor (storage/fast.py):
# the Core machinery around them cost more than the SQLite work.
_TICKET_KEYS = (
    "id", "service_type_id", "numbered_by", "business_day", "period", "seq", "number",
    "priority", "state", "issued_at", "queued_at", "appointment_id", "issued_by",
    "request_key", "call_count", "print_count",
)  # fmt: skip
_TRANSITION_KEYS = (
    "id", "ticket_id", "at", "action", "from_state", "to_state", "window_number", "actor",
    "detail",
)  # fmt: skip
_BUMP = FastStatement(
    sqlite_insert(NumberCounter)
    .values(service_type_id=bindparam("sid"), period=bindparam("period"), last_seq=1)
    .on_conflict_do_update(
        index_elements=["service_type_id", "period"],
        set_={"last_seq": NumberCounter.last_seq + 1},
    )
    .returning(NumberCounter.last_seq)
)
_AHEAD = FastStatement(
    select(QueueCount.waiting).where(
        QueueCount.service_type_id == bindparam("sid"),
        QueueCount.business_day == bindparam("day"),
    )
)
_INSERT_TICKET = FastStatement(insert(Ticket), _TICKET_KEYS)
_INSERT_TRANSITION = FastStatement(insert(TicketTransition), _TRANSITION_KEYS)
_WAITING = FastStatement(
    select(ServiceType.code, QueueCount.waiting)
    .join(QueueCount, QueueCount.service_type_id == ServiceType.id)
    .where(QueueCount.business_day == bindparam("day"))
)
_BY_REQUEST_KEY = select(Ticket.id).where(Ticket.request_key == bindparam("key"))


class WindowStatus:
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


@dataclass(frozen=True)
class TicketView:
    id: uuid.UUID
    number: str
    service: str
    service_name: str
    priority: str | None
    state: str
    business_day: str
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    finished_at: datetime | None
    window: int | None
    target_window: int | None
    call_count: int
    print_count: int
    waiting_ahead: int = 0
    estimated_wait_minutes: int = 0


@dataclass(frozen=True)
class ServiceQueueView:
    code: str
    name: str
    prefix: str
    open_now: bool
    waiting: int
    longest_wait_seconds: int
    windows_open: int
    estimated_wait_minutes: int


@dataclass(frozen=True)
class WindowView:
    number: int
    name: str
    services: tuple[str, ...]
    status: str
    staff: str | None
    staff_name: str | None
    current: TicketView | None


@dataclass(frozen=True)
class CallView:
    ticket_id: uuid.UUID
    number: str
    service: str
    window: int
    called_at: datetime
    call_count: int


@dataclass(frozen=True)
class ClerkStatsView:
    username: str
    display_name: str
    served: int
    average_service_seconds: int
    ratings: int
    satisfaction: float | None


@dataclass(frozen=True)
class QueueSnapshot:
    business_day: str
    at: datetime
    services: tuple[ServiceQueueView, ...]
    windows: tuple[WindowView, ...]
    recent_calls: tuple[CallView, ...]
    clerks: tuple[ClerkStatsView, ...]
    issued_today: int
    served_today: int
    satisfaction: float | None


@dataclass(frozen=True)
class AppointmentView:
    id: uuid.UUID
    code: str
    service: str
    customer_name: str
    phone: str
    slot_at: datetime
    state: str
    ticket_id: uuid.UUID | None


@dataclass(frozen=True)
class _ServiceFacts:
    """What issuing needs of a service type, cached for ``FACTS_TTL_S``."""

    id: uuid.UUID
    code: str
    name: str
    prefix: str
    digits: int
    opens_at: str
    closes_at: str
    daily_reset: bool
    service_minutes: int


def _aware(value: datetime) -> datetime:
    # Core selects of UtcDateTime columns come back aware already; this keeps it explicit.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Services:
    """Service types by id and by code, read once per transaction."""

    by_id: dict[uuid.UUID, ServiceType]
    by_code: dict[str, ServiceType]


def _load_services(session: Session) -> _Services:
    rows = session.scalars(select(ServiceType).where(ServiceType.active.is_(True))).all()
    return _Services({s.id: s for s in rows}, {s.code: s for s in rows})


class QueueDesk:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._settings = settings
        self.clock = clock
        self._latest_day: date | None = None
        self._services: dict[str, _ServiceFacts] = {}
        self._services_until = 0.0
        self._pace: dict[tuple[uuid.UUID, str], tuple[float, int, float]] = {}

    def forget_cached_facts(self) -> None:
        """Service types or windows changed: read them afresh on the next call."""
        self._services_until = 0.0
        self._pace.clear()

    # --- configuration ---
    @property
    def tz(self) -> tzinfo:
        name = self._settings.get(BRANCH_TIME_ZONE)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"unknown time zone {name!r}", value=name) from None

    def policy(self) -> CallPolicy:
        get = self._settings.get
        return CallPolicy(
            mode=CallMode(get(QUEUE_CALL_ORDER)),
            interleave_normal=get(QUEUE_INTERLEAVE_NORMAL),
            priority_credit=timedelta(minutes=get(QUEUE_PRIORITY_MINUTES)),
            long_wait=timedelta(minutes=get(QUEUE_LONG_WAIT_MINUTES)),
            appointment_early=timedelta(minutes=get(QUEUE_APPOINTMENT_EARLY_MINUTES)),
        )

    def _today(self, session: Session, now: datetime) -> date:
        computed = business_day(now, self.tz, parse_hhmm(self._settings.get(QUEUE_DAY_STARTS)))
        if self._latest_day is None:
            latest = session.scalar(select(func.max(Ticket.business_day)))
            self._latest_day = date.fromisoformat(latest) if latest else computed
        # Only this hub numbers tickets in its store (one hub per basedir), so the latest day
        # it has used is known without asking the database each time.
        day = numbering_day(computed, self._latest_day)
        self._latest_day = day
        return day

    # --- issuing ---
    def issue(
        self,
        actor: Actor,
        service_code: str,
        priority: Priority | None = None,
        appointment: Appointment | None = None,
        session: Session | None = None,
        key: str | None = None,
    ) -> TicketView:
        """A new ticket. With an idempotency key, a repeated request (the kiosk never got the
        answer) returns the ticket the first one made instead of making another."""
        actor.require(*KIOSK_ROLES)
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            raise BadIdempotencyKey("idempotency key must be 8-64 letters, digits or ._:-")
        if session is not None:
            return self._issue(session, actor, service_code, priority, appointment, key)
        with self._store.write() as new_session:
            return self._issue(new_session, actor, service_code, priority, appointment, key)

    def _issue(
        self,
        session: Session,
        actor: Actor,
        service_code: str,
        priority: Priority | None,
        appointment: Appointment | None,
        key: str | None = None,
    ) -> TicketView:
        # The busiest write of a branch (a kiosk at the morning peak): plain Core statements on
        # the session's connection, service facts and estimates from short-lived caches.
        now = self.clock()
        conn = session.connection()
        if key is not None:
            earlier = conn.execute(_BY_REQUEST_KEY, {"key": key}).scalar()
            if earlier is not None:
                ticket = _get_ticket(session, earlier)
                if ticket.issued_by != actor.username:
                    raise BadIdempotencyKey("idempotency key used by someone else")
                service_row = session.get_one(ServiceType, ticket.service_type_id)
                ahead = (
                    self._waiting_ahead(session, ticket)
                    if TicketState(ticket.state) in CALLABLE
                    else 0
                )
                return _view(ticket, service_row, ahead, 0)
        service = self._service(conn, service_code)
        if not is_open(service.opens_at, service.closes_at, now.astimezone(self.tz)):
            raise ServiceClosed(
                f"service {service_code} is closed",
                service=service_code,
                opens_at=service.opens_at,
                closes_at=service.closes_at,
            )
        day = self._today(session, now).isoformat()
        period = day if service.daily_reset else CONTINUOUS
        # The counter row serialises numbering inside the writer's transaction; the unique
        # constraint on the ticket is the rule that holds even if the counter were wrong.
        seq = int(_BUMP.run(conn, {"sid": service.id, "period": period}).fetchone()[0])
        # Read before the insert: the trigger-kept count does not include this ticket yet.
        row = _AHEAD.run(conn, {"sid": service.id, "day": day}).fetchone()
        ahead = int(row[0]) if row is not None else 0
        ticket_id = new_id()
        number = format_number(service.prefix, seq, service.digits)
        _INSERT_TICKET.run(
            conn,
            {
                "id": ticket_id,
                "service_type_id": service.id,
                "numbered_by": service.id,
                "business_day": day,
                "period": period,
                "seq": seq,
                "number": number,
                "priority": priority.value if priority else None,
                "state": TicketState.WAITING.value,
                "issued_at": now,
                "queued_at": now,
                "appointment_id": appointment.id if appointment else None,
                "issued_by": actor.username,
                "request_key": key,
                "call_count": 0,
                "print_count": 0,
            },
        )
        _INSERT_TRANSITION.run(
            conn,
            {
                "id": new_id(),
                "ticket_id": ticket_id,
                "at": now,
                "action": TicketAction.ISSUE.value,
                "from_state": None,
                "to_state": TicketState.WAITING.value,
                "window_number": None,
                "actor": actor.username,
                "detail": {},
            },
        )
        estimate = estimate_wait_minutes(ahead, *self._service_pace(conn, service, day, now))
        view = TicketView(
            id=ticket_id,
            number=number,
            service=service.code,
            service_name=service.name,
            priority=priority.value if priority else None,
            state=TicketState.WAITING.value,
            business_day=day,
            issued_at=now,
            queued_at=now,
            called_at=None,
            finished_at=None,
            window=None,
            target_window=None,
            call_count=0,
            print_count=0,
            waiting_ahead=ahead,
            estimated_wait_minutes=estimate,
        )
        events.publish_fast(
            session,
            events.TICKET_ISSUED,
            {"ticket": _event_ticket(view), "waiting": self.waiting_counts(session, day)},
        )
        return view

    def _service(self, conn: Connection, code: str) -> _ServiceFacts:
        now = time.monotonic()
        if now >= self._services_until:
            rows = conn.execute(
                select(
                    ServiceType.id,
                    ServiceType.code,
                    ServiceType.name,
                    ServiceType.prefix,
                    ServiceType.digits,
                    ServiceType.opens_at,
                    ServiceType.closes_at,
                    ServiceType.daily_reset,
                    ServiceType.service_minutes,
                ).where(ServiceType.active.is_(True))
            ).all()
            self._services = {r.code: _ServiceFacts(*r) for r in rows}
            self._services_until = now + FACTS_TTL_S
        facts = self._services.get(code)
        if facts is None:
            raise ServiceUnknown(f"no service {code!r}", service=code)
        return facts

    def _service_pace(
        self, conn: Connection, service: _ServiceFacts | ServiceType, day: str, now: datetime
    ) -> tuple[int, float]:
        """(windows open for the service, average service seconds), for the wait estimate."""
        key = (service.id, day)
        cached = self._pace.get(key)
        clock = time.monotonic()
        if cached is not None and cached[0] > clock:
            return cached[1], cached[2]
        recent = conn.execute(
            select(Ticket.called_at, Ticket.finished_at)
            .where(
                Ticket.service_type_id == service.id,
                Ticket.business_day == day,
                Ticket.state == TicketState.DONE.value,
            )
            .order_by(Ticket.finished_at.desc())
            .limit(20)
        ).all()
        durations = [
            (_aware(f) - _aware(c)).total_seconds()
            for c, f in recent
            if c is not None and f is not None
        ]
        seconds = average_service_seconds(durations, default=service.service_minutes * 60.0)
        windows = int(
            conn.execute(
                select(func.count())
                .select_from(WindowState)
                .join(WindowService, WindowService.window_id == WindowState.window_id)
                .where(
                    WindowService.service_type_id == service.id,
                    WindowState.status == WindowStatus.OPEN,
                )
            ).scalar_one()
        )
        self._pace[key] = (clock + FACTS_TTL_S, windows, seconds)
        return windows, seconds

    def _waiting_ahead(self, session: Session, ticket: Ticket) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(
                    Ticket.state.in_([s.value for s in CALLABLE]),
                    Ticket.service_type_id == ticket.service_type_id,
                    Ticket.business_day == ticket.business_day,
                    Ticket.queued_at < ticket.queued_at,
                )
            )
            or 0
        )

    def _estimate(self, session: Session, service: ServiceType, ahead: int, day: str) -> int:
        return estimate_wait_minutes(
            ahead, *self._service_pace(session.connection(), service, day, self.clock())
        )

    def reprint(self, actor: Actor, ticket_id: uuid.UUID, reason: str) -> TicketView:
        """A ticket printed again (paper out, jammed); counted and audited."""
        actor.require(*KIOSK_ROLES)
        with self._store.write() as session:
            ticket = _get_ticket(session, ticket_id)
            ticket.print_count += 1
            service = session.get_one(ServiceType, ticket.service_type_id)
            ahead = (
                self._waiting_ahead(session, ticket) if TicketState(ticket.state) in CALLABLE else 0
            )
            estimate = self._estimate(session, service, ahead, ticket.business_day)
            audit.record(
                session,
                actor,
                "queue.reprint",
                ticket.number,
                {"ticket": str(ticket.id), "reason": reason[:200], "copy": ticket.print_count},
            )
            return _view(ticket, service, ahead, estimate)

    def mark_printed(self, actor: Actor, ticket_id: uuid.UUID) -> None:
        actor.require(*KIOSK_ROLES)
        with self._store.write() as session:
            ticket = _get_ticket(session, ticket_id)
            ticket.print_count = max(ticket.print_count, 1)

    def ticket(self, ticket_id: uuid.UUID) -> TicketView:
        with self._store.read() as session:
            ticket = _get_ticket(session, ticket_id)
            service = session.get_one(ServiceType, ticket.service_type_id)
            ahead = (
                self._waiting_ahead(session, ticket) if TicketState(ticket.state) in CALLABLE else 0
            )
            return _view(ticket, service, ahead, 0)

    def cancel(self, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
        actor.require(*KIOSK_ROLES)
        with self._store.write() as session:
            ticket = _get_ticket(session, ticket_id)
            view = self._move(session, actor, ticket, TicketAction.CANCEL)
            audit.record(session, actor, "queue.cancel", ticket.number, {"ticket": str(ticket.id)})
            return view

    # --- windows ---
    def _window(self, session: Session, number: int) -> tuple[CounterWindow, WindowState]:
        window = session.scalar(
            select(CounterWindow).where(
                CounterWindow.number == number, CounterWindow.active.is_(True)
            )
        )
        if window is None:
            raise WindowUnknown(f"no window {number}", window=number)
        state = session.get(WindowState, window.id)
        if state is None:
            state = WindowState(window_id=window.id, status=WindowStatus.CLOSED)
            session.add(state)
        return window, state

    def _take_window(self, state: WindowState, actor: Actor, number: int) -> None:
        """Sit down at a window: open it for this staff member, or refuse if someone else is."""
        if (
            state.status != WindowStatus.CLOSED
            and state.staff_id is not None
            and state.staff_id != actor.staff_id
            and Role.MANAGER not in actor.roles
        ):
            raise WindowBusy(f"window {number} is taken by someone else", window=number)
        if state.status == WindowStatus.CLOSED:
            state.status = WindowStatus.OPEN
        state.staff_id = actor.staff_id

    def _serves(
        self, session: Session, window: CounterWindow, services: _Services, actor: Actor
    ) -> list[uuid.UUID]:
        """The services this window calls for this staff member."""
        ids = [ws.service_type_id for ws in window.services if ws.service_type_id in services.by_id]
        allowed = []
        for service_id in ids:
            staff_ids = {s.staff_id for s in services.by_id[service_id].staff}
            if not staff_ids or actor.staff_id in staff_ids or actor.staff_id is None:
                allowed.append(service_id)
        return allowed

    def call_next(self, actor: Actor, number: int, key: str | None = None) -> TicketView | None:
        """Finish whoever is at the window and call the next ticket; None when nobody waits.

        With an idempotency key, a retried request answers with the ticket the first one
        called instead of calling another."""
        actor.require(*COUNTER_ROLES)
        if key is not None and not IDEMPOTENCY_KEY.match(key):
            raise BadIdempotencyKey("idempotency key must be 8-64 letters, digits or ._:-")
        with self._store.write() as session:
            if key is not None:
                earlier = session.get(CallRequest, key)
                if earlier is not None:
                    if earlier.window_number != number:
                        raise BadIdempotencyKey("idempotency key used for another window")
                    ticket = _get_ticket(session, earlier.ticket_id)
                    return _view(ticket, session.get_one(ServiceType, ticket.service_type_id))
            now = self.clock()
            window, state = self._window(session, number)
            if state.status == WindowStatus.PAUSED:
                raise WindowPaused(f"window {number} is paused", window=number)
            self._take_window(state, actor, number)
            services = _load_services(session)
            serves = self._serves(session, window, services, actor)
            if not serves:
                # window=: the clerk's message names the window, as for a refused transfer.
                raise WindowNotServing(
                    f"window {number} serves no service you may serve", window=number
                )
            if state.current_ticket_id is not None:
                current = session.get_one(Ticket, state.current_ticket_id)
                if TicketState(current.state) in AT_WINDOW:
                    self._move(session, actor, current, TicketAction.FINISH, number, publish=False)
                state.current_ticket_id = None
            day = self._today(session, now).isoformat()
            rows = session.execute(
                select(
                    Ticket.id,
                    Ticket.seq,
                    Ticket.queued_at,
                    Ticket.priority,
                    Ticket.target_window,
                    Appointment.slot_at,
                )
                .outerjoin(Appointment, Appointment.id == Ticket.appointment_id)
                .where(
                    Ticket.state.in_([s.value for s in CALLABLE]),
                    Ticket.service_type_id.in_(serves),
                    Ticket.business_day == day,
                )
            ).all()
            candidates = [
                QueuedTicket(
                    id=str(r.id),
                    seq=r.seq,
                    queued_at=r.queued_at,
                    priority=Priority(r.priority) if r.priority else None,
                    appointment_at=r.slot_at,
                )
                for r in rows
                # A ticket sent to a named window waits for that window only.
                if r.target_window is None or r.target_window == number
            ]
            choice = choose_next(candidates, self.policy(), now, state.normals_since_priority)
            if choice is None:
                state.updated_at = now
                self._publish_window(session, number, day)
                return None
            ticket = session.get_one(Ticket, uuid.UUID(choice.ticket.id))
            state.normals_since_priority = after_call(state.normals_since_priority, choice)
            state.current_ticket_id = ticket.id
            state.updated_at = now
            ticket.window_number = number
            ticket.staff_id = actor.staff_id
            ticket.target_window = None
            ticket.called_at = now
            ticket.call_count += 1
            view = self._move(
                session, actor, ticket, TicketAction.CALL, number, detail={"reason": choice.reason}
            )
            if key is not None:
                session.add(CallRequest(key=key, window_number=number, ticket_id=ticket.id, at=now))
            try:
                session.flush()
            except IntegrityError:
                # Two requests with one key raced; the writer lock makes this unreachable in one
                # hub, but a second process on the same file must not call twice either.
                raise BadIdempotencyKey("idempotency key already used") from None
            return view

    def _current(self, session: Session, actor: Actor, number: int) -> tuple[Ticket, WindowState]:
        _window, state = self._window(session, number)
        self._check_holder(state, actor, number)
        if state.current_ticket_id is None:
            raise NoCurrentTicket(f"window {number} has no ticket", window=number)
        return session.get_one(Ticket, state.current_ticket_id), state

    def _check_holder(self, state: WindowState, actor: Actor, number: int) -> None:
        if (
            state.staff_id is not None
            and state.staff_id != actor.staff_id
            and Role.MANAGER not in actor.roles
            and actor.staff_id is not None
        ):
            raise WindowBusy(f"window {number} is taken by someone else", window=number)

    def recall(self, actor: Actor, number: int) -> TicketView:
        actor.require(*COUNTER_ROLES)
        with self._store.write() as session:
            ticket, _state = self._current(session, actor, number)
            ticket.call_count += 1
            ticket.called_at = self.clock()
            return self._move(session, actor, ticket, TicketAction.RECALL, number)

    def start(self, actor: Actor, number: int) -> TicketView:
        actor.require(*COUNTER_ROLES)
        with self._store.write() as session:
            ticket, _state = self._current(session, actor, number)
            ticket.serving_at = self.clock()
            return self._move(session, actor, ticket, TicketAction.START, number)

    def finish(self, actor: Actor, number: int) -> TicketView:
        actor.require(*COUNTER_ROLES)
        with self._store.write() as session:
            ticket, state = self._current(session, actor, number)
            view = self._move(session, actor, ticket, TicketAction.FINISH, number)
            state.current_ticket_id = None
            return view

    def no_show(self, actor: Actor, number: int) -> TicketView:
        actor.require(*COUNTER_ROLES)
        with self._store.write() as session:
            ticket, state = self._current(session, actor, number)
            view = self._move(session, actor, ticket, TicketAction.NO_SHOW, number)
            state.current_ticket_id = None
            return view

    def reinstate(self, actor: Actor, ticket_id: uuid.UUID) -> TicketView:
        """A no-show customer came back in time: back in the queue at their original place."""
        actor.require(*COUNTER_ROLES, *KIOSK_ROLES)
        with self._store.write() as session:
            ticket = _get_ticket(session, ticket_id)
            limit = timedelta(minutes=self._settings.get(QUEUE_REINSTATE_MINUTES))
            if ticket.state == TicketState.NO_SHOW.value:
                missed_at = session.scalar(
                    select(func.max(TicketTransition.at)).where(
                        TicketTransition.ticket_id == ticket.id,
                        TicketTransition.action == TicketAction.NO_SHOW.value,
                    )
                )
                if missed_at is not None and self.clock() - missed_at > limit:
                    raise ReinstateExpired(
                        "too late to reinstate this ticket",
                        number=ticket.number,
                        minutes=int(limit.total_seconds() // 60),
                    )
            return self._move(session, actor, ticket, TicketAction.REINSTATE)

    def transfer(
        self,
        actor: Actor,
        number: int,
        to_service: str | None = None,
        to_window: int | None = None,
    ) -> TicketView:
        """Send the window's ticket to another service and/or a named window; it keeps its
        place by original issue time."""
        actor.require(*COUNTER_ROLES)
        if to_service is None and to_window is None:
            raise InvalidInput("transfer needs a service or a window")
        with self._store.write() as session:
            ticket, state = self._current(session, actor, number)
            services = _load_services(session)
            if to_service is not None:
                target = services.by_code.get(to_service)
                if target is None:
                    raise ServiceUnknown(f"no service {to_service!r}", service=to_service)
                ticket.service_type_id = target.id
            if to_window is not None:
                window, _ = self._window(session, to_window)
                if ticket.service_type_id not in {ws.service_type_id for ws in window.services}:
                    raise WindowNotServing(
                        f"window {to_window} does not serve this service", window=to_window
                    )
                ticket.target_window = to_window
            view = self._move(
                session,
                actor,
                ticket,
                TicketAction.TRANSFER,
                number,
                detail={"to_service": to_service, "to_window": to_window},
            )
            state.current_ticket_id = None
            return view

    def set_window(self, actor: Actor, number: int, status: str) -> WindowView:
        """Open, pause, resume (open) or close a window."""
        actor.require(*COUNTER_ROLES)
        if status not in (WindowStatus.OPEN, WindowStatus.PAUSED, WindowStatus.CLOSED):
            raise InvalidInput(f"unknown window status {status!r}")
        with self._store.write() as session:
            window, state = self._window(session, number)
            if status == WindowStatus.OPEN:
                self._take_window(state, actor, number)
            else:
                self._check_holder(state, actor, number)
            if status == WindowStatus.CLOSED and state.current_ticket_id is not None:
                current = session.get_one(Ticket, state.current_ticket_id)
                if TicketState(current.state) in AT_WINDOW:
                    self._move(session, actor, current, TicketAction.FINISH, number, publish=False)
                state.current_ticket_id = None
            state.status = status
            state.updated_at = self.clock()
            if status == WindowStatus.CLOSED:
                state.staff_id = None
            session.flush()
            day = self._today(session, self.clock()).isoformat()
            self._publish_window(session, number, day)
            return self._window_view(session, window, state, _load_services(session))

    def window(self, number: int) -> WindowView:
        with self._store.read() as session:
            window = session.scalar(select(CounterWindow).where(CounterWindow.number == number))
            if window is None or not window.active:
                raise WindowUnknown(f"no window {number}", window=number)
            state = session.get(WindowState, window.id) or WindowState(
                window_id=window.id, status=WindowStatus.CLOSED
            )
            return self._window_view(session, window, state, _load_services(session))

    def _window_view(
        self, session: Session, window: CounterWindow, state: WindowState, services: _Services
    ) -> WindowView:
        staff = session.get(Staff, state.staff_id) if state.staff_id else None
        current = None
        if state.current_ticket_id is not None:
            ticket = session.get_one(Ticket, state.current_ticket_id)
            current = _view(ticket, services.by_id.get(ticket.service_type_id))
        return WindowView(
            number=window.number,
            name=window.name,
            services=tuple(
                sorted(
                    services.by_id[ws.service_type_id].code
                    for ws in window.services
                    if ws.service_type_id in services.by_id
                )
            ),
            status=state.status,
            staff=staff.username if staff else None,
            staff_name=staff.display_name if staff else None,
            current=current,
        )

    # --- ratings ---
    def rate(
        self, actor: Actor, ticket_id: uuid.UUID, score: RatingScore, reason: str = ""
    ) -> None:
        """The customer's rating at the window; ``none`` when the pad timed out unanswered."""
        actor.require(*COUNTER_ROLES)
        with self._store.write() as session:
            ticket = _get_ticket(session, ticket_id)
            if ticket.state != TicketState.DONE.value:
                raise TicketStateError(
                    "only a finished ticket can be rated",
                    state=ticket.state,
                    action="rate",
                )
            if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)):
                raise TicketStateError(
                    "this ticket has been rated already", state=ticket.state, action="rate"
                )
            session.add(
                Rating(
                    ticket_id=ticket.id,
                    window_number=ticket.window_number,
                    staff_id=ticket.staff_id,
                    score=score.value,
                    reason=reason[:200],
                    at=self.clock(),
                )
            )
            events.publish(
                session,
                events.TICKET_RATED,
                {"ticket_id": str(ticket.id), "window": ticket.window_number, "score": score.value},
            )

    # --- appointments ---
    def book(
        self,
        actor: Actor,
        service_code: str,
        customer_name: str,
        phone: str,
        slot_at: datetime,
    ) -> AppointmentView:
        actor.require(Role.GUIDE, Role.SERVICE, Role.CHANNEL, Role.MANAGER, Role.ADMIN)
        name = customer_name.strip()
        if not name:
            raise InvalidInput("customer name is required", field="customer_name")
        with self._store.write() as session:
            service = _load_services(session).by_code.get(service_code)
            if service is None:
                raise ServiceUnknown(f"no service {service_code!r}", service=service_code)
            code = _appointment_code(session)
            row = Appointment(
                code=code,
                service_type_id=service.id,
                customer_name=name[:64],
                phone=phone.strip()[:32],
                slot_at=slot_at,
            )
            session.add(row)
            session.flush()
            audit.record(session, actor, "queue.book", code, {"service": service_code})
            return _appointment_view(row, service)

    def appointments(self, day: date | None = None) -> list[AppointmentView]:
        with self._store.read() as session:
            services = _load_services(session)
            tz = self.tz
            day = day or self.clock().astimezone(tz).date()
            start = datetime.combine(day, datetime.min.time(), tz)
            rows = session.scalars(
                select(Appointment)
                .where(Appointment.slot_at >= start, Appointment.slot_at < start + timedelta(1))
                .order_by(Appointment.slot_at)
            ).all()
            return [
                _appointment_view(r, services.by_id[r.service_type_id])
                for r in rows
                if r.service_type_id in services.by_id
            ]

    def check_in(self, actor: Actor, code: str) -> TicketView:
        """The customer with a booking arrived: issue the ticket for their slot."""
        actor.require(*KIOSK_ROLES)
        with self._store.write() as session:
            row = session.scalar(select(Appointment).where(Appointment.code == code.strip()))
            if row is None:
                raise AppointmentUnknown(f"no appointment {code!r}", appointment=code)
            if row.state != "booked":
                raise AppointmentUsed(f"appointment {code} was already used", appointment=code)
            now = self.clock()
            if row.slot_at.astimezone(self.tz).date() != now.astimezone(self.tz).date():
                raise AppointmentNotToday(
                    "the appointment is for another day",
                    appointment=code,
                    slot=row.slot_at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M"),
                )
            service = session.get_one(ServiceType, row.service_type_id)
            view = self._issue(session, actor, service.code, None, row)
            row.state = "checked_in"
            row.ticket_id = view.id
            audit.record(session, actor, "queue.check_in", code, {"ticket": view.number})
            return view

    # --- the day boundary ---
    def close_stale_days(self) -> int:
        """Cancel tickets left over from an earlier business day. Safe to run any number of
        times (at hub start and every few minutes); returns how many it closed."""
        with self._store.write() as session:
            now = self.clock()
            day = self._today(session, now).isoformat()
            stale = session.scalars(
                select(Ticket).where(
                    Ticket.business_day < day,
                    Ticket.state.in_(
                        [
                            TicketState.WAITING.value,
                            TicketState.TRANSFERRED.value,
                            TicketState.CALLED.value,
                            TicketState.SERVING.value,
                            TicketState.NO_SHOW.value,
                        ]
                    ),
                )
            ).all()
            actor = Actor("system", "hub", frozenset(Role))
            for ticket in stale:
                action = (
                    TicketAction.FINISH
                    if ticket.state == TicketState.SERVING.value
                    else TicketAction.EXPIRE
                )
                _transition(
                    session,
                    ticket,
                    action,
                    TicketState(ticket.state),
                    next_state(TicketState(ticket.state), action),
                    now,
                    actor,
                )
                ticket.state = next_state(TicketState(ticket.state), action).value
                if action is TicketAction.FINISH:
                    ticket.finished_at = now
            if stale:
                session.execute(
                    update(WindowState)
                    .where(WindowState.current_ticket_id.in_([t.id for t in stale]))
                    .values(current_ticket_id=None)
                )
                self._publish(session, events.QUEUE_CHANGED, {"reason": "new_day"}, day)
            return len(stale)

    # --- reading ---
    def snapshot(self) -> QueueSnapshot:
        with self._store.read() as session:
            now = self.clock()
            day = self._today(session, now).isoformat()
            local_now = now.astimezone(self.tz)
            services = _load_services(session)
            waiting_rows = session.execute(
                select(Ticket.service_type_id, func.count(), func.min(Ticket.queued_at))
                .where(
                    Ticket.state.in_([s.value for s in CALLABLE]),
                    Ticket.business_day == day,
                )
                .group_by(Ticket.service_type_id)
            ).all()
            waiting = {sid: (int(n), first) for sid, n, first in waiting_rows}
            windows = session.scalars(
                select(CounterWindow)
                .where(CounterWindow.active.is_(True))
                .order_by(CounterWindow.number)
            ).all()
            states = {s.window_id: s for s in session.scalars(select(WindowState))}
            window_views = tuple(
                self._window_view(
                    session,
                    w,
                    states.get(w.id) or WindowState(window_id=w.id, status=WindowStatus.CLOSED),
                    services,
                )
                for w in windows
            )
            service_views = []
            for service in sorted(services.by_id.values(), key=lambda s: (s.sort_order, s.code)):
                count, first = waiting.get(service.id, (0, None))
                open_windows = sum(
                    1
                    for w in window_views
                    if w.status == WindowStatus.OPEN and service.code in w.services
                )
                service_views.append(
                    ServiceQueueView(
                        code=service.code,
                        name=service.name,
                        prefix=service.prefix,
                        open_now=is_open(service.opens_at, service.closes_at, local_now),
                        waiting=count,
                        longest_wait_seconds=int((now - first).total_seconds()) if first else 0,
                        windows_open=open_windows,
                        estimated_wait_minutes=self._estimate(session, service, count, day),
                    )
                )
            calls = session.execute(
                select(Ticket, ServiceType.code)
                .join(ServiceType, ServiceType.id == Ticket.service_type_id)
                .where(Ticket.business_day == day, Ticket.called_at.is_not(None))
                .order_by(Ticket.called_at.desc())
                .limit(RECENT_CALLS)
            ).all()
            recent = tuple(
                CallView(t.id, t.number, code, t.window_number or 0, t.called_at, t.call_count)
                for t, code in calls
                if t.called_at is not None
            )
            return QueueSnapshot(
                business_day=day,
                at=now,
                services=tuple(service_views),
                windows=window_views,
                recent_calls=recent,
                clerks=self._clerk_stats(session, day),
                issued_today=int(
                    session.scalar(
                        select(func.count()).select_from(Ticket).where(Ticket.business_day == day)
                    )
                    or 0
                ),
                served_today=int(
                    session.scalar(
                        select(func.count())
                        .select_from(Ticket)
                        .where(Ticket.business_day == day, Ticket.state == TicketState.DONE.value)
                    )
                    or 0
                ),
                satisfaction=self._satisfaction(session, day),
            )

    def _clerk_stats(self, session: Session, day: str) -> tuple[ClerkStatsView, ...]:
        done = session.execute(
            select(Ticket.staff_id, Ticket.called_at, Ticket.serving_at, Ticket.finished_at).where(
                Ticket.business_day == day,
                Ticket.state == TicketState.DONE.value,
                Ticket.staff_id.is_not(None),
            )
        ).all()
        per: dict[uuid.UUID, list[float]] = {}
        for staff_id, called, serving, finished in done:
            if staff_id is None:
                continue
            began = serving or called
            seconds = (finished - began).total_seconds() if began and finished else 0.0
            per.setdefault(staff_id, []).append(seconds)
        rated = session.execute(
            select(Rating.staff_id, Rating.score)
            .join(Ticket, Ticket.id == Rating.ticket_id)
            .where(Ticket.business_day == day)
        ).all()
        scores: dict[uuid.UUID, list[RatingScore]] = {}
        for staff_id, score in rated:
            if staff_id is not None:
                scores.setdefault(staff_id, []).append(RatingScore(score))
        ids = set(per) | set(scores)
        staff = {s.id: s for s in session.scalars(select(Staff).where(Staff.id.in_(ids)))}
        out = []
        for staff_id in ids:
            person = staff.get(staff_id)
            if person is None:
                continue
            durations = per.get(staff_id, [])
            given = scores.get(staff_id, [])
            out.append(
                ClerkStatsView(
                    username=person.username,
                    display_name=person.display_name,
                    served=len(durations),
                    average_service_seconds=round(sum(durations) / len(durations))
                    if durations
                    else 0,
                    ratings=sum(1 for s in given if s is not RatingScore.NONE),
                    satisfaction=satisfaction_rate(given),
                )
            )
        return tuple(sorted(out, key=lambda c: (-c.served, c.username)))

    def _satisfaction(self, session: Session, day: str) -> float | None:
        scores = session.scalars(
            select(Rating.score)
            .join(Ticket, Ticket.id == Rating.ticket_id)
            .where(Ticket.business_day == day)
        ).all()
        return satisfaction_rate(RatingScore(s) for s in scores)

    def waiting_counts(self, session: Session, day: str) -> dict[str, int]:
        rows = _WAITING.run(session.connection(), {"day": day}).fetchall()
        return {code: int(n) for code, n in rows}

    # --- plumbing ---
    def _move(
        self,
        session: Session,
        actor: Actor,
        ticket: Ticket,
        action: TicketAction,
        window: int | None = None,
        detail: dict[str, Any] | None = None,
        publish: bool = True,
    ) -> TicketView:
        now = self.clock()
        before = TicketState(ticket.state)
        after = next_state(before, action)
        ticket.state = after.value
        if after is TicketState.DONE:
            ticket.finished_at = now
        _transition(session, ticket, action, before, after, now, actor, window, detail)
        service = session.get_one(ServiceType, ticket.service_type_id)
        view = _view(ticket, service)
        if publish:
            kind = (
                events.TICKET_CALLED
                if action in (TicketAction.CALL, TicketAction.RECALL)
                else events.TICKET_CHANGED
            )
            self._publish(
                session,
                kind,
                {"ticket": _event_ticket(view), "action": action.value, "window": window},
                ticket.business_day,
            )
        return view

    def _publish(self, session: Session, kind: str, payload: dict[str, Any], day: str) -> None:
        session.flush()
        events.publish(session, kind, {**payload, "waiting": self.waiting_counts(session, day)})

    def _publish_window(self, session: Session, number: int, day: str) -> None:
        self._publish(session, events.WINDOW_CHANGED, {"window": number}, day)


def _appointment_code(session: Session) -> str:
    """A short code to read over the phone: 6 digits, unique among all appointments."""
    for _ in range(20):
        code = f"{uuid.uuid4().int % 1_000_000:06d}"
        if session.scalar(select(Appointment.id).where(Appointment.code == code)) is None:
            return code
    raise InvalidInput("could not find a free appointment code")


def _appointment_view(row: Appointment, service: ServiceType) -> AppointmentView:
    return AppointmentView(
        row.id,
        row.code,
        service.code,
        row.customer_name,
        row.phone,
        row.slot_at,
        row.state,
        row.ticket_id,
    )


def _get_ticket(session: Session, ticket_id: uuid.UUID) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise TicketUnknown(f"no ticket {ticket_id}", ticket=str(ticket_id))
    return ticket


def _transition(
    session: Session,
    ticket: Ticket,
    action: TicketAction,
    before: TicketState | None,
    after: TicketState,
    at: datetime,
    actor: Actor,
    window: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        TicketTransition(
            ticket_id=ticket.id,
            at=at,
            action=action.value,
            from_state=before.value if before else None,
            to_state=after.value,
            window_number=window,
            actor=actor.username,
            detail={k: v for k, v in (detail or {}).items() if v is not None},
        )
    )


def _view(
    ticket: Ticket, service: ServiceType | None, ahead: int = 0, estimate: int = 0
) -> TicketView:
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        service=service.code if service else "",
        service_name=service.name if service else "",
        priority=ticket.priority,
        state=ticket.state,
        business_day=ticket.business_day,
        issued_at=ticket.issued_at,
        queued_at=ticket.queued_at,
        called_at=ticket.called_at,
        finished_at=ticket.finished_at,
        window=ticket.window_number,
        target_window=ticket.target_window,
        call_count=ticket.call_count,
        print_count=ticket.print_count,
        waiting_ahead=ahead,
        estimated_wait_minutes=estimate,
    )


def _event_ticket(view: TicketView) -> dict[str, Any]:
    return {
        "id": str(view.id),
        "number": view.number,
        "service": view.service,
        "state": view.state,
        "window": view.window,
        "priority": view.priority,
        "call_count": view.call_count,
    }


@dataclass(frozen=True)
class ServiceSetup:
    """A service type as the manager sets it up: numbering, hours, windows and staff."""

    code: str
    name: str
    prefix: str
    digits: int
    opens_at: str
    closes_at: str
    daily_reset: bool
    service_minutes: int
    active: bool
    windows: tuple[int, ...]
    staff: tuple[str, ...]  # usernames; empty: every counter post


SERVICE_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,15}$")
PREFIX = re.compile(r"^[A-Z]{1,2}$")


class ServiceCatalogue:
    """The branch's service types. Head office publishes them; a centre manager may adjust
    numbering, hours, windows and staff locally (audited)."""

    def __init__(self, store: Store, desk: QueueDesk) -> None:
        self._store = store
        self._desk = desk

    def list(self) -> list[ServiceSetup]:
        with self._store.read() as session:
            services = session.scalars(
                select(ServiceType).order_by(ServiceType.sort_order, ServiceType.code)
            ).all()
            windows = session.scalars(select(CounterWindow)).all()
            by_window = {w.id: w.number for w in windows}
            usernames = {s.id: s.username for s in session.scalars(select(Staff))}
            served: dict[uuid.UUID, list[int]] = {}
            for window in windows:
                for link in window.services:
                    served.setdefault(link.service_type_id, []).append(by_window[window.id])
            return [
                ServiceSetup(
                    s.code,
                    s.name,
                    s.prefix,
                    s.digits,
                    s.opens_at,
                    s.closes_at,
                    s.daily_reset,
                    s.service_minutes,
                    s.active,
                    tuple(sorted(served.get(s.id, []))),
                    tuple(
                        sorted(usernames[x.staff_id] for x in s.staff if x.staff_id in usernames)
                    ),
                )
                for s in services
            ]

    def save(self, actor: Actor, setup: ServiceSetup) -> ServiceSetup:
        actor.require(Role.MANAGER, Role.ADMIN)
        _check_setup(setup)
        with self._store.write() as session:
            service = session.scalar(select(ServiceType).where(ServiceType.code == setup.code))
            clash = session.scalar(
                select(ServiceType.code).where(
                    ServiceType.prefix == setup.prefix, ServiceType.code != setup.code
                )
            )
            if clash is not None:
                raise PrefixInUse(
                    f"prefix {setup.prefix} is used by service {clash}",
                    prefix=setup.prefix,
                    service=clash,
                )
            if service is None:
                service = ServiceType(code=setup.code, sort_order=100)
                session.add(service)
            service.name = setup.name
            service.prefix = setup.prefix
            service.digits = setup.digits
            service.opens_at = setup.opens_at
            service.closes_at = setup.closes_at
            service.daily_reset = setup.daily_reset
            service.service_minutes = setup.service_minutes
            service.active = setup.active
            session.flush()
            windows = session.scalars(select(CounterWindow)).all()
            known = {w.number for w in windows}
            unknown = sorted(set(setup.windows) - known)
            if unknown:
                raise WindowUnknown(f"no window {unknown[0]}", window=unknown[0])
            for window in windows:
                linked = any(ws.service_type_id == service.id for ws in window.services)
                wanted = window.number in setup.windows
                if wanted and not linked:
                    window.services.append(WindowService(service_type_id=service.id))
                elif linked and not wanted:
                    window.services = [
                        ws for ws in window.services if ws.service_type_id != service.id
                    ]
            staff = session.scalars(select(Staff).where(Staff.username.in_(setup.staff))).all()
            missing = sorted(set(setup.staff) - {s.username for s in staff})
            if missing:
                raise InvalidInput(f"no staff member {missing[0]}", username=missing[0])
            service.staff = [ServiceStaff(staff_id=s.id) for s in staff]
            audit.record(
                session,
                actor,
                "queue.service_set",
                setup.code,
                {
                    "name": setup.name,
                    "prefix": setup.prefix,
                    "hours": f"{setup.opens_at}-{setup.closes_at}",
                    "windows": list(setup.windows),
                    "staff": list(setup.staff),
                    "active": setup.active,
                },
            )
            events.publish(session, events.REFERENCE_CHANGED, {"service": setup.code})
        self._desk.forget_cached_facts()
        return next(s for s in self.list() if s.code == setup.code)


class PrefixInUse(InvalidInput):
    code = "queue.prefix_in_use"


def _check_setup(setup: ServiceSetup) -> None:
    if not SERVICE_CODE.match(setup.code):
        raise InvalidInput("a service code is a capital letter and up to 15 more", field="code")
    if not PREFIX.match(setup.prefix):
        raise InvalidInput("a ticket prefix is one or two capital letters", field="prefix")
    if not setup.name.strip():
        raise InvalidInput("the service needs a name", field="name")
    if not 1 <= setup.digits <= 5:
        raise InvalidInput("digits must be 1 to 5", field="digits")
    opens = parse_hhmm(setup.opens_at)
    if setup.closes_at != "24:00" and parse_hhmm(setup.closes_at) <= opens:
        raise InvalidInput("closing time must be after opening time", field="closes_at")
    if not 1 <= setup.service_minutes <= 240:
        raise InvalidInput("service minutes must be 1 to 240", field="service_minutes")
