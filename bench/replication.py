"""replication: a branch's backlog ingested at head office, against a raw COPY of the same rows.

A throwaway PostgreSQL 15 (tests/pg.py: loopback TCP, ``fsync=off``) is started and made head
office (``headoffice init``, then one branch added per drain below, each with its own login
sealed by row-level security). A demo branch store plays a busy week through the services, on
a clock moved day by day: 600 tickets a day issued and called at five windows (served, or
missed, a tenth left waiting), ten clerks each issued 25 blank forms in the morning, printing
on 20, spoiling one and handing back the rest in the evening, and one allocation of 5,000
forms received. That store's outbox (the demo's own rows and the week's) is the week's
backlog. A copy of it then receives further allocations (a ``blank_form_serial`` and a
``blank_form_movement`` row a form) until ``--rows`` outbox rows wait: the big backlog.

The week's backlog is drained once, and ``--repeat`` copies of the big backlog one after
another, each as another branch, the way the hub does it: ``SyncWorker.drain`` through the
branch's own login, in batches of ``outbox.BATCH_ROWS`` and, while catching up,
``--catch-up-rows``. After each big drain, the same rows as the branch now has them (head
office's columns, the values already in Python) are written by psycopg as superuser with one
raw ``COPY`` per table into tables of the same shape (``LIKE ... INCLUDING ALL``: columns,
keys and indexes; every repetition's copies go into the same tables, as the drains do): once
in COPY's default text format, the goal's yardstick, and once in binary. Each is timed, with
the CPU seconds this process and PostgreSQL used. After each drain every table sent up is
compared row by row, branch against head office, and what differs is counted.

    .venv/bin/python bench/replication.py [--rows 100000] [--repeat 3] [--catch-up-rows 5000]

Prints one JSON object: ``rows_per_s`` (outbox rows drained a second; goal ≥ 10,000),
``copy_rows_per_s`` (text COPY, rows a second) and ``ratio``, the first over the second (goal
≥ 0.25); ``time_ratio`` (copy seconds over drain seconds: stricter, as several outbox rows of
a row are one row copied), ``cpu_ratio`` (the same in CPU seconds of this process and
PostgreSQL), ``copy_binary_rows_per_s`` and ``ratio_to_binary``; each the median of the
repetitions, which are in ``runs``. Then ``week_drain_s`` (goal < 10 s); ``lost``,
``duplicated`` and ``differing`` summed over every drain (goal 0); the batch sizes, other
processes' share of the CPU during each phase, and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file: the repository root instead of bench/, whose queue.py would hide the
    # standard library's (psycopg imports it).
    _HERE = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    sys.path.insert(0, str(_HERE.parent))

from bench.common import CLOCK_TICKS, BenchResult, machine_info, temp_dir

NAME = "replication"
ROWS = 100_000
REPEAT = 3
DAYS = 7
TICKETS_PER_DAY = 600
CLERKS = 10
STACK = 25  # forms issued to a clerk each morning
USES = 20  # of which printed on
WEEK_ALLOCATION = 5_000
TOP_UP_TYPE = "SY"  # the allocations that fill the backlog up to --rows
TOP_UP_FIRST = 5_000_001
COPY_SCHEMAS = {"text": "bench_copy", "binary": "bench_copy_binary"}
FIRST_DAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 on a Monday in Shanghai
WINDOWS = {1: "A", 2: "A", 3: "B", 4: "C", 5: "D"}  # window: the service issued for it


def _busy_week(store: Any) -> dict[str, int]:
    """Seven busy days through the services; returns how many of each thing happened."""
    from sqlalchemy import select

    from counter_app.config.settings import Settings
    from counter_app.domain.roles import Role
    from counter_app.services.actor import Actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.queue import QueueDesk
    from counter_app.storage.models import Staff

    def staff(username: str) -> Actor:
        with store.read() as session:
            row = session.scalar(select(Staff).where(Staff.username == username))
            assert row is not None
            return Actor(username, f"desk-{username}", frozenset(Role(r.role) for r in row.roles))

    settings = Settings(None)
    now = [FIRST_DAY]
    queue = QueueDesk(store, settings, lambda: now[0])
    forms = BlankFormDesk(store, settings)
    forms.clock = lambda: now[0]
    guide, manager, back = staff("guide"), staff("manager"), staff("backoffice")
    clerks = [Actor(f"clerk{n:02d}", "bench", frozenset({Role.CLERK})) for n in range(CLERKS)]
    jq = forms.form_type("JQ")
    first = 2_000_001
    forms.receive(back, "JQ", jq.format(first), jq.format(first + WEEK_ALLOCATION - 1))
    done = {"tickets": 0, "calls": 0, "forms_used": 0}
    top = first
    for day in range(DAYS):
        now[0] = FIRST_DAY + timedelta(days=day)
        for clerk in clerks:
            forms.issue(back, "JQ", jq.format(top), jq.format(top + STACK - 1), clerk.username)
            top += STACK
        for n in range(TICKETS_PER_DAY):
            window = n % len(WINDOWS) + 1
            queue.issue(guide, WINDOWS[window])
            done["tickets"] += 1
            now[0] += timedelta(seconds=50)
            if n % 10 == 9:
                continue  # still waiting at closing time
            if queue.call_next(manager, window) is None:
                continue
            done["calls"] += 1
            if n % 7 == 6:
                queue.no_show(manager, window)
            elif n % 2:
                queue.start(manager, window)
                queue.finish(manager, window)
        for n, clerk in enumerate(clerks):
            for use in range(USES):
                forms.use(clerk, "JQ", f"PDAA{now[0]:%Y%m%d}{n:02d}{use:05d}")
                done["forms_used"] += 1
            spoiled = top - (CLERKS - n) * STACK + USES
            forms.void(clerk, "JQ", jq.format(spoiled), "套打错位", manager)
            forms.write_off_all(back, "JQ", clerk.username)
            forms.take_back(
                back,
                "JQ",
                jq.format(spoiled + 1),
                jq.format(top - (CLERKS - n - 1) * STACK - 1),
                clerk.username,
            )
    return done


def _top_up(store: Any, rows: int) -> int:
    """Allocations received until ``rows`` outbox rows wait; returns the forms received."""
    from counter_app.config.settings import Settings
    from counter_app.domain.blank_forms import MAX_RANGE
    from counter_app.domain.roles import Role
    from counter_app.services.actor import Actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.sync import outbox

    forms = BlankFormDesk(store, Settings(None))
    back = Actor("backoffice", "bench", frozenset({Role.BACKOFFICE}))
    kind = forms.form_type(TOP_UP_TYPE)
    first = TOP_UP_FIRST
    while (missing := rows - outbox.waiting(store)) > 0:
        count = min(MAX_RANGE, max(1, (missing + 1) // 2))  # two outbox rows a form
        forms.receive(back, TOP_UP_TYPE, kind.format(first), kind.format(first + count - 1))
        first += count
    return first - TOP_UP_FIRST


def _outbox_by_table(store: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from counter_app.storage.models import SyncOutbox

    with store.read() as session:
        rows = session.execute(
            select(SyncOutbox.table_name, func.count()).group_by(SyncOutbox.table_name)
        ).all()
    return {str(name): int(count) for name, count in sorted(rows)}


class _Cpu:
    """Wall and CPU seconds of one phase: this process's, PostgreSQL's, and the rest of the
    machine's as a share of all its CPUs meanwhile."""

    def __init__(self, postmaster: int) -> None:
        self._postmaster = postmaster
        self._start = self._now()

    def _now(self) -> tuple[float, float, float, float]:
        own = os.times()
        return (
            time.perf_counter(),
            own.user + own.system,
            _postgres_cpu_s(self._postmaster),
            _machine_busy_s(),
        )

    def stop(self) -> dict[str, float]:
        wall, own, postgres, busy = (b - a for a, b in zip(self._start, self._now(), strict=True))
        others = max(0.0, busy - own - postgres) / (wall * len(os.sched_getaffinity(0))) * 100
        return {
            "seconds": round(wall, 3),
            "python_cpu_s": round(own, 2),
            "postgres_cpu_s": round(postgres, 2),
            "other_processes_cpu_percent": round(others, 1),
        }


