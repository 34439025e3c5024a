"""A background listener for ``/api/events`` that reconnects by itself and resumes by cursor."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable

from pydantic import ValidationError
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

from counter_app.hub.schemas import EventOut

log = logging.getLogger(__name__)


class EventListener:
    """Calls ``on_event`` for each event in order and ``on_link(up)`` when the link changes.

    Callbacks run on the listener's thread; the UI re-emits them as Qt signals.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        on_event: Callable[[EventOut], None],
        on_link: Callable[[bool], None],
        cursor: int = 0,
        retry_seconds: float = 3.0,
    ) -> None:
        self._url = base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        self._url = self._url.rstrip("/") + "/api/events"
        self._token = token
        self._on_event = on_event
        self._on_link = on_link
        self.cursor = cursor
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._conn: ClientConnection | None = None
        self._thread = threading.Thread(target=self._run, name="hub-events", daemon=True)
        self._up: bool | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None:
            conn.close()
        self._thread.join(timeout=5)

    def _link(self, up: bool) -> None:
        if up != self._up:
            self._up = up
            self._on_link(up)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self._url, open_timeout=3, close_timeout=1) as conn:
                    self._conn = conn
                    conn.send(
                        json.dumps({"type": "auth", "token": self._token, "cursor": self.cursor})
                    )
                    for raw in conn:
                        self._handle(raw)
                        if self._stop.is_set():
                            break
                    if conn.close_code == 4401:
                        # The login is no longer valid; reconnecting will not help.
                        self._link(False)
                        return
            except (OSError, WebSocketException, TimeoutError) as exc:
                log.debug("event link down: %s", exc)
            finally:
                self._conn = None
            if self._stop.is_set():
                return
            self._link(False)
            # Jitter keeps a branch's counters from reconnecting in lockstep after a hub restart.
            self._stop.wait(self._retry * (0.5 + random.random()))

    def _handle(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except json.JSONDecodeError:
            log.warning("ignored a malformed event frame")
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "welcome":
            self._link(True)
        elif kind == "event":
            try:
                event = EventOut.model_validate(message)
            except ValidationError:
                log.warning("ignored an invalid event")
                return
            if event.seq > self.cursor:
                self.cursor = event.seq
                self._on_event(event)
