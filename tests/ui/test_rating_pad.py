"""The rating pad, answered by keys as a customer would touch it, against a real demo hub."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import RATING_SECONDS, Settings
from counter_app.hub.schemas import TicketOut
from counter_app.storage.models import Rating
from counter_app.ui.rating_pad import RatingPad
from tests.ui.support import session_for


@pytest.fixture
def pad(qtbot: QtBot, hub) -> Iterator[RatingPad]:  # type: ignore[no-untyped-def]
    settings = Settings(None)
    settings.set(RATING_SECONDS, 5)
    client = HubClient(hub.url, "window-1")
    session = session_for(client, "clerk")
    session.settings = settings
    widget = RatingPad(session)
    qtbot.addWidget(widget, before_close_func=lambda w: w.session.tasks.wait(5000))
    widget.resize(800, 480)
    widget.show()
    widget.activateWindow()
    yield widget
    session.tasks.wait()
    client.close()


def finished_ticket(hub) -> TicketOut:  # type: ignore[no-untyped-def]
    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", "guide1234")
    guide.issue_ticket("A")
    guide.close()
    clerk = HubClient(hub.url, "window-1")
    clerk.login("clerk", "clerk1234")
    assert clerk.call_next(1) is not None
    done = clerk.window_action(1, "finish")
    clerk.close()
    return done


def ratings(hub) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with hub.context.store.read() as session:
        return [(r.score, r.reason) for r in session.scalars(select(Rating))]


def test_the_customer_rates_with_one_key(qtbot: QtBot, pad: RatingPad, hub) -> None:  # type: ignore[no-untyped-def]
    ticket = finished_ticket(hub)
    with qtbot.waitSignal(pad.rated, timeout=5000) as signal:
        pad.ask(ticket)
        assert ticket.number in pad.question.text()
        qtbot.keyClick(pad, Qt.Key.Key_2)
    assert signal.args == [str(ticket.id), "satisfied"]
    qtbot.waitUntil(lambda: ratings(hub) == [("satisfied", "")], timeout=5000)
    assert pad.pages.currentIndex() == 0  # back to the welcome


def test_dissatisfied_asks_why(qtbot: QtBot, pad: RatingPad, hub) -> None:  # type: ignore[no-untyped-def]
    ticket = finished_ticket(hub)
    pad.ask(ticket)
    qtbot.keyClick(pad, Qt.Key.Key_4)
    assert pad.pages.currentIndex() == 2
    qtbot.mouseClick(pad.reason_buttons["waiting"], Qt.MouseButton.LeftButton)
    qtbot.keyClick(pad, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ratings(hub) == [("dissatisfied", "waiting")], timeout=5000)


def test_no_answer_is_recorded_as_none_not_satisfied(qtbot: QtBot, pad: RatingPad, hub) -> None:  # type: ignore[no-untyped-def]
    ticket = finished_ticket(hub)
    with qtbot.waitSignal(pad.rated, timeout=8000) as signal:
        pad.ask(ticket)
    assert signal.args == [str(ticket.id), "none"]
    qtbot.waitUntil(lambda: ratings(hub) == [("none", "")], timeout=5000)
    snapshot = pad.session.client.queue()
    assert snapshot.satisfaction is None  # "none" is no rating at all


def test_dissatisfied_without_reasons_is_still_dissatisfied(
    qtbot: QtBot,
    pad: RatingPad,
    hub,  # type: ignore[no-untyped-def]
) -> None:
    ticket = finished_ticket(hub)
    pad.ask(ticket)
    qtbot.keyClick(pad, Qt.Key.Key_4)
    # The customer walks away on the reasons page: the countdown ends, the answer stands.
    with qtbot.waitSignal(pad.rated, timeout=8000) as signal:
        pass
    assert signal.args == [str(ticket.id), "dissatisfied"]
    assert ratings(hub) == [("dissatisfied", "")]


def test_a_rating_waits_for_the_hub_and_is_not_lost(
    qtbot: QtBot,
    pad: RatingPad,
    hub,  # type: ignore[no-untyped-def]
) -> None:
    ticket = finished_ticket(hub)
    port = int(hub.url.rsplit(":", 1)[1])
    hub.stop()
    pad.ask(ticket)
    qtbot.keyClick(pad, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: pad.status.text() != "", timeout=10_000)
    assert pad.pending() == 1
    from counter_app.hub.server import HubOptions, HubServer

    again = HubServer(hub.basedir, hub.settings, HubOptions(host="127.0.0.1", port=port))
    again.start()
    try:
        with qtbot.waitSignal(pad.rated, timeout=10_000) as signal:
            pad.session.link.report_ok()  # the link is back (the banner's probe would say so)
            pad._link_changed(True)
        assert signal.args == [str(ticket.id), "very_satisfied"]
        assert pad.pending() == 0
        with again.context.store.read() as session:  # type: ignore[union-attr]
            assert [r.score for r in session.scalars(select(Rating))] == ["very_satisfied"]
    finally:
        again.stop()
