"""The policy clerk's printing desk (出单打印): find a policy or endorsement, see it at real size
on the chosen paper, print it on the next numbered blank form, and confirm the form.

A print goes: the job is made on the hub → "sending" names the form it takes (the top of the
clerk's stack) → the fields-only PDF, moved by this printer's calibration, is printed at actual
size → "sent" → the clerk looks at the form and answers: Confirm (the form is used with the
policy number), Misprint (the form is voided with a supervisor's approval and a reprint job
takes the next form), or Later (the job waits in the queue). A printer error marks the job
failed; it keeps its form, and Retry prints on the same one. Nothing is marked printed without
the clerk's confirmation. Every hub call runs off the GUI thread; printing itself runs on it,
as QPrinter wants, with the busy bar showing.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubClient, HubError
from counter_app.config.calibration import CalibrationStore, PrinterCalibration
from counter_app.config.settings import Settings, SettingsError
from counter_app.hub.schemas import (
    EventOut,
    ImportOut,
    LayoutOut,
    PolicyDocumentOut,
    PrintJobOut,
)
from counter_app.ui.intake_office import AnswerDialog
from counter_app.ui.office_print import (
    FormPrinter,
    OfficePrintFailed,
    chosen_printer,
    form_printer,
    print_on_office_printer,
    print_pdf,
)
from counter_app.ui.widgets import ERROR_TEXT, read_only, write_pdf_file

if TYPE_CHECKING:  # the workspaces import this panel
    from counter_app.ui.workspaces.base import Session

# As the core system writes them (docs/policy.schema.json): PDZA202644010000001234.
DOCUMENT_NUMBER = re.compile(r"[A-Z]{2,6}[0-9]{8,22}")
OPEN_STATES = ("queued", "printing", "to_confirm", "failed")
HOLDS_FORM = ("printing", "to_confirm", "failed")
# A form held by one of these may still lie on top of the stack: the next print would take the
# form under it, so the clerk settles the job first.
BLOCKS_STACK = ("printing", "failed")
STATE_COLOURS = {
    "queued": "#e3f2fd",
    "printing": "#fff9c4",
    "to_confirm": "#ffe0b2",
    "failed": "#ffcdd2",
    "misprinted": "#eeeeee",
    "cancelled": "#eeeeee",
}
QUEUE_PAPER, QUEUE_ERROR = 3, 5  # columns of the print queue
SEARCH_SETTLE_MS = 300
OPEN_SETTLE_MS = 120  # arrowing through the results fetches only the row the clerk stops on
MM_PER_INCH = 25.4
POINTS_PER_INCH = 72.0
_SERIAL = re.compile(r"^(.*?)([0-9]+)$")


def fill(template: str, *values: str) -> str:
    """``%1``…``%9`` replaced in one pass, so a value containing ``%2`` stays as it is."""
    return re.sub(r"%([1-9])", lambda m: values[int(m[1]) - 1], template)


def serials_in(first: str, last: str) -> list[str]:
    """Every serial of a range as the ledger formats them (prefix and zero-padded number)."""
    start, end = _SERIAL.match(first), _SERIAL.match(last)
    if start is None or end is None or start[1] != end[1]:
        return [first] if first == last else [first, last]
    width = len(start[2])
    return [f"{start[1]}{n:0{width}d}" for n in range(int(start[2]), int(end[2]) + 1)]


def local_time(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class NextForm:
    """What the next pre-printed print of a form type goes on, as the hub will choose it."""

    form_type: str
    serial: str | None  # None: the clerk holds no blank form of the type
    blocked_by: PrintJobOut | None  # a failed or unfinished job still holding the top form


@dataclass
class _Run:
    """One print in progress: where it goes and how that printer is off."""

    target: FormPrinter
    calibration: PrinterCalibration
    from_dialog: bool
    job: PrintJobOut | None = None


class PrintedQuestion(QMessageBox):
    """Asked after every print: did the form come out right? The answer decides the form."""

    def __init__(self, job: PrintJobOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printedQuestion")
        self.job = job
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Check the printed form"))
        if job.serial:
            self.setText(self.tr("Did form %1 come out right?").replace("%1", job.serial))
        else:
            self.setText(
                self.tr("Did %1 come out right on plain paper?").replace("%1", job.document)
            )
        self.setInformativeText(
            self.tr(
                "Confirm: the form is used for %1. Misprint: the form is voided with a "
                "supervisor's approval and printed again on the next form. Later: the job "
                "waits in the print queue."
            ).replace("%1", job.document)
        )
        self.confirm_button = self.addButton(self.tr("Confirm"), QMessageBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("printedConfirm")
        self.misprint_button = self.addButton(
            self.tr("Misprint (void)…"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.misprint_button.setObjectName("printedMisprint")
        self.later_button = self.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        self.later_button.setObjectName("printedLater")
        self.setDefaultButton(self.confirm_button)
        self.setEscapeButton(self.later_button)

    def answer(self) -> str:
        """``confirm``, ``misprint`` or ``later`` (closing the question is Later)."""
        clicked = self.clickedButton()
        if clicked is self.confirm_button:
            return "confirm"
        if clicked is self.misprint_button:
            return "misprint"
        return "later"


class SupervisedVoidDialog(QDialog):
    """Voiding a form: why, and the supervisor who approves it with their own password. A
    refusal is shown here and the dialog stays open. Subclasses say what is voided and give
    ``send(reason, supervisor, password)``, the hub call."""

    send: Callable[[str, str, str], None]

    def __init__(
        self, session: Session, needs_supervisor: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._sending = False
        self.needs_supervisor = needs_supervisor
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason = QComboBox()
        self.reason.setObjectName("misprintReason")
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.reason.lineEdit()
        if line is not None:
            line.setMaxLength(200)
        self.reason_label.setBuddy(self.reason)
        self.supervisor_label = QLabel()
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("misprintSupervisor")
        self.supervisor.setMaxLength(64)
        self.supervisor_label.setBuddy(self.supervisor)
        self.password_label = QLabel()
        self.password = QLineEdit()
        self.password.setObjectName("misprintPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        self.password_label.setBuddy(self.password)
        self.form = QFormLayout()
        self.form.addRow(self.reason_label, self.reason)
        self.form.addRow(self.supervisor_label, self.supervisor)
        self.form.addRow(self.password_label, self.password)
        for label, widget in (
            (self.supervisor_label, self.supervisor),
            (self.password_label, self.password),
        ):
            label.setVisible(self.needs_supervisor)
            widget.setVisible(self.needs_supervisor)
        self.message = QLabel()
        self.message.setObjectName("misprintMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def retranslate(self) -> None:
        self.reason_label.setText(self.tr("What went wrong:"))
        self.supervisor_label.setText(self.tr("Supervisor:"))
        self.password_label.setText(self.tr("Supervisor's password:"))
        chosen = self.reason.currentText()
        self.reason.clear()
        self.reason.addItems(
            [
                self.tr("Printed out of place"),
                self.tr("Paper jam"),
                self.tr("Printed only partly"),
                self.tr("Wrong form in the printer"),
                self.tr("Smudged or torn"),
            ]
        )
        self.reason.setEditText(chosen)

    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    @Slot()
    def submit(self) -> None:
        if self._sending:
            return
        reason = self.reason_text()
        if not reason:
            self._say(self.tr("Say what went wrong."))
            self.reason.setFocus()
            return
        supervisor, password = self.supervisor.text().strip(), self.password.text()
        if self.needs_supervisor and not (supervisor and password):
            self._say(self.tr("A supervisor approves voiding the form: username and password."))
            (self.password if supervisor else self.supervisor).setFocus()
            return
        self._sending = True
        self.buttons.setEnabled(False)
        self._say(self.tr("Voiding…"), problem=False)
        self.send(reason, supervisor, password)

    def _sent(self) -> None:
        self._sending = False
        self.buttons.setEnabled(True)
        self.password.clear()

    def _refused(self, error: BaseException) -> None:
        self._sent()
        if isinstance(error, HubError) and error.unreachable:
            self.session.link.report(error)
        if isinstance(error, HubError) and error.code == "forms.approval_needed":
            text = self.tr(
                "Voiding a form needs a supervisor's approval: a manager's username and "
                "password. Nothing was voided."
            )
        elif isinstance(error, HubError) and error.code in (
            "auth.approval_refused",
            "auth.bad_credentials",
        ):
            text = self.tr(
                "The supervisor's username or password is wrong. Nothing was voided; try again."
            )
        elif isinstance(error, HubError) and error.code == "auth.forbidden":
            text = self.tr("%1 may not approve voiding forms; ask the centre manager.").replace(
                "%1", self.supervisor.text().strip()
            )
        else:
            text = self.session.messages.describe(error)
        self._say(text)
        (self.password if self.needs_supervisor else self.reason).setFocus()

    def _say(self, text: str, problem: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;" if problem else "")


class MisprintDialog(SupervisedVoidDialog):
    """A spoiled print: on success ``reprint`` is the job that prints the document again on
    the next form."""

    misprinted = Signal(object)  # PrintJobOut: the reprint, queued

    def __init__(self, session: Session, job: PrintJobOut, parent: QWidget | None = None) -> None:
        super().__init__(session, bool(job.serial), parent)
        self.setObjectName("misprintDialog")
        self.job = job
        self.reprint: PrintJobOut | None = None
        self.retranslate()
        self.reason.setCurrentIndex(-1)
        self.reason.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Misprint"))
        what = self.job.serial or self.job.document
        if self.needs_supervisor:
            self.question.setText(
                self.tr(
                    "Form %1 is voided and kept for the back office; %2 is printed again on "
                    "the next form. A supervisor approves with their own password."
                )
                .replace("%1", what)
                .replace("%2", self.job.document)
            )
        else:
            self.question.setText(
                self.tr("%1 is printed again on plain paper.").replace("%1", self.job.document)
            )

    def send(self, reason: str, supervisor: str, password: str) -> None:
        client, job_id = self.session.client, self.job.id
        # Not session.call: a refused approval must never end the clerk's own login.
        self.session.tasks.run(
            lambda: client.misprint(job_id, reason, supervisor, password)
        ).success(self._done).failure(self._refused)

    def _done(self, reprint: PrintJobOut) -> None:
        self._sent()
        self.reprint = reprint
        self.misprinted.emit(reprint)
        self.accept()


class VoidBlankDialog(SupervisedVoidDialog):
    """A blank form spoiled before anything was printed on it (torn, stained, jammed while
    loading): its serial, voided with a supervisor's approval; the next form is used next."""

    voided = Signal(str)  # the serial

    def __init__(
        self, session: Session, form_type: str, serial: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, True, parent)
        self.setObjectName("voidBlankDialog")
        self.form_type = form_type
        self.serial_label = QLabel()
        self.serial = QLineEdit(serial)
        self.serial.setObjectName("voidSerial")
        self.serial.setMaxLength(40)
        self.serial_label.setBuddy(self.serial)
        self.form.insertRow(0, self.serial_label, self.serial)
        self.retranslate()
        self.reason.setCurrentIndex(-1)
        self.serial.setFocus()
        self.serial.selectAll()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Void a blank form"))
        self.question.setText(
            self.tr(
                "A blank form that cannot be printed on is voided and kept for the back "
                "office. A supervisor approves with their own password."
            )
        )
        self.serial_label.setText(self.tr("Form (scan or type):"))

    def send(self, reason: str, supervisor: str, password: str) -> None:
        client, code, serial = self.session.client, self.form_type, self.serial.text().strip()
        self.session.tasks.run(
            lambda: client.void_form(code, serial, reason, supervisor, password)
        ).success(lambda _moved: self._done(serial)).failure(self._refused)

    def _done(self, serial: str) -> None:
        self._sent()
        self.voided.emit(serial.upper())
        self.accept()


