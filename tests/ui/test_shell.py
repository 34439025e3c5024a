"""The Qt shell against a real demo hub: login, role workspaces, banner, relogin, settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from counter_app.config.basedir import Basedir
from counter_app.config.settings import LANGUAGE, Settings
from counter_app.domain.roles import Role
from counter_app.hub.server import HubOptions, HubServer
from counter_app.ui.login import LoginWindow
from counter_app.ui.main_window import MainWindow, ReloginDialog
from counter_app.ui.messages import Messages
from counter_app.ui.settings_dialog import SettingsDialog
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.workspaces import WORKSPACES
from counter_app.ui.workspaces.staff_admin import AdminWorkspace, StaffDialog, add_staff_submit
from tests.conftest import DEMO_PASSWORDS
from tests.ui.support import OFFSCREEN_NOISE, main_window_for, session_for

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _login_window(qtbot, client):  # type: ignore[no-untyped-def]
    window = LoginWindow(client, TaskRunner(), Messages())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.connect_to_hub()
    return window


def test_login_with_keyboard_only_opens_session(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    window = _login_window(qtbot, hub_client)
    assert window.demo_mark.isVisible(), "a demo database must be marked"
    qtbot.keyClicks(window.username, "clerk")
    qtbot.keyClick(window.username, Qt.Key.Key_Return)
    assert window.password.hasFocus()
    qtbot.keyClicks(window.password, DEMO_PASSWORDS["clerk"])
    with qtbot.waitSignal(window.logged_in, timeout=10_000) as signal:
        qtbot.keyClick(window.password, Qt.Key.Key_Return)
    assert signal.args[0].staff.username == "clerk"
    assert signal.args[0].staff.roles == [Role.CLERK]
    assert window.password.text() == "", "the password must not stay in the field"


def test_wrong_password_shows_translated_message_and_keeps_username(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    window = _login_window(qtbot, hub_client)
    window.username.setText("guide")
    window.password.setText("wrong-password")
    window.login_button.click()
    qtbot.waitUntil(lambda: window.login_button.isEnabled() and window.status.text() != "")
    qtbot.waitUntil(lambda: "Wrong username or password" in window.status.text(), timeout=5000)
    assert window.username.text() == "guide"


@pytest.mark.parametrize("username", sorted(DEMO_PASSWORDS))
def test_each_post_gets_its_workspace(qtbot, hub_client, username: str) -> None:  # type: ignore[no-untyped-def]
    window = main_window_for(qtbot, hub_client, username)
    role = Role(username)
    assert [type(w) for w in window.workspaces] == [WORKSPACES[role]]
    assert window.tabs.count() == 1
    assert window.demo_mark.isVisible()
    # The reference data arrives from the hub and fills the workspace's service table.
    workspace = window.workspaces[0]
    table = getattr(workspace, "service_table", None) or getattr(workspace, "services", None)
    if table is not None:
        qtbot.waitUntil(lambda: table.rowCount() > 0, timeout=5000)
    else:
        assert isinstance(workspace, AdminWorkspace)
        qtbot.waitUntil(lambda: workspace.table.rowCount() == len(DEMO_PASSWORDS), timeout=5000)


def test_a_person_with_several_roles_gets_a_tab_per_role(qtbot, hub_client) -> None:  # type: ignore[no-untyped-def]
    hub_client.login("admin", DEMO_PASSWORDS["admin"])
    hub_client.add_staff("multi", "多岗", [Role.CLERK, Role.COLLECTOR], "multi-pass-1")
    session = session_for(hub_client, "multi", "multi-pass-1")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert [type(w).__name__ for w in window.workspaces] == [
        "ClerkWorkspace",
        "CollectorWorkspace",
    ]


def test_banner_appears_when_hub_stops_and_goes_when_it_returns(  # type: ignore[no-untyped-def]
    qtbot, hub, hub_client
) -> None:
    window = main_window_for(qtbot, hub_client, "admin")
    workspace = window.workspaces[0]
    assert isinstance(workspace, AdminWorkspace)
    qtbot.waitUntil(lambda: workspace.table.rowCount() > 0, timeout=5000)
    assert not window.banner.isVisible()
    port = int(hub.url.rsplit(":", 1)[1])
    basedir: Basedir = hub.basedir
    hub.stop()
    qtbot.waitUntil(window.banner.isVisible, timeout=10_000)
    # A form being typed while the hub is away keeps its text and can be sent later.
    dialog = StaffDialog(window.session, add_staff_submit(window.session.client), parent=window)
    dialog.show()
    dialog.username.setText("newclerk")
    dialog.display_name.setText("新柜员")
    dialog.password.setText("newclerk-pass-1")
    dialog.password_again.setText("newclerk-pass-1")
    dialog.role_picker.boxes[Role.CLERK].setChecked(True)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=10_000)
    assert dialog.isVisible()
    assert "Cannot reach" in dialog.error.text()
    assert dialog.username.text() == "newclerk"
    assert dialog.password.text() == "newclerk-pass-1"
    restarted = HubServer(basedir, Settings(None), HubOptions(host="127.0.0.1", port=port))
    restarted.start()
    try:
        qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=15_000)
        dialog.buttons.accepted.emit()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
        assert "newclerk" in {m.username for m in hub_client.list_staff()}
    finally:
        window.session.link.shutdown()
        restarted.stop()


def test_expired_login_asks_for_password_without_closing_work(  # type: ignore[no-untyped-def]
    qtbot, hub, hub_client, monkeypatch
) -> None:
    from counter_app.services import staff as staff_service

    window = main_window_for(qtbot, hub_client, "manager")
    qtbot.waitUntil(lambda: window.workspaces[0].staff_table.rowCount() > 0, timeout=5000)
    # A whole shift later: the hub's clock moves past the token's expiry (600 minutes).
    monkeypatch.setattr(staff_service, "utcnow", lambda: datetime.now(UTC) + timedelta(minutes=601))
    window.workspaces[0].reload()  # type: ignore[attr-defined]
    qtbot.waitUntil(
        lambda: window.relogin is not None and window.relogin.isVisible(), timeout=10_000
    )
    dialog = window.relogin
    assert isinstance(dialog, ReloginDialog)
    assert "expired" in dialog.message.text()
    dialog.password.setText(DEMO_PASSWORDS["manager"])
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: window.relogin is None, timeout=10_000)
    assert window.isVisible()
    assert hub_client.me().username == "manager"


def test_settings_dialog_saves_declared_options(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.json"
    settings = Settings(path)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    language = dialog.editors["ui.language"]
    language.setCurrentIndex(language.findData("en"))  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.settings_saved) as saved:
        dialog._save()
    assert saved.args[0] == {"ui.language"}
    assert json.loads(path.read_text(encoding="utf-8"))["ui.language"] == "en"
    assert Settings.load(path).get(LANGUAGE) == "en"


def test_settings_dialog_refuses_bad_hub_address_and_keeps_file(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.json"
    path.write_text('{"ui.language": "zh_CN"}', encoding="utf-8")
    dialog = SettingsDialog(Settings.load(path))
    qtbot.addWidget(dialog)
    hub_url = dialog.editors["hub.url"]
    assert isinstance(hub_url, QLineEdit)
    hub_url.setText("hub-without-scheme:8710")
    dialog._save()
    assert "http://" in dialog.error.text()
    assert path.read_text(encoding="utf-8") == '{"ui.language": "zh_CN"}'
