"""branches: many branches syncing at once into one head office, every row checked after.

A throwaway PostgreSQL 15 (tests/pg.py: loopback TCP, ``fsync=off``, ``max_connections``
raised to ``--branches`` + ``--processes`` + 50) is made head office (``headoffice init``).
``--branches`` simulated branches are spread over ``--processes`` worker processes, one thread
each (a real hub is a process of its own; 200 Python processes do not fit two cores, so the
hubs share processes and the head office side is what this measures). Each branch has:

- its own SQLite store, made by the real migrations (``open_store``), holding one business day
  played through the services: the demo's staff and windows, ``--tickets`` tickets issued and
  called at five windows (served, or missed, a tenth left waiting), two intake files with five
  documents each, the demo's policies imported, and a blank-form day for ten clerks (250 forms
  received, 25 issued to each, 20 printed on, one spoiled, the rest handed back). Each worker
  process plays its own day once (``--tickets`` plus 10 per process index, so the days differ)
  and gives each of its branches a copy of that file: playing 200 days through the services
  would take this machine most of an hour;
- its own head-office login (``admin.add_branch``, row-level security), and its own
  ``SyncWorker``, which claims the branch and checks the clock on connecting (``verify``), as the
  hub's does;
- after the start, a little live work while it syncs (``--live-ops`` tickets issued, every
  second one called and finished, one intake opened), one a second.

All branches start at one ``multiprocessing.Barrier``. Each drains with ``SyncWorker.drain`` and,
as the hub's worker does, drains again when a write wakes it, until its live work is done and
its outbox is empty: that is its drain time. When every branch has caught up (a second barrier),
each issues ``--steady-ops`` more tickets, one a second, and sends each at once (one small batch
a write, as a woken worker does during the day): head office's cost of a batch. Then every table
sent up is compared row by row, branch against head office (lost, duplicated, differing), and
head office's ``sync_batch`` must hold every outbox row each branch ever captured (its
``sqlite_sequence``), once.

    .venv/bin/python bench/branches.py [--branches 200] [--processes 8] [--timeout 1200]

Prints one JSON object: the catch-up's rows and rows/s at head office, per-branch drain
p50/p95/max, the steady phase's batches a second and PostgreSQL CPU a batch, errors, PostgreSQL
connections seen (sampled every 0.25 s), CPU seconds of PostgreSQL, of the simulated hubs and of
other processes for each phase, the database's growth per row, and the comparison. A watchdog
kills the worker processes (by pid), stops PostgreSQL and removes the temporary folder after
``--timeout``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __package__ in (None, ""):
    # Run as a file: the repository root instead of bench/, whose queue.py would hide the
    # standard library's (multiprocessing and psycopg import it).
    _HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    sys.path.insert(0, str(_HERE.parent))

from bench import common
from bench.common import CLOCK_TICKS, BenchResult, machine_info, percentile

NAME = "branches"
BRANCHES = 200
TICKETS = 300  # a mid-sized branch's day: half of bench/replication.py's busy one
LIVE_OPS = 6
LIVE_INTERVAL_S = 1.0
STEADY_OPS = 10
STEADY_INTERVAL_S = 1.0
TIMEOUT_S = 1200.0
BARRIER_S = 120.0  # the parent joins the barrier only once every branch is ready
SAMPLE_S = 0.25
PEAK_WINDOW_S = 10.0
CLERKS = 10
STACK = 25
USES = 20
DAY_RECEIVED = CLERKS * STACK
INTAKES = 2
DOCUMENTS = 5
RETRY_S = 1.0
FIRST_DAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 on a Monday in Shanghai
WINDOWS = {1: "A", 2: "A", 3: "B", 4: "C", 5: "D"}  # window: the service issued for it
DATABASE = "headoffice"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _default_processes(branches: int) -> int:
    return max(1, min(branches, 4 * len(os.sched_getaffinity(0))))


# --- one branch's day, through the services ---


def _actors() -> dict[str, Any]:
    from counter_app.domain.roles import Role
    from counter_app.services.actor import Actor

    def actor(username: str, role: Role) -> Actor:
        return Actor(username, f"bench-{username}", frozenset({role}))

    return {
        "guide": actor("guide", Role.GUIDE),
        "manager": actor("manager", Role.MANAGER),
        "back": actor("backoffice", Role.BACKOFFICE),
        "collector": actor("collector", Role.COLLECTOR),
        "clerks": [actor(f"clerk{n:02d}", Role.CLERK) for n in range(CLERKS)],
    }


def play_day(basedir: Path, tickets: int, tag: str) -> dict[str, Any]:
    """A new store (real migrations) and one business day through the services; returns
    what was done and the outbox rows it left, by table."""
    import tomllib

    from sqlalchemy import func, select

    from counter_app.config.basedir import Basedir
    from counter_app.config.resources import demo_policies_file
    from counter_app.config.settings import Settings
    from counter_app.domain.blank_forms import FormType
    from counter_app.hub.server import open_store
    from counter_app.services.actor import system_actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.demo import demo_file, load_demo
    from counter_app.services.intake import IntakeDesk, IntakeOpen
    from counter_app.services.policy_printing import PrintDesk
    from counter_app.services.queue import QueueDesk
    from counter_app.storage.models import SyncOutbox

    store, _ = open_store(Basedir(basedir).ensure())
    try:
        settings = Settings(None)
        load_demo(store, system_actor())
        forms = BlankFormDesk(store, settings)
        demo = tomllib.loads(demo_file().read_text(encoding="utf-8"))
        for item in demo.get("form_type", []):
            kind = FormType(item["code"], item["name"], item["prefix"], item["digits"])
            forms.define_type(system_actor(), kind)
        PrintDesk(store, forms).import_file(
            system_actor(), demo_policies_file().read_bytes(), "demo.json"
        )
        who = _actors()
        now = [FIRST_DAY]
        desk = QueueDesk(store, settings, lambda: now[0])
        calls = 0
        for n in range(tickets):
            window = n % len(WINDOWS) + 1
            desk.issue(who["guide"], WINDOWS[window])
            now[0] += timedelta(seconds=50)
            if n % 10 == 9:
                continue  # still waiting at closing time
            if desk.call_next(who["manager"], window) is None:
                continue
            calls += 1
            if n % 7 == 6:
                desk.no_show(who["manager"], window)
            elif n % 2:
                desk.start(who["manager"], window)
                desk.finish(who["manager"], window)
        intake = IntakeDesk(store, settings)
        intake.clock = lambda: now[0]
        for k in range(INTAKES):
            opened = intake.open(
                who["collector"], IntakeOpen(claim_number=f"DAY{tag}{k:08d}", claim_type="theft")
            )
            for item in opened.items[:DOCUMENTS]:
                intake.receive(who["collector"], opened.id, item.code, "original")
        forms.clock = lambda: now[0]
        jq = forms.form_type("JQ")
        first = 2_000_001
        forms.receive(who["back"], "JQ", jq.format(first), jq.format(first + DAY_RECEIVED - 1))
        top = first
        for clerk in who["clerks"]:
            forms.issue(
                who["back"], "JQ", jq.format(top), jq.format(top + STACK - 1), clerk.username
            )
            top += STACK
        for n, clerk in enumerate(who["clerks"]):
            for use in range(USES):
                forms.use(clerk, "JQ", f"PDAA{tag}{n:02d}{use:05d}")
            spoiled = top - (CLERKS - n) * STACK + USES
            forms.void(clerk, "JQ", jq.format(spoiled), "套打错位", who["manager"])
            forms.write_off_all(who["back"], "JQ", clerk.username)
            forms.take_back(
                who["back"],
                "JQ",
                jq.format(spoiled + 1),
                jq.format(top - (CLERKS - n - 1) * STACK - 1),
                clerk.username,
            )
        with store.read() as session:
            by_table = dict(
                session.execute(
                    select(SyncOutbox.table_name, func.count()).group_by(SyncOutbox.table_name)
                ).all()
            )
    finally:
        store.dispose()
    return {
        "tickets": tickets,
        "calls": calls,
        "intake_files": INTAKES,
        "forms_used": CLERKS * USES,
        "outbox_rows": sum(by_table.values()),
        "outbox_by_table": {str(k): int(v) for k, v in sorted(by_table.items())},
    }


# --- a worker process: its branches, each a thread ---


def _dsn(host: str, port: int, user: str, password: str) -> str:
    return (
        f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{port}/{DATABASE}"
    )


def _last_seq(store: Any) -> int:
    """The outbox's AUTOINCREMENT high-water mark: every row it ever captured."""
    from sqlalchemy import text

    with store.read() as session:
        value = session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'")
        ).scalar()
    return int(value or 0)


