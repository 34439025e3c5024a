"""A thin bar across the top of a window: shown while the hub is unreachable, never a dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget


class ConnectionBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setStyleSheet(
            "#connectionBanner { background: #fff3cd; border-bottom: 1px solid #e0b000; }"
            "#connectionBanner QLabel { color: #5c4400; padding: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        self.message = QLabel(
            self.tr(
                "Cannot reach the branch hub. Reconnecting automatically; "
                "what you type is kept and can be sent when the link is back."
            )
        )
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.message, 1)
        self.hide()

    @Slot(bool)
    def set_link(self, up: bool) -> None:
        self.setVisible(not up)
        if not up:
            self._make_room()

    def _make_room(self) -> None:
        """The bar wraps over lines: grow the window so the form below keeps its height."""
        window = self.window()
        layout = window.layout()
        if window is self or layout is None:
            return
        needed = layout.totalHeightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)
