"""The queue's rules: ticket states, numbering per business day, the call order, wait estimates.

Standard library only. The hub's ``QueueDesk`` service applies these inside its transactions.

Call order (``CallPolicy``), in this order of precedence, among the tickets a window may call:
1. a booked appointment whose time has come (from ``appointment_early`` before the slot);
2. a ticket that has waited ``long_wait`` or more (oldest first): nobody waits forever;
3. the mode:
   - ``fifo``: first come, first served; priority is ignored;
   - ``weighted``: a priority ticket counts as if it came ``priority_credit`` earlier;
   - ``interleave``: after ``interleave_normal`` normal tickets the window calls one priority
     ticket (N : 1); with no normal ticket waiting, priority tickets are called in turn.
   Ties are broken by issue time, then by number. Transferred tickets keep their original
   issue time, so they keep their place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from counter_app.domain.errors import Conflict, InvalidInput, NotFound


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"  # waiting again, in another service's queue or for a window
    CANCELLED = "cancelled"


class TicketAction(StrEnum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    REINSTATE = "reinstate"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"  # still waiting when the business day ended


class Priority(StrEnum):
    ELDERLY = "elderly"  # 老年人
    DISABLED = "disabled"  # 残障
    VIP = "vip"


# States a window may call from: the ticket is in a queue.
CALLABLE = frozenset({TicketState.WAITING, TicketState.TRANSFERRED})
# States in which a ticket occupies a window.
AT_WINDOW = frozenset({TicketState.CALLED, TicketState.SERVING})
FINAL = frozenset({TicketState.DONE, TicketState.CANCELLED})

TRANSITIONS: dict[tuple[TicketState, TicketAction], TicketState] = {
    (TicketState.WAITING, TicketAction.CALL): TicketState.CALLED,
    (TicketState.TRANSFERRED, TicketAction.CALL): TicketState.CALLED,
    (TicketState.CALLED, TicketAction.RECALL): TicketState.CALLED,
    (TicketState.CALLED, TicketAction.START): TicketState.SERVING,
    (TicketState.CALLED, TicketAction.FINISH): TicketState.DONE,
    (TicketState.SERVING, TicketAction.FINISH): TicketState.DONE,
    (TicketState.CALLED, TicketAction.NO_SHOW): TicketState.NO_SHOW,
    (TicketState.NO_SHOW, TicketAction.REINSTATE): TicketState.WAITING,
    (TicketState.WAITING, TicketAction.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.TRANSFERRED, TicketAction.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.CALLED, TicketAction.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.SERVING, TicketAction.TRANSFER): TicketState.TRANSFERRED,
    (TicketState.WAITING, TicketAction.CANCEL): TicketState.CANCELLED,
    (TicketState.TRANSFERRED, TicketAction.CANCEL): TicketState.CANCELLED,
    (TicketState.NO_SHOW, TicketAction.CANCEL): TicketState.CANCELLED,
    (TicketState.WAITING, TicketAction.EXPIRE): TicketState.CANCELLED,
    (TicketState.TRANSFERRED, TicketAction.EXPIRE): TicketState.CANCELLED,
    (TicketState.CALLED, TicketAction.EXPIRE): TicketState.CANCELLED,
    (TicketState.NO_SHOW, TicketAction.EXPIRE): TicketState.CANCELLED,
}


class TicketStateError(Conflict):
    code = "queue.bad_state"


class ServiceUnknown(NotFound):
    code = "queue.unknown_service"


class ServiceClosed(Conflict):
    code = "queue.service_closed"


class WindowUnknown(NotFound):
    code = "queue.unknown_window"


class WindowNotServing(Conflict):
    code = "queue.window_not_serving"


class WindowPaused(Conflict):
    code = "queue.window_paused"


class WindowBusy(Conflict):
    code = "queue.window_busy"


class NoCurrentTicket(Conflict):
    code = "queue.no_current_ticket"


class TicketUnknown(NotFound):
    code = "queue.unknown_ticket"


class ReinstateExpired(Conflict):
    code = "queue.reinstate_expired"


class AppointmentUnknown(NotFound):
    code = "queue.unknown_appointment"


class AppointmentNotToday(Conflict):
    code = "queue.appointment_not_today"


class AppointmentUsed(Conflict):
    code = "queue.appointment_used"


class BadIdempotencyKey(InvalidInput):
    code = "queue.bad_idempotency_key"


def next_state(state: TicketState, action: TicketAction) -> TicketState:
    """The state after ``action``, or ``TicketStateError`` when the action is not allowed."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise TicketStateError(
            f"cannot {action.value} a ticket that is {state.value}",
            state=state.value,
            action=action.value,
        ) from None


# --- numbering -------------------------------------------------------------------------------


def format_number(prefix: str, seq: int, digits: int) -> str:
    """``A`` + 23 with 3 digits is ``A023``. Past ``A999`` the number grows (``A1000``): a
    number is never reused within a business day."""
    if seq < 1:
        raise ValueError("ticket sequence starts at 1")
    return f"{prefix}{seq:0{digits}d}"


def business_day(now: datetime, tz: tzinfo, day_starts: time = time(0, 0)) -> date:
    """The branch's business day at the instant ``now``, in the branch's own time zone.

    Computed from the local wall clock, so a DST change moves nothing: the day begins when the
    local clock reads ``day_starts``."""
    if now.tzinfo is None:
        raise ValueError("business_day needs an aware datetime")
    local = now.astimezone(tz)
    day = local.date()
    first_start = datetime.combine(day, day_starts, tz)  # fold=0: its first reading today
    # In the hour repeated after a fall-back the clock may read day_starts a second time; the
    # day began at the first reading and must not go back to yesterday in between.
    if local.time() < day_starts and not (
        local.fold and first_start.timestamp() <= now.timestamp()
    ):
        day -= timedelta(days=1)
    return day