class _Branch:
    def __init__(self, code: str, basedir: Path, dsn: str) -> None:
        from counter_app.config.basedir import Basedir
        from counter_app.hub.server import open_store
        from counter_app.sync import outbox
        from counter_app.sync.enrolment import Enrolled, engine_for, verify
        from counter_app.sync.worker import SyncWorker

        self.code = code
        self.number = int(code[1:])  # for a claim number (letters, then 10 to 20 digits)
        self.store, _ = open_store(Basedir(basedir).ensure())
        self.wake = threading.Event()
        self.store.after_commit.append(self.wake.set)  # as the hub nudges its worker
        link = Enrolled(code, dsn, uuid.uuid4().hex)
        self.worker = SyncWorker(
            self.store,
            code,
            lambda: engine_for(link),
            verify=lambda connection: verify(connection, link),
        )
        self.backlog = outbox.waiting(self.store)
        self.seq_before = _last_seq(self.store)
        self._sent_seq = self.seq_before
        self.result: dict[str, Any] = {"code": code, "backlog": self.backlog, "errors": []}

    def run(
        self, barrier: Any, steady: Any, deadline: float, live_ops: int, steady_ops: int
    ) -> None:
        try:
            self._catch_up(barrier, deadline, live_ops)
        finally:
            try:
                steady.wait(max(1.0, deadline - time.monotonic()))
            except threading.BrokenBarrierError:
                self.result["errors"].append("steady barrier broken")
            else:
                self._steady(steady_ops, deadline)
        # every row captured, both phases: what head office's sync_batch must hold
        self.result["live_rows"] = _last_seq(self.store) - self.seq_before

    def _catch_up(self, barrier: Any, deadline: float, live_ops: int) -> None:
        from counter_app.sync import outbox

        result = self.result
        try:
            barrier.wait(max(1.0, deadline - time.monotonic()))
        except threading.BrokenBarrierError:
            result["errors"].append("barrier broken")
            return
        started = time.monotonic()
        result["started"] = started
        writer = threading.Thread(target=self._live, args=(live_ops, deadline), daemon=True)
        writer.start()
        batches = 0
        while time.monotonic() < deadline:
            self.wake.clear()
            try:
                batches += self.worker.drain()
            except Exception as exc:
                result["errors"].append(f"drain: {type(exc).__name__}: {exc}"[:300])
                time.sleep(RETRY_S)
                continue
            result.setdefault("backlog_s", time.monotonic() - started)  # first time empty
            if not writer.is_alive() and outbox.waiting(self.store) == 0:
                result["drain_s"] = time.monotonic() - started
                self._sent_seq = _last_seq(self.store)
                break
            self.wake.wait(0.5)
        else:
            result["errors"].append("timed out")
        writer.join(timeout=max(0.1, deadline - time.monotonic()))
        result["batches"] = batches

    def _steady(self, ops: int, deadline: float) -> None:
        """The day after catching up: each write is sent at once, as the hub's worker does when
        a commit wakes it, so head office gets one small batch a write."""
        from counter_app.config.settings import Settings
        from counter_app.services.queue import QueueDesk

        who = _actors()
        desk = QueueDesk(self.store, Settings(None))
        took: list[float] = []
        rows = 0
        slot = time.monotonic()
        for n in range(ops):
            if time.monotonic() > deadline:
                self.result["errors"].append("steady: timed out")
                break
            time.sleep(max(0.0, slot - time.monotonic()))
            try:
                desk.issue(who["guide"], WINDOWS[n % len(WINDOWS) + 1])
                started = time.monotonic()
                waiting = _last_seq(self.store)
                self.worker.drain()
                took.append(time.monotonic() - started)
                rows += waiting - self._sent_seq
                self._sent_seq = waiting
            except Exception as exc:
                self.result["errors"].append(f"steady: {type(exc).__name__}: {exc}"[:300])
            slot += STEADY_INTERVAL_S
        self.result["steady_ms"] = [round(t * 1000, 2) for t in took]
        self.result["steady_rows"] = rows

    def _live(self, ops: int, deadline: float) -> None:
        """A little counter work while the backlog drains, one operation a second."""
        from counter_app.config.settings import Settings
        from counter_app.services.intake import IntakeDesk, IntakeOpen
        from counter_app.services.queue import QueueDesk

        who = _actors()
        settings = Settings(None)
        desk = QueueDesk(self.store, settings)
        try:
            for n in range(ops):
                if time.monotonic() > deadline:
                    return
                window = n % len(WINDOWS) + 1
                desk.issue(who["guide"], WINDOWS[window])
                if n % 2 and desk.call_next(who["manager"], window) is not None:
                    desk.finish(who["manager"], window)
                if n == ops // 2:
                    intake = IntakeDesk(self.store, settings)
                    opened = intake.open(
                        who["collector"],
                        IntakeOpen(claim_number=f"LIVE{self.number:010d}", claim_type="theft"),
                    )
                    intake.receive(who["collector"], opened.id, opened.items[0].code, "original")
                time.sleep(LIVE_INTERVAL_S)
        except Exception as exc:
            self.result["errors"].append(f"live: {type(exc).__name__}: {exc}"[:300])

    def close(self) -> None:
        self.worker.stop()
        self.store.dispose()


