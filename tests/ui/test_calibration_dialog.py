"""Calibrating the form printer: the ruler page at the form's size, the correction worked out
from the measured crosses, saved for that printer and sent with every job printed on it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.calibration import CalibrationStore, PrinterCalibration
from counter_app.config.settings import FORM_PRINTER, Settings
from counter_app.printing.form_pdf import Calibration
from counter_app.ui.calibration_dialog import CalibrationDialog
from counter_app.ui.policy_print import PolicyPrintPanel
from counter_app.ui.workspaces import Session
from tests.ui.support import session_for

PRINTER = "Form-Printer-Sim"
MM = 72 / 25.4
WAIT_MS = 10_000


@pytest.fixture
def clerk(hub, tmp_path: Path) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    session = session_for(HubClient(hub.url, "CS-ISSUE-02"), "clerk")
    session.settings = Settings(tmp_path / "ws" / "settings.json")
    session.settings.set(FORM_PRINTER, PRINTER)
    yield session
    session.tasks.wait(5000)
    session.link.shutdown()
    session.client.close()


def dialog_for(qtbot: QtBot, clerk: Session) -> CalibrationDialog:
    dialog = CalibrationDialog(clerk)
    qtbot.addWidget(dialog, before_close_func=lambda w: w.session.tasks.wait(5000))
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_saved_values_go_with_every_job_printed_on_that_printer(
    qtbot: QtBot, clerk: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = dialog_for(qtbot, clerk)
    assert dialog.printer() == PRINTER  # the configured form printer is offered first
    assert dialog.values() == PrinterCalibration()
    dialog.dx_spin.setValue(1.5)
    dialog.dy_spin.setValue(-0.8)
    dialog.sy_spin.setValue(0.998)
    dialog.dx_spin.setValue(25)  # beyond the printer's reach: the box stops at 20 mm
    assert dialog.dx_spin.value() == 20
    dialog.dx_spin.setValue(1.5)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save is not None
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "Saved for" in dialog.message.text()
    assert clerk.settings.path is not None
    stored = CalibrationStore.load(clerk.settings.path.parent / "calibration.json")
    assert stored.get(PRINTER) == PrinterCalibration(1.5, -0.8, 1.0, 0.998)
    dialog.close()

    asked: list[tuple[Any, ...]] = []
    real = clerk.client.print_job_pdf

    def spy(job_id: uuid.UUID, *args: Any) -> bytes:
        asked.append(args)
        return real(job_id, *args)

    monkeypatch.setattr(clerk.client, "print_job_pdf", spy)
    panel = PolicyPrintPanel(clerk)
    qtbot.addWidget(panel, before_close_func=lambda w: w.session.tasks.wait(5000))
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.accept_scan("PDZA202644010000001234")
    qtbot.waitUntil(lambda: panel.next_form is not None, timeout=WAIT_MS)
    panel.print_document()
    qtbot.waitUntil(lambda: panel.printed_question is not None, timeout=WAIT_MS)
    assert asked == [(1.5, -0.8, 1.0, 0.998)]
    assert panel.printed_question is not None
    panel.printed_question.later_button.click()


def test_the_calibration_page_has_the_forms_size_and_the_crosses_give_the_correction(
    qtbot: QtBot, clerk: Session
) -> None:
    dialog = dialog_for(qtbot, clerk)
    assert dialog.choose_page(241, 140)
    # The crosses belong 20 mm in from the corners; the boxes start there.
    assert (dialog.a_left.value(), dialog.a_top.value()) == (20, 20)
    assert (dialog.b_left.value(), dialog.b_top.value()) == (221, 120)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.printed_to != "", timeout=WAIT_MS)
    page = PdfReader(dialog.printed_to).pages[0]
    assert float(page.mediabox.width) == pytest.approx(241 * MM, abs=2)
    assert float(page.mediabox.height) == pytest.approx(140 * MM, abs=2)
    assert Path(dialog.printed_to).parent.name == "printed"

    # Measured: everything 1.2 mm right and 0.6 mm low, and 1 % taller.
    dialog.a_left.setValue(21.2)
    dialog.a_top.setValue(20.6)
    dialog.b_left.setValue(222.2)
    dialog.b_top.setValue(121.6)
    qtbot.mouseClick(dialog.work_out_button, Qt.MouseButton.LeftButton)
    expected = Calibration.from_marks(241, 140, (21.2, 20.6), (222.2, 121.6))
    assert dialog.dx_spin.value() == pytest.approx(expected.dx_mm, abs=0.05)
    assert dialog.dy_spin.value() == pytest.approx(expected.dy_mm, abs=0.05)
    assert dialog.sy_spin.value() == pytest.approx(expected.scale_y, abs=0.0005)
    assert dialog.dx_spin.value() == pytest.approx(-1.2, abs=0.05)
    assert dialog.sx_spin.value() == pytest.approx(1.0, abs=0.0005)
    assert dialog.sy_spin.value() < 1.0

    # Crosses measured the wrong way round: said, and the values stay.
    before = dialog.values()
    dialog.b_left.setValue(10)
    qtbot.mouseClick(dialog.work_out_button, Qt.MouseButton.LeftButton)
    assert "no usable correction" in dialog.message.text()
    assert dialog.values() == before
    assert QApplication.activeModalWidget() is None
