"""The manager's board at head office, fed by a stand-in for ``report.sync_board``: lag in
words, state colours, sorting, the filter box, F5 and the timer, and head office going away.
The same window against a real PostgreSQL: tests/integration/test_headoffice_board.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from counter_app.headoffice.admin import HeadOfficeUnreachable
from counter_app.headoffice.report import BranchFreshness, SyncBoard, sync_state
from counter_app.ui.headoffice_board import STATE_COLOURS, Column, HeadOfficeBoard
from counter_app.ui.messages import Messages
from counter_app.ui.tasks import TaskRunner

NOW = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


def branch(code: str, name: str, ago: timedelta | None, rows: int = 0) -> BranchFreshness:
    return BranchFreshness(
        code,
        name,
        ago is not None,
        None if ago is None else NOW - ago,
        rows,
        ago,
        sync_state(ago),
    )


BOARD = SyncBoard(
    NOW,
    NOW.replace(hour=0),
    (
        branch("SH01", "上海城东支公司", timedelta(seconds=20), 12840),
        branch("SH02", "上海浦东营业部", timedelta(minutes=7), 3021),
        branch("BJ01", "北京朝阳支公司", timedelta(hours=3, minutes=12), 250),
        branch("GZ03", "广州天河营业部", timedelta(days=2, hours=5)),
        branch("CD01", "成都高新支公司", None),
    ),
)


class StandInOffice:
    """Answers as ``report.sync_board`` does, or fails as it does when head office is away."""

    def __init__(self, board: SyncBoard) -> None:
        self.board = board
        self.down = False
        self.calls = 0

    def __call__(self) -> SyncBoard:
        self.calls += 1
        if self.down:
            raise HeadOfficeUnreachable(
                "head office at ho@10.1.2.3:5432/ho cannot be reached: timeout expired"
            )
        return self.board


@pytest.fixture
def office() -> StandInOffice:
    return StandInOffice(BOARD)


def open_board(
    qtbot: QtBot, office: StandInOffice, refresh_ms: int = 30_000, wait: bool = True
) -> HeadOfficeBoard:
    tasks = TaskRunner(max_threads=1)
    board = HeadOfficeBoard(office, tasks, Messages(), refresh_ms=refresh_ms)
    qtbot.addWidget(board, before_close_func=lambda _: tasks.wait(5000))
    board.resize(1100, 420)
    if wait:
        with qtbot.waitSignal(board.board_shown, timeout=10_000):
            board.show()
    else:
        board.show()
    return board


@pytest.fixture
def window(qtbot: QtBot, office: StandInOffice, app_font: str) -> HeadOfficeBoard:
    return open_board(qtbot, office)


def shown(board: HeadOfficeBoard, column: Column) -> list[str]:
    """The column's texts as the table shows them, top to bottom."""
    rows = board.rows
    return [str(rows.index(r, column).data()) for r in range(rows.rowCount())]


def colours(board: HeadOfficeBoard, code: str, column: Column) -> tuple[str, str]:
    rows = board.rows
    for r in range(rows.rowCount()):
        if rows.index(r, Column.CODE).data() == code:
            index = rows.index(r, column)
            background = index.data(Qt.ItemDataRole.BackgroundRole).color().name()
            foreground = index.data(Qt.ItemDataRole.ForegroundRole).color().name()
            return background, foreground
    raise AssertionError(f"no row {code}")


def test_each_branch_with_its_lag_in_words_and_its_state_in_colour(
    window: HeadOfficeBoard,
) -> None:
    assert shown(window, Column.CODE) == ["BJ01", "CD01", "GZ03", "SH01", "SH02"]  # by code
    assert shown(window, Column.LAG) == ["3 h ago", "never", "2 d ago", "just now", "7 min ago"]
    assert shown(window, Column.HUB) == ["Yes", "No", "Yes", "Yes", "Yes"]
    assert shown(window, Column.ROWS_TODAY) == ["250", "0", "0", "12840", "3021"]
    assert shown(window, Column.STATE) == [
        "Behind",
        "Nothing received",
        "Stale",
        "Up to date",
        "Up to date",
    ]
    local = (NOW - timedelta(hours=3, minutes=12)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert shown(window, Column.LAST_BATCH)[:2] == [local, "—"]
    for code, state in (("SH01", "current"), ("BJ01", "behind"), ("GZ03", "stale")):
        for column in (Column.LAG, Column.STATE):
            assert colours(window, code, column) == STATE_COLOURS[state], (code, column)
    assert colours(window, "CD01", Column.STATE) == STATE_COLOURS["stale"]  # never: red
    assert window.summary.text() == "5 branches · 2 up to date · 1 behind · 2 stale"
    assert not window.problem.isVisible()
    assert window.windowTitle() == "Branch sync at head office"


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (timedelta(seconds=-5), "just now"),  # a batch stamped after the clock was read
        (timedelta(seconds=59), "just now"),
        (timedelta(seconds=60), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 h ago"),
        (timedelta(hours=23, minutes=59), "23 h ago"),
        (timedelta(days=1), "1 d ago"),
        (timedelta(days=40), "40 d ago"),
    ],
)
def test_lag_in_words(window: HeadOfficeBoard, ago: timedelta, words: str) -> None:
    assert window._lag_words(ago) == words


