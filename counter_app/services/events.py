"""Hub events: written in the same transaction as the change, then pushed to clients.

The ``seq`` of the event table is the WebSocket's resume cursor: a client that reconnects with
its last seq gets every event after it, so nothing is missed while it was away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counter_app.storage.database import Store
from counter_app.storage.fast import FastStatement
from counter_app.storage.models import HubEvent
from counter_app.storage.types import utcnow

# The event types a client can receive; payloads are plain JSON objects.
STAFF_CHANGED = "staff.changed"
REFERENCE_CHANGED = "reference.changed"
HUB_STARTED = "hub.started"
TICKET_ISSUED = "queue.ticket_issued"
TICKET_CALLED = "queue.ticket_called"  # a call or a recall: boards show and announce it
TICKET_CHANGED = "queue.ticket_changed"
TICKET_RATED = "queue.ticket_rated"
WINDOW_CHANGED = "queue.window_changed"
QUEUE_CHANGED = "queue.changed"
INTAKE_CHANGED = "intake.changed"  # a claim file or a pickup changed: lists refresh
FORMS_MOVED = "forms.moved"  # blank forms moved: holdings and reconciliations refresh
PRINT_JOB_CHANGED = "printing.job_changed"  # a print job changed state: queues refresh
EVENT_TYPES = frozenset(
    {
        STAFF_CHANGED,
        REFERENCE_CHANGED,
        HUB_STARTED,
        TICKET_ISSUED,
        TICKET_CALLED,
        TICKET_CHANGED,
        TICKET_RATED,
        WINDOW_CHANGED,
        QUEUE_CHANGED,
        INTAKE_CHANGED,
        FORMS_MOVED,
        PRINT_JOB_CHANGED,
    }
)


@dataclass(frozen=True)
class EventView:
    seq: int
    at: datetime
    type: str
    payload: dict[str, Any]


def publish(session: Session, event_type: str, payload: dict[str, Any]) -> None:
    """Queue an event in the caller's transaction; it is pushed once that commits."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"undeclared event type {event_type}")
    session.add(HubEvent(type=event_type, payload=payload))
    session.info["events_written"] = True


_INSERT_EVENT = FastStatement(insert(HubEvent), ("type", "payload", "at"))


def publish_fast(session: Session, event_type: str, payload: dict[str, Any]) -> None:
    """``publish`` as one Core insert on the session's connection, for the hottest writes."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"undeclared event type {event_type}")
    _INSERT_EVENT.run(
        session.connection(), {"type": event_type, "payload": payload, "at": utcnow()}
    )
    session.info["events_written"] = True


class EventFeed:
    """Reads events after a cursor and wakes waiting listeners after each commit."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, wake: Callable[[], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(wake)

        def unsubscribe() -> None:
            with self._lock:
                if wake in self._listeners:
                    self._listeners.remove(wake)

        return unsubscribe

    def notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake()

    def since(self, cursor: int, limit: int = 500) -> list[EventView]:
        with self._store.read() as session:
            rows = session.scalars(
                select(HubEvent).where(HubEvent.seq > cursor).order_by(HubEvent.seq).limit(limit)
            )
            return [EventView(r.seq, r.at, r.type, dict(r.payload)) for r in rows]

    def last_seq(self) -> int:
        with self._store.read() as session:
            return int(session.scalar(select(func.max(HubEvent.seq))) or 0)
