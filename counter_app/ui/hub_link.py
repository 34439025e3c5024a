"""The counter's view of its link to the hub: up or down, and the events it pushes.

Any hub call that fails with ``hub.unreachable`` reports here; while the link is down a timer
asks ``/api/health`` every few seconds and the event listener retries by itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from counter_app.client.events import EventListener
from counter_app.client.hub_client import HubClient, HubError
from counter_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class HubLink(QObject):
    link_changed = Signal(bool)  # True: the hub answers
    event_received = Signal(object)  # EventOut, in order, none missed
    session_ended = Signal(str)  # error code: the login is no longer valid

    _event_from_thread = Signal(object)
    _link_from_thread = Signal(bool)

    def __init__(
        self,
        client: HubClient,
        tasks: TaskRunner,
        retry_seconds: int = 3,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = tasks
        self._up = True
        self._listener: EventListener | None = None
        self._retry = retry_seconds
        self._probe = QTimer(self)
        self._probe.setInterval(retry_seconds * 1000)
        self._probe.timeout.connect(self._check)
        self._probing = False
        self._event_from_thread.connect(self.event_received)
        self._link_from_thread.connect(self._listener_link)

    @property
    def up(self) -> bool:
        return self._up

    def start_events(self, cursor: int = 0) -> None:
        token = self._client.token
        if token is None:
            return
        self.stop_events()
        self._listener = EventListener(
            self._client.base_url,
            token,
            on_event=self._event_from_thread.emit,
            on_link=self._link_from_thread.emit,
            cursor=cursor,
            retry_seconds=self._retry,
        )
        self._listener.start()

    def stop_events(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def shutdown(self) -> None:
        self._probe.stop()
        self.stop_events()

    def report(self, error: BaseException) -> None:
        """Call with any failure from a hub call; an unreachable hub flips the banner."""
        if isinstance(error, HubError) and error.unreachable:
            self._set(False)
        elif isinstance(error, HubError) and error.needs_login:
            self.session_ended.emit(error.code)

    def report_ok(self) -> None:
        self._set(True)

    @Slot(bool)
    def _listener_link(self, up: bool) -> None:
        if up:
            self._set(True)
        else:
            # The event link dropped: confirm with a health check before showing the banner.
            self._check()

    def _set(self, up: bool) -> None:
        if up == self._up:
            return
        self._up = up
        if up:
            self._probe.stop()
        else:
            self._probe.start()
        log.info("hub link %s", "up" if up else "down")
        self.link_changed.emit(up)

    @Slot()
    def _check(self) -> None:
        if self._probing:
            return
        self._probing = True
        self._tasks.run(lambda: self._client.health(check_schema=False)).success(
            self._probe_ok
        ).failure(self._probe_failed)

    def _probe_ok(self, _health: object) -> None:
        self._probing = False
        self._set(True)

    def _probe_failed(self, error: BaseException) -> None:
        self._probing = False
        if isinstance(error, HubError) and not error.unreachable:
            self._set(True)
            return
        self._set(False)
