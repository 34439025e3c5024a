"""The clerk's window console (叫号): call next with one key, recall, no-show, transfer, pause.

Every press of the call key carries an idempotency key. When the hub cannot be reached the key
is kept, so pressing again (or the automatic retry once the link is back) repeats the same call
and the hub calls one ticket, not two.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubError
from counter_app.config.settings import CALL_NEXT_KEY, COUNTER_WINDOW
from counter_app.hub.schemas import (
    CounterWindowOut,
    EventOut,
    ReferenceOut,
    ServiceTypeOut,
    TicketOut,
    WindowOut,
)
from counter_app.ui.widgets import fill, read_only

if TYPE_CHECKING:  # the workspaces import these panels
    from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

# Keys of the other actions; the call key is a setting. A clash leaves the action on its button.
ACTION_KEYS = {"recall": "F2", "start": "F3", "finish": "F4", "no-show": "F6", "transfer": "F7"}
PAUSE_KEY = "F8"


class TransferDialog(QDialog):
    """Where the ticket goes: another service, a named window, or both."""

    def __init__(
        self,
        ticket: TicketOut,
        services: list[ServiceTypeOut],
        windows: list[CounterWindowOut],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(self.tr("Transfer ticket %1").replace("%1", ticket.number))
        self.service_box = QComboBox()
        self.service_box.setObjectName("transferService")
        self.service_box.addItem(self.tr("(same service)"), None)
        for service in services:
            if service.code != ticket.service:
                self.service_box.addItem(f"{service.prefix} {service.name}", service.code)
        self.window_box = QComboBox()
        self.window_box.setObjectName("transferWindow")
        self.window_box.addItem(self.tr("(any window)"), None)
        for window in windows:
            self.window_box.addItem(window.name, window.number)
        form = QFormLayout()
        form.addRow(self.tr("Service:"), self.service_box)
        form.addRow(self.tr("Window:"), self.window_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> tuple[str | None, int | None]:
        service = self.service_box.currentData()
        window = self.window_box.currentData()
        return (
            str(service) if service is not None else None,
            int(window) if window is not None else None,
        )


class CounterPanel(QWidget):
    """One window's calling console."""

    ticket_finished = Signal(object)  # TicketOut: the customer who just left (for the rating pad)
    ticket_called = Signal(object)  # TicketOut

    def __init__(self, session: Session, services: frozenset[str] | None = None) -> None:
        super().__init__()
        self.setObjectName("counterPanel")
        self.session = session
        self.post_services = services  # None: every service
        self.window_number = session.settings.get(COUNTER_WINDOW)
        self.current: TicketOut | None = None
        self.window_state: WindowOut | None = None
        self.reference: ReferenceOut | None = None
        self.waiting: dict[str, int] = {}
        self.no_shows: list[TicketOut] = []
        self._pending_key: str | None = None
        self._busy = False
        # Bumped by every action: a window reload asked before it must not undo its answer.
        self._version = 0

        self.window_label = QLabel()
        self.window_choice = QComboBox()
        self.window_choice.setObjectName("windowChoice")
        self.status_label = QLabel()
        self.status_label.setObjectName("windowStatus")
        self.open_button = QPushButton()
        self.open_button.setObjectName("openWindow")
        self.pause_button = QPushButton()
        self.pause_button.setObjectName("pauseWindow")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeWindow")
        top = QHBoxLayout()
        top.addWidget(self.window_label)
        top.addWidget(self.window_choice)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.pause_button)
        top.addWidget(self.close_button)

        self.ticket_frame = QFrame()
        self.ticket_frame.setObjectName("currentTicket")
        self.ticket_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.number_label = QLabel()
        self.number_label.setObjectName("currentNumber")
        big = QFont(self.font())
        big.setPointSize(max(28, big.pointSize() * 3))
        big.setBold(True)
        self.number_label.setFont(big)
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("currentDetail")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_label.setWordWrap(True)
        frame_layout = QVBoxLayout(self.ticket_frame)
        frame_layout.addWidget(self.number_label)
        frame_layout.addWidget(self.detail_label)

        self.call_button = QPushButton()
        self.call_button.setObjectName("callNext")
        self.call_button.setMinimumHeight(48)
        self.action_buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        actions.addWidget(self.call_button, 2)
        for action in ACTION_KEYS:
            button = QPushButton()
            button.setObjectName(f"action_{action}")
            button.setMinimumHeight(48)
            self.action_buttons[action] = button
            actions.addWidget(button, 1)

        self.message = QLabel()
        self.message.setObjectName("counterMessage")
        self.message.setWordWrap(True)
        self.waiting_label = QLabel()
        self.waiting_label.setObjectName("windowWaiting")
        self.waiting_label.setWordWrap(True)

        self.no_show_box = QGroupBox()
        self.no_show_table = read_only(QTableWidget(0, 2))
        self.no_show_table.setObjectName("noShows")
        self.no_show_table.setProperty("startsEmpty", True)
        self.no_show_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.no_show_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.reinstate_button = QPushButton()
        self.reinstate_button.setObjectName("reinstate")
        no_show_layout = QVBoxLayout(self.no_show_box)
        no_show_layout.addWidget(self.no_show_table)
        no_show_layout.addWidget(self.reinstate_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.ticket_frame, 2)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.no_show_box, 1)

        self.call_button.clicked.connect(self.call_next)
        self.action_buttons["recall"].clicked.connect(lambda: self.act("recall"))
        self.action_buttons["start"].clicked.connect(lambda: self.act("start"))
        self.action_buttons["finish"].clicked.connect(lambda: self.act("finish"))
        self.action_buttons["no-show"].clicked.connect(lambda: self.act("no-show"))
        self.action_buttons["transfer"].clicked.connect(self.transfer)
        self.open_button.clicked.connect(lambda: self.set_window("open"))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.close_button.clicked.connect(lambda: self.set_window("close"))
        self.reinstate_button.clicked.connect(self.reinstate_selected)
        self.window_choice.activated.connect(self._window_chosen)
        self.no_show_table.itemSelectionChanged.connect(self._update_buttons)
        self._shortcuts: list[QShortcut] = []
        self._bind_keys()
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)  # "waited N min" stays true without asking the hub
        self._tick.timeout.connect(self._show_ticket)
        self._tick.start()
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()

    # --- keys and texts ---
    def _bind_keys(self) -> None:
        call_key = self.session.settings.get(CALL_NEXT_KEY)
        keys = {"call": call_key, **ACTION_KEYS, "pause": PAUSE_KEY}
        targets = {
            "call": self.call_button,
            **self.action_buttons,
            "pause": self.pause_button,
        }
        for name, key in keys.items():
            if name != "call" and key == call_key:
                continue
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(targets[name].click)
            self._shortcuts.append(shortcut)
        self._keys = keys

    def _key_hint(self, name: str) -> str:
        key = self._keys.get(name, "")
        if name != "call" and key == self._keys["call"]:
            return ""
        return f" ({key})"

    def retranslate(self) -> None:
        self.window_label.setText(self.tr("Window:"))
        self.call_button.setText(self.tr("Call next") + self._key_hint("call"))
        titles = {
            "recall": self.tr("Recall"),
            "start": self.tr("Start"),
            "finish": self.tr("Finish"),
            "no-show": self.tr("No-show"),
            "transfer": self.tr("Transfer..."),
        }
        for name, button in self.action_buttons.items():
            button.setText(titles[name] + self._key_hint(name))
        self.open_button.setText(self.tr("Open"))
        self.close_button.setText(self.tr("Close"))
        self.no_show_box.setTitle(self.tr("No-shows at this window"))
        self.no_show_table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Missed at")])
        self.reinstate_button.setText(self.tr("Reinstate"))
        self._fill_windows()
        self._show_window()
        self._show_ticket()
        self._show_waiting()
        self._show_no_shows()

    # --- reference and windows ---
    def show_reference(self, reference: ReferenceOut) -> None:
        self.reference = reference
        self._fill_windows()
        if self.window_number and any(w.number == self.window_number for w in reference.windows):
            self.reload_window()

    def my_windows(self) -> list[CounterWindowOut]:
        if self.reference is None:
            return []
        return [
            w
            for w in self.reference.windows
            if self.post_services is None or set(w.service_codes) & self.post_services
        ]

    def _fill_windows(self) -> None:
        self.window_choice.blockSignals(True)
        self.window_choice.clear()
        self.window_choice.addItem(self.tr("(choose)"), 0)
        for window in self.my_windows():
            self.window_choice.addItem(window.name, window.number)
        index = self.window_choice.findData(self.window_number)
        self.window_choice.setCurrentIndex(max(0, index))
        self.window_choice.blockSignals(False)
        self._update_buttons()

    @Slot(int)
    def _window_chosen(self, index: int) -> None:
        number = int(self.window_choice.itemData(index) or 0)
        if number == self.window_number:
            return
        self.window_number = number
        self.current = None
        self.window_state = None
        self.no_shows = []
        settings = self.session.settings
        settings.set(COUNTER_WINDOW, number)
        try:
            settings.save()
        except OSError as exc:  # the choice still holds for this session
            log.warning("window choice not saved: %s", exc)
        self._show_ticket()
        self._show_no_shows()
        if number:
            self.reload_window()
        self._update_buttons()

    def reload_window(self) -> None:
        number = self.window_number
        if not number:
            return
        client = self.session.client
        version = self._version
        self.session.call(lambda: (client.window(number), version)).success(
            self._window_reloaded
        ).failure(self._failed)
        self.session.call(client.queue).success(
            lambda q: self._set_waiting({s.code: s.waiting for s in q.services})
        ).failure(lambda _e: None)

    def _window_reloaded(self, reply: tuple[WindowOut, int]) -> None:
        window, version = reply
        if version != self._version:
            return  # an action answered since this was asked: its answer is newer
        self._window_loaded(window)

    def _window_loaded(self, window: WindowOut) -> None:
        if window.number != self.window_number:
            return  # an answer for the window chosen before
        self.window_state = window
        self.current = window.current
        self._show_window()
        self._show_ticket()
        self._show_waiting()
        self._update_buttons()

    def _show_window(self) -> None:
        state = self.window_state
        names = {
            "open": self.tr("open"),
            "paused": self.tr("paused"),
            "closed": self.tr("closed"),
        }
        if state is None:
            self.status_label.setText("")
        else:
            who = f" · {state.staff_name}" if state.staff_name else ""
            self.status_label.setText(names.get(state.status, state.status) + who)
        paused = state is not None and state.status == "paused"
        self.pause_button.setText(
            (self.tr("Resume") if paused else self.tr("Pause")) + self._key_hint("pause")
        )

    def set_window(self, status: str) -> None:
        number = self.window_number
        if not number:
            return
        client = self.session.client
        self._version += 1
        self.session.call(lambda: client.set_window(number, status)).success(
            self._window_loaded
        ).failure(self._failed)

    def _toggle_pause(self) -> None:
        paused = self.window_state is not None and self.window_state.status == "paused"
        self.set_window("resume" if paused else "pause")

    # --- calling ---
    def call_next(self) -> None:
        number = self.window_number
        if not number:
            self.message.setText(self.tr("Choose your window first."))
            self.window_choice.setFocus()
            return
        if self._busy:
            return  # a double press calls once
        key = self._pending_key or uuid.uuid4().hex
        self._pending_key = key
        leaving = self.current
        self._set_busy(True)
        client = self.session.client
        self.session.call(lambda: client.call_next(number, key)).success(
            lambda ticket: self._called(ticket, leaving, key)
        ).failure(self._call_failed)

    def _called(self, ticket: TicketOut | None, leaving: TicketOut | None, key: str) -> None:
        if self._pending_key == key:
            self._pending_key = None
        self._set_busy(False)
        if leaving is not None and (ticket is None or leaving.id != ticket.id):
            self.ticket_finished.emit(leaving)
        self.current = ticket
        if ticket is None:
            self.message.setText(self.tr("No one is waiting for this window."))
        else:
            self.message.setText(
                self.tr("Called %1.").replace("%1", ticket.number)
                + (f" {self._priority_name(ticket)}" if ticket.priority else "")
            )
            self.ticket_called.emit(ticket)
        self._show_ticket()
        self.reload_window()

    def _call_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, HubError) and error.unreachable:
            # The call may have reached the hub; the same key repeats it safely.
            self.message.setText(
                self.tr("The hub did not answer. Press again to repeat the same call.")
            )
            return
        self._pending_key = None
        self._failed(error)

    def act(self, action: str) -> None:
        number = self.window_number
        if not number or self.current is None or self._busy:
            return
        self._set_busy(True)
        client = self.session.client
        self.session.call(lambda: client.window_action(number, action)).success(
            lambda ticket: self._acted(action, ticket)
        ).failure(self._action_failed)

    def _acted(self, action: str, ticket: TicketOut) -> None:
        self._set_busy(False)
        if action in ("finish", "no-show"):
            self.current = None
            if action == "finish":
                self.ticket_finished.emit(ticket)
                self.message.setText(self.tr("Finished %1.").replace("%1", ticket.number))
            else:
                self.no_shows.insert(0, ticket)
                self.message.setText(
                    self.tr("%1 marked as no-show; it can be reinstated.").replace(
                        "%1", ticket.number
                    )
                )
                self._show_no_shows()
        else:
            self.current = ticket
            if action == "recall":
                self.message.setText(self.tr("Called %1 again.").replace("%1", ticket.number))
            else:
                self.message.setText("")
        self._show_ticket()

    def _action_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._failed(error)
        self.reload_window()  # the window may have moved on elsewhere (another workstation)

    def transfer(self) -> None:
        if self.current is None or self.reference is None or self._busy:
            return
        dialog = TransferDialog(
            self.current, list(self.reference.service_types), list(self.reference.windows), self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return
        service, window = dialog.choice()
        if service is None and window is None:
            return
        number = self.window_number
        client = self.session.client
        self._set_busy(True)
        self.session.call(lambda: client.transfer(number, service, window)).success(
            self._transferred
        ).failure(self._action_failed)

    def _transferred(self, ticket: TicketOut) -> None:
        self._set_busy(False)
        self.current = None
        self.message.setText(self.tr("%1 transferred.").replace("%1", ticket.number))
        self._show_ticket()

    def reinstate_selected(self) -> None:
        index = self.no_show_table.currentRow()
        if not 0 <= index < len(self.no_shows):
            return
        ticket = self.no_shows[index]
        client = self.session.client
        self.session.call(lambda: client.reinstate_ticket(ticket.id)).success(
            self._reinstated
        ).failure(self._failed)

    def _reinstated(self, ticket: TicketOut) -> None:
        self.no_shows = [t for t in self.no_shows if t.id != ticket.id]
        self.message.setText(
            self.tr("%1 is back in the queue at its place.").replace("%1", ticket.number)
        )
        self._show_no_shows()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._version += 1
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = bool(self.window_number)
        has = self.current is not None and not self._busy
        self.call_button.setEnabled(chosen and not self._busy)
        for name, button in self.action_buttons.items():
            enabled = has
            if has and self.current is not None and name == "start":
                enabled = self.current.state.value == "called"
            button.setEnabled(enabled)
        for button in (self.open_button, self.pause_button, self.close_button):
            button.setEnabled(chosen)
        self.reinstate_button.setEnabled(
            self.no_show_table.currentRow() >= 0 and bool(self.no_shows)
        )

    # --- showing ---
    def _priority_name(self, ticket: TicketOut) -> str:
        names = {
            "elderly": self.tr("(elderly)"),
            "disabled": self.tr("(disabled)"),
            "vip": self.tr("(VIP)"),
        }
        return names.get(ticket.priority.value, "") if ticket.priority else ""

    def _show_ticket(self) -> None:
        ticket = self.current
        if ticket is None:
            self.number_label.setText("—")
            self.detail_label.setText(
                self.tr("Press %1 to call the next customer.").replace(
                    "%1", self._keys.get("call", "F1")
                )
                if self.window_number
                else self.tr("Choose your window to start calling.")
            )
        else:
            waited = int((datetime.now(UTC) - ticket.queued_at).total_seconds() // 60)
            states = {
                "called": self.tr("called"),
                "serving": self.tr("serving"),
            }
            self.number_label.setText(ticket.number)
            self.detail_label.setText(
                self.tr("%1 %2 · %3 · calls: %4 · waited %5 min")
                .replace("%1", ticket.service_name)
                .replace("%2", self._priority_name(ticket))
                .replace("%3", states.get(ticket.state.value, ticket.state.value))
                .replace("%4", str(ticket.call_count))
                .replace("%5", str(max(0, waited)))
            )
        self._update_buttons()

    def _set_waiting(self, waiting: dict[str, int]) -> None:
        self.waiting = dict(waiting)
        self._show_waiting()

    def _show_waiting(self) -> None:
        window = next((w for w in self.my_windows() if w.number == self.window_number), None)
        if window is None:
            self.waiting_label.setText("")
            return
        parts = [f"{code}: {self.waiting.get(code, 0)}" for code in window.service_codes]
        self.waiting_label.setText(
            self.tr("Waiting for this window: %1").replace("%1", " · ".join(parts))
        )

    def _show_no_shows(self) -> None:
        fill(
            self.no_show_table,
            [
                [t.number, (t.called_at or t.issued_at).astimezone().strftime("%H:%M")]
                for t in self.no_shows
            ],
        )
        self._update_buttons()

    # --- hub events ---
    def handle_event(self, event: EventOut) -> None:
        if not event.event.startswith("queue."):
            return
        waiting = event.payload.get("waiting")
        if isinstance(waiting, dict):
            self._set_waiting({str(k): int(v) for k, v in waiting.items()})
        ticket = event.payload.get("ticket")
        window = event.payload.get("window")
        touches_mine = window == self.window_number or (
            isinstance(ticket, dict)
            and self.current is not None
            and ticket.get("id") == str(self.current.id)
        )
        if self.window_number and touches_mine and not self._busy:
            self.reload_window()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up and self.window_number:
            self.reload_window()

    def _failed(self, error: BaseException) -> None:
        # Shown in the console, not a dialog: the clerk keeps working with the keyboard.
        self.message.setText(self.session.messages.describe(error))
