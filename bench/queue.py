"""queue: ticket issue and call latency at a busy branch's peak, capacity, nothing lost or doubled.

``python bench/queue.py --clients 30 --ops 20000`` (or ``python -m bench queue``). Each phase
starts its own hub process (``counter-app hub --basedir TMP --demo`` on 127.0.0.1 and a free
port), so each one begins from the same empty demo branch:

1. open loop, the peak hour: ``--clients`` clients each send 1 operation a second on a fixed
   schedule for ``--seconds`` seconds, every third client calling the next ticket at a window
   (as the manager, who may call at any window) and the others issuing tickets (as the guide).
   They use ``HubClient``, the counter program's own client. A display board listens on
   ``/api/events`` with ``EventListener``; call -> board is the time from sending a call-next to
   the board receiving its ``queue.ticket_called`` event;
2. closed loop, capacity: the same number of clients, each with its own keep-alive connection
   (a minimal HTTP/1.1 client on a socket, as ``hub_noop`` uses), issue tickets as fast as they
   can, then ask the authenticated no-op ``GET /api/auth/me`` as fast as they can;
3. correctness: ``--ops`` operations, half issues and half call-nexts (each with its own
   idempotency key), from the same number of concurrent clients; then the hub is stopped and its
   database read: a number issued twice or a ticket returned by two call-nexts is a duplicate; a
   ticket answered 201 that is not in the database, or a call answered 200 whose ticket is not
   called or done, is lost.

Standalone it prints one JSON object on stdout (progress goes to stderr). The hubs are stopped by
pid at the end, on error, and by a watchdog after ``--timeout`` seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, this file's folder would come first on sys.path and this module would
    # shadow the standard library's ``queue`` (which httpx and concurrent.futures import).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import contextlib
import itertools
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench import common
from bench.common import (
    BenchResult,
    Hub,
    OtherLoad,
    RawHttp,
    auth_headers,
    cpu_seconds,
    login,
    machine_info,
    percentile,
    run_hub,
    stop,
    temp_dir,
)
from counter_app.client.events import EventListener
from counter_app.client.hub_client import HubClient, HubError
from counter_app.hub.schemas import EventOut

NAME = "queue"
CLIENTS = 30
OPS = 20_000
OPEN_LOOP_S = 20.0
RATE_PER_CLIENT = 1.0  # operations a second per client in the open loop
CALLER_EVERY = 3  # open loop: every third client calls, the others issue (2/3 issue, 1/3 call)
CAPACITY_S = 10.0
CORRECTNESS_BUDGET_S = 300.0  # phase 3 stops early (and says so) after this
TIMEOUT_S = 900.0  # the watchdog: every hub killed and the process ended after this
BOARD_WAIT_S = 3.0  # after the open loop, how long the board may still receive events
LATE_S = 0.005  # an open-loop send this much after its slot is counted late
SERVICES = ("A", "B", "C", "D", "V")


def counter_op(client: HubClient, window: int | None, rng: random.Random) -> tuple[str, str | None]:
    """One operation of the open loop: a ticket issued at the kiosk, or the next one called at
    ``window``. Returns its kind and the id of the ticket called, if any (to time the board)."""
    if window is None:
        client.issue_ticket(rng.choice(SERVICES))
        return "issue", None
    ticket = client.call_next(window, uuid.uuid4().hex)
    return "call", None if ticket is None else str(ticket.id)


WINDOWS = (1, 2, 3, 4, 5)
ISSUER = ("guide", "guide1234")
CALLER = ("manager", "manager1234")  # a manager may call at any window, so callers can share
CONNECTION_WARMUP = 5
SEED = 20_26

GOALS = {
    "issue_p95_ms": "< 25",
    "call_to_board_p95_ms": "< 150",
    "ops_per_s": ">= 400",
    "capacity_ratio": ">= 0.5",
    "duplicates": "0",
    "lost": "0",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stats_ms(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "max": None}
    return {
        "p50": round(percentile(values, 50), 2),
        "p95": round(percentile(values, 95), 2),
        "max": round(max(values), 2),
    }


# --- the watchdog ---


class Watchdog(common.Watchdog):
    """After ``seconds``: kill every hub still running (by pid), remove its data folder and end
    this process."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self._procs: list[tuple[subprocess.Popen[bytes], Path]] = []
        self._lock = threading.Lock()
        self.expired = threading.Event()

    def watch(self, proc: subprocess.Popen[bytes], basedir: Path) -> None:
        with self._lock:
            self._procs.append((proc, basedir))

    def finish_expiry(self) -> None:
        """Called by the main thread when it failed because the watchdog killed the hubs:
        wait for the watchdog to clean up and end the process."""
        self._timer.join()

    def expire(self) -> None:
        self.expired.set()
        log(f"queue bench: timed out after {self._seconds:.0f} s; stopping its hubs")
        with self._lock:
            for proc, basedir in self._procs:
                stop(proc, signal.SIGKILL, timeout=5)
                shutil.rmtree(basedir, ignore_errors=True)
        os._exit(124)


