"""hub_noop: latency of an authenticated no-op request (GET /api/auth/me) to a hub process.

A hub is started as its own process (``counter-app hub --demo`` on 127.0.0.1 and a free port),
admin logs in, and ``/api/auth/me`` is asked:

- by ``httpx`` (the client the counter program uses), one request at a time, then from 8
  threads with a client each;
- by a minimal keep-alive HTTP/1.1 client on a raw socket, which costs the CPU far less than
  httpx (the two share this machine's cores with the hub), one at a time and from 8 threads;
- by the raw client, one at a time, for an unknown path (a 404): the HTTP stack's own floor,
  with no token check and no database, to tell what authentication adds;
- by ``wrk`` when it is installed (it is not required and never installed by this benchmark).

Per phase: p50/p95/p99 latency, requests/s, and the hub's own CPU time per request.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bench.common import (
    BenchResult,
    Hub,
    RawHttp,
    auth_headers,
    cpu_seconds,
    login,
    percentile,
    run_hub,
    temp_dir,
)

NAME = "hub_noop"
PATH = "/api/auth/me"
FLOOR_PATH = "/api/no-such-route"  # a 404: the HTTP stack alone, no auth and no database
FLOOR_REQUESTS = 500
FLOOR_BUDGET_S = 5.0
CONNECTION_WARMUP = 20
USERNAME, PASSWORD = "admin", "admin1234"
WORKSTATION = "bench"
WARMUP = 50
SEQUENTIAL = 2000
THREADS = 8
PER_THREAD = 500
PHASE_BUDGET_S = 9.0  # a phase stops early (and says so) when it runs longer than this
WRK_SECONDS = 10
GOAL = "p95: none set"


@dataclass
class Phase:
    name: str
    latencies_ms: list[float]
    seconds: float
    errors: int
    hub_cpu_s: float
    clients: int

    @property
    def count(self) -> int:
        return len(self.latencies_ms)


def _headers(token: str) -> dict[str, str]:
    return auth_headers(token, WORKSTATION)


Get = Callable[[], int]  # one request; returns the HTTP status
Close = Callable[[], None]
Requester = Callable[[str, str, str], tuple[Get, Close]]  # (url, token, path)


def _httpx_requester(url: str, token: str, path: str) -> tuple[Get, Close]:
    client = httpx.Client(base_url=url, headers=_headers(token), timeout=10)
    return (lambda: client.get(path).status_code), client.close


def _raw_requester(url: str, token: str, path: str) -> tuple[Get, Close]:
    client = RawHttp(url, _headers(token))
    return (lambda: client.request("GET", path)[0]), client.close


@dataclass(frozen=True)
class Plan:
    label: str
    make: Requester
    clients: int
    per_client: int
    path: str = PATH
    expect: int = 200
    budget_s: float = PHASE_BUDGET_S


def measure(plan: Plan, hub: Hub, token: str) -> Phase:
    """``clients`` threads, each with its own connection, ``per_client`` requests each."""
    clients = plan.clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    failures: list[BaseException] = []
    barrier = threading.Barrier(clients + 1, timeout=30)

    def worker(index: int) -> None:
        try:
            get, close = plan.make(hub.url, token, plan.path)
        except (OSError, httpx.HTTPError) as exc:
            failures.append(exc)
            barrier.abort()
            return
        try:
            for _ in range(CONNECTION_WARMUP):  # warm this connection outside the timed part
                get()
            barrier.wait()
            stop_at = time.perf_counter() + plan.budget_s
            mine = latencies[index]
            for _ in range(plan.per_client):
                started = time.perf_counter()
                status = get()
                finished = time.perf_counter()
                mine.append((finished - started) * 1000)
                if status != plan.expect:
                    errors[index] += 1
                if finished > stop_at:
                    break
        except (OSError, httpx.HTTPError, RuntimeError, threading.BrokenBarrierError) as exc:
            failures.append(exc)
            barrier.abort()
        finally:
            close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        raise RuntimeError(f"{plan.label}: a client failed before the start: {failures}") from None
    cpu_before = cpu_seconds(hub.proc.pid)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=plan.budget_s + 30)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(hub.proc.pid) - cpu_before
    if failures:
        raise RuntimeError(f"{plan.label}: client failed: {failures[0]!r}")
    every = [x for mine in latencies for x in mine]
    return Phase(plan.label, every, seconds, sum(errors), cpu, clients)


def run_wrk(hub: Hub, token: str) -> dict[str, float] | None:
    """``wrk`` 2 threads, 8 connections, ``--latency``; None when wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    args = [wrk, "-t2", f"-c{THREADS}", f"-d{WRK_SECONDS}s", "--latency"]
    for key, value in _headers(token).items():
        args += ["-H", f"{key}: {value}"]
    args.append(hub.url + PATH)
    out = subprocess.run(
        args, capture_output=True, text=True, timeout=WRK_SECONDS + 30, check=False
    ).stdout
    found: dict[str, float] = {}
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for pct, number, unit in re.findall(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s)\b", out, re.M):
        found[f"p{pct}_ms"] = float(number) * units[unit]
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate:
        found["requests_per_s"] = float(rate.group(1))
    return found


