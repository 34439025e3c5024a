"""``QueueDesk`` over a real SQLite store made from the demo, with a clock the test sets."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from counter_app.config.basedir import Basedir
from counter_app.config.settings import QUEUE_CALL_ORDER, Settings
from counter_app.domain.errors import DomainError, Forbidden, InvalidInput, StorageError
from counter_app.domain.queue import (
    FINAL,
    AppointmentNotToday,
    AppointmentUnknown,
    AppointmentUsed,
    BadIdempotencyKey,
    NoCurrentTicket,
    Priority,
    RatingScore,
    ReinstateExpired,
    ServiceClosed,
    ServiceUnknown,
    TicketAction,
    TicketState,
    TicketStateError,
    WindowBusy,
    WindowNotServing,
    WindowPaused,
    WindowUnknown,
    next_state,
)
from counter_app.domain.roles import Role
from counter_app.hub.server import HubOptions, HubServer, open_store
from counter_app.services import events
from counter_app.services.actor import Actor
from counter_app.services.queue import QueueDesk, TicketView
from counter_app.storage.database import Store
from counter_app.storage.models import (
    Appointment,
    HubEvent,
    NumberCounter,
    QueueCount,
    Rating,
    ServiceStaff,
    ServiceType,
    Staff,
    Ticket,
    TicketTransition,
    WindowState,
)
from counter_app.storage.types import utcnow

# 09:00 on Monday 2 March 2026 in Shanghai (the demo branch's time zone).
MONDAY_9 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


class Clock:
    """The desk's clock: stands still until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def store(demo_basedir: Basedir) -> Iterator[Store]:
    store, _ = open_store(demo_basedir)
    yield store
    store.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_9)


@pytest.fixture
def desk(store: Store, clock: Clock) -> QueueDesk:
    return QueueDesk(store, Settings(None), clock)


def staff_actor(store: Store, username: str) -> Actor:
    with store.read() as session:
        staff = session.scalar(select(Staff).where(Staff.username == username))
        assert staff is not None
        roles = frozenset(Role(r.role) for r in staff.roles)
        return Actor(username, f"desk-{username}", roles, staff.id)


@pytest.fixture
def guide(store: Store) -> Actor:
    return staff_actor(store, "guide")


@pytest.fixture
def clerk(store: Store) -> Actor:
    return staff_actor(store, "clerk")


@pytest.fixture
def collector(store: Store) -> Actor:
    return staff_actor(store, "collector")


@pytest.fixture
def manager(store: Store) -> Actor:
    return staff_actor(store, "manager")


def ticket_row(store: Store, ticket_id: uuid.UUID) -> Ticket:
    with store.read() as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        return row


def state_of(store: Store, ticket_id: uuid.UUID) -> str:
    return ticket_row(store, ticket_id).state


def transitions(store: Store, ticket_id: uuid.UUID) -> list[tuple[str, str | None, str]]:
    with store.read() as session:
        rows = session.scalars(
            select(TicketTransition)
            .where(TicketTransition.ticket_id == ticket_id)
            .order_by(TicketTransition.at, TicketTransition.id)
        ).all()
        return [(r.action, r.from_state, r.to_state) for r in rows]


def queue_events(store: Store, kind: str) -> list[dict[str, Any]]:
    with store.read() as session:
        rows = session.scalars(
            select(HubEvent).where(HubEvent.type == kind).order_by(HubEvent.seq)
        ).all()
        return [dict(r.payload) for r in rows]


def set_service(desk: QueueDesk, store: Store, code: str, **values: Any) -> None:
    """Change a service type as head office's publication would, then tell the desk (which
    keeps service facts for a few seconds) as that publication does."""
    with store.write() as session:
        service = session.scalar(select(ServiceType).where(ServiceType.code == code))
        assert service is not None
        for key, value in values.items():
            setattr(service, key, value)
    desk.forget_cached_facts()


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An instant given as Shanghai wall-clock time in March 2026."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=8)


# --- issuing and numbering ---


def test_issue_numbers_tickets_per_service_and_counts_who_is_ahead(
    desk: QueueDesk, guide: Actor, clock: Clock
) -> None:
    first = desk.issue(guide, "A")
    clock.advance(seconds=30)
    second = desk.issue(guide, "A", Priority.ELDERLY)
    clock.advance(seconds=30)
    third = desk.issue(guide, "A")
    other = desk.issue(guide, "B")
    assert [t.number for t in (first, second, third, other)] == ["A001", "A002", "A003", "B001"]
    assert [t.waiting_ahead for t in (first, second, third, other)] == [0, 1, 2, 0]
    # No window open: counted as one, at the demo's five minutes a customer.
    assert [t.estimated_wait_minutes for t in (first, second, third)] == [0, 5, 10]
    assert second.priority == "elderly"
    assert (third.issued_at, third.queued_at) == (MONDAY_9 + timedelta(minutes=1),) * 2
    assert {t.business_day for t in (first, other)} == {"2026-03-02"}
    assert {t.state for t in (first, other)} == {"waiting"}
    assert transitions(desk._store, first.id) == [("issue", None, "waiting")]
    issued = queue_events(desk._store, events.TICKET_ISSUED)
    assert [e["ticket"]["number"] for e in issued] == ["A001", "A002", "A003", "B001"]
    assert issued[-1]["waiting"] == {"A": 3, "B": 1}


