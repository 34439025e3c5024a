"""The workspace window: one tab per role the staff member holds, the hub banner on top, and
head office sync at the right of the status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import __version__
from counter_app.config.settings import BOARD_SCREEN
from counter_app.devices.ticket_printer import fake_ticket_printer
from counter_app.devices.voice_clips import ClipLibrary, VoiceClipMissing, clip_folder
from counter_app.domain.roles import Role
from counter_app.hub.schemas import EventOut, LoginResponse, ReferenceOut
from counter_app.ui.banner import ConnectionBanner
from counter_app.ui.barcode import ScanLineEdit
from counter_app.ui.board import BoardWindow
from counter_app.ui.board_link_dialog import BoardLinkDialog
from counter_app.ui.counter_panel import CounterPanel
from counter_app.ui.kiosk import KioskPanel
from counter_app.ui.rating_pad import RatingPad
from counter_app.ui.sync_indicator import SyncIndicator
from counter_app.ui.voice import Announcer
from counter_app.ui.widgets import DemoMark, ElidedLabel
from counter_app.ui.workspaces import WORKSPACES, Session, Workspace

log = logging.getLogger(__name__)


class ReloginDialog(QDialog):
    """The login expired: ask for the password again without closing anything that is open."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reloginDialog")
        self._session = session
        self.setWindowTitle(self.tr("Log in again"))
        self.message = QLabel(session.messages.error_text("auth.token_expired"))
        self.message.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("reloginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(session.login.staff.display_name))
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    @Slot()
    def _submit(self) -> None:
        client = self._session.client
        username, password = self._session.login.staff.username, self.password.text()
        self.buttons.setEnabled(False)
        self._session.tasks.run(lambda: client.login(username, password)).success(self._ok).failure(
            self._failed
        )

    def _ok(self, result: LoginResponse) -> None:
        self._session.login = result
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.error.setText(self._session.messages.describe(error))


class MainWindow(QMainWindow):
    logged_out = Signal()
    settings_requested = Signal()
    simulate_scan_requested = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.session = session
        self.banner = ConnectionBanner()
        self.staff_label = ElidedLabel()
        self.staff_label.setObjectName("staffLabel")
        self.demo_mark = DemoMark()
        self.demo_mark.setVisible(session.demo)
        self.logout_button = QPushButton()
        self.logout_button.setObjectName("logoutButton")
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 8, 4)
        header.addWidget(self.staff_label, 1)
        header.addWidget(self.demo_mark)
        header.addWidget(self.logout_button)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.workspaces: list[Workspace] = []
        for role in [r for r in Role if r in session.login.staff.roles]:
            workspace = WORKSPACES[role](session)
            self.workspaces.append(workspace)
            self.tabs.addTab(workspace, workspace.title())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.link_label = QLabel()
        self.scan_label = QLabel()
        self.scan_label.setObjectName("lastScan")
        self.statusBar().addWidget(self.link_label, 1)
        self.statusBar().addPermanentWidget(self.scan_label)
        self.sync_indicator = SyncIndicator(session)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self._build_menus()
        self.logout_button.clicked.connect(self.logout)
        session.link.link_changed.connect(self._link_changed)
        session.link.event_received.connect(self._event)
        session.link.session_ended.connect(self._session_ended)
        self.relogin: ReloginDialog | None = None
        self.retranslate()
        self.resize(1024, 720)
        self.reload_reference()
        session.link.start_events()

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.settings_requested)
        self.logout_action = QAction(self)
        self.logout_action.triggered.connect(self.logout)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addActions([self.settings_action, self.logout_action, self.quit_action])
        self.devices_menu = self.menuBar().addMenu("")
        self.scan_action = QAction(self)
        self.scan_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.scan_action.triggered.connect(self._ask_simulated_scan)
        self.devices_menu.addAction(self.scan_action)
        # The simulated ticket printer's faults, so the demo can show what a guide then sees.
        self.paper_out_action = QAction(self)
        self.paper_out_action.setCheckable(True)
        self.paper_out_action.toggled.connect(lambda on: self._simulate_printer("paper_out", on))
        self.printer_offline_action = QAction(self)
        self.printer_offline_action.setCheckable(True)
        self.printer_offline_action.toggled.connect(
            lambda on: self._simulate_printer("offline", on)
        )
        kiosk = self.kiosk()
        simulated = kiosk is not None and kiosk.dispenser.connection.startswith("fake:")
        for action in (self.paper_out_action, self.printer_offline_action):
            action.setVisible(simulated)
            self.devices_menu.addAction(action)
        self.display_menu = self.menuBar().addMenu("")
        self.board_link_action = QAction(self)
        self.board_link_action.triggered.connect(self._board_link)
        self.board_link_action.setVisible(
            bool(set(self.session.login.staff.roles) & {Role.GUIDE, Role.MANAGER, Role.ADMIN})
        )
        self.display_menu.addAction(self.board_link_action)
        self.board_action = QAction(self)
        self.board_action.triggered.connect(self.open_board)
        self.display_menu.addAction(self.board_action)
        self.rating_action = QAction(self)
        self.rating_action.triggered.connect(self.open_rating_pad)
        self.rating_action.setVisible(any(self.counter_panels()))
        self.display_menu.addAction(self.rating_action)
        self.board: BoardWindow | None = None
        self.rating_pad: RatingPad | None = None
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def kiosk(self) -> KioskPanel | None:
        for workspace in self.workspaces:
            panel = getattr(workspace, "panel", None)
            if isinstance(panel, KioskPanel):
                return panel
        return None

    def counter_panels(self) -> list[CounterPanel]:
        panels = (getattr(w, "panel", None) for w in self.workspaces)
        return [p for p in panels if isinstance(p, CounterPanel)]

    def open_board(self) -> None:
        """The display board on this PC's last screen (a TV), speaking the calls."""
        if self.board is not None:
            self.board.raise_()
            return
        try:
            library: ClipLibrary | None = ClipLibrary.load(clip_folder())
        except VoiceClipMissing as exc:
            log.warning("board voice clips unusable: %s", exc)
            library = None
        announcer = Announcer.from_settings(self.session.settings, library)
        self.board = BoardWindow(self.session, announcer)
        announcer.setParent(self.board)
        self.board.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.board.destroyed.connect(self._board_closed)
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.board.show_on_screen(self.session.settings.get(BOARD_SCREEN))
        else:
            self.board.resize(1280, 720)  # one screen: a window, so the counter stays usable
            self.board.show()

    def _board_closed(self) -> None:
        self.board = None

    def open_rating_pad(self) -> None:
        """The customer-facing rating pad; finished tickets of this counter are rated on it."""
        if self.rating_pad is not None:
            self.rating_pad.raise_()
            return
        pad = RatingPad(self.session)
        pad.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for panel in self.counter_panels():
            panel.ticket_finished.connect(pad.ask)
        pad.destroyed.connect(self._rating_pad_closed)
        self.rating_pad = pad
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            pad.setGeometry(screens[-1].geometry())
            pad.showFullScreen()
        else:
            pad.resize(800, 480)
            pad.show()

    def _rating_pad_closed(self) -> None:
        self.rating_pad = None

    def _simulate_printer(self, fault: str, on: bool) -> None:
        kiosk = self.kiosk()
        if kiosk is None:
            return
        printer = fake_ticket_printer(kiosk.dispenser.connection)
        setattr(printer, fault, on)
        kiosk.check_printer()

    def retranslate(self) -> None:
        staff = self.session.login.staff
        messages = self.session.messages
        self.setWindowTitle(self.tr("Service counter - %1").replace("%1", staff.display_name))
        self.staff_label.setText(
            self.tr("%1 (%2) - %3 - workstation %4")
            .replace("%1", staff.display_name)
            .replace("%2", staff.username)
            .replace("%3", messages.role_list(staff.roles))
            .replace("%4", self.session.client.workstation)
        )
        self.logout_button.setText(self.tr("Log out"))
        self.file_menu.setTitle(self.tr("&File"))
        self.settings_action.setText(self.tr("&Settings..."))
        self.logout_action.setText(self.tr("Log &out"))
        self.quit_action.setText(self.tr("&Quit"))
        self.devices_menu.setTitle(self.tr("&Devices"))
        self.scan_action.setText(self.tr("Simulate a barcode scan..."))
        self.paper_out_action.setText(self.tr("Simulated ticket printer: out of paper"))
        self.printer_offline_action.setText(self.tr("Simulated ticket printer: switched off"))
        self.display_menu.setTitle(self.tr("Dis&play"))
        self.board_link_action.setText(self.tr("Address for a TV display board..."))
        self.board_action.setText(self.tr("Open the display board"))
        self.rating_action.setText(self.tr("Open the rating pad"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About"))
        for index, workspace in enumerate(self.workspaces):
            workspace.retranslate()
            self.tabs.setTabText(index, workspace.title())
            self.tabs.setTabToolTip(index, messages.role_name(workspace.role))
        self.sync_indicator.retranslate()
        self._link_changed(self.session.link.up)

    def reload_reference(self) -> None:
        self.session.call(self.session.client.reference).success(self._show_reference).failure(
            self._call_failed
        )

    def _show_reference(self, reference: ReferenceOut) -> None:
        for workspace in self.workspaces:
            workspace.show_reference(reference)

    def _call_failed(self, error: BaseException) -> None:
        log.warning("hub call failed: %s", error)

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        self.banner.set_link(up)
        self.link_label.setText(
            (self.tr("Hub connected: %1") if up else self.tr("Hub unreachable: %1")).replace(
                "%1", self.session.client.base_url
            )
        )
        if up:
            self.reload_reference()

    @Slot(object)
    def _event(self, event: EventOut) -> None:
        if event.event == "reference.changed":
            self.reload_reference()
        for workspace in self.workspaces:
            workspace.handle_event(event)

    @Slot(str)
    def _session_ended(self, _code: str) -> None:
        if self.relogin is not None:
            return
        # Window-modal, not exec(): the event loop keeps running and nothing open is closed.
        self.relogin = ReloginDialog(self.session, self)
        self.relogin.setWindowModality(Qt.WindowModality.WindowModal)
        self.relogin.finished.connect(self._relogin_finished)
        self.relogin.open()

    @Slot(int)
    def _relogin_finished(self, result: int) -> None:
        dialog, self.relogin = self.relogin, None
        if dialog is not None:
            dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted:
            self.session.link.start_events()
        else:
            self.logout()

    @Slot(str)
    def show_scan(self, code: str) -> None:
        self.scan_label.setText(self.tr("Scanned: %1").replace("%1", code))
        # A scan field with the focus has taken the code already; otherwise the post whose
        # tab is showing does what its work means by it.
        if not isinstance(QApplication.focusWidget(), ScanLineEdit):
            current = self.tabs.currentWidget()
            if isinstance(current, Workspace):
                current.handle_scan(code)

    def _ask_simulated_scan(self) -> None:
        code, ok = QInputDialog.getText(
            self, self.tr("Simulated scanner"), self.tr("Barcode to scan:")
        )
        if ok and code.strip():
            self.simulate_scan_requested.emit(code.strip())

    def _board_link(self) -> None:
        dialog = BoardLinkDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About"),
            self.tr("Service counter %1\nHub: %2")
            .replace("%1", __version__)
            .replace("%2", self.session.client.base_url),
        )

    def logout(self) -> None:
        client = self.session.client
        self.session.link.stop_events()
        self.session.tasks.run(client.logout).failure(lambda _e: None)
        QTimer.singleShot(0, self.logged_out.emit)

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in (self.board, self.rating_pad):
            if window is not None:
                window.close()
        self.session.link.stop_events()
        super().closeEvent(event)