def compare(store: Any, office: Any, code: str) -> dict[str, int]:
    """Branch against head office, every table sent up, counted rather than asserted."""
    from sqlalchemy import func, select

    from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
    from counter_app.sync import outbox
    from counter_app.sync.tables import UP
    from tests.sync_support import branch_rows, office_rows

    tables = headoffice_metadata().tables
    counts = {
        "branch_rows": 0,
        "office_rows": 0,
        "lost": 0,
        "duplicated": 0,
        "differing": 0,
        "outbox_left": outbox.waiting(store),
    }
    for name in UP:
        branch, there = branch_rows(store, name), office_rows(office, code, name)
        table = tables[name]
        with office.connect() as connection:
            stored = int(
                connection.scalar(
                    select(func.count()).select_from(table).where(table.c[BRANCH_CODE] == code)
                )
                or 0
            )
        counts["branch_rows"] += len(branch)
        counts["office_rows"] += stored
        counts["lost"] += len(set(branch) - set(there))
        # rows the branch does not have, and a key stored more than once
        counts["duplicated"] += len(set(there) - set(branch)) + stored - len(there)
        counts["differing"] += sum(1 for k, row in branch.items() if k in there and there[k] != row)
    with office.connect() as connection:
        batches, rows = connection.execute(
            select(func.count(), func.coalesce(func.sum(tables["sync_batch"].c.rows), 0)).where(
                tables["sync_batch"].c[BRANCH_CODE] == code
            )
        ).one()
    counts["batches_recorded"] = int(batches)
    counts["outbox_rows_recorded"] = int(rows)
    return counts


