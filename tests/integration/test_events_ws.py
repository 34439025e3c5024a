"""``/api/events`` over WebSocket: authentication, pushed events, resume by cursor, reconnects."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from counter_app.client.events import EventListener
from counter_app.client.hub_client import HubClient
from counter_app.config.settings import Settings
from counter_app.domain.roles import Role
from counter_app.hub.api import events as events_api
from counter_app.hub.schemas import EventOut
from counter_app.hub.server import HubOptions, HubServer
from tests.cli_runner import run_cli
from tests.conftest import DEMO_PASSWORDS

WAIT_S = 5.0


def ws_url(hub: HubServer) -> str:
    return hub.url.replace("http://", "ws://", 1) + "/api/events"


def wait_until(condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def admin(hub: HubServer) -> Iterator[HubClient]:
    client = HubClient(hub.url, "desk-1")
    client.login("admin", DEMO_PASSWORDS["admin"])
    yield client
    client.close()


@contextmanager
def open_stream(hub: HubServer, token: str, cursor: int = 0) -> Iterator[ClientConnection]:
    with connect(ws_url(hub), open_timeout=WAIT_S, close_timeout=2) as conn:
        conn.send(json.dumps({"type": "auth", "token": token, "cursor": cursor}))
        yield conn


def receive(conn: ClientConnection, timeout: float = WAIT_S) -> dict[str, Any]:
    message = json.loads(conn.recv(timeout=timeout))
    assert isinstance(message, dict)
    return message


def next_event(conn: ClientConnection, timeout: float = WAIT_S) -> dict[str, Any]:
    """The next event frame, skipping idle pings."""
    while True:
        message = receive(conn, timeout)
        if message["type"] != "ping":
            assert message["type"] == "event", message
            return message


def close_code(conn: ClientConnection) -> int | None:
    """Read until the hub closes the connection; return its close code."""
    with pytest.raises(ConnectionClosed) as info:
        drain(conn)
    assert info.value.rcvd is not None, "closed without a close frame"
    return info.value.rcvd.code


def drain(conn: ClientConnection) -> None:
    while True:
        conn.recv(timeout=WAIT_S)  # a TimeoutError here fails the test


# --- authentication ---


def test_no_auth_frame_is_closed_with_4401(hub: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_api, "AUTH_TIMEOUT_S", 0.3)  # instead of waiting 10 s
    with connect(ws_url(hub), open_timeout=WAIT_S, close_timeout=2) as conn:
        started = time.monotonic()
        assert close_code(conn) == 4401
        assert time.monotonic() - started < 3


MALFORMED_FIRST_FRAMES: list[str | bytes] = [
    '{"type": "hello", "token": "x"}',
    "not json at all",
    "[]",
    '{"type": "auth", "token": "x", "cursor": -1}',
    '{"type": "auth", "token": "x", "cursor": "abc"}',
    '{"type": "auth", "token": "x", "cursor": Infinity}',
    '{"type": "auth", "token": "x", "cursor": 99999999999999999999999}',
    "[" * 50_000 + "]" * 50_000,  # nested too deep for the JSON parser
    b'{"type": "auth", "token": "x"}',  # a binary frame, not text
]


def test_malformed_first_frame_is_closed_with_4401(hub: HubServer) -> None:
    for frame in MALFORMED_FIRST_FRAMES:
        with connect(ws_url(hub), open_timeout=WAIT_S, close_timeout=2, max_size=None) as conn:
            conn.send(frame)
            assert close_code(conn) == 4401, repr(frame)[:60]
    assert httpx.get(hub.url + "/api/health").status_code == 200


def test_bad_token_gets_an_error_then_4401(hub: HubServer) -> None:
    with open_stream(hub, "forged-token") as conn:
        assert receive(conn) == {"type": "error", "code": "auth.bad_credentials"}
        assert close_code(conn) == 4401


def test_logged_out_token_is_refused(hub: HubServer) -> None:
    client = HubClient(hub.url, "desk-2")
    try:
        token = client.login("clerk", DEMO_PASSWORDS["clerk"]).token
        client.logout()
    finally:
        client.close()
    with open_stream(hub, token) as conn:
        assert receive(conn)["code"] == "auth.bad_credentials"
        assert close_code(conn) == 4401


def test_token_revoked_while_connected_is_noticed_when_idle(
    hub: HubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events_api, "IDLE_PING_S", 0.2)  # instead of 20 s
    client = HubClient(hub.url, "desk-3")
    try:
        token = client.login("service", DEMO_PASSWORDS["service"]).token
        with open_stream(hub, token, cursor=10**9) as conn:
            assert receive(conn)["type"] == "welcome"
            assert receive(conn) == {"type": "ping"}  # idle, still logged in
            client.logout()
            message = receive(conn)
            while message["type"] == "ping":
                message = receive(conn)
            assert message == {"type": "error", "code": "auth.bad_credentials"}
            assert close_code(conn) == 4401
    finally:
        client.close()


# --- events ---


def test_welcome_then_a_staff_change_arrives(hub: HubServer, admin: HubClient) -> None:
    assert admin.token is not None
    newest = admin.events_since(0)[-1].seq
    with open_stream(hub, admin.token, cursor=newest) as conn:
        assert receive(conn) == {"type": "welcome", "cursor": newest}
        started = time.monotonic()
        admin.add_staff("wang.wu", "王五", [Role.CLERK], "a-long-password")
        event = next_event(conn)
        assert time.monotonic() - started < WAIT_S
        assert event["event"] == "staff.changed"
        assert event["payload"] == {"username": "wang.wu"}
        assert event["seq"] == newest + 1
        EventOut.model_validate(event)  # the shared wire format


def test_cursor_zero_replays_everything(hub: HubServer, admin: HubClient) -> None:
    assert admin.token is not None
    with open_stream(hub, admin.token, cursor=0) as conn:
        welcome = receive(conn)
        seqs = [next_event(conn)["seq"] for _ in range(welcome["cursor"])]
    assert seqs == list(range(1, welcome["cursor"] + 1))


def test_resume_from_cursor_gets_exactly_the_missed_events(
    hub: HubServer, admin: HubClient
) -> None:
    assert admin.token is not None
    with open_stream(hub, admin.token, cursor=10**9) as conn:
        cursor = receive(conn)["cursor"]
    # Three changes while disconnected.
    admin.set_staff_active("clerk", False)
    admin.set_staff_active("clerk", True)
    admin.set_staff_active("guide", False)
    with open_stream(hub, admin.token, cursor=cursor) as conn:
        assert receive(conn) == {"type": "welcome", "cursor": cursor + 3}
        missed = [next_event(conn) for _ in range(3)]
        assert [e["seq"] for e in missed] == [cursor + 1, cursor + 2, cursor + 3]
        assert [e["payload"]["username"] for e in missed] == ["clerk", "clerk", "guide"]
        # Nothing is sent twice and nothing else arrives.
        with pytest.raises(TimeoutError):
            next_event(conn, timeout=0.5)
        # A change made now still comes through on the resumed connection.
        admin.set_staff_active("guide", True)
        assert next_event(conn)["seq"] == cursor + 4


# --- the client's listener ---


class Recorder:
    def __init__(self) -> None:
        self.events: list[EventOut] = []
        self.links: list[bool] = []
        self._lock = threading.Lock()

    def on_event(self, event: EventOut) -> None:
        with self._lock:
            self.events.append(event)

    def on_link(self, up: bool) -> None:
        with self._lock:
            self.links.append(up)

    def seqs(self) -> list[int]:
        with self._lock:
            return [e.seq for e in self.events]

    def link(self) -> bool | None:
        with self._lock:
            return self.links[-1] if self.links else None


def test_listener_reconnects_after_a_hub_restart_and_catches_up(
    hub: HubServer, admin: HubClient
) -> None:
    assert admin.token is not None
    port = urlsplit(hub.url).port
    assert port
    start = admin.events_since(0)[-1].seq
    seen = Recorder()
    listener = EventListener(
        hub.url, admin.token, seen.on_event, seen.on_link, cursor=start, retry_seconds=0.2
    )
    listener.start()
    restarted: HubServer | None = None
    try:
        assert wait_until(lambda: seen.link() is True)
        admin.set_staff_active("clerk", False)
        assert wait_until(lambda: seen.seqs() == [start + 1])

        hub.stop()
        assert wait_until(lambda: seen.link() is False, timeout=10)
        # Changes made while the hub is down (from the hub's command line).
        for command in ("disable-staff", "enable-staff"):
            result = run_cli(
                "admin", command, "--basedir", str(hub.basedir.root), "--username", "guide"
            )
            assert result.code == 0, result.err

        restarted = HubServer(hub.basedir, Settings(None), HubOptions(port=port))
        assert restarted.start() == hub.url
        assert wait_until(lambda: seen.link() is True, timeout=10)
        # The two offline changes, then the restart itself.
        assert wait_until(lambda: len(seen.seqs()) >= 4)
        with httpx.Client(base_url=restarted.url) as http:
            http.post(
                "/api/staff/clerk/enable", headers={"Authorization": f"Bearer {admin.token}"}
            ).raise_for_status()
        assert wait_until(lambda: len(seen.seqs()) >= 5)
    finally:
        listener.stop()
        if restarted is not None:
            restarted.stop()
    events = seen.events
    assert [e.seq for e in events] == list(range(start + 1, start + 6))  # in order, none twice
    assert [(e.event, e.payload.get("username")) for e in events] == [
        ("staff.changed", "clerk"),
        ("staff.changed", "guide"),
        ("staff.changed", "guide"),
        ("hub.started", None),
        ("staff.changed", "clerk"),
    ]
    assert seen.links[:3] == [True, False, True]
    assert listener.cursor == start + 5


def test_listener_gives_up_on_a_refused_login(hub: HubServer) -> None:
    seen = Recorder()
    listener = EventListener(
        hub.url, "forged-token", seen.on_event, seen.on_link, retry_seconds=0.1
    )
    listener.start()
    try:
        assert wait_until(lambda: seen.link() is False)
        time.sleep(0.3)  # a few retry periods: it must not keep reconnecting
        assert seen.links == [False]
    finally:
        listener.stop()
    assert seen.events == []
