"""The whole counter program object (as `counter-app` builds it) against a real hub."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from counter_app.config.basedir import Basedir
from counter_app.config.settings import SCANNER_PORT, Settings
from counter_app.devices.scanner import SerialScanner
from counter_app.ui.app import CounterApp, choose_cjk_font
from tests.conftest import DEMO_PASSWORDS


@contextmanager
def counter_program(  # type: ignore[no-untyped-def]
    qtbot, hub_url: str, folder: Path, settings: Settings, lang: str | None, fake_devices: bool
) -> Iterator[CounterApp]:
    """A CounterApp as `counter-app --hub URL` builds it, taken down again afterwards."""
    args = argparse.Namespace(
        lang=lang, hub=hub_url, demo=False, fake_devices=fake_devices, quit_after_ready=False
    )
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    program = CounterApp(app, args, Basedir(folder).ensure(), settings)
    qtbot.addWidget(program.login)
    try:
        yield program
    finally:
        if program.main_window is not None:
            program.main_window.close()
        program.shutdown()
        app.removeEventFilter(program.scanner_filter)
        program.set_language("en")


@pytest.fixture
def counter(qtbot, hub, tmp_path) -> Iterator[CounterApp]:  # type: ignore[no-untyped-def]
    with counter_program(
        qtbot, hub.url, tmp_path / "counter", Settings(None), None, fake_devices=True
    ) as program:
        with qtbot.waitSignal(program.login.ready, timeout=10_000):
            program.start()
        yield program


def test_chinese_by_default_and_switchable_to_english(qtbot, counter: CounterApp) -> None:  # type: ignore[no-untyped-def]
    assert choose_cjk_font(QApplication.instance()) == "WenQuanYi Micro Hei"  # type: ignore[arg-type]
    login = counter.login
    assert login.login_button.text() == "登录"
    assert login.demo_mark.text() == "演示"
    # Qt's own buttons are Chinese too (its qtbase catalogue is loaded alongside ours).
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    login.language.setCurrentIndex(login.language.findData("en"))
    assert login.login_button.text() == "Log in"
    login.language.setCurrentIndex(login.language.findData("zh_CN"))
    assert login.login_button.text() == "登录"


def test_login_opens_workspace_and_simulated_scan_reaches_it(qtbot, counter: CounterApp) -> None:  # type: ignore[no-untyped-def]
    login = counter.login
    login.username.setText("collector")
    login.password.setText(DEMO_PASSWORDS["collector"])
    login.login_button.click()
    qtbot.waitUntil(lambda: counter.main_window is not None, timeout=10_000)
    window = counter.main_window
    assert window is not None
    assert not login.isVisible()
    assert window.tabs.tabText(0) == "单证收集"
    # The demo's simulated scanner delivers through the same path as a real one.
    window.simulate_scan_requested.emit("CLM2026000123")
    qtbot.waitUntil(lambda: "CLM2026000123" in window.scan_label.text(), timeout=5000)
    window.logout()
    qtbot.waitUntil(lambda: counter.main_window is None and login.isVisible(), timeout=5000)


def test_serial_scanner_from_settings_reaches_the_app(qtbot, hub, tmp_path) -> None:  # type: ignore[no-untyped-def]
    master, slave = os.openpty()
    settings = Settings(None)
    settings.set(SCANNER_PORT, os.ttyname(slave))
    try:
        with counter_program(
            qtbot, hub.url, tmp_path / "counter", settings, "en", fake_devices=False
        ) as program:
            assert program.scanner_bridge is not None
            assert isinstance(program.scanner_bridge.scanner, SerialScanner)
            with qtbot.waitSignal(program.scanner_filter.barcode_scanned, timeout=5000) as scanned:
                os.write(master, b"RPT3201202611230001\r")
            assert scanned.args == ["RPT3201202611230001"]
    finally:
        os.close(master)
        os.close(slave)


def test_missing_serial_scanner_is_reported_and_the_app_goes_on(qtbot, hub, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(None)
    settings.set(SCANNER_PORT, str(tmp_path / "no-such-tty"))
    with counter_program(
        qtbot, hub.url, tmp_path / "counter", settings, "en", fake_devices=False
    ) as program:
        with qtbot.waitSignal(program.login.ready, timeout=10_000):
            program.start()
        # Still shown once the hub has answered and the login form is usable.
        problem = program.login.device_status
        assert problem.isVisible()
        assert "barcode scanner cannot be opened" in problem.text()
        assert "no-such-tty" in problem.text()
