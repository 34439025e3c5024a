"""``counter-app print-samples``: every layout written, each file what it says it is."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from counter_app.cli import main
from counter_app.printing.escpos_preview import decode
from counter_app.printing.form_layout import all_layouts
from counter_app.printing.profiles import load_ticket_profile
from counter_app.printing.samples import SHANGHAI, TICKET, demo_documents
from counter_app.printing.ticket import render_ticket

MM = 72 / 25.4


def test_every_layout_is_written_with_demo_data(tmp_path: Path) -> None:
    out = tmp_path / "samples"
    assert main(["--temp-basedir", "print-samples", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}

    for profile in ("ticket-80mm", "ticket-58mm"):
        data = (out / f"ticket-{profile}.bin").read_bytes()
        assert data == render_ticket(TICKET, load_ticket_profile(profile), SHANGHAI)
        assert TICKET.branch_name in "".join(decode(data).text_lines)
        with Image.open(out / f"ticket-{profile}.png") as png:  # the paper, with its margins
            assert png.width >= load_ticket_profile(profile).printable_width_dots

    documents = demo_documents()
    for name, layout in all_layouts().items():
        printed = [d for d in documents if layout.accepts(d)]
        assert printed, f"no demo document for {name}"
        for document in printed:
            number = document.get("endorsement_number") or document["policy_number"]
            pdf = PdfReader(BytesIO((out / f"form-{name}-{number}.pdf").read_bytes()))
            box = pdf.pages[0].mediabox
            assert round(float(box.width) / MM) == round(layout.width_mm)
            assert round(float(box.height) / MM) == round(layout.height_mm)
            assert number in "".join(page.extract_text() for page in pdf.pages)
            assert (f"form-{name}-{number}-preview.pdf" in names) == (layout.paper == "preprinted")
        assert (f"calibration-{name}.pdf" in names) == (layout.paper == "preprinted")

    receipt = PdfReader(BytesIO((out / "intake-receipt-A5.pdf").read_bytes()))
    assert "SD20261123-0007" in receipt.pages[0].extract_text()
    report = PdfReader(BytesIO((out / "forms-reconciliation-day.pdf").read_bytes()))
    text = "".join(page.extract_text() for page in report.pages)
    assert "有价单证日结对账表" in text
    assert "JQ0000100051" in text  # the used forms not yet handed back
