"""Barcode input for the UI: keyboard-wedge scans anywhere in the app, scan fields, device bridge.

Install one ``BarcodeInputFilter`` on the QApplication; put ``ScanLineEdit`` where a code is
expected; wrap serial or simulated scanners in ``ScannerBridge`` to get codes on the GUI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from counter_app.devices.scanner import Scanner
from counter_app.devices.wedge import WedgeScanDetector

_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
# Scanners press Shift (and some toggle Caps Lock) to type upper case; that is not a break in
# the run.
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
    }
)


class ScanLineEdit(QLineEdit):
    """A field meant to receive barcodes, scanned or typed.

    Emits ``code_scanned`` when a wedge scan lands in it (via ``BarcodeInputFilter``) or when the
    user types a code and presses Enter.
    """

    code_scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._disable_input_method()
        self.returnPressed.connect(self._on_return_pressed)

    def setReadOnly(self, read_only: bool) -> None:
        super().setReadOnly(read_only)
        # QLineEdit re-enables input methods here; a Chinese IME would swallow wedge keystrokes.
        self._disable_input_method()

    def setEchoMode(self, mode: QLineEdit.EchoMode) -> None:
        super().setEchoMode(mode)
        # Same as setReadOnly: QLineEdit recomputes WA_InputMethodEnabled on echo-mode changes.
        self._disable_input_method()

    def accept_scan(self, code: str) -> None:
        """Replace the field's text with ``code`` and announce it; used by the input filter."""
        self.setText(code)
        # Selected so the next manual keystroke or scan replaces the code instead of appending.
        self.selectAll()
        self.code_scanned.emit(code)

    def _disable_input_method(self) -> None:
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhLatinOnly
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )

    def _on_return_pressed(self) -> None:
        code = self.text().strip()
        if code:
            self.selectAll()
            self.code_scanned.emit(code)


@dataclass(frozen=True)
class _LineEditState:
    """What a line edit looked like before a run of keystrokes, to undo a scan typed into it."""

    widget: QLineEdit
    text: str
    cursor: int
    selection_start: int
    selection_length: int
    modified: bool

    @classmethod
    def capture(cls, widget: QLineEdit) -> _LineEditState:
        return cls(
            widget=widget,
            text=widget.text(),
            cursor=widget.cursorPosition(),
            selection_start=widget.selectionStart(),
            selection_length=len(widget.selectedText()),
            modified=widget.isModified(),
        )

    def restore(self) -> None:
        w = self.widget
        w.setText(self.text)
        if self.selection_length > 0:
            w.setSelection(self.selection_start, self.selection_length)
        else:
            w.setCursorPosition(self.cursor)
        w.setModified(self.modified)


class BarcodeInputFilter(QObject):
    """Application-wide event filter that detects keyboard-wedge scans.

    Keys still reach the focused widget as typed; only the Enter that completes a scan is
    swallowed. A scan typed into a plain QLineEdit is removed from it again; a scan into a
    ``ScanLineEdit`` becomes its whole text and it emits ``code_scanned``. ``barcode_scanned`` is
    emitted for every scan, wherever focus is.
    """

    barcode_scanned = Signal(str)

    def __init__(
        self, parent: QObject | None = None, detector: WedgeScanDetector | None = None
    ) -> None:
        super().__init__(parent)
        self.detector = detector if detector is not None else WedgeScanDetector()
        self._run_start: _LineEditState | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # Each key press reaches app filters several times (window, focus widget, then parents
        # while unaccepted); only its delivery to the focus widget counts.
        if not self._is_primary_receiver(watched):
            return False
        return self._handle_key_press(event)

    def _handle_key_press(self, event: QKeyEvent) -> bool:
        key = event.key()
        t_ms = self._timestamp_ms(event)
        if key in _ENTER_KEYS:
            code = self.detector.feed_enter(t_ms)
            run_start, self._run_start = self._run_start, None
            if code is None:
                return False
            self._deliver(code, run_start)
            return True
        if key in _MODIFIER_KEYS:
            return False
        text = event.text()
        if event.isAutoRepeat() or not text:
            # A held key or a navigation/function key is a person, not a scanner.
            self.detector.reset()
            self._run_start = None
            return False
        for ch in text:
            self.detector.feed_char(ch, t_ms)
            if len(self.detector.pending) == 1:
                # This char starts a new run: remember the field before it lands there.
                self._run_start = self._capture_focus_state()
        return False

    def _deliver(self, code: str, run_start: _LineEditState | None) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, ScanLineEdit):
            focus.accept_scan(code)
        elif isinstance(focus, QLineEdit) and run_start is not None and run_start.widget is focus:
            run_start.restore()
        self.barcode_scanned.emit(code)

    @staticmethod
    def _capture_focus_state() -> _LineEditState | None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and not isinstance(focus, ScanLineEdit):
            return _LineEditState.capture(focus)
        return None

    @staticmethod
    def _is_primary_receiver(watched: QObject) -> bool:
        if not isinstance(watched, QWidget):
            return False
        focus = QApplication.focusWidget()
        if focus is not None:
            return watched is focus
        # With nothing focused Qt delivers keys to the window itself, and it has no parent.
        return watched.isWindow()

    @staticmethod
    def _timestamp_ms(event: QKeyEvent) -> float:
        stamp = event.timestamp()
        # Synthesised events may carry no timestamp; a monotonic clock is the next best thing.
        return float(stamp) if stamp else time.monotonic() * 1000.0


class ScannerBridge(QObject):
    """Wraps a devices ``Scanner`` and re-emits its codes on the GUI thread.

    Scanner callbacks may run on a reader thread; the internal signal is queued so that
    ``barcode_scanned`` is always emitted from this object's (the GUI) thread's event loop.
    """

    barcode_scanned = Signal(str)
    _code_received = Signal(str)

    def __init__(self, scanner: Scanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scanner = scanner
        self._code_received.connect(self.barcode_scanned, Qt.ConnectionType.QueuedConnection)

    @property
    def name(self) -> str:
        return self.scanner.name

    def start(self) -> None:
        """Start the scanner; may raise ``ScannerUnavailable``."""
        self.scanner.start(self._on_code)

    def stop(self) -> None:
        self.scanner.stop()

    def _on_code(self, code: str) -> None:
        self._code_received.emit(code)
