"""The display board window against a real demo hub, with the silent voice (no sound card)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.devices.voice_clips import ClipLibrary, clip_folder
from counter_app.ui.display_board import DisplayBoard
from counter_app.ui.voice import Announcer, SilentBackend
from tests.ui.support import session_for


@pytest.fixture
def staff(hub) -> Iterator[tuple[HubClient, HubClient]]:  # type: ignore[no-untyped-def]
    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", "guide1234")
    manager = HubClient(hub.url, "window")
    manager.login("manager", "manager1234")
    yield guide, manager
    guide.close()
    manager.close()


@pytest.fixture
def board(qtbot: QtBot, hub) -> Iterator[tuple[DisplayBoard, SilentBackend]]:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "tv-pc")
    session = session_for(client, "guide")
    backend = SilentBackend(ClipLibrary.load(clip_folder()))
    announcer = Announcer(backend, repeat=1, repeat_gap_ms=0, between_ms=0)
    window = DisplayBoard(session, announcer)
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.resize(1280, 720)
    window.show()
    session.link.start_events()
    qtbot.waitUntil(lambda: window.service_names != {}, timeout=5000)
    yield window, backend
    session.link.shutdown()
    session.tasks.wait()
    client.close()


def spoken(backend: SilentBackend) -> list[str]:
    return [p.utterance.announcement.number for p in backend.played]


def test_calls_are_shown_and_spoken_in_call_order(
    qtbot: QtBot, board: tuple[DisplayBoard, SilentBackend], staff: tuple[HubClient, HubClient]
) -> None:
    window, backend = board
    guide, manager = staff
    numbers = [guide.issue_ticket("A").number for _ in range(3)]
    called = [manager.call_next(w) for w in (1, 2, 5)]
    assert [c.number for c in called if c] == [numbers[0], numbers[1]]
    qtbot.waitUntil(lambda: len(window.calls) == 2, timeout=5000)
    assert window.current_number.text() == numbers[1]
    assert "2" in window.current_window.text()
    qtbot.waitUntil(lambda: len(backend.played) == 2, timeout=20_000)
    assert spoken(backend) == numbers[:2]
    first, second = backend.played
    # The second starts only after the first has been spoken in full.
    assert first.finished is not None
    assert second.started >= first.finished
    assert not any(p.interrupted for p in backend.played)
    # Waiting counts follow the events: 3 issued, 2 called.
    qtbot.waitUntil(lambda: window.waiting.get("A") == 1, timeout=5000)
    assert "1" in window.waiting_labels["A"].text()


def test_a_reload_after_reconnect_does_not_speak_old_calls_again(
    qtbot: QtBot, board: tuple[DisplayBoard, SilentBackend], staff: tuple[HubClient, HubClient]
) -> None:
    window, backend = board
    guide, manager = staff
    guide.issue_ticket("B")
    manager.call_next(3)
    qtbot.waitUntil(lambda: len(backend.played) == 1, timeout=10_000)
    window.reload()
    window.reload()
    qtbot.wait(500)
    assert len(backend.played) == 1
    # A recall is a new call: shown and spoken again.
    manager.window_action(3, "recall")
    qtbot.waitUntil(lambda: len(backend.played) == 2, timeout=10_000)
    assert backend.played[1].utterance.announcement.recall


def test_a_call_missed_while_disconnected_is_caught_up(
    qtbot: QtBot, board: tuple[DisplayBoard, SilentBackend], staff: tuple[HubClient, HubClient]
) -> None:
    window, backend = board
    guide, manager = staff
    window.session.link.stop_events()  # the board's link is down
    ticket = guide.issue_ticket("C")
    manager.call_next(4)
    qtbot.wait(300)
    assert window.calls == []
    window._link_changed(True)  # the link is back: the board reloads the snapshot
    qtbot.waitUntil(lambda: len(window.calls) == 1, timeout=5000)
    assert window.calls[0].number == ticket.number
    qtbot.waitUntil(lambda: spoken(backend) == [ticket.number], timeout=10_000)
