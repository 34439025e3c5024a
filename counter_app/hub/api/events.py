"""``/api/events``: pushed events with a resume cursor.

Protocol (JSON text frames):
  client -> {"type": "auth", "token": "...", "cursor": 0}   first frame, within 10 s
             (a waiting-area display sends "board_key" instead of "token" and receives only
             the queue.* events)
  hub    -> {"type": "welcome", "cursor": <newest seq>}
  hub    -> {"type": "event", "seq": n, "at": ..., "event": "staff.changed", "payload": {...}}
  hub    -> {"type": "ping"}                               when idle, so dead links are noticed
A client keeps the highest seq it has seen and sends it as ``cursor`` when it reconnects; the hub
then sends every event after it, so nothing is missed. Close code 4401: not authenticated.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from functools import partial

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from counter_app.domain.errors import DomainError
from counter_app.hub.schemas import EventOut
from counter_app.hub.security import AnyStaff, Hub, hub

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/events", tags=["events"])

AUTH_TIMEOUT_S = 10.0
IDLE_PING_S = 20.0
CLOSE_UNAUTHENTICATED = 4401
# Event seqs are SQLite integers; a larger cursor cannot be bound to a query.
MAX_CURSOR = 2**63 - 1


@router.get("")
def events_since(
    actor: AnyStaff, context: Hub, cursor: int = Query(default=0, ge=0, le=MAX_CURSOR)
) -> list[EventOut]:
    """The same events over plain HTTP, for a client that cannot keep a WebSocket open."""
    return [
        EventOut(seq=e.seq, at=e.at, event=e.type, payload=e.payload)
        for e in context.events.since(cursor)
    ]


@router.websocket("")
async def event_stream(ws: WebSocket) -> None:
    context = hub(ws)  # type: ignore[arg-type]
    await ws.accept()
    try:
        first = json.loads(await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT_S))
        if not isinstance(first, dict) or first.get("type") != "auth":
            raise ValueError("first frame must be auth")
        token = str(first.get("token", ""))
        board_key = first.get("board_key")
        cursor = int(first.get("cursor", 0))
        if not 0 <= cursor <= MAX_CURSOR:
            raise ValueError("cursor out of range")
    except (
        TimeoutError,
        ValueError,  # not JSON, not an auth frame, bad cursor
        TypeError,
        KeyError,  # a binary frame where text was expected
        OverflowError,  # "cursor": Infinity
        RecursionError,  # absurdly nested JSON
        WebSocketDisconnect,
    ):
        with contextlib.suppress(Exception):
            await ws.close(CLOSE_UNAUTHENTICATED, "auth frame missing or malformed")
        return
    check: Callable[[], object]
    wanted: Callable[[str], bool]
    if board_key is not None:
        check = partial(context.display.check, str(board_key))
        wanted = _queue_event
    else:
        check = partial(context.auth.check, token, "")
        wanted = _any_event
    try:
        await run_in_threadpool(check)
    except DomainError as exc:
        await ws.send_json({"type": "error", "code": exc.code})
        await ws.close(CLOSE_UNAUTHENTICATED, exc.code)
        return

    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def wake_up() -> None:
        loop.call_soon_threadsafe(wake.set)

    unsubscribe = context.events.subscribe(wake_up)
    receiver = asyncio.create_task(_drain(ws))
    try:
        await ws.send_json({"type": "welcome", "cursor": context.events.last_seq()})
        while not receiver.done():
            wake.clear()
            batch = await run_in_threadpool(context.events.since, cursor)
            for event in batch:
                if wanted(event.type):
                    out = EventOut(
                        seq=event.seq, at=event.at, event=event.type, payload=event.payload
                    )
                    await ws.send_text(out.model_dump_json())
                cursor = event.seq
            if batch:
                continue
            waiter = asyncio.create_task(wake.wait())
            done, _ = await asyncio.wait(
                {waiter, receiver}, timeout=IDLE_PING_S, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            if not done:
                # Idle: re-check the login or key (it may have expired or been revoked), ping.
                try:
                    await run_in_threadpool(check)
                except DomainError as exc:
                    await ws.send_json({"type": "error", "code": exc.code})
                    await ws.close(CLOSE_UNAUTHENTICATED, exc.code)
                    return
                await ws.send_json({"type": "ping"})
    except (WebSocketDisconnect, RuntimeError, OSError):
        log.debug("event client went away")
    finally:
        unsubscribe()
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await receiver


def _any_event(_event_type: str) -> bool:
    return True


def _queue_event(event_type: str) -> bool:
    """What a display may see: the queue, not staff or reference changes."""
    return event_type.startswith("queue.")


async def _drain(ws: WebSocket) -> None:
    """Read and ignore client frames; returns when the client disconnects."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await ws.receive_text()
