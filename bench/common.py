"""Shared pieces: results, statistics, machine facts, and processes started and stopped by pid."""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
LOCALHOST = "127.0.0.1"
# Settings can come from COUNTER_APP_* variables; a developer's shell must not change the numbers.
_ENV_PREFIX = "COUNTER_APP_"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# --- results ---


@dataclass(frozen=True)
class Metric:
    """One reported number. ``goal`` is shown next to it; nothing is judged against it."""

    name: str
    value: float | None
    unit: str
    goal: str = ""
    note: str = ""


@dataclass
class BenchResult:
    name: str
    title: str
    metrics: list[Metric] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(
        self, name: str, value: float | None, unit: str, goal: str = "", note: str = ""
    ) -> None:
        self.metrics.append(Metric(name, value, unit, goal, note))

    def add_summary(self, prefix: str, values: Sequence[float], unit: str, goal: str = "") -> None:
        """median, p90, min and max of a series of runs, as four metrics."""
        stats = summarize(values)
        for key in ("median", "p90", "min", "max"):
            self.add(f"{prefix} {key}", stats.get(key), unit, goal if key == "median" else "")

    def to_json(self, machine: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 1),
            "machine": machine,
            "params": self.params,
            "metrics": [_metric_json(m) for m in self.metrics],
            "samples": {k: [round(v, 2) for v in vs] for k, vs in self.samples.items()},
            "notes": self.notes,
        }


def _metric_json(metric: Metric) -> dict[str, Any]:
    """A metric for the JSON file: value rounded, empty goal and note left out."""
    found = asdict(metric)
    if metric.value is not None:
        found["value"] = round(metric.value, 2)
    return {k: v for k, v in found.items() if v != ""}


def save_result(result: BenchResult, machine: dict[str, Any]) -> Path:
    """Write ``bench/results/<name>.json`` (through a ``.tmp`` file, so never half written)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{result.name}.json"
    tmp = path.with_suffix(".json.tmp")
    text = json.dumps(result.to_json(machine), indent=2, ensure_ascii=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


# --- statistics ---


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "n": float(len(values)),
        "median": percentile(values, 50),
        "p90": percentile(values, 90),
        "min": min(values),
        "max": max(values),
        "mean": sum(values) / len(values),
    }


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


# --- the machine ---


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_mb() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    """The checked-out commit; read-only (``git rev-parse``), never a command that writes."""
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        out = subprocess.run(
            [git, "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def machine_info() -> dict[str, Any]:
    try:
        qt_core: Any = importlib.import_module("PySide6.QtCore")
        qt = str(qt_core.qVersion())
    except ImportError:
        qt = "not installed"
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "mem_total_mb": _mem_total_mb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "qt": qt,
        "pyside6": _version("PySide6"),
        "qt_qpa_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "packages": {
            p: _version(p)
            for p in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "httpx", "pydantic")
        },
        "http_parser": "httptools" if _version("httptools") != "not installed" else "h11",
        "commit": _git_commit(),
    }


# --- processes ---


def counter_app_command() -> list[str]:
    """``counter-app`` from the venv running the benchmarks (``.venv/bin/counter-app``)."""
    script = Path(sys.executable).parent / "counter-app"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "counter_app"]


# Bytecode of the processes started here, kept outside the work tree and across runs: an
# installed counter has its .pyc files, so a start should not be timed compiling sources (a shell
# with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile counter_app on every start).
PYCACHE = Path(tempfile.gettempdir()) / "counter-app-bench-pycache"


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIX)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"counter-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def spawn(
    args: Sequence[str], log: Path | None = None, stdout: int | IO[Any] | None = None
) -> subprocess.Popen[bytes]:
    """Start a process with the bench environment; its stderr (and stdout unless given) to log."""
    out: int | IO[Any] = subprocess.DEVNULL
    if log is not None:
        out = log.open("ab")
    try:
        return subprocess.Popen(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=out if stdout is None else stdout,
            stderr=out,
            env=bench_env(),
            cwd=REPO,
        )
    finally:
        if not isinstance(out, int):
            out.close()


def stop(
    proc: subprocess.Popen[bytes], first: signal.Signals = signal.SIGINT, timeout: float = 10.0
) -> int:
    """Stop one process by its pid: ``first`` signal, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, first)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.returncode


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def wait_http_ok(
    url: str, proc: subprocess.Popen[bytes], timeout: float, log: Path | None = None
) -> float:
    """Poll ``url`` until it answers 200; returns the seconds waited. Fails if proc exits."""
    started = time.perf_counter()
    deadline = started + timeout
    with httpx.Client(timeout=2.0) as client:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"process {proc.pid} exited ({proc.returncode}) before {url} answered\n"
                    + (tail(log) if log else "")
                )
            with contextlib.suppress(httpx.TransportError):
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")
            time.sleep(0.05)


@dataclass
class Hub:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path
    seconds_to_health: float


