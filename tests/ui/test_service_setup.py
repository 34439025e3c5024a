"""The manager's service set-up dialog, filled in and saved against a real demo hub."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.ui.workspaces.service_setup import ServiceSetupDialog
from tests.ui.support import session_for


def test_changing_hours_and_windows_of_a_service(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "manager-pc")
    session = session_for(client, "manager")
    reference = client.reference()
    dialog = ServiceSetupDialog(
        session, client.services(), [w.number for w in reference.windows], client.list_staff()
    )
    qtbot.addWidget(dialog, before_close_func=lambda d: d.session.tasks.wait(5000))
    dialog.show()
    dialog.choice.setCurrentIndex(dialog.choice.findData("C"))
    assert dialog.name.text() == "咨询/投诉"
    assert dialog.code.isReadOnly()
    dialog.all_day.setChecked(False)
    dialog.opens.setTime(dialog.opens.time().fromString("09:00", "HH:mm"))
    dialog.closes.setTime(dialog.closes.time().fromString("16:00", "HH:mm"))
    dialog.window_boxes[4].setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.submit()
    saved = next(s for s in client.services() if s.code == "C")
    assert (saved.opens_at, saved.closes_at, saved.windows) == ("09:00", "16:00", [5])
    session.tasks.wait()
    client.close()


def test_a_refusal_is_shown_in_the_dialog(qtbot: QtBot, hub) -> None:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, "manager-pc")
    session = session_for(client, "manager")
    dialog = ServiceSetupDialog(session, client.services(), [1, 2], client.list_staff())
    qtbot.addWidget(dialog, before_close_func=lambda d: d.session.tasks.wait(5000))
    dialog.show()
    dialog.choice.setCurrentIndex(dialog.choice.findData("__new__"))
    dialog.code.setText("E")
    dialog.name.setText("验车")
    dialog.prefix.setText("A")  # taken by 出单/批改
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=5000)
    assert dialog.error.text() == session.messages.error_text(
        "queue.prefix_in_use", {"prefix": "A", "service": "A"}
    )
    assert dialog.isVisible()
    session.tasks.wait()
    client.close()