@contextlib.contextmanager
def fresh_hub(label: str, watchdog: Watchdog | None) -> Iterator[tuple[Hub, Path]]:
    with temp_dir(f"queue-{label}") as basedir, run_hub(basedir) as hub:
        if watchdog is not None:
            watchdog.watch(hub.proc, basedir)
        log(f"  hub for {label}: pid {hub.proc.pid}, healthy after {hub.seconds_to_health:.1f} s")
        yield hub, basedir


def issue_body(service: str) -> bytes:
    return json.dumps({"service": service, "priority": None}).encode()


def run_threads(count: int, work: Callable[[int], None], join_s: float) -> list[BaseException]:
    """``work(i)`` on ``count`` threads; returns what they raised."""
    failures: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            work(index)
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + join_s
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        failures.append(TimeoutError(f"clients still running after {join_s:.0f} s"))
    return failures


# --- phase 1: open loop ---


@dataclass
class OpenLoop:
    issue_ms: list[float] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    call_to_board_ms: list[float] = field(default_factory=list)
    issues: int = 0
    calls: int = 0
    calls_empty: int = 0  # 204: nobody was waiting
    board_missing: int = 0
    late: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    hub_cpu_s: float = 0.0


def open_loop(hub: Hub, clients: int, seconds: float) -> OpenLoop:
    result = OpenLoop()
    lock = threading.Lock()
    calls_sent: dict[str, float] = {}  # ticket id -> when its call-next was sent
    board_seen: dict[str, float] = {}  # ticket id -> when the board received the call
    board_up = threading.Event()

    def on_event(event: EventOut) -> None:
        now = time.perf_counter()
        payload = event.payload
        if event.event == "queue.ticket_called" and payload.get("action") == "call":
            board_seen.setdefault(str(payload["ticket"]["id"]), now)

    def on_link(up: bool) -> None:
        if up:
            board_up.set()

    log(f"  logging in {clients} clients and a display board")
    board_client = HubClient(hub.url, "board")
    board_client.login(*ISSUER)
    board = EventListener(hub.url, board_client.token or "", on_event, on_link)
    hubs: list[HubClient] = []
    board_started = False
    try:
        for index in range(clients):
            caller = index % CALLER_EVERY == CALLER_EVERY - 1
            client = HubClient(hub.url, f"{'window' if caller else 'kiosk'}-{index}")
            client.login(*(CALLER if caller else ISSUER))
            hubs.append(client)
            if not caller:
                client.issue_ticket(SERVICES[index % len(SERVICES)])  # warm-up, not timed
        board.start()
        board_started = True
        if not board_up.wait(10):
            raise RuntimeError("the display board did not connect to /api/events")

        interval = 1.0 / RATE_PER_CLIENT
        t0 = time.perf_counter() + 0.5
        windows = itertools.cycle(WINDOWS)
        caller_window = {
            i: next(windows) for i in range(clients) if i % CALLER_EVERY == CALLER_EVERY - 1
        }

        def work(index: int) -> None:
            client = hubs[index]
            rng = random.Random(SEED + index)
            window = caller_window.get(index)
            slot = t0 + index * interval / clients  # spread evenly over each second
            end = t0 + seconds
            while slot < end:
                delay = slot - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                sent = time.perf_counter()
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
                done = time.perf_counter()
                late = sent - slot > LATE_S
                # A late send is timed from its slot: the wait counts against the hub.
                took = (done - (slot if late else sent)) * 1000
                with lock:
                    result.late += late
                    if kind == "issue":
                        result.issue_ms.append(took)
                        result.issues += 1
                    else:
                        result.call_ms.append(took)
                        result.calls += 1
                slot += interval

        cpu_before = cpu_seconds(hub.proc.pid)
        started = time.perf_counter()
        failures = run_threads(clients, work, seconds + 60)
        result.seconds = time.perf_counter() - started
        result.hub_cpu_s = cpu_seconds(hub.proc.pid) - cpu_before
        if failures:
            raise RuntimeError(f"open loop: a client failed: {failures[0]!r}")
        deadline = time.perf_counter() + BOARD_WAIT_S
        while time.perf_counter() < deadline and not set(calls_sent) <= set(board_seen):
            time.sleep(0.05)
    finally:
        if board_started:
            board.stop()
        for client in [*hubs, board_client]:
            client.close()
    for ticket_id, sent in calls_sent.items():
        seen = board_seen.get(ticket_id)
        if seen is None:
            result.board_missing += 1
        else:
            result.call_to_board_ms.append((seen - sent) * 1000)
    result.calls_empty = result.calls - len(calls_sent)
    return result