def test_only_the_kiosk_posts_issue(desk: QueueDesk, clerk: Actor, collector: Actor) -> None:
    for actor in (clerk, collector):
        with pytest.raises(Forbidden):
            desk.issue(actor, "A")


def test_unknown_and_inactive_services_are_refused(
    desk: QueueDesk, guide: Actor, store: Store
) -> None:
    with pytest.raises(ServiceUnknown) as info:
        desk.issue(guide, "Z")
    assert (info.value.code, info.value.params) == ("queue.unknown_service", {"service": "Z"})
    set_service(desk, store, "C", active=False)
    with pytest.raises(ServiceUnknown):
        desk.issue(guide, "C")


def test_a_service_takes_tickets_only_within_its_hours(
    desk: QueueDesk, guide: Actor, clock: Clock, store: Store
) -> None:
    set_service(desk, store, "A", opens_at="08:30", closes_at="17:30")
    for instant in (local(2, 8, 29, 59), local(2, 17, 30), local(2, 23, 0)):
        clock.now = instant
        with pytest.raises(ServiceClosed) as info:
            desk.issue(guide, "A")
        assert info.value.code == "queue.service_closed"
        assert info.value.params == {"service": "A", "opens_at": "08:30", "closes_at": "17:30"}
    clock.now = local(2, 8, 30)
    assert desk.issue(guide, "A").number == "A001"  # the refusals used up no number
    clock.now = local(2, 17, 29, 59)
    assert desk.issue(guide, "A").number == "A002"
    assert desk.issue(guide, "B").number == "B001"  # other services keep their own hours


def test_numbers_start_again_at_001_on_the_next_business_day(
    desk: QueueDesk, guide: Actor, clock: Clock
) -> None:
    clock.now = local(2, 23, 59, 59)
    assert [desk.issue(guide, "A").number for _ in range(3)] == ["A001", "A002", "A003"]
    clock.now = local(3, 0, 0)
    tuesday = desk.issue(guide, "A")
    assert (tuesday.number, tuesday.business_day) == ("A001", "2026-03-03")
    assert desk.issue(guide, "B").number == "B001"


def test_numbers_past_999_grow_and_never_repeat(
    desk: QueueDesk, guide: Actor, store: Store
) -> None:
    with store.write() as session:
        service = session.scalar(select(ServiceType).where(ServiceType.code == "A"))
        assert service is not None
        session.add(NumberCounter(service_type_id=service.id, period="2026-03-02", last_seq=998))
    assert [desk.issue(guide, "A").number for _ in range(3)] == ["A999", "A1000", "A1001"]


def test_a_service_without_daily_reset_numbers_on_across_days(
    desk: QueueDesk, guide: Actor, clock: Clock, store: Store
) -> None:
    set_service(desk, store, "D", daily_reset=False)
    assert desk.issue(guide, "D").number == "D001"
    clock.advance(days=1)
    assert desk.issue(guide, "D").number == "D002"
    assert desk.issue(guide, "A").number == "A001"


def test_clock_set_back_across_midnight_reissues_no_number(
    desk: QueueDesk, guide: Actor, clock: Clock, store: Store
) -> None:
    clock.now = local(2, 23, 50)
    monday = [desk.issue(guide, "A") for _ in range(2)]
    clock.now = local(3, 0, 1)
    tuesday = [desk.issue(guide, "A")]
    clock.now = local(2, 23, 58)  # somebody sets the hub's clock back
    tuesday += [desk.issue(guide, "A"), desk.issue(guide, "A")]
    clock.now = local(3, 0, 2)
    tuesday.append(desk.issue(guide, "A"))
    assert [t.number for t in monday] == ["A001", "A002"]
    assert [t.number for t in tuesday] == ["A001", "A002", "A003", "A004"]
    assert {t.business_day for t in tuesday} == {"2026-03-03"}
    with store.read() as session:
        pairs = session.execute(select(Ticket.business_day, Ticket.number)).all()
        assert len(pairs) == len(set(pairs)) == 6
        monday_counter = session.scalar(
            select(NumberCounter.last_seq).where(NumberCounter.period == "2026-03-02")
        )
        assert monday_counter == 2  # Monday's numbers were not reopened


