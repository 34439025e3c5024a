"""Workspaces of the counter posts. Each shows the reference data its post works from; the
post's own work (queue, intake, printing) is added to its workspace by later features."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from counter_app.domain.roles import Role
from counter_app.hub.schemas import ReferenceOut
from counter_app.ui.workspaces.base import Session, Workspace
from counter_app.ui.workspaces.reference_views import ChecklistBrowser, PrinterTable, ServiceTable


class _Panel(QGroupBox):
    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(content)


class ServicesWorkspace(Workspace):
    """Services (optionally only some) with hours and windows, plus the printers."""

    services: frozenset[str] | None = None
    show_printers = False
    show_checklists = False

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.service_table = ServiceTable()
        self.service_panel = _Panel(self.service_table)
        layout.addWidget(self.service_panel, 1)
        self.checklists: ChecklistBrowser | None = None
        self.checklist_panel: _Panel | None = None
        if self.show_checklists:
            self.checklists = ChecklistBrowser()
            self.checklist_panel = _Panel(self.checklists)
            layout.addWidget(self.checklist_panel, 2)
        self.printers: PrinterTable | None = None
        self.printer_panel: _Panel | None = None
        if self.show_printers:
            self.printers = PrinterTable()
            self.printer_panel = _Panel(self.printers)
            layout.addWidget(self.printer_panel, 1)
        self.retranslate()

    def intro_text(self) -> str:
        return ""

    def retranslate(self) -> None:
        self.intro.setText(self.intro_text())
        self.intro.setVisible(bool(self.intro.text()))
        self.service_panel.setTitle(self.tr("Services and windows"))
        self.service_table.retranslate()
        if self.checklist_panel is not None and self.checklists is not None:
            self.checklist_panel.setTitle(self.tr("Claim document checklists"))
            self.checklists.retranslate()
        if self.printer_panel is not None and self.printers is not None:
            self.printer_panel.setTitle(self.tr("Printers"))
            self.printers.retranslate()

    def show_reference(self, reference: ReferenceOut) -> None:
        self.service_table.show_reference(
            reference, set(self.services) if self.services is not None else None
        )
        if self.checklists is not None:
            self.checklists.show_reference(reference)
        if self.printers is not None:
            self.printers.show_reference(reference)


class GuideWorkspace(ServicesWorkspace):
    role = Role.GUIDE
    show_printers = True

    def intro_text(self) -> str:
        return self.tr(
            "Direct each customer to the right service; the windows serving it are listed."
        )


class ClerkWorkspace(ServicesWorkspace):
    role = Role.CLERK
    services = frozenset({"A", "V"})
    show_printers = True


class CollectorWorkspace(ServicesWorkspace):
    role = Role.COLLECTOR
    services = frozenset({"B"})
    show_checklists = True


class ChannelWorkspace(ServicesWorkspace):
    role = Role.CHANNEL
    services = frozenset({"D", "V"})


class BackofficeWorkspace(ServicesWorkspace):
    role = Role.BACKOFFICE
    show_printers = True


class ServiceDeskWorkspace(ServicesWorkspace):
    role = Role.SERVICE
    services = frozenset({"C"})
