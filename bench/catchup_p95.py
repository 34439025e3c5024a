"""catchup_p95: the counters' p95 while the hub catches up on a big backlog to head office.

``python bench/catchup_p95.py [--rows 100000] [--clients 30] [--seconds 20]``. A throwaway
PostgreSQL 15 (tests/pg.py, loopback, ``fsync=off``) is head office. One branch store gets the
busy week of bench/replication.py through the services (demo data, 600 tickets a day, ten clerks'
blank forms, an allocation received), then allocations until ``--rows`` outbox rows wait: a week
and more offline. Each phase starts a real hub process (``counter-app hub``'s own entry point,
``counter_app.cli.main``) on its own copy of that store, and drives it with the open loop of
bench/queue.py: ``--clients`` clients (``HubClient``) each sending one operation a second, every
third calling the next ticket at a window and the others issuing tickets, and a display board on
``/api/events``. Latencies are counted from each operation's scheduled send.

1. ``no_sync``: the hub is not enrolled; no sync runs.
2. ``sync_no_backlog``: the hub is enrolled and has sent its backlog before the loop starts; its
   worker sends what the loop writes, a small batch each time a write wakes it (a normal day).
3. ``catch_up``: the hub is enrolled (``enrol`` into an in-memory keyring inside the hub's own
   process) and its own sync worker drains the backlog. The branch login is refused
   (``NOLOGIN``) while the hub starts and the clients log in; when the loop starts it may log in
   again, as when a link comes back, and the next write wakes the worker.
4. ``catch_up_separate_process`` (unless ``--no-separate``): the hub is not enrolled and the same
   drain (``SyncWorker.drain``, same store file) runs in a process of its own: the same SQLite
   write lock, another GIL. If the counters are slow in 3 and not in 4, the GIL is the cause.

The loop runs ``--seconds`` at least, and on until the backlog is in (at most ``--max-seconds``).
Percentiles for the catch-up phases are of the operations sent while the backlog drained. The
sync worker's steps are timed where the worker runs in a traced process (phase 4's drain: their
module functions wrapped, nothing changed): numbering a batch and acknowledging it (both under
the store's write lock), reading a batch, and applying it at head office; each slow operation is
checked against what overlapped it. The hub's own worker runs in its sync process, out of the
trace's reach: its batches are placed in time by head office's records (``sync_batch``), and
``sync_steps`` says it is not timed.

Prints one JSON object: the targets (docs/benchmarks.md, ``queue``: issue p95 < 25 ms, call →
board p95 < 150 ms; call-next's own p95 is reported, it has no target), each phase's p50/p95/max,
whether each target is met, the drain's rows/s and the sync steps' durations. Hubs and drain
processes are stopped by pid; a watchdog ends everything after ``--timeout``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file: the repository root instead of bench/, whose queue.py would hide the
    # standard library's (httpx, psycopg and concurrent.futures import it).
    _HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    sys.path.insert(0, str(_HERE.parent))

from bench import common
from bench.common import (
    LOCALHOST,
    BenchResult,
    OtherLoad,
    bench_env,
    cpu_seconds,
    free_port,
    machine_info,
    percentile,
    stop,
    tail,
    temp_dir,
    wait_http_ok,
)

NAME = "catchup_p95"
ROWS = 100_000
CLIENTS = 30
MIN_SECONDS = 20.0
MAX_SECONDS = 180.0
TIMEOUT_S = 1800.0
DATABASE = "headoffice"
DSN_VARIABLE = "BENCH_CATCHUP_DSN"  # the branch login, for the hub's enrolment (not argv)
HANDSHAKE_S = 120.0
POLL_S = 0.2
# docs/benchmarks.md, ``queue``: the goals from the issue
TARGETS_MS = {"issue_p95_ms": 25.0, "call_to_board_p95_ms": 150.0}
SLOW_STEPS = ("number", "acknowledge", "read", "apply")
STEADY_WAITING = 100  # sync_no_backlog: outbox rows left when the loop may start


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- inside the hub (or drain) process: the sync worker's steps, timed ---


def install_trace() -> list[tuple[str, float, float, int]]:
    """Wrap the sync worker's steps (module functions, looked up at each call) to record
    (step, start, end, outbox rows) on the monotonic clock, which every process shares."""
    from counter_app.sync import outbox
    from counter_app.sync import worker as worker_module

    steps: list[tuple[str, float, float, int]] = []

    def traced(owner: Any, name: str, step: str, rows: Callable[[Any, Any], int]) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return  # renamed since: that step is not timed

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            result = None
            try:
                result = original(*args, **kwargs)
                return result
            finally:
                steps.append((step, started, time.monotonic(), rows(args, result)))

        vars(owner)[name] = wrapper

    # numbering (and re-finding a numbered batch) under the store's write lock
    traced(outbox, "_number", "number", lambda _a, _r: 0)
    # the whole read: numbering, then the rows read outside the lock
    traced(outbox, "next_batch", "next_batch", lambda _a, r: r.outbox_rows if r else 0)
    traced(outbox, "acknowledge", "acknowledge", lambda _a, r: int(r or 0))
    traced(worker_module, "apply_batch", "apply", lambda a, _r: a[2].outbox_rows)
    return steps


def cache_reference_metadata() -> bool:
    """The ``--cache-metadata`` experiment, in a child process only: head office's MetaData
    built once for ``reference.record_edits`` (which builds it again for every batch) instead
    of once a batch, to see what the counters' p95 is without that cost. False when the
    module has no such name (it changed since)."""
    import functools

    from counter_app.headoffice import reference

    build = getattr(reference, "headoffice_metadata", None)
    if build is None:
        return False
    vars(reference)["headoffice_metadata"] = functools.cache(build)
    return True


def _dump(steps: list[tuple[str, float, float, int]], path: Path) -> None:
    path.write_text(json.dumps(steps), encoding="utf-8")


def serve_hub(basedir: Path, port: int, code: str, trace: Path, cache: bool = False) -> int:
    """The hub, in this process: enrolled first (in-memory keyring) when ``code`` is given."""
    import keyring

    from counter_app import cli
    from counter_app.config.basedir import Basedir
    from counter_app.secrets import MemoryKeyring
    from counter_app.sync.enrolment import enrol

    keyring.set_keyring(MemoryKeyring())
    if code:
        enrol(Basedir(basedir.resolve()), os.environ[DSN_VARIABLE], code)
        print("enrolled", flush=True)
        ready, _, _ = select.select([sys.stdin], [], [], HANDSHAKE_S)
        if not ready or sys.stdin.readline().strip() != "go":
            return 3
    steps = install_trace()
    if cache:
        cache_reference_metadata()
    try:
        args = ["hub", "--basedir", str(basedir), "--host", LOCALHOST, "--port", str(port)]
        return cli.main(args)
    finally:
        _dump(steps, trace)


def drain_once(basedir: Path, code: str, trace: Path, cache: bool = False) -> int:
    """The hub's drain in a process of its own, on the hub's store file."""
    import uuid

    from counter_app.config.basedir import Basedir
    from counter_app.hub.server import open_store
    from counter_app.sync.enrolment import Enrolled, engine_for, verify
    from counter_app.sync.worker import SyncWorker

    steps = install_trace()
    if cache:
        cache_reference_metadata()
    store, _ = open_store(Basedir(basedir))
    link = Enrolled(code, os.environ[DSN_VARIABLE], uuid.uuid4().hex)
    worker = SyncWorker(store, code, lambda: engine_for(link), verify=lambda c: verify(c, link))
    try:
        print(f"drained {worker.drain()}", flush=True)
    finally:
        worker.stop()
        store.dispose()
        _dump(steps, trace)
    return 0


# --- the open loop (bench/queue.py's phase 1, each operation timestamped) ---


@dataclass
class Loop:
    # (kind, sent, ms): kind "issue" or "call"; sent on the monotonic clock
    ops: list[tuple[str, float, float]] = field(default_factory=list)
    board: list[tuple[float, float]] = field(default_factory=list)  # (call sent, ms to board)
    board_missing: int = 0
    late: int = 0
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    seconds: float = 0.0
    hub_cpu_s: float = 0.0


def open_loop(
    url: str,
    hub_pid: int,
    clients: int,
    min_s: float,
    max_s: float,
    at_start: Callable[[], None],
    finished: Callable[[], bool],
) -> Loop:
    import random

    from bench.queue import (
        BOARD_WAIT_S,
        CALLER,
        CALLER_EVERY,
        ISSUER,
        LATE_S,
        RATE_PER_CLIENT,
        SEED,
        SERVICES,
        WINDOWS,
        counter_op,
        run_threads,
    )
    from counter_app.client.events import EventListener
    from counter_app.client.hub_client import HubClient, HubError
    from counter_app.hub.schemas import EventOut

    result = Loop()
    lock = threading.Lock()
    calls_sent: dict[str, float] = {}
    board_seen: dict[str, float] = {}
    board_up = threading.Event()
    halt = threading.Event()

    def on_event(event: EventOut) -> None:
        now = time.monotonic()
        payload = event.payload
        if event.event == "queue.ticket_called" and payload.get("action") == "call":
            board_seen.setdefault(str(payload["ticket"]["id"]), now)

    def on_link(up: bool) -> None:
        if up:
            board_up.set()

    board_client = HubClient(url, "board")
    board_client.login(*ISSUER)
    board = EventListener(url, board_client.token or "", on_event, on_link)
    hubs: list[HubClient] = []
    board_started = False
    try:
        for index in range(clients):
            caller = index % CALLER_EVERY == CALLER_EVERY - 1
            client = HubClient(url, f"{'window' if caller else 'kiosk'}-{index}")
            client.login(*(CALLER if caller else ISSUER))
            hubs.append(client)
            if not caller:
                client.issue_ticket(SERVICES[index % len(SERVICES)])  # warm-up, not timed
        board.start()
        board_started = True
        if not board_up.wait(10):
            raise RuntimeError("the display board did not connect to /api/events")
        interval = 1.0 / RATE_PER_CLIENT
        windows = iter(WINDOWS * clients)
        caller_window = {
            i: next(windows) for i in range(clients) if i % CALLER_EVERY == CALLER_EVERY - 1
        }
        at_start()
        t0 = time.monotonic() + 0.2
        result.started = t0

        def controller() -> None:
            while not halt.is_set():
                elapsed = time.monotonic() - t0
                if elapsed >= max_s or (elapsed >= min_s and finished()):
                    halt.set()
                time.sleep(POLL_S)

        def work(index: int) -> None:
            client = hubs[index]
            rng = random.Random(SEED + index)
            window = caller_window.get(index)
            slot = t0 + index * interval / clients
            while not halt.is_set():
                delay = slot - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                sent = time.monotonic()
                try:
                    kind, called = counter_op(client, window, rng)
                    if called is not None:
                        with lock:
                            calls_sent[called] = sent
                except HubError as exc:
                    with lock:
                        result.errors.append(exc.code)
                    slot += interval
                    continue
                late = sent - slot > LATE_S
                took = (time.monotonic() - (slot if late else sent)) * 1000
                with lock:
                    result.late += late
                    result.ops.append((kind, slot if late else sent, took))
                slot += interval

        watcher = threading.Thread(target=controller, daemon=True)
        cpu_before = cpu_seconds(hub_pid)
        watcher.start()
        failures = run_threads(clients, work, max_s + 60)
        halt.set()
        watcher.join(timeout=5)
        result.seconds = time.monotonic() - t0
        result.hub_cpu_s = cpu_seconds(hub_pid) - cpu_before
        if failures:
            raise RuntimeError(f"open loop: a client failed: {failures[0]!r}")
        deadline = time.monotonic() + BOARD_WAIT_S
        while time.monotonic() < deadline and not set(calls_sent) <= set(board_seen):
            time.sleep(0.05)
    finally:
        halt.set()
        if board_started:
            board.stop()
        for client in [*hubs, board_client]:
            client.close()
    for ticket_id, sent in calls_sent.items():
        seen = board_seen.get(ticket_id)
        if seen is None:
            result.board_missing += 1
        else:
            result.board.append((sent, (seen - sent) * 1000))
    return result


# --- phases ---


@dataclass
class HubProcess:
    proc: subprocess.Popen[bytes]
    url: str
    trace: Path
    log: Path


def _reap_cpu_s(proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Wait for a child (at most ``timeout``, then kill it) and return its CPU seconds."""
    deadline = time.monotonic() + timeout
    while True:
        pid, _status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = 0  # reaped here; Popen must not wait for it again
            return float(usage.ru_utime + usage.ru_stime)
        if time.monotonic() > deadline:
            proc.kill()
            deadline = time.monotonic() + 10
        time.sleep(0.1)


