"""A hub's sync worker in a process of its own, for the fault suite's ``kill -9`` cases.

    COUNTER_APP_TEST_SYNC_DSN=postgresql://branch_x:...@127.0.0.1:PORT/DB \\
        python -m tests.sync_process BASEDIR CODE [--batch-rows N] [--pause-at POINT:BATCH]

Test support only. A real hub reads its branch login from the OS keyring, which a test
replaces with an in-memory one that a child process cannot see; so this entry point, and
nothing in ``counter_app``, takes the login from ``COUNTER_APP_TEST_SYNC_DSN``. It opens the
store as the hub does and drains the outbox with the real ``SyncWorker``, then prints
``drained N`` and exits 0.

``--pause-at`` stops it at one point of one batch, prints ``paused POINT BATCH`` and waits
(at most ``PAUSE_S``) for the test's ``kill -9``:

- ``before_send``: the batch is numbered in the branch store, nothing is sent;
- ``after_send``: its rows are at head office in an open transaction, not committed;
- ``after_commit``: head office committed it; the outbox rows are not deleted yet.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Connection

from counter_app.config.basedir import Basedir
from counter_app.headoffice import ingest
from counter_app.hub.server import open_store
from counter_app.storage.database import Store
from counter_app.sync import outbox
from counter_app.sync import worker as worker_module
from counter_app.sync.enrolment import Enrolled, engine_for
from counter_app.sync.worker import SyncWorker

DSN_VARIABLE = "COUNTER_APP_TEST_SYNC_DSN"
POINTS = ("before_send", "after_send", "after_commit")
PAUSE_S = 60.0
EXIT_NOT_KILLED = 3


def _pause(point: str, batch: int) -> None:
    print(f"paused {point} {batch}", flush=True)
    time.sleep(PAUSE_S)
    print(f"not killed at {point} {batch}", file=sys.stderr, flush=True)
    os._exit(EXIT_NOT_KILLED)


def _install_pause(point: str, at: int) -> None:
    """Wrap what the worker calls, in this process only, to stop at ``point`` of batch ``at``."""
    send = ingest.apply_batch
    delete = outbox.acknowledge

    def apply_batch(connection: Connection, branch_code: str, batch: outbox.Batch) -> bool:
        if point == "before_send" and batch.seq == at:
            _pause(point, at)
        applied = send(connection, branch_code, batch)
        if point == "after_send" and batch.seq == at:
            _pause(point, at)  # the worker commits only after apply_batch returns
        return applied

    def acknowledge(store: Store, batch: int) -> int:
        if point == "after_commit" and batch == at:
            _pause(point, at)
        return delete(store, batch)

    vars(worker_module)["apply_batch"] = apply_batch  # the name the worker imported
    outbox.acknowledge = acknowledge


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sync_process")
    parser.add_argument("basedir", type=Path)
    parser.add_argument("branch")
    parser.add_argument("--batch-rows", type=int, default=outbox.BATCH_ROWS)
    parser.add_argument("--pause-at", default="", help="POINT:BATCH, POINT one of " + str(POINTS))
    args = parser.parse_args(argv)
    dsn = os.environ.get(DSN_VARIABLE, "")
    if not dsn:
        parser.error(f"{DSN_VARIABLE} is not set")
    if args.pause_at:
        point, _, batch = args.pause_at.partition(":")
        if point not in POINTS or not batch.isdigit():
            parser.error(f"--pause-at POINT:BATCH, POINT one of {POINTS}")
        _install_pause(point, int(batch))
    store, _ = open_store(Basedir(args.basedir))
    link = Enrolled(args.branch, dsn)
    worker = SyncWorker(store, link.branch_code, lambda: engine_for(link), args.batch_rows)
    try:
        sent = worker.drain()
    finally:
        worker.stop()
        store.dispose()
    print(f"drained {sent}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
