"""``python -m bench [NAME ...]``: run the benchmarks (all by default), print a results table."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from bench import (
    blank_forms,
    branches,
    catchup_p95,
    hub_noop,
    idle_memory,
    intake_receipt,
    intake_search,
    printing,
    queue,
    replication,
    startup,
)
from bench.common import (
    RESULTS_DIR,
    BenchResult,
    OtherLoad,
    fmt,
    machine_info,
    save_result,
    wait_for_quiet,
)

# Above this share of the machine taken by other processes a benchmark's numbers are flagged.
OTHER_LOAD_NOTE_PERCENT = 5.0

BENCHMARKS: dict[str, Callable[[bool], BenchResult]] = {
    startup.NAME: startup.run,
    hub_noop.NAME: hub_noop.run,
    idle_memory.NAME: idle_memory.run,
    queue.NAME: queue.run,
    intake_search.NAME: intake_search.run,
    intake_receipt.NAME: intake_receipt.run,
    printing.NAME: printing.run,
    blank_forms.NAME: blank_forms.run,
    replication.NAME: replication.run,
    branches.NAME: branches.run,
    catchup_p95.NAME: catchup_p95.run,
}


def table(results: Sequence[BenchResult]) -> str:
    rows = [("benchmark", "metric", "value", "unit", "goal")]
    for result in results:
        for metric in result.metrics:
            rows.append(
                (result.name, metric.name, fmt(metric.value), metric.unit, metric.goal or "-")
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            cell.rjust(widths[i]) if i == 2 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(names: Sequence[str]) -> str:
    """The saved results (``bench/results/<name>.json``) as Markdown tables, for the docs."""
    parts: list[str] = []
    for name in names:
        path = RESULTS_DIR / f"{name}.json"
        if not path.exists():
            parts.append(f"`{name}`: no saved result\n")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        other = data["params"].get("other_processes_cpu_percent")
        parts.append(
            f"`{name}` recorded {data['recorded_at']} at commit {data['machine']['commit']} "
            f"in {data['seconds']} s; other processes used {other}% of the CPU meanwhile.\n"
        )
        parts.append("| metric | value | unit | goal |\n|---|--:|---|---|")
        for metric in data["metrics"]:
            value, unit = fmt(metric.get("value")), metric.get("unit", "")
            goal = metric.get("goal", "")
            parts.append(f"| {metric['name']} | {value} | {unit} | {goal} |")
        parts.append("")
    return "\n".join(parts)


def describe_machine(machine: dict[str, Any]) -> str:
    return (
        f"{machine['nproc']} CPU ({machine['cpu_model']}), {machine['mem_total_mb']} MB, "
        f"{machine['os']}, Python {machine['python']}, Qt {machine['qt']} "
        f"(PySide6 {machine['pyside6']}), QT_QPA_PLATFORM={machine['qt_qpa_platform']}, "
        f"commit {machine['commit']}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default all): {list(BENCHMARKS)}",
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument(
        "--no-save", action="store_true", help="do not write bench/results/<name>.json"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="S",
        help="before each benchmark wait up to S seconds for other processes to use under "
        f"{OTHER_LOAD_NOTE_PERCENT:.0f}%% of the CPU (for shared machines; default 0: no wait)",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the saved results as Markdown tables (runs nothing)",
    )
    args = parser.parse_args(argv)
    if args.list:
        for name, function in BENCHMARKS.items():
            module = sys.modules[function.__module__]
            print((module.__doc__ or name).strip().splitlines()[0])
        return 0
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    if args.markdown:
        print(markdown(names))
        return 0

    machine = machine_info()
    print(f"machine: {describe_machine(machine)}", flush=True)
    results: list[BenchResult] = []
    failed: list[str] = []
    for name in names:
        waited: float | None = None
        if args.wait_quiet > 0:
            waited, share = wait_for_quiet(
                machine["nproc"], args.wait_quiet, OTHER_LOAD_NOTE_PERCENT
            )
            print(
                f"waited {waited:.0f} s for a quiet machine (others at {share:.0f}% of the CPU)",
                file=sys.stderr,
                flush=True,
            )
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        other = OtherLoad()
        try:
            result = BENCHMARKS[name](args.quick)
        except Exception:
            # A benchmark that could not measure is reported, and the others still run.
            traceback.print_exc()
            failed.append(name)
            continue
        result.seconds = time.perf_counter() - started
        other_percent = round(other.percent(machine["nproc"]), 1)
        result.params["other_processes_cpu_percent"] = other_percent
        if waited is not None:
            result.params["waited_for_quiet_s"] = round(waited)
        if other_percent > OTHER_LOAD_NOTE_PERCENT:
            result.notes.append(
                f"other processes used {other_percent}% of this machine's CPU while it ran: "
                "expect these numbers to be noisy"
            )
        results.append(result)
        saved = "" if args.no_save or args.quick else f", saved {save_result(result, machine)}"
        print(f"  {name}: {result.seconds:.1f} s{saved}", file=sys.stderr, flush=True)
    if results:
        print()
        print(table(results))
        for result in results:
            for note in result.notes:
                print(f"note ({result.name}): {note}")
    if failed:
        print(f"could not measure: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
