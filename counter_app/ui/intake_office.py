"""The intake back room: handover to the claims department, archive, pickups, productivity.

``HandoverPanel`` lists complete files: Space ticks one, Ctrl+A all, F8 makes the batch and
saves its handover list (交接清单) as a PDF; scanning the batch number of the signed list that
comes back confirms it (typing or scanning while the list has the focus goes to that field);
F7 records where a file is archived. ``PickupPanel`` dispatches and
closes door-to-door pickups (上门收单). ``ProductivityPanel`` shows the files each collector
handled on a day against the norm. Every hub call runs off the GUI thread, and the panels reload
when the hub reports ``intake.changed``.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubError
from counter_app.domain.intake import FILES_PER_DAY_NORM
from counter_app.hub.schemas import (
    CollectorDayOut,
    EventOut,
    HandoverOut,
    IntakeFileOut,
    IntakeFileSummaryOut,
    PickupIn,
    PickupOut,
)
from counter_app.ui.barcode import ScanLineEdit
from counter_app.ui.office_print import OfficePrintFailed, print_on_office_printer
from counter_app.ui.widgets import panel_shortcut as _shortcut
from counter_app.ui.widgets import read_only, write_pdf_file
from counter_app.ui.widgets import say as _say

if TYPE_CHECKING:  # the workspaces import these panels
    from counter_app.ui.workspaces.base import Session

# The number printed as the barcode of a handover list: JJ, the day, the batch of the day.
BATCH_NUMBER = re.compile(r"JJ[0-9]{8}-[0-9]{3}", re.IGNORECASE)
OVERDUE_BACKGROUND = "#ffcdd2"
BELOW_NORM_BACKGROUND = "#ffe0b2"
# A pickup is usually arranged for the next couple of hours.
PICKUP_WINDOW_HOURS = 2
RELOAD_SETTLE_MS = 300


def write_handover_pdf(data: bytes, number: str, folder: Path) -> Path:
    """The handover list in ``folder``, named by its batch number."""
    return write_pdf_file(data, folder / f"{number}.pdf")


def local_time(at: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return at.astimezone().strftime(pattern)


def pickup_window(start: datetime, end: datetime) -> str:
    """``MM-dd HH:mm–HH:mm`` in local time; the end's day too when the window passes midnight."""
    first, last = start.astimezone(), end.astimezone()
    until = "%H:%M" if first.date() == last.date() else "%m-%d %H:%M"
    return f"{first:%m-%d %H:%M}–{last.strftime(until)}"


def error_words(
    session: Session, error: BaseException, fields: dict[str, str], staff_unknown: str
) -> str:
    """The error's message from the session's messages, with the hub's field names in words."""
    if not isinstance(error, HubError):
        return session.messages.describe(error)
    params = dict(error.params)
    if error.code == "not_found" and "username" in params:
        # The shared "Not found." would not say what was not found.
        return staff_unknown.replace("%1", str(params["username"]))
    if error.code == "intake.invalid":
        field = str(params.get("field", ""))
        params["field"] = fields.get(field, field or error.detail).rstrip(":：")
    return session.messages.error_text(error.code, params, error.detail)


def _moment(edit: QDateTimeEdit) -> datetime:
    # The edit shows local time; the hub wants the zone with it.
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch()).astimezone()


class AnswerDialog(QDialog):
    """One line asked of the staff member: an archive place, a username, a reason."""

    def __init__(
        self,
        title: str,
        question: str,
        name: str,
        text: str = "",
        max_length: int = 64,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.edit = QLineEdit(text)
        self.edit.setObjectName(f"{name}Answer")
        self.edit.setMaxLength(max_length)
        self.edit.selectAll()
        self.question.setBuddy(self.edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._answer_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)
        self._answer_changed(text)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.text().strip()

    @Slot(str)
    def _answer_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(text.strip()))


# --- handover and archive ---


