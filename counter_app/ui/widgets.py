"""Small widgets shared by the windows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


class ElidedLabel(QLabel):
    """One line that shortens itself with "…" when the window is narrow; the tooltip has it all."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)


class DemoMark(QLabel):
    """The 演示 badge: every window of a demo database shows it, so nobody mistakes it for real."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoMark")
        self.setText(self.tr("DEMO"))
        self.setToolTip(self.tr("Demo data: made-up staff and records, never sent to head office"))
        self.setStyleSheet(
            "#demoMark { background: #c62828; color: white; font-weight: bold;"
            " padding: 2px 10px; border-radius: 3px; }"
        )


def fit_pixel_size(font: QFont, text: str, room: QSize, largest: int, smallest: int = 6) -> int:
    """The largest pixel size up to ``largest`` at which ``text`` (one or more lines) fits."""
    if not text or room.width() <= 0 or room.height() <= 0:
        return max(smallest, largest)
    probe = QFont(font)
    size = max(smallest, largest)
    while size > smallest:
        probe.setPixelSize(size)
        needed = QFontMetrics(probe).size(0, text)
        if needed.width() <= room.width() and needed.height() <= room.height():
            break
        # Jump close to the answer, then step down: text width is nearly linear in the size.
        ratio = min(room.width() / max(1, needed.width()), room.height() / max(1, needed.height()))
        size = max(smallest, min(size - 1, int(size * ratio)))
    return size


class FitLabel(QLabel):
    """Text at the largest font that fits its room, up to a cap: for a TV board or a touch pad.

    The layout decides the room (the size hint is ignored), so a long translation shrinks its
    own font instead of pushing the layout apart or being cut off."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._largest = 24
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setText(text)

    def set_largest_pixel_size(self, size: int) -> None:
        self._largest = max(6, size)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        m = self.margin()
        room = self.contentsRect().adjusted(m, m, -m, -m).size()
        size = fit_pixel_size(self.font(), self.text(), room, self._largest)
        if self.font().pixelSize() != size:
            font = QFont(self.font())
            font.setPixelSize(size)
            self.setFont(font)


def read_only(table: QTableWidget) -> QTableWidget:
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


# The colour of a refusal or a warning in a panel's message line.
ERROR_TEXT = "#b00020"


def panel_shortcut(owner: QWidget, keys: str, slot: Callable[[], Any]) -> QShortcut:
    """A key that works anywhere inside ``owner`` (a panel or a dialog), not app-wide."""
    shortcut = QShortcut(QKeySequence(keys), owner)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut


def say(label: QLabel, text: str, problem: bool = False) -> None:
    """A panel's message line: plain, or red and bold for a refusal."""
    label.setText(text)
    label.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;" if problem else "")


def write_pdf_file(data: bytes, path: Path) -> Path:
    """Write-then-rename: a printer spooler or a reader never picks up half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path