class ImportReportDialog(QDialog):
    """What an import did, document by document; or, for a refused file, every error with
    where it is and what is wrong, to pass on to the core system's support."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = read_only(QTableWidget(0, 2))
        self.table.setObjectName("importRows")
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("importCopy")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 460)
        self._rows: list[tuple[str, str]] = []
        self.refused_file = False
        self.copy_button.setText(self.tr("Copy the list"))

    def rows(self) -> list[tuple[str, str]]:
        return list(self._rows)

    def show_result(self, source: str, result: ImportOut) -> None:
        self.refused_file = False
        self.setWindowTitle(self.tr("Policy file imported"))
        text = fill(
            self.tr("%1: %2 added, %3 updated, %4 unchanged, %5 refused."),
            source,
            str(len(result.added)),
            str(len(result.updated)),
            str(len(result.unchanged)),
            str(len(result.refused)),
        )
        if result.refused:
            text += "\n" + self.tr(
                "Refused documents were printed already and have changed since: a printed "
                "policy is corrected with an endorsement. Tell the core system's support."
            )
        self.summary.setText(text)
        self.summary.setStyleSheet(
            f"color: {ERROR_TEXT}; font-weight: bold;" if result.refused else ""
        )
        refused = self.tr("Refused: printed already, and changed since")
        rows = [(n, refused) for n in result.refused]
        rows += [(n, self.tr("Added")) for n in result.added]
        rows += [(n, self.tr("Updated")) for n in result.updated]
        rows += [(n, self.tr("Unchanged")) for n in result.unchanged]
        self._fill([self.tr("Number"), self.tr("Result")], rows)

    def show_errors(self, source: str, error: HubError) -> None:
        self.refused_file = True
        self.setWindowTitle(self.tr("Policy file refused"))
        errors = [e for e in error.params.get("errors", []) if isinstance(e, Mapping)]
        count = int(error.params.get("count", len(errors)) or len(errors))
        text = fill(
            self.tr("%1 was refused and nothing was imported: %2 errors."), source, str(count)
        )
        if count > len(errors):
            text += " " + self.tr("The first %1 are listed.").replace("%1", str(len(errors)))
        text += "\n" + self.tr("Send this list to the core system's support to correct the file.")
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;")
        rows: list[tuple[str, str]] = []
        for error_entry in errors:
            row = (str(error_entry.get("path", "")), self.sentence(error_entry))
            if row not in rows:  # a date breaks its pattern and its format: one line says it
                rows.append(row)
        self._fill([self.tr("Where"), self.tr("What is wrong")], rows)

    def sentence(self, error: Mapping[str, Any]) -> str:
        """One error of the file in words: where, and which rule it broke."""
        path = str(error.get("path", ""))
        rule = str(error.get("rule", ""))
        detail = str(error.get("detail", ""))
        value = str(error.get("value", ""))
        templates = {
            "required": self.tr("Missing: %1"),
            "pattern": self.tr("Wrong format: %1 = %2"),
            "format": self.tr("Wrong format: %1 = %2"),
            "enum": self.tr("%1: %2 is not one of %3"),
            "const": self.tr("%1: %2 must be %3"),
            "type": self.tr("%1: %2 is not of type %3"),
            "additionalProperties": self.tr("%1: unknown fields %3"),
            "maxLength": self.tr("%1: longer than %3 characters: %2"),
            "minLength": self.tr("%1: shorter than %3 characters: %2"),
            "maxItems": self.tr("%1: more than %3 entries"),
            "minItems": self.tr("%1: needs at least %3 entries"),
            "minimum": self.tr("%1: %2 is below %3"),
            "maximum": self.tr("%1: %2 is above %3"),
            "json": self.tr("Not a JSON file (line:column %3)"),
            "encoding": self.tr("Not UTF-8 text (at byte %2)"),
            "file_size": self.tr("The file is too large: %2 bytes, at most %3"),
            "period_order": self.tr("%1: the cover ends (%2) before it starts"),
            "premium_sum": self.tr("%1: premium total %2 is not the sum of the coverages %3"),
            "tax_sum": self.tr("%1: vehicle tax total %2 is not tax plus late fee %3"),
            "duplicate": self.tr("%1: %2 is in the file twice"),
        }
        template = templates.get(rule, self.tr("%1: breaks the rule %4 (%3) %2"))
        return fill(template, path, value, detail, rule)

    def text(self) -> str:
        lines = [self.summary.text(), ""]
        lines += [f"{where}\t{what}" for where, what in self._rows]
        return "\n".join(lines)

    @Slot()
    def copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.text())

    def _fill(self, headers: list[str], rows: list[tuple[str, str]]) -> None:
        self._rows = rows
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, (first, second) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(first))
            self.table.setItem(r, 1, QTableWidgetItem(second))
        self.table.resizeColumnToContents(0)
        self.table.resizeRowsToContents()


class FormPreview(QScrollArea):
    """A PDF page drawn at real size (1 mm on paper is 1 mm on screen) or fitted to the room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formPreview")
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setBackgroundRole(self.backgroundRole())
        self.page = QLabel()
        self.page.setObjectName("formPreviewPage")
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page.setWordWrap(True)
        self.page.setMargin(12)
        self.setWidget(self.page)
        self.setStyleSheet("#formPreview { background: #9e9e9e; }")
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._fit = False
        self._loaded = False

    @property
    def fit(self) -> bool:
        return self._fit

    def set_fit(self, fit: bool) -> None:
        self._fit = fit
        self._draw()

    def clear(self, text: str) -> None:
        self._loaded = False
        self._document.close()
        self._buffer = None
        self.page.setPixmap(QPixmap())
        self.page.setMargin(12)
        self.page.setText(text)
        self.page.setStyleSheet("background: palette(window);")
        self.setWidgetResizable(True)

    def show_pdf(self, data: bytes) -> bool:
        """Shows the first page; False when the data is not a readable PDF."""
        self._document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer  # the document reads from it while it is shown
        self._document.load(buffer)
        self._loaded = (
            self._document.status() == QPdfDocument.Status.Ready and self._document.pageCount() > 0
        )
        self.page.setText("")
        self.page.setStyleSheet("")
        self._draw()
        return self._loaded

    def real_size(self) -> QSize:
        """The page in logical pixels at this widget's DPI: its size on paper."""
        if not self._loaded:
            return QSize()
        points = self._document.pagePointSize(0)
        return QSize(
            round(points.width() / POINTS_PER_INCH * self.logicalDpiX()),
            round(points.height() / POINTS_PER_INCH * self.logicalDpiY()),
        )

    def page_mm(self) -> tuple[float, float]:
        points = self._document.pagePointSize(0) if self._loaded else None
        if points is None:
            return 0.0, 0.0
        factor = MM_PER_INCH / POINTS_PER_INCH
        return points.width() * factor, points.height() * factor

    def pixmap(self) -> QPixmap:
        return self.page.pixmap()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._draw()

    def _draw(self) -> None:
        if not self._loaded:
            return
        size = self.real_size()
        if self._fit:
            room = self.viewport().size() - QSize(4, 4)
            size = size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        if size.width() < 1 or size.height() < 1:
            return
        ratio = self.devicePixelRatioF()
        image: QImage = self._document.render(
            0, QSize(round(size.width() * ratio), round(size.height() * ratio))
        )
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.setWidgetResizable(False)
        self.page.setMargin(0)
        self.page.setPixmap(pixmap)
        self.page.resize(size)