def _child_env(dsn: str) -> dict[str, str]:
    env = bench_env()
    if dsn:
        env[DSN_VARIABLE] = dsn
    return env


@contextlib.contextmanager
def hub_process(
    basedir: Path,
    code: str,
    dsn: str,
    before_start: Callable[[], None],
    children: list[Any],
    cache: bool = False,
) -> Iterator[HubProcess]:
    """A hub of its own (this file's ``--serve-hub``: ``counter_app.cli.main``), enrolled as
    ``code`` when given; ``before_start`` runs between its enrolment and its start."""
    port = free_port()
    trace = basedir.parent / f"{basedir.name}-trace.json"
    log_path = basedir.parent / f"{basedir.name}-hub.log"
    args = [sys.executable, str(Path(__file__).resolve()), "--serve-hub", str(basedir)]
    args += ["--port", str(port), "--trace", str(trace)]
    if code:
        args += ["--enrol", code]
    if cache:
        args.append("--cache-metadata")
    with log_path.open("ab") as log_file:
        proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_file,
            env=_child_env(dsn),
            cwd=Path(__file__).resolve().parent.parent,
        )
    children.append(proc)
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        if code:
            ready, _, _ = select.select([proc.stdout], [], [], HANDSHAKE_S)
            line = proc.stdout.readline().decode().strip() if ready else ""
            if line != "enrolled":
                raise RuntimeError(f"the hub did not enrol ({line!r}):\n{tail(log_path)}")
            before_start()
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
        out = proc.stdout
        threading.Thread(target=out.read, daemon=True).start()  # never blocks it
        url = f"http://{LOCALHOST}:{port}"
        wait_http_ok(f"{url}/api/health", proc, 60, log_path)
        yield HubProcess(proc, url, trace, log_path)
    finally:
        stop(proc, signal.SIGINT, timeout=15)


