"""Small widgets shared by the windows."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


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
