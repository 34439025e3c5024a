"""The live queue for the guide and the manager: waits per service, windows, clerks, totals.

Refreshed from the hub's snapshot when a ``queue.*`` event arrives, at most once per burst of
events, and every 30 s so the waiting times keep moving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.hub.schemas import EventOut, QueueOut
from counter_app.ui.widgets import read_only

if TYPE_CHECKING:
    from counter_app.ui.workspaces.base import Session

LONG_WAIT_SECONDS = 30 * 60


def _table(columns: int, name: str) -> QTableWidget:
    table = read_only(QTableWidget(0, columns))
    table.setObjectName(name)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def mm_ss(seconds: int) -> str:
    return f"{seconds // 60:d}:{seconds % 60:02d}"


class LiveQueueView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveQueue")
        self.session = session
        self.snapshot: QueueOut | None = None
        self.totals = QLabel()
        self.totals.setObjectName("queueTotals")
        self.services = _table(5, "queueServices")
        self.windows = _table(4, "queueWindows")
        self.clerks = _table(4, "queueClerks")
        self.clerks.setProperty("startsEmpty", True)  # nobody has served anyone yet today
        self.service_box = QGroupBox()
        QVBoxLayout(self.service_box).addWidget(self.services)
        self.window_box = QGroupBox()
        QVBoxLayout(self.window_box).addWidget(self.windows)
        self.clerk_box = QGroupBox()
        QVBoxLayout(self.clerk_box).addWidget(self.clerks)
        lower = QHBoxLayout()
        lower.addWidget(self.window_box, 1)
        lower.addWidget(self.clerk_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(self.service_box, 1)
        layout.addLayout(lower, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self._every = QTimer(self)
        self._every.setInterval(30_000)
        self._every.timeout.connect(self.reload)
        self._every.start()
        session.link.link_changed.connect(lambda up: self.reload() if up else None)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.service_box.setTitle(self.tr("Waiting per service"))
        self.window_box.setTitle(self.tr("Windows"))
        self.clerk_box.setTitle(self.tr("Served today per clerk"))
        self.services.setHorizontalHeaderLabels(
            [
                self.tr("Service"),
                self.tr("Waiting"),
                self.tr("Longest wait"),
                self.tr("Windows open"),
                self.tr("Estimate (min)"),
            ]
        )
        self.windows.setHorizontalHeaderLabels(
            [self.tr("Window"), self.tr("State"), self.tr("Staff"), self.tr("Serving")]
        )
        self.clerks.setHorizontalHeaderLabels(
            [self.tr("Clerk"), self.tr("Served"), self.tr("Average"), self.tr("Satisfied")]
        )
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def reload(self) -> None:
        self.session.call(self.session.client.queue).success(self.show_snapshot).failure(
            lambda _e: None
        )

    def handle_event(self, event: EventOut) -> None:
        if event.event.startswith("queue."):
            self._debounce.start()

    def show_snapshot(self, snapshot: QueueOut) -> None:
        self.snapshot = snapshot
        satisfaction = (
            f"{snapshot.satisfaction * 100:.0f}%" if snapshot.satisfaction is not None else "—"
        )
        self.totals.setText(
            self.tr("Today %1: issued %2, served %3, satisfied %4")
            .replace("%1", snapshot.business_day)
            .replace("%2", str(snapshot.issued_today))
            .replace("%3", str(snapshot.served_today))
            .replace("%4", satisfaction)
        )
        self.services.setRowCount(len(snapshot.services))
        for row, service in enumerate(snapshot.services):
            values = [
                f"{service.prefix} {service.name}",
                str(service.waiting),
                mm_ss(service.longest_wait_seconds),
                str(service.windows_open),
                str(service.estimated_wait_minutes),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 2 and service.longest_wait_seconds >= LONG_WAIT_SECONDS:
                    item.setBackground(QBrush(QColor("#ffcdd2")))
                self.services.setItem(row, column, item)
        states = {"open": self.tr("open"), "paused": self.tr("paused"), "closed": self.tr("closed")}
        self.windows.setRowCount(len(snapshot.windows))
        for row, window in enumerate(snapshot.windows):
            values = [
                window.name,
                states.get(window.status, window.status),
                window.staff_name or "",
                window.current.number if window.current else "",
            ]
            for column, value in enumerate(values):
                self.windows.setItem(row, column, QTableWidgetItem(value))
        self.clerks.setRowCount(len(snapshot.clerks))
        for row, clerk in enumerate(snapshot.clerks):
            rate = f"{clerk.satisfaction * 100:.0f}%" if clerk.satisfaction is not None else "—"
            values = [
                clerk.display_name,
                str(clerk.served),
                mm_ss(clerk.average_service_seconds),
                rate,
            ]
            for column, value in enumerate(values):
                self.clerks.setItem(row, column, QTableWidgetItem(value))
