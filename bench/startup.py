"""startup: process spawn to a usable login window, its hub answering.

Three cases, runs interleaved so drift in the machine hits them alike:

- ``temp``: ``counter-app --temp-basedir --demo --quit-after-ready``, a new database every run;
- ``existing``: ``counter-app --basedir DIR --demo --quit-after-ready`` on a database an earlier
  run created (what a counter sees every morning);
- ``client``: ``counter-app --temp-basedir --hub URL --quit-after-ready`` against a hub process
  started beforehand: a counter PC at a branch, which runs no hub of its own.

For each run: spawn -> ``READY`` line on stdout, spawn -> exit, and the ``startup_ms`` the
program reports itself (measured from the first import of ``counter_app``).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    BenchResult,
    counter_app_command,
    percentile,
    run_hub,
    spawn,
    stop,
    tail,
    temp_dir,
)

NAME = "startup"
GOAL = "< 2000"
RUNS = 7
QUICK_RUNS = 2
BUDGET_S = 58.0  # the whole benchmark, including the run that creates the database
RUN_TIMEOUT_S = 30.0
READY = re.compile(rb"READY startup_ms=(\d+)")


@dataclass(frozen=True)
class Run:
    spawn_to_ready_ms: float
    spawn_to_exit_ms: float
    reported_ms: float
    returncode: int


def one_run(args: list[str], log: Path) -> Run:
    """Spawn, timestamp the READY line as it arrives, wait for exit (killed after a timeout)."""
    ready_at: list[float] = []
    reported: list[float] = []
    started = time.perf_counter()
    proc = spawn(args, log, stdout=subprocess.PIPE)

    def read_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            match = READY.search(line)
            if match and not ready_at:
                ready_at.append(time.perf_counter())
                reported.append(float(match.group(1)))

    reader = threading.Thread(target=read_stdout, name="startup-stdout", daemon=True)
    reader.start()
    try:
        returncode = proc.wait(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        stop(proc, timeout=5)
        raise TimeoutError(f"no exit within {RUN_TIMEOUT_S:.0f} s\n{tail(log)}") from None
    exited = time.perf_counter()
    reader.join(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()
    if returncode != 0 or not ready_at:
        raise RuntimeError(f"run failed (exit {returncode}, READY seen: {bool(ready_at)})")
    return Run(
        spawn_to_ready_ms=(ready_at[0] - started) * 1000,
        spawn_to_exit_ms=(exited - started) * 1000,
        reported_ms=reported[0],
        returncode=returncode,
    )


def run(quick: bool = False) -> BenchResult:
    runs_wanted = QUICK_RUNS if quick else RUNS
    result = BenchResult(NAME, "Cold start to a usable login window, hub answering")
    exe = counter_app_command()
    temp_args = [*exe, "--temp-basedir", "--demo", "--quit-after-ready"]
    runs: dict[str, list[Run]] = {"temp": [], "existing": [], "client": []}
    began = time.perf_counter()
    with temp_dir("startup") as work:
        basedir = work / "basedir"
        existing_args = [*exe, "--basedir", str(basedir), "--demo", "--quit-after-ready"]
        log = work / "process.log"
        (work / "hub").mkdir()
        try:
            with run_hub(work / "hub") as hub:
                client_args = [*exe, "--temp-basedir", "--hub", hub.url, "--quit-after-ready"]
                cases = (("temp", temp_args), ("existing", existing_args), ("client", client_args))
                create = one_run(existing_args, log)
                longest = create.spawn_to_exit_ms / 1000
                for _ in range(runs_wanted):
                    for case, args in cases:
                        if time.perf_counter() - began + longest > BUDGET_S:
                            break
                        done = one_run(args, log)
                        longest = max(longest, done.spawn_to_exit_ms / 1000)
                        runs[case].append(done)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n--- process log ---\n{tail(log)}") from None
    result.seconds = time.perf_counter() - began

    result.params = {
        "runs_wanted_per_case": runs_wanted,
        "runs_done": {case: len(finished) for case, finished in runs.items()},
        "budget_s": BUDGET_S,
        "commands": {
            "temp": "counter-app --temp-basedir --demo --quit-after-ready",
            "existing": "counter-app --basedir DIR --demo --quit-after-ready (DIR made by run 0)",
            "client": "counter-app --temp-basedir --hub http://127.0.0.1:PORT --quit-after-ready "
            "(a hub process started first, not timed)",
        },
        "first_run_creating_db_ms": {
            "spawn_to_ready": round(create.spawn_to_ready_ms),
            "reported": round(create.reported_ms),
        },
    }
    for case, finished in runs.items():
        if not finished:
            continue
        ready = [r.spawn_to_ready_ms for r in finished]
        reported = [r.reported_ms for r in finished]
        wall = [r.spawn_to_exit_ms for r in finished]
        shutdown = [r.spawn_to_exit_ms - r.spawn_to_ready_ms for r in finished]
        result.add_summary(f"{case}: spawn->READY", ready, "ms", GOAL)
        result.add_summary(f"{case}: READY startup_ms", reported, "ms", GOAL)
        result.add_summary(f"{case}: spawn->exit", wall, "ms", "(incl. shutdown)")
        untracked = [a - b for a, b in zip(ready, reported, strict=True)]
        result.add(
            f"{case}: spawn->READY minus startup_ms, median",
            percentile(untracked, 50),
            "ms",
            note="interpreter start before counter_app is imported: not in startup_ms",
        )
        result.add(f"{case}: READY->exit, median", percentile(shutdown, 50), "ms", "-")
        result.samples[f"{case}_spawn_to_ready_ms"] = ready
        result.samples[f"{case}_reported_startup_ms"] = reported
        result.samples[f"{case}_spawn_to_exit_ms"] = wall
    result.notes.append(
        "READY startup_ms is measured by the program from the first import of counter_app; "
        "spawn->READY is measured here from just before the process is spawned."
    )
    return result