def _stats(values: Sequence[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2),
    }


def _figures(loop: Loop, low: float, high: float) -> dict[str, Any]:
    """The loop's operations sent in [low, high]."""
    issue = [ms for kind, sent, ms in loop.ops if kind == "issue" and low <= sent <= high]
    call = [ms for kind, sent, ms in loop.ops if kind == "call" and low <= sent <= high]
    board = [ms for sent, ms in loop.board if low <= sent <= high]
    i, c, b = _stats(issue), _stats(call), _stats(board)
    return {
        "issue_p95_ms": i["p95"],
        "call_p95_ms": c["p95"],
        "call_to_board_p95_ms": b["p95"],
        "issue_ms": i,
        "call_ms": c,
        "call_to_board_ms": b,
        "seconds": round(high - low, 2),
    }


def _steps(trace: Path) -> list[tuple[str, float, float, int]]:
    if not trace.exists():
        return []
    return [(str(s), float(a), float(b), int(n)) for s, a, b, n in json.loads(trace.read_text())]


def _drain_window(
    steps: Sequence[tuple[str, float, float, int]], backlog: int, after: float
) -> tuple[float, float, int] | None:
    """From the first batch applied (after ``after``) to the acknowledgement that brought the
    rows applied to ``backlog``: (start, end, rows applied by then)."""
    applies = sorted(s for s in steps if s[0] == "apply" and s[1] >= after)
    acks = sorted(s for s in steps if s[0] == "acknowledge" and s[1] >= after)
    if not applies:
        return None
    start, total = applies[0][1], 0
    for (_, _, _, rows), ack in zip(applies, acks, strict=False):
        total += rows
        if total >= backlog:
            return start, ack[2], total
    return start, (acks[-1][2] if acks else applies[-1][2]), total


