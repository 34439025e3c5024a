"""The login window: who is at this counter. Enter in the password field logs in."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubClient, HubError
from counter_app.hub.schemas import Health, LoginResponse
from counter_app.ui.banner import ConnectionBanner
from counter_app.ui.messages import Messages
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.widgets import DemoMark

LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))


class LoginWindow(QWidget):
    logged_in = Signal(object)  # LoginResponse
    language_chosen = Signal(str)
    settings_requested = Signal()
    ready = Signal()  # the window is usable: hub answered, fields enabled

    def __init__(
        self,
        client: HubClient | None,
        tasks: TaskRunner,
        messages: Messages,
        language: str = "zh_CN",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._tasks = tasks
        self._messages = messages
        self.health: Health | None = None
        self.setObjectName("loginWindow")

        self.banner = ConnectionBanner(self)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title.setFont(font)
        self.branch = QLabel()
        self.demo_mark = DemoMark(self)
        self.demo_mark.hide()

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, [c for c, _ in LANGUAGES].index(language)))
        self.status = QLabel()
        self.status.setObjectName("loginStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("#loginStatus { color: #b00020; }")
        # Device problems stay on screen; the status line is reused by every login attempt.
        self.device_status = QLabel()
        self.device_status.setObjectName("deviceStatus")
        self.device_status.setWordWrap(True)
        self.device_status.setStyleSheet("#deviceStatus { color: #8a5a00; }")
        self.device_status.hide()
        self.hub_address = QLabel()
        self.hub_address.setObjectName("hubAddress")
        self.login_button = QPushButton()
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.settings_button = QPushButton()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.demo_mark, 0, Qt.AlignmentFlag.AlignTop)
        self.form = QFormLayout()
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.language_label = QLabel()
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        self.form.addRow(self.language_label, self.language)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        body = QVBoxLayout()
        body.setContentsMargins(24, 16, 24, 16)
        body.addLayout(top)
        body.addWidget(self.branch)
        body.addSpacing(12)
        body.addLayout(self.form)
        body.addWidget(self.status)
        body.addWidget(self.device_status)
        body.addLayout(buttons)
        body.addStretch(1)
        body.addWidget(self.hub_address)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(body)

        self.login_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.settings_button.clicked.connect(self.settings_requested)
        self.retranslate()
        self.setMinimumWidth(460)
        self._set_busy(True)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Service counter - log in"))
        self.title.setText(self.tr("Customer Service Centre"))
        self.username_label.setText(self.tr("Username"))
        self.password_label.setText(self.tr("Password"))
        self.language_label.setText(self.tr("Language"))
        self.login_button.setText(self.tr("Log in"))
        self.settings_button.setText(self.tr("Settings..."))
        self._show_hub()

    def set_client(self, client: HubClient) -> None:
        self._client = client
        self._show_hub()
        self.connect_to_hub()

    def _show_hub(self) -> None:
        address = self._client.base_url if self._client else self.tr("starting built-in hub...")
        self.hub_address.setText(self.tr("Hub: %1").replace("%1", address))
        if self.health is not None:
            self.branch.setText(self.health.branch_name or self.health.branch_code)

    def connect_to_hub(self) -> None:
        if self._client is None:
            return
        client = self._client
        self.status.setText(self.tr("Connecting to the hub..."))
        self._tasks.run(client.health).success(self._hub_answered).failure(self._hub_failed)

    @Slot(object)
    def _hub_answered(self, health: Health) -> None:
        self.health = health
        self.banner.set_link(True)
        self.demo_mark.setVisible(health.demo)
        self._show_hub()
        self.status.clear()
        self._set_busy(False)
        self.username.setFocus()
        self.ready.emit()

    @Slot(object)
    def _hub_failed(self, error: BaseException) -> None:
        self.show_error(error)
        if isinstance(error, HubError) and error.unreachable:
            self.banner.set_link(False)
            # Keep trying until the hub answers; the typed username stays where it is.
            QTimer.singleShot(3000, self.connect_to_hub)

    def show_device_problem(self, text: str) -> None:
        self.device_status.setText(text)
        self.device_status.setVisible(bool(text))

    def show_error(self, error: BaseException) -> None:
        self.status.setText(self._messages.describe(error))

    def _set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)

    @Slot()
    def _submit(self) -> None:
        if self._client is None or not self.login_button.isEnabled():
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.status.setText(self.tr("Please enter your username and password."))
            return
        self._set_busy(True)
        self.status.setText(self.tr("Logging in..."))
        client = self._client
        self._tasks.run(lambda: client.login(username, password)).success(self._login_ok).failure(
            self._login_failed
        )

    def _login_ok(self, result: LoginResponse) -> None:
        self.password.clear()
        self.status.clear()
        self._set_busy(False)
        self.logged_in.emit(result)

    def _login_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        self.password.setFocus()
        self.show_error(error)
        if isinstance(error, HubError) and error.unreachable:
            self.banner.set_link(False)

    @Slot(int)
    def _language_changed(self, _index: int) -> None:
        self.language_chosen.emit(str(self.language.currentData()))
