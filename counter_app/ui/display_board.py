"""The waiting-area display board (叫号大屏) as a window: a TV as the second screen of a PC.

It reads the queue snapshot at start and after every reconnect, then follows the hub's pushed
events: no polling. Each call is shown at once and handed to the ``Announcer``, which speaks
calls one after another, in full. A call is known by ticket id and call count, so a reloaded
snapshot never repeats an announcement; calls missed while the link was down are shown, and
spoken only if they are recent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app.domain.announcement import Announcement
from counter_app.hub.schemas import EventOut, QueueOut
from counter_app.ui.voice import Announcer

if TYPE_CHECKING:
    from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

HISTORY = 8
# A call missed while the link was down is still spoken if it is this recent.
SPEAK_MISSED_WITHIN = timedelta(minutes=2)
STYLE = """
#displayBoard { background: #0b1f3a; }
#displayBoard QLabel { color: #e8eef7; }
#boardCurrent { background: #c62828; border-radius: 12px; }
#boardCurrent QLabel { color: white; }
#boardHistory QLabel { color: #ffd54f; }
#boardBanner { background: #ff6f00; color: white; }
"""


@dataclass(frozen=True)
class ShownCall:
    ticket_id: str
    number: str
    window: int
    call_count: int
    recall: bool

    @property
    def call_id(self) -> str:
        return f"{self.ticket_id}:{self.call_count}"


class DisplayBoard(QWidget):
    def __init__(
        self, session: Session, announcer: Announcer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("displayBoard")
        self.setWindowTitle(self.tr("Display board"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.session = session
        self.announcer = announcer
        self.calls: list[ShownCall] = []
        self.waiting: dict[str, int] = {}
        self.service_names: dict[str, str] = {}
        self._seen: set[str] = set()
        self._loaded = False

        self.branch = QLabel()
        self.branch.setObjectName("boardBranch")
        self.clock = QLabel()
        self.clock.setObjectName("boardClock")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.branch, 1)
        header.addWidget(self.clock)

        self.banner = QLabel()
        self.banner.setObjectName("boardBanner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()

        self.current_frame = QFrame()
        self.current_frame.setObjectName("boardCurrent")
        self.current_number = QLabel()
        self.current_number.setObjectName("boardNumber")
        self.current_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current_window = QLabel()
        self.current_window.setObjectName("boardWindow")
        self.current_window.setAlignment(Qt.AlignmentFlag.AlignCenter)
        current = QVBoxLayout(self.current_frame)
        current.addWidget(self.current_number)
        current.addWidget(self.current_window)

        self.history_frame = QFrame()
        self.history_frame.setObjectName("boardHistory")
        self.history_title = QLabel()
        history = QVBoxLayout(self.history_frame)
        history.addWidget(self.history_title)
        self.history_rows: list[QLabel] = []
        for _ in range(HISTORY):
            row = QLabel()
            history.addWidget(row)
            self.history_rows.append(row)
        history.addStretch(1)

        self.waiting_title = QLabel()
        self.waiting_grid = QGridLayout()
        self.waiting_labels: dict[str, QLabel] = {}

        middle = QHBoxLayout()
        middle.addWidget(self.current_frame, 3)
        middle.addWidget(self.history_frame, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(self.waiting_title)
        layout.addLayout(self.waiting_grid)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        session.link.event_received.connect(self.handle_event)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self._tick()
        self.reload()
        session.call(lambda: session.client.health(check_schema=False)).success(
            self._show_health
        ).failure(lambda _e: None)

    # --- layout ---
    def retranslate(self) -> None:
        self.history_title.setText(self.tr("Recent calls"))
        self.waiting_title.setText(self.tr("Waiting"))
        self.banner.setText(self.tr("Connection to the hub lost, reconnecting..."))
        self._show()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        # Sizes follow the window's height, so a 1080p TV and a small test window both fit.
        unit = max(8, self.height() // 40)
        for label, factor, bold in (
            (self.branch, 1.6, True),
            (self.clock, 1.6, False),
            (self.current_number, 6.0, True),
            (self.current_window, 3.0, True),
            (self.history_title, 1.4, True),
            (self.waiting_title, 1.4, True),
            (self.banner, 1.3, True),
        ):
            font = QFont(self.font())
            font.setPixelSize(int(unit * factor))
            font.setBold(bold)
            label.setFont(font)
        for row in [*self.history_rows, *self.waiting_labels.values()]:
            font = QFont(self.font())
            font.setPixelSize(int(unit * 1.5))
            row.setFont(font)

    def show_on_screen(self, index: int) -> None:
        """Full screen on screen ``index`` (-1: the last one, usually the TV)."""
        screens = QGuiApplication.screens()
        screen = screens[index] if -len(screens) <= index < len(screens) else screens[0]
        self.setGeometry(screen.geometry())
        self.showFullScreen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._clock.stop()
        self.announcer.close()
        super().closeEvent(event)

    # --- data ---
    def reload(self) -> None:
        self.session.call(self.session.client.queue).success(self.show_snapshot).failure(
            lambda _e: None
        )

    def _show_health(self, health: Any) -> None:
        self.branch.setText(str(getattr(health, "branch_name", "")))

    @Slot(object)
    def show_snapshot(self, snapshot: QueueOut) -> None:
        self.service_names = {s.code: s.name for s in snapshot.services}
        self.waiting = {s.code: s.waiting for s in snapshot.services}
        now = datetime.now(UTC)
        fresh: list[ShownCall] = []
        for call in reversed(snapshot.recent_calls):  # oldest first
            shown = ShownCall(
                str(call.ticket_id), call.number, call.window, call.call_count, call.call_count > 1
            )
            if shown.call_id in self._seen:
                continue
            self._seen.add(shown.call_id)
            # At first load the board shows the day so far; after a reconnect it catches up
            # and speaks what it missed, if that is still of use to someone in the room.
            if self._loaded and now - call.called_at <= SPEAK_MISSED_WITHIN:
                fresh.append(shown)
        self.calls = [
            ShownCall(str(c.ticket_id), c.number, c.window, c.call_count, c.call_count > 1)
            for c in snapshot.recent_calls
        ][:HISTORY]
        self._loaded = True
        for shown in fresh:
            self._announce(shown)
        self._rebuild_waiting()
        self._show()

    @Slot(object)
    def handle_event(self, event: EventOut) -> None:
        if not event.event.startswith("queue."):
            return
        waiting = event.payload.get("waiting")
        if isinstance(waiting, dict):
            self.waiting.update({str(k): int(v) for k, v in waiting.items()})
            self._rebuild_waiting()
        if event.event != "queue.ticket_called":
            return
        ticket = event.payload.get("ticket")
        if not isinstance(ticket, dict):
            return
        try:
            shown = ShownCall(
                str(ticket["id"]),
                str(ticket["number"]),
                int(ticket["window"]),
                int(ticket.get("call_count", 1)),
                event.payload.get("action") == "recall",
            )
        except (KeyError, TypeError, ValueError):
            log.warning("ignored a malformed call event")
            return
        if shown.call_id in self._seen:
            return
        self._seen.add(shown.call_id)
        self.calls = [shown, *[c for c in self.calls if c.ticket_id != shown.ticket_id]][:HISTORY]
        self._announce(shown)
        self._show()

    def _announce(self, shown: ShownCall) -> None:
        self.announcer.announce(
            Announcement(shown.number, shown.window, shown.call_id, recall=shown.recall)
        )

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        self.banner.setVisible(not up)
        if up:
            self.reload()

    def _tick(self) -> None:
        self.clock.setText(datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S"))

    def _window_text(self, window: int) -> str:
        return self.tr("Window %1").replace("%1", str(window))

    def _show(self) -> None:
        if self.calls:
            first = self.calls[0]
            self.current_number.setText(first.number)
            self.current_window.setText(
                self.tr("Please go to %1").replace("%1", self._window_text(first.window))
            )
        else:
            self.current_number.setText("—")
            self.current_window.setText(self.tr("Please wait for your number"))
        for index, row in enumerate(self.history_rows):
            if index + 1 < len(self.calls):
                call = self.calls[index + 1]
                row.setText(f"{call.number}    {self._window_text(call.window)}")
            else:
                row.setText("")

    def _rebuild_waiting(self) -> None:
        for code in self.service_names:
            if code not in self.waiting_labels:
                label = QLabel()
                label.setObjectName(f"boardWaiting_{code}")
                column = len(self.waiting_labels)
                self.waiting_grid.addWidget(label, column // 3, column % 3)
                self.waiting_labels[code] = label
        for code, label in self.waiting_labels.items():
            label.setText(
                self.tr("%1: %2 waiting")
                .replace("%1", self.service_names.get(code, code))
                .replace("%2", str(self.waiting.get(code, 0)))
            )
        self._scale_fonts()
