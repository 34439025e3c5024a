"""The centre manager sets up a service type: numbering, hours, windows and who serves it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.hub.schemas import ServiceSetupIn, ServiceSetupOut, StaffOut
from counter_app.ui.workspaces.base import Session

NEW = "__new__"


class ServiceSetupDialog(QDialog):
    def __init__(
        self,
        session: Session,
        services: list[ServiceSetupOut],
        windows: list[int],
        staff: list[StaffOut],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serviceSetupDialog")
        self.session = session
        self.services = {s.code: s for s in services}
        self.setWindowTitle(self.tr("Set up a service"))
        self.choice = QComboBox()
        self.choice.setObjectName("serviceChoice")
        for service in services:
            self.choice.addItem(f"{service.prefix} {service.name}", service.code)
        self.choice.addItem(self.tr("New service..."), NEW)
        self.code = QLineEdit()
        self.code.setObjectName("serviceCode")
        self.code.setMaxLength(16)
        self.name = QLineEdit()
        self.name.setObjectName("serviceName")
        self.name.setMaxLength(64)
        self.prefix = QLineEdit()
        self.prefix.setObjectName("servicePrefix")
        self.prefix.setMaxLength(2)
        self.digits = QSpinBox()
        self.digits.setRange(1, 5)
        self.opens = QTimeEdit()
        self.opens.setDisplayFormat("HH:mm")
        self.closes = QTimeEdit()
        self.closes.setDisplayFormat("HH:mm")
        self.all_day = QCheckBox(self.tr("Open until midnight"))
        self.daily_reset = QCheckBox(self.tr("Numbers start again each day"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.active = QCheckBox(self.tr("Takes tickets"))
        self.window_boxes: dict[int, QCheckBox] = {}
        window_grid = QGridLayout()
        for index, number in enumerate(windows):
            box = QCheckBox(self.tr("Window %1").replace("%1", str(number)))
            box.setObjectName(f"serviceWindow_{number}")
            self.window_boxes[number] = box
            window_grid.addWidget(box, index // 5, index % 5)
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("serviceStaff")
        self.staff_list.setMinimumHeight(140)  # five or six people visible without scrolling
        for person in staff:
            item = QListWidgetItem(f"{person.display_name} ({person.username})")
            item.setData(Qt.ItemDataRole.UserRole, person.username)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.staff_list.addItem(item)
        self.error = QLabel()
        self.error.setObjectName("serviceError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Service:"), self.choice)
        form.addRow(self.tr("Code:"), self.code)
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Ticket prefix:"), self.prefix)
        form.addRow(self.tr("Digits:"), self.digits)
        form.addRow(self.tr("Opens at:"), self.opens)
        form.addRow(self.tr("Closes at:"), self.closes)
        form.addRow("", self.all_day)
        form.addRow("", self.daily_reset)
        form.addRow(self.tr("Minutes per customer:"), self.minutes)
        form.addRow("", self.active)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Windows that serve it:")))
        layout.addLayout(window_grid)
        layout.addWidget(QLabel(self.tr("Staff who serve it (none ticked: every counter post):")))
        layout.addWidget(self.staff_list)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.all_day.toggled.connect(lambda on: self.closes.setEnabled(not on))
        self._chosen(0)

    @Slot(int)
    def _chosen(self, _index: int) -> None:
        code = self.choice.currentData()
        service = self.services.get(str(code))
        self.code.setReadOnly(service is not None)
        self.error.clear()
        if service is None:
            self.code.clear()
            self.name.clear()
            self.prefix.clear()
            self.digits.setValue(3)
            self.opens.setTime(QTime(8, 30))
            self.closes.setTime(QTime(17, 30))
            self.all_day.setChecked(False)
            self.daily_reset.setChecked(True)
            self.minutes.setValue(5)
            self.active.setChecked(True)
            chosen_windows: set[int] = set()
            chosen_staff: set[str] = set()
        else:
            self.code.setText(service.code)
            self.name.setText(service.name)
            self.prefix.setText(service.prefix)
            self.digits.setValue(service.digits)
            self.opens.setTime(QTime.fromString(service.opens_at, "HH:mm"))
            self.all_day.setChecked(service.closes_at == "24:00")
            if service.closes_at != "24:00":
                self.closes.setTime(QTime.fromString(service.closes_at, "HH:mm"))
            self.daily_reset.setChecked(service.daily_reset)
            self.minutes.setValue(service.service_minutes)
            self.active.setChecked(service.active)
            chosen_windows = set(service.windows)
            chosen_staff = set(service.staff)
        for number, box in self.window_boxes.items():
            box.setChecked(number in chosen_windows)
        for row in range(self.staff_list.count()):
            item = self.staff_list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in chosen_staff
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def setup(self) -> ServiceSetupIn:
        staff = [
            str(self.staff_list.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.staff_list.count())
            if self.staff_list.item(r).checkState() == Qt.CheckState.Checked
        ]
        return ServiceSetupIn(
            name=self.name.text().strip() or " ",
            prefix=self.prefix.text().strip().upper() or "?",
            digits=self.digits.value(),
            opens_at=self.opens.time().toString("HH:mm"),
            closes_at="24:00" if self.all_day.isChecked() else self.closes.time().toString("HH:mm"),
            daily_reset=self.daily_reset.isChecked(),
            service_minutes=self.minutes.value(),
            active=self.active.isChecked(),
            windows=[n for n, box in self.window_boxes.items() if box.isChecked()],
            staff=staff,
        )

    @Slot()
    def submit(self) -> None:
        code = self.code.text().strip().upper()
        setup = self.setup()
        client = self.session.client
        self.buttons.setEnabled(False)
        self.session.call(lambda: client.set_service(code, setup)).success(self._saved).failure(
            self._failed
        )

    def _saved(self, _service: ServiceSetupOut) -> None:
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(self.session.messages.describe(error))
