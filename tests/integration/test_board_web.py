"""The web board on a real demo hub: display keys, the snapshot, the spoken call, the events.

The page itself is driven in a browser by ``tests/e2e/test_board_browser.py``.
"""

from __future__ import annotations

import fnmatch
import io
import json
import tomllib
import uuid
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from counter_app.client.hub_client import HubClient, HubError
from counter_app.devices.voice_clips import ClipLibrary, clip_folder
from counter_app.domain.announcement import Announcement, call_clips
from counter_app.hub.api import board as board_api
from counter_app.hub.api import events as events_api
from counter_app.hub.schemas import BoardSnapshotOut, EventOut
from counter_app.hub.server import HubServer
from tests.conftest import DEMO_PASSWORDS
from tests.integration.test_events_ws import close_code, receive, ws_url

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 5.0


def login(hub: HubServer, username: str) -> HubClient:
    client = HubClient(hub.url, f"{username}-desk")
    client.login(username, DEMO_PASSWORDS[username])
    return client


@pytest.fixture
def guide(hub: HubServer) -> Iterator[HubClient]:
    client = login(hub, "guide")
    yield client
    client.close()


@pytest.fixture
def clerk(hub: HubServer) -> Iterator[HubClient]:
    client = login(hub, "clerk")
    yield client
    client.close()


@pytest.fixture
def board_key(guide: HubClient) -> str:
    return guide.create_board_key("大厅电视").key


def as_board(key: str) -> dict[str, str]:
    return {"X-Board-Key": key}


# --- keys ---


def test_a_key_is_made_listed_without_its_secret_and_revoked(
    hub: HubServer, guide: HubClient, http: httpx.Client
) -> None:
    created = guide.create_board_key("  大厅 电视  ")
    assert created.label == "大厅 电视"
    assert created.created_by == "guide"
    assert created.revoked_at is None
    assert len(created.key) >= 40
    assert created.url_path == f"/board?key={created.key}"

    assert http.get("/api/board/snapshot", headers=as_board(created.key)).status_code == 200
    assert http.get("/api/board/snapshot", params={"key": created.key}).status_code == 200

    listed = http.get("/api/board/keys", headers={"Authorization": f"Bearer {guide.token}"})
    assert listed.status_code == 200
    assert created.key not in listed.text  # neither the key nor anything derived from it
    assert [k["id"] for k in listed.json()] == [str(created.id)]
    assert set(listed.json()[0]) == {"id", "label", "created_at", "created_by", "revoked_at"}

    revoked = guide.revoke_board_key(created.id)
    assert revoked.revoked_at is not None
    assert guide.board_keys()[0].revoked_at is not None
    refused = http.get("/api/board/snapshot", headers=as_board(created.key))
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.required"
    # Revoking twice is harmless; an unknown key id is a 404 with a code.
    assert guide.revoke_board_key(created.id).revoked_at == revoked.revoked_at
    with pytest.raises(HubError) as info:
        guide.revoke_board_key(uuid.uuid4())
    assert info.value.code == "board.key_unknown"
    assert info.value.status == 404

    admin = login(hub, "admin")
    try:
        actions = [(e.action, e.subject) for e in admin.audit()]
    finally:
        admin.close()
    assert ("display.key_create", "大厅 电视") in actions
    assert ("display.key_revoke", "大厅 电视") in actions
    assert actions.count(("display.key_revoke", "大厅 电视")) == 1


def test_only_the_posts_that_set_up_screens_make_keys(hub: HubServer) -> None:
    clerk = login(hub, "clerk")
    try:
        with pytest.raises(HubError) as info:
            clerk.create_board_key("x")
        assert info.value.code == "auth.forbidden"
        with pytest.raises(HubError):
            clerk.board_keys()
    finally:
        clerk.close()
    for username in ("manager", "admin"):
        client = login(hub, username)
        try:
            assert client.create_board_key(f"screen of {username}").key
        finally:
            client.close()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Board-Key": "wrong-key"},
        {"X-Board-Key": ""},
        {"Authorization": "Bearer forged-token"},
    ],
    ids=["nothing", "wrong key", "empty key", "forged token"],
)
def test_without_a_valid_key_or_login_the_board_is_closed(
    http: httpx.Client, board_key: str, headers: dict[str, str]
) -> None:
    for path, params in (
        ("/api/board/snapshot", {}),
        ("/api/board/announcement.wav", {"number": "A023", "window": "3"}),
    ):
        response = http.get(path, headers=headers, params=params)
        assert response.status_code == 401, (path, headers, response.text)
        assert response.json()["code"] in {"auth.required", "auth.bad_credentials"}


