"""Tables of the branch's reference data, used by several workspaces."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidget,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.hub.schemas import ReferenceOut
from counter_app.ui.widgets import fill, read_only


def _table(columns: int) -> QTableWidget:
    return read_only(QTableWidget(0, columns))


class ServiceTable(QTableWidget):
    """Service types with their ticket prefix, hours and the windows that serve them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        read_only(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels(
            [self.tr("Prefix"), self.tr("Service"), self.tr("Hours"), self.tr("Windows")]
        )

    def show_reference(self, reference: ReferenceOut, only: set[str] | None = None) -> None:
        rows = []
        for service in reference.service_types:
            if only is not None and service.code not in only:
                continue
            windows = [str(w.number) for w in reference.windows if service.code in w.service_codes]
            rows.append(
                [
                    service.prefix,
                    service.name,
                    f"{service.opens_at}-{service.closes_at}",
                    ", ".join(windows),
                ]
            )
        fill(self, rows)


class PrinterTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        read_only(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self.tr("Printer"), self.tr("Kind"), self.tr("Profile")])

    def show_reference(self, reference: ReferenceOut) -> None:
        kinds = {"ticket": self.tr("Ticket printer"), "office": self.tr("Office printer")}
        fill(
            self,
            [[p.name, kinds.get(p.kind, p.kind), p.profile] for p in reference.printers],
        )


class ChecklistBrowser(QSplitter):
    """Claim types on the left, the documents each needs on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.claim_types = QListWidget()
        self.items = _table(3)
        self.addWidget(self.claim_types)
        self.addWidget(self.items)
        self.setStretchFactor(1, 3)
        self._reference: ReferenceOut | None = None
        self.claim_types.currentRowChanged.connect(self._show_items)
        self.retranslate()

    def retranslate(self) -> None:
        self.items.setHorizontalHeaderLabels(
            [self.tr("Document"), self.tr("Original / copy"), self.tr("Required")]
        )

    def show_reference(self, reference: ReferenceOut) -> None:
        self._reference = reference
        self.claim_types.clear()
        for checklist in reference.checklists:
            self.claim_types.addItem(f"{checklist.name} (v{checklist.version})")
        if reference.checklists:
            self.claim_types.setCurrentRow(0)

    def _show_items(self, row: int) -> None:
        if self._reference is None or not 0 <= row < len(self._reference.checklists):
            fill(self.items, [])
            return
        checklist = self._reference.checklists[row]
        fill(
            self.items,
            [
                [
                    str(item.get("name", "")),
                    self.tr("Original") if item.get("original") else self.tr("Copy"),
                    self.tr("Yes") if item.get("required", True) else self.tr("If applicable"),
                ]
                for item in checklist.items
            ],
        )


def stacked(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
