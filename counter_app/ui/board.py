"""The waiting-area display board (叫号大屏) on a TV: the call being made, the latest calls, and
how many wait for each service. Every call it receives is announced once through the Announcer.

Data comes from the hub's snapshot (at start and whenever the link comes back, to catch up) and
from the ``queue.*`` events; there is no polling. A call is known by its ticket id and call
count: a reload or a replayed event never announces a call twice, and a call missed while the
link was down is announced only if it is still recent, otherwise just shown.

Fonts are set in code, never in the style sheet: a style-sheet font would override the sizes
the labels pick to fit their room.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from counter_app.domain.announcement import Announcement, call_text
from counter_app.hub.schemas import CallOut, EventOut, Health, QueueOut, ServiceQueueOut
from counter_app.ui.voice import Announcer
from counter_app.ui.widgets import DemoMark, FitLabel
from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

# A call missed while offline and older than this is shown, not spoken.
STALE_SECONDS = 120
RECENT_SHOWN = 8
# Remembered call keys; far more than a day's calls at one board.
SEEN_LIMIT = 5000
BLINK_MS = 500
BLINKS = 8
CALLED = "queue.ticket_called"

STYLE = """
#board { background: #0b1220; }
#board QLabel { color: #e8eef7; }
#boardHeader, #boardRecent, #waitingTile { background: #111c30; border-radius: 10px; }
#boardCurrent { background: #13294b; border-radius: 14px; }
#boardCurrent[blink="true"] { background: #7a4d00; }
#boardCurrent #currentNumber { color: #ffc857; }
#boardCurrent #currentWindow { color: #7fd3ff; }
#boardCurrent #currentCaption, #recentTitle, #waitingTitle { color: #9fb3c8; }
#recentRow { border-bottom: 1px solid #22324d; }
#recentRow[newest="true"] QLabel { color: #ffc857; }
#waitingCount { color: #7fd3ff; }
"""


@dataclass(frozen=True)
class BoardCall:
    """One call of a ticket to a window; a recall is a new call with the next call count."""

    ticket_id: str
    number: str
    window: int
    call_count: int
    at: datetime
    recall: bool = False

    @property
    def key(self) -> str:
        return f"{self.ticket_id}:{self.call_count}"

    @classmethod
    def from_snapshot(cls, call: CallOut) -> BoardCall:
        return cls(
            str(call.ticket_id),
            call.number,
            call.window,
            call.call_count,
            call.called_at,
            recall=call.call_count > 1,
        )

    @classmethod
    def from_event(cls, event: EventOut) -> BoardCall:
        """The call in a ``queue.ticket_called`` event; KeyError, TypeError or ValueError if bad."""
        ticket: dict[str, Any] = event.payload["ticket"]
        window = event.payload.get("window") or ticket["window"]
        return cls(
            str(ticket["id"]),
            str(ticket["number"]),
            int(window),
            int(ticket["call_count"]),
            event.at,
            recall=event.payload.get("action") == "recall",
        )


class _WaitingTile(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingTile")
        self.name = FitLabel()
        self.name.setObjectName("waitingName")
        self.count = FitLabel()
        self.count.setObjectName("waitingCount")
        _bold(self.count)
        for label in (self.name, self.count):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name, 2)
        layout.addWidget(self.count, 3)


class BoardWindow(QWidget):
    """The display board: a top-level window meant to be full screen on the waiting-area TV."""

    def __init__(
        self, session: Session, announcer: Announcer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.session = session
        self.announcer = announcer
        self.branch_name = ""
        self.services: list[ServiceQueueOut] = []
        self.waiting: dict[str, int] = {}
        self.calls: list[BoardCall] = []  # newest first, one per ticket
        self._seen: dict[str, None] = {}
        self._known: dict[str, BoardCall] = {}  # calls this board announced, by key
        self._snapshot_at: datetime | None = None
        self._hub_offset = timedelta(0)  # hub clock minus this PC's clock
        self._early_events: list[EventOut] = []
        self._loading = False
        self._attached = False
        self._blinks_left = 0
        self._build()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._blink = QTimer(self)
        self._blink.setInterval(BLINK_MS)
        self._blink.timeout.connect(self._blink_step)
        self.retranslate()
        self.resize(1280, 720)
        self._attach()

    # --- building ---
    def _build(self) -> None:
        self.header = QFrame()
        self.header.setObjectName("boardHeader")
        self.branch_label = FitLabel()
        self.branch_label.setObjectName("branchName")
        self.demo_mark = DemoMark()
        self.demo_mark.setVisible(self.session.demo)
        self.clock_label = FitLabel()
        self.clock_label.setObjectName("boardClock")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout(self.header)
        header.addWidget(self.branch_label, 5)
        header.addWidget(self.demo_mark, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.clock_label, 3)

        self.current_panel = QFrame()
        self.current_panel.setObjectName("boardCurrent")
        self.current_caption = FitLabel()
        self.current_caption.setObjectName("currentCaption")
        self.current_number = FitLabel()
        self.current_number.setObjectName("currentNumber")
        self.current_window = FitLabel()
        self.current_window.setObjectName("currentWindow")
        _bold(self.current_number)
        _bold(self.current_window)
        self.current_sentence = FitLabel()
        self.current_sentence.setObjectName("currentSentence")
        current = QVBoxLayout(self.current_panel)
        for label, stretch in (
            (self.current_caption, 2),
            (self.current_number, 8),
            (self.current_window, 4),
            (self.current_sentence, 2),
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            current.addWidget(label, stretch)

        self.recent_panel = QFrame()
        self.recent_panel.setObjectName("boardRecent")
        self.recent_title = FitLabel()
        self.recent_title.setObjectName("recentTitle")
        recent = QVBoxLayout(self.recent_panel)
        recent.addWidget(self.recent_title, 3)
        self.recent_rows: list[tuple[QFrame, FitLabel, FitLabel]] = []
        for _ in range(RECENT_SHOWN):
            row = QFrame()
            row.setObjectName("recentRow")
            number, window = FitLabel(), FitLabel()
            number.setObjectName("recentNumber")
            _bold(number)
            window.setObjectName("recentWindow")
            window.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid = QGridLayout(row)
            grid.setContentsMargins(8, 0, 8, 0)
            grid.addWidget(number, 0, 0)
            grid.addWidget(window, 0, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            recent.addWidget(row, 4)
            self.recent_rows.append((row, number, window))

        body = QHBoxLayout()
        body.addWidget(self.current_panel, 3)
        body.addWidget(self.recent_panel, 2)

        self.waiting_title = FitLabel()
        self.waiting_title.setObjectName("waitingTitle")
        self.tiles_row = QHBoxLayout()
        self.tiles: list[_WaitingTile] = []

        self.main_layout = QVBoxLayout(self)
        self.main_layout.addWidget(self.header, 8)
        self.main_layout.addLayout(body, 66)
        self.main_layout.addWidget(self.waiting_title, 4)
        self.main_layout.addLayout(self.tiles_row, 16)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Display board"))
        self.recent_title.setText(self.tr("Recent calls"))
        self.waiting_title.setText(self.tr("Waiting now"))
        self._show_branch()
        self._show_calls()
        self._show_waiting()
        self._tick()

    # --- link and announcer ---
    def _attach(self) -> None:
        if self._attached:
            return
        self._attached = True
        link = self.session.link
        link.event_received.connect(self.handle_event)
        link.link_changed.connect(self._link_changed)
        self.announcer.announcement_started.connect(self._announcement_changed)
        self.announcer.announcement_finished.connect(self._announcement_changed)
        self._clock.start()
        self._tick()
        self.reload()
        if not self.branch_name:
            self._load_branch()

    def _detach(self) -> None:
        if not self._attached:
            return
        self._attached = False
        link = self.session.link
        link.event_received.disconnect(self.handle_event)
        link.link_changed.disconnect(self._link_changed)
        self.announcer.announcement_started.disconnect(self._announcement_changed)
        self.announcer.announcement_finished.disconnect(self._announcement_changed)
        self._clock.stop()
        self._blink.stop()
        self._snapshot_at = None  # shown again, the board starts afresh (history is not spoken)

    def reload(self) -> None:
        """Fetch the snapshot: at start and after the link came back, to catch up."""
        if self._loading:
            return
        self._loading = True
        self.session.call(self.session.client.queue).success(self._snapshot_loaded).failure(
            self._load_failed
        )

    def _load_branch(self) -> None:
        client = self.session.client
        self.session.call(lambda: client.health(check_schema=False)).success(
            self._branch_loaded
        ).failure(self._branch_failed)

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()
            if not self.branch_name:
                self._load_branch()

    def _load_failed(self, error: BaseException) -> None:
        # The link banner of the main window says so; the board catches up when it is back.
        self._loading = False
        log.warning("board could not load the queue: %s", error)

    def _branch_loaded(self, health: Health) -> None:
        self.branch_name = health.branch_name
        self._show_branch()

    def _branch_failed(self, error: BaseException) -> None:
        log.warning("board could not read the branch name: %s", error)

    # --- data in ---
    def _snapshot_loaded(self, snapshot: QueueOut) -> None:
        self._loading = False
        first = self._snapshot_at is None
        self._hub_offset = snapshot.at - datetime.now(UTC)
        self._snapshot_at = snapshot.at
        self.services = list(snapshot.services)
        self.waiting = {s.code: s.waiting for s in snapshot.services}
        fresh = [BoardCall.from_snapshot(c) for c in snapshot.recent_calls]
        for call in sorted(fresh, key=lambda c: c.at):
            # At start the snapshot's calls are history; after a reconnect, missed ones.
            self._take(call, announce=not first and self._recent(call))
        # Calls the events brought after the snapshot was taken stay on top of it.
        later = [c for c in self.calls if c.at > snapshot.at]
        self._set_calls(later + fresh)
        early, self._early_events = self._early_events, []
        for event in early:
            self.handle_event(event)
        self._show_waiting()

    @Slot(object)
    def handle_event(self, event: EventOut) -> None:
        if event.event == "reference.changed":
            self.reload()
            return
        if not event.event.startswith("queue."):
            return
        if self._snapshot_at is None:
            self._early_events.append(event)  # replayed history: sorted out by the snapshot
            return
        waiting = event.payload.get("waiting")
        # Counts older than the snapshot (a replay) would undo it.
        if isinstance(waiting, dict) and event.at >= self._snapshot_at:
            self._update_waiting(waiting)
        if event.event != CALLED:
            return
        try:
            call = BoardCall.from_event(event)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("board ignores a malformed call event %s: %s", event.seq, exc)
            return
        if call.at <= self._snapshot_at:
            # Already in the snapshot, or older than what it lists: never add history to the
            # screen; speak it only if the snapshot did not list it and it is still recent.
            self._take(call, announce=self._recent(call))
            return
        self._take(call, announce=self._recent(call))
        self._set_calls([call, *self.calls])

    def _update_waiting(self, waiting: dict[str, Any]) -> None:
        counts: dict[str, int] = {}
        for code, count in waiting.items():
            try:
                counts[str(code)] = int(count)
            except (TypeError, ValueError):
                continue
        # A service missing from the map has nobody waiting.
        self.waiting = {s.code: counts.get(s.code, 0) for s in self.services}
        for code, count in counts.items():
            self.waiting.setdefault(code, count)
        self._show_waiting()

    def _recent(self, call: BoardCall) -> bool:
        hub_now = datetime.now(UTC) + self._hub_offset
        return hub_now - call.at <= timedelta(seconds=STALE_SECONDS)

    def _take(self, call: BoardCall, announce: bool) -> None:
        """Remember ``call``; announce it if asked and never seen before."""
        if call.key in self._seen:
            return
        self._seen[call.key] = None
        while len(self._seen) > SEEN_LIMIT:
            del self._seen[next(iter(self._seen))]
        if not announce or call.window < 1:
            return
        self._known[call.key] = call
        while len(self._known) > SEEN_LIMIT:
            del self._known[next(iter(self._known))]
        self.announcer.announce(
            Announcement(call.number, call.window, call.key, recall=call.recall)
        )

    def _set_calls(self, calls: list[BoardCall]) -> None:
        newest: dict[str, BoardCall] = {}
        for call in calls:
            held = newest.get(call.ticket_id)
            if held is None or call.call_count > held.call_count:
                newest[call.ticket_id] = call
        self.calls = sorted(newest.values(), key=lambda c: c.at, reverse=True)[:RECENT_SHOWN]
        self._show_calls()

    @Slot(object)
    def _announcement_changed(self, announcement: Announcement) -> None:
        if announcement.call_id in self._known:
            self._show_calls()
            if self.announcer.speaking is announcement:
                self._start_blink()

    # --- showing ---
    @property
    def current_call(self) -> BoardCall | None:
        """The call being spoken, else the newest."""
        speaking = self.announcer.speaking
        if speaking is not None and speaking.call_id in self._known:
            return self._known[speaking.call_id]
        return self.calls[0] if self.calls else None

    def _show_branch(self) -> None:
        self.branch_label.setText(self.branch_name)

    def _show_calls(self) -> None:
        current = self.current_call
        if current is None:
            self.current_caption.setText(self.tr("Welcome"))
            self.current_number.setText("")
            self.current_window.setText(self.tr("Please wait for your number to be called"))
            self.current_sentence.setText("")
        else:
            self.current_caption.setText(
                self.tr("Calling again") if current.recall else self.tr("Now calling")
            )
            self.current_number.setText(current.number)
            self.current_window.setText(self.tr("Window %1").replace("%1", str(current.window)))
            try:
                sentence = call_text(
                    Announcement(current.number, current.window, current.key, current.recall)
                )
            except ValueError:
                sentence = ""
            self.current_sentence.setText(sentence)
        for index, (row, number, window) in enumerate(self.recent_rows):
            call = self.calls[index] if index < len(self.calls) else None
            number.setText(call.number if call else "")
            window.setText(self.tr("Window %1").replace("%1", str(call.window)) if call else "")
            newest = "true" if call is not None and call is current else "false"
            if row.property("newest") != newest:
                row.setProperty("newest", newest)
                _repolish(row)

    def _show_waiting(self) -> None:
        while len(self.tiles) < len(self.services):
            tile = _WaitingTile()
            self.tiles.append(tile)
            self.tiles_row.addWidget(tile, 1)
        for tile in self.tiles[len(self.services) :]:
            self.tiles_row.removeWidget(tile)
            tile.deleteLater()
        del self.tiles[len(self.services) :]
        for tile, service in zip(self.tiles, self.services, strict=True):
            tile.name.setText(service.name)
            count = self.waiting.get(service.code, 0)
            tile.count.setText(self.tr("%1 waiting").replace("%1", str(count)))
        self._scale()

    @Slot()
    def _tick(self) -> None:
        self.clock_label.setText(datetime.now().astimezone().strftime("%Y-%m-%d  %H:%M"))

    def _start_blink(self) -> None:
        self._blinks_left = BLINKS
        self._blink.start()
        self._blink_step()

    @Slot()
    def _blink_step(self) -> None:
        self._blinks_left -= 1
        on = self._blinks_left > 0 and self._blinks_left % 2 == 1
        self.current_panel.setProperty("blink", "true" if on else "false")
        _repolish(self.current_panel)
        if self._blinks_left <= 0:
            self._blink.stop()

    def _scale(self) -> None:
        """Font caps in proportion to the window height: a 1080-line TV is the reference."""
        unit = max(self.height(), 200) / 1080
        margin = round(16 * unit)
        self.main_layout.setContentsMargins(margin, margin, margin, margin)
        self.main_layout.setSpacing(margin)
        caps = {
            self.branch_label: 56,
            self.clock_label: 52,
            self.current_caption: 64,
            self.current_number: 300,
            self.current_window: 140,
            self.current_sentence: 56,
            self.recent_title: 52,
            self.waiting_title: 40,
        }
        for label, cap in caps.items():
            label.set_largest_pixel_size(round(cap * unit))
        for _row, number, window in self.recent_rows:
            number.set_largest_pixel_size(round(64 * unit))
            window.set_largest_pixel_size(round(56 * unit))
        for tile in self.tiles:
            tile.name.set_largest_pixel_size(round(40 * unit))
            tile.count.set_largest_pixel_size(round(56 * unit))
        demo_font = self.demo_mark.font()
        demo_font.setPixelSize(max(10, round(28 * unit)))
        self.demo_mark.setFont(demo_font)

    # --- the screen ---
    def show_on_screen(self, index: int) -> QScreen:
        """Full screen on screen ``index`` (-1: the last one; the primary if there is no such)."""
        screens = QGuiApplication.screens()
        if index == -1 and screens:
            screen = screens[-1]
        elif 0 <= index < len(screens):
            screen = screens[index]
        else:
            screen = QGuiApplication.primaryScreen()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        return screen

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # For whoever sets the TV up: out of full screen to move it, and back.
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._attach()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A closed board stops listening; shown again, it catches up from a new snapshot.
        self._detach()
        super().closeEvent(event)


def _bold(label: QWidget) -> None:
    font = label.font()
    font.setBold(True)
    label.setFont(font)


def _repolish(widget: QWidget) -> None:
    """Apply a changed dynamic property to the style sheet."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    for child in widget.findChildren(QWidget):
        style.unpolish(child)
        style.polish(child)
