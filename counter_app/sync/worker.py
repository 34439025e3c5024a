"""The hub's sync worker: drains the outbox to head office whenever it can, by itself.

One thread per hub. It sends batch after batch while the outbox has rows, then sleeps until
a write wakes it (the store's after-commit hook) or a poll interval passes. When head office
cannot be reached or refuses, it waits with exponential backoff and jitter (so a thousand
branches coming back after an outage do not knock together) and tries again, forever: the
outbox keeps everything meanwhile, and the counters keep working. Its status (last success,
rows waiting, the last error in words) is what the counters and the manager see.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from tenacity import RetryCallState, Retrying, wait_exponential_jitter

from counter_app.domain.errors import DomainError
from counter_app.headoffice.ingest import apply_batch
from counter_app.storage.database import Store
from counter_app.storage.types import utcnow
from counter_app.sync import outbox

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # a change wakes the worker at once; this is only the safety net
MAX_BACKOFF_SECONDS = 120.0


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    branch_code: str
    state: str  # not_enrolled, idle, sending, offline, refused
    waiting: int  # outbox rows not yet acknowledged
    last_success: datetime | None
    last_error: str  # in words, for the counter's status bar; "" when the last try worked
    last_error_code: str  # sync.unreachable, sync.refused
    batches_sent: int
    retry_in_seconds: float


class SyncWorker:
    def __init__(
        self,
        store: Store,
        branch_code: str,
        connect: Callable[[], Engine] | None,
        batch_rows: int = outbox.BATCH_ROWS,
        catch_up_rows: int = outbox.CATCH_UP_ROWS,
        verify: Callable[[Connection], object] | None = None,
    ) -> None:
        self._verify = verify
        self._store = store
        self._connect = connect
        self._batch_rows = batch_rows
        self._catch_up_rows = max(catch_up_rows, batch_rows)
        self._engine: Engine | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._wait = wait_exponential_jitter(initial=1, max=MAX_BACKOFF_SECONDS, jitter=1)
        self._failures = 0
        self._status = SyncStatus(
            enrolled=connect is not None,
            branch_code=branch_code,
            state="idle" if connect is not None else "not_enrolled",
            waiting=0,
            last_success=None,
            last_error="",
            last_error_code="",
            batches_sent=0,
            retry_in_seconds=0.0,
        )

    # --- what the hub and its routes use ---
    def status(self) -> SyncStatus:
        with self._lock:
            return replace(self._status, waiting=outbox.waiting(self._store))

    def nudge(self) -> None:
        """Something was written: look at the outbox now rather than at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._connect is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def drain(self) -> int:
        """Send batches until the outbox is empty; returns how many. Raises what stopped it."""
        if self._connect is None:
            return 0
        sent = 0
        size = self._batch_rows
        batch = outbox.next_batch(self._store, size)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-read") as reader:
            while batch is not None and not self._stop.is_set():
                # A full batch means a backlog: catch up in bigger batches, merged in bulk at
                # head office, each read here while the one before is applied there.
                backlog = batch.outbox_rows >= size
                size = self._catch_up_rows if backlog else self._batch_rows
                upcoming = (
                    reader.submit(outbox.next_batch, self._store, size, batch.seq)
                    if backlog
                    else None
                )
                self._send(batch)
                sent += 1
                # A batch read ahead and not sent (head office failed, the hub stops) keeps
                # its number and goes next time, after the one before it.
                batch = (
                    upcoming.result()
                    if upcoming is not None
                    else outbox.next_batch(self._store, size)
                )
        self._set(state="idle")
        return sent

    def _send(self, batch: outbox.Batch) -> None:
        assert self._connect is not None
        self._set(state="sending")
        engine = self._engine
        if engine is None:
            engine = self._connect()
            if self._verify is not None:
                with engine.connect() as connection:
                    self._verify(connection)  # still this branch's hub, clocks agree
            self._engine = engine
        with engine.begin() as connection:
            apply_batch(connection, self._status.branch_code, batch)
        # Only now, with head office's commit behind it, do the outbox rows go.
        outbox.acknowledge(self._store, batch.seq)
        with self._lock:
            self._status = replace(
                self._status,
                batches_sent=self._status.batches_sent + 1,
                last_success=utcnow(),
                last_error="",
                last_error_code="",
                retry_in_seconds=0.0,
            )

    # --- the thread ---
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
                self._failures = 0
                delay = POLL_SECONDS
            except (OperationalError, DBAPIError, OSError, DomainError) as exc:
                # A refusal (another hub holds the branch, the clock is off, a batch out of
                # order) is retried like an outage: the status says which, nothing is lost.
                self._failures += 1
                delay = self._backoff()
                self._failed(exc, delay)
            self._wake.wait(delay)
            self._wake.clear()

    def _backoff(self) -> float:
        # tenacity's exponential backoff with jitter, asked for the wait after N failures.
        state = RetryCallState(Retrying(), None, (), {})
        state.attempt_number = self._failures
        return float(self._wait(state))

    def _failed(self, exc: Exception, delay: float) -> None:
        if self._engine is not None:
            self._engine.dispose()  # a dead connection is not reused
        refused = isinstance(exc, DomainError) or (
            isinstance(exc, DBAPIError) and not isinstance(exc, OperationalError)
        )
        code = (
            exc.code
            if isinstance(exc, DomainError)
            else ("sync.refused" if refused else "sync.unreachable")
        )
        words = _words(exc)
        log.warning("sync to head office failed (%s): %s; retry in %.0f s", code, words, delay)
        with self._lock:
            self._status = replace(
                self._status,
                state="refused" if refused else "offline",
                last_error=words,
                last_error_code=code,
                retry_in_seconds=round(delay, 1),
            )

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]


def _words(exc: Exception) -> str:
    """The first line of the driver's message, without the connection string."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
