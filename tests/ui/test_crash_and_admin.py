"""The crash dialog never lets an error pass silently; the admin workspace manages staff."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication

from counter_app.domain.roles import Role
from counter_app.ui.crash import CrashDialog, CrashHandler
from counter_app.ui.workspaces.staff_admin import AdminWorkspace, StaffDialog, add_staff_submit
from tests.ui.support import OFFSCREEN_NOISE, main_window_for

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _raise_and_hook(handler: CrashHandler) -> None:
    try:
        raise ZeroDivisionError("counter total went wrong")
    except ZeroDivisionError:
        kind, value, tb = sys.exc_info()
        assert kind is not None
        assert value is not None
        handler._excepthook(kind, value, tb)


def test_unhandled_error_is_saved_and_reported(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    handler = CrashHandler(tmp_path / "crash", show_dialog=False)
    with qtbot.waitSignal(handler.crashed) as signal:
        _raise_and_hook(handler)
    text, report = signal.args
    assert "ZeroDivisionError: counter total went wrong" in text
    saved = report.read_text(encoding="utf-8")
    assert "counter total went wrong" in saved
    assert saved.startswith("counter-app ")


def test_crash_dialog_shows_the_traceback_and_offers_quit(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = CrashDialog("Traceback: boom", tmp_path / "crash-1.txt")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.details.toPlainText() == "Traceback: boom"
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback: boom"
    with qtbot.waitSignal(dialog.rejected):
        dialog.quit_button.click()


def test_crash_from_worker_thread_reaches_gui_thread(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    handler = CrashHandler(tmp_path / "crash", show_dialog=False)
    handler.install()
    try:
        with qtbot.waitSignal(handler.crashed, timeout=5000) as signal:
            thread = threading.Thread(target=lambda: 1 / 0, name="worker-x")
            thread.start()
            thread.join()
    finally:
        handler.uninstall()
    assert "worker-x" in signal.args[0]
    assert signal.args[1].exists()


def _admin(qtbot, hub_client) -> AdminWorkspace:  # type: ignore[no-untyped-def]
    window = main_window_for(qtbot, hub_client, "admin")
    workspace = window.workspaces[0]
    assert isinstance(workspace, AdminWorkspace)
    qtbot.waitUntil(lambda: workspace.table.rowCount() > 0, timeout=5000)
    return workspace


def _select(workspace: AdminWorkspace, username: str) -> None:
    row = [m.username for m in workspace.staff].index(username)
    workspace.table.selectRow(row)


def test_admin_adds_staff_through_the_dialog(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    workspace = _admin(qtbot, hub_client)
    before = workspace.table.rowCount()

    dialog = StaffDialog(
        workspace.session, add_staff_submit(workspace.session.client), parent=workspace
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "sunli")
    dialog.display_name.setText("孙丽")  # QTest cannot type CJK; a real user uses the IME
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.password_again, "short")
    dialog.role_picker.boxes[Role.COLLECTOR].setChecked(True)
    dialog.buttons.accepted.emit()
    # Too weak: the hub refuses, the dialog stays open with the input and says why.
    qtbot.waitUntil(lambda: "too weak" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible()
    assert dialog.username.text() == "sunli"
    dialog.password.setText("sunli-strong-1")
    dialog.password_again.setText("sunli-strong-2")
    dialog.buttons.accepted.emit()
    assert "differ" in dialog.error.text()
    dialog.password_again.setText("sunli-strong-1")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.buttons.accepted.emit()
    workspace.reload()
    qtbot.waitUntil(lambda: workspace.table.rowCount() == before + 1, timeout=5000)
    added = next(m for m in workspace.staff if m.username == "sunli")
    assert added.roles == [Role.COLLECTOR]


def test_admin_disables_and_enables_staff(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    workspace = _admin(qtbot, hub_client)
    _select(workspace, "guide")
    assert workspace.disable_button.isEnabled()
    assert not workspace.enable_button.isEnabled()
    workspace.disable_button.click()
    qtbot.waitUntil(
        lambda: not next(m for m in workspace.staff if m.username == "guide").active, timeout=5000
    )
    _select(workspace, "guide")
    assert workspace.enable_button.isEnabled()
    workspace.enable_button.click()
    qtbot.waitUntil(
        lambda: next(m for m in workspace.staff if m.username == "guide").active, timeout=5000
    )


def test_admin_verifies_audit_trail(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    workspace = _admin(qtbot, hub_client)
    workspace.verify_button.click()
    qtbot.waitUntil(lambda: "intact" in workspace.audit_status.text(), timeout=5000)