def _step_durations(
    steps: Sequence[tuple[str, float, float, int]], low: float, high: float
) -> dict[str, Any]:
    """Each step's durations within the window, and the share of the window it covered."""
    found: dict[str, Any] = {}
    span = max(high - low, 1e-9)
    reads = _reads(steps)
    for step in SLOW_STEPS:
        chosen = reads if step == "read" else [s for s in steps if s[0] == step]
        inside = [(a, b) for _, a, b, _ in chosen if b > low and a < high]
        ms = [(b - a) * 1000 for a, b in inside]
        covered = sum(min(b, high) - max(a, low) for a, b in inside)
        found[step] = {**_stats(ms), "share_of_window": round(covered / span, 3)}
    return found


def _reads(steps: Sequence[tuple[str, float, float, int]]) -> list[tuple[str, float, float, int]]:
    """next_batch minus the numbering inside it: the rows read, outside the write lock."""
    numbers = [s for s in steps if s[0] == "number"]
    reads = []
    for _, a, b, rows in (s for s in steps if s[0] == "next_batch"):
        inner = [n for n in numbers if n[1] >= a and n[2] <= b]
        start = max((n[2] for n in inner), default=a)
        reads.append(("read", start, b, rows))
    return reads


def _attribution(
    loop: Loop, steps: Sequence[tuple[str, float, float, int]], low: float, high: float
) -> dict[str, Any]:
    """For the operations over target (issue > 25 ms) and the slowest 5 % of each kind sent
    in the window: which sync steps overlapped them."""
    intervals = {
        "number": [(a, b) for s, a, b, _ in steps if s == "number"],
        "acknowledge": [(a, b) for s, a, b, _ in steps if s == "acknowledge"],
        "read": [(a, b) for _, a, b, _ in _reads(steps)],
        "apply": [(a, b) for s, a, b, _ in steps if s == "apply"],
    }

    def overlapping(sent: float, ms: float) -> set[str]:
        end = sent + ms / 1000
        return {k for k, spans in intervals.items() if any(a < end and b > sent for a, b in spans)}

    found: dict[str, Any] = {}
    for kind, limit in (("issue", TARGETS_MS["issue_p95_ms"]), ("call", None)):
        ops = [(sent, ms) for k, sent, ms in loop.ops if k == kind and low <= sent <= high]
        if not ops:
            continue
        cut = limit if limit is not None else percentile([ms for _, ms in ops], 95)
        slow = [(sent, ms) for sent, ms in ops if ms > cut]
        fast = [(sent, ms) for sent, ms in ops if ms <= cut]
        found[kind] = {
            "slower_than_ms": round(cut, 2),
            "slow": len(slow),
            "of": len(ops),
            # how often each step overlapped a slow operation, against a fast one
            "slow_overlapping": {
                k: round(sum(k in overlapping(s, m) for s, m in slow) / max(1, len(slow)), 3)
                for k in intervals
            },
            "fast_overlapping": {
                k: round(sum(k in overlapping(s, m) for s, m in fast) / max(1, len(fast)), 3)
                for k in intervals
            },
        }
    return found


