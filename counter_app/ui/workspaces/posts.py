"""Workspaces of the counter posts: the post's own work on top (the guide's ticket dispenser,
a window's calling console), the reference data it works from below."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.roles import Role
from counter_app.hub.schemas import EventOut, ReferenceOut
from counter_app.ui.counter_panel import CounterPanel
from counter_app.ui.forms_stock import BlankFormsPanel, ReconciliationPanel
from counter_app.ui.intake import IntakePanel, default_receipt_folder
from counter_app.ui.intake_follow_up import FollowUpPanel
from counter_app.ui.intake_office import HandoverPanel, PickupPanel, ProductivityPanel
from counter_app.ui.kiosk import KioskPanel
from counter_app.ui.live_queue import LiveQueueView
from counter_app.ui.policy_print import PolicyPrintPanel
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
    show_live_queue = False

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        outer = QVBoxLayout(self)
        self.live_queue: LiveQueueView | None = None
        self.lower_tabs: QTabWidget | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        outer.addWidget(self.intro)
        self.panel = self.make_panel()
        reference = QWidget()
        layout = QVBoxLayout(reference)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.panel is not None:
            # The post's work on top, its reference data below; the divider can be dragged.
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.setChildrenCollapsible(False)
            # Scrolls rather than growing the window on a small screen or a long translation.
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.panel)
            splitter.addWidget(self.wrap_panel(scroll))
            if self.show_live_queue:
                # The live queue first: it is what the guide watches between customers.
                self.live_queue = LiveQueueView(self.session)
                self.lower_tabs = QTabWidget()
                self.lower_tabs.setObjectName("lowerTabs")
                self.lower_tabs.addTab(self.live_queue, "")
                self.lower_tabs.addTab(reference, "")
                splitter.addWidget(self.lower_tabs)
            else:
                splitter.addWidget(reference)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 1)
            outer.addWidget(splitter, 1)
        else:
            outer.addWidget(reference, 1)
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

    def make_panel(self) -> KioskPanel | CounterPanel | None:
        """The post's own work, shown above the reference data."""
        return None

    def wrap_panel(self, panel: QWidget) -> QWidget:
        """What goes above the reference data: the (scrolling) panel, or tabs holding it."""
        return panel

    def handle_event(self, event: EventOut) -> None:
        if self.panel is not None:
            self.panel.handle_event(event)
        if self.live_queue is not None:
            self.live_queue.handle_event(event)

    def retranslate(self) -> None:
        if self.panel is not None:
            self.panel.retranslate()
        if self.live_queue is not None and self.lower_tabs is not None:
            self.live_queue.retranslate()
            self.lower_tabs.setTabText(0, self.tr("Live queue"))
            self.lower_tabs.setTabText(1, self.tr("Services and printers"))
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
        if isinstance(self.panel, CounterPanel):
            self.panel.show_reference(reference)


class CounterPostWorkspace(ServicesWorkspace):
    """A post that sits at a window and calls tickets of its services."""

    def make_panel(self) -> CounterPanel:
        return CounterPanel(self.session, self.services)


class GuideWorkspace(ServicesWorkspace):
    role = Role.GUIDE
    show_printers = True
    show_live_queue = True

    def make_panel(self) -> KioskPanel:
        return KioskPanel(self.session)

    def intro_text(self) -> str:
        return self.tr(
            "Direct each customer to the right service; the windows serving it are listed."
        )


class ClerkWorkspace(CounterPostWorkspace):
    """Policy and endorsement printing first (the queue of print jobs with it), then the
    calling console, then the services and printers."""

    role = Role.CLERK
    services = frozenset({"A", "V"})
    show_printers = True

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        splitter = self.post_tabs.parentWidget()
        self.reference_tab = splitter.widget(1) if isinstance(splitter, QSplitter) else None
        if self.reference_tab is not None:
            # The preview of a form at real size needs the whole height of the window.
            self.post_tabs.addTab(self.reference_tab, "")
            self.retranslate()

    def wrap_panel(self, panel: QWidget) -> QWidget:
        self.printing = PolicyPrintPanel(self.session)
        self.calling = panel
        self.post_tabs = QTabWidget()
        self.post_tabs.setObjectName("clerkTabs")
        self.post_tabs.addTab(self.printing, "")
        self.post_tabs.addTab(panel, "")
        return self.post_tabs

    def handle_scan(self, code: str) -> None:
        # A policy number scanned anywhere at this counter opens it for printing.
        self.post_tabs.setCurrentWidget(self.printing)
        self.printing.accept_scan(code)

    def handle_event(self, event: EventOut) -> None:
        super().handle_event(event)
        self.printing.handle_event(event)

    def retranslate(self) -> None:
        super().retranslate()
        tabs: QTabWidget | None = getattr(self, "post_tabs", None)
        if tabs is None:
            return
        self.printing.retranslate()
        titles = {self.printing: self.tr("Policy printing"), self.calling: self.tr("Calling")}
        reference: QWidget | None = getattr(self, "reference_tab", None)
        if reference is not None:
            titles[reference] = self.tr("Services and printers")
        for widget, title in titles.items():
            tabs.setTabText(tabs.indexOf(widget), title)


