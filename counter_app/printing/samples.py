"""Every printed layout filled with demo data, written to a folder (``counter-app print-samples``).

For people checking a layout by eye and for other tools checking it by machine: the queue
ticket as the ESC/POS bytes the printer receives and a PNG of how they print, the intake
receipt, each policy and endorsement layout (the pre-printed ones both as printed, fields
only, and as previewed over the form's scan), the calibration page and a day's blank-form
reconciliation played through the ledger.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter_app.config.resources import demo_policies_file
from counter_app.domain.blank_forms import (
    BRANCH_STOCK,
    FormType,
    Ledger,
    SerialRange,
    SerialState,
    ranges_of,
)
from counter_app.domain.blank_forms import blank_counts as _blank_counts
from counter_app.domain.blank_forms import reconcile as _reconcile
from counter_app.domain.intake import Channel, Form, IntakeReceipt, ReceiptLine
from counter_app.printing.escpos_preview import decode, render_png
from counter_app.printing.form_layout import all_layouts
from counter_app.printing.form_pdf import render_calibration_page, render_form
from counter_app.printing.forms_report import ReportHeader, UnreturnedRange, reconciliation_pdf
from counter_app.printing.intake_pdf import render_receipt_pdf
from counter_app.printing.profiles import load_ticket_profile
from counter_app.printing.ticket import TicketSlip, render_ticket

BRANCH = "演示分公司客服中心"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # samples are the same on every run

TICKET = TicketSlip(
    branch_name=BRANCH,
    service_name="出单/批改",
    number="A023",
    people_ahead=5,
    estimated_wait_minutes=12,
    issued_at=NOW,
    ticket_id="0196c3a2-7b1e-7c3d-9f00-1234567890ab",
    priority_label="老年人优先",
    notice="请留意叫号，过号请到前台重新取号",
)

RECEIPT = IntakeReceipt(
    receipt_number="SD20261123-0007",
    claim_number="RDAA202611230000001234",
    claim_type_name="车辆损失险（单车事故）",
    branch_name=BRANCH,
    contact_phone="95500",
    opened_at=NOW,
    collector="李娜",
    submitter="张*",
    submitter_phone="138****5678",
    plate="粤A·12345",
    channel=Channel.COUNTER,
    received=(
        ReceiptLine("机动车辆保险索赔申请书", Form.ORIGINAL, 1),
        ReceiptLine("驾驶证", Form.COPY, 1),
        ReceiptLine("行驶证", Form.COPY, 1),
        ReceiptLine("交通事故认定书", Form.ORIGINAL, 2),
    ),
    missing=(ReceiptLine("维修发票", None), ReceiptLine("银行卡（被保险人）", None)),
    due=date(2026, 11, 30),
    printed_at=NOW,
)

JQ = FormType("JQ", "交强险保单", "JQ", 10)
SY = FormType("SY", "商业险保单", "SY", 10)


@dataclass(frozen=True)
class Sample:
    path: Path
    what: str


def demo_documents() -> list[dict[str, Any]]:
    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    return list(batch["policies"]) + list(batch["endorsements"])


def _day_ledger() -> tuple[list[Any], list[UnreturnedRange], dict[str, FormType]]:
    """A day at the branch played through the ledger: stock received, stacks issued, policies
    printed, a misprint voided, a form lost, the evening's write-off and take-back."""
    ledger = Ledger()
    for kind, base in ((JQ, 100_001), (SY, 200_001)):
        ledger.receive(kind.code, SerialRange(base, base + 499))
    opening = _blank_counts(ledger)
    day = []
    day += ledger.issue("JQ", SerialRange(100_001, 100_050), "clerk")
    day += ledger.issue("SY", SerialRange(200_001, 200_030), "clerk")
    day += ledger.issue("JQ", SerialRange(100_051, 100_080), "clerk2")
    for n in range(12):
        day.append(ledger.use("JQ", "clerk", f"PDZA2026440100000{n:05d}"))
    for n in range(7):
        day.append(ledger.use("SY", "clerk", f"PDAA2026440100000{n:05d}"))
    for n in range(9):
        day.append(ledger.use("JQ", "clerk2", f"PDZA2026440100001{n:04d}"))
    day.append(ledger.void("JQ", 100_013, "clerk", "套打错位", "manager"))
    day.append(ledger.lose("JQ", 100_079, "客户带走空白单证，已报失"))
    day += ledger.write_off("JQ", list(range(100_001, 100_014)), "clerk")
    day += ledger.take_back("JQ", SerialRange(100_070, 100_078), "clerk2")
    lines = _reconcile(opening, day, _blank_counts(ledger))
    assert BRANCH_STOCK in {line.holder for line in lines}
    unreturned = [
        UnreturnedRange(code, record.holder, record.state, SerialRange(serial, serial))
        for (code, serial), record in sorted(ledger.records.items())
        if record.state in (SerialState.USED, SerialState.VOIDED)
    ]
    return lines, unreturned, {"JQ": JQ, "SY": SY}


def _merged(single: list[UnreturnedRange]) -> list[UnreturnedRange]:
    """Consecutive serials of one holder and state as one range, as the hub reports them."""
    groups: dict[tuple[str, str, SerialState], list[int]] = {}
    for item in single:
        groups.setdefault((item.form_type, item.holder, item.state), []).append(item.serials.first)
    return [
        UnreturnedRange(code, holder, state, span)
        for (code, holder, state), serials in sorted(groups.items())
        for span in ranges_of(serials)
    ]


def write_samples(out: Path) -> list[Sample]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Sample] = []

    def put(name: str, data: bytes, what: str) -> None:
        path = out / name
        path.write_bytes(data)
        written.append(Sample(path, what))

    for profile_name in ("ticket-80mm", "ticket-58mm"):
        profile = load_ticket_profile(profile_name)
        data = render_ticket(TICKET, profile, SHANGHAI)
        put(f"ticket-{profile_name}.bin", data, "queue ticket, ESC/POS bytes")
        preview = render_png(decode(data, profile.encoding), profile.printable_width_dots)
        preview.save(out / f"ticket-{profile_name}.png")
        written.append(Sample(out / f"ticket-{profile_name}.png", "queue ticket, as printed"))

    put("intake-receipt-A5.pdf", render_receipt_pdf(RECEIPT, SHANGHAI, "A5"), "intake receipt")

    documents = demo_documents()
    for name, layout in sorted(all_layouts().items()):
        for document in documents:
            if not layout.accepts(document):
                continue
            number = document.get("policy_number") if layout.document == "policy" else None
            number = number or document.get("endorsement_number", "")
            put(f"form-{name}-{number}.pdf", render_form(layout, document), layout.title)
            if layout.background is not None:
                put(
                    f"form-{name}-{number}-preview.pdf",
                    render_form(layout, document, background=True),
                    f"{layout.title} (preview over the scanned form)",
                )
        if layout.paper == "preprinted":  # plain paper needs no lining up with a form
            calibration = render_calibration_page(layout.width_mm, layout.height_mm)
            put(f"calibration-{name}.pdf", calibration, f"calibration page for {layout.title}")

    lines, unreturned, kinds = _day_ledger()
    header = ReportHeader(BRANCH, NOW.date(), NOW.date(), NOW, "王内勤", SHANGHAI)
    names = {"clerk": "张出单", "clerk2": "刘出单"}
    put(
        "forms-reconciliation-day.pdf",
        reconciliation_pdf(header, lines, kinds, names, _merged(unreturned)),
        "daily blank-form reconciliation",
    )
    return written
