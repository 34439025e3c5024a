"""Helpers for UI tests: log in to a real demo hub and build the windows the app builds."""

from __future__ import annotations

from counter_app.client.hub_client import HubClient
from counter_app.ui.hub_link import HubLink
from counter_app.ui.main_window import MainWindow
from counter_app.ui.messages import Messages
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.workspaces import Session
from tests.conftest import DEMO_PASSWORDS

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def session_for(client: HubClient, username: str, password: str | None = None) -> Session:
    login = client.login(username, password or DEMO_PASSWORDS[username])
    tasks = TaskRunner()
    link = HubLink(client, tasks, retry_seconds=1)
    return Session(client, tasks, link, Messages(), login, demo=True)


def main_window_for(qtbot, client: HubClient, username: str) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(session_for(client, username))
    # Hub calls still running when the test ends finish before the client is closed, so no
    # connection is opened on a closed client (a ResourceWarning at garbage collection).
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.show()
    return window