class HandoverPanel(QWidget):
    """Complete files go to the claims department in batches; files are archived."""

    handover_printed = Signal(object)  # Path: the handover list PDF was written, ready to print
    handover_confirmed = Signal(object)  # HandoverOut: the signed list came back
    file_archived = Signal(object)  # IntakeFileOut

    def __init__(self, session: Session, out_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoverPanel")
        self.session = session
        self.out_dir = out_dir
        self.files: list[IntakeFileSummaryOut] = []
        self.checked: set[uuid.UUID] = set()
        self.batch: HandoverOut | None = None  # the last batch made here
        self.archive_dialog: AnswerDialog | None = None
        self._handing_over = False
        self._last_location = ""  # files of one batch usually go into the same box
        # Answers may come back out of order; only the newest reload is shown.
        self._reloads = 0

        self.summary = QLabel()
        self.summary.setObjectName("handoverSummary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("handoverRefresh")
        self.hand_over_button = QPushButton()
        self.hand_over_button.setObjectName("handOver")
        self.archive_button = QPushButton()
        self.archive_button.setObjectName("handoverArchive")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.archive_button)
        top.addWidget(self.hand_over_button)

        self.table = read_only(QTableWidget(0, 7))
        self.table.setObjectName("handoverFiles")
        self.table.setProperty("startsEmpty", True)  # nothing is complete in a new branch
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.installEventFilter(self)
        self.keys_hint = QLabel()
        self.keys_hint.setObjectName("handoverKeys")
        self.keys_hint.setWordWrap(True)

        self.batch_box = QGroupBox()
        self.batch_box.setObjectName("handoverBatch")
        self.batch_label = QLabel()
        self.batch_label.setObjectName("handoverBatchNumber")
        big = QFont(self.font())
        big.setPointSize(max(14, int(big.pointSize() * 1.5)))
        big.setBold(True)
        self.batch_label.setFont(big)
        self.batch_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.batch_detail = QLabel()
        self.batch_detail.setObjectName("handoverBatchDetail")
        self.batch_detail.setWordWrap(True)
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("handoverReprint")
        self.confirm_label = QLabel()
        self.confirm_edit = ScanLineEdit()
        self.confirm_edit.setObjectName("handoverConfirmScan")
        self.confirm_edit.setMaxLength(32)
        self.confirm_label.setBuddy(self.confirm_edit)
        self.confirmed_label = QLabel()
        self.confirmed_label.setObjectName("handoverConfirmed")
        self.confirmed_label.setWordWrap(True)
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.batch_label)
        batch_row.addWidget(self.batch_detail, 1)
        batch_row.addWidget(self.reprint_button)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_label)
        confirm_row.addWidget(self.confirm_edit, 1)
        batch_layout = QVBoxLayout(self.batch_box)
        batch_layout.addLayout(batch_row)
        batch_layout.addLayout(confirm_row)
        batch_layout.addWidget(self.confirmed_label)

        self.message = QLabel()
        self.message.setObjectName("handoverMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.keys_hint)
        layout.addWidget(self.batch_box)
        layout.addWidget(self.message)
        self.setFocusProxy(self.table)

        self.refresh_button.clicked.connect(self.reload)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.archive_button.clicked.connect(self.archive_selected)
        self.reprint_button.clicked.connect(self.reprint)
        self.confirm_edit.code_scanned.connect(self.confirm)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._shortcuts = [
            _shortcut(self, "F5", self.reload),
            _shortcut(self, "F7", self.archive_selected),
            _shortcut(self, "F8", self.hand_over),
        ]
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RELOAD_SETTLE_MS)
        self._debounce.timeout.connect(self.reload)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.archive_button.setText(self.tr("Archive (F7)"))
        self.hand_over_button.setText(self.tr("Hand over (F8)"))
        self.keys_hint.setText(
            self.tr(
                "Space: tick the file · Ctrl+A: tick all · F8: hand the ticked files over "
                "and save the list · F7: archive the selected file"
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Claim number"),
                self.tr("Receipt"),
                self.tr("Claim type"),
                self.tr("Plate"),
                self.tr("Submitter"),
                self.tr("Status"),
                self.tr("Opened"),
            ]
        )
        self.batch_box.setTitle(self.tr("Handover batch"))
        self.reprint_button.setText(self.tr("Save the list again"))
        self.confirm_label.setText(self.tr("Scan signed list:"))
        self.confirm_edit.setPlaceholderText(
            self.tr("Scan or type the batch number (JJ…), then Enter")
        )
        self._show()
        self._show_batch()

    def _status_names(self) -> dict[str, str]:
        return {
            "incomplete": self.tr("Incomplete"),
            "complete": self.tr("Complete"),
            "handed_over": self.tr("Handed over"),
            "archived": self.tr("Archived"),
        }

    # --- loading ---
    @Slot()
    def reload(self) -> None:
        client = self.session.client
        self._reloads += 1
        asked = self._reloads

        def work() -> tuple[int, list[IntakeFileSummaryOut]]:
            # Handed-over files stay listed until they are archived.
            complete = client.search_files(status="complete")
            return asked, complete + client.search_files(status="handed_over")

        self.session.call(work).success(self._loaded).failure(self._failed)

    def _loaded(self, reply: tuple[int, list[IntakeFileSummaryOut]]) -> None:
        asked, files = reply
        if asked != self._reloads:
            return  # a newer reload is on its way
        chosen = self.selected()
        self.files = files
        complete = {f.id for f in files if f.status == "complete"}
        self.checked &= complete
        self._show()
        if chosen is not None:
            self._select(chosen.id)
        if self.table.currentRow() < 0 and self.files:
            self.table.setCurrentCell(0, 0)

    def handle_event(self, event: EventOut) -> None:
        if event.event == "intake.changed":
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    # --- showing ---
    def _show(self) -> None:
        complete = [f for f in self.files if f.status == "complete"]
        self.summary.setText(
            self.tr("%1 complete files to hand over, %2 ticked; %3 handed over, not archived")
            .replace("%1", str(len(complete)))
            .replace("%2", str(len(self.checked)))
            .replace("%3", str(len(self.files) - len(complete)))
        )
        names = self._status_names()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.files))
        for row, file in enumerate(self.files):
            values = [
                file.claim_number,
                file.receipt_number,
                file.claim_type_name,
                file.plate,
                file.submitter_name,
                names.get(file.status, file.status),
                local_time(file.opened_at),
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == 0:
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    if file.status == "complete":
                        # Only a complete file can go into a batch; handed-over ones only archive.
                        cell.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
                        cell.setCheckState(
                            Qt.CheckState.Checked
                            if file.id in self.checked
                            else Qt.CheckState.Unchecked
                        )
                    else:
                        cell.setFlags(flags)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        self._update_buttons()

    def _show_batch(self) -> None:
        batch = self.batch
        self.batch_label.setText(batch.number if batch is not None else "—")
        self.reprint_button.setEnabled(batch is not None)
        if batch is None:
            self.batch_detail.setText(self.tr("No batch made here yet."))
            return
        self.batch_detail.setText(
            self.tr("%1 files, made by %2 at %3")
            .replace("%1", str(len(batch.files)))
            .replace("%2", batch.created_by)
            .replace("%3", local_time(batch.created_at))
        )

    def selected(self) -> IntakeFileSummaryOut | None:
        row = self.table.currentRow()
        return self.files[row] if 0 <= row < len(self.files) else None

    def is_checked(self, claim_number: str) -> bool:
        return any(f.claim_number == claim_number and f.id in self.checked for f in self.files)

    def _select(self, file_id: uuid.UUID) -> None:
        for row, file in enumerate(self.files):
            if file.id == file_id:
                self.table.setCurrentCell(row, 0)
                return

    def _update_buttons(self) -> None:
        self.hand_over_button.setEnabled(bool(self.checked) and not self._handing_over)
        file = self.selected()
        self.archive_button.setEnabled(
            file is not None and file.status in ("complete", "handed_over")
        )

    # --- ticking ---
    def set_checked(self, file_ids: set[uuid.UUID], checked: bool) -> None:
        complete = {f.id for f in self.files if f.status == "complete"}
        if checked:
            self.checked |= file_ids & complete
        else:
            self.checked -= file_ids
        self._show()

    def toggle_selected(self) -> None:
        current = self.selected()
        if current is None:
            return
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        rows.add(self.table.currentRow())
        ids = {self.files[r].id for r in rows if 0 <= r < len(self.files)}
        self.set_checked(ids, current.id not in self.checked)

    def toggle_all(self) -> None:
        complete = {f.id for f in self.files if f.status == "complete"}
        self.set_checked(complete, not complete <= self.checked)

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        # A mouse click on a check box; the keys go through toggle_selected.
        if item.column() != 0 or not 0 <= item.row() < len(self.files):
            return
        file = self.files[item.row()]
        self.set_checked({file.id}, item.checkState() == Qt.CheckState.Checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.table or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self.toggle_selected()
            return True
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.toggle_all()
            return True
        text = event.text()
        if (
            text
            and text.isprintable()
            and not text.isspace()
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            # A signed list scanned while the list has the focus lands in its field.
            self.confirm_edit.setText(text)
            self.confirm_edit.setFocus()
            self.confirm_edit.end(False)
            return True
        return False

    # --- handing over ---
    @Slot()
    def hand_over(self) -> None:
        ids = [f.id for f in self.files if f.id in self.checked]
        if not ids:
            _say(self.message, self.tr("Tick the files to hand over (Space), then F8."), True)
            return
        if self._handing_over:
            return  # a second press must not make a second batch
        self._handing_over = True
        self._update_buttons()
        client = self.session.client
        _say(self.message, self.tr("Making the batch..."))
        self.session.call(lambda: client.hand_over(ids)).success(self._handed_over).failure(
            self._hand_over_failed
        )

    def _handed_over(self, batch: HandoverOut) -> None:
        self._handing_over = False
        self.batch = batch
        self.checked -= {f.id for f in batch.files}
        self._show_batch()
        self.reload()
        self.save_list(batch.number)

    def _hand_over_failed(self, error: BaseException) -> None:
        self._handing_over = False
        self._update_buttons()
        self._failed(error)
        self.reload()  # a file may have been handed over at another counter meanwhile

    @Slot()
    def reprint(self) -> None:
        if self.batch is not None:
            self.save_list(self.batch.number)

    def save_list(self, number: str) -> None:
        client, folder = self.session.client, self.out_dir
        self.session.call(
            lambda: write_handover_pdf(client.handover_pdf(number), number, folder)
        ).success(self._list_saved).failure(self._list_failed)

    def _list_saved(self, path: Path) -> None:
        self.handover_printed.emit(path)
        try:
            printed = print_on_office_printer(path, self.session.settings)
        except OfficePrintFailed as error:
            # The list is saved: "Save the list again" prints it again.
            _say(
                self.message,
                self.tr("The list is saved at %1 but was not printed: %2 Press “%3” to retry.")
                .replace("%1", str(path))
                .replace("%2", self.describe(error))
                .replace("%3", self.reprint_button.text()),
                True,
            )
            return
        _say(
            self.message,
            self.tr("Handover list printed on %1 (saved at %2); send it with the files.")
            .replace("%1", printed.printer)
            .replace("%2", str(path)),
        )

    def _list_failed(self, error: BaseException) -> None:
        _say(
            self.message,
            self.tr("The batch is made, but its list was not saved: %1 Press “%2”.")
            .replace("%1", self.describe(error))
            .replace("%2", self.reprint_button.text()),
            True,
        )

    # --- the signed list comes back ---
    def accept_scan(self, code: str) -> bool:
        """A code scanned anywhere in the panel: a batch number confirms its list."""
        if BATCH_NUMBER.fullmatch(code.strip()) is None:
            return False
        self.confirm_edit.setText(code.strip())
        self.confirm(code)
        return True

    @Slot(str)
    def confirm(self, code: str) -> None:
        number = code.strip().upper()
        if not number:
            return
        client = self.session.client
        self.session.call(lambda: client.confirm_handover(number)).success(self._confirmed).failure(
            self._confirm_failed
        )

    def _confirmed(self, batch: HandoverOut) -> None:
        if self.batch is not None and self.batch.number == batch.number:
            self.batch = batch
        self.confirmed_label.setText(
            self.tr("%1 confirmed: received by %2 at %3 (%4 files).")
            .replace("%1", batch.number)
            .replace("%2", batch.confirmed_by or "—")
            .replace("%3", local_time(batch.confirmed_at) if batch.confirmed_at else "—")
            .replace("%4", str(len(batch.files)))
        )
        self.confirmed_label.setStyleSheet("")
        self.confirm_edit.clear()
        self.handover_confirmed.emit(batch)

    def _confirm_failed(self, error: BaseException) -> None:
        # The scanned text stays selected: the next scan replaces it.
        self.confirm_edit.selectAll()
        _say(self.confirmed_label, self.describe(error), True)

    # --- archive ---
    @Slot()
    def archive_selected(self) -> None:
        file = self.selected()
        if file is None or self.archive_dialog is not None:
            return
        if file.status not in ("complete", "handed_over"):
            return
        dialog = AnswerDialog(
            self.tr("Archive %1").replace("%1", file.claim_number),
            self.tr("Where is the file kept? Cabinet and box:"),
            "archiveDialog",
            self._last_location,
            parent=self,
        )
        dialog.setProperty("file", str(file.id))
        dialog.finished.connect(self._archive_finished)
        self.archive_dialog = dialog
        dialog.open()

    @Slot(int)
    def _archive_finished(self, result: int) -> None:
        dialog, self.archive_dialog = self.archive_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        self.window().activateWindow()
        self.table.setFocus()
        if result != QDialog.DialogCode.Accepted.value or not dialog.text():
            return
        file_id = uuid.UUID(str(dialog.property("file")))
        location = dialog.text()
        self._last_location = location
        client = self.session.client
        self.session.call(lambda: client.archive_file(file_id, location)).success(
            self._archived
        ).failure(self._failed)

    def _archived(self, file: IntakeFileOut) -> None:
        _say(
            self.message,
            self.tr("%1 archived: %2.")
            .replace("%1", file.claim_number)
            .replace("%2", file.archive_location or "—"),
        )
        self.file_archived.emit(file)
        self.reload()

    def describe(self, error: BaseException) -> str:
        return error_words(
            self.session,
            error,
            {"location": self.tr("Archive location")},
            self.tr("No staff member has the username %1."),
        )

    def _failed(self, error: BaseException) -> None:
        _say(self.message, self.describe(error), True)


# --- door-to-door pickups ---


class PickupDialog(QDialog):
    """A new pickup. The hub checks it; a refusal is shown here and nothing typed is lost."""

    pickup_created = Signal(object)  # PickupOut

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickupDialog")
        self.session = session
        self._sending = False
        self.setWindowTitle(self.tr("New pickup"))
        self.claim_edit = ScanLineEdit()
        self.claim_edit.setObjectName("pickupClaimNumber")
        self.claim_edit.setMaxLength(40)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("pickupContactName")
        self.name_edit.setMaxLength(64)
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("pickupContactPhone")
        self.phone_edit.setMaxLength(20)
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("pickupAddress")
        self.address_edit.setMaxLength(200)
        start = QDateTime.currentDateTime()
        start = start.addSecs(-start.time().second())
        self.start_edit = QDateTimeEdit(start)
        self.start_edit.setObjectName("pickupWindowStart")
        self.end_edit = QDateTimeEdit(start.addSecs(PICKUP_WINDOW_HOURS * 3600))
        self.end_edit.setObjectName("pickupWindowEnd")
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.documents_edit = QLineEdit()
        self.documents_edit.setObjectName("pickupDocuments")
        self.documents_edit.setMaxLength(1000)
        self.assign_edit = QLineEdit()
        self.assign_edit.setObjectName("pickupAssignTo")
        self.assign_edit.setMaxLength(64)
        self.form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for field, widget in (
            ("claim_number", self.claim_edit),
            ("contact_name", self.name_edit),
            ("contact_phone", self.phone_edit),
            ("address", self.address_edit),
            ("window_start", self.start_edit),
            ("window_end", self.end_edit),
            ("documents", self.documents_edit),
            ("assigned_to", self.assign_edit),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[field] = label
            self.form.addRow(label, widget)
        self.message = QLabel()
        self.message.setObjectName("pickupDialogMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        # Enter goes to the next field, as on the intake form; Enter in the last one sends.
        self._enter_chain: list[QWidget] = [
            self.claim_edit,
            self.name_edit,
            self.phone_edit,
            self.address_edit,
            self.start_edit,
            self.end_edit,
            self.documents_edit,
            self.assign_edit,
        ]
        for field_widget in self._enter_chain:
            field_widget.installEventFilter(self)
        self.claim_edit.code_scanned.connect(lambda _code: self.name_edit.setFocus())
        self.retranslate()
        self.claim_edit.setFocus()

    def retranslate(self) -> None:
        texts = {
            "claim_number": self.tr("Claim number:"),
            "contact_name": self.tr("Contact:"),
            "contact_phone": self.tr("Phone:"),
            "address": self.tr("Address:"),
            "window_start": self.tr("From:"),
            "window_end": self.tr("Until:"),
            "documents": self.tr("Documents:"),
            "assigned_to": self.tr("Assign to:"),
        }
        for field, text in texts.items():
            self.labels[field].setText(text)
        self.documents_edit.setPlaceholderText(self.tr("Separated by commas"))
        self.assign_edit.setPlaceholderText(self.tr("Username; empty: assign later"))

    def field_name(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text().rstrip(":：") if label is not None else field

    def request(self) -> PickupIn:
        """What is typed, as the hub takes it; ``ValueError`` names an empty required field."""
        for field, edit in (
            ("claim_number", self.claim_edit),
            ("contact_name", self.name_edit),
            ("contact_phone", self.phone_edit),
            ("address", self.address_edit),
        ):
            if not edit.text().strip():
                raise ValueError(field)
        documents = [d.strip() for d in re.split(r"[,，、;；]", self.documents_edit.text())]
        return PickupIn(
            claim_number=self.claim_edit.text().strip(),
            contact_name=self.name_edit.text().strip(),
            contact_phone=self.phone_edit.text().strip(),
            address=self.address_edit.text().strip(),
            window_start=_moment(self.start_edit),
            window_end=_moment(self.end_edit),
            documents=[d for d in documents if d][:40],
            assigned_to=self.assign_edit.text().strip() or None,
        )

    @Slot()
    def submit(self) -> None:
        if self._sending:
            return
        try:
            request = self.request()
        except ValueError as empty:
            field = str(empty)
            self._show_problem(self.tr("Please fill in %1.").replace("%1", self.field_name(field)))
            self._focus(field)
            return
        except ValidationError as invalid:
            self._show_problem(self.session.messages.describe(invalid))
            return
        self._sending = True
        self._set_ok_enabled(False)
        _say(self.message, self.tr("Saving..."))
        client = self.session.client
        self.session.call(lambda: client.create_pickup(request)).success(self._created).failure(
            self._refused
        )

    def _created(self, pickup: PickupOut) -> None:
        self._sending = False
        self._set_ok_enabled(True)
        self.pickup_created.emit(pickup)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._sending = False
        self._set_ok_enabled(True)
        fields = {field: self.field_name(field) for field in self.labels}
        self._show_problem(
            error_words(
                self.session, error, fields, self.tr("No staff member has the username %1.")
            )
        )
        if isinstance(error, HubError):
            if error.code == "intake.bad_claim_number":
                self._focus("claim_number")
            elif error.code == "not_found" and "username" in error.params:
                self._focus("assigned_to")
            else:
                self._focus(str(error.params.get("field", "")))

    def _show_problem(self, text: str) -> None:
        _say(self.message, text, True)

    def _focus(self, field: str) -> None:
        label = self.labels.get(field)
        widget = label.buddy() if label is not None else None
        if widget is None:
            return
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def _set_ok_enabled(self, enabled: bool) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(enabled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        chain = self._enter_chain
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier or watched is chain[-1]:
            self.submit()
            return True
        if isinstance(watched, QWidget) and watched in chain:
            chain[chain.index(watched) + 1].setFocus()
            return True
        return False


class PickupPanel(QWidget):
    """Open pickups, overdue first in red: new (Ins), assign (F4), done (F10), failed (F11)."""

    pickup_changed = Signal(object)  # PickupOut: made, assigned or closed here

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickupPanel")
        self.session = session
        self.pickups: list[PickupOut] = []
        self.pickup_dialog: PickupDialog | None = None
        self.assign_dialog: AnswerDialog | None = None
        self.reason_dialog: AnswerDialog | None = None
        # Answers may come back out of order; only the newest reload is shown.
        self._reloads = 0

        self.summary = QLabel()
        self.summary.setObjectName("pickupSummary")
        self.summary.setWordWrap(True)
        self.new_button = QPushButton()
        self.new_button.setObjectName("pickupNew")
        self.assign_button = QPushButton()
        self.assign_button.setObjectName("pickupAssign")
        self.done_button = QPushButton()
        self.done_button.setObjectName("pickupDone")
        self.failed_button = QPushButton()
        self.failed_button.setObjectName("pickupFailed")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("pickupRefresh")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        for button in (
            self.refresh_button,
            self.new_button,
            self.assign_button,
            self.done_button,
            self.failed_button,
        ):
            top.addWidget(button)
        self.table = read_only(QTableWidget(0, 7))
        self.table.setObjectName("pickupList")
        self.table.setProperty("startsEmpty", True)  # no pickup is arranged in a new branch
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel()
        self.detail.setObjectName("pickupDetail")
        self.detail.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("pickupMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.message)
        self.setFocusProxy(self.table)

        self.refresh_button.clicked.connect(self.reload)
        self.new_button.clicked.connect(self.new_pickup)
        self.assign_button.clicked.connect(self.assign_selected)
        self.done_button.clicked.connect(self.done_selected)
        self.failed_button.clicked.connect(self.failed_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._shortcuts = [
            _shortcut(self, "F5", self.reload),
            _shortcut(self, "Ins", self.new_pickup),
            _shortcut(self, "F4", self.assign_selected),
            _shortcut(self, "F10", self.done_selected),
            _shortcut(self, "F11", self.failed_selected),
        ]
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RELOAD_SETTLE_MS)
        self._debounce.timeout.connect(self.reload)
        # A window passes while nobody touches the list: it turns red by itself.
        self._every = QTimer(self)
        self._every.setInterval(60_000)
        self._every.timeout.connect(self.reload)
        self._every.start()
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.new_button.setText(self.tr("New pickup (Ins)"))
        self.assign_button.setText(self.tr("Assign (F4)"))
        self.done_button.setText(self.tr("Done (F10)"))
        self.failed_button.setText(self.tr("Failed (F11)"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Claim number"),
                self.tr("Contact"),
                self.tr("Phone"),
                self.tr("Address"),
                self.tr("Window"),
                self.tr("Assigned to"),
                self.tr("State"),
            ]
        )
        if self.pickup_dialog is not None:
            self.pickup_dialog.retranslate()
        self._show()

    def _state_names(self) -> dict[str, str]:
        return {
            "open": self.tr("Open"),
            "assigned": self.tr("Assigned"),
            "done": self.tr("Done"),
            "failed": self.tr("Failed"),
            "cancelled": self.tr("Cancelled"),
        }

    # --- loading ---
    @Slot()
    def reload(self) -> None:
        client = self.session.client
        self._reloads += 1
        asked = self._reloads
        self.session.call(lambda: (asked, client.pickups())).success(self._loaded).failure(
            self._failed
        )

    def _loaded(self, reply: tuple[int, list[PickupOut]]) -> None:
        asked, pickups = reply
        if asked != self._reloads:
            return  # a newer reload is on its way
        chosen = self.selected()
        # The hub's order (overdue first, then by window) is kept as it is.
        self.pickups = pickups
        self._show()
        if chosen is not None:
            self._select(chosen.id)
        if self.table.currentRow() < 0 and self.pickups:
            self.table.setCurrentCell(0, 0)

    def handle_event(self, event: EventOut) -> None:
        if event.event == "intake.changed":
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    # --- showing ---
    def _show(self) -> None:
        overdue = sum(1 for p in self.pickups if p.overdue)
        self.summary.setText(
            self.tr("%1 open pickups, %2 of them overdue")
            .replace("%1", str(len(self.pickups)))
            .replace("%2", str(overdue))
        )
        states = self._state_names()
        self.table.setRowCount(len(self.pickups))
        for row, pickup in enumerate(self.pickups):
            state = states.get(pickup.state, pickup.state)
            if pickup.overdue:
                state = self.tr("%1, overdue").replace("%1", state)
            values = [
                pickup.claim_number,
                pickup.contact_name,
                pickup.contact_phone,
                pickup.address,
                pickup_window(pickup.window_start, pickup.window_end),
                pickup.assigned_to or "—",
                state,
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if pickup.overdue:
                    cell.setBackground(QBrush(QColor(OVERDUE_BACKGROUND)))
                self.table.setItem(row, column, cell)
        self._selection_changed()

    @Slot()
    def _selection_changed(self) -> None:
        pickup = self.selected()
        for button in (self.assign_button, self.done_button, self.failed_button):
            button.setEnabled(pickup is not None)
        if pickup is None:
            self.detail.setText("")
            return
        self.detail.setText(
            self.tr("Documents: %1 · arranged by %2 at %3")
            .replace("%1", ", ".join(pickup.documents) or "—")
            .replace("%2", pickup.created_by)
            .replace("%3", local_time(pickup.created_at))
        )

    def selected(self) -> PickupOut | None:
        row = self.table.currentRow()
        return self.pickups[row] if 0 <= row < len(self.pickups) else None

    def row_of(self, pickup_id: uuid.UUID) -> int:
        return next((r for r, p in enumerate(self.pickups) if p.id == pickup_id), -1)

    def _select(self, pickup_id: uuid.UUID) -> None:
        row = self.row_of(pickup_id)
        if row >= 0:
            self.table.setCurrentCell(row, 0)

    # --- actions ---
    @Slot()
    def new_pickup(self) -> None:
        if self.pickup_dialog is not None:
            return
        dialog = PickupDialog(self.session, self)
        dialog.pickup_created.connect(self._pickup_made)
        dialog.finished.connect(self._pickup_dialog_finished)
        self.pickup_dialog = dialog
        dialog.open()

    def _pickup_made(self, pickup: PickupOut) -> None:
        _say(
            self.message,
            self.tr("Pickup for %1 arranged, %2.")
            .replace("%1", pickup.claim_number)
            .replace("%2", pickup_window(pickup.window_start, pickup.window_end)),
        )
        self._changed(pickup)

    @Slot(int)
    def _pickup_dialog_finished(self, _result: int) -> None:
        dialog, self.pickup_dialog = self.pickup_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        self._back_to_list()

    @Slot()
    def assign_selected(self) -> None:
        pickup = self.selected()
        if pickup is None or self.assign_dialog is not None:
            return
        dialog = AnswerDialog(
            self.tr("Assign the pickup for %1").replace("%1", pickup.claim_number),
            self.tr("Who goes? Username:"),
            "assignDialog",
            pickup.assigned_to or self.session.login.staff.username,
            parent=self,
        )
        dialog.setProperty("pickup", str(pickup.id))
        dialog.finished.connect(self._assign_finished)
        self.assign_dialog = dialog
        dialog.open()

    @Slot(int)
    def _assign_finished(self, result: int) -> None:
        dialog, self.assign_dialog = self.assign_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        self._back_to_list()
        if result != QDialog.DialogCode.Accepted.value or not dialog.text():
            return
        pickup_id, username = uuid.UUID(str(dialog.property("pickup"))), dialog.text()
        client = self.session.client
        self.session.call(lambda: client.assign_pickup(pickup_id, username)).success(
            self._assigned
        ).failure(self._failed)

    def _assigned(self, pickup: PickupOut) -> None:
        _say(
            self.message,
            self.tr("Pickup for %1 assigned to %2.")
            .replace("%1", pickup.claim_number)
            .replace("%2", pickup.assigned_to or "—"),
        )
        self._changed(pickup)

    @Slot()
    def done_selected(self) -> None:
        pickup = self.selected()
        if pickup is not None:
            self._close(pickup.id, "done", "")

    @Slot()
    def failed_selected(self) -> None:
        pickup = self.selected()
        if pickup is None or self.reason_dialog is not None:
            return
        dialog = AnswerDialog(
            self.tr("Pickup for %1 failed").replace("%1", pickup.claim_number),
            self.tr("Why did it fail?"),
            "pickupReasonDialog",
            max_length=200,
            parent=self,
        )
        dialog.setProperty("pickup", str(pickup.id))
        dialog.finished.connect(self._reason_finished)
        self.reason_dialog = dialog
        dialog.open()

    @Slot(int)
    def _reason_finished(self, result: int) -> None:
        dialog, self.reason_dialog = self.reason_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        self._back_to_list()
        if result == QDialog.DialogCode.Accepted.value and dialog.text():
            self._close(uuid.UUID(str(dialog.property("pickup"))), "failed", dialog.text())

    def _close(self, pickup_id: uuid.UUID, state: str, outcome: str) -> None:
        client = self.session.client
        self.session.call(lambda: client.close_pickup(pickup_id, state, outcome)).success(
            self._closed
        ).failure(self._failed)

    def _closed(self, pickup: PickupOut) -> None:
        text = (
            self.tr("Pickup for %1 done.")
            if pickup.state == "done"
            else self.tr("Pickup for %1 closed as failed: %2")
        )
        _say(self.message, text.replace("%1", pickup.claim_number).replace("%2", pickup.outcome))
        self._changed(pickup)

    def _changed(self, pickup: PickupOut) -> None:
        self.pickup_changed.emit(pickup)
        self.reload()

    def _back_to_list(self) -> None:
        # So the next key works without a mouse click.
        self.window().activateWindow()
        self.table.setFocus()

    def _failed(self, error: BaseException) -> None:
        words = error_words(
            self.session,
            error,
            {"outcome": self.tr("Reason")},
            self.tr("No staff member has the username %1."),
        )
        _say(self.message, words, True)


# --- productivity ---


class ProductivityPanel(QWidget):
    """Files each collector handled on a day, against the norm; below the norm in amber."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("productivityPanel")
        self.session = session
        # None: the branch's today as the hub counts it (the hub's time zone, not this PC's).
        self.day: date | None = None
        self.branch_today: date | None = None
        self.rows: list[CollectorDayOut] = []

        self.day_label = QLabel()
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setObjectName("productivityDay")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMaximumDate(QDate.currentDate().addDays(1))
        self.day_label.setBuddy(self.day_edit)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("productivityRefresh")
        self.norm_label = QLabel()
        self.norm_label.setObjectName("productivityNorm")
        self.norm_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.day_label)
        top.addWidget(self.day_edit)
        top.addWidget(self.refresh_button)
        top.addWidget(self.norm_label, 1)
        self.table = read_only(QTableWidget(0, 3))
        self.table.setObjectName("productivityCollectors")
        self.table.setProperty("startsEmpty", True)  # nobody has handled a file yet today
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setObjectName("productivityMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.day_edit.dateChanged.connect(self._day_changed)
        self.refresh_button.clicked.connect(self.reload)
        self._shortcuts = [_shortcut(self, "F5", self.reload)]
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        # Counting is a heavier query than a list; a burst of scans needs one recount.
        self._debounce.setInterval(5 * RELOAD_SETTLE_MS)
        self._debounce.timeout.connect(self.reload)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.day_label.setText(self.tr("Day:"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Collector"), self.tr("Files handled"), self.tr("% of the norm")]
        )
        self._show()

    @Slot(QDate)
    def _day_changed(self, chosen: QDate) -> None:
        day = date(chosen.year(), chosen.month(), chosen.day())
        self.day = None if day == self.branch_today else day
        self.rows = []
        self._show()
        self.reload()

    @Slot()
    def reload(self) -> None:
        client, asked = self.session.client, self.day

        def work() -> tuple[date | None, date, list[CollectorDayOut]]:
            day = asked or date.fromisoformat(client.queue().business_day)
            return asked, day, client.productivity(day)

        self.session.call(work).success(self._loaded).failure(self._failed)

    def _loaded(self, reply: tuple[date | None, date, list[CollectorDayOut]]) -> None:
        asked, day, rows = reply
        if asked != self.day:
            return  # the answer for a day chosen before
        if asked is None:
            self.branch_today = day
            self.day_edit.blockSignals(True)
            self.day_edit.setDate(QDate(day.year, day.month, day.day))
            self.day_edit.blockSignals(False)
        self.rows = rows
        _say(self.message, "")
        self._show()

    def handle_event(self, event: EventOut) -> None:
        # Only today's counts move; an earlier day is history.
        if event.event == "intake.changed" and self.day is None:
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    def _show(self) -> None:
        norm = self.rows[0].norm if self.rows else FILES_PER_DAY_NORM
        self.norm_label.setText(
            self.tr("Norm: %1 files a day per collector; below it in amber.").replace(
                "%1", str(norm)
            )
        )
        self.table.setRowCount(len(self.rows))
        for row, collector in enumerate(self.rows):
            values = [collector.collector, str(collector.files), f"{collector.percent_of_norm}%"]
            below = collector.files < collector.norm
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if below:
                    cell.setBackground(QBrush(QColor(BELOW_NORM_BACKGROUND)))
                self.table.setItem(row, column, cell)

    def row_of(self, collector: str) -> int:
        return next((r for r, c in enumerate(self.rows) if c.collector == collector), -1)

    def _failed(self, error: BaseException) -> None:
        _say(self.message, self.session.messages.describe(error), True)
