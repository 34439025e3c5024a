"""The collector's follow-up list (跟进): incomplete files, overdue first, and a search.

Enter on a row opens the file in the intake panel; F6 logs a contact with the customer and the
next follow-up date; F5 reloads. The list reloads itself when the hub reports an
``intake.changed`` event, at most once per burst of events.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.intake import reminder_text
from counter_app.hub.schemas import EventOut, IntakeFileOut, IntakeFileSummaryOut
from counter_app.ui.widgets import ERROR_TEXT, read_only

if TYPE_CHECKING:  # the workspaces import this panel
    from counter_app.ui.workspaces.base import Session

OVERDUE_BACKGROUND = "#ffcdd2"
# The usual promise to a customer reached by phone: the documents come within two days.
NEXT_CONTACT_DAYS = 2
METHODS = ("phone", "sms", "visit")
OUTCOMES = ("reached", "no_answer", "wrong_number", "refused", "sent")


class ContactDialog(QDialog):
    """One contact with the customer about a file's missing documents."""

    def __init__(self, file: IntakeFileSummaryOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.setWindowTitle(self.tr("Log contact for %1").replace("%1", file.claim_number))
        self.about = QLabel(
            self.tr("%1 · %2 · missing %3")
            .replace("%1", file.submitter_name or "—")
            .replace("%2", file.submitter_phone or "—")
            .replace("%3", str(file.missing_count))
        )
        self.about.setWordWrap(True)
        self.method = QComboBox()
        self.method.setObjectName("contactMethod")
        methods = {
            "phone": self.tr("Phone call"),
            "sms": self.tr("Text message"),
            "visit": self.tr("Visit"),
        }
        for code in METHODS:
            self.method.addItem(methods[code], code)
        self.outcome = QComboBox()
        self.outcome.setObjectName("contactOutcome")
        outcomes = {
            "reached": self.tr("Reached: will bring the documents"),
            "no_answer": self.tr("No answer"),
            "wrong_number": self.tr("Wrong number"),
            "refused": self.tr("Refused"),
            "sent": self.tr("Message sent"),
        }
        for code in OUTCOMES:
            self.outcome.addItem(outcomes[code], code)
        self.note = QLineEdit()
        self.note.setObjectName("contactNote")
        self.note.setMaxLength(500)
        self.next_due = QDateEdit()
        self.next_due.setObjectName("contactNextDue")
        self.next_due.setCalendarPopup(True)
        self.next_due.setDisplayFormat("yyyy-MM-dd")
        today = QDate.currentDate()
        self.next_due.setMinimumDate(today)
        self.next_due.setDate(today.addDays(NEXT_CONTACT_DAYS))
        form = QFormLayout()
        form.addRow(self.tr("Method:"), self.method)
        form.addRow(self.tr("Outcome:"), self.outcome)
        form.addRow(self.tr("Note:"), self.note)
        form.addRow(self.tr("Next follow-up:"), self.next_due)
        # The reminder to paste into a text message, with what is still missing.
        self.reminder = QPlainTextEdit()
        self.reminder.setObjectName("contactReminder")
        self.reminder.setReadOnly(True)
        self.reminder.setPlaceholderText(self.tr("Reading what is missing..."))
        self.reminder.setFixedHeight(self.reminder.fontMetrics().lineSpacing() * 5 + 12)
        self.copy_button = QPushButton(self.tr("Copy text (Ctrl+Shift+C)"))
        self.copy_button.setObjectName("contactCopy")
        copy_key = QShortcut(QKeySequence("Ctrl+Shift+C"), self)
        # Within the dialog and its children: the dialog is window-modal over the list.
        copy_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_key.activated.connect(self.copy_reminder)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_reminder)
        form.addRow(self.tr("Text message:"), self.reminder)
        form.addRow("", self.copy_button)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.method.setFocus()

    def set_reminder(self, text: str) -> None:
        self.reminder.setPlainText(text)
        self.copy_button.setEnabled(bool(text))

    @Slot()
    def copy_reminder(self) -> None:
        """Copy the text for the phone's SMS; the contact is then logged as a message sent."""
        text = self.reminder.toPlainText()
        if not text:
            return
        QGuiApplication.clipboard().setText(text)
        self.method.setCurrentIndex(METHODS.index("sms"))
        self.outcome.setCurrentIndex(OUTCOMES.index("sent"))
        if not self.note.text().strip():
            self.note.setText(text[:500])

    def choice(self) -> tuple[str, str, str, date]:
        chosen = self.next_due.date()
        return (
            str(self.method.currentData()),
            str(self.outcome.currentData()),
            self.note.text().strip(),
            date(chosen.year(), chosen.month(), chosen.day()),
        )


