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
import time
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
from counter_app.sync import outbox, reference

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # a change wakes the worker at once; this is only the safety net
MAX_BACKOFF_SECONDS = 120.0
# Publications are rare (a few a day) and a pull asks head office about ten tables: once a
# minute, not at every wake-up, so 3,000 hubs ask 50 times a second rather than 600.
PULL_SECONDS = 60.0
# Counters first. A write wakes the worker, which then waits this long, so a busy minute's
# tickets go as a few batches rather than one batch (and one head-office round trip) a write.
GATHER_SECONDS = 1.0
# While counters have written within COUNTERS_BUSY_SECONDS, a catch-up pauses after each batch
# for GIVE_WAY times what the batch took: a fifth of the time for the catch-up (its own process
# and head office's share the branch PC's two or so cores with the counters), full speed on a
# quiet hub. Measured with 2: issue p95 57 ms during a catch-up (bench/catchup_p95.py).
COUNTERS_BUSY_SECONDS = 2.0
GIVE_WAY = 4.0


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
    reference_revision: int = 0  # the last head-office publication applied here
    last_pull: datetime | None = None

    @classmethod
    def at_start(cls, store: Store, branch_code: str, enrolled: bool) -> SyncStatus:
        """Before the first try: nothing sent yet, the publication already applied."""
        return cls(
            enrolled=enrolled,
            branch_code=branch_code,
            state="idle" if enrolled else "not_enrolled",
            waiting=0,
            last_success=None,
            last_error="",
            last_error_code="",
            batches_sent=0,
            retry_in_seconds=0.0,
            reference_revision=reference.cursor(store),
        )


class SyncWorker:
    def __init__(
        self,
        store: Store,
        branch_code: str,
        connect: Callable[[], Engine] | None,
        batch_rows: int = outbox.BATCH_ROWS,
        catch_up_rows: int = outbox.CATCH_UP_ROWS,
        verify: Callable[[Connection], object] | None = None,
        on_status: Callable[[SyncStatus], object] | None = None,
    ) -> None:
        self._on_status = on_status  # told each new status (sync/process.py: to the hub)
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
        self._next_pull = 0.0  # the first round after start pulls
        self._counter_wrote_at = -COUNTERS_BUSY_SECONDS
        self._retry_asked = False
        self._status = SyncStatus.at_start(store, branch_code, enrolled=connect is not None)

    # --- what the hub and its routes use ---
    def status(self) -> SyncStatus:
        with self._lock:
            return replace(self._status, waiting=outbox.waiting(self._store))

    def nudge(self) -> None:
        """Something was written: look at the outbox soon rather than at the next poll."""
        self._counter_wrote_at = time.monotonic()
        self._wake.set()

    def retry_now(self) -> None:
        """Try head office again now, whatever the backoff says (branch IT fixed the link)."""
        self._retry_asked = True
        self._wake.set()

    def _counters_busy(self) -> bool:
        return time.monotonic() - self._counter_wrote_at < COUNTERS_BUSY_SECONDS

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
        sent = rows = 0
        began = time.monotonic()
        size = self._batch_rows
        batch = outbox.next_batch(self._store, size)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-read") as reader:
            while batch is not None and not self._stop.is_set():
                started = time.monotonic()
                # A full batch means a backlog: catch up in bigger batches, merged in bulk at
                # head office, each read here while the one before is applied there (not while
                # the counters are busy: two sync threads at once would crowd them).
                backlog = batch.outbox_rows >= size
                size = self._catch_up_rows if backlog else self._batch_rows
                upcoming = (
                    reader.submit(outbox.next_batch, self._store, size, batch.seq)
                    if backlog and not self._counters_busy()
                    else None
                )
                self._send(batch)
                sent += 1
                rows += batch.outbox_rows
                # A batch read ahead and not sent (head office failed, the hub stops) keeps
                # its number and goes next time, after the one before it.
                batch = (
                    upcoming.result()
                    if upcoming is not None
                    else outbox.next_batch(self._store, size)
                )
                if batch is not None and backlog and self._counters_busy():
                    self._stop.wait(GIVE_WAY * (time.monotonic() - started))
        if sent > 1:  # a catch-up, not the day's trickle of one small batch per write
            seconds = time.monotonic() - began
            log.info(
                "sent %d outbox rows to head office in %d batches (%.1f s)",
                rows,
                sent,
                seconds,
                extra={"rows": rows, "batches": sent, "seconds": round(seconds, 2)},
            )
        self._set(state="idle")
        return sent

    def pull(self) -> int:
        """Apply what head office published since the last pull; returns rows applied."""
        if self._connect is None:
            return 0
        with self._office().begin() as connection:
            pulled = reference.pull(connection, self._store)
        self._set(reference_revision=pulled.cursor, last_pull=utcnow())
        if pulled.applied:
            log.info(
                "applied %d rows published by head office (revision %d)",
                pulled.applied,
                pulled.cursor,
                extra={"rows": pulled.applied, "revision": pulled.cursor},
            )
        return pulled.applied

    def _office(self) -> Engine:
        assert self._connect is not None
        engine = self._engine
        if engine is None:
            engine = self._connect()
            if self._verify is not None:
                try:
                    with engine.connect() as connection:
                        self._verify(connection)  # still this branch's hub, clocks agree
                except BaseException:
                    engine.dispose()  # refused: its pooled connection is not kept for later
                    raise
            self._engine = engine
        return engine

    def _send(self, batch: outbox.Batch) -> None:
        self._set(state="sending")
        engine = self._office()
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
        self._tell()

    # --- the thread ---
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
                if time.monotonic() >= self._next_pull:
                    self.pull()
                    self._next_pull = time.monotonic() + PULL_SECONDS
                if self._failures:
                    log.info("head office reached again after %d failed attempts", self._failures)
                self._failures = 0
                delay = POLL_SECONDS
            except (OperationalError, DBAPIError, OSError, DomainError) as exc:
                # A refusal (another hub holds the branch, the clock is off, a batch out of
                # order) is retried like an outage: the status says which, nothing is lost.
                self._failures += 1
                delay = self._backoff()
                self._failed(exc, delay)
            if self._failures:
                self._back_off(delay)
            elif self._wake.wait(delay) and not self._stop.is_set():
                self._stop.wait(GATHER_SECONDS)  # woken by a write: let its neighbours come too
            self._wake.clear()

    def _back_off(self, delay: float) -> None:
        """Wait out a backoff. A write does not cut it short (a ticket issued says nothing of
        head office, and thousands of busy branches would retry every second); retry_now does."""
        until = time.monotonic() + delay
        while not self._stop.is_set() and not self._retry_asked:
            left = until - time.monotonic()
            if left <= 0:
                break
            self._wake.wait(left)
            self._wake.clear()
        self._retry_asked = False

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
        self._tell()

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
        self._tell()

    def _tell(self) -> None:
        if self._on_status is not None:
            with self._lock:
                status = self._status
            self._on_status(status)


def _words(exc: Exception) -> str:
    """The first line of the driver's message, without the connection string."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
