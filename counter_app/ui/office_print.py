"""Printing finished PDFs (intake receipts, handover lists) on the workstation's office printer.

The PDF is drawn page by page at its own size from the paper's top-left corner (full page, no
fit-to-page), so a receipt measures on paper what it measures in the file. The office printer
is the one named in ``printing.office_printer`` (empty: the system's default). With simulated
devices and no printer installed, the "printer" is a PDF written into the workstation's
``printed/`` folder, which the demo uses too. A failed print keeps the PDF: printing it again
is the retry.

Policy forms go to the form printer (``printing.form_printer``): ``form_printer`` names it, or
says the print dialog must choose when none is configured and printers are installed.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.config.settings import FAKE_DEVICES, FORM_PRINTER, OFFICE_PRINTER, Settings
from counter_app.domain.errors import DomainError

_POINTS_PER_INCH = 72.0
# What the simulated printer is called where a name is needed (its calibration, the job).
SIMULATED_PRINTER = "simulated-pdf"
# Pages are drawn as images: finer than this only makes the spool file huge and slow; office
# and dot-matrix printers print at 600 dpi or less.
MAX_RENDER_DPI = 600


class OfficePrintFailed(DomainError):
    code = "printing.office_failed"
    http_status = 503


@dataclass(frozen=True)
class Printed:
    pages: int
    printer: str  # the printer's name, or the simulated printer's output file
    simulated: bool


def printed_folder(settings: Settings) -> Path:
    if settings.path is not None:
        return settings.path.parent / "printed"
    return Path(tempfile.gettempdir()) / "counter-app-printed"


def office_printer(settings: Settings, job: str) -> tuple[QPrinter, bool]:
    """The configured printer; the simulated one (a PDF file) when none is installed."""
    return printer_named(settings, settings.get(OFFICE_PRINTER), job)


def installed_printers() -> list[str]:
    return sorted(QPrinterInfo.availablePrinterNames())


def printer_named(settings: Settings, name: str, job: str) -> tuple[QPrinter, bool]:
    """The printer called ``name`` (empty: the system's default); the simulated one, writing
    ``printed/<job>.pdf``, when it is not installed and simulated devices are on."""
    name = name.strip()
    found = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if not found.isNull():
        return QPrinter(found, QPrinter.PrinterMode.HighResolution), False
    if name and not settings.get(FAKE_DEVICES):
        raise OfficePrintFailed("the configured printer is not installed", printer=name)
    if not settings.get(FAKE_DEVICES):
        raise OfficePrintFailed("no printer is installed", printer="")
    return simulated_printer(settings, job), True


def simulated_printer(settings: Settings, job: str) -> QPrinter:
    folder = printed_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(folder / f"{job}.pdf"))
    return printer


@dataclass(frozen=True)
class FormPrinter:
    """The printer a policy form goes to, and the name its calibration is kept under."""

    printer: QPrinter
    name: str
    simulated: bool

    @property
    def where(self) -> str:
        """For the clerk: the printer's name, or the simulated printer's output file."""
        return self.printer.outputFileName() if self.simulated else self.name


def form_printer(settings: Settings, job: str) -> FormPrinter | None:
    """``printing.form_printer``, or the simulated printer when nothing is installed and
    simulated devices are on. None: no form printer is configured, so the print dialog
    chooses one (``chosen_printer`` after it)."""
    name = settings.get(FORM_PRINTER).strip()
    if not name and installed_printers():
        return None
    printer, simulated = printer_named(settings, name, job)
    if simulated:
        return FormPrinter(printer, name or SIMULATED_PRINTER, True)
    return FormPrinter(printer, printer.printerName() or name, False)


def chosen_printer(printer: QPrinter) -> FormPrinter:
    """A printer set up in the print dialog (printing to a file counts as simulated)."""
    to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    return FormPrinter(printer, printer.printerName() or SIMULATED_PRINTER, to_file)


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Draw every page of the PDF at ``path`` on ``printer`` at actual size; returns pages."""
    document = QPdfDocument()
    document.load(str(path))
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise OfficePrintFailed("the PDF to print cannot be read", file=path.name)
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageSize(
        QPageSize(QSizeF(first), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    )
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    painter = QPainter()
    if not painter.begin(printer):
        raise OfficePrintFailed("the printer did not accept the job", printer=printer.printerName())
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page and not printer.newPage():
                raise OfficePrintFailed("the printer stopped in the middle of the job")
            points = document.pagePointSize(page)
            width = points.width() / _POINTS_PER_INCH * dpi
            height = points.height() / _POINTS_PER_INCH * dpi
            pixels = min(dpi, MAX_RENDER_DPI) / _POINTS_PER_INCH
            size = QSize(round(points.width() * pixels), round(points.height() * pixels))
            image = document.render(page, size)
            if image.isNull():
                raise OfficePrintFailed("a page of the PDF could not be drawn", page=page + 1)
            painter.drawImage(QRectF(0, 0, width, height), image)
    finally:
        painter.end()
    return document.pageCount()


def print_on_office_printer(path: Path, settings: Settings) -> Printed:
    printer, simulated = office_printer(settings, path.stem)
    pages = print_pdf(path, printer)
    where = printer.outputFileName() if simulated else printer.printerName()
    return Printed(pages, where, simulated)