class FollowUpPanel(QWidget):
    """Files still lacking documents, and any file found by the search box."""

    file_chosen = Signal(object)  # uuid.UUID: open this file in the intake panel

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpPanel")
        self.session = session
        self.files: list[IntakeFileSummaryOut] = []
        self.search_text = ""  # empty: the follow-up list, else the search shown
        self.contact_dialog: ContactDialog | None = None

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setObjectName("followUpSearch")
        self.search.setMaxLength(64)
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.mine = QCheckBox()
        self.mine.setObjectName("followUpMine")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("followUpRefresh")
        self.contact_button = QPushButton()
        self.contact_button.setObjectName("followUpContact")
        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.mine)
        top.addWidget(self.refresh_button)
        top.addWidget(self.contact_button)
        self.summary = QLabel()
        self.summary.setObjectName("followUpSummary")
        self.summary.setWordWrap(True)
        self.table = read_only(QTableWidget(0, 8))
        self.table.setObjectName("followUpFiles")
        self.table.setProperty("startsEmpty", True)  # a new branch has no files to chase
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.installEventFilter(self)
        self.message = QLabel()
        self.message.setObjectName("followUpMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.search.returnPressed.connect(self._search_entered)
        self.mine.toggled.connect(self.reload)
        self.refresh_button.clicked.connect(self.reload)
        self.contact_button.clicked.connect(self.log_contact)
        self.table.doubleClicked.connect(self.choose_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._shortcuts: list[QShortcut] = []
        for keys, slot in (("F5", self.reload), ("F6", self.log_contact)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.search_label.setText(self.tr("Find:"))
        self.search.setPlaceholderText(self.tr("Claim number, plate, name or phone; Enter"))
        self.mine.setText(self.tr("Only mine"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.contact_button.setText(self.tr("Log contact (F6)"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Due"),
                self.tr("Claim number"),
                self.tr("Plate"),
                self.tr("Submitter"),
                self.tr("Phone"),
                self.tr("Missing"),
                self.tr("Claim type"),
                self.tr("Opened"),
            ]
        )
        self._show()

    # --- loading ---
    @Slot()
    def reload(self) -> None:
        client, text, mine = self.session.client, self.search_text, self.mine.isChecked()

        def work() -> tuple[str, list[IntakeFileSummaryOut]]:
            return text, (client.search_files(text) if text else client.follow_up(mine))

        self.session.call(work).success(self._loaded).failure(self._failed)

    def _loaded(self, reply: tuple[str, list[IntakeFileSummaryOut]]) -> None:
        text, files = reply
        if text != self.search_text:
            return  # an answer to an earlier search
        chosen = self.selected()
        self.files = list(files)
        self._show()
        if chosen is not None:
            self._select(chosen.id)
        elif self.files and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    @Slot()
    def _search_entered(self) -> None:
        self.search_text = self.search.text().strip()
        self.reload()
        self.table.setFocus()

    def handle_event(self, event: EventOut) -> None:
        if event.event == "intake.changed":
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    # --- showing ---
    def _show(self) -> None:
        today = date.today()
        overdue = sum(1 for f in self.files if f.overdue)
        if self.search_text:
            self.summary.setText(
                self.tr("Found for “%1”: %2 files")
                .replace("%1", self.search_text)
                .replace("%2", str(len(self.files)))
            )
        else:
            self.summary.setText(
                self.tr("%1 files lack documents, %2 of them overdue")
                .replace("%1", str(len(self.files)))
                .replace("%2", str(overdue))
            )
        self.table.setRowCount(len(self.files))
        for row, file in enumerate(self.files):
            due = file.due.isoformat() if file.due else "—"
            # In words too: the red background does not show on the selected row.
            if file.overdue:
                due += " " + self.tr("(overdue)")
            elif file.due == today:
                due += " " + self.tr("(today)")
            values = [
                due,
                file.claim_number,
                file.plate,
                file.submitter_name,
                file.submitter_phone,
                str(file.missing_count) if file.status == "incomplete" else "—",
                file.claim_type_name,
                file.opened_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if file.overdue:
                    cell.setBackground(QBrush(QColor(OVERDUE_BACKGROUND)))
                self.table.setItem(row, column, cell)
        self._update_buttons()

    def selected(self) -> IntakeFileSummaryOut | None:
        row = self.table.currentRow()
        return self.files[row] if 0 <= row < len(self.files) else None

    def _select(self, file_id: uuid.UUID) -> None:
        for row, file in enumerate(self.files):
            if file.id == file_id:
                self.table.setCurrentCell(row, 0)
                return

    def _update_buttons(self) -> None:
        self.contact_button.setEnabled(self.selected() is not None)

    # --- actions ---
    @Slot()
    def choose_selected(self) -> None:
        file = self.selected()
        if file is not None:
            self.file_chosen.emit(file.id)

    @Slot()
    def log_contact(self) -> None:
        file = self.selected()
        if file is None or self.contact_dialog is not None:
            return
        dialog = ContactDialog(file, self)
        dialog.setProperty("file", str(file.id))
        dialog.finished.connect(self._contact_finished)
        self.contact_dialog = dialog
        # open(), not exec(): the list keeps reloading while the collector is on the phone.
        dialog.open()
        client, file_id = self.session.client, file.id

        def reminder() -> str:
            receipt = client.intake_receipt(file_id)
            return reminder_text(
                receipt.branch_name,
                receipt.claim_number,
                [line.name for line in receipt.missing],
                receipt.due,
                receipt.contact_phone,
            )

        self.session.call(reminder).success(
            lambda text: dialog.set_reminder(text) if self.contact_dialog is dialog else None
        )

    @Slot(int)
    def _contact_finished(self, result: int) -> None:
        dialog, self.contact_dialog = self.contact_dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        # Back to the list, so the next key or scan works without a mouse click.
        self.window().activateWindow()
        self.table.setFocus()
        if result != QDialog.DialogCode.Accepted.value:
            return
        file_id = uuid.UUID(str(dialog.property("file")))
        method, outcome, note, next_due = dialog.choice()
        client = self.session.client
        self.session.call(
            lambda: client.log_contact(file_id, method, outcome, note, next_due)
        ).success(self._contact_logged).failure(self._failed)

    def _contact_logged(self, file: IntakeFileOut) -> None:
        due = file.due.isoformat() if file.due else "—"
        self._say(
            self.tr("Contact logged for %1; next follow-up %2.")
            .replace("%1", file.claim_number)
            .replace("%2", due)
        )
        self.reload()

    # --- keys ---
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.choose_selected()
            return True
        return False

    def _failed(self, error: BaseException) -> None:
        self._say(self.session.messages.describe(error), True)

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;" if problem else "")
