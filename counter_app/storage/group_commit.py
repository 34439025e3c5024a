"""Group commit: many small writes that arrive together share one transaction and one fsync.

With ``synchronous=FULL`` every commit waits for the disk (4-8 ms here), which would cap a
branch at one or two hundred tickets a second however fast the code is. The writer thread
takes every job waiting, runs each in its own SAVEPOINT (a refused job rolls back alone and
gets its own error), commits once, and only then answers them all: nothing is answered before
it is on disk.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from counter_app.storage.database import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BATCH = 64


class _Job:
    __slots__ = ("future", "isolated", "work")

    def __init__(self, work: Callable[[Session], Any], isolated: bool) -> None:
        self.work = work
        self.isolated = isolated
        self.future: Future[Any] = Future()


class GroupCommitWriter:
    """A single writer thread over ``store``; ``submit`` returns a future for the result.

    Jobs write through ``session.connection()`` (Core); a job's ORM changes would not be
    rolled back with its savepoint if it fails."""

    def __init__(self, store: Store, max_batch: int = MAX_BATCH) -> None:
        self._store = store
        self._max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
        self._closed = False
        self.batches = 0  # for benchmarks and tests: how many commits served the jobs
        self.jobs_done = 0
        self._thread.start()

    def submit(self, work: Callable[[Session], T], isolated: bool = True) -> Future[T]:
        """Queue ``work``. ``isolated=False`` skips its savepoint: only for work that checks
        everything before its first write, so a refusal never leaves half a change behind."""
        if self._closed:
            raise RuntimeError("writer closed")
        job = _Job(work, isolated)
        self._jobs.put(job)
        return job.future

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self._max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                batch.append(job)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[_Job]) -> None:
        results: list[tuple[_Job, bool, Any]] = []
        try:
            with self._store.write() as session:
                for job in batch:
                    if not job.future.set_running_or_notify_cancel():
                        continue
                    try:
                        if job.isolated:
                            # A Core savepoint on the connection: the jobs write with Core
                            # statements, and the ORM's nested transaction costs as much again.
                            with session.connection().begin_nested():
                                value = job.work(session)
                        else:
                            value = job.work(session)
                    except Exception as exc:  # this job's error, not the batch's
                        results.append((job, False, exc))
                    else:
                        results.append((job, True, value))
        except Exception as exc:
            # The commit itself failed (disk full, damaged file): no job took effect.
            log.warning("group commit of %d jobs failed: %s", len(batch), exc)
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        self.batches += 1
        self.jobs_done += len(results)
        for job, ok, value in results:
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)