def test_same_service_period_and_seq_is_refused_by_the_database_itself(
    desk: QueueDesk, guide: Actor, store: Store
) -> None:
    issued = desk.issue(guide, "A")
    with store.engine.connect() as conn:
        columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(ticket)")]
        conn.rollback()

    def copy_with_seq(seq: int) -> None:
        values = ", ".join(":id" if c == "id" else ":seq" if c == "seq" else c for c in columns)
        with store.engine.connect() as conn:
            conn.execute(
                text(
                    f"INSERT INTO ticket ({', '.join(columns)}) "
                    f"SELECT {values} FROM ticket WHERE seq = 1"
                ),
                {"id": uuid.uuid4().hex, "seq": seq},
            )
            conn.commit()

    copy_with_seq(2)  # the statement itself is fine: another seq goes in
    with pytest.raises(
        IntegrityError, match=r"UNIQUE constraint failed: ticket\.\w+, ticket\.period, ticket\.seq"
    ):
        copy_with_seq(1)
    with store.read() as session:
        seqs = session.scalars(select(Ticket.seq).order_by(Ticket.seq)).all()
    assert seqs == [1, 2]
    assert issued.number == "A001"


# --- the day boundary ---


def leftovers(desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor) -> dict[str, Any]:
    """Monday's tickets in every state the evening can leave them in."""
    done = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    desk.finish(clerk, 1)
    no_show = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    desk.no_show(clerk, 1)
    serving = desk.issue(guide, "B")
    desk.call_next(collector, 3)
    desk.start(collector, 3)
    called = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    transferred = desk.issue(guide, "A")
    desk.call_next(clerk, 2)
    desk.transfer(clerk, 2, to_window=1)
    waiting = desk.issue(guide, "A")
    return {
        "done": done,
        "no_show": no_show,
        "serving": serving,
        "called": called,
        "transferred": transferred,
        "waiting": waiting,
    }


def test_close_stale_days_cancels_yesterdays_queue_and_finishes_who_was_served(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, clock: Clock, store: Store
) -> None:
    monday = leftovers(desk, guide, clerk, collector)
    assert {k: state_of(store, t.id) for k, t in monday.items()} == {
        "done": "done",
        "no_show": "no_show",
        "serving": "serving",
        "called": "called",
        "transferred": "transferred",
        "waiting": "waiting",
    }
    assert desk.close_stale_days() == 0  # still Monday
    clock.now = local(3, 0, 0)
    tuesday = desk.issue(guide, "A")
    assert tuesday.number == "A001"
    assert desk.close_stale_days() == 5
    after = {k: (state_of(store, t.id), transitions(store, t.id)[-1]) for k, t in monday.items()}
    assert after == {
        "done": ("done", ("finish", "called", "done")),
        "no_show": ("cancelled", ("expire", "no_show", "cancelled")),
        "serving": ("done", ("finish", "serving", "done")),
        "called": ("cancelled", ("expire", "called", "cancelled")),
        "transferred": ("cancelled", ("expire", "transferred", "cancelled")),
        "waiting": ("cancelled", ("expire", "waiting", "cancelled")),
    }
    assert ticket_row(store, monday["serving"].id).finished_at == local(3, 0, 0)
    assert state_of(store, tuesday.id) == "waiting"  # today's queue is left alone
    with store.read() as session:
        assert session.scalars(select(WindowState.current_ticket_id)).all() == [None] * 3
        transition_count = session.scalar(select(func.count()).select_from(TicketTransition))
        event_count = session.scalar(select(func.count()).select_from(HubEvent))
    new_day = queue_events(store, events.QUEUE_CHANGED)
    assert new_day == [{"reason": "new_day", "waiting": {"A": 1}}]
    # A second run changes nothing.
    assert desk.close_stale_days() == 0
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(TicketTransition)) == (
            transition_count
        )
        assert session.scalar(select(func.count()).select_from(HubEvent)) == event_count
    # Monday's windows call Tuesday's queue only.
    assert desk.call_next(clerk, 1).id == tuesday.id  # type: ignore[union-attr]
    assert desk.call_next(collector, 3) is None


def test_hub_start_closes_earlier_business_days(demo_basedir: Basedir) -> None:
    store, _ = open_store(demo_basedir)
    yesterday = QueueDesk(store, Settings(None), lambda: utcnow() - timedelta(days=1))
    try:
        guide, clerk = staff_actor(store, "guide"), staff_actor(store, "clerk")
        finished = yesterday.issue(guide, "A")
        serving = yesterday.issue(guide, "A")
        yesterday.call_next(clerk, 1)  # the first one
        yesterday.call_next(clerk, 1)  # finishes it and calls the second
        yesterday.start(clerk, 1)
        assert (state_of(store, finished.id), state_of(store, serving.id)) == ("done", "serving")
        still_waiting = yesterday.issue(guide, "B")
    finally:
        store.dispose()
    server = HubServer(demo_basedir, Settings(None), HubOptions(host="127.0.0.1", port=0))
    server.start()
    try:
        assert server.context is not None
        started = server.context.store
        assert state_of(started, finished.id) == "done"
        assert state_of(started, serving.id) == "done"
        assert transitions(started, serving.id)[-1] == ("finish", "serving", "done")
        assert state_of(started, still_waiting.id) == "cancelled"
        assert transitions(started, still_waiting.id)[-1] == ("expire", "waiting", "cancelled")
        assert server.context.queue.snapshot().services[1].waiting == 0
    finally:
        server.stop()


