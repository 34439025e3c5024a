"""The branch administrator's workspace: staff accounts and the audit trail's integrity."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubClient
from counter_app.domain.roles import Role
from counter_app.hub.schemas import AuditVerifyOut, EventOut, StaffOut
from counter_app.ui.messages import Messages
from counter_app.ui.widgets import fill, read_only
from counter_app.ui.workspaces.base import Session, Workspace


class RolePicker(QWidget):
    """One checkbox per role; a person may hold several."""

    def __init__(self, messages: Messages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for i, role in enumerate(Role):
            box = QCheckBox(messages.role_name(role))
            box.setObjectName(f"role_{role.value}")
            self.boxes[role] = box
            grid.addWidget(box, i // 2, i % 2)

    def roles(self) -> list[Role]:
        return [role for role, box in self.boxes.items() if box.isChecked()]

    def set_roles(self, roles: list[Role]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


class StaffDialog(QDialog):
    """Add a staff member, or set a new password / roles for one."""

    def __init__(
        self,
        session: Session,
        submit: Callable[[StaffDialog], Callable[[], object]],
        member: StaffOut | None = None,
        mode: str = "add",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.mode = mode
        self._session = session
        self._submit = submit
        messages = session.messages
        form = QFormLayout()
        self.username = QLineEdit(member.username if member else "")
        self.username.setObjectName("newUsername")
        self.username.setMaxLength(32)
        self.display_name = QLineEdit(member.display_name if member else "")
        self.display_name.setObjectName("newDisplayName")
        self.display_name.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("newPasswordAgain")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_picker = RolePicker(messages)
        if member:
            self.role_picker.set_roles(member.roles)
            self.username.setReadOnly(True)
            self.display_name.setReadOnly(True)
        if mode in ("add", "password"):
            form.addRow(self.tr("Username"), self.username)
            form.addRow(self.tr("Name"), self.display_name)
        if mode in ("add", "password"):
            form.addRow(self.tr("Password"), self.password)
            form.addRow(self.tr("Password again"), self.password_again)
        if mode in ("add", "roles"):
            form.addRow(self.tr("Roles"), self.role_picker)
        self.error = QLabel()
        self.error.setObjectName("staffDialogError")
        self.error.setStyleSheet("#staffDialogError { color: #b00020; }")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        titles = {
            "add": self.tr("Add staff member"),
            "password": self.tr("Set a new password"),
            "roles": self.tr("Change roles"),
        }
        self.setWindowTitle(titles[mode])

    @Slot()
    def _check(self) -> None:
        # Checks that need no hub are done here so the dialog stays open with what was typed.
        if self.mode in ("add", "password") and self.password.text() != self.password_again.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        if self.mode in ("add", "roles") and not self.role_picker.roles():
            self.error.setText(self.tr("Choose at least one role."))
            return
        if self.mode == "add" and not self.username.text().strip():
            self.error.setText(self.tr("Enter a username."))
            return
        # The hub call runs off the GUI thread; the dialog stays open, input kept, until it answers.
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("Saving..."))
        self._session.call(self._submit(self)).success(self._saved).failure(self._failed)

    def _saved(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(self._session.messages.describe(error))


def add_staff_submit(client: HubClient) -> Callable[[StaffDialog], Callable[[], object]]:
    """What the add dialog's OK sends: the values are read on the GUI thread, sent off it."""

    def submit(d: StaffDialog) -> Callable[[], object]:
        username, name = d.username.text().strip(), d.display_name.text().strip()
        roles, password = d.role_picker.roles(), d.password.text()
        return lambda: client.add_staff(username, name, roles, password)

    return submit