class CollectorWorkspace(CounterPostWorkspace):
    """Claim-document intake and its follow-up first, then handover and archive, pickups, the
    day's productivity, the calling console, and the reference data last."""

    role = Role.COLLECTOR
    services = frozenset({"B"})
    show_checklists = True

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        splitter = self.post_tabs.parentWidget()
        self.reference_tab = splitter.widget(1) if isinstance(splitter, QSplitter) else None
        if self.reference_tab is not None:
            # The reference data goes into the last tab: the checklist being ticked needs the
            # height of a 720-pixel screen, and the intake panel shows the checklist anyway.
            self.post_tabs.addTab(self.reference_tab, "")
            self.retranslate()

    def wrap_panel(self, panel: QWidget) -> QWidget:
        self.intake = IntakePanel(self.session)
        self.follow_up = FollowUpPanel(self.session)
        self.handover = HandoverPanel(
            self.session, default_receipt_folder(self.session).parent / "handover-lists"
        )
        self.pickups = PickupPanel(self.session)
        self.productivity = ProductivityPanel(self.session)
        self.calling = panel
        self.intake_scroll = QScrollArea()
        self.intake_scroll.setWidgetResizable(True)
        self.intake_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.intake_scroll.setWidget(self.intake)
        self.post_tabs = QTabWidget()
        self.post_tabs.setObjectName("collectorTabs")
        for tab in (
            self.intake_scroll,
            self.follow_up,
            self.handover,
            self.pickups,
            self.productivity,
            panel,
        ):
            self.post_tabs.addTab(tab, "")
        self.follow_up.file_chosen.connect(self._file_chosen)
        return self.post_tabs

    def _file_chosen(self, file_id: uuid.UUID) -> None:
        self.post_tabs.setCurrentWidget(self.intake_scroll)
        self.intake.open_file(file_id)

    def handle_scan(self, code: str) -> None:
        # A signed handover list comes back to the handover tab; everything else is intake.
        if self.post_tabs.currentWidget() is self.handover and self.handover.accept_scan(code):
            return
        self.intake.accept_scan(code)

    def handle_event(self, event: EventOut) -> None:
        super().handle_event(event)
        for panel in (self.intake, self.follow_up, self.handover, self.pickups, self.productivity):
            panel.handle_event(event)

    def retranslate(self) -> None:
        super().retranslate()
        titles = {
            self.intake_scroll: self.tr("Intake"),
            self.follow_up: self.tr("Follow-up"),
            self.handover: self.tr("Handover and archive"),
            self.pickups: self.tr("Pickups"),
            self.productivity: self.tr("Productivity"),
            self.calling: self.tr("Calling"),
        }
        for panel in (self.intake, self.follow_up, self.handover, self.pickups, self.productivity):
            panel.retranslate()
        reference: QWidget | None = getattr(self, "reference_tab", None)
        if reference is not None:
            titles[reference] = self.tr("Services and checklists")
        for widget, title in titles.items():
            self.post_tabs.setTabText(self.post_tabs.indexOf(widget), title)


class ChannelWorkspace(CounterPostWorkspace):
    role = Role.CHANNEL
    services = frozenset({"D", "V"})


class BackofficeWorkspace(ServicesWorkspace):
    """The valuable blank forms first (stock, clerks' stacks, write-offs, stock-take), then
    the reconciliation to sign, then the services and printers."""

    role = Role.BACKOFFICE
    show_printers = True

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        item = outer.itemAt(outer.count() - 1)
        reference = item.widget() if item is not None else None
        assert reference is not None  # the services and printers, added last
        outer.removeWidget(reference)
        self.forms = BlankFormsPanel(session)
        self.reconciliation = ReconciliationPanel(session)
        self.post_tabs = QTabWidget()
        self.post_tabs.setObjectName("backofficeTabs")
        for tab in (self.forms, self.reconciliation, reference):
            self.post_tabs.addTab(tab, "")
        self.reference_tab: QWidget = reference
        outer.addWidget(self.post_tabs, 1)
        self.retranslate()

    def handle_scan(self, code: str) -> None:
        if self.post_tabs.currentWidget() is not self.forms:
            self.post_tabs.setCurrentWidget(self.forms)
        self.forms.accept_scan(code)

    def handle_event(self, event: EventOut) -> None:
        super().handle_event(event)
        self.forms.handle_event(event)
        self.reconciliation.handle_event(event)

    def retranslate(self) -> None:
        super().retranslate()
        tabs: QTabWidget | None = getattr(self, "post_tabs", None)
        if tabs is None:
            return  # still being built: the panels follow
        self.forms.retranslate()
        self.reconciliation.retranslate()
        for widget, title in (
            (self.forms, self.tr("Blank forms")),
            (self.reconciliation, self.tr("Reconciliation")),
            (self.reference_tab, self.tr("Services and printers")),
        ):
            tabs.setTabText(tabs.indexOf(widget), title)


class ServiceDeskWorkspace(CounterPostWorkspace):
    role = Role.SERVICE
    services = frozenset({"C"})