# --- calling at the windows ---


def test_call_next_finishes_the_current_ticket_and_calls_the_next(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    first, second = desk.issue(guide, "A"), desk.issue(guide, "A")
    clock.advance(minutes=2)
    called = desk.call_next(clerk, 1)
    assert called is not None
    assert (called.id, called.state, called.window, called.call_count) == (first.id, "called", 1, 1)
    assert called.called_at == clock.now
    clock.advance(minutes=4)
    called = desk.call_next(clerk, 1)
    assert called is not None
    assert called.id == second.id
    assert state_of(store, first.id) == "done"
    assert ticket_row(store, first.id).finished_at == clock.now
    assert transitions(store, first.id) == [
        ("issue", None, "waiting"),
        ("call", "waiting", "called"),
        ("finish", "called", "done"),
    ]
    assert desk.call_next(clerk, 1) is None  # nobody waits: not an error
    assert state_of(store, second.id) == "done"
    window = desk.window(1)
    assert (window.status, window.staff, window.current) == ("open", "clerk", None)
    calls = queue_events(store, events.TICKET_CALLED)
    assert [(e["ticket"]["number"], e["window"]) for e in calls] == [("A001", 1), ("A002", 1)]
    assert calls[0]["waiting"] == {"A": 1}
    assert calls[1]["waiting"] == {"A": 0}  # a service that had tickets today shows 0


def test_call_next_only_calls_services_the_window_serves(
    desk: QueueDesk, guide: Actor, collector: Actor
) -> None:
    desk.issue(guide, "A")
    assert desk.call_next(collector, 3) is None  # window 3 serves B only
    b = desk.issue(guide, "B")
    assert desk.call_next(collector, 3).id == b.id  # type: ignore[union-attr]


def test_call_order_setting_reaches_the_windows(
    store: Store, clock: Clock, guide: Actor, clerk: Actor
) -> None:
    fifo = Settings(None)
    fifo.set(QUEUE_CALL_ORDER, "fifo")
    desk = QueueDesk(store, fifo, clock)
    normal = desk.issue(guide, "A")
    vip = desk.issue(guide, "A", Priority.VIP)
    assert [desk.call_next(clerk, 1).id for _ in range(2)] == [normal.id, vip.id]  # type: ignore[union-attr]
    normal = desk.issue(guide, "A")
    vip = desk.issue(guide, "A", Priority.VIP)
    interleave = QueueDesk(store, Settings(None), clock)  # the default: 3 normal, 1 priority
    for _ in range(3):
        desk.issue(guide, "A")
    order = [interleave.call_next(clerk, 1) for _ in range(5)]
    # The window's counter was reset by the VIP it called last: three normals, then the VIP.
    assert [t.number for t in order if t] == ["A003", "A005", "A006", "A004", "A007"]


def test_retried_call_with_the_same_key_calls_once(
    desk: QueueDesk, guide: Actor, clerk: Actor, store: Store
) -> None:
    first, second = desk.issue(guide, "A"), desk.issue(guide, "A")
    key = "press-" + uuid.uuid4().hex[:12]
    called = desk.call_next(clerk, 1, key)
    retried = desk.call_next(clerk, 1, key)
    assert called is not None
    assert retried is not None
    assert retried.id == called.id == first.id
    assert retried.call_count == 1
    assert state_of(store, first.id) == "called"  # not finished by the retry
    assert state_of(store, second.id) == "waiting"
    assert len(queue_events(store, events.TICKET_CALLED)) == 1
    with pytest.raises(BadIdempotencyKey) as info:
        desk.call_next(clerk, 2, key)  # the same key for another window
    assert info.value.code == "queue.bad_idempotency_key"
    assert state_of(store, second.id) == "waiting"
    assert desk.call_next(clerk, 1, key + "-2").id == second.id  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "key", ["short", "x" * 65, "has space1", "semi;colon", "中文键值很长很长的", ""]
)
def test_malformed_idempotency_keys_are_refused(
    desk: QueueDesk, guide: Actor, clerk: Actor, store: Store, key: str
) -> None:
    waiting = desk.issue(guide, "A")
    with pytest.raises(BadIdempotencyKey):
        desk.call_next(clerk, 1, key)
    assert state_of(store, waiting.id) == "waiting"


