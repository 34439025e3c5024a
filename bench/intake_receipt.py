"""intake_receipt: time to render the intake post's PDFs, in this process.

    .venv/bin/python bench/intake_receipt.py

Prints one JSON object: the A5 receipt (8 received and 4 missing documents) median and p95 over
50 runs after a warm-up, the handover list (20 files) median over 50 runs, and the first receipt
of the process (font parsing included), the one a counter waits for after starting. Goal for
the receipt: median < 100 ms.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BenchResult, percentile
from counter_app.domain.intake import (
    Channel,
    Form,
    HandoverLine,
    HandoverList,
    IntakeReceipt,
    ReceiptLine,
)
from counter_app.printing.intake_pdf import render_handover_pdf, render_receipt_pdf

NAME = "intake_receipt"
RUNS = 50
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIPT = IntakeReceipt(
    receipt_number="SD20261123-0007",
    claim_number="RDAA202611230000001234",
    claim_type_name="车辆损失险（单车事故）",
    branch_name="中国演示财产保险股份有限公司演示市分公司客户服务中心",
    contact_phone="95500",
    opened_at=datetime(2026, 11, 23, 2, 5, tzinfo=UTC),
    collector="李娜",
    submitter="张*",
    submitter_phone="138****5678",
    plate="沪A·12345",
    channel=Channel.COUNTER,
    received=tuple(
        ReceiptLine(name, Form.ORIGINAL if i % 2 else Form.COPY, 1 + i % 4)
        for i, name in enumerate(
            (
                "机动车辆保险索赔申请书",
                "被保险人身份证",
                "驾驶证",
                "行驶证",
                "交通事故认定书",
                "维修发票",
                "维修清单",
                "银行卡",
            )
        )
    ),
    missing=(
        ReceiptLine("事故现场照片", None),
        ReceiptLine("被保险人身份证", None, note="需原件"),
        ReceiptLine("赔款收据", None),
        ReceiptLine("权益转让书", None),
    ),
    due=date(2026, 11, 30),
    printed_at=datetime(2026, 11, 23, 2, 6, tzinfo=UTC),
)
HANDOVER = HandoverList(
    batch_number="JJ20261123-03",
    branch_name="演示分公司客服中心",
    created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
    created_by="王强",
    files=tuple(
        HandoverLine(
            f"RDAA2026112300000012{i:02d}", f"SD20261123-{i:04d}", "车辆损失险", "沪A·12345", 9, 24
        )
        for i in range(1, 21)
    ),
)


def timed_ms(render: Callable[[], bytes], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(runs: int = RUNS) -> dict[str, float]:
    first = timed_ms(lambda: render_receipt_pdf(RECEIPT, SHANGHAI), 1)[0]
    timed_ms(lambda: render_receipt_pdf(RECEIPT, SHANGHAI), 5)  # warm-up
    receipt = timed_ms(lambda: render_receipt_pdf(RECEIPT, SHANGHAI), runs)
    timed_ms(lambda: render_handover_pdf(HANDOVER, SHANGHAI), 3)
    handover = timed_ms(lambda: render_handover_pdf(HANDOVER, SHANGHAI), runs)
    return {
        "receipt_pdf_ms_p50": round(percentile(receipt, 50), 1),
        "receipt_pdf_ms_p95": round(percentile(receipt, 95), 1),
        "handover_pdf_ms_p50": round(percentile(handover, 50), 1),
        "first_receipt_pdf_ms": round(first, 1),
        "runs": runs,
    }


def run(quick: bool = False) -> BenchResult:
    """For ``python -m bench intake_receipt``."""
    figures = measure(10 if quick else RUNS)
    result = BenchResult(
        NAME, "intake receipt and handover list PDFs", params={"runs": figures["runs"]}
    )
    result.add("receipt PDF median", figures["receipt_pdf_ms_p50"], "ms", "< 100")
    result.add("receipt PDF p95", figures["receipt_pdf_ms_p95"], "ms")
    result.add("handover list PDF median", figures["handover_pdf_ms_p50"], "ms")
    result.add("first receipt of a process", figures["first_receipt_pdf_ms"], "ms")
    return result


def main() -> None:
    print(json.dumps(measure(), ensure_ascii=False))


if __name__ == "__main__":
    main()
