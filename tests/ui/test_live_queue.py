"""The live queue view follows the hub: counts, windows and clerks after real issuing and calls."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.ui.live_queue import LiveQueueView
from tests.ui.support import session_for


def test_live_queue_matches_the_hub(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "manager-pc")
    session = session_for(client, "manager")
    view = LiveQueueView(session)
    qtbot.addWidget(view, before_close_func=lambda w: w.session.tasks.wait(5000))
    view.resize(1000, 700)
    view.show()
    session.link.event_received.connect(view.handle_event)
    session.link.start_events()
    qtbot.waitUntil(lambda: view.services.rowCount() == 5, timeout=5000)
    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", "guide1234")
    for _ in range(3):
        guide.issue_ticket("B")
    clerk = HubClient(hub.url, "w3")
    clerk.login("collector", "collector1234")
    clerk.call_next(3)
    clerk.window_action(3, "finish")

    def row_of(code: str) -> int:
        return next(
            r
            for r in range(view.services.rowCount())
            if view.services.item(r, 0).text().startswith(code + " ")
        )

    qtbot.waitUntil(lambda: view.services.item(row_of("B"), 1).text() == "2", timeout=5000)
    qtbot.waitUntil(lambda: view.clerks.rowCount() == 1, timeout=5000)
    assert view.clerks.item(0, 1).text() == "1"
    assert view.clerks.item(0, 0).text() == "王芳"
    window3 = next(
        r for r in range(view.windows.rowCount()) if view.windows.item(r, 0).text() == "3号窗口"
    )
    assert view.windows.item(window3, 2).text() == "王芳"
    assert view.totals.text() == view.tr("Today %1: issued %2, served %3, satisfied %4").replace(
        "%1", view.snapshot.business_day if view.snapshot else ""
    ).replace("%2", "3").replace("%3", "1").replace("%4", "—")
    session.link.shutdown()
    guide.close()
    clerk.close()
    session.tasks.wait()
    client.close()