@contextlib.contextmanager
def run_hub(basedir: Path, demo: bool = True, timeout: float = 30.0) -> Iterator[Hub]:
    """``counter-app hub`` on 127.0.0.1 and a free port; stopped by pid (SIGINT, then SIGKILL)."""
    port = free_port()
    log = basedir / "hub-process.log"
    args = [*counter_app_command(), "hub", "--basedir", str(basedir)]
    args += ["--host", LOCALHOST, "--port", str(port)]
    if demo:
        args.append("--demo")
    proc = spawn(args, log)
    try:
        url = f"http://{LOCALHOST}:{port}"
        waited = wait_http_ok(f"{url}/api/health", proc, timeout, log)
        yield Hub(proc, url, log, waited)
    finally:
        stop(proc, signal.SIGINT, timeout=10)


# --- the rest of the machine ---


def _system_busy_seconds() -> float:
    """CPU seconds all processes on the machine have used since boot (``/proc/stat``)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def _own_seconds() -> float:
    """CPU seconds of this process and of every child it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class OtherLoad:
    """How much of the machine other processes took while a benchmark ran.

    The whole machine's busy time minus this process's and its (waited-for) children's; the
    benchmarks' own processes are all children, so what is left is someone else's work.
    """

    def __init__(self) -> None:
        self._busy = _system_busy_seconds()
        self._own = _own_seconds()
        self._started = time.perf_counter()

    def percent(self, nproc: int) -> float:
        elapsed = time.perf_counter() - self._started
        other = (_system_busy_seconds() - self._busy) - (_own_seconds() - self._own)
        return max(0.0, other / (elapsed * nproc) * 100)


def wait_for_quiet(
    nproc: int, max_wait_s: float, below_percent: float = 5.0, window_s: float = 3.0
) -> tuple[float, float]:
    """Wait (at most ``max_wait_s``) for a ``window_s`` window in which other processes use
    less than ``below_percent`` of the CPU. Returns (seconds waited, last share seen in %)."""
    started = time.perf_counter()
    share = 100.0
    while True:
        probe = OtherLoad()
        time.sleep(window_s)
        share = probe.percent(nproc)
        waited = time.perf_counter() - started
        if share < below_percent or waited + window_s > max_wait_s:
            return waited, share


# --- /proc readings (Linux) ---


def memory_kb(pid: int) -> dict[str, int]:
    """Rss, Pss, Pss_Anon, Private_* ... in kB from ``/proc/<pid>/smaps_rollup``."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
            values[parts[0].rstrip(":")] = int(parts[1])
    values["Uss"] = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    # After "pid (comm) ": state is fields[0]; utime and stime are fields 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def thread_count(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


# --- a minimal HTTP/1.1 client (shared by hub_noop and queue) ---

# uvicorn closes keep-alive connections idle for 5 s; reconnect a little before.
IDLE_RECONNECT_S = 4.0


class RawHttp:
    """One keep-alive HTTP/1.1 connection; far cheaper in CPU than httpx, which shares the
    machine's cores with the hub."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._sock = self._connect()
        self._buffer = b""
        self._used = time.monotonic()

    def _connect(self) -> socket.socket:
        sock = socket.create_connection((self._host, self._port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        kind = "Content-Type: application/json\r\n" if body else ""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
            f"{self._headers}{extra}{kind}Content-Length: {len(body)}\r\n\r\n"
        )
        if time.monotonic() - self._used > IDLE_RECONNECT_S:
            # uvicorn closes a keep-alive connection idle for 5 s; a request sent as it does
            # so would fail without having been served.
            self._sock.close()
            self._sock, self._buffer = self._connect(), b""
        self._sock.sendall(head.encode("ascii") + body)
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self._recv()
        head_bytes, _, rest = self._buffer.partition(b"\r\n\r\n")
        status = int(head_bytes.split(b" ", 2)[1])
        length = 0 if status in (204, 304) else None
        for line in head_bytes.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise RuntimeError("response without Content-Length")
        while len(rest) < length:
            rest += self._recv()
        self._buffer = rest[length:]
        self._used = time.monotonic()
        return status, rest[:length]

    def _recv(self) -> bytes:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("hub closed the connection")
        return chunk

    def close(self) -> None:
        self._sock.close()


class Watchdog:
    """A bench's hard limit: after ``seconds``, unless cancelled, ``expire`` runs on a daemon
    timer thread. Each bench says what expiring stops (its hubs, its processes, PostgreSQL)."""

    def __init__(self, seconds: float) -> None:
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._seconds = seconds

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        self._timer.cancel()

    def expire(self) -> None:
        raise NotImplementedError


def login(url: str, username: str, password: str, workstation: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(
            "/api/auth/login",
            json={"username": username, "password": password, "workstation": workstation},
        )
        response.raise_for_status()
        token: str = response.json()["token"]
        return token


def auth_headers(token: str, workstation: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "X-Workstation": workstation}