def test_a_paused_window_calls_nobody(
    desk: QueueDesk, guide: Actor, clerk: Actor, store: Store
) -> None:
    waiting = desk.issue(guide, "A")
    assert desk.set_window(clerk, 1, "paused").status == "paused"
    with pytest.raises(WindowPaused) as info:
        desk.call_next(clerk, 1)
    assert (info.value.code, info.value.params) == ("queue.window_paused", {"window": 1})
    assert state_of(store, waiting.id) == "waiting"
    assert desk.set_window(clerk, 1, "open").status == "open"
    assert desk.call_next(clerk, 1).id == waiting.id  # type: ignore[union-attr]


def test_unknown_window_is_refused(desk: QueueDesk, clerk: Actor) -> None:
    for call in (
        lambda: desk.call_next(clerk, 99),
        lambda: desk.recall(clerk, 99),
        lambda: desk.window(99),
        lambda: desk.set_window(clerk, 99, "open"),
    ):
        with pytest.raises(WindowUnknown) as info:
            call()
        assert info.value.params == {"window": 99}


def test_a_window_held_by_another_clerk_is_busy_but_a_manager_may_take_it(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, manager: Actor, store: Store
) -> None:
    first, second = desk.issue(guide, "A"), desk.issue(guide, "A")
    assert desk.call_next(clerk, 1).id == first.id  # type: ignore[union-attr]
    for action in (
        lambda: desk.call_next(collector, 1),
        lambda: desk.recall(collector, 1),
        lambda: desk.finish(collector, 1),
        lambda: desk.set_window(collector, 1, "open"),
        lambda: desk.set_window(collector, 1, "closed"),
    ):
        with pytest.raises(WindowBusy) as info:
            action()
        assert (info.value.code, info.value.params) == ("queue.window_busy", {"window": 1})
    assert state_of(store, first.id) == "called"
    taken = desk.call_next(manager, 1)
    assert taken is not None
    assert taken.id == second.id
    assert state_of(store, first.id) == "done"
    assert desk.window(1).staff == "manager"
    # Closing frees the window for anyone.
    desk.set_window(manager, 1, "closed")
    assert state_of(store, second.id) == "done"
    assert desk.call_next(collector, 1) is None
    assert desk.window(1).staff == "collector"


def test_window_not_serving_anything_for_this_clerk(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, store: Store
) -> None:
    with store.write() as session:
        ids = {
            s.code: s.id
            for s in session.scalars(select(ServiceType).where(ServiceType.code.in_(["A", "V"])))
        }
        for service_id in ids.values():
            session.add(ServiceStaff(service_type_id=service_id, staff_id=collector.staff_id))
    desk.issue(guide, "A")
    with pytest.raises(WindowNotServing) as info:
        desk.call_next(clerk, 1)  # window 1 serves A and V, both reserved for the collector
    assert (info.value.code, info.value.params) == ("queue.window_not_serving", {"window": 1})
    assert desk.call_next(collector, 1) is not None


def test_window_actions_need_a_counter_post(desk: QueueDesk, guide: Actor) -> None:
    desk.issue(guide, "A")
    for action in (
        lambda: desk.call_next(guide, 1),
        lambda: desk.recall(guide, 1),
        lambda: desk.set_window(guide, 1, "open"),
    ):
        with pytest.raises(Forbidden):
            action()


