"""A centre manager sets up service types: numbering, hours, windows, staff; checked and audited."""

from __future__ import annotations

import pytest

from counter_app.client.hub_client import HubClient, HubError
from counter_app.hub.schemas import ServiceSetupIn

pytestmark = pytest.mark.usefixtures("fast_hashing")


def login(hub, username: str, password: str) -> HubClient:  # type: ignore[no-untyped-def]
    client = HubClient(hub.url, f"ws-{username}")
    client.login(username, password)
    return client


def test_a_new_service_takes_tickets_at_its_windows(hub) -> None:  # type: ignore[no-untyped-def]
    manager = login(hub, "manager", "manager1234")
    setup = ServiceSetupIn(
        name="验车",
        prefix="E",
        digits=2,
        opens_at="00:00",
        closes_at="24:00",
        windows=[5],
        staff=["channel"],
    )
    saved = manager.set_service("E", setup)
    assert (saved.code, saved.prefix, saved.windows, saved.staff) == ("E", "E", [5], ["channel"])
    assert [s.code for s in manager.services()][-1] == "E"
    guide = login(hub, "guide", "guide1234")
    ticket = guide.issue_ticket("E")
    assert ticket.number == "E01"
    clerk = login(hub, "clerk", "clerk1234")
    # Window 5 serves E, but only for the channel post's staff member: the clerk sees no one.
    assert clerk.call_next(5) is None
    clerk.set_window(5, "close")
    channel = login(hub, "channel", "channel1234")
    called = channel.call_next(5)
    assert called is not None
    assert called.id == ticket.id
    audit = [e for e in manager.audit() if e.action == "queue.service_set"]
    assert [e.subject for e in audit] == ["E"]
    for client in (manager, guide, clerk, channel):
        client.close()


def test_bad_setups_are_refused_and_change_nothing(hub) -> None:  # type: ignore[no-untyped-def]
    manager = login(hub, "manager", "manager1234")
    before = manager.services()
    bad = [
        ("A", ServiceSetupIn(name="x", prefix="B")),  # B's prefix
        ("A", ServiceSetupIn(name="x", prefix="A", opens_at="18:00", closes_at="09:00")),
        ("A", ServiceSetupIn(name="x", prefix="A", opens_at="25:00")),
        ("A", ServiceSetupIn(name="x", prefix="A", windows=[99])),
        ("A", ServiceSetupIn(name="x", prefix="A", staff=["nobody"])),
        ("a-b", ServiceSetupIn(name="x", prefix="Q")),
    ]
    codes = []
    for code, setup in bad:
        with pytest.raises(HubError) as refused:
            manager.set_service(code, setup)
        codes.append(refused.value.code)
    assert codes == [
        "queue.prefix_in_use",
        "invalid_input",
        "invalid_input",
        "queue.unknown_window",
        "invalid_input",
        "invalid_input",
    ]
    assert manager.services() == before
    clerk = login(hub, "clerk", "clerk1234")
    with pytest.raises(HubError) as forbidden:
        clerk.set_service("A", ServiceSetupIn(name="x", prefix="A"))
    assert forbidden.value.code == "auth.forbidden"
    manager.close()
    clerk.close()