def test_a_board_key_opens_nothing_but_the_board(http: httpx.Client, board_key: str) -> None:
    for method, path in (
        ("GET", "/api/queue"),
        ("GET", "/api/events"),
        ("GET", "/api/board/keys"),
        ("POST", "/api/board/keys"),
        ("GET", "/api/auth/me"),
    ):
        for headers in (as_board(board_key), {"Authorization": f"Bearer {board_key}"}):
            response = http.request(method, path, headers=headers, json={"label": "x"})
            assert response.status_code == 401, (method, path, response.text)


# --- what the board reads ---


def test_snapshot_shows_calls_waiting_counts_and_windows(
    hub: HubServer, guide: HubClient, clerk: HubClient, http: httpx.Client, board_key: str
) -> None:
    tickets = [guide.issue_ticket("A") for _ in range(3)]
    guide.issue_ticket("B")
    called = clerk.call_next(1)
    assert called is not None
    assert called.number == tickets[0].number
    newest = clerk.events_since(0)[-1].seq

    response = http.get("/api/board/snapshot", headers=as_board(board_key))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    snap = BoardSnapshotOut.model_validate(response.json())
    assert snap.branch_name == "演示分公司客服中心"
    assert snap.demo is True
    assert snap.cursor == newest
    assert snap.utc_offset_minutes == 480  # the demo branch's default zone, Asia/Shanghai
    assert [(c.number, c.window, c.call_count) for c in snap.recent_calls] == [
        (called.number, 1, 1)
    ]
    waiting = {s.code: s.waiting for s in snap.services}
    assert waiting["A"] == 2
    assert waiting["B"] == 1
    assert {w.number: w.status for w in snap.windows}[1] == "open"
    assert {w.number: w.status for w in snap.windows}[3] == "closed"
    # No staff names or usernames on a public screen.
    assert "clerk" not in response.text

    # Any staff login reads the same board.
    staff = http.get("/api/board/snapshot", headers={"Authorization": f"Bearer {clerk.token}"})
    assert staff.status_code == 200
    assert staff.json()["recent_calls"] == response.json()["recent_calls"]


def wav_of(response: httpx.Response) -> tuple[int, float]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content), "rb") as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        return wav.getnframes(), wav.getnframes() / wav.getframerate()


def test_the_call_is_spoken_from_the_clips(http: httpx.Client, board_key: str) -> None:
    library = ClipLibrary.load(clip_folder())
    call = Announcement("A023", 3, "")
    url = "/api/board/announcement.wav"

    frames, seconds = wav_of(
        http.get(url, params={"number": "A023", "window": 3, "key": board_key})
    )
    assert seconds > 1.0
    assert frames == library.frames(call_clips(call))

    plain = http.get(
        url, params={"number": "A023", "window": 3, "chime": 0}, headers=as_board(board_key)
    )
    assert wav_of(plain)[0] == library.frames(call_clips(call, chime=False))
    assert wav_of(plain)[0] < frames  # the repetition goes without the chime

    recall = http.get(url, params={"number": "a023", "window": 12, "recall": 1, "key": board_key})
    assert wav_of(recall)[0] == library.frames(call_clips(Announcement("A023", 12, "", True)))


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"number": "A-23", "window": "3"}, "board.announcement_invalid"),
        ({"number": "A０23", "window": "3"}, "board.announcement_invalid"),
        ({"number": "A023", "window": "0"}, "invalid_input"),
        ({"number": "A023", "window": "1000"}, "invalid_input"),
        ({"number": "", "window": "3"}, "invalid_input"),
        ({"number": "A" * 13, "window": "3"}, "invalid_input"),
        ({"window": "3"}, "invalid_input"),
    ],
)
def test_a_call_the_clips_cannot_say_is_refused_with_a_code(
    http: httpx.Client, board_key: str, params: dict[str, str], code: str
) -> None:
    response = http.get("/api/board/announcement.wav", params=params, headers=as_board(board_key))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


# --- the page ---