class Office:
    """Head office for the phases: the superuser's connection, a login per phase."""

    def __init__(self, server: Any) -> None:
        import psycopg

        from counter_app.headoffice import admin

        self.server = server
        self.dsn = server.create_database(DATABASE)
        admin.init(self.dsn)
        self.watch = psycopg.connect(self.dsn, autocommit=True)

    def branch(self, code: str) -> tuple[str, str]:
        from counter_app.headoffice import admin

        login = admin.add_branch(self.dsn, code, f"bench {code}")
        return login.login_role, self.server.dsn_for(DATABASE, login.login_role, login.password)

    def can_log_in(self, role: str, allowed: bool) -> None:
        from psycopg import sql

        self.watch.execute(
            sql.SQL("ALTER ROLE {} " + ("LOGIN" if allowed else "NOLOGIN")).format(
                sql.Identifier(role)
            )
        )

    def applied(self, code: str) -> int:
        row = self.watch.execute(
            "SELECT coalesce(sum(rows), 0) FROM sync_batch WHERE branch_code = %s", (code,)
        ).fetchone()
        return int(row[0]) if row else 0

    def received(self, code: str) -> list[tuple[str, float, float, int]]:
        """The branch's batches as head office recorded them, as "apply" steps on this
        process's monotonic clock (when the worker runs in the hub's sync process, which no
        trace reaches): each batch's commit time, and its rows."""
        offset = time.time() - time.monotonic()
        rows = self.watch.execute(
            "SELECT extract(epoch FROM received_at), rows FROM sync_batch"
            " WHERE branch_code = %s ORDER BY batch_seq",
            (code,),
        ).fetchall()
        return [
            (step, float(at) - offset, float(at) - offset, int(n))
            for at, n in rows
            for step in ("apply", "acknowledge")
        ]

    def close(self) -> None:
        self.watch.close()


