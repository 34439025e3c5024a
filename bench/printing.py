"""printing: policies rendered to PDF, as the hub renders each print job's page.

The demo's policies are copied into ``--policies`` distinct ones (their numbers, insured names
and plates changed, half 交强险 and half 商业险) and each is rendered on its pre-printed layout
with a calibration, one PDF per policy, the way ``GET /api/printing/jobs/{id}/form.pdf`` does.
The layouts are loaded once beforehand (the hub keeps them); the CJK font is registered by a
warm-up render that is not counted. The same policies are then rendered on their plain-paper
layouts (every label, QR and Code 128).

    .venv/bin/python bench/printing.py [--policies 100]

Prints one JSON object: ``policies``, ``seconds`` (pre-printed, the goal's figure: < 5 s for
100), ``per_policy_ms``, and the plain-paper figures beside them.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchResult, machine_info

NAME = "printing"
POLICIES = 100


def policies(count: int) -> list[dict[str, Any]]:
    from counter_app.config.resources import demo_policies_file

    demo = json.loads(demo_policies_file().read_text(encoding="utf-8"))["policies"]
    made = []
    for n in range(count):
        policy = copy.deepcopy(demo[n % len(demo)])
        prefix = policy["policy_number"][:4]
        policy["policy_number"] = f"{prefix}2026440100{n:08d}"
        policy["insured"]["name"] = policy["insured"]["name"] + f"{n:03d}"
        policy["vehicle"]["plate"] = f"粤A{n:05d}"
        made.append(policy)
    return made


def measure(count: int = POLICIES) -> dict[str, Any]:
    from counter_app.printing.form_layout import all_layouts
    from counter_app.printing.form_pdf import Calibration, render_form

    layouts = all_layouts()
    work = policies(count)
    on_form = {"compulsory": layouts["jq-policy"], "commercial": layouts["sy-policy"]}
    plain = {"compulsory": layouts["jq-policy-plain"], "commercial": layouts["sy-policy-plain"]}
    calibration = Calibration(1.5, -0.8)
    render_form(on_form["compulsory"], work[0], calibration=calibration)  # fonts, caches

    began = time.perf_counter()
    sizes = [
        len(render_form(on_form[p["product"]], p, calibration=calibration, part="form"))
        for p in work
    ]
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    plain_sizes = [len(render_form(plain[p["product"]], p)) for p in work]
    plain_seconds = time.perf_counter() - began
    return {
        "policies": count,
        "seconds": round(seconds, 3),
        "per_policy_ms": round(seconds / count * 1000, 2),
        "plain_seconds": round(plain_seconds, 3),
        "plain_per_policy_ms": round(plain_seconds / count * 1000, 2),
        "pdf_bytes_mean": round(sum(sizes) / count),
        "plain_pdf_bytes_mean": round(sum(plain_sizes) / count),
        "goal": "< 5 s for 100",
        "machine": machine_info(),
    }


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench printing``."""
    figures = measure(20 if quick else POLICIES)
    result = BenchResult(NAME, "policies rendered to PDF", params={"policies": figures["policies"]})
    result.add("pre-printed, all policies", figures["seconds"], "s", "< 5 (100)")
    result.add("pre-printed, per policy", figures["per_policy_ms"], "ms")
    result.add("plain paper, per policy", figures["plain_per_policy_ms"], "ms")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--policies", type=int, default=POLICIES)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.policies), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
