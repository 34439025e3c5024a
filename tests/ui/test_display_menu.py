"""The Display menu opens the board and the rating pad, wired to this counter's work."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import BOARD_VOICE, COUNTER_WINDOW, Settings
from counter_app.ui.board import BoardWindow
from counter_app.ui.main_window import MainWindow
from counter_app.ui.rating_pad import RatingPad
from tests.ui.support import session_for


def test_a_finished_ticket_is_put_to_the_rating_pad(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(None)
    settings.set(COUNTER_WINDOW, 1)
    client = HubClient(hub.url, "window-1")
    session = session_for(client, "clerk")
    session.settings = settings
    window = MainWindow(session)
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.show()
    assert window.rating_action.isVisible()
    window.rating_action.trigger()
    pad = window.rating_pad
    assert isinstance(pad, RatingPad)
    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", "guide1234")
    ticket = guide.issue_ticket("A")
    guide.close()
    panel = window.counter_panels()[0]
    qtbot.waitUntil(lambda: panel.window_state is not None, timeout=5000)
    panel.call_next()
    qtbot.waitUntil(lambda: panel.current is not None, timeout=5000)
    panel.act("finish")
    qtbot.waitUntil(lambda: pad.ticket is not None, timeout=5000)
    assert pad.ticket is not None
    assert pad.ticket.id == ticket.id
    pad.close()
    window.close()
    session.tasks.wait()
    client.close()


def test_the_board_opens_from_the_menu(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "tv-pc")
    session = session_for(client, "guide")
    # No sound card here: probing one makes Qt Multimedia warn, which fails a test.
    session.settings.set(BOARD_VOICE, "off")
    window = MainWindow(session)
    qtbot.addWidget(window, before_close_func=lambda w: w.session.tasks.wait(5000))
    window.show()
    assert not window.rating_action.isVisible()  # a guide has no window to rate
    window.board_action.trigger()
    board = window.board
    assert isinstance(board, BoardWindow)
    qtbot.waitUntil(lambda: bool(board.branch_name), timeout=5000)
    board.close()
    qtbot.waitUntil(lambda: window.board is None, timeout=5000)
    window.close()
    session.tasks.wait()
    client.close()
