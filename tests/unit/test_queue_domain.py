"""The queue's rules without a database: ticket states, numbering per business day, the call
order (fifo, weighted, interleave, long waits, appointments, no starvation), estimates, ratings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import Conflict, InvalidInput, NotFound
from counter_app.domain.queue import (
    AT_WINDOW,
    CALLABLE,
    FINAL,
    TRANSITIONS,
    BadIdempotencyKey,
    CallChoice,
    CallMode,
    CallPolicy,
    Priority,
    QueuedTicket,
    RatingScore,
    TicketAction,
    TicketState,
    TicketStateError,
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

S, A = TicketState, TicketAction
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai

# The issue's state machine, written out independently of the code under test.
ALLOWED: dict[tuple[TicketState, TicketAction], TicketState] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.TRANSFERRED, A.CALL): S.CALLED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.CALLED, A.FINISH): S.DONE,
    (S.SERVING, A.FINISH): S.DONE,
    (S.CALLED, A.NO_SHOW): S.NO_SHOW,
    (S.NO_SHOW, A.REINSTATE): S.WAITING,
    (S.WAITING, A.TRANSFER): S.TRANSFERRED,
    (S.TRANSFERRED, A.TRANSFER): S.TRANSFERRED,
    (S.CALLED, A.TRANSFER): S.TRANSFERRED,
    (S.SERVING, A.TRANSFER): S.TRANSFERRED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.TRANSFERRED, A.CANCEL): S.CANCELLED,
    (S.NO_SHOW, A.CANCEL): S.CANCELLED,
    (S.WAITING, A.EXPIRE): S.CANCELLED,
    (S.TRANSFERRED, A.EXPIRE): S.CANCELLED,
    (S.CALLED, A.EXPIRE): S.CANCELLED,
    (S.NO_SHOW, A.EXPIRE): S.CANCELLED,
}
REFUSED = [(s, a) for s in TicketState for a in TicketAction if (s, a) not in ALLOWED]


# --- the ticket's states ---


def test_transition_table_is_the_issues_table() -> None:
    assert TRANSITIONS == ALLOWED
    assert frozenset({S.WAITING, S.TRANSFERRED}) == CALLABLE
    assert frozenset({S.CALLED, S.SERVING}) == AT_WINDOW
    assert frozenset({S.DONE, S.CANCELLED}) == FINAL


@pytest.mark.parametrize(("pair", "after"), list(ALLOWED.items()), ids=str)
def test_every_allowed_transition(
    pair: tuple[TicketState, TicketAction], after: TicketState
) -> None:
    assert next_state(*pair) is after


@pytest.mark.parametrize(("state", "action"), REFUSED, ids=str)
def test_every_other_state_and_action_is_refused(state: TicketState, action: TicketAction) -> None:
    with pytest.raises(TicketStateError) as info:
        next_state(state, action)
    assert info.value.code == "queue.bad_state"
    assert info.value.http_status == 409
    assert info.value.params == {"state": state.value, "action": action.value}


def test_refused_pairs_cover_the_final_states_and_issue() -> None:
    # Nothing leaves a final state, and "issue" is never a move of an existing ticket.
    for action in TicketAction:
        assert (S.DONE, action) in REFUSED
        assert (S.CANCELLED, action) in REFUSED
    assert all((state, A.ISSUE) in REFUSED for state in TicketState)
    assert len(REFUSED) + len(ALLOWED) == len(TicketState) * len(TicketAction)


@given(st.lists(st.sampled_from(list(TicketAction)), max_size=60))
def test_random_action_sequences_stay_in_the_machine(actions: list[TicketAction]) -> None:
    state = S.WAITING
    for action in actions:
        was_final = state in FINAL
        try:
            after = next_state(state, action)
        except TicketStateError:
            assert (state, action) not in ALLOWED
            continue
        assert not was_final, f"{action} moved a {state} ticket"
        assert (state, action) in ALLOWED
        state = after
        assert isinstance(state, TicketState)


# --- numbers ---


@pytest.mark.parametrize(
    ("prefix", "seq", "digits", "number"),
    [
        ("A", 1, 3, "A001"),
        ("A", 23, 3, "A023"),
        ("A", 999, 3, "A999"),
        ("A", 1000, 3, "A1000"),  # grows instead of wrapping to A000 / A001
        ("B", 12345, 3, "B12345"),
        ("V", 7, 4, "V0007"),
        ("", 5, 2, "05"),
    ],
)
def test_format_number(prefix: str, seq: int, digits: int, number: str) -> None:
    assert format_number(prefix, seq, digits) == number


@pytest.mark.parametrize("seq", [0, -1])
def test_format_number_starts_at_one(seq: int) -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        format_number("A", seq, 3)


@given(st.integers(1, 3), st.integers(1, 20_000))
def test_numbers_never_repeat_within_a_day(digits: int, count: int) -> None:
    seqs = range(max(1, count - 1200), count + 1)  # a window around the overflow points
    numbers = [format_number("A", seq, digits) for seq in seqs]
    assert len(set(numbers)) == len(numbers)
    assert [int(n[1:]) for n in numbers] == list(seqs)


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        (datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC), date(2026, 3, 1)),  # 23:59:59 local
        (datetime(2026, 3, 1, 16, 0, tzinfo=UTC), date(2026, 3, 2)),  # 00:00 local
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), date(2026, 3, 2)),
    ],
)
def test_business_day_in_shanghai(utc: datetime, day: date) -> None:
    assert business_day(utc, SHANGHAI) == day
    # The same instant given in another zone is the same business day.
    assert business_day(utc.astimezone(ZoneInfo("America/New_York")), SHANGHAI) == day


def test_business_day_with_a_later_day_start() -> None:
    starts = time(4, 0)
    assert business_day(datetime(2026, 3, 1, 19, 59, tzinfo=UTC), SHANGHAI, starts) == date(
        2026, 3, 1
    )  # 03:59 on the 2nd, local: still the 1st's business day
    assert business_day(datetime(2026, 3, 1, 20, 0, tzinfo=UTC), SHANGHAI, starts) == date(
        2026, 3, 2
    )


def test_business_day_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        business_day(datetime(2026, 3, 2, 9, 0), SHANGHAI)


@pytest.mark.parametrize(
    ("utc", "starts", "day"),
    [
        # Spring forward, 2024-03-31 02:00 CET -> 03:00 CEST. The day starts at local 00:00.
        (datetime(2024, 3, 30, 22, 59, 59, tzinfo=UTC), time(0, 0), date(2024, 3, 30)),
        (datetime(2024, 3, 30, 23, 0, tzinfo=UTC), time(0, 0), date(2024, 3, 31)),
        # The short day ends at local midnight, now UTC+2.
        (datetime(2024, 3, 31, 21, 59, 59, tzinfo=UTC), time(0, 0), date(2024, 3, 31)),
        (datetime(2024, 3, 31, 22, 0, tzinfo=UTC), time(0, 0), date(2024, 4, 1)),
        # Fall back, 2024-10-27 03:00 CEST -> 02:00 CET: a 25-hour day from local 00:00.
        (datetime(2024, 10, 26, 21, 59, 59, tzinfo=UTC), time(0, 0), date(2024, 10, 26)),
        (datetime(2024, 10, 26, 22, 0, tzinfo=UTC), time(0, 0), date(2024, 10, 27)),
        (datetime(2024, 10, 27, 22, 59, 59, tzinfo=UTC), time(0, 0), date(2024, 10, 27)),
        (datetime(2024, 10, 27, 23, 0, tzinfo=UTC), time(0, 0), date(2024, 10, 28)),
        # A configured start inside the skipped hour: the day starts when the clock jumps past.
        (datetime(2024, 3, 31, 0, 59, 59, tzinfo=UTC), time(2, 30), date(2024, 3, 30)),
        (datetime(2024, 3, 31, 1, 0, tzinfo=UTC), time(2, 30), date(2024, 3, 31)),
        # A configured start inside the repeated hour: the day starts at its first 02:30 and
        # stays started while the clock reads 02:00-02:30 a second time.
        (datetime(2024, 10, 27, 0, 29, 59, tzinfo=UTC), time(2, 30), date(2024, 10, 26)),
        (datetime(2024, 10, 27, 0, 30, tzinfo=UTC), time(2, 30), date(2024, 10, 27)),
        (datetime(2024, 10, 27, 1, 0, tzinfo=UTC), time(2, 30), date(2024, 10, 27)),
        (datetime(2024, 10, 27, 1, 29, 59, tzinfo=UTC), time(2, 30), date(2024, 10, 27)),
    ],
)
def test_business_day_across_berlin_dst_nights(utc: datetime, starts: time, day: date) -> None:
    assert business_day(utc, BERLIN, starts) == day


@settings(max_examples=300)
@given(
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Shanghai"]),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.datetimes(min_value=datetime(2024, 3, 1), max_value=datetime(2024, 12, 31)),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=30)),
)
def test_business_day_never_goes_back(
    zone: str, starts: time, naive: datetime, later: timedelta
) -> None:
    tz = ZoneInfo(zone)
    instant = naive.replace(tzinfo=UTC)
    first = business_day(instant, tz, starts)
    second = business_day(instant + later, tz, starts)
    assert first <= second
    # A business day lasts at most 25 hours (a fall-back day), so 26 hours on is a later day.
    assert business_day(instant + timedelta(hours=26), tz, starts) > first


def test_numbering_day_never_goes_back() -> None:
    d = date(2026, 3, 2)
    assert numbering_day(d, None) == d
    assert numbering_day(d, d - timedelta(days=1)) == d  # a new day
    assert numbering_day(d, d) == d
    assert numbering_day(d, d + timedelta(days=1)) == d + timedelta(days=1)  # clock set back


@given(st.dates(), st.none() | st.dates())
def test_numbering_day_is_the_later_of_the_two(computed: date, latest: date | None) -> None:
    assert numbering_day(computed, latest) == max(computed, latest or computed)


@pytest.mark.parametrize(
    ("opens", "closes", "local", "open_now"),
    [
        ("08:30", "17:30", time(8, 29, 59), False),
        ("08:30", "17:30", time(8, 30), True),
        ("08:30", "17:30", time(17, 29, 59), True),
        ("08:30", "17:30", time(17, 30), False),
        ("00:00", "24:00", time(0, 0), True),
        ("00:00", "24:00", time(23, 59, 59), True),
        ("13:00", "24:00", time(12, 59), False),
    ],
)
def test_service_hours(opens: str, closes: str, local: time, open_now: bool) -> None:
    assert is_open(opens, closes, datetime.combine(date(2026, 3, 2), local, SHANGHAI)) is open_now


@pytest.mark.parametrize("text", ["8.30", "", "ab:cd", "08:30:00", "25:00"])
def test_bad_times_of_day_are_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_hhmm(text)
    assert info.value.params == {"value": text}


# --- call order ---


def ticket(
    seq: int,
    minutes: float,
    priority: Priority | None = None,
    appointment: float | None = None,
) -> QueuedTicket:
    """A ticket issued ``minutes`` after T0 (an appointment ``appointment`` minutes after T0)."""
    return QueuedTicket(
        id=f"t{seq:04d}",
        seq=seq,
        queued_at=T0 + timedelta(minutes=minutes),
        priority=priority,
        appointment_at=None if appointment is None else T0 + timedelta(minutes=appointment),
    )


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def order(t: QueuedTicket) -> tuple[datetime, int, str]:
    return (t.queued_at, t.seq, t.id)


def call_all(
    waiting: list[QueuedTicket], policy: CallPolicy, now: datetime, counter: int = 0
) -> list[CallChoice]:
    """Call every waiting ticket at one window, one after another, at the instant ``now``."""
    left, calls = list(waiting), []
    while (choice := choose_next(left, policy, now, counter)) is not None:
        calls.append(choice)
        left.remove(choice.ticket)
        counter = after_call(counter, choice)
    assert not left
    return calls


def test_nobody_waiting_calls_nobody() -> None:
    for mode in CallMode:
        assert choose_next([], CallPolicy(mode=mode), T0) is None


def test_fifo_ignores_priority() -> None:
    waiting = [ticket(2, 1, Priority.VIP), ticket(1, 0), ticket(3, 2, Priority.ELDERLY)]
    calls = call_all(waiting, CallPolicy(mode=CallMode.FIFO), at(5))
    assert [c.ticket.seq for c in calls] == [1, 2, 3]
    assert [c.reason for c in calls] == ["normal", "priority", "priority"]


# Tickets issued within the last 20 minutes (long_wait is 30), no appointments.
fresh_tickets = st.lists(
    st.builds(
        ticket,
        seq=st.integers(1, 999),
        minutes=st.integers(0, 20 * 60).map(lambda s: s / 60),
        priority=st.none() | st.sampled_from(list(Priority)),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda t: t.seq,
)


@given(fresh_tickets, st.integers(0, 10))
def test_fifo_calls_the_earliest_issue_whatever_the_priority(
    waiting: list[QueuedTicket], counter: int
) -> None:
    policy = CallPolicy(mode=CallMode.FIFO)
    choice = choose_next(waiting, policy, at(20), counter)
    assert choice is not None
    assert choice.ticket == min(waiting, key=order)
    stripped = [replace(t, priority=None) for t in waiting]
    assert choose_next(stripped, policy, at(20), counter).ticket.id == choice.ticket.id  # type: ignore[union-attr]


def test_weighted_gives_priority_a_head_start_of_priority_credit() -> None:
    policy = CallPolicy(mode=CallMode.WEIGHTED, priority_credit=timedelta(minutes=10))
    normal = ticket(1, 0)
    just_inside = ticket(2, 10 - 1 / 60, Priority.ELDERLY)  # came 9:59 later
    just_outside = ticket(3, 10 + 1 / 60, Priority.DISABLED)  # came 10:01 later
    assert choose_next([normal, just_inside], policy, at(15)) == CallChoice(just_inside, "priority")
    assert choose_next([normal, just_outside], policy, at(15)) == CallChoice(normal, "normal")
    # Exactly the credit: a tie on the effective time, broken by the number.
    assert choose_next([normal, ticket(4, 10, Priority.VIP)], policy, at(15)).ticket is normal  # type: ignore[union-attr]


@given(fresh_tickets, st.integers(0, 15))
def test_weighted_orders_by_issue_time_less_the_credit(
    waiting: list[QueuedTicket], credit: int
) -> None:
    policy = CallPolicy(mode=CallMode.WEIGHTED, priority_credit=timedelta(minutes=credit))
    choice = choose_next(waiting, policy, at(20))
    assert choice is not None

    def effective(t: QueuedTicket) -> tuple[datetime, int, str]:
        return (
            t.queued_at - (timedelta(minutes=credit) if t.priority else timedelta()),
            t.seq,
            t.id,
        )

    assert choice.ticket == min(waiting, key=effective)
    assert choice.reason == ("priority" if choice.ticket.priority else "normal")


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_interleave_calls_n_normal_then_one_priority(n: int) -> None:
    normals = [ticket(i, i / 10) for i in range(1, 13)]
    priorities = [ticket(100 + i, i / 10, Priority.VIP) for i in range(1, 13)]
    calls = call_all(
        normals + priorities, CallPolicy(mode=CallMode.INTERLEAVE, interleave_normal=n), at(5)
    )
    kinds = "".join("P" if c.ticket.priority else "N" for c in calls)
    expected = ""
    normal_left, priority_left = 12, 12
    while normal_left or priority_left:
        take = min(n, normal_left)
        expected += "N" * take
        normal_left -= take
        if priority_left:
            expected += "P"
            priority_left -= 1
        if not normal_left:
            expected += "P" * priority_left
            priority_left = 0
    assert kinds == expected
    if n == 3:
        assert kinds.startswith("NNNPNNNPNNNP")
    # Within each kind, the order of issue.
    assert [c.ticket.seq for c in calls if not c.ticket.priority] == list(range(1, 13))
    assert [c.ticket.seq for c in calls if c.ticket.priority] == list(range(101, 113))


def test_interleave_calls_priority_in_turn_when_no_normal_waits() -> None:
    policy = CallPolicy(mode=CallMode.INTERLEAVE, interleave_normal=3)
    calls = call_all([ticket(2, 1, Priority.VIP), ticket(1, 0, Priority.ELDERLY)], policy, at(5))
    assert [(c.ticket.seq, c.reason) for c in calls] == [(1, "priority"), (2, "priority")]


def test_interleave_counter_is_kept_per_window() -> None:
    policy = CallPolicy(mode=CallMode.INTERLEAVE, interleave_normal=3)
    waiting = [ticket(1, 0), ticket(2, 1, Priority.VIP)]
    assert choose_next(waiting, policy, at(5), 2).ticket.seq == 1  # type: ignore[union-attr]
    assert choose_next(waiting, policy, at(5), 3).ticket.seq == 2  # type: ignore[union-attr]
    assert after_call(2, CallChoice(waiting[0], "normal")) == 3
    assert after_call(3, CallChoice(waiting[1], "priority")) == 0


@pytest.mark.parametrize("mode", list(CallMode))
def test_long_waits_are_called_first_oldest_first(mode: CallMode) -> None:
    policy = CallPolicy(mode=mode, long_wait=timedelta(minutes=30), interleave_normal=1)
    waiting = [
        ticket(5, 25, Priority.VIP),  # fresh priority
        ticket(2, 1),  # waited 39 minutes
        ticket(1, 0.5),  # waited 39.5 minutes
        ticket(3, 10),  # waited exactly 30 minutes
        ticket(4, 10.5),  # 29.5 minutes: not yet
    ]
    calls = [choose_next(waiting, policy, at(40), 5)]
    assert calls[0] == CallChoice(waiting[2], "long_wait")
    rest = [t for t in waiting if t.seq != 1]
    assert choose_next(rest, policy, at(40), 5) == CallChoice(waiting[1], "long_wait")
    rest = [t for t in rest if t.seq != 2]
    assert choose_next(rest, policy, at(40), 5) == CallChoice(waiting[3], "long_wait")


def test_appointment_is_called_at_its_time_from_appointment_early() -> None:
    policy = CallPolicy(appointment_early=timedelta(minutes=5))
    walk_in = ticket(1, 0)
    booked = ticket(2, 1, appointment=30)  # checked in at 1 minute, slot at 30
    assert choose_next([walk_in, booked], policy, at(25) - timedelta(seconds=1)).ticket is walk_in  # type: ignore[union-attr]
    assert choose_next([walk_in, booked], policy, at(25)) == CallChoice(booked, "appointment")
    # Not before its time, unless nobody else waits.
    assert choose_next([booked], policy, at(2)) == CallChoice(booked, "normal")


def test_due_appointments_go_by_slot_then_before_long_waits() -> None:
    policy = CallPolicy(appointment_early=timedelta(minutes=5), long_wait=timedelta(minutes=30))
    overdue = ticket(1, 0)
    later_slot = ticket(2, 1, appointment=44)
    earlier_slot = ticket(3, 2, appointment=42)
    choice = choose_next([overdue, later_slot, earlier_slot], policy, at(40))
    assert choice == CallChoice(earlier_slot, "appointment")


def test_early_checked_in_appointment_does_not_jump_the_queue_as_a_long_wait() -> None:
    # Checked in 45 minutes before a slot: waiting that long is the customer's choice.
    policy = CallPolicy(appointment_early=timedelta(minutes=5), long_wait=timedelta(minutes=30))
    booked = ticket(1, 0, appointment=60)
    walk_in = ticket(2, 39)
    assert choose_next([booked, walk_in], policy, at(40)) == CallChoice(walk_in, "normal")


appointment_mix = st.lists(
    st.builds(
        ticket,
        seq=st.integers(1, 999),
        minutes=st.integers(0, 90),
        priority=st.none() | st.sampled_from(list(Priority)),
        appointment=st.none() | st.integers(0, 180),
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda t: t.seq,
)


@given(appointment_mix, st.sampled_from(list(CallMode)), st.integers(0, 180))
def test_an_appointment_before_its_time_only_when_nobody_else_waits(
    waiting: list[QueuedTicket], mode: CallMode, minutes: int
) -> None:
    policy = CallPolicy(mode=mode, appointment_early=timedelta(minutes=5))
    now = at(minutes)
    choice = choose_next(waiting, policy, now)
    assert choice is not None
    slot = choice.ticket.appointment_at
    if slot is not None and slot - policy.appointment_early > now:
        assert all(t.appointment_at is not None for t in waiting)
        assert not any(t.appointment_at - policy.appointment_early <= now for t in waiting)  # type: ignore[operator]


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[CallPolicy, list[QueuedTicket], list[int]]:
    mode = draw(st.sampled_from(list(CallMode)))
    policy = CallPolicy(
        mode=mode,
        interleave_normal=draw(st.integers(1, 5)),
        priority_credit=timedelta(minutes=draw(st.integers(0, 60))),
        long_wait=timedelta(minutes=draw(st.integers(5, 40))),
        appointment_early=timedelta(minutes=draw(st.integers(0, 10))),
    )
    count = draw(st.integers(1, 60))
    gaps = draw(st.lists(st.integers(0, 180), min_size=count, max_size=count))  # seconds
    kinds = draw(
        st.lists(
            st.sampled_from(["normal", "normal", "priority", "appointment"]),
            min_size=count,
            max_size=count,
        )
    )
    tickets, clock = [], T0
    for seq, (gap, kind) in enumerate(zip(gaps, kinds, strict=True), start=1):
        clock += timedelta(seconds=gap)
        tickets.append(
            QueuedTicket(
                id=f"t{seq:04d}",
                seq=seq,
                queued_at=clock,
                priority=Priority.VIP if kind == "priority" else None,
                appointment_at=clock + timedelta(minutes=draw(st.integers(0, 60)))
                if kind == "appointment"
                else None,
            )
        )
    service = draw(st.lists(st.integers(30, 900), min_size=count, max_size=count))  # seconds
    return policy, tickets, service


@settings(max_examples=150)
@given(arrivals())
def test_no_starvation_once_a_ticket_has_waited_long_wait(
    case: tuple[CallPolicy, list[QueuedTicket], list[int]],
) -> None:
    """One window calls whenever it is free. Once a walk-in ticket has waited ``long_wait``,
    only due appointments and tickets issued before it are called ahead of it, so it is called
    within as many calls as there are of those; a due appointment only waits for earlier slots."""
    policy, tickets, service = case
    pending, waiting = list(tickets), list[QueuedTicket]()
    now, counter, calls = T0, 0, 0
    called: dict[str, datetime] = {}
    passed_over: dict[str, int] = {t.id: 0 for t in tickets}
    while pending or waiting:
        while pending and pending[0].queued_at <= now:
            waiting.append(pending.pop(0))
        if not waiting:
            now = pending[0].queued_at  # the window idles until the next customer
            continue
        choice = choose_next(waiting, policy, now, counter)
        assert choice is not None
        chosen = choice.ticket
        early = policy.appointment_early
        due = chosen.appointment_at is not None and chosen.appointment_at - early <= now
        for other in waiting:
            if other is chosen:
                continue
            if other.appointment_at is None and now - other.queued_at >= policy.long_wait:
                # A walk-in that has waited long_wait is passed over only for a due
                # appointment or for a ticket issued before it.
                assert due or order(chosen) < order(other), (choice, other, now)
                passed_over[other.id] += 1
            elif other.appointment_at is not None and other.appointment_at - early <= now:
                # A due appointment is passed over only for one with an earlier slot.
                assert due, (choice, other)
                assert chosen.appointment_at <= other.appointment_at  # type: ignore[operator]
                passed_over[other.id] += 1
        waiting.remove(chosen)
        counter = after_call(counter, choice)
        called[chosen.id] = now
        now += timedelta(seconds=service[calls % len(service)])
        calls += 1
    assert calls == len(tickets) == len(called)
    appointments = sum(1 for o in tickets if o.appointment_at is not None)
    for t in tickets:
        earlier = sum(1 for o in tickets if order(o) < order(t))
        assert passed_over[t.id] <= earlier + appointments


def test_call_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="interleave_normal"):
        CallPolicy(interleave_normal=0)
    with pytest.raises(ValueError, match="long_wait"):
        CallPolicy(long_wait=timedelta(0))


# --- estimates ---


def test_average_service_seconds_ignores_outliers_and_falls_back() -> None:
    assert average_service_seconds([]) == 300.0
    assert average_service_seconds([], default=120.0) == 120.0
    assert average_service_seconds([0, -5, 7200], default=60.0) == 60.0
    assert average_service_seconds([100, 200, 3600, 3601]) == pytest.approx(1300.0)


@pytest.mark.parametrize(
    ("ahead", "windows", "seconds", "minutes"),
    [
        (0, 3, 300, 0),
        (-1, 3, 300, 0),
        (3, 1, 300, 15),
        (3, 0, 300, 15),  # no window open: counted as one, not a division by zero
        (6, 2, 300, 15),
        (1, 3, 60, 1),  # under a minute shows as one
        (10, 4, 240, 10),
    ],
)
def test_estimate_wait_minutes(ahead: int, windows: int, seconds: float, minutes: int) -> None:
    assert estimate_wait_minutes(ahead, windows, seconds) == minutes


# --- ratings ---


def test_satisfaction_excludes_none() -> None:
    r = RatingScore
    assert satisfaction_rate([]) is None
    assert satisfaction_rate([r.NONE, r.NONE]) is None
    assert satisfaction_rate([r.VERY_SATISFIED, r.DISSATISFIED, r.NONE]) == 0.5
    assert satisfaction_rate([r.SATISFIED, r.VERY_SATISFIED, r.NEUTRAL, r.NONE]) == pytest.approx(
        2 / 3
    )
    assert satisfaction_rate(iter([r.SATISFIED])) == 1.0


@given(st.lists(st.sampled_from(list(RatingScore))))
def test_satisfaction_is_the_satisfied_share_of_given_ratings(scores: list[RatingScore]) -> None:
    given_ = [s for s in scores if s is not RatingScore.NONE]
    rate = satisfaction_rate(scores)
    if not given_:
        assert rate is None
    else:
        good = sum(s in (RatingScore.VERY_SATISFIED, RatingScore.SATISFIED) for s in given_)
        assert rate == good / len(given_)


# --- error classes ---


def test_queue_errors_have_codes_and_statuses() -> None:
    from counter_app.domain import queue

    assert issubclass(TicketStateError, Conflict)
    assert BadIdempotencyKey.http_status == 422
    codes = {
        obj.code: obj.http_status
        for obj in vars(queue).values()
        if isinstance(obj, type)
        and issubclass(obj, (Conflict, NotFound, InvalidInput))
        and obj.__module__ == queue.__name__
    }
    assert codes == {
        "queue.bad_state": 409,
        "queue.unknown_service": 404,
        "queue.service_closed": 409,
        "queue.unknown_window": 404,
        "queue.window_not_serving": 409,
        "queue.window_paused": 409,
        "queue.window_busy": 409,
        "queue.no_current_ticket": 409,
        "queue.unknown_ticket": 404,
        "queue.reinstate_expired": 409,
        "queue.unknown_appointment": 404,
        "queue.appointment_not_today": 409,
        "queue.appointment_used": 409,
        "queue.bad_idempotency_key": 422,
    }
