"""``BoardWindow`` against a real demo hub, with the silent voice taking short clips' real time."""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.devices.voice_clips import SAMPLE_RATE, ClipLibrary
from counter_app.domain.announcement import VOICE_CLIPS
from counter_app.ui import board as board_module
from counter_app.ui.board import BoardWindow
from counter_app.ui.voice import Announcer, SilentBackend
from tests.conftest import DEMO_PASSWORDS
from tests.ui.support import session_for

CLIP_MS = 10


def short_library() -> ClipLibrary:
    n = SAMPLE_RATE * CLIP_MS // 1000
    tone = array(
        "h", (round(3000 * math.sin(2 * math.pi * 440 * i / SAMPLE_RATE)) for i in range(n))
    )
    return ClipLibrary({name: tone for name in VOICE_CLIPS})


@dataclass
class Board:
    window: BoardWindow
    backend: SilentBackend
    guide: HubClient  # issues tickets
    manager: HubClient  # calls them at any window

    def spoken(self) -> list[tuple[str, int, bool]]:
        return [
            (a.number, a.window, a.recall)
            for a in (p.utterance.announcement for p in self.backend.played)
        ]


@pytest.fixture
def board(qtbot: QtBot, hub) -> Iterator[Board]:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "tv-pc")
    session = session_for(client, "guide")
    backend = SilentBackend(short_library(), gap_ms=0)
    announcer = Announcer(backend, repeat=1, repeat_gap_ms=0, between_ms=0)
    window = BoardWindow(session, announcer)
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.resize(1280, 720)
    window.show()
    session.link.start_events()
    qtbot.waitUntil(lambda: len(window.tiles) == 5 and window.branch_name != "", timeout=5000)
    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", DEMO_PASSWORDS["guide"])
    manager = HubClient(hub.url, "window")
    manager.login("manager", DEMO_PASSWORDS["manager"])
    yield Board(window, backend, guide, manager)
    session.link.shutdown()
    session.tasks.wait()
    for c in (client, guide, manager):
        c.close()


def test_a_call_is_shown_big_and_announced(qtbot: QtBot, board: Board) -> None:
    window = board.window
    assert window.branch_label.text() == "演示分公司客服中心"
    assert window.current_number.text() == ""
    ticket = board.guide.issue_ticket("B")
    qtbot.waitUntil(lambda: window.waiting.get("B") == 1, timeout=5000)
    assert "1" in window.tiles[1].count.text()
    called = board.manager.call_next(3)
    assert called is not None
    assert called.number == ticket.number
    qtbot.waitUntil(lambda: board.spoken() == [(ticket.number, 3, False)], timeout=5000)
    assert window.current_number.text() == ticket.number
    assert window.current_window.text() == "Window 3"
    assert window.current_sentence.text() == f"请{ticket.number}号到3号窗口办理"
    assert window.recent_rows[0][1].text() == ticket.number
    assert window.waiting.get("B") == 0, "the call event's waiting map updates the counts"
    # A recall is a new call: spoken again, as a recall.
    board.manager.window_action(3, "recall")
    qtbot.waitUntil(lambda: len(board.spoken()) == 2, timeout=5000)
    assert board.spoken()[1] == (ticket.number, 3, True)
    assert window.current_caption.text() == "Calling again"
    assert [c.number for c in window.calls] == [ticket.number], "one row per ticket"


def test_three_quick_calls_are_announced_in_call_order(qtbot: QtBot, board: Board) -> None:
    numbers = [board.guide.issue_ticket("A").number for _ in range(2)]
    numbers.append(board.guide.issue_ticket("C").number)
    order = []
    for window_number in (1, 2, 5):
        called = board.manager.call_next(window_number)
        assert called is not None
        order.append((called.number, window_number, False))
    assert sorted(n for n, _, _ in order) == sorted(numbers)
    qtbot.waitUntil(lambda: len(board.spoken()) == 3, timeout=10_000)
    assert board.spoken() == order
    # Each was spoken in full before the next began.
    played = board.backend.played
    for earlier, later in itertools.pairwise(played):
        assert earlier.finished is not None
        assert earlier.finished <= later.started
    assert [c.number for c in board.window.calls] == [n for n, _, _ in reversed(order)]


def test_reload_after_reconnect_catches_up_without_repeating(qtbot: QtBot, board: Board) -> None:
    window, link = board.window, board.window.session.link
    first = board.guide.issue_ticket("A")
    assert board.manager.call_next(1) is not None
    qtbot.waitUntil(lambda: len(board.spoken()) == 1, timeout=5000)
    # The event link drops; a call is made meanwhile; the link comes back.
    link.stop_events()
    missed = board.guide.issue_ticket("A")
    assert board.manager.call_next(2) is not None
    link.link_changed.emit(False)
    link.link_changed.emit(True)
    qtbot.waitUntil(lambda: len(board.spoken()) == 2, timeout=5000)
    assert board.spoken() == [(first.number, 1, False), (missed.number, 2, False)]
    # The replayed events and further reloads announce nothing again.
    link.start_events()
    link.link_changed.emit(False)
    link.link_changed.emit(True)
    qtbot.wait(800)
    assert len(board.spoken()) == 2
    assert [c.number for c in window.calls] == [missed.number, first.number]


def test_an_old_missed_call_is_shown_not_spoken(
    qtbot: QtBot, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = board.window.session.link
    link.stop_events()
    ticket = board.guide.issue_ticket("A")
    assert board.manager.call_next(1) is not None
    monkeypatch.setattr(board_module, "STALE_SECONDS", -60)  # every missed call is "old"
    link.link_changed.emit(False)
    link.link_changed.emit(True)
    qtbot.waitUntil(lambda: board.window.current_number.text() == ticket.number, timeout=5000)
    qtbot.wait(300)
    assert board.spoken() == []


def test_history_at_start_is_shown_not_spoken(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    manager = HubClient(hub.url, "window")
    manager.login("manager", DEMO_PASSWORDS["manager"])
    ticket = manager.issue_ticket("A")
    assert manager.call_next(1) is not None
    client = HubClient(hub.url, "tv-pc")
    session = session_for(client, "guide")
    backend = SilentBackend(short_library(), gap_ms=0)
    window = BoardWindow(session, Announcer(backend, repeat=1, between_ms=0))
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.show()
    session.link.start_events()  # replays the whole event history
    qtbot.waitUntil(lambda: window.current_number.text() == ticket.number, timeout=5000)
    qtbot.wait(500)
    assert backend.played == []
    session.link.shutdown()
    session.tasks.wait()
    client.close()
    manager.close()


def test_full_screen_on_a_missing_screen_falls_back_and_esc_closes(
    qtbot: QtBot, board: Board
) -> None:
    from PySide6.QtGui import QGuiApplication

    screen = board.window.show_on_screen(7)
    assert screen is QGuiApplication.primaryScreen()
    assert board.window.isFullScreen()
    assert board.window.show_on_screen(-1) is QGuiApplication.screens()[-1]
    qtbot.keyClick(board.window, Qt.Key.Key_Escape)
    assert not board.window.isVisible()