@pytest.mark.parametrize(
    ("ago", "state"),
    [
        (timedelta(minutes=14, seconds=59), "current"),
        (timedelta(minutes=15), "behind"),
        (timedelta(hours=23, minutes=59), "behind"),
        (timedelta(hours=24), "stale"),
        (None, "stale"),
    ],
)
def test_green_under_15_minutes_amber_under_a_day_red_after(
    ago: timedelta | None, state: str
) -> None:
    assert sync_state(ago) == state


def test_sorting_by_lag_last_batch_or_state_goes_by_time_not_by_text(
    qtbot: QtBot, window: HeadOfficeBoard
) -> None:
    header = window.table.horizontalHeader()
    on_lag = QPoint(header.sectionViewportPosition(Column.LAG) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=on_lag)
    assert header.sortIndicatorSection() == Column.LAG
    assert shown(window, Column.CODE) == ["SH01", "SH02", "BJ01", "GZ03", "CD01"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=on_lag)
    assert shown(window, Column.CODE) == ["CD01", "GZ03", "BJ01", "SH02", "SH01"]  # never first
    window.table.sortByColumn(Column.LAST_BATCH, Qt.SortOrder.AscendingOrder)
    assert shown(window, Column.CODE) == ["CD01", "GZ03", "BJ01", "SH02", "SH01"]
    window.table.sortByColumn(Column.STATE, Qt.SortOrder.DescendingOrder)
    assert shown(window, Column.CODE) == ["CD01", "GZ03", "BJ01", "SH02", "SH01"]
    window.table.sortByColumn(Column.ROWS_TODAY, Qt.SortOrder.DescendingOrder)
    assert shown(window, Column.CODE)[:3] == ["SH01", "SH02", "BJ01"]  # 12840 > 3021 > 250
    # A refresh keeps the order the manager chose.
    with qtbot.waitSignal(window.board_shown, timeout=10_000):
        window.refresh()
    assert shown(window, Column.CODE)[:3] == ["SH01", "SH02", "BJ01"]


def test_the_filter_box_narrows_by_code_or_name(qtbot: QtBot, window: HeadOfficeBoard) -> None:
    window.filter_edit.setText("上海")  # as an input method delivers it: QTest types ASCII only
    assert shown(window, Column.CODE) == ["SH01", "SH02"]
    window.filter_edit.clear()
    qtbot.keyClicks(window.filter_edit, "bj")  # any case
    assert shown(window, Column.CODE) == ["BJ01"]
    window.filter_edit.clear()
    assert len(shown(window, Column.CODE)) == 5


def test_head_office_away_keeps_the_last_rows_and_says_so(
    qtbot: QtBot, window: HeadOfficeBoard, office: StandInOffice
) -> None:
    window.activateWindow()
    office.down = True
    with qtbot.waitSignal(window.refresh_failed, timeout=10_000) as failed:
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert office.calls == 2
    assert window.problem.isVisible()
    text = window.problem.text()
    assert text.startswith(Messages().describe(failed.args[0]))
    assert "cannot be reached" in text
    assert text.endswith("Showing what was read at " + NOW.astimezone().strftime("%H:%M:%S") + ".")
    assert len(shown(window, Column.CODE)) == 5  # the last rows, as they were
    assert window.summary.text().startswith("5 branches")

    office.down = False
    with qtbot.waitSignal(window.board_shown, timeout=10_000):
        window.refresh_button.click()
    assert not window.problem.isVisible()


def test_head_office_away_from_the_start(qtbot: QtBot, office: StandInOffice) -> None:
    office.down = True
    board = open_board(qtbot, office, wait=False)
    qtbot.waitUntil(board.problem.isVisible, timeout=10_000)
    assert "cannot be reached" in board.problem.text()
    assert "Showing what was read" not in board.problem.text()
    assert board.rows.rowCount() == 0
    assert board.read_label.text() == "Not read yet"


def test_it_reads_again_by_itself(qtbot: QtBot, office: StandInOffice) -> None:
    open_board(qtbot, office, refresh_ms=50)
    qtbot.waitUntil(lambda: office.calls >= 3, timeout=10_000)


def test_nothing_is_cut_off(window: HeadOfficeBoard, tmp_path: Path) -> None:
    shot = tmp_path / "ho_board.png"
    assert window.grab().save(str(shot))
    header = window.table.horizontalHeader()
    metrics = QFontMetrics(header.font())
    for column in Column:
        title = str(window.model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) > metrics.horizontalAdvance(title), title
        cells = shown(window, column)
        widest = max(QFontMetrics(window.table.font()).horizontalAdvance(t) for t in cells)
        assert window.table.columnWidth(column) > widest, (column, cells)
    for text in (window.title, window.read_label, window.summary):
        assert text.width() >= text.sizeHint().width(), text.text()
    assert window.refresh_button.width() >= window.refresh_button.sizeHint().width()
