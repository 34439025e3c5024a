"""The front-desk guide's ticket dispenser (排号机): one key per service, priority, check-in.

A ticket is saved by the hub first and printed afterwards, never the other way round: when the
printer is out of paper or offline the ticket is still in the queue, the guide sees the fault at
once, and the ticket can be reprinted from the list (the reprint is audited by the hub).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubError
from counter_app.config.settings import KIOSK_PRINTER, KIOSK_PRINTER_PROFILE
from counter_app.devices.ticket_printer import TicketPrinter, open_ticket_printer
from counter_app.hub.schemas import EventOut, QueueOut, ServiceQueueOut, TicketOut
from counter_app.printing.profiles import TicketProfile, load_ticket_profile
from counter_app.printing.ticket import TicketSlip, render_ticket
from counter_app.ui.barcode import ScanLineEdit
from counter_app.ui.widgets import read_only

if TYPE_CHECKING:  # the workspaces import these panels
    from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

MAX_SERVICE_KEYS = 9
RECENT_ROWS = 30
PRINTER_CHECK_MS = 15_000
# Printed on the ticket (Chinese, not UI text): what the customer should know while waiting.
TICKET_NOTICE = "请留意叫号与语音提示，过号请到前台重新排队。"
PRIORITY_ON_TICKET = {"elderly": "老年人优先", "disabled": "残障人士优先", "vip": "VIP 优先"}


@dataclass
class IssuedRow:
    ticket: TicketOut
    printed: bool = False
    problem: str = ""


class TicketDispenser:
    """The kiosk's ticket printer: renders a ticket and sends it, off the GUI thread."""

    def __init__(self, connection: str, profile_name: str) -> None:
        self.connection = connection
        self.profile_name = profile_name
        self._printer: TicketPrinter | None = None
        self._profile: TicketProfile | None = None

    def _open(self) -> tuple[TicketPrinter, TicketProfile]:
        if self._profile is None:
            self._profile = load_ticket_profile(self.profile_name)
        if self._printer is None:
            self._printer = open_ticket_printer(self.connection)
        return self._printer, self._profile

    def print_ticket(self, slip: TicketSlip) -> None:
        # The kiosk stands in the branch: its own clock's zone is the branch's.
        self.print_rendered(
            lambda profile: render_ticket(slip, profile, datetime.now().astimezone().tzinfo or UTC)
        )

    def print_rendered(self, render: Callable[[TicketProfile], bytes]) -> None:
        """Send what ``render`` makes for this printer's profile (a ticket, a receipt slip)."""
        printer, profile = self._open()
        data = render(profile)
        try:
            printer.print_job(data)
        except Exception:
            # A serial or network printer that failed is opened afresh on the next try.
            self.close()
            raise

    def check(self) -> str:
        """``ok``, ``near_end``; raises the printer's error when it cannot print."""
        printer, _profile = self._open()
        try:
            status = printer.status()
            status.raise_unless_ready(printer.name)
        except Exception:
            self.close()
            raise
        return "near_end" if status.paper_near_end else "ok"

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a broken port must not hide the first error
                log.debug("closing the ticket printer failed", exc_info=True)


