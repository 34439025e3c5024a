"""The collector's intake screen (收单): open a claim file, tick its documents, print the receipt.

Keyboard and scanner first. The claim number is scanned or typed into the top field; an unknown
one opens the "new file" form, whose defaults (last claim type, counter, the insured) make the
usual case scan, Enter, Ctrl+Enter. In the checklist, Space ticks the selected document as an
original, C as a copy, + and - correct its pages, Delete takes it back with a reason; a scanned
``DOC-...`` barcode ticks its document as an original wherever the focus is in the panel.
Every change is one hub call off the GUI thread, and the table shows the file the hub returns.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubClient, HubError
from counter_app.config.settings import KIOSK_PRINTER, KIOSK_PRINTER_PROFILE, SCAN_MAX_GAP_MS
from counter_app.domain.intake import (
    Channel,
    Form,
    IntakeReceipt,
    ReceiptLine,
    document_code_from_barcode,
)
from counter_app.hub.schemas import (
    ChecklistItemOut,
    ChecklistOut,
    EventOut,
    IntakeFileOut,
    IntakeOpenIn,
    IntakeReceiptOut,
)
from counter_app.printing.intake_slip import render_receipt_slip
from counter_app.ui.barcode import ScanLineEdit
from counter_app.ui.kiosk import TicketDispenser
from counter_app.ui.office_print import OfficePrintFailed, print_on_office_printer
from counter_app.ui.widgets import ERROR_TEXT, read_only, write_pdf_file

if TYPE_CHECKING:  # the workspaces import this panel
    from counter_app.ui.workspaces.base import Session

# Light backgrounds, so the status text stays readable; not-applicable rows are greyed instead.
STATUS_COLOURS = {"received": "#c8e6c9", "copy_only": "#ffe0b2", "missing": "#ffcdd2"}
NOT_APPLICABLE_TEXT = "#9e9e9e"
DONE_TEXT = "#1b5e20"
# A +/- burst becomes one correction: the hub keeps every change, so each press must not be one.
PAGES_SETTLE_MS = 600
CHANNELS = ("counter", "courier", "partner", "repair_shop", "pickup")
RELATIONS = ("insured", "family", "agent", "repair_shop", "other")
TABLE_COLUMNS = 4
# Until the collector has opened a file of another type: the commonest motor claim.
DEFAULT_CLAIM_TYPE = "vehicle_damage"


def receipt_from_out(out: IntakeReceiptOut) -> IntakeReceipt:
    """The domain receipt the PDF is drawn from, rebuilt from the hub's JSON."""

    def line(raw: Any) -> ReceiptLine:
        return ReceiptLine(raw.name, Form(raw.form) if raw.form else None, raw.pages, raw.note)

    return IntakeReceipt(
        receipt_number=out.receipt_number,
        claim_number=out.claim_number,
        claim_type_name=out.claim_type_name,
        branch_name=out.branch_name,
        contact_phone=out.contact_phone,
        opened_at=out.opened_at,
        collector=out.collector,
        submitter=out.submitter,
        submitter_phone=out.submitter_phone,
        plate=out.plate,
        channel=Channel(out.channel),
        received=tuple(line(r) for r in out.received),
        missing=tuple(line(m) for m in out.missing),
        due=out.due,
        printed_at=out.printed_at,
    )


def write_receipt_pdf(out: IntakeReceiptOut, folder: Path, tz: tzinfo) -> Path:
    """The customer's receipt as an A5 PDF in ``folder``, named by its receipt number."""
    # Imported here: reportlab and the CJK font load only when a receipt is printed.
    from counter_app.printing.intake_pdf import render_receipt_pdf

    data = render_receipt_pdf(receipt_from_out(out), tz, "A5")
    return write_pdf_file(data, folder / f"{out.receipt_number}.pdf")


def default_receipt_folder(session: Session) -> Path:
    settings_file = session.settings.path
    if settings_file is not None:
        return settings_file.parent / "receipts"
    return Path(tempfile.gettempdir()) / "counter-app-receipts"


def _newest_seq(file: IntakeFileOut) -> int:
    return max((e.seq for e in file.entries), default=0)


