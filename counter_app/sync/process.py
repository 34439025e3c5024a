"""The sync worker in a process of its own, started and stopped by the hub.

Inside the hub's process a catch-up (reading 5,000-row batches, binding them for COPY) shares
the one interpreter lock with the counters' requests: measured, the counters' issue p95 rose
from 29 to 66 ms and call-to-board from 81 to 695 ms (bench/catchup_p95.py); run as its own
process, the same drain left them near the quiet hub's. The child opens the same SQLite file
(SQLite serialises the two writers), and talks to the hub only through these: a wake-up event
(a write, as ``nudge``), a retry-now event, a stop event and a queue of its status.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from counter_app.logs import setup_logging
from counter_app.storage.database import Store
from counter_app.sync import outbox
from counter_app.sync.enrolment import Enrolled, engine_for, verify
from counter_app.sync.worker import SyncStatus, SyncWorker

log = logging.getLogger(__name__)

_BRIDGE_POLL_S = 0.2  # how often the child looks at the hub's events; a write waits no longer
_STOP_S = 10.0
_RESTART_S = 5.0  # after the child ended unasked; doubled each time it ends again at once
_RESTART_MAX_S = 300.0
PROCESS_ENDED = "sync.process_ended"


class SyncProcess:
    """What the hub holds as ``context.sync`` once enrolled: SyncWorker's interface, with the
    worker in a child process."""

    def __init__(
        self,
        store: Store,
        database: Path,
        link: Enrolled,
        logs: Path | None = None,
        on_pulled: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        # The child's commits do not run the hub's after-commit hooks: when it has applied a
        # publication, the hub is told here (event listeners woken, caches dropped).
        self._on_pulled = on_pulled
        self._database = database
        self._link = link
        self._logs = logs
        self._mp = multiprocessing.get_context("spawn")  # no forked copy of the hub's threads
        self._wake: Event = self._mp.Event()
        self._retry: Event = self._mp.Event()
        self._stop: Event = self._mp.Event()
        self._statuses: multiprocessing.Queue[SyncStatus | None] = self._mp.Queue()
        self._process: Any = None
        self._listener: threading.Thread | None = None
        self._lock = threading.Lock()  # the latest status
        self._life = threading.Lock()  # starting and stopping the child
        self._latest = SyncStatus.at_start(store, link.branch_code, enrolled=True)

    def status(self) -> SyncStatus:
        with self._lock:
            return replace(self._latest, waiting=outbox.waiting(self._store))

    def nudge(self) -> None:
        self._wake.set()

    def retry_now(self) -> None:
        self._retry.set()

    def start(self) -> None:
        with self._life:
            if self._process is not None:
                return
            self._spawn()
        self._listener = threading.Thread(target=self._listen, name="sync-status", daemon=True)
        self._listener.start()

    def _spawn(self) -> None:
        self._process = self._mp.Process(
            target=_run_child,
            args=(str(self._database), self._link, self._wake, self._retry, self._stop),
            kwargs={
                "statuses": self._statuses,
                "logs": None if self._logs is None else str(self._logs),
                # A spawned child starts with no logging at all: it takes the hub's level,
                # and INFO at least: its file is the record of what went to head office.
                "level": min(logging.getLogger().getEffectiveLevel(), logging.INFO),
            },
            name="counter-sync",
            daemon=True,
        )
        self._process.start()
        log.info("sync worker started in process %s", self._process.pid)

    def stop(self, timeout: float = _STOP_S) -> None:
        self._stop.set()  # first: a restart waiting to happen sees it and does not
        with self._life:
            process, self._process = self._process, None
        if process is None:
            return
        process.join(timeout)
        if process.is_alive():  # it did not finish its batch in time: its rows stay
            process.terminate()
            process.join(2)
        self._statuses.put(None)
        if self._listener is not None:
            self._listener.join(2)

    def _listen(self) -> None:
        restarts = 0
        while True:
            try:
                status = self._statuses.get(timeout=1.0)
            except queue.Empty:
                process = self._process
                if process is None or self._stop.is_set():
                    return
                if not process.is_alive():
                    restarts += 1
                    self._restart(process.exitcode, restarts)
                continue
            if status is None:
                return
            restarts = 0  # it runs and reports again
            with self._lock:
                pulled = status.reference_revision > self._latest.reference_revision
                self._latest = status
            if pulled and self._on_pulled is not None:
                try:
                    self._on_pulled()
                except Exception:  # the listener must go on: statuses keep coming
                    log.exception("telling the hub about a publication failed")

    def _restart(self, exitcode: int | None, restarts: int) -> None:
        """The child ended without being told to (a crash, killed, out of memory): say so in
        the status, wait (longer each time it ends again at once), start another. Its rows
        are in the outbox still; the new one sends them."""
        delay = min(_RESTART_MAX_S, _RESTART_S * 2 ** (restarts - 1))
        reason = f"exit code {exitcode}"
        log.error("the sync process ended (%s): started again in %.0f s", reason, delay)
        with self._lock:
            self._latest = replace(
                self._latest,
                state="offline",
                last_error=reason,
                last_error_code=PROCESS_ENDED,
                retry_in_seconds=delay,
            )
        if self._stop.wait(delay):
            return
        with self._life:
            if not self._stop.is_set():
                self._spawn()


def _run_child(
    database: str,
    link: Enrolled,
    wake: Event,
    retry: Event,
    stop: Event,
    statuses: multiprocessing.Queue[SyncStatus | None],
    logs: str | None = None,
    level: int = logging.INFO,
) -> None:
    # Its own file beside the hub's (sync.jsonl): two processes rotating one file would
    # lose lines.
    setup_logging(None if logs is None else Path(logs), "sync", level)
    log.info("sync worker running for branch %s", link.branch_code, extra={"pid": os.getpid()})
    store = Store.open(Path(database))
    worker = SyncWorker(
        store,
        link.branch_code,
        lambda: engine_for(link),
        verify=lambda connection: verify(connection, link),
        on_status=statuses.put,
    )
    worker.start()
    # The hub killed (kill -9, a crash) never sets ``stop``, and a daemon child outlives a
    # parent that did not exit cleanly: left running, it would drain beside the next hub's.
    hub = multiprocessing.parent_process()
    try:
        while not stop.is_set():
            if hub is not None and not hub.is_alive():
                log.warning("the hub's process is gone: the sync worker stops")
                break
            if wake.wait(_BRIDGE_POLL_S):
                wake.clear()
                worker.nudge()
            if retry.is_set():
                retry.clear()
                worker.retry_now()
    finally:
        worker.stop()
        store.dispose()