class PolicyPrintPanel(QWidget):
    """The clerk's printing desk: documents, the chosen one on its paper, the print queue."""

    document_shown = Signal(object)  # PolicyDocumentOut
    job_sent = Signal(object)  # PrintJobOut: the printer took it, the clerk checks the form
    job_printed = Signal(object)  # PrintJobOut: confirmed, the form is used
    attachment_printed = Signal(object)  # Path: where the continuation pages (附页) went
    job_failed = Signal(object)  # PrintJobOut: the printer refused; the job keeps its form
    imported = Signal(object)  # ImportOut

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyPrintPanel")
        self.session = session
        self.documents: list[PolicyDocumentOut] = []
        self.document: PolicyDocumentOut | None = None
        self.layouts: list[LayoutOut] = []
        self.layout_name = ""
        self.next_form: NextForm | None = None
        self.void_dialog: VoidBlankDialog | None = None
        self.jobs: list[PrintJobOut] = []
        self.printed_question: PrintedQuestion | None = None
        self.misprint_dialog: MisprintDialog | None = None
        self.reprint_dialog: AnswerDialog | None = None
        self.import_report: ImportReportDialog | None = None
        self.again_question: QMessageBox | None = None
        self._run: _Run | None = None
        self._searching_for = ""
        self._opening = ""  # the document whose layouts were asked for last
        self._previewing: tuple[str, str] = ("", "")
        self._paper = "preprinted"  # the clerk's last choice of paper, kept across documents
        self._scratch = Path(tempfile.gettempdir())  # a job's PDF lives there while it prints

        # --- top: find and import ---
        self.search_label = QLabel()
        self.search_edit = QLineEdit()  # not a scan field: names are typed in Chinese
        self.search_edit.setObjectName("policySearch")
        self.search_edit.setMaxLength(40)
        self.search_edit.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search_edit)
        self.import_button = QPushButton()
        self.import_button.setObjectName("policyImport")
        self.calibrate_button = QPushButton()
        self.calibrate_button.setObjectName("policyCalibrate")
        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.calibrate_button)
        self.void_button = QPushButton()
        self.void_button.setObjectName("policyVoidBlank")
        top.addWidget(self.void_button)

        self.message = QLabel()
        self.message.setObjectName("policyMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("policyBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        status = QHBoxLayout()
        status.addWidget(self.message, 1)
        status.addWidget(self.busy_bar)

        # --- left: the documents found ---
        self.results = read_only(QTableWidget(0, 6))
        self.results.setObjectName("policyResults")
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setWordWrap(False)
        self.results.setProperty("startsEmpty", True)
        self.results.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.results_box = QGroupBox()
        results_layout = QVBoxLayout(self.results_box)
        results_layout.addWidget(self.results)

        # --- left, below: the print queue ---
        self.queue = read_only(QTableWidget(0, 6))
        self.queue.setObjectName("printQueue")
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.setWordWrap(False)
        self.queue.setProperty("startsEmpty", True)
        self.queue.setTabKeyNavigation(False)
        # The layout's title is long; the whole of it is in the tooltip and the line below.
        self.queue.horizontalHeader().setSectionResizeMode(
            QUEUE_PAPER, QHeaderView.ResizeMode.Interactive
        )
        self.queue.horizontalHeader().resizeSection(QUEUE_PAPER, 120)
        # The error column takes what is left, however little: the line below has it all.
        self.queue.horizontalHeader().setMinimumSectionSize(40)
        self.queue.horizontalHeader().setStretchLastSection(False)
        self.queue.horizontalHeader().setSectionResizeMode(
            QUEUE_ERROR, QHeaderView.ResizeMode.Stretch
        )
        self.job_detail = QLabel()
        self.job_detail.setObjectName("printJobDetail")
        self.job_detail.setWordWrap(True)
        self.job_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("queueConfirm")
        self.misprint_button = QPushButton()
        self.misprint_button.setObjectName("queueMisprint")
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("queueRetry")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("queueCancel")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("queueRefresh")
        queue_buttons = QHBoxLayout()
        for button in (
            self.confirm_button,
            self.misprint_button,
            self.retry_button,
            self.cancel_button,
        ):
            queue_buttons.addWidget(button)
        queue_buttons.addStretch(1)
        queue_buttons.addWidget(self.refresh_button)
        self.queue_box = QGroupBox()
        queue_layout = QVBoxLayout(self.queue_box)
        queue_layout.addWidget(self.queue, 1)
        queue_layout.addWidget(self.job_detail)
        queue_layout.addLayout(queue_buttons)

        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(self.results_box)
        left.addWidget(self.queue_box)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 1)

        # --- right: the chosen document on its paper ---
        self.document_box = QGroupBox()
        self.document_label = QLabel()
        self.document_label.setObjectName("policyDocument")
        self.document_label.setWordWrap(True)
        self.document_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.paper_label = QLabel()
        self.paper_row = QHBoxLayout()
        self.paper_row.addWidget(self.paper_label)
        self.paper_buttons = QButtonGroup(self)
        self.paper_radios: list[QRadioButton] = []
        self.paper_row.addStretch(1)
        self.form_hint = QLabel()
        self.form_hint.setObjectName("policyNextForm")
        self.form_hint.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSize(max(11, int(big.pointSize() * 1.2)))
        big.setBold(True)
        self.form_hint.setFont(big)
        self.preview = FormPreview()
        self.fit_box = QCheckBox()
        self.fit_box.setObjectName("previewFit")
        self.print_button = QPushButton()
        self.print_button.setObjectName("policyPrint")
        self.print_button.setDefault(False)
        self.dialog_button = QPushButton()
        self.dialog_button.setObjectName("policyPrintDialog")
        self.save_button = QPushButton()
        self.save_button.setObjectName("policySavePdf")
        actions = QHBoxLayout()
        actions.addWidget(self.fit_box)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.dialog_button)
        actions.addWidget(self.print_button)
        document_layout = QVBoxLayout(self.document_box)
        document_layout.addWidget(self.document_label)
        document_layout.addLayout(self.paper_row)
        document_layout.addWidget(self.form_hint)
        document_layout.addWidget(self.preview, 1)
        document_layout.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.document_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.search_edit)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_SETTLE_MS)
        self._search_timer.timeout.connect(self._search_now)
        self._open_timer = QTimer(self)
        self._open_timer.setSingleShot(True)
        self._open_timer.setInterval(OPEN_SETTLE_MS)
        self._open_timer.timeout.connect(self._open_current_row)

        self.search_edit.textEdited.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._search_entered)
        self.import_button.clicked.connect(self._import_asked)
        self.calibrate_button.clicked.connect(self.open_calibration)
        self.void_button.clicked.connect(self.void_blank)
        self.results.itemSelectionChanged.connect(self._open_timer.start)
        self.paper_buttons.idToggled.connect(self._paper_toggled)
        self.fit_box.toggled.connect(self.preview.set_fit)
        self.print_button.clicked.connect(self._print_asked)
        self.dialog_button.clicked.connect(self._print_with_dialog_asked)
        self.save_button.clicked.connect(self._save_asked)
        self.queue.itemSelectionChanged.connect(self._update_buttons)
        self.queue.itemSelectionChanged.connect(self._show_job_detail)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.misprint_button.clicked.connect(self.misprint_selected)
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.refresh_button.clicked.connect(self.reload)
        self._shortcuts: list[QShortcut] = []
        for keys, slot in (
            ("F9", self._print_asked),
            ("Ctrl+F9", self._print_with_dialog_asked),
            ("Ctrl+S", self._save_asked),
            ("Ctrl+I", self._import_asked),
            ("F5", self.reload),
            ("Ctrl+F", self._focus_search),
            ("F3", self._focus_search),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self.retranslate()
        self._show_document()
        self._update_buttons()
        self.reload()

    # The buttons' clicked(bool) must not reach the methods' optional arguments.
    @Slot()
    def _print_asked(self) -> None:
        self.print_document()

    @Slot()
    def _print_with_dialog_asked(self) -> None:
        self.print_document(with_dialog=True)

    @Slot()
    def _save_asked(self) -> None:
        self.save_pdf()

    @Slot()
    def _import_asked(self) -> None:
        self.import_file()

    # --- texts ---
    def retranslate(self) -> None:
        self.search_label.setText(self.tr("Find:"))
        self.search_edit.setPlaceholderText(
            self.tr("Policy or endorsement number, plate or insured's name (Ctrl+F)")
        )
        self.import_button.setText(self.tr("Import policy file… (Ctrl+I)"))
        self.calibrate_button.setText(self.tr("Printer calibration…"))
        self.void_button.setText(self.tr("Void a blank form…"))
        self.void_button.setToolTip(
            self.tr("A blank form torn or stained before printing: void it with a supervisor")
        )
        self.results_box.setTitle(self.tr("Policies and endorsements"))
        self.results.setHorizontalHeaderLabels(
            [
                self.tr("Number"),
                self.tr("Kind"),
                self.tr("Product"),
                self.tr("Insured"),
                self.tr("Plate"),
                self.tr("Printed"),
            ]
        )
        self.queue_box.setTitle(self.tr("Print queue"))
        self.queue.setHorizontalHeaderLabels(
            [
                self.tr("State"),
                self.tr("Form"),
                self.tr("Document"),
                self.tr("Paper"),
                self.tr("Attempts"),
                self.tr("Error"),
            ]
        )
        self.confirm_button.setText(self.tr("Confirm"))
        self.confirm_button.setToolTip(self.tr("The form came out right: it is used"))
        self.misprint_button.setText(self.tr("Misprint…"))
        self.misprint_button.setToolTip(
            self.tr("The form is spoiled: void it and print again on the next form")
        )
        self.retry_button.setText(self.tr("Retry"))
        self.retry_button.setToolTip(
            self.tr("Print the job (again) on the same form; the form must be on top")
        )
        self.cancel_button.setText(self.tr("Cancel job"))
        self.cancel_button.setToolTip(self.tr("Not printed: its form goes back on the stack"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.paper_label.setText(self.tr("Print on:"))
        self.fit_box.setText(self.tr("Fit to window"))
        self.fit_box.setToolTip(self.tr("Off: the preview is the real size of the paper"))
        self.print_button.setText(self.tr("Print (F9)"))
        self.dialog_button.setText(self.tr("Print with dialog… (Ctrl+F9)"))
        self.save_button.setText(self.tr("Save as PDF (Ctrl+S)"))
        self._fill_results()
        self._fill_queue()
        self._fill_papers()
        self._show_document()
        self._show_next_form()

    def _kind_name(self, kind: str) -> str:
        return {"policy": self.tr("Policy"), "endorsement": self.tr("Endorsement")}.get(kind, kind)

    def _product_name(self, product: str) -> str:
        names = {"compulsory": self.tr("Compulsory"), "commercial": self.tr("Commercial")}
        return names.get(product, product)

    def state_name(self, state: str) -> str:
        return {
            "queued": self.tr("Queued"),
            "printing": self.tr("Printing"),
            "to_confirm": self.tr("Awaiting confirmation"),
            "printed": self.tr("Printed"),
            "failed": self.tr("Failed"),
            "cancelled": self.tr("Cancelled"),
            "misprinted": self.tr("Misprinted"),
        }.get(state, state)

    # --- scans and search ---
    def accept_scan(self, code: str) -> bool:
        """A scan from anywhere in the app: a policy or endorsement number opens it."""
        number = code.strip().upper()
        if not self.isVisible() or DOCUMENT_NUMBER.fullmatch(number) is None:
            return False
        self.search_edit.setText(number)
        self.open_number(number)
        return True

    def handle_event(self, event: EventOut) -> None:
        if event.event.startswith("printing.") and (
            event.payload.get("clerk") != self.session.login.staff.username
        ):
            return  # another clerk's queue
        if event.event.startswith(("printing.", "policies.", "forms.")):
            self.reload()

    @Slot()
    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    @Slot()
    def _search_entered(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        if DOCUMENT_NUMBER.fullmatch(text.upper()):
            self.open_number(text.upper())
        else:
            self.search(text)
        self.results.setFocus()

    @Slot()
    def _search_now(self) -> None:
        self.search(self.search_edit.text())

    def search(self, text: str = "") -> None:
        client, query = self.session.client, text.strip()
        self._searching_for = query
        self.session.call(lambda: (query, client.policy_documents(query))).success(
            self._found
        ).failure(self._failed)

    def _found(self, reply: tuple[str, list[PolicyDocumentOut]]) -> None:
        query, documents = reply
        if query != self._searching_for:
            return  # typed on meanwhile; the newest search decides
        self.documents = list(documents)
        self._fill_results()
        self._refresh_document()
        if not documents and query:
            self._say(self.tr("Nothing found for %1.").replace("%1", query))

    def open_number(self, number: str) -> None:
        """The document with exactly this number, shown whether or not it is in the list."""
        client = self.session.client
        self._searching_for = number
        self.session.call(lambda: client.policy_document(number)).success(
            self._number_opened
        ).failure(self._number_failed)

    def _number_opened(self, full: Any) -> None:
        summary: PolicyDocumentOut = full.summary
        if summary.number not in (d.number for d in self.documents):
            self.documents = [summary]
        else:
            self.documents = [summary if d.number == summary.number else d for d in self.documents]
        self._fill_results(select=summary.number)
        self._open(summary)

    def _number_failed(self, error: BaseException) -> None:
        if isinstance(error, HubError) and error.code in ("printing.document_unknown", "not_found"):
            self._say(
                self.tr(
                    "There is no policy or endorsement %1 yet: import the core system's file."
                ).replace("%1", self._searching_for),
                True,
            )
            return
        self._failed(error)

    def _fill_results(self, select: str | None = None) -> None:
        chosen = select or (self.document.number if self.document else None)
        self.results.blockSignals(True)
        self.results.setRowCount(len(self.documents))
        row_to_select = -1
        for r, doc in enumerate(self.documents):
            printed = local_time(doc.printed_at) if doc.printed_at else self.tr("Not yet")
            values = [
                doc.number,
                self._kind_name(doc.kind),
                self._product_name(doc.product),
                doc.insured_name,
                doc.plate,
                printed,
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, doc.number)
                self.results.setItem(r, c, item)
            if doc.number == chosen:
                row_to_select = r
        if row_to_select >= 0:
            self.results.selectRow(row_to_select)
        else:
            self.results.clearSelection()
        self.results.blockSignals(False)

    def selected_document(self) -> PolicyDocumentOut | None:
        rows = self.results.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.documents):
            return None
        return self.documents[rows[0].row()]

    @Slot()
    def _open_current_row(self) -> None:
        doc = self.selected_document()
        if doc is not None and (self.document is None or doc.number != self.document.number):
            self._open(doc)

    def select_document(self, number: str) -> None:
        """Choose a document of the list (tests, and the workspace's links)."""
        for r, doc in enumerate(self.documents):
            if doc.number == number:
                self.results.selectRow(r)
                self._open_timer.stop()
                self._open(doc)
                return

    # --- the chosen document ---
    def _open(self, doc: PolicyDocumentOut) -> None:
        self.document = doc
        self.layouts = []
        self.layout_name = ""
        self.next_form = None
        self._opening = doc.number
        self._fill_papers()
        self._show_document()
        self._show_next_form()
        self.preview.clear(self.tr("Loading the preview…"))
        self._update_buttons()
        client, number = self.session.client, doc.number
        self.session.call(lambda: (number, client.document_layouts(number))).success(
            self._layouts_loaded
        ).failure(self._failed)
        self.document_shown.emit(doc)

    def _layouts_loaded(self, reply: tuple[str, list[LayoutOut]]) -> None:
        number, layouts = reply
        if number != self._opening:
            return
        self.layouts = list(layouts)
        # The paper the clerk chose last, else the first: pre-printed forms come first.
        wanted = next((x for x in layouts if x.paper == self._paper), None)
        first = wanted or (layouts[0] if layouts else None)
        self.layout_name = first.name if first is not None else ""
        self._fill_papers()
        self._layout_chosen()

    def _fill_papers(self) -> None:
        for radio in self.paper_radios:
            self.paper_buttons.removeButton(radio)
            self.paper_row.removeWidget(radio)
            radio.deleteLater()
        self.paper_radios = []
        for index, layout in enumerate(self.layouts):
            radio = QRadioButton(self._paper_text(layout))
            radio.setObjectName(f"paper_{layout.name}")
            radio.setProperty("layout", layout.name)
            self.paper_buttons.addButton(radio, index)
            self.paper_row.insertWidget(1 + index, radio)
            self.paper_radios.append(radio)
        self.paper_buttons.blockSignals(True)
        for index, layout in enumerate(self.layouts):
            if layout.name == self.layout_name:
                self.paper_radios[index].setChecked(True)
        self.paper_buttons.blockSignals(False)
        self._tab_order()

    def _tab_order(self) -> None:
        # Find, the documents, the paper, the preview and its buttons, then the queue.
        chain: list[QWidget] = [
            self.search_edit,
            self.import_button,
            self.calibrate_button,
            self.void_button,
            self.results,
            *self.paper_radios,
            self.preview,
            self.fit_box,
            self.save_button,
            self.dialog_button,
            self.print_button,
            self.queue,
            self.confirm_button,
            self.misprint_button,
            self.retry_button,
            self.cancel_button,
            self.refresh_button,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _paper_text(self, layout: LayoutOut) -> str:
        size = f"{layout.width_mm:g} × {layout.height_mm:g} mm"
        if layout.paper == "preprinted":
            return fill(self.tr("Pre-printed form %1 (%2)"), layout.blank_form or "", size)
        return self.tr("Plain paper (%1)").replace("%1", size)

    def chosen_layout(self) -> LayoutOut | None:
        return next((x for x in self.layouts if x.name == self.layout_name), None)

    def choose_layout(self, name: str) -> None:
        for radio in self.paper_radios:
            if radio.property("layout") == name:
                radio.setChecked(True)

    @Slot(int, bool)
    def _paper_toggled(self, index: int, checked: bool) -> None:
        if not checked or not 0 <= index < len(self.layouts):
            return
        layout = self.layouts[index]
        if layout.name == self.layout_name:
            return
        self.layout_name = layout.name
        self._paper = layout.paper
        self._layout_chosen()

    def _layout_chosen(self) -> None:
        doc, layout = self.document, self.chosen_layout()
        self.next_form = None
        self._show_next_form()
        self._update_buttons()
        if doc is None or layout is None:
            self.preview.clear(self.tr("No layout prints this document."))
            return
        self._previewing = (doc.number, layout.name)
        self.preview.clear(self.tr("Loading the preview…"))
        client, number, name = self.session.client, doc.number, layout.name
        self.session.call(lambda: (number, name, client.preview_pdf(number, name, True))).success(
            self._preview_loaded
        ).failure(self._failed)
        if layout.blank_form:
            self._check_next_form(layout.blank_form)

    def _preview_loaded(self, reply: tuple[str, str, bytes]) -> None:
        number, name, data = reply
        if (number, name) != self._previewing:
            return
        if not self.preview.show_pdf(data):
            self.preview.clear(self.tr("The preview could not be drawn."))

    def _check_next_form(self, form_type: str) -> None:
        client, username = self.session.client, self.session.login.staff.username
        self.session.call(lambda: next_form_for(client, username, form_type)).success(
            self._next_form_known
        ).failure(self._failed)

    def _next_form_known(self, found: NextForm) -> None:
        layout = self.chosen_layout()
        if layout is None or layout.blank_form != found.form_type:
            return
        self.next_form = found
        self._show_next_form()
        self._update_buttons()

    def _show_document(self) -> None:
        doc = self.document
        self.document_box.setTitle(self.tr("Document"))
        if doc is None:
            self.document_label.setText(
                self.tr("Scan a policy number, or choose a document on the left.")
            )
            self.preview.clear(self.tr("The chosen document is shown here at its real size."))
            return
        text = fill(
            self.tr("%1 %2 · %3 · %4 · %5"),
            self._kind_name(doc.kind),
            doc.number,
            self._product_name(doc.product),
            doc.insured_name,
            doc.plate,
        )
        if doc.printed_at is not None:
            text += "\n" + self.tr(
                "Printed on %1: printing again is a reprint with a reason."
            ).replace("%1", local_time(doc.printed_at))
        self.document_label.setText(text)

    def _show_next_form(self) -> None:
        layout, found = self.chosen_layout(), self.next_form
        problem = False
        if self.document is None or layout is None:
            text = ""
        elif layout.paper == "plain":
            text = fill(
                self.tr("Put plain paper (%1 × %2 mm) in the printer."),
                f"{layout.width_mm:g}",
                f"{layout.height_mm:g}",
            )
        elif found is None:
            text = self.tr("Looking up the next blank form…")
        elif found.blocked_by is not None:
            problem = True
            text = fill(
                self.tr(
                    "Form %1 is still held by the unfinished job of %2 (%3): retry it, report "
                    "a misprint or cancel it in the queue first."
                ),
                found.blocked_by.serial or "",
                found.blocked_by.document,
                self.state_name(found.blocked_by.state),
            )
        elif found.serial is None:
            problem = True
            text = self.tr(
                "You hold no blank %1 forms: ask the back office for a stack, or print on "
                "plain paper."
            ).replace("%1", found.form_type)
        else:
            text = self.tr("Put form %1 on top of the printer's stack.").replace("%1", found.serial)
        self.form_hint.setText(text)
        self.form_hint.setVisible(bool(text))
        self.form_hint.setStyleSheet(f"color: {ERROR_TEXT};" if problem else "")

    # --- printing ---
    @property
    def busy(self) -> bool:
        return self._run is not None

    def print_document(self, with_dialog: bool = False) -> None:
        """F9: the chosen document on the chosen paper; Ctrl+F9 through the print dialog."""
        doc, layout = self.document, self.chosen_layout()
        if self.busy:
            self._say(self.tr("A print is still on its way; wait for it."), True)
            return
        if doc is None or layout is None:
            self._say(self.tr("Choose a document and its paper first."), True)
            return
        found = self.next_form
        if layout.blank_form and found is not None and found.blocked_by is not None:
            self._show_next_form()
            self._say(self.form_hint.text(), True)
            return
        if layout.blank_form and found is not None and found.serial is None:
            self._say(self.form_hint.text(), True)
            return
        if doc.printed_at is not None:
            self._ask_reprint_reason(doc, layout, with_dialog)
            return
        self._start(doc.number, layout.name, "", with_dialog)

    def _ask_reprint_reason(
        self, doc: PolicyDocumentOut, layout: LayoutOut, with_dialog: bool
    ) -> None:
        if self.reprint_dialog is not None:
            return
        dialog = AnswerDialog(
            self.tr("Reprint %1").replace("%1", doc.number),
            self.tr("%1 was printed before. Why is it printed again?").replace("%1", doc.number),
            "reprintReason",
            "",
            max_length=200,
            parent=self,
        )
        dialog.setProperty("document", doc.number)
        dialog.setProperty("layout", layout.name)
        dialog.setProperty("with_dialog", with_dialog)
        dialog.finished.connect(self._reprint_reason_given)
        self.reprint_dialog = dialog
        dialog.open()

    @Slot(int)
    def _reprint_reason_given(self, result: int) -> None:
        dialog, self.reprint_dialog = self.reprint_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted.value or not dialog.text():
            self._say(self.tr("Not printed: a reprint needs its reason."))
            return
        self._start(
            str(dialog.property("document")),
            str(dialog.property("layout")),
            dialog.text(),
            bool(dialog.property("with_dialog")),
        )

    def _target(self, with_dialog: bool, job_name: str) -> _Run | None:
        """Where the print goes: the form printer, or the one chosen in the print dialog."""
        settings = self.session.settings
        try:
            target = None if with_dialog else form_printer(settings, job_name)
            if target is None:
                printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                configured = form_printer_or_none(settings, job_name)
                if configured is not None:
                    printer = configured.printer
                dialog = QPrintDialog(printer, self)
                dialog.setWindowTitle(self.tr("Print the form"))
                if dialog.exec() != QDialog.DialogCode.Accepted.value:
                    self._say(self.tr("Not printed."))
                    return None
                target = chosen_printer(printer)
            store = CalibrationStore.for_settings(settings)
            calibration = store.get(target.name)
        except (OfficePrintFailed, SettingsError) as error:
            self._say(self.session.messages.describe(error), True)
            return None
        return _Run(target, calibration, with_dialog)

    def _start(self, number: str, layout: str, reason: str, with_dialog: bool) -> None:
        run = self._target(with_dialog, number)
        if run is None:
            return
        client, describe = self.session.client, self.session.messages.describe
        self._set_busy(run, self.tr("Preparing %1…").replace("%1", number))

        def work() -> tuple[PrintJobOut, bytes]:
            job = client.create_print_job(number, layout, run.target.name, reason)
            return send_job(client, job.id, run, describe)

        self.session.call(work).success(self._job_ready).failure(self._flow_failed)

    def print_job(self, job: PrintJobOut, with_dialog: bool = False) -> None:
        """A job of the queue printed (again): a failed one on the same form it holds."""
        if self.busy:
            self._say(self.tr("A print is still on its way; wait for it."), True)
            return
        run = self._target(with_dialog, job.document)
        if run is None:
            return
        client, describe, job_id, state = (
            self.session.client,
            self.session.messages.describe,
            job.id,
            job.state,
        )
        interrupted = self.tr("Interrupted before the printer answered")
        self._set_busy(run, self.tr("Preparing %1…").replace("%1", job.document))

        def work() -> tuple[PrintJobOut, bytes]:
            if state == "printing":  # left over from a crash: it failed, as far as we know
                client.print_job_step(job_id, "failed", error=interrupted)
            if state in ("printing", "failed"):
                client.print_job_step(job_id, "retry")
            return send_job(client, job_id, run, describe)

        self.session.call(work).success(self._job_ready).failure(self._flow_failed)

    def _job_ready(self, reply: tuple[PrintJobOut, bytes]) -> None:
        job, data = reply
        run = self._run
        if run is None:
            return
        run.job = job
        what = job.serial or job.document
        self._say(fill(self.tr("Printing %1 on %2…"), what, run.target.where))
        if run.target.simulated and not run.from_dialog:
            folder = Path(run.target.printer.outputFileName()).parent
            name = f"{job.document}-{job.serial or job.layout}-{job.attempts}.pdf"
            run.target.printer.setOutputFileName(str(folder / name))
        source = self._scratch / f"counter-app-form-{job.id}.pdf"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            source.write_bytes(data)
            print_pdf(source, run.target.printer)  # actual size: a form never fits to page
        except (OfficePrintFailed, OSError) as error:
            self._printer_failed(job, error)
            return
        finally:
            QApplication.restoreOverrideCursor()
            source.unlink(missing_ok=True)
        client, job_id = self.session.client, job.id
        self.session.call(lambda: client.print_job_step(job_id, "sent")).success(
            self._sent
        ).failure(self._flow_failed)

    def _printer_failed(self, job: PrintJobOut, error: BaseException) -> None:
        text = self.session.messages.describe(error)
        client, job_id = self.session.client, job.id
        self.session.call(lambda: client.print_job_step(job_id, "failed", error=text)).success(
            self._failure_recorded
        ).failure(self._flow_failed)

    def _failure_recorded(self, job: PrintJobOut) -> None:
        self._set_busy(None)
        what = job.serial or job.document
        self._say(
            fill(
                self.tr("%1 was not printed: %2 The job keeps its form; press Retry in the queue."),
                what,
                job.error,
            ),
            True,
        )
        self.job_failed.emit(job)
        self.reload()

    def _sent(self, job: PrintJobOut) -> None:
        self._set_busy(None)
        self._say(
            self.tr("%1 was sent to the printer. Check the form.").replace(
                "%1", job.serial or job.document
            )
        )
        self.job_sent.emit(job)
        self.reload()
        if job.attachment_pages:
            self._print_attachment(job)
        self.ask_printed(job)

    def _print_attachment(self, job: PrintJobOut) -> None:
        """The continuation pages (附页) on plain paper: never on the next numbered form."""
        client, job_id = self.session.client, job.id
        self.session.call(lambda: client.print_job_attachment_pdf(job_id)).success(
            lambda data: self._attachment_ready(job, data)
        ).failure(self._failed)

    def _attachment_ready(self, job: PrintJobOut, data: bytes) -> None:
        path = self._scratch / f"{job.document}-attachment.pdf"
        try:
            path.write_bytes(data)
            printed = print_on_office_printer(path, self.session.settings)
        except (OfficePrintFailed, OSError) as error:
            self._say(
                fill(
                    self.tr("The continuation pages of %1 were not printed: %2"),
                    job.document,
                    self.session.messages.describe(error),
                ),
                True,
            )
            return
        self.attachment_printed.emit(Path(printed.printer))
        self._say(
            fill(
                self.tr("The continuation pages of %1 went to %2, on plain paper."),
                job.document,
                printed.printer,
            )
        )

    def _flow_failed(self, error: BaseException) -> None:
        run, self._run = self._run, None
        self._set_busy(None)
        if (
            isinstance(error, HubError)
            and error.code == "printing.reprint_reason_needed"
            and self.document is not None
            and (layout := self.chosen_layout()) is not None
        ):
            # Printed elsewhere since the list was loaded: ask now.
            self._ask_reprint_reason(self.document, layout, run.from_dialog if run else False)
            return
        self._failed(error)
        self.reload()

    def _set_busy(self, run: _Run | None, text: str = "") -> None:
        self._run = run
        self.busy_bar.setVisible(run is not None)
        if text:
            self._say(text)
        self._update_buttons()

    # --- the clerk's answer ---
    def ask_printed(self, job: PrintJobOut) -> None:
        """Did the form come out right? Confirm, Misprint or Later."""
        if self.printed_question is not None:
            self.printed_question.close()
        question = PrintedQuestion(job, self)
        question.finished.connect(self._printed_answered)
        self.printed_question = question
        question.open()

    @Slot(int)
    def _printed_answered(self, _result: int) -> None:
        question, self.printed_question = self.printed_question, None
        if question is None:
            return
        question.deleteLater()
        answer, job = question.answer(), question.job
        if answer == "confirm":
            self.confirm_job(job)
        elif answer == "misprint":
            self.report_misprint(job)
        else:
            self._say(
                self.tr("%1 waits in the queue until you confirm it.").replace(
                    "%1", job.serial or job.document
                )
            )

    def confirm_job(self, job: PrintJobOut) -> None:
        client, job_id = self.session.client, job.id
        self.session.call(lambda: client.print_job_step(job_id, "confirm")).success(
            self._confirmed
        ).failure(self._failed_and_reload)

    def _confirmed(self, job: PrintJobOut) -> None:
        if job.serial:
            text = fill(self.tr("Form %1 is used for %2."), job.serial, job.document)
        else:
            text = self.tr("%1 is printed.").replace("%1", job.document)
        self._say(text)
        self.job_printed.emit(job)
        self.reload()

    def report_misprint(self, job: PrintJobOut) -> None:
        if self.misprint_dialog is not None:
            return
        dialog = MisprintDialog(self.session, job, self)
        dialog.finished.connect(self._misprint_finished)
        self.misprint_dialog = dialog
        dialog.open()

    @Slot(int)
    def _misprint_finished(self, _result: int) -> None:
        dialog, self.misprint_dialog = self.misprint_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        self.reload()
        reprint = dialog.reprint
        if reprint is None:
            return
        voided = dialog.job.serial
        if voided:
            self._say(
                fill(
                    self.tr("Form %1 is voided; %2 waits to be printed again."),
                    voided,
                    reprint.document,
                )
            )
        if not reprint.form_type:
            self._ask_again(reprint, None)
            return
        client, username, form_type = (
            self.session.client,
            self.session.login.staff.username,
            reprint.form_type,
        )
        self.session.call(lambda: next_form_for(client, username, form_type)).success(
            lambda found: self._ask_again(reprint, found)
        ).failure(self._failed)

    def _ask_again(self, reprint: PrintJobOut, found: NextForm | None) -> None:
        question = QMessageBox(self)
        question.setObjectName("printAgainQuestion")
        question.setIcon(QMessageBox.Icon.Question)
        question.setWindowTitle(self.tr("Print again"))
        if found is not None and found.serial:
            question.setText(
                self.tr("Print again on the next form %1?").replace("%1", found.serial)
            )
            question.setInformativeText(
                self.tr("Put form %1 on top of the printer's stack.").replace("%1", found.serial)
            )
        else:
            question.setText(self.tr("Print %1 again?").replace("%1", reprint.document))
        question.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        question.setDefaultButton(QMessageBox.StandardButton.Yes)
        question.setProperty("job", str(reprint.id))
        question.finished.connect(lambda _r: self._again_answered(question, reprint))
        self.again_question = question
        question.open()

    def _again_answered(self, question: QMessageBox, reprint: PrintJobOut) -> None:
        self.again_question = None
        question.deleteLater()
        if question.standardButton(question.clickedButton()) == QMessageBox.StandardButton.Yes:
            self.print_job(reprint)
        else:
            self._say(
                self.tr("The reprint of %1 waits in the queue.").replace("%1", reprint.document)
            )

    # --- the queue ---
    def reload(self) -> None:
        """The queue and the documents list again (the printed column changes)."""
        client = self.session.client
        self.session.call(client.print_jobs).success(self._jobs_loaded).failure(self._failed)
        # A number in the field finds exactly that document, as when it was opened.
        self.search(self.search_edit.text())
        layout = self.chosen_layout()
        if layout is not None and layout.blank_form:
            self._check_next_form(layout.blank_form)

    def _jobs_loaded(self, jobs: list[PrintJobOut]) -> None:
        chosen = self.selected_job()
        self.jobs = sorted(
            jobs, key=lambda j: (j.state not in OPEN_STATES, -j.updated_at.timestamp())
        )
        self._fill_queue(chosen.id if chosen else None)
        self._refresh_document()

    def _refresh_document(self) -> None:
        # The shown document's printed time follows the list.
        if self.document is None:
            return
        for doc in self.documents:
            if doc.number == self.document.number and doc != self.document:
                self.document = doc
                self._show_document()

    def _fill_queue(self, select: uuid.UUID | None = None) -> None:
        self.queue.blockSignals(True)
        self.queue.setRowCount(len(self.jobs))
        selected = -1
        for r, job in enumerate(self.jobs):
            values = [
                self.state_name(job.state),
                job.serial or "—",
                job.document,
                job.layout_title,
                str(job.attempts),
                job.error,
            ]
            colour = STATE_COLOURS.get(job.state)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, str(job.id))
                if c in (QUEUE_PAPER, QUEUE_ERROR) and value:
                    item.setToolTip(value)
                if colour:
                    item.setBackground(QBrush(QColor(colour)))
                self.queue.setItem(r, c, item)
            if job.id == select:
                selected = r
        if selected >= 0:
            self.queue.selectRow(selected)
        self.queue.blockSignals(False)
        self._update_buttons()
        self._show_job_detail()

    @Slot()
    def _show_job_detail(self) -> None:
        job = self.selected_job()
        if job is None:
            open_jobs = sum(1 for j in self.jobs if j.state in OPEN_STATES)
            self.job_detail.setText(
                self.tr("%1 open jobs. Choose a job to act on it.").replace("%1", str(open_jobs))
            )
            self.job_detail.setStyleSheet("")
            return
        text = fill(
            self.tr("%1 · %2 %3 · %4 · attempt %5 · %6"),
            self.state_name(job.state),
            job.document,
            job.insured_name,
            job.layout_title,
            str(job.attempts),
            local_time(job.updated_at),
        )
        if job.serial:
            text = fill(self.tr("Form %1: %2"), job.serial, text)
        if job.reprint_reason:
            text += "\n" + self.tr("Reprint: %1").replace("%1", job.reprint_reason)
        if job.error:
            text += "\n" + self.tr("Error: %1").replace("%1", job.error)
        self.job_detail.setText(text)
        self.job_detail.setStyleSheet(f"color: {ERROR_TEXT};" if job.state == "failed" else "")

    def selected_job(self) -> PrintJobOut | None:
        rows = self.queue.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.jobs):
            return None
        return self.jobs[rows[0].row()]

    def select_job(self, job_id: uuid.UUID) -> None:
        for r, job in enumerate(self.jobs):
            if job.id == job_id:
                self.queue.selectRow(r)
                return

    @Slot()
    def confirm_selected(self) -> None:
        job = self.selected_job()
        if job is not None and job.state == "to_confirm":
            self.confirm_job(job)

    @Slot()
    def misprint_selected(self) -> None:
        job = self.selected_job()
        if job is not None and job.state in ("to_confirm", "failed"):
            self.report_misprint(job)

    @Slot()
    def retry_selected(self) -> None:
        job = self.selected_job()
        if job is not None and job.state in ("queued", "failed", "printing"):
            self.print_job(job)

    @Slot()
    def cancel_selected(self) -> None:
        job = self.selected_job()
        if job is None or job.state not in ("queued", "failed"):
            return
        client, job_id = self.session.client, job.id
        self.session.call(lambda: client.print_job_step(job_id, "cancel")).success(
            self._cancelled
        ).failure(self._failed_and_reload)

    def _cancelled(self, job: PrintJobOut) -> None:
        self._say(self.tr("The job for %1 is cancelled.").replace("%1", job.document))
        self.reload()

    # --- import and save ---
    def import_file(self, path: Path | None = None) -> None:
        """Ctrl+I: a core-system policy file (JSON); every error is listed if it is refused."""
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self,
                self.tr("Import policy file"),
                str(Path.home()),
                self.tr("Policy files (*.json)"),
            )
            if not name:
                return
            path = Path(name)
        client, source = self.session.client, path.name
        self._say(self.tr("Importing %1…").replace("%1", source))

        def work() -> ImportOut:
            return client.import_policies(path.read_bytes(), source)

        self.session.call(work).success(lambda result: self._imported(source, result)).failure(
            lambda error: self._import_failed(source, error)
        )

    def _report(self) -> ImportReportDialog:
        if self.import_report is None:
            self.import_report = ImportReportDialog(self)
        return self.import_report

    def _imported(self, source: str, result: ImportOut) -> None:
        self._say(
            fill(
                self.tr("%1 imported: %2 added, %3 updated, %4 refused."),
                source,
                str(len(result.added)),
                str(len(result.updated)),
                str(len(result.refused)),
            ),
            bool(result.refused),
        )
        report = self._report()
        report.show_result(source, result)
        report.open()
        self.imported.emit(result)
        self.search(self.search_edit.text())

    def _import_failed(self, source: str, error: BaseException) -> None:
        if isinstance(error, HubError) and error.code == "policies.invalid_file":
            self._say(self.tr("%1 was refused; nothing was imported.").replace("%1", source), True)
            report = self._report()
            report.show_errors(source, error)
            report.open()
            return
        if isinstance(error, OSError):
            self._say(fill(self.tr("%1 cannot be read: %2"), source, str(error)), True)
            return
        self._failed(error)

    def save_pdf(self, path: Path | None = None) -> None:
        """Ctrl+S: the chosen document's fields on its layout, without the form behind them."""
        doc, layout = self.document, self.chosen_layout()
        if doc is None or layout is None:
            self._say(self.tr("Choose a document and its paper first."), True)
            return
        if path is None:
            name, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Save as PDF"),
                str(Path.home() / f"{doc.number}-{layout.name}.pdf"),
                self.tr("PDF files (*.pdf)"),
            )
            if not name:
                return
            path = Path(name)
        client, number, name = self.session.client, doc.number, layout.name
        target = path

        def work() -> Path:
            return write_pdf_file(client.preview_pdf(number, name, background=False), target)

        self.session.call(work).success(
            lambda saved: self._say(self.tr("Saved at %1.").replace("%1", str(saved)))
        ).failure(self._failed)

    # --- calibration ---
    @Slot()
    def void_blank(self) -> None:
        """Void the form on top of the stack (or a scanned one) of the chosen layout's type."""
        layout = self.chosen_layout()
        if layout is None or not layout.blank_form:
            self._say(self.tr("Choose a document on a pre-printed form first."), True)
            return
        found = self.next_form
        serial = found.serial if found is not None and found.serial else ""
        dialog = VoidBlankDialog(self.session, layout.blank_form, serial, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.voided.connect(self._blank_voided)
        self.void_dialog = dialog
        dialog.open()

    def _blank_voided(self, serial: str) -> None:
        self.void_dialog = None
        self._say(self.tr("Form %1 is voided; the next form is used next.").replace("%1", serial))
        self.reload()

    def open_calibration(self) -> None:
        from counter_app.ui.calibration_dialog import CalibrationDialog

        dialog = CalibrationDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- showing ---
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.jobs:
            self.reload()  # another workstation may have printed meanwhile

    def _update_buttons(self) -> None:
        doc, layout = self.document, self.chosen_layout()
        ready = doc is not None and layout is not None and not self.busy
        self.print_button.setEnabled(ready)
        self.dialog_button.setEnabled(ready)
        self.save_button.setEnabled(doc is not None and layout is not None)
        job = self.selected_job()
        state = job.state if job is not None else ""
        self.confirm_button.setEnabled(state == "to_confirm" and not self.busy)
        self.misprint_button.setEnabled(state in ("to_confirm", "failed") and not self.busy)
        self.retry_button.setEnabled(state in ("queued", "failed", "printing") and not self.busy)
        self.cancel_button.setEnabled(state in ("queued", "failed") and not self.busy)

    def _failed_and_reload(self, error: BaseException) -> None:
        self._failed(error)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        # In the status line: the clerk keeps working, and the banner covers a lost hub.
        self._say(self.session.messages.describe(error), True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        style = f"color: {ERROR_TEXT}; font-weight: bold;" if problem else ""
        if self.message.styleSheet() != style:
            self.message.setStyleSheet(style)


def form_printer_or_none(settings: Settings, job: str) -> FormPrinter | None:
    """The configured form printer to start the print dialog on, if there is one."""
    try:
        return form_printer(settings, job)
    except OfficePrintFailed:
        return None


def send_job(
    client: HubClient,
    job_id: uuid.UUID,
    run: _Run,
    describe: Callable[[BaseException], str],
) -> tuple[PrintJobOut, bytes]:
    """On a worker: the job takes its form ("sending"), then its PDF through the printer's
    calibration. A job that cannot get its PDF is marked failed and keeps its form."""
    job = client.print_job_step(job_id, "sending", run.target.name)
    c = run.calibration
    try:
        data = client.print_job_pdf(job_id, c.dx_mm, c.dy_mm, c.scale_x, c.scale_y)
    except Exception as exc:
        with contextlib.suppress(HubError):  # the first error is the one to show
            client.print_job_step(job_id, "failed", error=describe(exc)[:400])
        raise
    return job, data


def next_form_for(client: HubClient, username: str, form_type: str) -> NextForm:
    """The form the hub will give the next print of this type: the clerk's lowest issued
    serial that no open job holds (as the hub's "sending" chooses it)."""
    jobs = client.print_jobs()
    mine = [
        j
        for j in jobs
        if j.clerk == username and j.form_type == form_type and j.serial and j.state in HOLDS_FORM
    ]
    held = {j.serial for j in mine}
    blocking = next((j for j in mine if j.state in BLOCKS_STACK), None)
    issued = [
        h
        for h in client.form_holdings(username)
        if h.form_type == form_type and h.state == "issued"
    ]
    candidates: list[str] = []
    for holding in issued:
        for first, last in holding.ranges:
            candidates.extend(serials_in(first, last)[: len(held) + 1])
    free = sorted(s for s in candidates if s not in held)
    return NextForm(form_type, free[0] if free else None, blocking)