def _waiting(basedir: Path) -> int:
    """Outbox rows of a store, read without the store's machinery (a hub may hold it)."""
    import sqlite3

    path = basedir / "data" / "branch.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0])


def build_backlog(basedir: Path, rows: int) -> dict[str, Any]:
    """bench/replication.py's busy week through the services, then allocations to ``rows``."""
    from bench.replication import _busy_week, _outbox_by_table, _top_up
    from counter_app.config.basedir import Basedir
    from counter_app.config.settings import Settings
    from counter_app.hub.server import open_store
    from counter_app.services.actor import system_actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.demo import load_demo, load_demo_forms
    from counter_app.services.policy_printing import PrintDesk
    from counter_app.sync import outbox

    store, _ = open_store(Basedir(basedir).ensure())
    try:
        load_demo(store, system_actor())
        forms = BlankFormDesk(store, Settings(None))
        load_demo_forms(forms, PrintDesk(store, forms), system_actor())
        week = _busy_week(store)
        week_rows = outbox.waiting(store)
        _top_up(store, rows)
        return {
            **week,
            "week_rows": week_rows,
            "rows": outbox.waiting(store),
            "by_table": _outbox_by_table(store),
        }
    finally:
        store.dispose()


def run_phase(
    mode: str,
    template: Path,
    office: Office,
    clients: int,
    min_s: float,
    max_s: float,
    children: list[Any],
    cache: bool = False,
) -> dict[str, Any]:
    """One phase on a fresh copy of the backlog store: mode ``no_sync``, ``sync_no_backlog``
    (enrolled, the backlog sent before the loop starts), ``catch_up`` (the hub's own worker)
    or ``catch_up_separate_process``."""
    basedir = template.parent / mode
    shutil.copytree(template, basedir)
    code = {
        "no_sync": "",
        "sync_no_backlog": "STEADY",
        "catch_up": "CATCHUP",
        "catch_up_separate_process": "SEPARATE",
    }[mode]
    role, dsn = office.branch(code) if code else ("", "")
    in_hub = mode in ("catch_up", "sync_no_backlog")
    steady = mode == "sync_no_backlog"
    backlog = [0]
    drain: list[subprocess.Popen[bytes]] = []
    drain_trace = template.parent / f"{mode}-drain-trace.json"
    drain_log = template.parent / f"{mode}-drain.log"

    def link_down() -> None:
        if not steady:
            office.can_log_in(role, allowed=False)  # the link is down while the hub starts

    def link_back() -> None:
        backlog[0] = _waiting(basedir)
        if steady:
            # the hub sent its backlog as it started: wait until it is all in (bounded)
            deadline = time.monotonic() + max_s
            while _waiting(basedir) > STEADY_WAITING and time.monotonic() < deadline:
                time.sleep(POLL_S)
            backlog[0] = 0
        elif in_hub:
            office.can_log_in(role, allowed=True)  # the next write wakes the worker
        elif code:
            args = [sys.executable, str(Path(__file__).resolve()), "--drain", str(basedir)]
            args += ["--code", code, "--trace", str(drain_trace)]
            args += ["--cache-metadata"] if cache else []
            with drain_log.open("ab") as log_file:
                proc = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=log_file,
                    stderr=log_file,
                    env=_child_env(dsn),
                    cwd=Path(__file__).resolve().parent.parent,
                )
            drain.append(proc)
            children.append(proc)

    def finished() -> bool:
        return not code or office.applied(code) >= backlog[0]

    log(f"  {mode}: starting the hub")
    with hub_process(
        basedir, code if in_hub else "", dsn if in_hub else "", link_down, children, cache
    ) as hub:
        log(f"  {mode}: {clients} clients log in; the loop starts")
        other = OtherLoad()
        loop = open_loop(hub.url, hub.proc.pid, clients, min_s, max_s, link_back, finished)
        other_percent = other.percent(len(os.sched_getaffinity(0)))
        drain_cpu = sum(_reap_cpu_s(proc, max_s) for proc in drain)
        hub_pid = hub.proc.pid
        trace_path = hub.trace
    steps = _steps(drain_trace if drain else trace_path)
    timed = True
    if code and not any(s[0] == "apply" for s in steps):
        # The hub runs its worker in a sync process of its own, out of the trace's reach:
        # the batches are timed by head office's records instead (no per-step figures).
        steps, timed = office.received(code), False
    applied = office.applied(code) if code else 0
    figures: dict[str, Any] = {
        "whole_loop": _figures(loop, loop.started, loop.started + loop.seconds),
        "loop_seconds": round(loop.seconds, 1),
        "operations": len(loop.ops),
        "late_sends": loop.late,
        "errors": len(loop.errors),
        "first_errors": loop.errors[:5],
        "board_events_missing": loop.board_missing,
        "hub_cpu_s": round(loop.hub_cpu_s, 1),
        "hub_pid": hub_pid,
        "other_processes_cpu_percent_incl_hub_and_postgres": round(other_percent, 1),
    }
    if not code:
        figures.update(_figures(loop, loop.started, loop.started + loop.seconds))
        return figures
    if steady:
        low, high = loop.started, loop.started + loop.seconds
        figures.update(_figures(loop, low, high))
        applies = [s for s in steps if s[0] == "apply" and low <= s[1] <= high]
        figures["sync"] = {
            "batches_during_loop": len(applies),
            "rows_during_loop": sum(s[3] for s in applies),
            "where": "the hub's own sync worker, no backlog: a batch as writes wake it",
        }
        figures.update(_step_figures(loop, steps, low, high, timed))
        return figures
    window = _drain_window(steps, backlog[0], loop.started - 1)
    if window is None:
        figures["drain"] = {"backlog": backlog[0], "applied": applied, "error": "nothing sent"}
        return figures
    low, high, rows = window
    figures.update(_figures(loop, low, high))
    figures["drain"] = {
        "backlog": backlog[0],
        "rows_applied_in_window": rows,
        "rows_applied_by_the_end": applied,
        "seconds": round(high - low, 2),
        "rows_per_s": round(rows / (high - low)) if high > low else None,
        "started_after_loop_s": round(low - loop.started, 2),
        "drain_process_cpu_s": round(drain_cpu, 1),
        "where": "the hub's own sync worker" if in_hub else "a process of its own",
    }
    figures.update(_step_figures(loop, steps, low, high, timed))
    return figures