# --- phase 2: closed loop ---


@dataclass
class ClosedLoop:
    count: int
    seconds: float
    latencies_ms: list[float]
    per_second: list[int]  # completions in each whole second of the run
    errors: int
    hub_cpu_s: float

    @property
    def per_s(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def closed_loop(
    hub: Hub,
    token: str,
    clients: int,
    seconds: float,
    request: Callable[[RawHttp, random.Random], int],
    expect: int,
) -> ClosedLoop:
    latencies: list[list[float]] = [[] for _ in range(clients)]
    finished_at: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    window: list[float] = []  # the start, set by the barrier's action before anyone passes
    barrier = threading.Barrier(
        clients + 1, action=lambda: window.append(time.perf_counter()), timeout=60
    )

    def work(index: int) -> None:
        http = RawHttp(hub.url, auth_headers(token, f"bench-{index}"))
        rng = random.Random(SEED + index)
        try:
            for _ in range(CONNECTION_WARMUP):
                http.request("GET", "/api/auth/me")
            barrier.wait()
            stop_at = window[0] + seconds
            while True:
                started = time.perf_counter()
                if started >= stop_at:
                    break
                status = request(http, rng)
                done = time.perf_counter()
                latencies[index].append((done - started) * 1000)
                finished_at[index].append(done)
                if status != expect:
                    errors[index] += 1
        except threading.BrokenBarrierError:
            return
        except Exception:
            barrier.abort()
            raise
        finally:
            http.close()

    failures: list[BaseException] = []
    runner = threading.Thread(
        target=lambda: failures.extend(run_threads(clients, work, seconds + 120)), daemon=True
    )
    runner.start()
    cpu_before = cpu_seconds(hub.proc.pid)
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        runner.join(timeout=10)
        raise RuntimeError(f"closed loop: a client failed before the start: {failures}") from None
    runner.join(timeout=seconds + 150)
    cpu = cpu_seconds(hub.proc.pid) - cpu_before
    if failures:
        raise RuntimeError(f"closed loop: a client failed: {failures[0]!r}")
    ends = [t for mine in finished_at for t in mine]
    elapsed = (max(ends) if ends else time.perf_counter()) - window[0]
    buckets = Counter(int(t - window[0]) for t in ends)
    per_second = [buckets.get(s, 0) for s in range(int(seconds))]
    every = [x for mine in latencies for x in mine]
    return ClosedLoop(len(every), elapsed, every, per_second, sum(errors), cpu)


CAPACITY_ROUNDS = 3


def _joined(loops: Sequence[ClosedLoop]) -> ClosedLoop:
    return ClosedLoop(
        count=sum(loop.count for loop in loops),
        seconds=sum(loop.seconds for loop in loops),
        latencies_ms=[x for loop in loops for x in loop.latencies_ms],
        per_second=[n for loop in loops for n in loop.per_second],
        errors=sum(loop.errors for loop in loops),
        hub_cpu_s=sum(loop.hub_cpu_s for loop in loops),
    )


def capacity(
    hub: Hub, clients: int, seconds: float, rounds: int = CAPACITY_ROUNDS
) -> tuple[ClosedLoop, ClosedLoop]:
    """Issue and no-op loops, taken in turns (``rounds`` of each, ``seconds`` in all for each):
    this machine's speed drifts by a third over a minute, and taking the two in one block each
    put all of a drift on one side of the ratio."""
    token = login(hub.url, *ISSUER, "bench")

    def issue(http: RawHttp, rng: random.Random) -> int:
        return http.request("POST", "/api/tickets", issue_body(rng.choice(SERVICES)))[0]

    def noop(http: RawHttp, _rng: random.Random) -> int:
        return http.request("GET", "/api/auth/me")[0]

    issues: list[ClosedLoop] = []
    noops: list[ClosedLoop] = []
    part = seconds / rounds
    for turn in range(rounds):
        log(f"  round {turn + 1}/{rounds}: {clients} clients issuing tickets for {part:.1f} s")
        issues.append(closed_loop(hub, token, clients, part, issue, 201))
        log(f"  round {turn + 1}/{rounds}: {clients} clients asking GET /api/auth/me")
        noops.append(closed_loop(hub, token, clients, part, noop, 200))
    return _joined(issues), _joined(noops)


# --- phase 3: correctness ---


@dataclass
class Answers:
    issued: list[dict[str, Any]] = field(default_factory=list)  # 201 bodies
    called: list[tuple[str, str]] = field(default_factory=list)  # (key, ticket id) of 200s
    empty_calls: int = 0
    errors: list[str] = field(default_factory=list)
    issue_ms: list[float] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    done: int = 0
    seconds: float = 0.0
    hub_cpu_s: float = 0.0


def hammer(hub: Hub, clients: int, ops: int, budget_s: float) -> Answers:
    """``ops`` operations from ``clients`` concurrent clients: even ones issue, odd ones call."""
    guide = login(hub.url, *ISSUER, "bench-kiosk")
    manager = login(hub.url, *CALLER, "bench-window")
    answers = Answers()
    lock = threading.Lock()
    tickets = itertools.count()
    stop_at = time.perf_counter() + budget_s

    def work(index: int) -> None:
        caller = index % 2 == 1
        token = manager if caller else guide
        http = RawHttp(hub.url, auth_headers(token, f"bench-{index}"))
        rng = random.Random(SEED + index)
        window = WINDOWS[(index // 2) % len(WINDOWS)]
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    if next(tickets) >= ops:
                        return
                started = time.perf_counter()
                if caller:
                    key = uuid.uuid4().hex
                    status, body = http.request(
                        "POST", f"/api/windows/{window}/call-next", headers={"Idempotency-Key": key}
                    )
                else:
                    status, body = http.request(
                        "POST", "/api/tickets", issue_body(rng.choice(SERVICES))
                    )
                took = (time.perf_counter() - started) * 1000
                with lock:
                    answers.done += 1
                    if caller:
                        answers.call_ms.append(took)
                        if status == 200:
                            answers.called.append((key, str(json.loads(body)["id"])))
                        elif status == 204:
                            answers.empty_calls += 1
                        else:
                            answers.errors.append(f"call-next {status}: {body[:120]!r}")
                    else:
                        answers.issue_ms.append(took)
                        if status == 201:
                            answers.issued.append(json.loads(body))
                        else:
                            answers.errors.append(f"issue {status}: {body[:120]!r}")
        finally:
            http.close()

    cpu_before = cpu_seconds(hub.proc.pid)
    started = time.perf_counter()
    failures = run_threads(clients, work, budget_s + 60)
    answers.seconds = time.perf_counter() - started
    answers.hub_cpu_s = cpu_seconds(hub.proc.pid) - cpu_before
    if failures:
        raise RuntimeError(f"correctness: a client failed: {failures[0]!r}")
    return answers


@dataclass
class Audit:
    duplicates: int
    lost: int
    detail: dict[str, int]
    integrity: str


def audit(database: Path, answers: Answers) -> Audit:
    """Compare every answer with the stopped hub's database, opened read-only."""
    number_keys = Counter((t["service"], t["business_day"], t["number"]) for t in answers.issued)
    answered_twice = sum(n - 1 for n in number_keys.values() if n > 1)
    by_ticket = Counter(ticket_id for _key, ticket_id in answers.called)
    called_twice = sum(n - 1 for n in by_ticket.values() if n > 1)
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        integrity = str(db.execute("PRAGMA integrity_check").fetchone()[0])
        # The database's own rule: a number is its issuing service's (numbered_by) seq.
        db_doubled = sum(
            n - 1
            for (n,) in db.execute(
                "SELECT COUNT(*) FROM ticket GROUP BY numbered_by, period, seq HAVING COUNT(*) > 1"
            )
        )
        # Nothing here recalls, so a ticket with two ``call`` transitions was called twice,
        # even if one of the two answers never arrived.
        db_called_twice = sum(
            n - 1
            for (n,) in db.execute(
                "SELECT COUNT(*) FROM ticket_transition WHERE action = 'call' "
                "GROUP BY ticket_id HAVING COUNT(*) > 1"
            )
        )
        gaps = sum(
            1
            for low, high, n in db.execute(
                "SELECT MIN(seq), MAX(seq), COUNT(*) FROM ticket GROUP BY numbered_by, period"
            )
            if (low, high) != (1, n)
        )
        states = {uuid.UUID(str(i)).hex: s for i, s in db.execute("SELECT id, state FROM ticket")}
        keys = {
            k: uuid.UUID(str(t)).hex
            for k, t in db.execute("SELECT key, ticket_id FROM call_request")
        }
    issued_missing = sum(1 for t in answers.issued if uuid.UUID(t["id"]).hex not in states)
    call_not_kept = sum(
        1
        for _key, ticket_id in answers.called
        if states.get(uuid.UUID(ticket_id).hex) not in ("called", "done")
    )
    key_missing = sum(
        1 for key, ticket_id in answers.called if keys.get(key) != uuid.UUID(ticket_id).hex
    )
    detail = {
        "numbers_answered_twice": answered_twice,
        "tickets_called_twice": called_twice,
        "numbers_twice_in_db": db_doubled,
        "tickets_called_twice_in_db": db_called_twice,
        "services_with_number_gaps": gaps,
        "issued_not_in_db": issued_missing,
        "called_not_called_or_done": call_not_kept,
        "call_key_not_recorded": key_missing,
        "tickets_in_db": len(states),
        "tickets_answered_201": len(answers.issued),
    }
    return Audit(
        answered_twice + called_twice + db_doubled + db_called_twice,
        issued_missing + call_not_kept + key_missing,
        detail,
        integrity,
    )


# --- the whole benchmark ---


def measure(
    clients: int = CLIENTS,
    ops: int = OPS,
    open_loop_s: float = OPEN_LOOP_S,
    capacity_s: float = CAPACITY_S,
    watchdog: Watchdog | None = None,
) -> dict[str, Any]:
    machine = machine_info()
    other = OtherLoad()
    started = time.perf_counter()
    log(f"phase 1: open loop, {clients} clients x {RATE_PER_CLIENT:g} op/s for {open_loop_s:g} s")
    with fresh_hub("open-loop", watchdog) as (hub, _base):
        peak = open_loop(hub, clients, open_loop_s)
    log(f"phase 2: closed loop, {clients} clients")
    with fresh_hub("capacity", watchdog) as (hub, _base):
        issues, noops = capacity(hub, clients, capacity_s)
    log(f"phase 3: {ops} operations from {clients} clients")
    with temp_dir("queue-correctness") as basedir:
        with run_hub(basedir) as hub:
            if watchdog is not None:
                watchdog.watch(hub.proc, basedir)
            answers = hammer(hub, clients, ops, CORRECTNESS_BUDGET_S)
        # The hub is stopped: its database is complete and nothing writes to it any more.
        checked = audit(basedir / "data" / "branch.sqlite3", answers)
    issue, call, board = (
        stats_ms(peak.issue_ms),
        stats_ms(peak.call_ms),
        stats_ms(peak.call_to_board_ms),
    )
    ops_done = peak.issues + peak.calls
    figures: dict[str, Any] = {
        "issue_p95_ms": issue["p95"],
        "call_p95_ms": call["p95"],
        "call_to_board_p95_ms": board["p95"],
        "ops_per_s": round(issues.per_s, 1),
        "noop_ops_per_s": round(noops.per_s, 1),
        "duplicates": checked.duplicates,
        "lost": checked.lost,
        "capacity_ratio": round(issues.per_s / noops.per_s, 3) if noops.per_s else None,
        "issue_p50_ms": issue["p50"],
        "issue_max_ms": issue["max"],
        "call_p50_ms": call["p50"],
        "call_max_ms": call["max"],
        "call_to_board_p50_ms": board["p50"],
        "call_to_board_max_ms": board["max"],
        "goals": GOALS,
        "open_loop": {
            "clients": clients,
            "seconds": round(peak.seconds, 1),
            "rate_per_client": RATE_PER_CLIENT,
            "issues": peak.issues,
            "calls": peak.calls,
            "calls_nobody_waiting": peak.calls_empty,
            "board_events_missing": peak.board_missing,
            "sent_late": peak.late,
            "errors": dict(Counter(peak.errors)),
            "hub_cpu_ms_per_op": round(peak.hub_cpu_s * 1000 / ops_done, 2) if ops_done else None,
            "client": "HubClient (httpx); board: EventListener (websockets)",
        },
        "capacity": {
            "clients": clients,
            "client": "raw HTTP/1.1 keep-alive socket per client",
            "issue": _closed_json(issues),
            "noop": _closed_json(noops),
        },
        "correctness": {
            "ops_wanted": ops,
            "ops_done": answers.done,
            "seconds": round(answers.seconds, 1),
            "ops_per_s": round(answers.done / answers.seconds, 1) if answers.seconds else None,
            "issues_201": len(answers.issued),
            "calls_200": len(answers.called),
            "calls_204": answers.empty_calls,
            "errors": len(answers.errors),
            "first_errors": answers.errors[:5],
            "hub_cpu_ms_per_op": (
                round(answers.hub_cpu_s * 1000 / answers.done, 2) if answers.done else None
            ),
            "issue_ms": stats_ms(answers.issue_ms),
            "call_ms": stats_ms(answers.call_ms),
            "integrity_check": checked.integrity,
            **checked.detail,
        },
        "machine": {
            "nproc": machine["nproc"],
            "cpu_model": machine["cpu_model"],
            "python": machine["python"],
            "commit": machine["commit"],
        },
        "other_processes_cpu_percent": round(other.percent(machine["nproc"]), 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return figures


def _closed_json(loop: ClosedLoop) -> dict[str, Any]:
    return {
        "count": loop.count,
        "seconds": round(loop.seconds, 2),
        "per_s": round(loop.per_s, 1),
        "per_second": loop.per_second,
        "latency_ms": stats_ms(loop.latencies_ms),
        "errors": loop.errors,
        "hub_cpu_ms_per_op": round(loop.hub_cpu_s * 1000 / loop.count, 2) if loop.count else None,
    }


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench queue``: the same figures as metrics."""
    figures = (
        measure(ops=2000, open_loop_s=5.0, capacity_s=3.0)
        if quick
        else measure(clients=CLIENTS, ops=OPS)
    )
    result = BenchResult(
        NAME, "Queue: issue and call at a busy branch's peak, capacity, no doubles"
    )
    result.add("issue p50", figures["issue_p50_ms"], "ms")
    result.add("issue p95", figures["issue_p95_ms"], "ms", GOALS["issue_p95_ms"])
    result.add("call p95", figures["call_p95_ms"], "ms")
    result.add("call -> board p95", figures["call_to_board_p95_ms"], "ms", "< 150")
    result.add("issue capacity", figures["ops_per_s"], "issues/s", GOALS["ops_per_s"])
    result.add("no-op capacity", figures["noop_ops_per_s"], "req/s")
    result.add("capacity ratio", figures["capacity_ratio"], "", GOALS["capacity_ratio"])
    result.add("duplicates", figures["duplicates"], "", "0")
    result.add("lost", figures["lost"], "", "0")
    result.params.update({k: figures[k] for k in ("open_loop", "capacity", "correctness")})
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/queue.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients")
    parser.add_argument("--ops", type=int, default=OPS, help="operations in the correctness phase")
    parser.add_argument(
        "--seconds", type=float, default=OPEN_LOOP_S, help="length of the open loop (s)"
    )
    parser.add_argument(
        "--capacity-seconds",
        type=float,
        default=CAPACITY_S,
        help="seconds of issuing and of no-op each, taken in turns",
    )
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help="hard limit for the whole run (s)"
    )
    args = parser.parse_args(argv)
    if args.clients < CALLER_EVERY or args.ops < 1:
        parser.error(f"need at least {CALLER_EVERY} clients and 1 operation")
    watchdog = Watchdog(args.timeout)
    watchdog.start()
    try:
        figures = measure(args.clients, args.ops, args.seconds, args.capacity_seconds, watchdog)
    except Exception:
        if watchdog.expired.is_set():
            watchdog.finish_expiry()
        raise
    finally:
        watchdog.cancel()
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