class KioskPanel(QWidget):
    """Issue tickets; see waits per service; reprint; check in appointments."""

    ticket_issued = Signal(object)  # TicketOut
    printer_state_changed = Signal(str)  # "ok", "near_end" or an error code

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskPanel")
        self.session = session
        settings = session.settings
        self.dispenser = TicketDispenser(
            settings.get(KIOSK_PRINTER), settings.get(KIOSK_PRINTER_PROFILE)
        )
        self.branch_name = ""
        self.services: list[ServiceQueueOut] = []
        self.rows: list[IssuedRow] = []
        self._busy = False
        self._printing = False
        self._pending_issue: tuple[str, str | None, str] | None = None

        self.service_box = QGroupBox()
        self.service_grid = QGridLayout(self.service_box)
        self.service_buttons: dict[str, QPushButton] = {}
        self.no_services = QLabel()
        self.service_grid.addWidget(self.no_services, 0, 0)
        # QShortcut, not the button's own: setText() on a button resets its shortcut.
        for index in range(MAX_SERVICE_KEYS):
            key = QShortcut(QKeySequence(str(index + 1)), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(lambda i=index: self._service_key(i))

        self.priority_box = QGroupBox()
        self.priority_group = QButtonGroup(self)
        priority_layout = QHBoxLayout(self.priority_box)
        self.priority_buttons: dict[str | None, QRadioButton] = {}
        for index, code in enumerate((None, "elderly", "disabled", "vip")):
            button = QRadioButton()
            button.setObjectName(f"priority_{code or 'normal'}")
            self.priority_group.addButton(button, index)
            self.priority_buttons[code] = button
            priority_layout.addWidget(button)
            shortcut = QShortcut(QKeySequence(f"F{5 + index}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(button.click)
        priority_layout.addStretch(1)
        self.priority_buttons[None].setChecked(True)

        self.checkin_box = QGroupBox()
        self.checkin_code = ScanLineEdit()
        self.checkin_code.setObjectName("checkinCode")
        self.checkin_code.setMaxLength(16)
        self.checkin_button = QPushButton()
        self.checkin_button.setObjectName("checkinButton")
        checkin_layout = QHBoxLayout(self.checkin_box)
        self.checkin_label = QLabel()
        checkin_layout.addWidget(self.checkin_label)
        checkin_layout.addWidget(self.checkin_code, 1)
        checkin_layout.addWidget(self.checkin_button)

        self.printer_label = QLabel()
        self.printer_label.setObjectName("printerState")
        self.printer_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("kioskMessage")
        self.message.setWordWrap(True)

        self.recent_box = QGroupBox()
        self.recent = read_only(QTableWidget(0, 5))
        self.recent.setObjectName("issuedTickets")
        self.recent.setProperty("startsEmpty", True)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintButton")
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelTicketButton")
        recent_buttons = QHBoxLayout()
        recent_buttons.addWidget(self.reprint_button)
        recent_buttons.addWidget(self.cancel_button)
        recent_buttons.addStretch(1)
        recent_layout = QVBoxLayout(self.recent_box)
        recent_layout.addWidget(self.recent, 1)
        recent_layout.addLayout(recent_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.service_box)
        layout.addWidget(self.priority_box)
        layout.addWidget(self.message)
        layout.addWidget(self.printer_label)
        layout.addWidget(self.checkin_box)
        layout.addWidget(self.recent_box, 1)

        self.checkin_button.clicked.connect(self._check_in)
        self.checkin_code.returnPressed.connect(self._check_in)
        self.checkin_code.code_scanned.connect(self._checkin_scanned)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.recent.itemSelectionChanged.connect(self._selection_changed)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(300)
        self._refresh.timeout.connect(self.reload)
        self._printer_timer = QTimer(self)
        self._printer_timer.setInterval(PRINTER_CHECK_MS)
        self._printer_timer.timeout.connect(self.check_printer)
        self._printer_timer.start()
        self._printer_state = "unknown"
        self.retranslate()
        self._selection_changed()
        self.reload()
        self.check_printer()
        session.call(lambda: session.client.health(check_schema=False)).success(
            self._show_health
        ).failure(lambda _e: None)

    # --- texts ---
    def retranslate(self) -> None:
        self.service_box.setTitle(self.tr("Issue a ticket (press the number key)"))
        self.no_services.setText(self.tr("Loading the services..."))
        self.priority_box.setTitle(self.tr("Priority"))
        titles = {
            None: self.tr("Normal (F5)"),
            "elderly": self.tr("Elderly (F6)"),
            "disabled": self.tr("Disabled (F7)"),
            "vip": self.tr("VIP (F8)"),
        }
        for code, button in self.priority_buttons.items():
            button.setText(titles[code])
        self.checkin_box.setTitle(self.tr("Appointment check-in"))
        self.checkin_label.setText(self.tr("Booking code:"))
        self.checkin_code.setPlaceholderText(self.tr("Scan or type the code"))
        self.checkin_button.setText(self.tr("Check in"))
        self.recent_box.setTitle(self.tr("Tickets issued here"))
        self.recent.setHorizontalHeaderLabels(
            [self.tr("Number"), self.tr("Service"), self.tr("Time"), self.tr("State"), ""]
        )
        self.reprint_button.setText(self.tr("Reprint"))
        self.cancel_button.setText(self.tr("Cancel ticket"))
        self._show_services()
        self._show_rows()
        self._show_printer_state()

    # --- services ---
    def reload(self) -> None:
        self.session.call(self.session.client.queue).success(self.show_snapshot).failure(
            lambda _e: None
        )

    @Slot(object)
    def show_snapshot(self, snapshot: QueueOut) -> None:
        self.services = list(snapshot.services)
        self._show_services()

    def _show_health(self, health: Any) -> None:
        self.branch_name = str(getattr(health, "branch_name", "") or "")

    def _show_services(self) -> None:
        wanted = [s.code for s in self.services[:MAX_SERVICE_KEYS]]
        if list(self.service_buttons) != wanted:
            for button in self.service_buttons.values():
                self.service_grid.removeWidget(button)
                button.deleteLater()
            self.service_buttons = {}
            for index, service in enumerate(self.services[:MAX_SERVICE_KEYS]):
                button = QPushButton()
                button.setObjectName(f"issue_{service.code}")
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                button.setMinimumHeight(64)
                button.clicked.connect(lambda _c=False, code=service.code: self.issue(code))
                self.service_grid.addWidget(button, index // 3, index % 3)
                self.service_buttons[service.code] = button
        self.no_services.setVisible(not self.services)
        for index, service in enumerate(self.services[:MAX_SERVICE_KEYS]):
            button = self.service_buttons[service.code]
            if service.open_now:
                detail = (
                    self.tr("%1 waiting, about %2 min")
                    .replace("%1", str(service.waiting))
                    .replace("%2", str(service.estimated_wait_minutes))
                )
            else:
                detail = self.tr("closed")
            button.setText(f"{index + 1}  {service.prefix} {service.name}\n{detail}")
            button.setEnabled(service.open_now and not self._busy)

    def _service_key(self, index: int) -> None:
        if index < len(self.services) and self.services[index].open_now:
            self.issue(self.services[index].code)

    def handle_event(self, event: EventOut) -> None:
        if not event.event.startswith("queue."):
            return
        waiting = event.payload.get("waiting")
        if isinstance(waiting, dict):
            self.services = [
                s.model_copy(update={"waiting": int(waiting.get(s.code, 0))}) for s in self.services
            ]
            self._show_services()
        self._refresh.start()  # estimates need the snapshot; one reload per burst of events

    # --- issuing ---
    def priority(self) -> str | None:
        for code, button in self.priority_buttons.items():
            if button.isChecked():
                return code
        return None

    def issue(self, service: str) -> None:
        if self._busy:
            return  # a double press issues one ticket
        priority = self.priority()
        pending = self._pending_issue
        # The same press repeated after a lost answer carries the same key: one ticket.
        if pending is not None and pending[:2] == (service, priority):
            key = pending[2]
        else:
            key = uuid.uuid4().hex
        self._pending_issue = (service, priority, key)
        self._set_busy(True)
        self.message.setText(self.tr("Issuing..."))
        client = self.session.client
        self.session.call(lambda: client.issue_ticket(service, priority, key)).success(
            self._issued
        ).failure(self._issue_failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.checkin_button.setEnabled(not busy)
        self._show_services()

    def _issued(self, ticket: TicketOut) -> None:
        self._pending_issue = None
        self._set_busy(False)
        self.priority_buttons[None].setChecked(True)
        row = IssuedRow(ticket)
        self.rows.insert(0, row)
        del self.rows[RECENT_ROWS:]
        self.message.setText(
            self.tr("Ticket %1 issued, %2 ahead.")
            .replace("%1", ticket.number)
            .replace("%2", str(ticket.waiting_ahead))
        )
        self._show_rows()
        self.ticket_issued.emit(ticket)
        self._print(row, reprint=False)

    def _issue_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, HubError) and error.unreachable and self._pending_issue:
            self.message.setText(
                self.tr("The hub did not answer. Press the same key again: no second ticket.")
            )
            return
        self._pending_issue = None
        self.message.setText(self.session.messages.describe(error))

    def _check_in(self) -> None:
        code = self.checkin_code.text().strip()
        if not code or self._busy:
            return
        self._set_busy(True)
        client = self.session.client
        self.session.call(lambda: client.check_in(code)).success(self._checked_in).failure(
            self._issue_failed
        )

    @Slot(str)
    def _checkin_scanned(self, code: str) -> None:
        self.checkin_code.setText(code)
        self._check_in()

    def _checked_in(self, ticket: TicketOut) -> None:
        self.checkin_code.clear()
        self._issued(ticket)

    # --- printing ---
    def _slip(self, ticket: TicketOut, reprint: bool) -> TicketSlip:
        return TicketSlip(
            branch_name=self.branch_name,
            service_name=ticket.service_name,
            number=ticket.number,
            people_ahead=ticket.waiting_ahead,
            estimated_wait_minutes=ticket.estimated_wait_minutes if ticket.waiting_ahead else None,
            issued_at=ticket.issued_at,
            ticket_id=str(ticket.id),
            priority_label=PRIORITY_ON_TICKET.get(ticket.priority.value)
            if ticket.priority
            else None,
            notice=TICKET_NOTICE,
            reprint=reprint,
        )

    def _print(self, row: IssuedRow, reprint: bool) -> None:
        slip = self._slip(row.ticket, reprint)
        dispenser, client = self.dispenser, self.session.client
        ticket_id = row.ticket.id

        def work() -> None:
            dispenser.print_ticket(slip)
            client.ticket_printed(ticket_id)

        self._printing = True
        self.session.tasks.run(work).success(lambda _r: self._printed(row)).failure(
            lambda error: self._print_failed(row, error)
        )

    def _printed(self, row: IssuedRow) -> None:
        self._printing = False
        row.printed, row.problem = True, ""
        self._printer_state = "ok"
        self._show_printer_state()
        self._show_rows()

    def _print_failed(self, row: IssuedRow, error: BaseException) -> None:
        self._printing = False
        code = getattr(error, "code", "")
        if code.startswith("hub."):
            # Printed, but the hub did not hear of it; the ticket is on paper all the same.
            row.printed, row.problem = True, ""
        else:
            row.printed, row.problem = False, self.session.messages.describe(error)
            self._printer_state = code or "device.printer_error"
            self.printer_state_changed.emit(self._printer_state)
            self.message.setText(
                self.tr("Ticket %1 is in the queue but was NOT printed: %2")
                .replace("%1", row.ticket.number)
                .replace("%2", row.problem)
            )
        self._show_printer_state()
        self._show_rows()
        self._select(row)

    def _select(self, row: IssuedRow) -> None:
        if row in self.rows:
            self.recent.selectRow(self.rows.index(row))

    def selected_row(self) -> IssuedRow | None:
        index = self.recent.currentRow()
        if 0 <= index < len(self.rows) and self.recent.selectionModel().hasSelection():
            return self.rows[index]
        return None

    def reprint_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        reason = "not printed" if not row.printed else "copy requested"
        client = self.session.client
        self.session.call(lambda: client.reprint_ticket(row.ticket.id, reason)).success(
            lambda ticket: self._reprint(row, ticket)
        ).failure(self._issue_failed)

    def _reprint(self, row: IssuedRow, ticket: TicketOut) -> None:
        row.ticket = ticket
        self._print(row, reprint=True)

    def cancel_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        client = self.session.client
        self.session.call(lambda: client.cancel_ticket(row.ticket.id)).success(
            lambda ticket: self._cancelled(row, ticket)
        ).failure(self._issue_failed)

    def _cancelled(self, row: IssuedRow, ticket: TicketOut) -> None:
        row.ticket = ticket
        self.message.setText(self.tr("Ticket %1 cancelled.").replace("%1", ticket.number))
        self._show_rows()

    def check_printer(self) -> None:
        if self._printing:
            return
        dispenser = self.dispenser
        self.session.tasks.run(dispenser.check).success(self._printer_ok).failure(
            self._printer_problem
        )

    def _printer_ok(self, state: str) -> None:
        changed = state != self._printer_state
        self._printer_state = state
        self._show_printer_state()
        if changed:
            self.printer_state_changed.emit(state)

    def _printer_problem(self, error: BaseException) -> None:
        code = getattr(error, "code", "device.printer_error")
        changed = code != self._printer_state
        self._printer_state = code
        self._printer_detail = self.session.messages.describe(error)
        self._show_printer_state()
        if changed:
            self.printer_state_changed.emit(code)

    def printer_state(self) -> str:
        return self._printer_state

    def _show_printer_state(self) -> None:
        state = self._printer_state
        if state == "ok":
            text, style = self.tr("Ticket printer: ready"), "color: #1b5e20;"
        elif state == "near_end":
            text, style = self.tr("Ticket printer: paper nearly out"), "color: #e65100;"
        elif state == "unknown":
            text, style = self.tr("Ticket printer: checking..."), ""
        else:
            detail = getattr(self, "_printer_detail", "") or self.session.messages.error_text(state)
            text = self.tr("Ticket printer: %1").replace("%1", detail)
            style = "color: white; background: #b00020; padding: 4px; font-weight: bold;"
        self.printer_label.setText(text)
        self.printer_label.setStyleSheet(style)

    def _show_rows(self) -> None:
        self.recent.setRowCount(len(self.rows))
        states = {
            "waiting": self.tr("waiting"),
            "transferred": self.tr("waiting"),
            "called": self.tr("called"),
            "serving": self.tr("serving"),
            "done": self.tr("done"),
            "no_show": self.tr("no-show"),
            "cancelled": self.tr("cancelled"),
        }
        for index, row in enumerate(self.rows):
            ticket = row.ticket
            printed = self.tr("printed") if row.printed else self.tr("NOT printed")
            values = [
                ticket.number,
                ticket.service_name,
                ticket.issued_at.astimezone().strftime("%H:%M:%S"),
                states.get(ticket.state.value, ticket.state.value),
                printed if not row.problem else f"{printed}: {row.problem}",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4 and not row.printed:
                    item.setForeground(Qt.GlobalColor.red)
                self.recent.setItem(index, column, item)
        self._selection_changed()

    def _selection_changed(self) -> None:
        row = self.selected_row()
        self.reprint_button.setEnabled(row is not None)
        self.cancel_button.setEnabled(
            row is not None and row.ticket.state.value in ("waiting", "transferred", "no_show")
        )

    def shutdown(self) -> None:
        self._printer_timer.stop()
        self.dispenser.close()