def _step_figures(
    loop: Loop,
    steps: Sequence[tuple[str, float, float, int]],
    low: float,
    high: float,
    timed: bool,
) -> dict[str, Any]:
    if not timed:  # head office's records say when each batch arrived, not how long it took
        untimed = "not timed: the worker runs in the hub's sync process (see logs/sync.jsonl)"
        return {"sync_steps": untimed, "slow_operations": untimed}
    return {
        "sync_steps": _step_durations(steps, low, high),
        "slow_operations": _attribution(loop, steps, low, high),
    }


def measure(
    rows: int = ROWS,
    clients: int = CLIENTS,
    min_s: float = MIN_SECONDS,
    max_s: float = MAX_SECONDS,
    separate: bool = True,
    children: list[Any] | None = None,
    cache: bool = False,
) -> dict[str, Any]:
    from tests.pg import ThrowawayPostgres

    children = children if children is not None else []
    machine = machine_info()
    began = time.monotonic()
    with temp_dir("catchup") as root, ThrowawayPostgres() as server:
        office = Office(server)
        try:
            log(f"building the backlog: a busy week, then allocations to {rows} outbox rows")
            template = root / "backlog"
            backlog = build_backlog(template, rows)
            setup_s = time.monotonic() - began
            modes = ["no_sync", "sync_no_backlog", "catch_up"]
            modes += ["catch_up_separate_process"] if separate else []
            phases = {
                mode: run_phase(mode, template, office, clients, min_s, max_s, children, cache)
                for mode in modes
            }
        finally:
            office.close()
    met: dict[str, dict[str, bool | None]] = {}
    for target, limit in TARGETS_MS.items():
        met[target] = {
            mode: (None if figures.get(target) is None else figures[target] < limit)
            for mode, figures in phases.items()
        }
    summary = {
        target: {mode: figures.get(target) for mode, figures in phases.items()}
        for target in ("issue_p95_ms", "call_p95_ms", "call_to_board_p95_ms")
    }
    return {
        "targets_ms": {k: f"< {v:g}" for k, v in TARGETS_MS.items()},
        "p95_ms": summary,
        "met": met,
        **phases,
        "backlog": backlog,
        "clients": clients,
        "min_seconds": min_s,
        "experiment_cache_metadata": cache,
        "setup_s": round(setup_s, 1),
        "seconds": round(time.monotonic() - began, 1),
        "machine": {k: machine[k] for k in ("nproc", "cpu_model", "python", "commit")},
    }


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench catchup_p95``."""
    figures = measure(20_000 if quick else ROWS, min_s=5.0 if quick else MIN_SECONDS)
    result = BenchResult(NAME, "the counters' p95 while the hub catches up to head office")
    for target in ("issue_p95_ms", "call_p95_ms", "call_to_board_p95_ms"):
        goal = f"< {TARGETS_MS[target]:g}" if target in TARGETS_MS else ""
        for mode, value in figures["p95_ms"][target].items():
            result.add(f"{target} {mode}", value, "ms", goal)
    result.params.update({k: figures[k] for k in ("backlog", "met", "clients")})
    return result


class Watchdog(common.Watchdog):
    """After ``seconds``: kill the hubs and drain processes (by pid) and end this process; the
    throwaway PostgreSQL and the temporary folders go with the context managers' cleanup in
    the main thread when it can, otherwise with the process."""

    def __init__(self, seconds: float, children: list[Any]) -> None:
        super().__init__(seconds)
        self._children = children

    def expire(self) -> None:
        log(f"catchup_p95: timed out after {self._seconds:.0f} s; stopping its processes")
        for proc in self._children:
            stop(proc, signal.SIGKILL, timeout=5)
        os.kill(os.getpid(), signal.SIGINT)  # the main thread unwinds: PostgreSQL, folders


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="outbox rows waiting")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument(
        "--seconds", type=float, default=MIN_SECONDS, help="shortest loop per phase (s)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=MAX_SECONDS, help="longest loop per phase (s)"
    )
    parser.add_argument("--no-separate", action="store_true", help="skip phase 4")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="hard limit (s)")
    parser.add_argument(
        "--cache-metadata",
        action="store_true",
        help="experiment: in the hub (and drain) process, build head office's MetaData once for"
        " reference.record_edits instead of once a batch",
    )
    # the child processes this file starts
    parser.add_argument("--serve-hub", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--drain", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--enrol", default="", help=argparse.SUPPRESS)
    parser.add_argument("--code", default="", help=argparse.SUPPRESS)
    parser.add_argument("--trace", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_hub is not None:
        return serve_hub(args.serve_hub, args.port, args.enrol, args.trace, args.cache_metadata)
    if args.drain is not None:
        return drain_once(args.drain, args.code, args.trace, args.cache_metadata)
    children: list[Any] = []
    watchdog = Watchdog(args.timeout, children)
    watchdog.start()
    try:
        figures = measure(
            args.rows,
            args.clients,
            args.seconds,
            args.max_seconds,
            not args.no_separate,
            children,
            args.cache_metadata,
        )
    finally:
        watchdog.cancel()
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
