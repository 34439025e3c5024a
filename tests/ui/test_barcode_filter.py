from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QThread
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from counter_app.devices.scanner import FakeScanner
from counter_app.ui.barcode import BarcodeInputFilter, ScanLineEdit, ScannerBridge

START_MS = 5_000_000
FAST_MS = 8
SLOW_MS = 150
CODE = "CLM2026000123"

# The offscreen platform warns on every top-level show(); it says nothing about the code under test.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


class KeySpy(QObject):
    """Counts key presses the focused widget actually receives, to prove Enter was swallowed."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.keys.append(event.key())
        return False


class Form(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name_edit = QLineEdit()
        self.scan_edit = ScanLineEdit()
        self.button = QPushButton("OK")
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.scan_edit)
        layout.addWidget(self.button)


@pytest.fixture
def barcode_filter(qapp: QApplication) -> Iterator[BarcodeInputFilter]:
    f = BarcodeInputFilter()
    qapp.installEventFilter(f)
    yield f
    qapp.removeEventFilter(f)


@pytest.fixture
def form(qtbot: QtBot) -> Form:
    w = Form()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def send_key(key: Qt.Key, text: str, t_ms: int, target: QObject | None = None) -> bool:
    """Deliver one key press (and release) with an explicit timestamp, by default to the focus."""
    target = target if target is not None else QApplication.focusWidget()
    assert target is not None
    press = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
    press.setTimestamp(t_ms)
    accepted = QApplication.sendEvent(target, press)
    release = QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, text)
    release.setTimestamp(t_ms + 1)
    QApplication.sendEvent(target, release)
    return accepted


def key_for(ch: str) -> Qt.Key:
    return Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_unknown


def type_text(text: str, start_ms: int, gap_ms: int, target: QObject | None = None) -> int:
    """Type ``text`` one char every ``gap_ms``; return the time of the last char."""
    t = start_ms
    for i, ch in enumerate(text):
        t = start_ms + i * gap_ms
        send_key(key_for(ch), ch, t, target)
    return t


def press_enter(t_ms: int, target: QObject | None = None) -> None:
    send_key(Qt.Key.Key_Return, "\r", t_ms, target)


def test_fast_burst_and_enter_emits_once(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)
    spy = KeySpy()
    form.name_edit.installEventFilter(spy)
    returns: list[bool] = []
    form.name_edit.returnPressed.connect(lambda: returns.append(True))

    last = type_text(CODE, START_MS, FAST_MS)
    press_enter(last + FAST_MS)

    assert received == [CODE]
    # Characters reached the widget; the Enter that completed the scan did not.
    assert len(spy.keys) == len(CODE)
    assert Qt.Key.Key_Return not in spy.keys
    assert returns == []


def test_slow_typing_emits_nothing_and_keeps_text(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)
    returns: list[bool] = []
    form.name_edit.returnPressed.connect(lambda: returns.append(True))

    last = type_text("Zhang San", START_MS, SLOW_MS)
    press_enter(last + SLOW_MS)

    assert received == []
    assert form.name_edit.text() == "Zhang San"
    # A person's Enter is passed through untouched.
    assert returns == [True]


def test_scan_into_plain_line_edit_restores_its_text(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    last = type_text("Li", START_MS, SLOW_MS)
    assert form.name_edit.text() == "Li"
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)

    last = type_text(CODE, last + SLOW_MS, FAST_MS)
    assert form.name_edit.text() == "Li" + CODE
    press_enter(last + FAST_MS)

    assert received == [CODE]
    assert form.name_edit.text() == "Li"
    assert form.name_edit.cursorPosition() == 2
    assert form.name_edit.isModified()
    # The person can keep typing where they were.
    type_text("Si", last + 2 * SLOW_MS, SLOW_MS)
    assert form.name_edit.text() == "LiSi"


def test_scan_over_a_selection_restores_the_selection(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    form.name_edit.setText("Wang Wu")
    form.name_edit.selectAll()

    last = type_text(CODE, START_MS, FAST_MS)
    assert form.name_edit.text() == CODE
    press_enter(last + FAST_MS)

    assert form.name_edit.text() == "Wang Wu"
    assert form.name_edit.selectedText() == "Wang Wu"


def test_scan_line_edit_gets_exactly_the_code(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.scan_edit)
    form.scan_edit.setText("OLD0001")
    form.scan_edit.setCursorPosition(3)
    field_codes: list[str] = []
    app_codes: list[str] = []
    form.scan_edit.code_scanned.connect(field_codes.append)
    barcode_filter.barcode_scanned.connect(app_codes.append)

    last = type_text(CODE, START_MS, FAST_MS)
    press_enter(last + FAST_MS)

    assert form.scan_edit.text() == CODE
    assert form.scan_edit.selectedText() == CODE
    assert field_codes == [CODE]
    assert app_codes == [CODE]


def test_scan_line_edit_emits_typed_code_on_enter(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.scan_edit)
    field_codes: list[str] = []
    app_codes: list[str] = []
    form.scan_edit.code_scanned.connect(field_codes.append)
    barcode_filter.barcode_scanned.connect(app_codes.append)

    last = type_text("POL 42 ", START_MS, SLOW_MS)
    press_enter(last + SLOW_MS)

    assert field_codes == ["POL 42"]
    assert app_codes == []


def test_scan_line_edit_ignores_enter_when_empty(qtbot: QtBot, form: Form) -> None:
    focus(qtbot, form.scan_edit)
    field_codes: list[str] = []
    form.scan_edit.code_scanned.connect(field_codes.append)
    press_enter(START_MS)
    assert field_codes == []


def test_scan_line_edit_has_input_methods_disabled(qtbot: QtBot) -> None:
    edit = ScanLineEdit()
    qtbot.addWidget(edit)
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    hints = edit.inputMethodHints()
    assert hints & Qt.InputMethodHint.ImhLatinOnly
    assert hints & Qt.InputMethodHint.ImhNoPredictiveText
    # QLineEdit turns input methods back on in these setters; the scan field must not.
    edit.setReadOnly(True)
    edit.setReadOnly(False)
    edit.setEchoMode(QLineEdit.EchoMode.Normal)
    assert not edit.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    # Contrast: a plain line edit accepts input methods, so the assertion above means something.
    assert QLineEdit().testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)


def test_arrow_key_in_the_middle_breaks_the_run(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)
    last = type_text("ABC", START_MS, FAST_MS)
    send_key(Qt.Key.Key_Left, "", last + FAST_MS)
    last = type_text("DE", last + 2 * FAST_MS, FAST_MS)
    press_enter(last + FAST_MS)
    assert received == []


def test_shift_between_chars_does_not_break_the_run(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    focus(qtbot, form.name_edit)
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)
    t = START_MS
    for ch in "AB12":
        send_key(Qt.Key.Key_Shift, "", t)
        send_key(key_for(ch), ch, t + 2)
        t += FAST_MS
    press_enter(t)
    assert received == ["AB12"]


def test_scan_is_seen_once_when_focus_widget_ignores_keys(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    # A button ignores letters, so Qt re-delivers each press to its parents: count it once.
    focus(qtbot, form.button)
    received: list[str] = []
    barcode_filter.barcode_scanned.connect(received.append)
    last = type_text(CODE, START_MS, FAST_MS)
    press_enter(last + FAST_MS)
    assert received == [CODE]


def test_scan_delivered_through_the_window_like_real_input(
    qtbot: QtBot, form: Form, barcode_filter: BarcodeInputFilter
) -> None:
    # Real key input reaches the QWindow first, which forwards it to the focus widget.
    focus(qtbot, form.scan_edit)
    window = form.windowHandle()
    assert isinstance(window, QWindow)
    field_codes: list[str] = []
    app_codes: list[str] = []
    form.scan_edit.code_scanned.connect(field_codes.append)
    barcode_filter.barcode_scanned.connect(app_codes.append)
    last = type_text(CODE, START_MS, FAST_MS, target=window)
    press_enter(last + FAST_MS, target=window)
    assert app_codes == [CODE]
    assert field_codes == [CODE]
    assert form.scan_edit.text() == CODE


def test_scanner_bridge_reemits_on_gui_thread(qtbot: QtBot) -> None:
    fake = FakeScanner()
    bridge = ScannerBridge(fake)
    seen: list[tuple[str, bool]] = []
    # Direct, so the slot runs on whichever thread emits: that is what is being checked.
    bridge.barcode_scanned.connect(
        lambda code: seen.append((code, QThread.currentThread() is bridge.thread())),
        Qt.ConnectionType.DirectConnection,
    )
    bridge.start()
    worker = threading.Thread(target=fake.scan, args=(CODE,))
    try:
        with qtbot.waitSignal(bridge.barcode_scanned, timeout=5000) as blocker:
            worker.start()
    finally:
        worker.join(5)
        bridge.stop()
    assert blocker.args == [CODE]
    assert bridge.thread() is QApplication.instance().thread()  # type: ignore[union-attr]
    assert seen == [(CODE, True)]
    assert bridge.name == "fake"


def test_scanner_bridge_is_queued_even_from_gui_thread(qtbot: QtBot) -> None:
    fake = FakeScanner()
    bridge = ScannerBridge(fake)
    seen: list[str] = []
    bridge.barcode_scanned.connect(seen.append)
    bridge.start()
    try:
        with qtbot.waitSignal(bridge.barcode_scanned, timeout=5000):
            fake.scan(CODE)
            # Queued: nothing is delivered until the event loop runs.
            assert seen == []
    finally:
        bridge.stop()
    assert seen == [CODE]
    fake.scan("AFTER0001")
    qtbot.wait(50)
    assert seen == [CODE]