def worker_process(
    index: int,
    codes: Sequence[str],
    root: str,
    office: dict[str, Any],
    barrier: Any,
    steady: Any,
    out: Any,
    deadline: float,
    options: dict[str, Any],
) -> None:
    """One worker process: plays its day, gives each of its branches a copy and a login,
    drains them all at the barrier's signal, then compares each with head office."""
    from counter_app.headoffice import admin
    from tests.sync_support import engine

    branches: list[_Branch] = []
    try:
        began = time.monotonic()
        template = Path(root) / f"day{index:02d}"
        day = play_day(template, options["tickets"] + 10 * index, f"{index:02d}")
        played_s = time.monotonic() - began
        admin_dsn = _dsn(office["host"], office["port"], office["user"], office["password"])
        for code in codes:
            basedir = Path(root) / code
            shutil.copytree(template, basedir)
            login = admin.add_branch(admin_dsn, code, f"bench {code}")
            dsn = _dsn(office["host"], office["port"], login.login_role, login.password)
            branches.append(_Branch(code, basedir, dsn))
        threads = [
            threading.Thread(
                target=b.run,
                args=(barrier, steady, deadline, options["live_ops"], options["steady_ops"]),
                daemon=True,
            )
            for b in branches
        ]
        for thread in threads:
            thread.start()
        out.put(("ready", index, {"day": day, "play_s": round(played_s, 1)}))
        barrier.wait(max(1.0, deadline - time.monotonic()))
        cpu_start = sum(os.times()[:2])
        steady.wait(max(1.0, deadline - time.monotonic()))
        cpu_steady = sum(os.times()[:2])
        for thread in threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        cpu_end = sum(os.times()[:2])
        cpu_s = cpu_steady - cpu_start  # the branches' catch-up and live work
        out.put(("steady_done", index, {"cpu_s": cpu_end - cpu_steady}))
        office_engine = engine(admin_dsn)
        try:
            results = []
            for branch in branches:
                result = dict(branch.result)
                if time.monotonic() < deadline:
                    result.update(compare(branch.store, office_engine, branch.code))
                else:
                    result["errors"].append("no time left to compare")
                results.append(result)
        finally:
            office_engine.dispose()
        cpu_all_s = sum(os.times()[:2]) - cpu_start  # both phases and the comparisons
        out.put(("done", index, {"branches": results, "cpu_s": cpu_s, "cpu_all_s": cpu_all_s}))
    except Exception:
        out.put(("error", index, traceback.format_exc()))
    finally:
        for branch in branches:
            with contextlib.suppress(Exception):
                branch.close()


