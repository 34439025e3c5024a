"""The manager's board at head office: how fresh each branch's data is, one row per branch.

``counter-app headoffice board --dsn ...`` (head office's own login, the one that ran init). The
data is ``report.sync_board``, read off the GUI thread every 30 seconds and on F5; when head
office cannot be reached the board says so and keeps showing what it read last.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import IntEnum

from PySide6.QtCore import (
    QLibraryInfo,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter_app.headoffice.report import BranchFreshness, SyncBoard
from counter_app.ui.messages import Messages, load_translator
from counter_app.ui.tasks import TaskRunner

REFRESH_MS = 30_000
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2
NEVER = 1e12  # seconds: a lag beyond any real one, so "never" sorts as the oldest

# (background, text) per state: the status bar's green, amber and red.
STATE_COLOURS = {
    "current": ("#e8f5e9", "#1b5e20"),
    "behind": ("#fff3cd", "#5c4400"),
    "stale": ("#ffebee", "#b00020"),
}
STATE_RANK = {"current": 0, "behind": 1, "stale": 2}
PROBLEM_STYLE = (
    "#boardProblem { background: #fff3cd; color: #5c4400; padding: 6px 10px; border-radius: 3px; }"
)


class Column(IntEnum):
    CODE = 0
    NAME = 1
    HUB = 2
    LAST_BATCH = 3
    ROWS_TODAY = 4
    LAG = 5
    STATE = 6


class HeadOfficeBoard(QWidget):
    """Branches with their sync: sortable by any column, filtered by code or name."""

    board_shown = Signal(object)  # the SyncBoard now on screen
    refresh_failed = Signal(object)  # the error; the last board stays on screen

    def __init__(
        self,
        load: Callable[[], SyncBoard],
        tasks: TaskRunner,
        messages: Messages,
        refresh_ms: int = REFRESH_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("headOfficeBoard")
        self._load = load
        self._tasks = tasks
        self._messages = messages
        self._loading = False
        self._problem: BaseException | None = None
        self.board: SyncBoard | None = None

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 3)
        self.title.setFont(font)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("boardFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(260)
        self.read_label = QLabel()
        self.refresh_button = QPushButton()
        self.summary = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("boardProblem")
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setVisible(False)

        self.model = QStandardItemModel(0, len(Column), self)
        self.rows = QSortFilterProxyModel(self)
        self.rows.setSourceModel(self.model)
        self.rows.setSortRole(SORT_ROLE)
        self.rows.setFilterRole(FILTER_ROLE)
        self.rows.setFilterKeyColumn(Column.CODE)
        self.rows.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("boardTable")
        self.table.setModel(self.rows)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.CODE, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.read_label)
        top.addWidget(self.refresh_button)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self.filter_edit.textChanged.connect(self.rows.setFilterFixedString)
        self.refresh_button.clicked.connect(self.refresh)
        self._f5 = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        self._f5.setContext(Qt.ShortcutContext.WindowShortcut)
        self._f5.activated.connect(self.refresh)
        self._every = QTimer(self)
        self._every.setInterval(refresh_ms)
        self._every.timeout.connect(self.refresh)
        self._every.start()
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Branch sync at head office"))
        self.title.setText(self.tr("Branches' sync with head office"))
        self.filter_edit.setPlaceholderText(self.tr("Filter: branch code or name"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.model.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Branch"),
                self.tr("Hub enrolled"),
                self.tr("Last batch received"),
                self.tr("Rows today"),
                self.tr("Behind by"),
                self.tr("State"),
            ]
        )
        self._render()

    # --- reading head office ---
    @Slot()
    def refresh(self) -> None:
        if self._loading:
            return  # one question at a time; a slow answer is not asked again meanwhile
        self._loading = True
        self.read_label.setText(self.tr("Reading…"))
        self._tasks.run(self._load).success(self._loaded).failure(self._load_failed)

    def _loaded(self, board: SyncBoard) -> None:
        self._loading = False
        self._problem = None
        self.board = board
        self._render()
        self.board_shown.emit(board)

    def _load_failed(self, error: BaseException) -> None:
        self._loading = False
        self._problem = error
        self._render()
        self.refresh_failed.emit(error)

    # --- showing ---
    def _render(self) -> None:
        board = self.board
        self._fill(board.branches if board is not None else ())
        if board is None:
            self.read_label.setText(self.tr("Not read yet") if self._problem else "")
        else:
            self.read_label.setText(
                self.tr("Read at %1").replace("%1", _local(board.read_at, "%H:%M:%S"))
            )
        self.summary.setText(self._summary(board))
        if self._problem is None:
            self.problem.setVisible(False)
            return
        text = self._messages.describe(self._problem)
        if board is not None:
            text += " " + self.tr("Showing what was read at %1.").replace(
                "%1", _local(board.read_at, "%H:%M:%S")
            )
        self.problem.setText(text)
        self.problem.setVisible(True)

    def _summary(self, board: SyncBoard | None) -> str:
        if board is None:
            return ""
        counts = {state: 0 for state in STATE_RANK}
        for branch in board.branches:
            counts[branch.state] += 1
        return (
            self.tr("%1 branches · %2 up to date · %3 behind · %4 stale")
            .replace("%1", str(len(board.branches)))
            .replace("%2", str(counts["current"]))
            .replace("%3", str(counts["behind"]))
            .replace("%4", str(counts["stale"]))
        )

    def _fill(self, branches: tuple[BranchFreshness, ...]) -> None:
        self.model.setRowCount(0)
        for branch in branches:
            self.model.appendRow(self._row(branch))

    def _row(self, branch: BranchFreshness) -> list[QStandardItem]:
        last = branch.last_batch_at
        lag = branch.lag
        behind = NEVER if lag is None else lag.total_seconds()
        cells: list[tuple[str, object]] = [
            (branch.code, branch.code),
            (branch.name, branch.name),
            (self.tr("Yes") if branch.hub_enrolled else self.tr("No"), int(branch.hub_enrolled)),
            ("—" if last is None else _local(last, "%Y-%m-%d %H:%M"), _stamp(last)),
            (str(branch.rows_today), branch.rows_today),
            (self._lag_words(lag), behind),
            # The worse state first, and within one state the longer behind.
            (
                self._state_words(branch.state, lag is None),
                STATE_RANK[branch.state] * NEVER + behind,
            ),
        ]
        items = []
        for text, key in cells:
            item = QStandardItem(text)
            item.setData(key, SORT_ROLE)
            items.append(item)
        items[Column.CODE].setData(f"{branch.code} {branch.name}", FILTER_ROLE)
        items[Column.ROWS_TODAY].setTextAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        background, foreground = STATE_COLOURS[branch.state]
        for column in (Column.LAG, Column.STATE):
            items[column].setBackground(QBrush(QColor(background)))
            items[column].setForeground(QBrush(QColor(foreground)))
        return items

    def _lag_words(self, lag: timedelta | None) -> str:
        if lag is None:
            return self.tr("never")
        seconds = max(0, int(lag.total_seconds()))
        if seconds < 60:
            return self.tr("just now")
        if seconds < 3600:
            return self.tr("%1 min ago").replace("%1", str(seconds // 60))
        if seconds < 86400:
            return self.tr("%1 h ago").replace("%1", str(seconds // 3600))
        return self.tr("%1 d ago").replace("%1", str(seconds // 86400))

    def _state_words(self, state: str, never: bool) -> str:
        if never:
            return self.tr("Nothing received")
        return {
            "current": self.tr("Up to date"),
            "behind": self.tr("Behind"),
            "stale": self.tr("Stale"),
        }[state]

    def closeEvent(self, event: QCloseEvent) -> None:
        self._every.stop()
        super().closeEvent(event)


def _local(at: datetime, pattern: str) -> str:
    return at.astimezone().strftime(pattern)


def _stamp(at: datetime | None) -> float:
    return -NEVER if at is None else at.timestamp()  # never: before every time


def run_board(load: Callable[[], SyncBoard], language: str) -> int:
    """The board as a program of its own (``counter-app headoffice board``)."""
    # Imported here: the counter program's start-up helpers, not needed by the tests.
    from counter_app.ui.app import choose_cjk_font, collect_garbage_on_gui_thread

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    collect_garbage_on_gui_thread(app)
    app.setApplicationName("counter-app")
    choose_cjk_font(app)
    translators: list[QTranslator] = []
    if language != "en":
        qtbase = QTranslator()
        if qtbase.load(
            f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            translators.append(qtbase)
        ours = load_translator(language)
        if ours is not None:
            translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)
    tasks = TaskRunner(max_threads=1)
    board = HeadOfficeBoard(load, tasks, Messages())
    board.resize(1100, 600)
    board.show()
    try:
        return app.exec()
    finally:
        tasks.wait(3000)
