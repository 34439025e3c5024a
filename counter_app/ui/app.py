"""The counter program: QApplication, language, fonts, the embedded hub, login and workspaces."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import threading
import time

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QObject,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app import PROCESS_START
from counter_app.client.hub_client import HubClient
from counter_app.config.basedir import Basedir
from counter_app.config.settings import (
    FAKE_DEVICES,
    HUB_URL,
    LANGUAGE,
    RECONNECT_SECONDS,
    SCAN_MAX_GAP_MS,
    SCAN_MIN_LENGTH,
    SCANNER_BAUD,
    SCANNER_PORT,
    WORKSTATION_NAME,
    Settings,
)
from counter_app.devices.scanner import FakeScanner, Scanner, SerialScanner
from counter_app.devices.wedge import WedgeScanDetector
from counter_app.domain.errors import DomainError
from counter_app.hub.schemas import LoginResponse
from counter_app.ui.barcode import BarcodeInputFilter, ScannerBridge
from counter_app.ui.crash import CrashHandler
from counter_app.ui.hub_link import HubLink
from counter_app.ui.login import LoginWindow
from counter_app.ui.main_window import MainWindow
from counter_app.ui.messages import Messages, load_translator
from counter_app.ui.settings_dialog import SettingsDialog
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.workspaces import Session

log = logging.getLogger(__name__)

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC")


def choose_cjk_font(app: QApplication) -> str | None:
    """Use a font that has Chinese glyphs; None when the system has none at all."""
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    for family in CJK_FAMILIES:
        if family in chinese:
            font = QFont(family)
            font.setPointSize(max(app.font().pointSize(), 10))
            app.setFont(font)
            return family
    return next(iter(sorted(chinese)), None)


class CounterApp(QObject):
    """Owns the windows and the link to the hub for the life of the program."""

    hub_ready = Signal(str)
    hub_failed = Signal(object)

    def __init__(
        self,
        app: QApplication,
        args: argparse.Namespace,
        basedir: Basedir,
        settings: Settings,
    ) -> None:
        super().__init__()
        self.app = app
        self.args = args
        self.basedir = basedir
        self.settings = settings
        self.language = args.lang or settings.get(LANGUAGE)
        self._translators: list[QTranslator] = []
        self.tasks = TaskRunner()
        self.messages = Messages()
        self.embedded_hub: object | None = None
        self.client: HubClient | None = None
        self.link: HubLink | None = None
        self.main_window: MainWindow | None = None
        self.exit_code = 0
        self.set_language(self.language)
        self.login = LoginWindow(None, self.tasks, self.messages, self.language)
        self.login.logged_in.connect(self._logged_in)
        self.login.language_chosen.connect(self.set_language)
        self.login.settings_requested.connect(self.open_settings)
        self.login.ready.connect(self._login_ready)
        self.hub_ready.connect(self._connect)
        self.hub_failed.connect(self._hub_start_failed)
        self.scanner_filter = BarcodeInputFilter(
            self,
            WedgeScanDetector(
                max_gap_ms=float(settings.get(SCAN_MAX_GAP_MS)),
                min_length=settings.get(SCAN_MIN_LENGTH),
            ),
        )
        app.installEventFilter(self.scanner_filter)
        self.fake_scanner: FakeScanner | None = None
        self.scanner_bridge: ScannerBridge | None = None
        self._start_scanner()

    # --- language ---
    @Slot(str)
    def set_language(self, language: str) -> None:
        for old in self._translators:
            self.app.removeTranslator(old)
        self._translators = []
        if language != "en":
            # Qt's own texts (OK, Cancel, Save...) come from its qtbase catalogue.
            qtbase = QTranslator()
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qtbase.load(f"qtbase_{language}", folder):
                self._translators.append(qtbase)
            ours = load_translator(language)
            if ours is not None:
                self._translators.append(ours)
        for translator in self._translators:
            self.app.installTranslator(translator)
        self.language = language
        if hasattr(self, "login"):
            self.login.retranslate()
        if self.main_window is not None:
            self.main_window.retranslate()

    # --- devices ---
    def _start_scanner(self) -> None:
        port = self.settings.get(SCANNER_PORT)
        scanner: Scanner
        if port and not self.args.fake_devices:
            scanner = SerialScanner(port, baudrate=self.settings.get(SCANNER_BAUD))
        elif self.args.fake_devices or self.settings.get(FAKE_DEVICES):
            self.fake_scanner = FakeScanner("simulated scanner")
            scanner = self.fake_scanner
        else:
            return
        self.scanner_bridge = ScannerBridge(scanner, self)
        self.scanner_bridge.barcode_scanned.connect(self.scanner_filter.barcode_scanned)
        try:
            self.scanner_bridge.start()
        except DomainError as exc:
            log.warning("scanner not started: %s", exc)
            self.login.show_device_problem(self.messages.describe(exc))

    # --- hub ---
    def start(self) -> None:
        self.login.show()
        url = self.args.hub or self.settings.get(HUB_URL)
        if url:
            self._connect(url)
            return
        threading.Thread(target=self._start_embedded_hub, name="hub-start", daemon=True).start()

    def _start_embedded_hub(self) -> None:
        # Imported here: a counter pointed at a branch hub never loads the server code.
        from counter_app.hub.server import HubOptions, HubServer

        try:
            server = HubServer(
                self.basedir,
                self.settings,
                HubOptions(host="127.0.0.1", port=0, demo=self.args.demo),
            )
            url = server.start()
        except Exception as exc:  # reported in the login window, never a silent exit
            log.exception("embedded hub failed to start")
            self.hub_failed.emit(exc)
            return
        self.embedded_hub = server
        self.hub_ready.emit(url)

    @Slot(object)
    def _hub_start_failed(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            text = self.messages.error_text(error.code, error.params, error.detail)
        else:
            text = self.messages.error_text("hub.start_failed", {"reason": str(error)})
        self.login.status.setText(text)
        code = getattr(error, "code", "hub.start_failed")
        print(f"error [{code}]: {text}", file=sys.stderr, flush=True)
        if self.args.quit_after_ready:
            self.exit_code = 1
            QTimer.singleShot(0, self.quit)
            return
        QMessageBox.critical(self.login, self.tr("Hub not started"), text)

    @Slot(str)
    def _connect(self, url: str) -> None:
        if self.link is not None:
            self.link.shutdown()
        if self.client is not None:
            self.client.close()
        self.client = HubClient(url, self.settings.get(WORKSTATION_NAME))
        self.link = HubLink(self.client, self.tasks, self.settings.get(RECONNECT_SECONDS), self)
        self.login.set_client(self.client)

    @Slot()
    def _login_ready(self) -> None:
        elapsed = time.perf_counter() - PROCESS_START
        log.info("ready", extra={"event": "ready", "startup_ms": round(elapsed * 1000)})
        if self.args.quit_after_ready:
            print(f"READY startup_ms={round(elapsed * 1000)}", flush=True)
            QTimer.singleShot(0, self.quit)

    # --- windows ---
    @Slot(object)
    def _logged_in(self, result: LoginResponse) -> None:
        if self.client is None or self.link is None:
            return
        demo = bool(self.login.health and self.login.health.demo)
        session = Session(
            self.client, self.tasks, self.link, self.messages, result, demo, self.settings
        )
        window = MainWindow(session)
        window.logged_out.connect(self._logged_out)
        window.settings_requested.connect(self.open_settings)
        window.simulate_scan_requested.connect(self._simulate_scan)
        self.scanner_filter.barcode_scanned.connect(window.show_scan)
        self.main_window = window
        self.login.hide()
        window.show()

    @Slot()
    def _logged_out(self) -> None:
        window = self.main_window
        self.main_window = None
        if window is not None:
            window.close()
            window.deleteLater()
        self.login.show()
        self.login.username.setFocus()

    @Slot(str)
    def _simulate_scan(self, code: str) -> None:
        if self.fake_scanner is not None:
            self.fake_scanner.scan(code)
        else:
            self.scanner_filter.barcode_scanned.emit(code)

    @Slot()
    def open_settings(self) -> None:
        parent = self.main_window or self.login
        dialog = SettingsDialog(self.settings, parent)
        dialog.settings_saved.connect(self._settings_saved)
        dialog.exec()

    @Slot(object)
    def _settings_saved(self, changed: set[str]) -> None:
        if LANGUAGE.key in changed:
            self.set_language(self.settings.get(LANGUAGE))
        if HUB_URL.key in changed and self.settings.get(HUB_URL):
            self._logged_out()
            self._connect(self.settings.get(HUB_URL))

    def quit(self) -> None:
        self.shutdown()
        QCoreApplication.exit(self.exit_code)

    def shutdown(self) -> None:
        if self.link is not None:
            self.link.shutdown()
        if self.scanner_bridge is not None:
            self.scanner_bridge.stop()
        self.tasks.wait(3000)
        if self.client is not None:
            self.client.close()
        server = self.embedded_hub
        self.embedded_hub = None
        if server is not None:
            server.stop()  # type: ignore[attr-defined]


GC_INTERVAL_MS = 60_000


def collect_garbage_on_gui_thread(app: QApplication) -> QTimer:
    """Python's cyclic GC may run on any thread; freeing a QObject off its thread crashes Qt.
    So automatic GC is off and a timer collects on the GUI thread instead (as Anki does)."""
    gc.disable()
    timer = QTimer(app)
    timer.setInterval(GC_INTERVAL_MS)
    timer.timeout.connect(gc.collect)
    timer.start()
    return timer


def run_gui(args: argparse.Namespace, basedir: Basedir, settings: Settings) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    collect_garbage_on_gui_thread(app)
    app.setApplicationName("counter-app")
    app.setOrganizationName("counter-app")
    crash = CrashHandler(basedir.crashes)
    crash.install()
    family = choose_cjk_font(app)
    if family is None:
        # In English and Chinese: without a CJK font the Chinese half would show as boxes.
        QMessageBox.warning(
            None,
            "Chinese font missing / 缺少中文字体",
            "No font with Chinese characters was found. Install one "
            "(Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei) and restart.",
        )
    log.info("font", extra={"family": family or "(none)"})
    counter = CounterApp(app, args, basedir, settings)
    app.aboutToQuit.connect(counter.shutdown)
    counter.start()
    try:
        return app.exec()
    finally:
        crash.uninstall()
