"""No silent exits: an unhandled error is saved to a crash report and shown in a dialog."""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app import __version__

log = logging.getLogger(__name__)


def write_report(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.txt"
    header = f"counter-app {__version__}\n{platform.platform()} Python {sys.version}\n\n"
    path.write_text(header + text, encoding="utf-8")
    return path


class CrashDialog(QDialog):
    def __init__(self, text: str, report: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("The program hit an error"))
        self.report = report
        intro = QLabel(
            self.tr(
                "Something went wrong. A report was saved to:\n%1\n"
                "Please give it to the branch IT. You can go on working or quit."
            ).replace("%1", str(report))
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox()
        self.continue_button = buttons.addButton(
            self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.quit_button = buttons.addButton(
            self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.copy_button = QPushButton(self.tr("Copy"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self._copy)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    @Slot()
    def _copy(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


class CrashHandler(QObject):
    """Installed as ``sys.excepthook`` and ``threading.excepthook``."""

    crashed = Signal(str, object)  # traceback text, report path
    _from_thread = Signal(str)

    def __init__(self, folder: Path, show_dialog: bool = True) -> None:
        super().__init__()
        self.folder = folder
        self.show_dialog = show_dialog
        self.reports: list[Path] = []
        self._from_thread.connect(self._handle_text)
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__

    def _excepthook(
        self,
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        self._handle_text("".join(traceback.format_exception(kind, value, tb)))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        text = "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        self._from_thread.emit(f"in thread {args.thread.name if args.thread else '?'}:\n{text}")

    @Slot(str)
    def _handle_text(self, text: str) -> None:
        log.critical("unhandled error:\n%s", text)
        try:
            report = write_report(self.folder, text)
        except OSError as exc:
            log.critical("could not save crash report: %s", exc)
            report = Path("(not saved)")
        self.reports.append(report)
        self.crashed.emit(text, report)
        if not self.show_dialog or self._showing:
            return
        self._showing = True
        try:
            dialog = CrashDialog(text, report)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                QApplication.exit(70)
        finally:
            self._showing = False
