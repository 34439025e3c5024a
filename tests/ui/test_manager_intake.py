"""The manager sees incomplete claim files and the collectors' day from the manager's tabs."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.hub.schemas import IntakeOpenIn
from counter_app.ui.workspaces.manager import ManagerWorkspace
from tests.ui.support import session_for


def test_incomplete_files_and_productivity(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    collector = HubClient(hub.url, "cs-3")
    collector.login("collector", "collector1234")
    collector.open_intake(IntakeOpenIn(claim_number="CLM2026000901", claim_type="theft"))
    collector.close()
    session = session_for(HubClient(hub.url, "manager-pc"), "manager")
    workspace = ManagerWorkspace(session)
    qtbot.addWidget(workspace, before_close_func=lambda w: w.session.tasks.wait(5000))
    workspace.resize(1024, 680)
    workspace.show()
    assert workspace.tabs.tabText(2) == "Incomplete claim files"
    workspace.tabs.setCurrentWidget(workspace.claim_files)
    workspace.claim_files.reload()
    qtbot.waitUntil(lambda: len(workspace.claim_files.files) == 1, timeout=5000)
    assert workspace.claim_files.files[0].claim_number == "CLM2026000901"
    assert workspace.claim_files.files[0].submitter_phone == ""  # none given; masked anyway
    workspace.tabs.setCurrentWidget(workspace.productivity)
    workspace.productivity.reload()
    table = workspace.productivity.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    assert table.item(0, 0).text() == "collector"
    assert table.item(0, 1).text() == "1"