def _postgres_cpu_s(postmaster: int) -> float:
    """CPU seconds of the postmaster and its children, with the children it has reaped
    (every backend that ended)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if pid == postmaster or int(fields[1]) == postmaster:
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / CLOCK_TICKS


def _machine_busy_s() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def _drain(
    store: Any, code: str, branch_dsn: str, catch_up_rows: int, postmaster: int
) -> dict[str, Any]:
    """The hub's own path: the sync worker's drain through the branch's login, timed."""
    from counter_app.sync.enrolment import Enrolled, engine_for
    from counter_app.sync.worker import SyncWorker

    def connect() -> Any:
        return engine_for(Enrolled(code, branch_dsn))

    worker = SyncWorker(store, code, connect, catch_up_rows=catch_up_rows)
    try:
        probe = _Cpu(postmaster)
        batches = worker.drain()
        # before the login's connection closes: a backend that ended is counted only once
        # the postmaster has reaped it
        return {**probe.stop(), "batches": batches}
    finally:
        worker.stop()


def _branch_tuples(store: Any, code: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table sent up, as head office's columns (branch code first)."""
    from psycopg.types.json import Jsonb
    from sqlalchemy import JSON, select

    from counter_app.storage.models import Base
    from counter_app.sync.tables import UP

    found: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as session:
        for name in UP:
            table = Base.metadata.tables[name]
            json_columns = [isinstance(c.type, JSON) for c in table.columns]
            found[name] = [
                (
                    code,
                    *(
                        Jsonb(v) if is_json else v
                        for v, is_json in zip(row, json_columns, strict=True)
                    ),
                )
                for row in session.execute(select(table))
            ]
    return found


def _copy_tables(dsn: str, names: Sequence[str]) -> None:
    """Tables of the same shape as head office's, in a schema for each COPY format."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn) as conn:
        for schema in COPY_SCHEMAS.values():
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            for name in names:
                conn.execute(
                    sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(
                        sql.Identifier(schema, name), sql.Identifier("public", name)
                    )
                )


def _raw_copy(
    dsn: str, rows: dict[str, list[tuple[Any, ...]]], postmaster: int, binary: bool
) -> dict[str, Any]:
    """One COPY per table, in one transaction, timed from connecting to the commit."""
    import psycopg
    from psycopg import sql

    schema = COPY_SCHEMAS["binary" if binary else "text"]
    probe = _Cpu(postmaster)
    with psycopg.connect(dsn) as conn:
        with conn.cursor() as cursor:
            for name, table_rows in rows.items():
                if not table_rows:
                    continue
                target = sql.Identifier(schema, name)
                statement = sql.SQL("COPY {} FROM STDIN" + (" (FORMAT BINARY)" if binary else ""))
                # asked before the COPY: the connection answers nothing else during one
                types = _column_types(cursor, schema, name) if binary else []
                with cursor.copy(statement.format(target)) as copy:
                    if binary:
                        copy.set_types(types)
                    for row in table_rows:
                        copy.write_row(row)
        conn.commit()
        return {**probe.stop(), "rows": sum(len(r) for r in rows.values())}


def _column_types(cursor: Any, schema: str, name: str) -> list[int]:
    found = cursor.execute(
        "SELECT atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped ORDER BY attnum",
        (f'"{schema}"."{name}"',),
    ).fetchall()
    return [int(row[0]) for row in found]


def _compare(store: Any, office: Any, code: str) -> dict[str, int]:
    """Branch against head office, every table sent up, counted rather than asserted."""
    from sqlalchemy import func, select

    from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
    from counter_app.sync import outbox
    from counter_app.sync.tables import UP
    from tests.sync_support import branch_rows, office_rows

    tables = headoffice_metadata().tables
    counts = {"branch_rows": 0, "lost": outbox.waiting(store), "duplicated": 0, "differing": 0}
    for name in UP:
        branch, there = branch_rows(store, name), office_rows(office, code, name)
        table = tables[name]
        with office.connect() as connection:
            stored = connection.scalar(
                select(func.count()).select_from(table).where(table.c[BRANCH_CODE] == code)
            )
        counts["branch_rows"] += len(branch)
        counts["lost"] += len(set(branch) - set(there))
        # rows the branch does not have, and a key stored more than once
        counts["duplicated"] += len(set(there) - set(branch)) + int(stored or 0) - len(there)
        counts["differing"] += sum(1 for k, row in branch.items() if k in there and there[k] != row)
    return counts


def _recorded(office: Any, code: str) -> dict[str, int]:
    """What head office's sync_batch holds for the branch: every outbox row once."""
    from sqlalchemy import text

    with office.connect() as connection:
        count, rows = connection.execute(
            text("SELECT count(*), coalesce(sum(rows), 0) FROM sync_batch WHERE branch_code = :c"),
            {"c": code},
        ).one()
    return {"batches_recorded": int(count), "outbox_rows_recorded": int(rows)}


def measure(
    rows: int = ROWS, repeat: int = REPEAT, catch_up_rows: int | None = None
) -> dict[str, Any]:
    from counter_app.config.basedir import Basedir
    from counter_app.config.settings import Settings
    from counter_app.headoffice import admin
    from counter_app.hub.server import open_store
    from counter_app.services.actor import system_actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.demo import load_demo, load_demo_forms
    from counter_app.services.policy_printing import PrintDesk
    from counter_app.sync import outbox
    from counter_app.sync.tables import UP
    from tests.pg import ThrowawayPostgres
    from tests.sync_support import engine

    catch_up_rows = catch_up_rows or outbox.CATCH_UP_ROWS
    with temp_dir("replication") as root, ThrowawayPostgres() as server:
        dsn = server.create_database("headoffice")
        admin.init(dsn)
        _copy_tables(dsn, UP)
        postmaster = server.pid
        assert postmaster is not None

        def branch(code: str) -> str:
            login = admin.add_branch(dsn, code, f"bench {code}")
            return server.dsn_for("headoffice", login.login_role, login.password)

        began = time.perf_counter()
        week_base = Basedir(root / "week").ensure()
        store, _ = open_store(week_base)
        load_demo(store, system_actor())
        forms = BlankFormDesk(store, Settings(None))
        load_demo_forms(forms, PrintDesk(store, forms), system_actor())
        week = _busy_week(store)
        week_rows = outbox.waiting(store)
        store.dispose()
        shutil.copytree(week_base.root, root / "bulk")
        store, _ = open_store(Basedir(root / "bulk").ensure())
        forms_received = _top_up(store, rows)
        backlog = outbox.waiting(store)
        by_table = _outbox_by_table(store)
        store.dispose()
        for n in range(1, repeat + 1):
            shutil.copytree(root / "bulk", root / f"bulk{n}")
        setup_s = time.perf_counter() - began

        office = engine(dsn)
        try:
            store, _ = open_store(week_base)
            try:
                week_drain = _drain(store, "WEEK01", branch("WEEK01"), catch_up_rows, postmaster)
                week_counts = _compare(store, office, "WEEK01")
            finally:
                store.dispose()
            runs: list[dict[str, Any]] = []
            for n in range(1, repeat + 1):
                code = f"BULK{n:02d}"
                login = branch(code)
                store, _ = open_store(Basedir(root / f"bulk{n}").ensure())
                try:
                    drain = _drain(store, code, login, catch_up_rows, postmaster)
                    counts = _compare(store, office, code)
                    same_rows = _branch_tuples(store, code)
                finally:
                    store.dispose()
                copy = _raw_copy(dsn, same_rows, postmaster, binary=False)
                binary = _raw_copy(dsn, same_rows, postmaster, binary=True)
                copied = copy["rows"]
                drain["rows_per_s"] = round(backlog / drain["seconds"])
                copy["rows_per_s"] = round(copied / copy["seconds"])
                binary["rows_per_s"] = round(copied / binary["seconds"])
                runs.append(
                    {
                        "drain": drain,
                        "copy": copy,
                        "copy_binary": binary,
                        "ratio": round(drain["rows_per_s"] / copy["rows_per_s"], 3),
                        "ratio_to_binary": round(drain["rows_per_s"] / binary["rows_per_s"], 3),
                        # the same end state at head office: copied over drained, in seconds
                        # (stricter than ``ratio`` by the outbox rows a row stands for)
                        "time_ratio": round(copy["seconds"] / drain["seconds"], 3),
                        # CPU seconds (this process and PostgreSQL) a row, copy over drain:
                        # what the ratio would be on an idle machine with one core
                        "cpu_ratio": round(
                            (copy["python_cpu_s"] + copy["postgres_cpu_s"])
                            / copied
                            / ((drain["python_cpu_s"] + drain["postgres_cpu_s"]) / backlog),
                            3,
                        ),
                        **counts,
                        **_recorded(office, code),
                    }
                )
        finally:
            office.dispose()

    def median(values: Sequence[float]) -> float:
        return float(statistics.median(values))

    return {
        "rows": backlog,
        "rows_by_table": by_table,
        "batch_rows": outbox.BATCH_ROWS,
        "catch_up_rows": catch_up_rows,
        "batches": runs[0]["drain"]["batches"],
        "repeat": repeat,
        "seconds": median([r["drain"]["seconds"] for r in runs]),
        "rows_per_s": round(median([r["drain"]["rows_per_s"] for r in runs])),
        "copy_rows": runs[0]["copy"]["rows"],
        "copy_seconds": median([r["copy"]["seconds"] for r in runs]),
        "copy_rows_per_s": round(median([r["copy"]["rows_per_s"] for r in runs])),
        "ratio": median([r["ratio"] for r in runs]),
        "copy_binary_rows_per_s": round(median([r["copy_binary"]["rows_per_s"] for r in runs])),
        "ratio_to_binary": median([r["ratio_to_binary"] for r in runs]),
        "time_ratio": median([r["time_ratio"] for r in runs]),
        "cpu_ratio": median([r["cpu_ratio"] for r in runs]),
        "lost": sum(r["lost"] for r in runs) + week_counts["lost"],
        "duplicated": sum(r["duplicated"] for r in runs) + week_counts["duplicated"],
        "differing": sum(r["differing"] for r in runs) + week_counts["differing"],
        "week_drain_s": week_drain["seconds"],
        "week": {**week, "days": DAYS, "rows": week_rows, **week_drain, **week_counts},
        "runs": runs,
        "forms_received_to_fill": forms_received,
        "setup_s": round(setup_s, 1),
        "postgres": "15 on loopback TCP, fsync=off (tests/pg.py); synchronous_commit off for"
        " the raw COPY's superuser, on for branch logins (headoffice add-branch)",
        "goal": "rows_per_s >= 10,000, ratio >= 0.25, week_drain_s < 10, 0 lost, 0 duplicated",
        "machine": machine_info(),
    }


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench replication``."""
    figures = measure(20_000 if quick else ROWS, 1 if quick else REPEAT)
    result = BenchResult(
        NAME,
        "a branch's backlog ingested at head office",
        params={
            "rows": figures["rows"],
            "repeat": figures["repeat"],
            "batch_rows": figures["batch_rows"],
            "catch_up_rows": figures["catch_up_rows"],
            "week_rows": figures["week"]["rows"],
        },
    )
    result.add("ingest (median)", figures["rows_per_s"], "rows/s", ">= 10,000")
    result.add("raw COPY (median)", figures["copy_rows_per_s"], "rows/s")
    result.add("ingest / COPY (median)", figures["ratio"], "", ">= 0.25")
    result.add("raw binary COPY (median)", figures["copy_binary_rows_per_s"], "rows/s")
    result.add("ingest / binary COPY (median)", figures["ratio_to_binary"], "")
    result.add("ingest / COPY in CPU seconds", figures["cpu_ratio"], "")
    result.add("week's backlog drained", figures["week_drain_s"], "s", "< 10")
    result.add("lost", figures["lost"], "rows", "0")
    result.add("duplicated", figures["duplicated"], "rows", "0")
    result.add("differing", figures["differing"], "rows", "0")
    result.samples["ratio"] = [r["ratio"] for r in figures["runs"]]
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=REPEAT, help="big drains (and copies)")
    parser.add_argument(
        "--catch-up-rows",
        type=int,
        default=None,
        help="rows a batch while catching up (default: the hub's, outbox.CATCH_UP_ROWS)",
    )
    args = parser.parse_args(argv)
    figures = measure(args.rows, args.repeat, args.catch_up_rows)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
