"""Calibrating a form printer: print the ruler page, measure its two crosses, save the
correction for that printer (``calibration.json`` next to the workstation's settings).

The crosses sit 20 mm in from the top-left and the bottom-right corners of a page the size of
the form. Either type the correction itself (shift and scale), or type where the crosses were
measured and let the dialog work it out against the calibration the page was printed with.
Every print of a policy on that printer then sends the correction with the job.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.config.calibration import (
    MAX_SCALE,
    MAX_SHIFT_MM,
    MIN_SCALE,
    CalibrationStore,
    PrinterCalibration,
)
from counter_app.config.settings import FAKE_DEVICES, FORM_PRINTER, SettingsError
from counter_app.domain.errors import DomainError
from counter_app.ui.office_print import (
    SIMULATED_PRINTER,
    OfficePrintFailed,
    installed_printers,
    print_pdf,
    printer_named,
)
from counter_app.ui.widgets import ERROR_TEXT

if TYPE_CHECKING:
    from counter_app.ui.workspaces.base import Session

CROSS_INSET_MM = 20.0  # where render_calibration_page draws its crosses


@dataclass(frozen=True)
class PageSize:
    """A paper the forms are printed on, from a form layout."""

    title: str
    width_mm: float
    height_mm: float


# The shipped forms, for a workstation whose layouts folder cannot be read.
FALLBACK_PAGES = (
    PageSize("交强险保单", 241.0, 140.0),
    PageSize("商业险保单", 210.0, 297.0),
    PageSize("批单", 210.0, 148.0),
)


def form_pages() -> list[PageSize]:
    """One entry per paper size of the layouts, pre-printed forms first."""
    try:
        from counter_app.printing.form_layout import all_layouts

        layouts = sorted(all_layouts().values(), key=lambda x: (x.paper != "preprinted", x.name))
    except (OSError, DomainError):  # a missing or broken layouts folder: the shipped sizes
        return list(FALLBACK_PAGES)
    pages: list[PageSize] = []
    seen: set[tuple[float, float]] = set()
    for layout in layouts:
        size = (layout.width_mm, layout.height_mm)
        if size not in seen:
            seen.add(size)
            pages.append(PageSize(layout.title, layout.width_mm, layout.height_mm))
    return pages or list(FALLBACK_PAGES)


def _spin(
    minimum: float, maximum: float, step: float, decimals: int, suffix: str = ""
) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(minimum, maximum)
    spin.setSingleStep(step)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class CalibrationDialog(QDialog):
    """Choose the printer and the paper, print the ruler page, enter the correction, save."""

    calibration_saved = Signal(str, object)  # printer name, PrinterCalibration

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calibrationDialog")
        self.session = session
        self.store: CalibrationStore | None = None
        self._scratch = Path(tempfile.gettempdir())
        self.printed_to = ""  # where the last calibration page went (a file when simulated)

        self.printer_label = QLabel()
        self.printer_box = QComboBox()
        self.printer_box.setObjectName("calibrationPrinter")
        self.printer_label.setBuddy(self.printer_box)
        self.page_label = QLabel()
        self.page_box = QComboBox()
        self.page_box.setObjectName("calibrationPage")
        self.page_label.setBuddy(self.page_box)
        self.print_button = QPushButton()
        self.print_button.setObjectName("calibrationPrint")
        choose = QFormLayout()
        choose.addRow(self.printer_label, self.printer_box)
        page_row = QHBoxLayout()
        page_row.addWidget(self.page_box, 1)
        page_row.addWidget(self.print_button)
        choose.addRow(self.page_label, page_row)

        self.explanation = QLabel()
        self.explanation.setObjectName("calibrationHowTo")
        self.explanation.setWordWrap(True)

        # --- the correction itself ---
        self.values_box = QGroupBox()
        self.dx_label, self.dy_label = QLabel(), QLabel()
        self.sx_label, self.sy_label = QLabel(), QLabel()
        self.dx_spin = _spin(-MAX_SHIFT_MM, MAX_SHIFT_MM, 0.1, 1, " mm")
        self.dx_spin.setObjectName("calibrationDx")
        self.dy_spin = _spin(-MAX_SHIFT_MM, MAX_SHIFT_MM, 0.1, 1, " mm")
        self.dy_spin.setObjectName("calibrationDy")
        self.sx_spin = _spin(MIN_SCALE, MAX_SCALE, 0.001, 3)
        self.sx_spin.setObjectName("calibrationScaleX")
        self.sy_spin = _spin(MIN_SCALE, MAX_SCALE, 0.001, 3)
        self.sy_spin.setObjectName("calibrationScaleY")
        for label, spin in (
            (self.dx_label, self.dx_spin),
            (self.dy_label, self.dy_spin),
            (self.sx_label, self.sx_spin),
            (self.sy_label, self.sy_spin),
        ):
            label.setBuddy(spin)
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("calibrationReset")
        values = QGridLayout(self.values_box)
        values.addWidget(self.dx_label, 0, 0)
        values.addWidget(self.dx_spin, 0, 1)
        values.addWidget(self.dy_label, 0, 2)
        values.addWidget(self.dy_spin, 0, 3)
        values.addWidget(self.sx_label, 1, 0)
        values.addWidget(self.sx_spin, 1, 1)
        values.addWidget(self.sy_label, 1, 2)
        values.addWidget(self.sy_spin, 1, 3)
        values.addWidget(self.reset_button, 2, 3)
        values.setColumnStretch(1, 1)
        values.setColumnStretch(3, 1)

        # --- or where the crosses were measured ---
        self.marks_box = QGroupBox()
        self.a_label, self.b_label = QLabel(), QLabel()
        self.left_label, self.top_label = QLabel(), QLabel()
        self.a_left = _spin(0, 600, 0.1, 1, " mm")
        self.a_left.setObjectName("markALeft")
        self.a_top = _spin(0, 600, 0.1, 1, " mm")
        self.a_top.setObjectName("markATop")
        self.b_left = _spin(0, 600, 0.1, 1, " mm")
        self.b_left.setObjectName("markBLeft")
        self.b_top = _spin(0, 600, 0.1, 1, " mm")
        self.b_top.setObjectName("markBTop")
        self.work_out_button = QPushButton()
        self.work_out_button.setObjectName("calibrationWorkOut")
        marks = QGridLayout(self.marks_box)
        marks.addWidget(self.left_label, 0, 1)
        marks.addWidget(self.top_label, 0, 2)
        marks.addWidget(self.a_label, 1, 0)
        marks.addWidget(self.a_left, 1, 1)
        marks.addWidget(self.a_top, 1, 2)
        marks.addWidget(self.b_label, 2, 0)
        marks.addWidget(self.b_left, 2, 1)
        marks.addWidget(self.b_top, 2, 2)
        marks.addWidget(self.work_out_button, 3, 2)
        marks.setColumnStretch(1, 1)
        marks.setColumnStretch(2, 1)

        self.message = QLabel()
        self.message.setObjectName("calibrationMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.explanation)
        layout.addWidget(self.values_box)
        layout.addWidget(self.marks_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        self.printer_box.currentIndexChanged.connect(self._printer_chosen)
        self.page_box.currentIndexChanged.connect(self._page_chosen)
        self.print_button.clicked.connect(self.print_page)
        self.reset_button.clicked.connect(self._reset)
        self.work_out_button.clicked.connect(self.work_out)

        self.pages = form_pages()
        self.retranslate()
        self._load_store()
        self._fill_printers()
        self.printer_box.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Form printer calibration"))
        self.printer_label.setText(self.tr("Printer:"))
        self.page_label.setText(self.tr("Paper:"))
        self.print_button.setText(self.tr("Print calibration page"))
        inset = f"{CROSS_INSET_MM:g}"
        self.explanation.setText(
            self.tr(
                "1. Put a form of the chosen paper in the printer and print the calibration "
                "page. 2. With a ruler, measure the centre of cross A from the left and the top "
                "edge of the paper (it belongs %1 mm from each), and cross B the same way. "
                "3. Type the four distances and press “Work out”, or type the correction "
                "itself: shift = %1 − measured distance of A (mm; plus moves right or down). "
                "4. Save, print the page again: the crosses should be within 0.5 mm."
            ).replace("%1", inset)
        )
        self.values_box.setTitle(self.tr("Correction for this printer"))
        self.dx_label.setText(self.tr("Shift right:"))
        self.dy_label.setText(self.tr("Shift down:"))
        self.sx_label.setText(self.tr("Scale across:"))
        self.sy_label.setText(self.tr("Scale down:"))
        self.reset_button.setText(self.tr("No correction"))
        self.marks_box.setTitle(self.tr("Or: where the crosses were measured"))
        self.a_label.setText(self.tr("Cross A (top left):"))
        self.b_label.setText(self.tr("Cross B (bottom right):"))
        self.left_label.setText(self.tr("From the left edge"))
        self.top_label.setText(self.tr("From the top edge"))
        self.work_out_button.setText(self.tr("Work out"))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setText(self.tr("Save"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText(self.tr("Close"))
        chosen = self.page_box.currentIndex()
        self.page_box.blockSignals(True)
        self.page_box.clear()
        for page in self.pages:
            self.page_box.addItem(fill_size(self.tr("%1 (%2 × %3 mm)"), page))
        self.page_box.setCurrentIndex(max(0, chosen))
        self.page_box.blockSignals(False)
        self._page_chosen()
        self._fill_printers()

    # --- the printers ---
    def _load_store(self) -> None:
        try:
            self.store = CalibrationStore.for_settings(self.session.settings)
        except SettingsError as error:
            self.store = None
            self._say(self.session.messages.describe(error), True)

    def printer_names(self) -> list[str]:
        """Installed printers, the configured form printer, and those calibrated before; the
        simulated printer when simulated devices are on and nothing is installed."""
        settings = self.session.settings
        names = list(installed_printers())
        configured = settings.get(FORM_PRINTER).strip()
        if configured and configured not in names:
            names.insert(0, configured)
        if not names and settings.get(FAKE_DEVICES):
            names.append(SIMULATED_PRINTER)
        if self.store is not None:
            names += [n for n in self.store.printers() if n not in names]
        return names

    def _fill_printers(self) -> None:
        chosen = self.printer_box.currentData() or self.session.settings.get(FORM_PRINTER).strip()
        self.printer_box.blockSignals(True)
        self.printer_box.clear()
        for name in self.printer_names():
            shown = self.tr("Simulated printer (PDF file)") if name == SIMULATED_PRINTER else name
            self.printer_box.addItem(shown, name)
        self.printer_box.setCurrentIndex(max(0, self.printer_box.findData(chosen)))
        self.printer_box.blockSignals(False)
        self._printer_chosen()

    def printer(self) -> str:
        return str(self.printer_box.currentData() or "")

    def choose_printer(self, name: str) -> None:
        index = self.printer_box.findData(name)
        if index < 0:
            self.printer_box.addItem(name, name)
            index = self.printer_box.count() - 1
        self.printer_box.setCurrentIndex(index)

    @Slot()
    def _printer_chosen(self) -> None:
        name = self.printer()
        current = self.store.get(name) if self.store is not None and name else None
        self.show_values(current or PrinterCalibration())
        has_printer = bool(name)
        self.print_button.setEnabled(has_printer)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(has_printer and self.store is not None)

    @Slot()
    def _page_chosen(self) -> None:
        width, height = self.page_size()
        # Where the crosses belong: a starting point the clerk corrects with the ruler.
        for spin, value in (
            (self.a_left, CROSS_INSET_MM),
            (self.a_top, CROSS_INSET_MM),
            (self.b_left, width - CROSS_INSET_MM),
            (self.b_top, height - CROSS_INSET_MM),
        ):
            spin.setValue(value)

    def page_size(self) -> tuple[float, float]:
        index = self.page_box.currentIndex()
        if 0 <= index < len(self.pages):
            return self.pages[index].width_mm, self.pages[index].height_mm
        return 210.0, 297.0

    def choose_page(self, width_mm: float, height_mm: float) -> bool:
        for index, page in enumerate(self.pages):
            if (page.width_mm, page.height_mm) == (width_mm, height_mm):
                self.page_box.setCurrentIndex(index)
                return True
        return False

    # --- the values ---
    def values(self) -> PrinterCalibration:
        return PrinterCalibration(
            round(self.dx_spin.value(), 2),
            round(self.dy_spin.value(), 2),
            round(self.sx_spin.value(), 4),
            round(self.sy_spin.value(), 4),
        )

    def show_values(self, calibration: PrinterCalibration) -> None:
        self.dx_spin.setValue(calibration.dx_mm)
        self.dy_spin.setValue(calibration.dy_mm)
        self.sx_spin.setValue(calibration.scale_x)
        self.sy_spin.setValue(calibration.scale_y)

    @Slot()
    def _reset(self) -> None:
        self.show_values(PrinterCalibration())

    @Slot()
    def work_out(self) -> None:
        """The correction from the measured crosses, merged with the values the page was
        printed with (the ones shown)."""
        from counter_app.printing.form_pdf import Calibration

        width, height = self.page_size()
        now = self.values()
        try:
            found = Calibration.from_marks(
                width,
                height,
                (self.a_left.value(), self.a_top.value()),
                (self.b_left.value(), self.b_top.value()),
                Calibration(now.dx_mm, now.dy_mm, now.scale_x, now.scale_y),
            )
            result = PrinterCalibration(found.dx_mm, found.dy_mm, found.scale_x, found.scale_y)
        except (DomainError, SettingsError) as error:
            self._say(
                self.tr("These distances give no usable correction: %1").replace(
                    "%1", self.session.messages.describe(error)
                ),
                True,
            )
            return
        self.show_values(result)
        self._say(self.tr("Worked out; save it, then print the page again to check."))

    @Slot()
    def save(self) -> None:
        name = self.printer()
        if self.store is None or not name:
            return
        try:
            values = self.values()
            self.store.set(name, values.dx_mm, values.dy_mm, values.scale_x, values.scale_y)
            self.store.save()
        except (SettingsError, OSError) as error:
            self._say(self.session.messages.describe(error), True)
            return
        self._say(self.tr("Saved for %1; policy forms printed on it use it.").replace("%1", name))
        self.calibration_saved.emit(name, values)

    # --- the ruler page ---
    @Slot()
    def print_page(self) -> None:
        name = self.printer()
        if not name:
            return
        width, height = self.page_size()
        c = self.values()
        client = self.session.client
        self.print_button.setEnabled(False)
        self._say(self.tr("Printing the calibration page…"))
        self.session.call(
            lambda: client.calibration_pdf(width, height, c.dx_mm, c.dy_mm, c.scale_x, c.scale_y)
        ).success(lambda data: self._page_ready(name, data)).failure(self._page_failed)

    def _page_ready(self, name: str, data: bytes) -> None:
        self.print_button.setEnabled(True)
        job = f"calibration-{_file_part(name)}"
        source = self._scratch / f"{job}-source.pdf"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            source.write_bytes(data)
            printer, simulated = printer_named(self.session.settings, name, job)
            print_pdf(source, printer)
        except (OfficePrintFailed, OSError) as error:
            self._say(self.session.messages.describe(error), True)
            return
        finally:
            QApplication.restoreOverrideCursor()
            source.unlink(missing_ok=True)
        where = printer.outputFileName() if simulated else name
        self._say(
            self.tr("Calibration page printed on %1: measure the crosses.").replace("%1", where)
        )
        self.printed_to = where

    def _page_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self._say(self.session.messages.describe(error), True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;" if problem else "")


def fill_size(template: str, page: PageSize) -> str:
    values = (page.title, f"{page.width_mm:g}", f"{page.height_mm:g}")
    return re.sub(r"%([1-3])", lambda m: values[int(m[1]) - 1], template)


def _file_part(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:60] or "printer"