# --- the parent: head office, the start, the watch, the sums ---


def _process_tree_cpu_s(root_pid: int) -> float:
    """CPU seconds of a process and its children (with the children it reaped)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue  # ended meanwhile
        if pid == root_pid or int(fields[1]) == root_pid:
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / CLOCK_TICKS


def _machine_busy_s() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def _mem_available_mb() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) // 1024
    return 0


class Watchdog(common.Watchdog):
    """After ``seconds``: kill the worker processes by pid, stop PostgreSQL, remove the
    temporary folder and end this process."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.processes: list[Any] = []
        self.server: Any = None
        self.root: Path | None = None

    def expire(self) -> None:
        log(f"branches bench: timed out after {self._seconds:.0f} s; stopping everything")
        for process in self.processes:
            with contextlib.suppress(Exception):
                process.kill()
        if self.server is not None:
            with contextlib.suppress(Exception):
                self.server.close()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
        os._exit(124)


def _sample(connection: Any) -> tuple[int, int, int]:
    """(branch logins connected, all backends of the database, outbox rows applied so far)."""
    row = connection.execute(
        "SELECT count(*) FILTER (WHERE usename LIKE 'branch\\_%%'), count(*)"
        " FROM pg_stat_activity WHERE datname = %s",
        (DATABASE,),
    ).fetchone()
    applied = connection.execute("SELECT coalesce(sum(rows), 0) FROM sync_batch").fetchone()
    return int(row[0]), int(row[1]), int(applied[0])


def _scalar(connection: Any, statement: str) -> int:
    row = connection.execute(statement).fetchone()
    return int(row[0]) if row is not None else 0


def _database_size(connection: Any) -> dict[str, int]:
    from counter_app.sync.tables import UP

    size = connection.execute("SELECT pg_database_size(%s)", (DATABASE,)).fetchone()
    tables = connection.execute(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
        " WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
        (list(UP),),
    ).fetchone()
    return {"database_bytes": int(size[0]), "up_tables_bytes": int(tables[0])}