def test_the_page_is_served_without_a_login_and_loads_nothing_from_outside(
    http: httpx.Client,
) -> None:
    response = http.get("/board")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["referrer-policy"] == "no-referrer"
    page = response.text
    assert "window.boardState" in page
    assert "连接中断，正在重连…" in page
    assert "WenQuanYi Micro Hei" in page
    for outside in ("http://", "https://", "//cdn", "@import", "@font-face"):
        assert outside not in page, outside


def test_the_page_travels_as_package_data() -> None:
    """An installed package finds the page where the hub looks for it."""
    assert board_api.PAGE.is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["counter_app.hub"]
    relative = board_api.PAGE.relative_to(ROOT / "counter_app" / "hub").as_posix()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in package_data)
    spec = (ROOT / "installer" / "counter-app.spec").read_text(encoding="utf-8")
    assert '"counter_app/hub/web"' in spec


# --- events ---


@contextmanager
def open_board_stream(hub: HubServer, key: str, cursor: int) -> Iterator[ClientConnection]:
    with connect(ws_url(hub), open_timeout=WAIT_S, close_timeout=2) as conn:
        conn.send(json.dumps({"type": "auth", "board_key": key, "cursor": cursor}))
        yield conn


def test_a_board_key_stream_gets_only_queue_events(
    hub: HubServer, guide: HubClient, clerk: HubClient, board_key: str
) -> None:
    admin = login(hub, "admin")
    try:
        cursor = admin.events_since(0)[-1].seq
        with open_board_stream(hub, board_key, cursor) as conn:
            assert receive(conn) == {"type": "welcome", "cursor": cursor}
            admin.set_staff_active("channel", False)  # staff.changed: not for a screen
            ticket = guide.issue_ticket("A")
            called = clerk.call_next(1)
            assert called is not None
            staff_events = [e for e in admin.events_since(cursor) if e.event == "staff.changed"]
            assert staff_events, "the staff change did happen"

            seen: list[dict[str, Any]] = []
            while not any(e["event"] == "queue.ticket_called" for e in seen):
                message = receive(conn)
                if message["type"] == "event":
                    EventOut.model_validate(message)
                    seen.append(message)
    finally:
        admin.close()
    assert all(e["event"].startswith("queue.") for e in seen), [e["event"] for e in seen]
    assert seen[0]["event"] == "queue.ticket_issued"
    assert seen[0]["payload"]["ticket"]["number"] == ticket.number
    call = seen[-1]["payload"]
    assert call["action"] == "call"
    assert call["window"] == 1
    assert call["ticket"]["number"] == called.number
    assert call["ticket"]["call_count"] == 1
    assert call["waiting"].get("A", 0) == 0  # a service nobody waits for is left out
    # The staff change was in the stream's range, and the screen did not get it.
    staff_seqs = {e.seq for e in staff_events}
    assert min(staff_seqs) > cursor
    assert staff_seqs.isdisjoint(e["seq"] for e in seen)


def test_a_wrong_or_revoked_board_key_stream_is_closed(
    hub: HubServer, guide: HubClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("wrong-key", "", "x" * 500):
        with open_board_stream(hub, key, 0) as conn:
            assert receive(conn) == {"type": "error", "code": "auth.required"}
            assert close_code(conn) == 4401

    monkeypatch.setattr(events_api, "IDLE_PING_S", 0.2)  # instead of 20 s
    created = guide.create_board_key("revoked while watching")
    with open_board_stream(hub, created.key, 10**9) as conn:
        assert receive(conn)["type"] == "welcome"
        assert receive(conn) == {"type": "ping"}
        guide.revoke_board_key(created.id)
        message = receive(conn)
        while message["type"] == "ping":
            message = receive(conn)
        assert message == {"type": "error", "code": "auth.required"}
        assert close_code(conn) == 4401


def test_the_board_routes_document_their_roles_and_the_key(http: httpx.Client) -> None:
    paths = http.get("/api/openapi.json").json()["paths"]
    assert sorted(paths["/api/board/keys"]["post"]["x-roles"]) == ["admin", "guide", "manager"]
    assert sorted(paths["/api/board/keys/{key_id}/revoke"]["post"]["x-roles"]) == [
        "admin",
        "guide",
        "manager",
    ]
    for path in ("/api/board/snapshot", "/api/board/announcement.wav"):
        assert paths[path]["get"]["x-board-key"] is True
        assert len(paths[path]["get"]["x-roles"]) == 8  # and any staff login
    assert "x-roles" not in paths["/board"]["get"]