def numbering_day(computed: date, latest_used: date | None) -> date:
    """The day to number under. A clock set back across midnight must not reopen yesterday's
    numbers (they would be issued twice), so numbering never goes back to an earlier day."""
    if latest_used is not None and latest_used > computed:
        return latest_used
    return computed


def parse_hhmm(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"not a time of day: {text!r}", value=text) from None


def is_open(opens_at: str, closes_at: str, local_now: datetime) -> bool:
    """Whether a service takes tickets at ``local_now`` (branch local time); ``24:00`` closes
    at midnight."""
    now = local_now.time()
    if closes_at == "24:00":
        return parse_hhmm(opens_at) <= now
    return parse_hhmm(opens_at) <= now < parse_hhmm(closes_at)


# --- call order ------------------------------------------------------------------------------


class CallMode(StrEnum):
    FIFO = "fifo"
    WEIGHTED = "weighted"
    INTERLEAVE = "interleave"


@dataclass(frozen=True)
class CallPolicy:
    mode: CallMode = CallMode.INTERLEAVE
    interleave_normal: int = 3
    priority_credit: timedelta = timedelta(minutes=10)
    long_wait: timedelta = timedelta(minutes=30)
    appointment_early: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.interleave_normal < 1:
            raise ValueError("interleave_normal must be at least 1")
        if self.long_wait <= timedelta(0):
            raise ValueError("long_wait must be positive")


@dataclass(frozen=True)
class QueuedTicket:
    """What the call order needs to know of a waiting ticket."""

    id: str
    seq: int
    queued_at: datetime  # the original issue time; a transfer keeps it
    priority: Priority | None = None
    appointment_at: datetime | None = None


@dataclass(frozen=True)
class CallChoice:
    ticket: QueuedTicket
    reason: str  # "appointment", "long_wait", "priority", "normal"


def _order(ticket: QueuedTicket) -> tuple[datetime, int, str]:
    return (ticket.queued_at, ticket.seq, ticket.id)


def choose_next(
    waiting: Iterable[QueuedTicket],
    policy: CallPolicy,
    now: datetime,
    normals_since_priority: int = 0,
) -> CallChoice | None:
    """The ticket a window should call now, or None when nobody waits."""
    tickets = list(waiting)
    if not tickets:
        return None
    due = [
        t
        for t in tickets
        if t.appointment_at is not None and t.appointment_at - policy.appointment_early <= now
    ]
    if due:
        return CallChoice(min(due, key=lambda t: (t.appointment_at, *_order(t))), "appointment")
    # An appointment checked in early waits for its slot by choice: not a long wait.
    overdue = [
        t for t in tickets if t.appointment_at is None and now - t.queued_at >= policy.long_wait
    ]
    if overdue:
        return CallChoice(min(overdue, key=_order), "long_wait")
    # Appointments booked for later wait for their slot unless nobody else is here.
    walk_ins = [t for t in tickets if t.appointment_at is None] or tickets
    if policy.mode is CallMode.FIFO:
        first = min(walk_ins, key=_order)
        return CallChoice(first, "priority" if first.priority else "normal")
    if policy.mode is CallMode.WEIGHTED:

        def effective(t: QueuedTicket) -> tuple[datetime, int, str]:
            credit = policy.priority_credit if t.priority else timedelta(0)
            return (t.queued_at - credit, t.seq, t.id)

        first = min(walk_ins, key=effective)
        return CallChoice(first, "priority" if first.priority else "normal")
    normals = [t for t in walk_ins if t.priority is None]
    priorities = [t for t in walk_ins if t.priority is not None]
    if priorities and (not normals or normals_since_priority >= policy.interleave_normal):
        return CallChoice(min(priorities, key=_order), "priority")
    return CallChoice(min(normals, key=_order), "normal")


def after_call(normals_since_priority: int, choice: CallChoice) -> int:
    """The window's interleave counter after ``choice`` was called."""
    return 0 if choice.reason == "priority" else normals_since_priority + 1


# --- estimates -------------------------------------------------------------------------------

DEFAULT_SERVICE_SECONDS = 300.0


def average_service_seconds(
    recent: Sequence[float], default: float = DEFAULT_SERVICE_SECONDS
) -> float:
    """Mean of recent service durations (seconds); outliers beyond an hour are ignored."""
    usable = [s for s in recent if 0 < s <= 3600]
    return sum(usable) / len(usable) if usable else default


def estimate_wait_minutes(ahead: int, windows_open: int, service_seconds: float) -> int:
    """Minutes until a new ticket is called: those ahead shared over the open windows."""
    if ahead <= 0:
        return 0
    per_window = ahead / max(1, windows_open)
    return max(1, round(per_window * service_seconds / 60))


# --- ratings ---------------------------------------------------------------------------------


class RatingScore(StrEnum):
    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    NEUTRAL = "neutral"  # 一般
    DISSATISFIED = "dissatisfied"  # 不满意
    NONE = "none"  # the customer did not rate before the pad timed out


SATISFIED_SCORES = frozenset({RatingScore.VERY_SATISFIED, RatingScore.SATISFIED})


def satisfaction_rate(scores: Iterable[RatingScore]) -> float | None:
    """Share of satisfied ratings among those actually given ("none" is not a rating)."""
    given = [s for s in scores if s is not RatingScore.NONE]
    if not given:
        return None
    return sum(1 for s in given if s in SATISFIED_SCORES) / len(given)
