"""The centre manager's workspace: who works here, and what was done (the audit trail)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.roles import Role
from counter_app.hub.schemas import (
    AuditEntryOut,
    EventOut,
    ReferenceOut,
    ServiceSetupOut,
    StaffOut,
)
from counter_app.ui.forms_stock import BlankFormsPanel, ReconciliationPanel
from counter_app.ui.intake_follow_up import FollowUpPanel
from counter_app.ui.intake_office import ProductivityPanel
from counter_app.ui.live_queue import LiveQueueView
from counter_app.ui.widgets import fill, read_only
from counter_app.ui.workspaces.base import Session, Workspace
from counter_app.ui.workspaces.reference_views import ServiceTable
from counter_app.ui.workspaces.service_setup import ServiceSetupDialog


def local_time(iso_utc: str) -> str:
    """The hub records UTC; the counter shows the branch's own clock."""
    try:
        return datetime.fromisoformat(iso_utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso_utc


class ManagerWorkspace(Workspace):
    role = Role.MANAGER

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.staff_table = read_only(QTableWidget(0, 3))
        self.staff_table.setObjectName("managerStaff")
        self.audit_table = read_only(QTableWidget(0, 5))
        self.audit_table.setObjectName("managerAudit")
        self.refresh_button = QPushButton()
        self.services = ServiceTable()
        self.staff_box = QGroupBox()
        QVBoxLayout(self.staff_box).addWidget(self.staff_table)
        self.audit_box = QGroupBox()
        audit_layout = QVBoxLayout(self.audit_box)
        audit_layout.addWidget(self.refresh_button)
        audit_layout.addWidget(self.audit_table)
        self.services_box = QGroupBox()
        self.setup_button = QPushButton()
        self.setup_button.setObjectName("setupServices")
        services_layout = QVBoxLayout(self.services_box)
        services_layout.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignLeft)
        services_layout.addWidget(self.services)
        self.setup_button.clicked.connect(self.set_up_services)
        self.setup_dialog: ServiceSetupDialog | None = None
        layout = QVBoxLayout(self)
        self.live_queue = LiveQueueView(session)
        # The live queue is what a centre manager looks at most; staff and audit come after.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("managerTabs")
        self.tabs.addTab(self.live_queue, "")
        overview = QWidget()
        overview_layout = QVBoxLayout(overview)
        overview_layout.addWidget(self.services_box, 1)
        overview_layout.addWidget(self.staff_box, 1)
        overview_layout.addWidget(self.audit_box, 2)
        self.tabs.addTab(overview, "")
        # Incomplete claim files (资料不齐) and the collectors' day against the norm.
        self.claim_files = FollowUpPanel(session)
        self.productivity = ProductivityPanel(session)
        self.tabs.addTab(self.claim_files, "")
        self.tabs.addTab(self.productivity, "")
        # The blank forms the branch holds and the day's (or month's) reconciliation to sign.
        self.forms = BlankFormsPanel(session)
        self.reconciliation = ReconciliationPanel(session)
        self.tabs.addTab(self.forms, "")
        self.tabs.addTab(self.reconciliation, "")
        layout.addWidget(self.tabs)
        self.refresh_button.clicked.connect(self.reload)
        self._staff: list[StaffOut] = []
        self._audit: list[AuditEntryOut] = []
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.staff_box.setTitle(self.tr("Staff"))
        self.audit_box.setTitle(self.tr("Recent actions (audit trail)"))
        self.services_box.setTitle(self.tr("Services and windows"))
        self.setup_button.setText(self.tr("Set up services..."))
        self.tabs.setTabText(0, self.tr("Live queue"))
        self.tabs.setTabText(1, self.tr("Staff and audit"))
        self.tabs.setTabText(2, self.tr("Incomplete claim files"))
        self.tabs.setTabText(3, self.tr("Collectors' productivity"))
        self.tabs.setTabText(4, self.tr("Blank forms"))
        self.tabs.setTabText(5, self.tr("Blank-form reconciliation"))
        self.live_queue.retranslate()
        self.claim_files.retranslate()
        self.productivity.retranslate()
        self.forms.retranslate()
        self.reconciliation.retranslate()
        self.refresh_button.setText(self.tr("Refresh"))
        self.staff_table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Roles"), self.tr("State")]
        )
        self.audit_table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Who"),
                self.tr("Workstation"),
                self.tr("Action"),
                self.tr("Subject"),
            ]
        )
        self.services.retranslate()
        self._show_staff(self._staff)

    def reload(self) -> None:
        client = self.session.client
        self.session.call(client.list_staff).success(self._show_staff).failure(self.show_error)
        self.session.call(lambda: client.audit(200)).success(self._show_audit).failure(
            self.show_error
        )

    def show_reference(self, reference: ReferenceOut) -> None:
        self.services.show_reference(reference)

    def set_up_services(self) -> None:
        client = self.session.client

        def load() -> tuple[list[ServiceSetupOut], list[int], list[StaffOut]]:
            reference = client.reference()
            return client.services(), [w.number for w in reference.windows], client.list_staff()

        self.setup_button.setEnabled(False)
        self.session.call(load).success(self._open_setup).failure(self._setup_failed)

    def _open_setup(self, loaded: tuple[list[ServiceSetupOut], list[int], list[StaffOut]]) -> None:
        self.setup_button.setEnabled(True)
        services, windows, staff = loaded
        self.setup_dialog = ServiceSetupDialog(self.session, services, windows, staff, self)
        self.setup_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setup_dialog.destroyed.connect(self._setup_closed)
        self.setup_dialog.open()

    def _setup_closed(self) -> None:
        self.setup_dialog = None

    def _setup_failed(self, error: BaseException) -> None:
        self.setup_button.setEnabled(True)
        self.show_error(error)

    def handle_event(self, event: EventOut) -> None:
        if event.event == "staff.changed":
            self.reload()
        self.live_queue.handle_event(event)
        self.claim_files.handle_event(event)
        self.productivity.handle_event(event)
        self.forms.handle_event(event)
        self.reconciliation.handle_event(event)

    def handle_scan(self, code: str) -> None:
        # A form's serial scanned on the blank-forms tab says where that form is.
        if self.tabs.currentWidget() is self.forms:
            self.forms.accept_scan(code)

    def _show_staff(self, staff: list[StaffOut]) -> None:
        self._staff = list(staff)
        messages = self.session.messages
        fill(
            self.staff_table,
            [
                [
                    f"{m.display_name} ({m.username})",
                    messages.role_list(m.roles),
                    self.tr("Active") if m.active else self.tr("Disabled"),
                ]
                for m in self._staff
            ],
        )

    def _show_audit(self, entries: list[AuditEntryOut]) -> None:
        self._audit = list(entries)
        fill(
            self.audit_table,
            [
                [
                    local_time(e.at),
                    e.actor,
                    e.workstation,
                    self.session.messages.action_name(e.action),
                    e.subject,
                ]
                for e in entries
            ],
        )