def _report(result: BenchResult, plan: Plan, phase: Phase) -> None:
    lat = phase.latencies_ms
    label = phase.name
    wanted = plan.clients * plan.per_client
    result.add(f"{label}: p50", percentile(lat, 50), "ms")
    result.add(f"{label}: p95", percentile(lat, 95), "ms", GOAL if plan.path == PATH else "-")
    result.add(f"{label}: p99", percentile(lat, 99), "ms")
    result.add(f"{label}: throughput", phase.count / phase.seconds, "req/s")
    result.add(f"{label}: hub CPU per request", phase.hub_cpu_s * 1000 / phase.count, "ms")
    result.params.setdefault("phases", {})[label] = {
        "path": plan.path,
        "clients": phase.clients,
        "requests": phase.count,
        "requests_wanted": wanted,
        "errors": phase.errors,
        "seconds": round(phase.seconds, 2),
    }
    if phase.errors:
        result.notes.append(f"{label}: {phase.errors} responses were not {plan.expect}")
    if phase.count < wanted:
        result.notes.append(
            f"{label}: stopped at its {plan.budget_s:.0f} s budget after {phase.count} of "
            f"{wanted} requests"
        )


def run(quick: bool = False) -> BenchResult:
    sequential = 200 if quick else SEQUENTIAL
    per_thread = 50 if quick else PER_THREAD
    floor = 100 if quick else FLOOR_REQUESTS
    result = BenchResult(NAME, "Authenticated no-op request (GET /api/auth/me) to a hub process")
    with temp_dir("hub") as basedir, run_hub(basedir) as hub:
        result.params["hub_start_to_health_s"] = round(hub.seconds_to_health, 2)
        token = login(hub.url, USERNAME, PASSWORD, WORKSTATION)
        get, close = _httpx_requester(hub.url, token, PATH)
        try:
            for _ in range(WARMUP):
                get()
        finally:
            close()
        plans = [
            Plan("httpx sequential", _httpx_requester, 1, sequential),
            Plan(f"httpx {THREADS} threads", _httpx_requester, THREADS, per_thread),
            Plan("raw sequential", _raw_requester, 1, sequential),
            Plan(f"raw {THREADS} threads", _raw_requester, THREADS, per_thread),
            Plan(
                "raw sequential 404 (floor)",
                _raw_requester,
                1,
                floor,
                path=FLOOR_PATH,
                expect=404,
                budget_s=FLOOR_BUDGET_S,
            ),
        ]
        for plan in plans:
            _report(result, plan, measure(plan, hub, token))
        wrk = run_wrk(hub, token)
    if wrk is None:
        result.notes.append("wrk is not installed: skipped (the raw-socket phases stand in)")
        result.params["wrk"] = "not installed"
    else:
        result.params["wrk"] = {"threads": 2, "connections": THREADS, "seconds": WRK_SECONDS}
        for key, value in wrk.items():
            result.add(
                f"wrk {THREADS} conns: {key.removesuffix('_ms')}",
                value,
                "req/s" if key == "requests_per_s" else "ms",
            )
    result.params.update(
        {
            "path": PATH,
            "floor_path": FLOOR_PATH,
            "login": USERNAME,
            "warmup": WARMUP,
            "connection_warmup": CONNECTION_WARMUP,
            "http_keepalive": True,
            "phase_budget_s": PHASE_BUDGET_S,
        }
    )
    result.notes.append(
        "floor = GET of an unknown path (404): the HTTP stack alone, with no token check and "
        "no database; /api/auth/me minus the floor is what authentication adds"
    )
    return result
