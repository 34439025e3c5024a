"""A window's calling console, driven by its keys against a real demo hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import CALL_NEXT_KEY, COUNTER_WINDOW, Settings
from counter_app.hub.schemas import TicketOut
from counter_app.ui.counter_panel import CounterPanel
from tests.ui.support import session_for


@pytest.fixture
def guide(hub) -> Iterator[HubClient]:
    client = HubClient(hub.url, "kiosk")
    client.login("guide", "guide1234")
    yield client
    client.close()


@pytest.fixture
def opened() -> Iterator[list[CounterPanel]]:
    panels: list[CounterPanel] = []
    yield panels
    for panel in panels:
        panel.session.tasks.wait()
        panel.session.link.shutdown()
        panel.session.client.close()


def make_panel(
    qtbot: QtBot, url: str, window: int, opened: list[CounterPanel], call_key: str = "F1"
) -> CounterPanel:
    settings = Settings(None)
    settings.set(COUNTER_WINDOW, window)
    settings.set(CALL_NEXT_KEY, call_key)
    client = HubClient(url, f"counter-{window}")
    session = session_for(client, "clerk")
    session.settings = settings
    panel = CounterPanel(session, frozenset({"A", "V"}))
    opened.append(panel)
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    panel.show_reference(client.reference())
    qtbot.waitUntil(lambda: panel.window_state is not None, timeout=5000)
    panel.activateWindow()
    panel.setFocus()
    return panel


def test_call_keys_walk_a_ticket_through_the_window(
    qtbot: QtBot, hub, guide: HubClient, opened: list[CounterPanel]
) -> None:
    first = guide.issue_ticket("A")
    second = guide.issue_ticket("A")
    panel = make_panel(qtbot, hub.url, 1, opened)
    finished: list[TicketOut] = []
    panel.ticket_finished.connect(finished.append)

    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)
    assert panel.current is not None
    assert panel.current.number == first.number
    assert panel.number_label.text() == first.number

    qtbot.keyClick(panel, Qt.Key.Key_F2)  # recall
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.call_count == 2, timeout=5000
    )

    qtbot.keyClick(panel, Qt.Key.Key_F3)  # start serving
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.state.value == "serving", timeout=5000
    )

    qtbot.keyClick(panel, Qt.Key.Key_F1)  # next customer: the first is finished
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == second.id, timeout=5000
    )
    assert [t.id for t in finished] == [first.id]
    assert guide.ticket(first.id).state.value == "done"

    qtbot.keyClick(panel, Qt.Key.Key_F6)  # no-show
    qtbot.waitUntil(lambda: panel.current is None and len(panel.no_shows) == 1, timeout=5000)
    assert guide.ticket(second.id).state.value == "no_show"
    panel.no_show_table.selectRow(0)
    qtbot.mouseClick(panel.reinstate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.no_shows == [], timeout=5000)
    assert guide.ticket(second.id).state.value == "waiting"

    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.waitUntil(
        lambda: panel.current is not None and panel.current.id == second.id, timeout=5000
    )
    qtbot.keyClick(panel, Qt.Key.Key_F4)  # finish
    qtbot.waitUntil(lambda: panel.current is None, timeout=5000)
    assert guide.ticket(second.id).state.value == "done"

    qtbot.keyClick(panel, Qt.Key.Key_F1)  # nobody left: a message, not an error
    qtbot.waitUntil(
        lambda: "No one" in panel.message.text() or "无人" in panel.message.text(), timeout=5000
    )
    assert panel.current is None


def test_the_call_key_is_a_setting(
    qtbot: QtBot, hub, guide: HubClient, opened: list[CounterPanel]
) -> None:
    ticket = guide.issue_ticket("A")
    panel = make_panel(qtbot, hub.url, 2, opened, call_key="F9")
    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.wait(300)
    assert panel.current is None
    qtbot.keyClick(panel, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)
    assert panel.current is not None
    assert panel.current.id == ticket.id
    assert "F9" in panel.call_button.text()


def test_pause_refuses_calls_with_a_message(
    qtbot: QtBot, hub, guide: HubClient, opened: list[CounterPanel]
) -> None:
    guide.issue_ticket("A")
    panel = make_panel(qtbot, hub.url, 1, opened)
    qtbot.keyClick(panel, Qt.Key.Key_F8)  # pause
    qtbot.waitUntil(
        lambda: panel.window_state is not None and panel.window_state.status == "paused",
        timeout=5000,
    )
    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=5000)
    assert panel.message.text() == panel.session.messages.error_text(
        "queue.window_paused", {"window": 1}
    )
    assert panel.current is None
    qtbot.keyClick(panel, Qt.Key.Key_F8)  # resume
    qtbot.waitUntil(
        lambda: panel.window_state is not None and panel.window_state.status == "open",
        timeout=5000,
    )
    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)


def test_transfer_to_another_service_keeps_the_place(
    qtbot: QtBot,
    hub,
    guide: HubClient,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[CounterPanel],
) -> None:
    from counter_app.ui import counter_panel

    early = guide.issue_ticket("A")
    later_b = guide.issue_ticket("B")
    panel = make_panel(qtbot, hub.url, 1, opened)
    qtbot.keyClick(panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)

    def choose_b(dialog: counter_panel.TransferDialog) -> int:
        dialog.service_box.setCurrentIndex(dialog.service_box.findData("B"))
        return counter_panel.QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(counter_panel.TransferDialog, "exec", choose_b)
    qtbot.keyClick(panel, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: panel.current is None, timeout=5000)
    moved = guide.ticket(early.id)
    assert moved.service == "B"
    assert moved.state.value == "transferred"
    # Window 3 serves B: the transferred ticket, issued first, is called before B001.
    collector = HubClient(hub.url, "w3")
    collector.login("collector", "collector1234")
    called = collector.call_next(3)
    collector.close()
    assert called is not None
    assert called.id == early.id
    assert later_b.number == "B001"
    panel.session.tasks.wait()