class AdminWorkspace(Workspace):
    role = Role.ADMIN

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.table = read_only(QTableWidget(0, 4))
        self.table.setObjectName("staffTable")
        self.add_button = QPushButton()
        self.add_button.setObjectName("addStaff")
        self.disable_button = QPushButton()
        self.disable_button.setObjectName("disableStaff")
        self.enable_button = QPushButton()
        self.enable_button.setObjectName("enableStaff")
        self.password_button = QPushButton()
        self.password_button.setObjectName("resetPassword")
        self.roles_button = QPushButton()
        self.roles_button.setObjectName("changeRoles")
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("verifyAudit")
        self.audit_status = QLabel()
        self.audit_status.setObjectName("auditStatus")
        self.audit_status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.disable_button,
            self.enable_button,
            self.password_button,
            self.roles_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        audit_row = QHBoxLayout()
        audit_row.addWidget(self.verify_button)
        audit_row.addWidget(self.audit_status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(audit_row)
        self.staff: list[StaffOut] = []
        self.add_button.clicked.connect(self._add)
        self.disable_button.clicked.connect(lambda: self._set_active(False))
        self.enable_button.clicked.connect(lambda: self._set_active(True))
        self.password_button.clicked.connect(self._reset_password)
        self.roles_button.clicked.connect(self._change_roles)
        self.verify_button.clicked.connect(self._verify)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Username"), self.tr("Name"), self.tr("Roles"), self.tr("State")]
        )
        self.add_button.setText(self.tr("Add..."))
        self.disable_button.setText(self.tr("Disable"))
        self.enable_button.setText(self.tr("Enable"))
        self.password_button.setText(self.tr("New password..."))
        self.roles_button.setText(self.tr("Roles..."))
        self.verify_button.setText(self.tr("Verify audit trail"))
        self._show_staff(self.staff)

    def reload(self) -> None:
        self.session.call(self.session.client.list_staff).success(self._show_staff).failure(
            self.show_error
        )

    def handle_event(self, event: EventOut) -> None:
        if event.event == "staff.changed":
            self.reload()

    def _show_staff(self, staff: list[StaffOut]) -> None:
        selected = self.selected()
        self.staff = list(staff)
        messages = self.session.messages
        fill(
            self.table,
            [
                [
                    m.username,
                    m.display_name,
                    messages.role_list(m.roles),
                    self.tr("Active") if m.active else self.tr("Disabled"),
                ]
                for m in self.staff
            ],
        )
        if selected is not None:
            for row, member in enumerate(self.staff):
                if member.username == selected.username:
                    self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> StaffOut | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.staff[row] if 0 <= row < len(self.staff) else None

    @Slot()
    def _selection_changed(self) -> None:
        member = self.selected()
        for button in (self.password_button, self.roles_button):
            button.setEnabled(member is not None)
        self.disable_button.setEnabled(member is not None and member.active)
        self.enable_button.setEnabled(member is not None and not member.active)

    def _add(self) -> None:
        dialog = StaffDialog(self.session, add_staff_submit(self.session.client), parent=self)
        if dialog.exec():
            self.reload()

    def _set_active(self, active: bool) -> None:
        member = self.selected()
        if member is None:
            return
        client = self.session.client
        self.session.call(lambda: client.set_staff_active(member.username, active)).success(
            lambda _m: self.reload()
        ).failure(self.show_error)

    def _reset_password(self) -> None:
        member = self.selected()
        if member is None:
            return
        client = self.session.client

        def submit(d: StaffDialog) -> Callable[[], object]:
            password = d.password.text()
            return lambda: client.reset_password(member.username, password)

        if StaffDialog(self.session, submit, member, mode="password", parent=self).exec():
            QMessageBox.information(self, self.tr("Password"), self.tr("The new password is set."))

    def _change_roles(self) -> None:
        member = self.selected()
        if member is None:
            return
        client = self.session.client

        def submit(d: StaffDialog) -> Callable[[], object]:
            roles = d.role_picker.roles()
            return lambda: client.set_staff_roles(member.username, roles)

        if StaffDialog(self.session, submit, member, mode="roles", parent=self).exec():
            self.reload()

    def _verify(self) -> None:
        self.audit_status.setText(self.tr("Checking..."))
        self.session.call(self.session.client.audit_verify).success(self._verified).failure(
            self.show_error
        )

    def _verified(self, result: AuditVerifyOut) -> None:
        if result.ok:
            self.audit_status.setStyleSheet("")
            self.audit_status.setText(
                self.tr("Audit trail intact: %n entries.", "", result.entries)
            )
        else:
            self.audit_status.setStyleSheet("color: #b00020;")
            first = result.problems[0]
            self.audit_status.setText(
                self.tr("Audit trail damaged at entry %1: %2")
                .replace("%1", str(first.seq))
                .replace("%2", first.message)
            )