def measure(
    branches: int = BRANCHES,
    processes: int | None = None,
    tickets: int = TICKETS,
    live_ops: int = LIVE_OPS,
    steady_ops: int = STEADY_OPS,
    timeout: float = TIMEOUT_S,
    watchdog: Watchdog | None = None,
) -> dict[str, Any]:
    import queue as stdlib_queue  # here: run as a file, bench/queue.py hid it until the path fix

    import psycopg

    from counter_app.headoffice import admin
    from counter_app.sync import outbox
    from tests.pg import ThrowawayPostgres

    processes = processes or _default_processes(branches)
    processes = max(1, min(processes, branches))
    deadline = time.monotonic() + timeout - 30  # the rest: comparing and cleaning up
    max_connections = branches + processes + 50
    # a worker process ~250 MB with its branches' batches, a PostgreSQL backend ~10 MB
    needed_mb = processes * 250 + branches * 15
    available_mb = _mem_available_mb()
    if needed_mb > available_mb * 0.7:
        raise RuntimeError(
            f"{processes} processes and {branches} branches need about {needed_mb} MB;"
            f" {available_mb} MB available: use fewer"
        )
    codes = [f"B{n:04d}" for n in range(1, branches + 1)]
    shares = [codes[i::processes] for i in range(processes)]
    context = multiprocessing.get_context("spawn")  # no inherited sockets, threads or locks
    # every branch, each worker process's main thread (for its CPU clock) and this one
    barrier = context.Barrier(branches + processes + 1)
    steady = context.Barrier(branches + processes + 1)  # every branch caught up
    out = context.Queue()
    began = time.monotonic()
    root = Path(tempfile_root())
    server = ThrowawayPostgres(settings={"max_connections": str(max_connections)})
    workers: list[Any] = []
    if watchdog is not None:
        watchdog.root, watchdog.server = root, server
    try:
        server.start()
        dsn = server.create_database(DATABASE)
        admin.init(dsn)
        postmaster = server.pid
        assert postmaster is not None
        office = {
            "host": server.host,
            "port": server.port,
            "user": server.superuser,
            "password": server.password,
        }
        for index, share in enumerate(shares):
            process = context.Process(
                target=worker_process,
                args=(
                    index,
                    share,
                    str(root),
                    office,
                    barrier,
                    steady,
                    out,
                    deadline,
                    {"tickets": tickets, "live_ops": live_ops, "steady_ops": steady_ops},
                ),
                name=f"branches-{index}",
                daemon=True,
            )
            process.start()
            workers.append(process)
            if watchdog is not None:
                watchdog.processes.append(process)
        log(f"  {processes} worker processes for {branches} branches: playing the days")
        ready: dict[int, Any] = {}
        failures: list[str] = []
        while len(ready) < processes and time.monotonic() < deadline:
            try:
                kind, index, payload = out.get(timeout=1.0)
            except stdlib_queue.Empty:
                if any(not p.is_alive() for p in workers):
                    failures.append("a worker process ended before it was ready")
                    break
                continue
            if kind == "ready":
                ready[index] = payload
            else:
                failures.append(str(payload))
                break
        if failures or len(ready) < processes:
            barrier.abort()
            steady.abort()
            raise RuntimeError(f"set-up failed: {failures[:1] or 'timed out'}")
        setup_s = time.monotonic() - began
        log(f"  ready after {setup_s:.0f} s; starting all {branches} branches at once")
        with psycopg.connect(dsn, autocommit=True) as watch:
            size_before = _database_size(watch)
            marks: dict[str, tuple[float, float, float, float]] = {}

            def mark(name: str) -> None:
                # (time, PostgreSQL's CPU, the machine's busy CPU, this process's CPU)
                times = os.times()
                marks[name] = (
                    time.monotonic(),
                    _process_tree_cpu_s(postmaster),
                    _machine_busy_s(),
                    times.user + times.system,
                )

            mark("start")
            barrier.wait(BARRIER_S)
            start = time.monotonic()

            def caught_up() -> None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    steady.wait(max(1.0, deadline - time.monotonic()))
                    mark("caught_up")

            waiter = threading.Thread(target=caught_up, daemon=True)
            waiter.start()
            timeline: list[tuple[float, int]] = []
            max_logins = max_backends = 0
            done: dict[int, Any] = {}
            steady_done: dict[int, Any] = {}
            while len(done) < processes and time.monotonic() < deadline + 20:
                logins, backends, applied = _sample(watch)
                max_logins, max_backends = max(max_logins, logins), max(max_backends, backends)
                timeline.append((time.monotonic() - start, applied))
                try:
                    kind, index, payload = out.get(timeout=SAMPLE_S)
                except stdlib_queue.Empty:
                    continue
                if kind == "done":
                    done[index] = payload
                elif kind == "steady_done":
                    steady_done[index] = payload
                    if len(steady_done) == processes:
                        mark("steady_done")
                else:
                    failures.append(str(payload))
            waiter.join(timeout=5)
            size_after = _database_size(watch)
            has_edits = _scalar(
                watch, "SELECT count(*) FROM pg_class WHERE relname = 'reference_edit'"
            )
            edits = _scalar(watch, "SELECT count(*) FROM reference_edit") if has_edits else None
        for process in workers:
            process.join(timeout=30)
    finally:
        for process in workers:
            if process.is_alive():
                process.kill()
                process.join(timeout=10)
        server.close()
        shutil.rmtree(root, ignore_errors=True)

    results = [b for payload in done.values() for b in payload["branches"]]
    drains = [b["drain_s"] for b in results if "drain_s" in b]
    ends = [b["started"] + b["drain_s"] for b in results if "drain_s" in b]
    errors = [e for b in results for e in b["errors"]] + failures
    wall = (max(ends) - start) if ends else None
    rows = sum(b.get("outbox_rows_recorded", 0) for b in results)
    captured = sum(b["backlog"] + b.get("live_rows", 0) for b in results)
    steady_rows = sum(b.get("steady_rows", 0) for b in results)
    catch_up_rows = rows - steady_rows
    office_rows = sum(b.get("office_rows", 0) for b in results)
    steady_ms = [t for b in results for t in b.get("steady_ms", [])]
    nproc = len(os.sched_getaffinity(0))

    def phase(first: str, last: str, hubs_cpu: float) -> dict[str, Any]:
        """Seconds and CPU between two marks; "other" is the rest of the machine's CPU."""
        if first not in marks or last not in marks:
            return {}
        (t0, pg0, busy0, own0), (t1, pg1, busy1, own1) = marks[first], marks[last]
        seconds, pg = t1 - t0, pg1 - pg0
        others = max(0.0, (busy1 - busy0) - pg - (own1 - own0) - hubs_cpu)
        return {
            "seconds": round(seconds, 2),
            "postgres_cpu_s": round(pg, 2),
            "hubs_cpu_s": round(hubs_cpu, 1),
            "other_processes_percent": round(others / (seconds * nproc) * 100, 1),
        }

    catching = phase("start", "caught_up", sum(float(p["cpu_s"]) for p in done.values()))
    steadily = phase(
        "caught_up", "steady_done", sum(float(p["cpu_s"]) for p in steady_done.values())
    )
    pg_catch_up = catching.get("postgres_cpu_s")
    pg_steady = steadily.get("postgres_cpu_s")
    grown = size_after["database_bytes"] - size_before["database_bytes"]
    return {
        "branches": branches,
        "processes": processes,
        "branches_per_process": [len(s) for s in shares],
        "missing_results": branches - len(results),
        "backlog_rows": sum(b["backlog"] for b in results),
        "backlog_rows_per_branch": _spread([b["backlog"] for b in results]),
        "live_rows": sum(b.get("live_rows", 0) for b in results) - steady_rows,
        "catch_up_rows": catch_up_rows,
        "wall_s": round(wall, 2) if wall else None,
        "rows_per_s": round(catch_up_rows / wall) if wall else None,
        "peak_rows_per_s_10s": _peak_per_second(timeline),
        "backlog_s": _quantiles([b["backlog_s"] for b in results if "backlog_s" in b]),
        "drain_s": _quantiles(drains),
        "batches": sum(b.get("batches", 0) for b in results),
        "catch_up": {
            **catching,
            "postgres_ms_per_1000_rows": round(pg_catch_up / catch_up_rows * 1e6, 1)
            if pg_catch_up and catch_up_rows
            else None,
        },
        "steady": {
            **steadily,
            "batches": len(steady_ms),
            "rows": steady_rows,
            "batches_per_s": round(len(steady_ms) / steadily["seconds"], 1)
            if steadily.get("seconds")
            else None,
            "postgres_cpu_ms_per_batch": round(pg_steady / len(steady_ms) * 1000, 2)
            if pg_steady and steady_ms
            else None,
            "hub_drain_ms": _quantiles(steady_ms),
        },
        "rows": rows,
        "rows_captured": captured,
        "office_rows": office_rows,
        "errors": len(errors),
        "first_errors": errors[:5],
        "lost": sum(b.get("lost", 0) for b in results)
        + max(0, captured - rows - sum(b.get("outbox_left", 0) for b in results)),
        "duplicated": sum(b.get("duplicated", 0) for b in results),
        "differing": sum(b.get("differing", 0) for b in results),
        "outbox_left": sum(b.get("outbox_left", 0) for b in results),
        "branches_compared": sum(1 for b in results if "branch_rows" in b),
        "reference_edit_rows": edits,
        "connections": {
            "max_connections_set": max_connections,
            "branch_logins_max": max_logins,
            "backends_max": max_backends,
            "sampled_every_s": SAMPLE_S,
        },
        "size": {
            "before": size_before,
            "after": size_after,
            "database_growth_bytes": grown,
            "bytes_per_office_row": round(grown / office_rows) if office_rows else None,
            "up_tables_bytes_per_office_row": round(
                (size_after["up_tables_bytes"] - size_before["up_tables_bytes"]) / office_rows
            )
            if office_rows
            else None,
        },
        "day": {str(k): v["day"] for k, v in sorted(ready.items())},
        "tickets_base": tickets,
        "live_ops": live_ops,
        "steady_ops": steady_ops,
        "batch_rows": outbox.BATCH_ROWS,
        "catch_up_batch_rows": outbox.CATCH_UP_ROWS,
        "setup_s": round(setup_s, 1),
        "postgres": f"15 on loopback TCP, fsync=off, max_connections={max_connections}"
        " (tests/pg.py); branch logins commit with synchronous_commit=on (add-branch)",
        "machine": machine_info(),
    }


