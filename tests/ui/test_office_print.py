"""Printing finished PDFs on the office printer: actual size, every page, clear failures."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfgen.canvas import Canvas

from counter_app.config.settings import FAKE_DEVICES, OFFICE_PRINTER, Settings
from counter_app.ui.office_print import (
    OfficePrintFailed,
    office_printer,
    print_on_office_printer,
    print_pdf,
)


def _pdf(path: Path, pages: list[tuple[float, float]]) -> Path:
    canvas = Canvas(str(path))
    for size in pages:
        canvas.setPageSize(size)
        canvas.rect(36, 36, size[0] - 72, size[1] - 72, fill=1)  # ink to find on the paper
        canvas.showPage()
    canvas.save()
    return path


def test_pages_come_out_at_their_own_size(qtbot: QtBot, tmp_path: Path) -> None:
    source = _pdf(tmp_path / "receipt.pdf", [A5, A5])
    settings = Settings(tmp_path / "settings.json")
    printed = print_on_office_printer(source, settings)
    assert printed.simulated  # no printer on the test machine: the demo's simulated one
    assert printed.pages == 2
    out = pypdf.PdfReader(io.BytesIO(Path(printed.printer).read_bytes()))
    assert len(out.pages) == 2
    for page in out.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(A5[0], abs=2)  # no fit-to-page: A5 stays A5
        assert height == pytest.approx(A5[1], abs=2)
        assert "/XObject" in page["/Resources"]  # the page was drawn, not left blank
    assert Path(printed.printer).parent == tmp_path / "printed"


def test_an_unreadable_pdf_is_a_clear_failure(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not a document")
    printer, _simulated = office_printer(Settings(tmp_path / "s.json"), "broken")
    with pytest.raises(OfficePrintFailed) as failed:
        print_pdf(broken, printer)
    assert failed.value.code == "printing.office_failed"


def test_a_missing_printer_without_simulation_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set(FAKE_DEVICES, False)
    settings.set(OFFICE_PRINTER, "Nowhere-4000")
    with pytest.raises(OfficePrintFailed) as refused:
        office_printer(settings, "job")
    assert refused.value.params == {"printer": "Nowhere-4000"}


def test_an_a4_list_keeps_a4(qtbot: QtBot, tmp_path: Path) -> None:
    source = _pdf(tmp_path / "list.pdf", [A4])
    printed = print_on_office_printer(source, Settings(tmp_path / "settings.json"))
    page = pypdf.PdfReader(printed.printer).pages[0]
    assert float(page.mediabox.width) == pytest.approx(A4[0], abs=2)