def test_recall_calls_again_and_announces_again(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    with pytest.raises(NoCurrentTicket) as info:
        desk.recall(clerk, 1)
    assert info.value.params == {"window": 1}
    issued = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    clock.advance(minutes=1)
    recalled = desk.recall(clerk, 1)
    assert (recalled.id, recalled.state, recalled.call_count) == (issued.id, "called", 2)
    assert recalled.called_at == clock.now
    calls = queue_events(store, events.TICKET_CALLED)
    assert [(e["ticket"]["number"], e["ticket"]["call_count"], e["action"]) for e in calls] == [
        ("A001", 1, "call"),
        ("A001", 2, "recall"),
    ]
    desk.start(clerk, 1)
    with pytest.raises(TicketStateError) as state_info:
        desk.recall(clerk, 1)  # the customer is already at the window
    assert state_info.value.params == {"state": "serving", "action": "recall"}
    assert ticket_row(store, issued.id).call_count == 2  # the refused recall counted nothing


def test_no_show_reinstated_in_time_goes_back_to_its_place(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    missed = desk.issue(guide, "A")
    clock.advance(minutes=1)
    later = desk.issue(guide, "A")
    clock.advance(minutes=1)
    latest = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    assert desk.no_show(clerk, 1).state == "no_show"
    assert desk.window(1).current is None
    assert desk.call_next(clerk, 1).id == later.id  # type: ignore[union-attr]
    clock.advance(minutes=15)  # exactly the limit
    back = desk.reinstate(clerk, missed.id)
    assert (back.state, back.queued_at) == ("waiting", missed.queued_at)
    # Ahead of A003, which was issued after it.
    assert desk.call_next(clerk, 1).id == missed.id  # type: ignore[union-attr]
    assert desk.call_next(clerk, 1).id == latest.id  # type: ignore[union-attr]
    assert transitions(store, missed.id) == [
        ("issue", None, "waiting"),
        ("call", "waiting", "called"),
        ("no_show", "called", "no_show"),
        ("reinstate", "no_show", "waiting"),
        ("call", "waiting", "called"),
        ("finish", "called", "done"),
    ]


def test_reinstate_after_the_limit_is_refused(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    missed = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    desk.no_show(clerk, 1)
    clock.advance(minutes=15, seconds=1)
    with pytest.raises(ReinstateExpired) as info:
        desk.reinstate(guide, missed.id)
    assert info.value.code == "queue.reinstate_expired"
    assert info.value.params == {"number": "A001", "minutes": 15}
    assert state_of(store, missed.id) == "no_show"
    with pytest.raises(TicketStateError):
        desk.reinstate(clerk, desk.issue(guide, "A").id)  # a waiting ticket was never missed


def test_transfer_to_another_service_keeps_the_original_issue_time(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, clock: Clock, store: Store
) -> None:
    moved = desk.issue(guide, "A")
    clock.advance(minutes=1)
    b_first = desk.issue(guide, "B")
    clock.advance(minutes=1)
    b_second = desk.issue(guide, "B")
    desk.call_next(clerk, 1)
    clock.advance(minutes=3)
    sent = desk.transfer(clerk, 1, to_service="B")
    assert (sent.state, sent.service, sent.number) == ("transferred", "B", "A001")
    assert sent.queued_at == moved.issued_at
    assert desk.window(1).current is None
    order = [desk.call_next(collector, 3) for _ in range(3)]
    assert [t.id for t in order if t] == [moved.id, b_first.id, b_second.id]
    assert transitions(store, moved.id)[2] == ("transfer", "called", "transferred")
    # Both services number on as before: A001 kept A's number 1 and took none of B's.
    assert desk.issue(guide, "A").number == "A002"
    assert desk.issue(guide, "B").number == "B003"
    desk.call_next(clerk, 1)
    with pytest.raises(ServiceUnknown) as info:
        desk.transfer(clerk, 1, "Z")
    assert info.value.params == {"service": "Z"}


def test_transfer_to_a_named_window_is_called_by_that_window_only(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, store: Store
) -> None:
    moved = desk.issue(guide, "A")
    other = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    sent = desk.transfer(clerk, 1, to_window=2)
    assert (sent.state, sent.target_window) == ("transferred", 2)
    assert desk.call_next(clerk, 1).id == other.id  # type: ignore[union-attr]
    assert desk.call_next(clerk, 1) is None  # the transferred ticket waits for window 2
    called = desk.call_next(collector, 2)
    assert called is not None
    assert called.id == moved.id
    assert (called.window, called.target_window) == (2, None)


def test_transfer_to_a_window_that_does_not_serve_the_service_is_refused(
    desk: QueueDesk, guide: Actor, clerk: Actor, store: Store
) -> None:
    issued = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    with pytest.raises(WindowNotServing) as info:
        desk.transfer(clerk, 1, to_window=3)  # window 3 serves B only
    assert (info.value.code, info.value.params) == ("queue.window_not_serving", {"window": 3})
    assert state_of(store, issued.id) == "called"
    with pytest.raises(InvalidInput):
        desk.transfer(clerk, 1)  # neither a service nor a window
    # To a service that window serves, it is accepted.
    assert desk.transfer(clerk, 1, to_service="B", to_window=3).target_window == 3


# --- ratings ---


def serve(desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, minutes: float) -> TicketView:
    issued = desk.issue(guide, "A")
    desk.call_next(clerk, 1)
    desk.start(clerk, 1)
    clock.advance(minutes=minutes)
    finished = desk.finish(clerk, 1)
    assert finished.id == issued.id
    return finished


def test_ratings_only_for_finished_tickets_once_each(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    waiting = desk.issue(guide, "B")
    with pytest.raises(TicketStateError) as info:
        desk.rate(clerk, waiting.id, RatingScore.SATISFIED)
    assert info.value.params == {"state": "waiting", "action": "rate"}
    done = serve(desk, guide, clerk, clock, 4)
    desk.rate(clerk, done.id, RatingScore.VERY_SATISFIED, "快")
    with pytest.raises(TicketStateError):
        desk.rate(clerk, done.id, RatingScore.DISSATISFIED)
    with store.read() as session:
        rows = session.scalars(select(Rating)).all()
        assert [(r.ticket_id, r.score, r.window_number, r.reason) for r in rows] == [
            (done.id, "very_satisfied", 1, "快")
        ]
        assert rows[0].staff_id == clerk.staff_id
    with pytest.raises(Forbidden):
        desk.rate(guide, done.id, RatingScore.SATISFIED)


def test_none_is_stored_and_left_out_of_the_satisfaction_rate(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    scores = [RatingScore.VERY_SATISFIED, RatingScore.DISSATISFIED, RatingScore.NONE]
    for score in scores:
        desk.rate(clerk, serve(desk, guide, clerk, clock, 3).id, score)
    with store.read() as session:
        assert sorted(session.scalars(select(Rating.score))) == sorted(s.value for s in scores)
    snapshot = desk.snapshot()
    assert snapshot.satisfaction == 0.5
    (stats,) = snapshot.clerks
    assert (stats.username, stats.served, stats.ratings, stats.satisfaction) == ("clerk", 3, 2, 0.5)
    assert stats.average_service_seconds == 180


# --- appointments ---


def test_appointment_check_in_issues_a_ticket_called_at_its_slot(
    desk: QueueDesk, guide: Actor, clerk: Actor, clock: Clock, store: Store
) -> None:
    booking = desk.book(guide, "V", " 王先生 ", "13800000000", local(2, 10, 0))
    assert (booking.state, booking.customer_name, booking.ticket_id) == ("booked", "王先生", None)
    assert len(booking.code) == 6
    assert booking.code.isdigit()
    assert [a.code for a in desk.appointments()] == [booking.code]
    clock.now = local(2, 9, 0)
    ticket = desk.check_in(guide, booking.code)
    assert (ticket.number, ticket.service, ticket.state) == ("V001", "V", "waiting")
    with store.read() as session:
        row = session.scalar(select(Appointment).where(Appointment.code == booking.code))
        assert row is not None
        assert (row.state, row.ticket_id) == ("checked_in", ticket.id)
    with pytest.raises(AppointmentUsed) as info:
        desk.check_in(guide, booking.code)
    assert info.value.params == {"appointment": booking.code}
    clock.now = local(2, 9, 1)
    walk_in = desk.issue(guide, "A")
    clock.now = local(2, 9, 54, 59)  # before slot - appointment_early (5 minutes)
    assert desk.call_next(clerk, 1).id == walk_in.id  # type: ignore[union-attr]
    later_walk_in = desk.issue(guide, "A")
    clock.now = local(2, 9, 55)
    assert desk.call_next(clerk, 1).id == ticket.id  # type: ignore[union-attr]
    assert desk.call_next(clerk, 1).id == later_walk_in.id  # type: ignore[union-attr]


def test_check_in_on_the_wrong_day_or_with_an_unknown_code_is_refused(
    desk: QueueDesk, guide: Actor, clock: Clock
) -> None:
    tomorrow = desk.book(guide, "V", "李女士", "", local(3, 10, 0))
    with pytest.raises(AppointmentNotToday) as info:
        desk.check_in(guide, tomorrow.code)
    assert info.value.params == {"appointment": tomorrow.code, "slot": "2026-03-03 10:00"}
    with pytest.raises(AppointmentUnknown) as unknown:
        desk.check_in(guide, "000000" if tomorrow.code != "000000" else "999999")
    assert unknown.value.code == "queue.unknown_appointment"
    clock.now = local(3, 9, 0)
    assert desk.check_in(guide, tomorrow.code).number == "V001"
    with pytest.raises(ServiceUnknown):
        desk.book(guide, "Z", "李女士", "", local(3, 10, 0))
    with pytest.raises(InvalidInput):
        desk.book(guide, "V", "  ", "", local(3, 10, 0))


# --- the snapshot ---


def test_snapshot_counts_what_was_done(
    desk: QueueDesk, guide: Actor, clerk: Actor, collector: Actor, clock: Clock
) -> None:
    for code in "AAAB":
        desk.issue(guide, code)
        clock.advance(minutes=1)
    b_second = desk.issue(guide, "B")
    desk.call_next(clerk, 1)
    clock.advance(minutes=5)
    desk.finish(clerk, 1)
    desk.call_next(clerk, 1)
    desk.set_window(collector, 4, "open")
    desk.set_window(collector, 3, "paused")
    clock.advance(minutes=2)
    snap = desk.snapshot()
    assert (snap.business_day, snap.at) == ("2026-03-02", clock.now)
    services = {s.code: s for s in snap.services}
    assert [s.code for s in snap.services] == ["A", "B", "C", "D", "V"]
    assert (services["A"].waiting, services["B"].waiting, services["C"].waiting) == (1, 2, 0)
    # A003 was issued at 09:02, B001 at 09:03; it is now 09:11.
    assert services["A"].longest_wait_seconds == 9 * 60
    assert services["B"].longest_wait_seconds == 8 * 60
    assert services["C"].longest_wait_seconds == 0
    assert (services["A"].windows_open, services["B"].windows_open) == (1, 1)
    assert services["C"].windows_open == 1  # window 4 serves B and C
    assert services["D"].windows_open == 0
    windows = {w.number: w for w in snap.windows}
    assert [windows[n].status for n in range(1, 6)] == [
        "open",
        "closed",
        "paused",
        "open",
        "closed",
    ]
    assert windows[1].current is not None
    assert windows[1].current.number == "A002"
    assert windows[1].services == ("A", "V")
    assert [(c.number, c.window) for c in snap.recent_calls] == [("A002", 1), ("A001", 1)]
    assert (snap.issued_today, snap.served_today, snap.satisfaction) == (5, 1, None)
    (stats,) = snap.clerks
    assert (stats.username, stats.served, stats.average_service_seconds) == ("clerk", 1, 300)
    assert b_second.waiting_ahead == 1


# --- any sequence of actions ---

WINDOW_STAFF = {1: "clerk", 2: "clerk", 3: "collector", 4: "collector", 5: "service"}
step = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from("ABCDV"), st.none() | st.sampled_from(Priority)),
    st.tuples(
        st.sampled_from(["call", "recall", "start", "finish", "no_show", "pause", "open"]),
        st.integers(1, 5),
    ),
    st.tuples(st.sampled_from(["reinstate", "cancel"]), st.integers(0, 30)),
    st.tuples(
        st.just("transfer"),
        st.integers(1, 5),
        st.none() | st.sampled_from("ABCDV"),
        st.none() | st.integers(1, 5),
    ),
    st.tuples(st.just("wait"), st.integers(1, 40)),
    st.tuples(st.just("next_day")),
)


def apply(
    desk: QueueDesk, actors: dict[str, Actor], issued: list[uuid.UUID], move: tuple[Any, ...]
) -> None:
    kind = move[0]
    clock = desk.clock
    assert isinstance(clock, Clock)
    guide = actors["guide"]
    if kind == "issue":
        issued.append(desk.issue(guide, move[1], move[2]).id)
    elif kind == "wait":
        clock.advance(minutes=move[1])
    elif kind == "next_day":
        clock.advance(days=1)
        desk.close_stale_days()
    elif kind in ("reinstate", "cancel"):
        if issued:
            target = issued[move[1] % len(issued)]
            if kind == "reinstate":
                desk.reinstate(actors["clerk"], target)
            else:
                desk.cancel(guide, target)
    else:
        window = move[1]
        actor = actors[WINDOW_STAFF[window]]
        if kind == "call":
            desk.call_next(actor, window)
        elif kind == "transfer":
            desk.transfer(actor, window, move[2], move[3])
        elif kind in ("pause", "open"):
            desk.set_window(actor, window, "paused" if kind == "pause" else "open")
        else:
            getattr(desk, kind)(actor, window)
    clock.advance(seconds=1)  # every step at its own instant, so transitions sort by time


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(step, min_size=1, max_size=30))
def test_any_sequence_of_actions_keeps_the_machine_and_its_record(
    demo_template: Path, moves: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Basedir(Path(tmp) / "base")
        shutil.copytree(demo_template, base.root)
        store = Store.open(base.database)
        try:
            desk = QueueDesk(store, Settings(None), Clock(MONDAY_9))
            actors = {u: staff_actor(store, u) for u in ("guide", *set(WINDOW_STAFF.values()))}
            issued: list[uuid.UUID] = []
            seen_final: dict[uuid.UUID, str] = {}
            for move in moves:
                try:
                    apply(desk, actors, issued, move)
                except StorageError:
                    raise  # a broken rule in the database is a bug, never a refusal
                except DomainError:
                    pass  # a refused move: the machine said no
                with store.read() as session:
                    states = {
                        r.id: r.state for r in session.execute(select(Ticket.id, Ticket.state))
                    }
                for ticket_id, state in states.items():
                    assert TicketState(state) in TicketState
                    if ticket_id in seen_final:
                        assert state == seen_final[ticket_id], "a final state changed"
                    elif TicketState(state) in FINAL:
                        seen_final[ticket_id] = state
            for ticket_id, state in states.items():
                replay: TicketState | None = None
                for action, before, after in transitions(store, ticket_id):
                    assert before == (replay.value if replay else None)
                    if action == TicketAction.ISSUE:
                        replay = TicketState.WAITING
                    else:
                        assert replay is not None
                        replay = next_state(replay, TicketAction(action))
                    assert after == replay.value
                assert replay is not None
                assert replay.value == state
            # The trigger-kept waiting counts agree with the tickets after any history.
            with store.read() as session:
                counted = {
                    (r.service_type_id, r.business_day): r.n
                    for r in session.execute(
                        select(
                            Ticket.service_type_id,
                            Ticket.business_day,
                            func.count().label("n"),
                        )
                        .where(Ticket.state.in_(["waiting", "transferred"]))
                        .group_by(Ticket.service_type_id, Ticket.business_day)
                    )
                }
                kept = {
                    (r.service_type_id, r.business_day): r.waiting
                    for r in session.scalars(select(QueueCount))
                    if r.waiting
                }
            assert kept == counted
        finally:
            store.dispose()