def _local_time(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class CorrectionDialog(QDialog):
    """Why a ticked document is taken back; the hub keeps the reason with the correction."""

    def __init__(self, document: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle(self.tr("Take a document back"))
        self.question = QLabel(self.tr("Take back %1? Reason:").replace("%1", document))
        self.question.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("correctionReason")
        self.reason.setEditable(True)
        self.reason.addItems(
            [
                self.tr("Ticked by mistake"),
                self.tr("Wrong document"),
                self.tr("Not legible"),
                self.tr("Given back to the customer"),
            ]
        )
        line_edit = self.reason.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(200)
            line_edit.selectAll()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(self._reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)
        self.reason.setFocus()

    def text(self) -> str:
        return self.reason.currentText().strip()

    @Slot(str)
    def _reason_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(text.strip()))


class IntakePanel(QWidget):
    """One claim file at a time: the new-file form or the file's checklist."""

    file_shown = Signal(object)  # IntakeFileOut: the table now shows this state of the file
    receipt_ready = Signal(object)  # Path: the receipt PDF was written, ready to print
    slip_printed = Signal()  # the short receipt went to the ticket printer
    card_printed = Signal(object)  # Path: a claim type's checklist card was printed

    def __init__(self, session: Session, receipt_folder: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("intakePanel")
        self.session = session
        self.receipt_folder = receipt_folder or default_receipt_folder(session)
        self.file: IntakeFileOut | None = None
        self.checklists: list[ChecklistOut] = []
        self.rows: list[ChecklistItemOut] = []
        self._cells: dict[tuple[int, int], tuple[str, str, str, str]] = {}
        self.correction_dialog: CorrectionDialog | None = None
        self._pending_claim = ""
        self._looking_for = ""
        self._last_claim_type = DEFAULT_CLAIM_TYPE
        self._opening = False
        self._in_flight = 0
        self._page_edit: tuple[str, int] | None = None  # (entry id, pages wanted)
        self._field_code = ""  # the code the claim field just announced, not to be taken twice

        # --- top: the claim number ---
        self.claim_label = QLabel()
        self.claim_edit = ScanLineEdit()
        self.claim_edit.setObjectName("intakeClaimNumber")
        self.claim_edit.setMaxLength(64)
        self.claim_label.setBuddy(self.claim_edit)
        self.new_button = QPushButton()
        self.new_button.setObjectName("intakeNewFile")
        self.print_button = QPushButton()
        self.print_button.setObjectName("intakePrintReceipt")
        self.slip_button = QPushButton()
        self.slip_button.setObjectName("intakePrintSlip")
        top = QHBoxLayout()
        top.addWidget(self.claim_label)
        top.addWidget(self.claim_edit, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.print_button)
        top.addWidget(self.slip_button)

        # --- page 0: nothing open ---
        self.hint = QLabel()
        self.hint.setObjectName("intakeHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # --- page 1: the new-file form ---
        self.form_box = QGroupBox()
        self.form_box.setObjectName("intakeNewFileForm")
        self.type_label = QLabel()
        self.type_box = QComboBox()
        self.type_box.setObjectName("intakeClaimType")
        self.channel_label = QLabel()
        self.channel_box = QComboBox()
        self.channel_box.setObjectName("intakeChannel")
        self.tracking_label = QLabel()
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setObjectName("intakeTracking")
        self.tracking_edit.setMaxLength(40)
        self.name_label = QLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("intakeSubmitterName")
        self.name_edit.setMaxLength(64)
        self.phone_label = QLabel()
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("intakeSubmitterPhone")
        self.phone_edit.setMaxLength(20)
        self.relation_label = QLabel()
        self.relation_box = QComboBox()
        self.relation_box.setObjectName("intakeRelation")
        self.plate_label = QLabel()
        self.plate_edit = QLineEdit()
        self.plate_edit.setObjectName("intakePlate")
        self.plate_edit.setMaxLength(16)
        self.form_facts_label = QLabel()
        self.form_facts = QWidget()
        self.form_facts_layout = QHBoxLayout(self.form_facts)
        self.form_facts_layout.setContentsMargins(0, 0, 0, 0)
        self.form_fact_boxes: list[QCheckBox] = []
        self.open_button = QPushButton()
        self.open_button.setObjectName("intakeOpen")
        self.open_button.setDefault(True)
        for label, field in (
            (self.type_label, self.type_box),
            (self.channel_label, self.channel_box),
            (self.tracking_label, self.tracking_edit),
            (self.name_label, self.name_edit),
            (self.phone_label, self.phone_edit),
            (self.relation_label, self.relation_box),
            (self.plate_label, self.plate_edit),
        ):
            label.setBuddy(field)
        grid = QGridLayout(self.form_box)
        grid.addWidget(self.type_label, 0, 0)
        grid.addWidget(self.type_box, 0, 1)
        grid.addWidget(self.channel_label, 0, 2)
        grid.addWidget(self.channel_box, 0, 3)
        grid.addWidget(self.name_label, 1, 0)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(self.tracking_label, 1, 2)
        grid.addWidget(self.tracking_edit, 1, 3)
        grid.addWidget(self.phone_label, 2, 0)
        grid.addWidget(self.phone_edit, 2, 1)
        grid.addWidget(self.relation_label, 2, 2)
        grid.addWidget(self.relation_box, 2, 3)
        grid.addWidget(self.plate_label, 3, 0)
        grid.addWidget(self.plate_edit, 3, 1)
        grid.addWidget(self.form_facts_label, 4, 0)
        grid.addWidget(self.form_facts, 4, 1, 1, 3)
        grid.addWidget(self.open_button, 5, 3, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(6, 1)
        # Enter walks the fields a customer usually fills first; the last Enter opens the file.
        self._enter_chain: list[QWidget] = [
            self.type_box,
            self.name_edit,
            self.phone_edit,
            self.plate_edit,
            self.channel_box,
            self.tracking_edit,
            self.relation_box,
        ]
        for before, after in zip(self._enter_chain, self._enter_chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        QWidget.setTabOrder(self.relation_box, self.open_button)
        for widget in self._enter_chain:
            widget.installEventFilter(self)

        # --- page 2: the open file ---
        self.file_page = QWidget()
        self.header = QLabel()
        self.header.setObjectName("intakeFileHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setObjectName("intakeSummary")
        big = QFont(self.font())
        big.setPointSize(max(14, int(big.pointSize() * 1.5)))
        big.setBold(True)
        self.summary.setFont(big)
        self.summary.setWordWrap(True)
        self.facts_label = QLabel()
        self.file_facts = QWidget()
        self.file_facts_layout = QHBoxLayout(self.file_facts)
        self.file_facts_layout.setContentsMargins(0, 0, 0, 0)
        self.file_fact_boxes: list[QCheckBox] = []
        facts_row = QHBoxLayout()
        facts_row.addWidget(self.facts_label)
        facts_row.addWidget(self.file_facts, 1)
        self.table = read_only(QTableWidget(0, TABLE_COLUMNS))
        self.table.setObjectName("intakeChecklist")
        self.table.setProperty("startsEmpty", True)  # no file is open at first
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.installEventFilter(self)
        self.keys_hint = QLabel()
        self.keys_hint.setObjectName("intakeKeys")
        self.keys_hint.setWordWrap(True)
        file_layout = QVBoxLayout(self.file_page)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.header)
        file_layout.addWidget(self.summary)
        file_layout.addLayout(facts_row)
        file_layout.addWidget(self.table, 1)
        file_layout.addWidget(self.keys_hint)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.form_box)
        self.pages.addWidget(self.file_page)

        self.message = QLabel()
        self.message.setObjectName("intakeMessage")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # Right under the claim number, where the eyes are: on a small screen it stays in view.
        layout.addWidget(self.message)
        layout.addWidget(self.pages, 1)
        self.setFocusProxy(self.claim_edit)

        self.claim_edit.code_scanned.connect(self._claim_field_code)
        self.new_button.clicked.connect(self.new_file)
        self.print_button.clicked.connect(self.print_receipt)
        self.slip_button.clicked.connect(self.print_slip)
        self.open_button.clicked.connect(self.open_new_file)
        self.type_box.currentIndexChanged.connect(self._claim_type_changed)
        self.channel_box.currentIndexChanged.connect(self._channel_changed)
        self.table.currentCellChanged.connect(self._selection_moved)
        self._shortcuts: list[QShortcut] = []
        self._slip_printer: TicketDispenser | None = None
        for keys, slot in (
            ("F2", self.new_file),
            ("Esc", self.new_file),
            ("F9", self.print_receipt),
            ("Shift+F9", self.print_slip),
            ("Ctrl+F9", self.print_checklist_card),
        ):
            self._shortcut(keys, self, slot)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            self._shortcut(keys, self.form_box, self.open_new_file)
        self._copy_timer = QTimer(self)
        self._copy_timer.setSingleShot(True)
        # Twice the scanner's key gap: a scan starting with C sends its next key sooner.
        self._copy_timer.setInterval(2 * int(session.settings.get(SCAN_MAX_GAP_MS)))
        self._copy_timer.timeout.connect(self._copy_key_settled)
        self._pages_timer = QTimer(self)
        self._pages_timer.setSingleShot(True)
        self._pages_timer.setInterval(PAGES_SETTLE_MS)
        self._pages_timer.timeout.connect(self._commit_pages)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(300)
        self._reload_timer.timeout.connect(self.reload_file)
        self.retranslate()
        self._update_buttons()
        self.load_checklists()

    def _shortcut(self, keys: str, parent: QWidget, slot: Any) -> None:
        shortcut = QShortcut(QKeySequence(keys), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        self._shortcuts.append(shortcut)

    # --- texts ---
    def retranslate(self) -> None:
        self.claim_label.setText(self.tr("Claim number:"))
        self.claim_edit.setPlaceholderText(self.tr("Scan or type the claim number, then Enter"))
        self.new_button.setText(self.tr("New file (F2)"))
        self.print_button.setText(self.tr("Print receipt (F9)"))
        self.slip_button.setText(self.tr("Short receipt (Shift+F9)"))
        self.hint.setText(
            self.tr(
                "Scan the claim number (or type it and press Enter). A file that exists opens; "
                "otherwise a new one is started."
            )
        )
        self.type_label.setText(self.tr("Claim type:"))
        self.channel_label.setText(self.tr("Channel:"))
        self.tracking_label.setText(self.tr("Tracking no.:"))
        self.name_label.setText(self.tr("Submitted by:"))
        self.phone_label.setText(self.tr("Phone:"))
        self.relation_label.setText(self.tr("Relation:"))
        self.plate_label.setText(self.tr("Plate:"))
        self.form_facts_label.setText(self.tr("Circumstances:"))
        self.facts_label.setText(self.tr("Circumstances:"))
        self.open_button.setText(self.tr("Open file (Ctrl+Enter)"))
        self.keys_hint.setText(
            self.tr(
                "Space: original · C: copy · + / -: pages · Delete: take back · "
                "scan a DOC- barcode to tick it · F9: receipt · Ctrl+F9: barcode card · "
                "F2: next file"
            )
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Document"), self.tr("Status"), self.tr("Form"), self.tr("Pages")]
        )
        self._fill_combo(self.channel_box, self._channel_names())
        self._fill_combo(self.relation_box, self._relation_names())
        self._fill_types()
        self._show_form_title()
        if self.file is not None:
            self._render(self.file)

    def _channel_names(self) -> dict[str, str]:
        return {
            "counter": self.tr("Counter"),
            "courier": self.tr("Courier / post"),
            "partner": self.tr("Partner point"),
            "repair_shop": self.tr("Repair shop"),
            "pickup": self.tr("Door-to-door pickup"),
        }

    def _relation_names(self) -> dict[str, str]:
        return {
            "insured": self.tr("The insured"),
            "family": self.tr("Family member"),
            "agent": self.tr("Entrusted agent"),
            "repair_shop": self.tr("Repair shop"),
            "other": self.tr("Other"),
        }

    def _status_names(self) -> dict[str, str]:
        return {
            "received": self.tr("Received"),
            "copy_only": self.tr("Copy only – original needed"),
            "missing": self.tr("Missing"),
            "optional": self.tr("Optional"),
            "not_applicable": self.tr("Not applicable"),
        }

    def _form_names(self) -> dict[str, str]:
        return {"original": self.tr("original"), "copy": self.tr("copy")}

    @staticmethod
    def _fill_combo(box: QComboBox, names: dict[str, str]) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        for code, name in names.items():
            box.addItem(name, code)
        box.setCurrentIndex(max(0, box.findData(chosen)))
        box.blockSignals(False)

    # --- checklists ---
    def load_checklists(self) -> None:
        self.session.call(self.session.client.intake_checklists).success(
            self._checklists_loaded
        ).failure(self._failed)

    def _checklists_loaded(self, checklists: list[ChecklistOut]) -> None:
        self.checklists = list(checklists)
        self._fill_types()

    def _fill_types(self) -> None:
        chosen = self.type_box.currentData() or self._last_claim_type
        self.type_box.blockSignals(True)
        self.type_box.clear()
        for checklist in self.checklists:
            # The names come from head office's templates, already in Chinese.
            self.type_box.addItem(checklist.name, checklist.claim_type)
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(chosen)))
        self.type_box.blockSignals(False)
        self._claim_type_changed()

    def _checklist(self, claim_type: str | None) -> ChecklistOut | None:
        return next((c for c in self.checklists if c.claim_type == claim_type), None)

    @Slot()
    def _claim_type_changed(self) -> None:
        checklist = self._checklist(self.type_box.currentData())
        facts = [(f.code, f.name) for f in checklist.facts] if checklist else []
        self.form_fact_boxes = self._rebuild_facts(
            self.form_facts_layout, self.form_fact_boxes, facts, set()
        )
        for box in self.form_fact_boxes:
            box.installEventFilter(self)
        self.form_facts_label.setVisible(bool(facts))

    def _rebuild_facts(
        self,
        layout: QHBoxLayout,
        boxes: list[QCheckBox],
        facts: list[tuple[str, str]],
        checked: set[str],
    ) -> list[QCheckBox]:
        if [(b.property("fact"), b.text()) for b in boxes] != facts:
            for box in boxes:
                layout.removeWidget(box)
                box.deleteLater()
            while layout.count():
                layout.takeAt(0)
            boxes = []
            for code, name in facts:
                box = QCheckBox(name)
                box.setProperty("fact", code)
                box.setObjectName(f"fact_{code}")
                layout.addWidget(box)
                boxes.append(box)
            layout.addStretch(1)
        for box in boxes:
            box.setChecked(str(box.property("fact")) in checked)
        return boxes

    # --- the claim number ---
    @Slot(str)
    def _claim_field_code(self, code: str) -> None:
        self._field_code = code
        # The app-wide scan signal follows in the same turn; after it the code may come again.
        QTimer.singleShot(0, self._forget_field_code)
        self._take(code)

    def _forget_field_code(self) -> None:
        self._field_code = ""

    @Slot(str)
    def accept_scan(self, code: str) -> None:
        """A scan from outside the panel (a serial scanner, the app-wide wedge filter)."""
        if not self.isVisible() or code == self._field_code:
            return
        self.claim_edit.setText(code)
        self.claim_edit.selectAll()
        self._take(code)

    def _take(self, text: str) -> None:
        document = document_code_from_barcode(text)
        if document is not None:
            self._restore_claim_field()
            if self.file is None:
                self._say(self.tr("Open the claim's file first: scan its claim number."), True)
                return
            self.tick(document, "original")
            self.table.setFocus()
            return
        number = text.strip().upper()
        if self.file is not None and number == self.file.claim_number:
            self.table.setFocus()
            return
        if self.pages.currentWidget() is self.form_box and number == self._pending_claim:
            self.type_box.setFocus()  # the same claim again: keep what was typed into the form
            return
        self.look_up(number)

    def _restore_claim_field(self) -> None:
        if self.file is not None:
            self.claim_edit.setText(self.file.claim_number)
        elif self.pages.currentWidget() is self.form_box:
            self.claim_edit.setText(self._pending_claim)
        else:
            self.claim_edit.clear()

    def look_up(self, claim_number: str) -> None:
        client = self.session.client
        self._looking_for = claim_number
        self._say(self.tr("Looking up %1...").replace("%1", claim_number))
        self.session.call(lambda: self._look_up_work(client, claim_number)).success(
            self._looked_up
        ).failure(self._failed)

    @staticmethod
    def _look_up_work(client: HubClient, claim_number: str) -> tuple[str, IntakeFileOut | None]:
        try:
            return claim_number, client.intake_file_by_claim(claim_number)
        except HubError as exc:
            if exc.code == "intake.file_unknown":
                return claim_number, None
            raise

    def _looked_up(self, reply: tuple[str, IntakeFileOut | None]) -> None:
        claim_number, file = reply
        if claim_number != self._looking_for:
            return  # a later scan asked for another claim; its answer decides
        if file is not None:
            self._say("")
            self.show_file(file)
            self.table.setFocus()
        else:
            self.show_new_form(claim_number)

    def open_file(self, file_id: Any) -> None:
        """Show the file with this id (chosen in the follow-up list)."""
        client = self.session.client
        self.session.call(lambda: client.intake_file(file_id)).success(self._file_chosen).failure(
            self._failed
        )

    def _file_chosen(self, file: IntakeFileOut) -> None:
        self._say("")
        self.show_file(file)
        self.table.setFocus()

    # --- the new-file form ---
    def show_new_form(self, claim_number: str) -> None:
        self.file = None
        self._pending_claim = claim_number
        self.claim_edit.setText(claim_number)
        self._clear_table()
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(self._last_claim_type)))
        self.channel_box.setCurrentIndex(max(0, self.channel_box.findData("counter")))
        self.relation_box.setCurrentIndex(max(0, self.relation_box.findData("insured")))
        for edit in (self.name_edit, self.phone_edit, self.plate_edit, self.tracking_edit):
            edit.clear()
        for box in self.form_fact_boxes:
            box.setChecked(False)
        self._channel_changed()
        self._show_form_title()
        self.pages.setCurrentWidget(self.form_box)
        self._say(
            self.tr("No file for %1 yet: check the claim type, then Ctrl+Enter.").replace(
                "%1", claim_number
            )
        )
        self._update_buttons()
        self.type_box.setFocus()

    def _show_form_title(self) -> None:
        self.form_box.setTitle(self.tr("New file for claim %1").replace("%1", self._pending_claim))

    @Slot()
    def _channel_changed(self) -> None:
        courier = self.channel_box.currentData() == "courier"
        self.tracking_edit.setEnabled(courier)
        self.tracking_label.setEnabled(courier)
        if not courier:
            self.tracking_edit.clear()

    def _form_facts(self) -> list[str]:
        return [str(b.property("fact")) for b in self.form_fact_boxes if b.isChecked()]

    @Slot()
    def open_new_file(self) -> None:
        if self.pages.currentWidget() is not self.form_box or self._opening:
            return
        claim_type = self.type_box.currentData()
        if not claim_type:
            self._say(self.tr("The checklists are not loaded yet; try again in a moment."), True)
            self.load_checklists()
            return
        channel = str(self.channel_box.currentData())
        if channel == "courier" and not self.tracking_edit.text().strip():
            self._say(self.tr("A courier delivery needs its tracking number."), True)
            self.tracking_edit.setFocus()
            return
        request = IntakeOpenIn(
            claim_number=self._pending_claim,
            claim_type=str(claim_type),
            channel=channel,
            tracking_number=self.tracking_edit.text().strip(),
            submitter_name=self.name_edit.text().strip(),
            submitter_phone=self.phone_edit.text().strip(),
            submitter_relation=str(self.relation_box.currentData()),
            plate=self.plate_edit.text().strip(),
            facts=self._form_facts(),
        )
        self._opening = True
        self._update_buttons()
        client = self.session.client
        self.session.call(lambda: client.open_intake(request)).success(self._opened).failure(
            self._open_failed
        )

    def _opened(self, file: IntakeFileOut) -> None:
        self._opening = False
        self._last_claim_type = file.claim_type
        self._say(self.tr("File opened: receipt %1.").replace("%1", file.receipt_number))
        self.show_file(file)
        self.table.setFocus()

    def _open_failed(self, error: BaseException) -> None:
        self._opening = False
        self._update_buttons()
        if isinstance(error, HubError) and error.code == "intake.file_exists":
            # Another counter opened it meanwhile: the documents go into that file.
            self._say(self.describe(error))
            file_id = error.params.get("file_id")
            if file_id:
                self.open_file(file_id)
            return
        if isinstance(error, HubError) and error.code == "intake.invalid":
            field = {
                "tracking": self.tracking_edit,
                "submitter_phone": self.phone_edit,
                "plate": self.plate_edit,
            }.get(str(error.params.get("field", "")))
            if field is not None:
                field.setFocus()
                field.selectAll()
        self._failed(error)

    # --- the open file ---
    def show_file(self, file: IntakeFileOut) -> None:
        """Show ``file`` unless an answer already shown is newer (answers may overtake)."""
        shown = self.file
        if shown is not None and shown.id == file.id and _newest_seq(file) < _newest_seq(shown):
            return
        self._pending_claim = ""
        self.file = file
        self.claim_edit.setText(file.claim_number)
        self.pages.setCurrentWidget(self.file_page)
        self._render(file)
        self._update_buttons()

    def _render(self, file: IntakeFileOut) -> None:
        selected = self.selected_item()
        keep = selected.code if selected is not None else None
        channel = self._channel_names().get(file.channel, file.channel)
        if file.tracking_number:
            channel += f" {file.tracking_number}"
        submitter = " ".join(p for p in (file.submitter_name, file.submitter_phone) if p) or "—"
        self.header.setText(
            self.tr("Claim %1 · %2 · receipt %3\nSubmitted by %4 · plate %5 · %6")
            .replace("%1", file.claim_number)
            .replace("%2", file.claim_type_name)
            .replace("%3", file.receipt_number)
            .replace("%4", submitter)
            .replace("%5", file.plate or "—")
            .replace("%6", channel)
            + self._version_note(file)
        )
        if file.complete and file.completed_at is not None:
            self.summary.setText(
                self.tr("Complete — by %1 at %2")
                .replace("%1", file.completed_by or "")
                .replace("%2", _local_time(file.completed_at))
            )
            self._colour(self.summary, DONE_TEXT)
        else:
            text = self.tr("Missing %1").replace("%1", str(file.missing_count))
            if file.due is not None:
                due = self.tr("overdue since %1") if file.overdue else self.tr("follow up by %1")
                text += " · " + due.replace("%1", file.due.isoformat())
            self.summary.setText(text)
            self._colour(self.summary, ERROR_TEXT)
        facts = [(f.code, f.name) for f in file.available_facts]
        self.file_fact_boxes = self._rebuild_facts(
            self.file_facts_layout, self.file_fact_boxes, facts, set(file.facts)
        )
        for box in self.file_fact_boxes:
            if not box.property("wired"):
                box.setProperty("wired", True)
                box.clicked.connect(self._file_facts_clicked)
        self.facts_label.setVisible(bool(facts))

        # What still applies first, in the template's order; what does not apply below, grey.
        self.rows = [i for i in file.items if i.status != "not_applicable"] + [
            i for i in file.items if i.status == "not_applicable"
        ]
        statuses = self._status_names()
        forms = self._form_names()
        self.table.setRowCount(len(self.rows))
        for row, item in enumerate(self.rows):
            name = item.name
            if item.alternatives:
                name += " (" + " / ".join(a.name for a in item.alternatives) + ")"
            if item.original:
                name += " " + self.tr("[original]")
            received = ", ".join(
                (f"{d.name}: " if d.document != item.code else "") + forms.get(d.form, d.form)
                for d in item.documents
            )
            pages = str(sum(d.pages for d in item.documents)) if item.documents else ""
            if self._page_edit is not None and item.documents:
                entry_id, wanted = self._page_edit
                last = item.documents[-1]
                if last.entry_id == entry_id:
                    pages = str(sum(d.pages for d in item.documents[:-1]) + wanted)
            values = [name, statuses.get(item.status, item.status), received, pages]
            codes = [item.code, *(a.code for a in item.alternatives)]
            tip = " ".join(f"DOC-{c.upper()}" for c in codes)
            for column, value in enumerate(values):
                foreground = NOT_APPLICABLE_TEXT if item.status == "not_applicable" else ""
                background = ""
                if column == 1 and not foreground:
                    background = STATUS_COLOURS.get(item.status, "")
                self._set_cell(row, column, (value, tip, foreground, background))
        self._select_item(keep or self._first_needed())
        self.file_shown.emit(file)

    def _set_cell(self, row: int, column: int, look: tuple[str, str, str, str]) -> None:
        """One cell as (text, tooltip, text colour, background); unchanged cells are left alone,
        because every change makes the table measure its columns again."""
        if self._cells.get((row, column)) == look and self.table.item(row, column) is not None:
            return
        self._cells[(row, column)] = look
        text, tip, foreground, background = look
        cell = QTableWidgetItem(text)
        cell.setToolTip(tip)
        if foreground:
            cell.setForeground(QBrush(QColor(foreground)))
        if background:
            cell.setBackground(QBrush(QColor(background)))
        if column == TABLE_COLUMNS - 1:
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, column, cell)

    @staticmethod
    def _colour(label: QLabel, colour: str) -> None:
        style = f"color: {colour};"
        if label.styleSheet() != style:
            label.setStyleSheet(style)

    def _first_needed(self) -> str | None:
        for item in self.rows:
            if item.status in ("missing", "copy_only"):
                return item.code
        return self.rows[0].code if self.rows else None

    def _select_item(self, code: str | None) -> None:
        for row, item in enumerate(self.rows):
            if item.code == code or any(a.code == code for a in item.alternatives):
                self.table.setCurrentCell(row, 0)
                return

    def selected_item(self) -> ChecklistItemOut | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_status(self, code: str) -> str | None:
        """The status the table shows for the item ``code`` (or one of its alternatives)."""
        for row, item in enumerate(self.rows):
            if item.code == code or any(a.code == code for a in item.alternatives):
                cell = self.table.item(row, 1)
                statuses = {v: k for k, v in self._status_names().items()}
                return statuses.get(cell.text()) if cell is not None else None
        return None

    def _clear_table(self) -> None:
        self.rows = []
        self._cells.clear()
        self.table.setRowCount(0)
        self.header.clear()
        self.summary.clear()

    @Slot()
    def new_file(self) -> None:
        """Clear the panel for the next customer; focus on the claim number."""
        if self._page_edit is not None:
            self._commit_pages()
        self.file = None
        self._looking_for = ""
        self._pending_claim = ""
        self._opening = False
        self._clear_table()
        self.pages.setCurrentWidget(self.hint)
        self.claim_edit.clear()
        self._say("")
        self._update_buttons()
        self.claim_edit.setFocus()

    def reload_file(self) -> None:
        file = self.file
        if file is None or self._in_flight:
            return
        client = self.session.client
        self.session.call(lambda: client.intake_file(file.id)).success(self._reloaded).failure(
            lambda _e: None
        )

    def _reloaded(self, file: IntakeFileOut) -> None:
        shown = self.file
        if shown is None or shown.id != file.id or self._in_flight:
            return  # moved on, or a change of this counter's own is on its way
        if _newest_seq(file) != _newest_seq(shown):
            self.show_file(file)

    def handle_event(self, event: EventOut) -> None:
        if event.event == "reference.changed":
            self.load_checklists()
        elif (
            event.event == "intake.changed"
            and self.file is not None
            and event.payload.get("file") == str(self.file.id)
        ):
            # Another counter (or the follow-up list) changed the file shown here.
            self._reload_timer.start()

    # --- ticking ---
    def tick(self, document: str, form: str, pages: int = 1) -> None:
        """Tick ``document`` (a code or a DOC- barcode) into the open file."""
        file = self.file
        if file is None:
            return
        client = self.session.client
        file_id = file.id
        self._in_flight += 1
        self.session.call(
            lambda: (client.receive_document(file_id, document, form, pages), document)
        ).success(self._ticked).failure(self._tick_failed)

    def _ticked(self, reply: tuple[IntakeFileOut, str]) -> None:
        file, document = reply
        self._in_flight -= 1
        if self.file is None or self.file.id != file.id:
            return  # the collector moved on to another file meanwhile
        self.show_file(file)
        code = document_code_from_barcode(document) or document
        self._select_item(code)
        item = self.selected_item()
        if item is not None and item.documents:
            last = item.documents[-1]
            self._say(
                self.tr("Ticked: %1 (%2).")
                .replace("%1", last.name)
                .replace("%2", self._form_names().get(last.form, last.form))
            )

    def _tick_failed(self, error: BaseException) -> None:
        self._in_flight -= 1
        # Shown in the status line only: what is already ticked stays as it is.
        self._failed(error)

    def tick_selected(self, form: str) -> None:
        item = self.selected_item()
        if self.file is None or item is None:
            return
        if item.status == "not_applicable":
            self._say(
                self.describe(
                    HubError("intake.document_not_applicable", params={"document": item.code})
                ),
                True,
            )
            return
        self.tick(item.code, form)

    # --- pages ---
    def change_pages(self, delta: int) -> None:
        item = self.selected_item()
        if self.file is None or item is None:
            return
        if not item.documents:
            self._say(self.tr("Nothing is ticked on this line yet."), True)
            return
        last = item.documents[-1]
        entry_id, wanted = self._page_edit or (last.entry_id, last.pages)
        if entry_id != last.entry_id:
            self._commit_pages()
            entry_id, wanted = last.entry_id, last.pages
        wanted = min(999, max(1, wanted + delta))
        self._page_edit = (entry_id, wanted)
        self._render(self.file)
        self._pages_timer.start()

    @Slot()
    def _commit_pages(self) -> None:
        self._pages_timer.stop()
        edit, self._page_edit = self._page_edit, None
        file = self.file
        if edit is None or file is None:
            return
        entry_id, wanted = edit
        document = next(
            (d for i in file.items for d in i.documents if d.entry_id == entry_id), None
        )
        if document is None or document.pages == wanted:
            self._render(file)
            return
        client = self.session.client
        file_id = file.id

        def work() -> tuple[IntakeFileOut, str]:
            # A correction entry naming the ticked one: the file's story keeps both counts.
            return client.correct_pages(file_id, entry_id, wanted), document.document

        self._in_flight += 1
        self.session.call(work).success(self._ticked).failure(self._pages_failed)

    def _pages_failed(self, error: BaseException) -> None:
        self._in_flight -= 1
        self._failed(error)
        self.reload_file()  # the table shows the count the hub kept

    # --- corrections ---
    def correct_selected(self) -> None:
        item = self.selected_item()
        if self.file is None or item is None or self.correction_dialog is not None:
            return
        if not item.documents:
            self._say(self.tr("Nothing is ticked on this line yet."), True)
            return
        last = item.documents[-1]
        described = f"{last.name} ({self._form_names().get(last.form, last.form)})"
        dialog = CorrectionDialog(described, self)
        dialog.setProperty("entry", last.entry_id)
        dialog.finished.connect(self._correction_finished)
        self.correction_dialog = dialog
        # open(), not exec(): the event loop runs on and the panel's answers still arrive.
        dialog.open()

    @Slot(int)
    def _correction_finished(self, result: int) -> None:
        dialog, self.correction_dialog = self.correction_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        # Back to the list, so the next key or scan works without a mouse click.
        self.window().activateWindow()
        self.table.setFocus()
        file = self.file
        if result != QDialog.DialogCode.Accepted.value or file is None or not dialog.text():
            return
        entry_id, reason, file_id = str(dialog.property("entry")), dialog.text(), file.id
        client = self.session.client
        self._in_flight += 1
        self.session.call(lambda: client.withdraw_document(file_id, entry_id, reason)).success(
            self._withdrawn
        ).failure(self._tick_failed)

    def _withdrawn(self, file: IntakeFileOut) -> None:
        self._in_flight -= 1
        if self.file is not None and self.file.id == file.id:
            self.show_file(file)
            self._say(self.tr("Taken back; the correction is kept in the file's history."))

    # --- circumstances of the open file ---
    @Slot()
    def _file_facts_clicked(self) -> None:
        file = self.file
        if file is None:
            return
        facts = [str(b.property("fact")) for b in self.file_fact_boxes if b.isChecked()]
        client, file_id = self.session.client, file.id
        self._in_flight += 1
        self.session.call(lambda: client.set_intake_facts(file_id, facts)).success(
            self._facts_set
        ).failure(self._facts_failed)

    def _facts_set(self, file: IntakeFileOut) -> None:
        self._in_flight -= 1
        if self.file is not None and self.file.id == file.id:
            self.show_file(file)

    def _facts_failed(self, error: BaseException) -> None:
        self._in_flight -= 1
        self._failed(error)
        if self.file is not None:
            self._render(self.file)  # the boxes show the file's facts again

    def _version_note(self, file: IntakeFileOut) -> str:
        # A file keeps the checklist it was opened with; say so when head office has a newer one.
        if file.latest_version <= file.template_version:
            return ""
        return "\n" + self.tr(
            "Checklist version %1 (head office has published version %2 for new files)"
        ).replace("%1", str(file.template_version)).replace("%2", str(file.latest_version))

    # --- receipt ---
    @Slot()
    def print_receipt(self) -> None:
        file = self.file
        if file is None:
            self._say(self.tr("Open a file first; its receipt is then printed."), True)
            return
        client, file_id, folder = self.session.client, file.id, self.receipt_folder
        tz = datetime.now().astimezone().tzinfo
        assert tz is not None
        self._say(self.tr("Writing the receipt..."))
        self.session.call(
            lambda: write_receipt_pdf(client.intake_receipt(file_id), folder, tz)
        ).success(self._receipt_written).failure(self._failed)

    @Slot()
    def print_checklist_card(self) -> None:
        """The claim type's card of document barcodes, to scan from when a document has none."""
        claim_type = self.file.claim_type if self.file is not None else self.type_box.currentData()
        if not claim_type:
            self._say(self.tr("The checklists are not loaded yet; try again in a moment."), True)
            return
        client, folder = self.session.client, self.receipt_folder

        def work() -> Path:
            path = folder / f"card-{claim_type}.pdf"
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(client.checklist_card_pdf(str(claim_type)))
            return path

        self._say(self.tr("Writing the checklist card..."))
        self.session.call(work).success(self._card_written).failure(self._failed)

    def _card_written(self, path: Path) -> None:
        try:
            printed = print_on_office_printer(path, self.session.settings)
        except OfficePrintFailed as error:
            self._say(
                self.tr("The checklist card was not printed: %1 It is kept at %2.")
                .replace(
                    "%1", self.session.messages.error_text(error.code, error.params, error.detail)
                )
                .replace("%2", str(path)),
                True,
            )
            return
        self.card_printed.emit(path)
        self._say(self.tr("Checklist card printed on %1.").replace("%1", printed.printer))

    @Slot()
    def print_slip(self) -> None:
        """The short receipt on this counter's ticket printer (the kiosk's kind of printer)."""
        file = self.file
        if file is None:
            self._say(self.tr("Open a file first; its receipt is then printed."), True)
            return
        client, file_id, dispenser = self.session.client, file.id, self._dispenser()
        tz = datetime.now().astimezone().tzinfo
        assert tz is not None
        self._say(self.tr("Printing the short receipt..."))

        def work() -> None:
            receipt = receipt_from_out(client.intake_receipt(file_id))
            dispenser.print_rendered(lambda profile: render_receipt_slip(receipt, profile, tz))

        self.session.call(work).success(lambda _none: self._slip_printed()).failure(
            self._slip_failed
        )

    def _dispenser(self) -> TicketDispenser:
        if self._slip_printer is None:
            settings = self.session.settings
            self._slip_printer = TicketDispenser(
                settings.get(KIOSK_PRINTER), settings.get(KIOSK_PRINTER_PROFILE)
            )
        return self._slip_printer

    def _slip_printed(self) -> None:
        self.slip_printed.emit()
        self._say(self.tr("Short receipt printed."))

    def _slip_failed(self, error: BaseException) -> None:
        # Nothing about the file changed; Shift+F9 again is the retry.
        self._say(
            self.tr("The short receipt was not printed: %1 Press Shift+F9 to retry.").replace(
                "%1", self.describe(error)
            ),
            True,
        )

    def _receipt_written(self, path: Path) -> None:
        self.receipt_ready.emit(path)
        try:
            printed = print_on_office_printer(path, self.session.settings)
        except OfficePrintFailed as error:
            # The PDF stays where it is: F9 again is the retry.
            self._say(
                self.tr("The receipt was not printed: %1 It is kept at %2; press F9 to retry.")
                .replace(
                    "%1", self.session.messages.error_text(error.code, error.params, error.detail)
                )
                .replace("%2", str(path)),
                True,
            )
            return
        self._say(
            self.tr("Receipt printed (%1 pages) on %2.")
            .replace("%1", str(printed.pages))
            .replace("%2", printed.printer)
        )

    # --- keys ---
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if watched is self.table:
            return self._table_key(event)
        if watched in self._enter_chain or watched in self.form_fact_boxes:
            return self._form_key(watched, event)
        return False

    def _form_key(self, watched: QObject, event: QKeyEvent) -> bool:
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.open_new_file()
            return True
        chain = [w for w in self._enter_chain if w.isEnabled()]
        if isinstance(watched, QWidget) and watched in chain and watched is not chain[-1]:
            chain[chain.index(watched) + 1].setFocus()
        else:
            self.open_new_file()
        return True

    def _table_key(self, event: QKeyEvent) -> bool:
        key, text = event.key(), event.text()
        if self._copy_timer.isActive():
            self._copy_timer.stop()
            if text and text.isprintable() and not event.isAutoRepeat():
                # A C followed this fast is a scanned code starting with C, not the copy key.
                self._start_typing("C" + text)
                return True
            self.tick_selected("copy")
        if event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        ):
            return False
        if key == Qt.Key.Key_Space:
            self.tick_selected("original")
            return True
        if key == Qt.Key.Key_C:
            self._copy_timer.start()
            return True
        if text in ("+", "=") or key == Qt.Key.Key_Plus:
            self.change_pages(+1)
            return True
        if text == "-" or key == Qt.Key.Key_Minus:
            self.change_pages(-1)
            return True
        if key == Qt.Key.Key_Delete:
            self.correct_selected()
            return True
        if text and text.isprintable() and not text.isspace():
            # Typing or a scan while the list has the focus goes to the claim-number field.
            self._start_typing(text)
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        modifiers = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if (
            self.pages.currentWidget() is not self.form_box
            and text
            and text.isprintable()
            and not text.isspace()
            and not modifiers
        ):
            # A key no widget took (the focus on a button or a checkbox): typing or a scan.
            self._start_typing(text)
            return
        super().keyPressEvent(event)

    @Slot()
    def _copy_key_settled(self) -> None:
        self.tick_selected("copy")

    def _start_typing(self, text: str) -> None:
        self.claim_edit.setText(text)
        self.claim_edit.setFocus()
        self.claim_edit.end(False)

    @Slot(int, int, int, int)
    def _selection_moved(
        self, row: int, _column: int, previous: int, _previous_column: int
    ) -> None:
        if row != previous and self._page_edit is not None:
            self._commit_pages()

    # --- showing ---
    def _update_buttons(self) -> None:
        self.print_button.setEnabled(self.file is not None)
        self.slip_button.setEnabled(self.file is not None)
        self.open_button.setEnabled(not self._opening)

    def describe(self, error: BaseException) -> str:
        """The error's message, with document codes and field names put in words."""
        if not isinstance(error, HubError):
            return self.session.messages.describe(error)
        params = dict(error.params)
        document = str(params.get("document", ""))
        if document:
            params["document"] = self._document_name(document)
        if error.code == "intake.invalid":
            labels = {
                "tracking": self.tracking_label.text(),
                "submitter_phone": self.phone_label.text(),
                "plate": self.plate_label.text(),
                "pages": self.tr("Pages"),
                "reason": self.tr("Reason"),
            }
            field = str(params.get("field", ""))
            params["field"] = labels.get(field, field or error.detail).rstrip(":：")
        return self.session.messages.error_text(error.code, params, error.detail)

    def _document_name(self, code: str) -> str:
        if self.file is not None:
            for item in self.file.items:
                if item.code == code:
                    return item.name
                for alternative in item.alternatives:
                    if alternative.code == code:
                        return alternative.name
        return f"DOC-{code.upper()}"

    def _failed(self, error: BaseException) -> None:
        # In the status line, not a dialog: the collector keeps scanning.
        self._say(self.describe(error), True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        style = f"color: {ERROR_TEXT}; font-weight: bold;" if problem else ""
        if self.message.styleSheet() != style:  # a new style sheet re-polishes the label
            self.message.setStyleSheet(style)

    @property
    def busy(self) -> bool:
        """A hub call that changes the file is still on its way."""
        return self._in_flight > 0 or self._opening
