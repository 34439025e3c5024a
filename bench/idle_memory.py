"""idle_memory: memory and CPU of a counter program idling at its login window.

Two variants, one after the other:

- ``client``: ``counter-app --basedir DIR --hub URL`` pointed at a hub started as its own process,
  so the counter program's memory is measured without a hub inside it (the hub is reported too);
- ``embedded``: ``counter-app --basedir DIR --demo``, the default: GUI and hub in one process.

Each is started, waited for until its log ``DIR/logs/counter.jsonl`` has ``"event": "ready"``,
then sampled from ``/proc/<pid>/smaps_rollup`` every 0.5 s for 10 s, then stopped by its pid.
(``--basedir`` on a folder of this benchmark's instead of ``--temp-basedir``, so the log can be
read; a temp basedir is exactly that, made by the program itself.)
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import (
    BenchResult,
    counter_app_command,
    cpu_seconds,
    memory_kb,
    percentile,
    run_hub,
    spawn,
    stop,
    tail,
    temp_dir,
    thread_count,
)

NAME = "idle_memory"
IDLE_S = 10.0
QUICK_IDLE_S = 2.0
INTERVAL_S = 0.5
READY_TIMEOUT_S = 30.0
GOAL = "none set"


@dataclass
class Samples:
    rss_mb: list[float] = field(default_factory=list)
    pss_mb: list[float] = field(default_factory=list)
    uss_mb: list[float] = field(default_factory=list)
    pss_anon_mb: list[float] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)
    cpu_percent: float = 0.0
    ready_s: float = 0.0


def wait_ready(proc: subprocess.Popen[bytes], log: Path, process_log: Path) -> float:
    """Seconds from now until the JSON log has a line with ``"event": "ready"``."""
    started = time.perf_counter()
    while time.perf_counter() - started < READY_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"exited ({proc.returncode}) before ready\n{tail(process_log)}")
        if log.exists():
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and entry.get("event") == "ready":
                    return time.perf_counter() - started
        time.sleep(0.05)
    raise TimeoutError(f"not ready within {READY_TIMEOUT_S:.0f} s\n{tail(process_log)}")


def sample(pids: dict[str, int], seconds: float) -> dict[str, Samples]:
    """Memory every INTERVAL_S and CPU over the whole window, for each pid."""
    found = {name: Samples() for name in pids}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    next_at = started
    while True:
        for name, pid in pids.items():
            mem = memory_kb(pid)
            s = found[name]
            s.rss_mb.append(mem["Rss"] / 1024)
            s.pss_mb.append(mem["Pss"] / 1024)
            s.uss_mb.append(mem["Uss"] / 1024)
            s.pss_anon_mb.append(mem.get("Pss_Anon", 0) / 1024)
            s.threads.append(thread_count(pid))
        next_at += INTERVAL_S
        if next_at - started > seconds:
            break
        time.sleep(max(0.0, next_at - time.perf_counter()))
    elapsed = time.perf_counter() - started
    for name, pid in pids.items():
        found[name].cpu_percent = (cpu_seconds(pid) - cpu_before[name]) / elapsed * 100
    return found


def measure_gui(
    args: list[str], basedir: Path, seconds: float, others: dict[str, int] | None = None
) -> dict[str, Samples]:
    """Start the GUI, wait for ready, sample it (as "gui") and ``others`` alongside it.

    The GUI is stopped by its pid at the end (SIGTERM, then SIGKILL).
    """
    process_log = basedir.parent / f"{basedir.name}-process.log"
    started = time.perf_counter()
    proc = spawn(args, process_log)
    try:
        wait_ready(proc, basedir / "logs" / "counter.jsonl", process_log)
        ready_s = time.perf_counter() - started
        found = sample({"gui": proc.pid, **(others or {})}, seconds)
        found["gui"].ready_s = ready_s
        return found
    finally:
        stop(proc, signal.SIGTERM, timeout=5)


def _report(result: BenchResult, label: str, s: Samples) -> None:
    result.add(f"{label}: RSS median", percentile(s.rss_mb, 50), "MB", GOAL)
    result.add(f"{label}: RSS max", max(s.rss_mb), "MB")
    result.add(f"{label}: PSS median", percentile(s.pss_mb, 50), "MB", GOAL)
    result.add(f"{label}: USS (private) median", percentile(s.uss_mb, 50), "MB")
    result.add(f"{label}: RSS change over idle", s.rss_mb[-1] - s.rss_mb[0], "MB")
    result.add(f"{label}: CPU while idle", s.cpu_percent, "% of 1 core")
    result.add(f"{label}: threads", float(max(s.threads)), "")
    result.samples[f"{label}_rss_mb"] = s.rss_mb
    result.samples[f"{label}_pss_mb"] = s.pss_mb


def run(quick: bool = False) -> BenchResult:
    seconds = QUICK_IDLE_S if quick else IDLE_S
    result = BenchResult(NAME, "Memory of an idle counter program at its login window")
    exe = counter_app_command()
    with temp_dir("idle") as work:
        hub_dir, client_dir, embedded_dir = (work / n for n in ("hub", "client", "embedded"))
        for folder in (hub_dir, client_dir, embedded_dir):
            folder.mkdir()
        with run_hub(hub_dir) as hub:
            client_args = [*exe, "--basedir", str(client_dir), "--hub", hub.url]
            both = measure_gui(client_args, client_dir, seconds, {"hub": hub.proc.pid})
        client, hub_alone = both["gui"], both["hub"]
        embedded_args = [*exe, "--basedir", str(embedded_dir), "--demo"]
        embedded = measure_gui(embedded_args, embedded_dir, seconds)["gui"]

    _report(result, "client (--hub)", client)
    _report(result, "embedded (--demo)", embedded)
    _report(result, "hub process (for client)", hub_alone)
    result.params = {
        "idle_seconds": seconds,
        "interval_s": INTERVAL_S,
        "spawn_to_ready_s": {
            "client": round(client.ready_s, 2),
            "embedded": round(embedded.ready_s, 2),
        },
        "commands": {
            "client": "counter-app --basedir DIR --hub http://127.0.0.1:PORT",
            "hub": "counter-app hub --basedir DIR --demo --host 127.0.0.1 --port PORT",
            "embedded": "counter-app --basedir DIR --demo",
        },
    }
    result.notes.append(
        "MB = MiB. PSS shares each shared page among the processes mapping it; USS counts only "
        "pages private to the process. Offscreen Qt platform: no X/GL libraries are loaded."
    )
    return result