def _peak_per_second(timeline: Sequence[tuple[float, int]]) -> int | None:
    """The most outbox rows a second head office committed in any window of PEAK_WINDOW_S.
    A batch counts when it commits: over a second, a few 5,000-row commits landing together
    would read as a rate no drain had, so the window is longer."""
    best = 0
    for i, (t0, rows0) in enumerate(timeline):
        for t1, rows1 in timeline[i + 1 :]:
            if t1 - t0 >= PEAK_WINDOW_S:
                best = max(best, round((rows1 - rows0) / (t1 - t0)))
                break
    return best or None


def _quantiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "max": None, "min": None}
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2),
        "min": round(min(values), 2),
    }


def _spread(values: Sequence[int]) -> dict[str, float | None]:
    if not values:
        return {"min": None, "median": None, "max": None}
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def tempfile_root() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="counter-bench-branches-")


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench branches``."""
    figures = measure(20 if quick else BRANCHES, tickets=60 if quick else TICKETS)
    result = BenchResult(
        NAME,
        "many branches syncing into one head office at once",
        params={
            "branches": figures["branches"],
            "processes": figures["processes"],
            "backlog_rows": figures["backlog_rows"],
            "connections": figures["connections"],
        },
    )
    result.add("rows applied at head office (catch-up)", figures["catch_up_rows"], "rows")
    result.add("wall time", figures["wall_s"], "s")
    result.add("head office", figures["rows_per_s"], "rows/s")
    result.add("drain p50", figures["drain_s"]["p50"], "s")
    result.add("drain p95", figures["drain_s"]["p95"], "s")
    result.add("drain max", figures["drain_s"]["max"], "s")
    result.add("errors", figures["errors"], "", "0")
    result.add("lost", figures["lost"], "rows", "0")
    result.add("duplicated", figures["duplicated"], "rows", "0")
    result.add("branch logins connected (max)", figures["connections"]["branch_logins_max"], "")
    result.add("steady: batches", figures["steady"]["batches_per_s"], "batches/s")
    result.add(
        "steady: PostgreSQL CPU a batch", figures["steady"]["postgres_cpu_ms_per_batch"], "ms"
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--branches", type=int, default=BRANCHES)
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="worker processes the branches are spread over (default 4 x CPUs)",
    )
    parser.add_argument("--tickets", type=int, default=TICKETS, help="tickets in a branch's day")
    parser.add_argument("--live-ops", type=int, default=LIVE_OPS, help="tickets issued live")
    parser.add_argument(
        "--steady-ops",
        type=int,
        default=STEADY_OPS,
        help="after catching up: tickets per branch, each sent at once (one a second)",
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="hard limit (s)")
    args = parser.parse_args(argv)
    if args.branches < 1 or args.timeout < 60:
        parser.error("at least one branch and 60 s")
    watchdog = Watchdog(args.timeout)
    watchdog.start()
    try:
        figures = measure(
            args.branches,
            args.processes,
            args.tickets,
            args.live_ops,
            args.steady_ops,
            args.timeout,
            watchdog,
        )
    finally:
        watchdog.cancel()
    print(json.dumps(figures, ensure_ascii=False))
    return 0 if figures["errors"] == 0 and figures["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
