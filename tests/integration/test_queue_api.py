"""The queue over HTTP: a real demo hub on loopback, through ``HubClient`` and raw httpx."""

from __future__ import annotations

import ast
import shutil
import string
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from counter_app.client.hub_client import HubClient, HubError
from counter_app.config.basedir import Basedir
from counter_app.domain import queue as queue_domain
from counter_app.domain.errors import DomainError
from counter_app.hub.server import HubServer
from counter_app.storage.database import Store
from counter_app.storage.models import Staff
from counter_app.ui.messages import ERRORS
from tests.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.usefixtures("fast_hashing")

TICKET_FIELDS = {
    "id",
    "number",
    "service",
    "service_name",
    "priority",
    "state",
    "business_day",
    "issued_at",
    "queued_at",
    "called_at",
    "finished_at",
    "window",
    "target_window",
    "call_count",
    "print_count",
    "waiting_ahead",
    "estimated_wait_minutes",
}


@pytest.fixture(scope="module")
def cheap_demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with cheaply hashed passwords, so each login here costs milliseconds; nothing
    these tests check depends on the hashing cost."""
    root = tmp_path_factory.mktemp("queue-demo") / "base"
    shutil.copytree(demo_template, root)
    store = Store.open(Basedir(root).database)
    hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    with store.write() as session:
        for staff in session.scalars(select(Staff)):
            staff.password_hash = hasher.hash(DEMO_PASSWORDS[staff.username])
    store.dispose()
    return root


@pytest.fixture
def demo_basedir(tmp_path: Path, cheap_demo: Path) -> Basedir:
    """Overrides the shared fixture: the ``hub`` of these tests serves the cheap copy."""
    root = tmp_path / "demo-base"
    shutil.copytree(cheap_demo, root)
    return Basedir(root).ensure()


def login(http: httpx.Client, username: str) -> dict[str, str]:
    response = http.post(
        "/api/auth/login",
        json={"username": username, "password": DEMO_PASSWORDS[username], "workstation": "q-1"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error body, after checking status, code, and that the UI has words for the code
    whose placeholders the hub's params fill."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "detail", "params"}
    assert body["code"] == code
    assert code in ERRORS, f"no message for {code}"
    assert placeholders(ERRORS[code]) <= set(body["params"]), (ERRORS[code], body["params"])
    return body  # type: ignore[no-any-return]


@pytest.fixture
def guide(http: httpx.Client) -> dict[str, str]:
    return login(http, "guide")


@pytest.fixture
def clerk(http: httpx.Client) -> dict[str, str]:
    return login(http, "clerk")


@pytest.fixture
def client_for(hub: HubServer) -> Iterator[Callable[[str], HubClient]]:
    clients: list[HubClient] = []

    def make(username: str) -> HubClient:
        client = HubClient(hub.url, f"ws-{username}")
        client.login(username, DEMO_PASSWORDS[username])
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# --- the three stable routes ---


def test_issue_answers_201_with_the_ticket(http: httpx.Client, guide: dict[str, str]) -> None:
    before = datetime.now(UTC)
    response = http.post("/api/tickets", json={"service": "A"}, headers=guide)
    assert response.status_code == 201, response.text
    first = response.json()
    assert set(first) == TICKET_FIELDS
    uuid.UUID(first["id"])
    assert (first["number"], first["service"], first["state"]) == ("A001", "A", "waiting")
    assert (first["waiting_ahead"], first["priority"], first["call_count"]) == (0, None, 0)
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(first["issued_at"])
    assert datetime.fromisoformat(first["issued_at"]) <= datetime.now(UTC)
    second = http.post(
        "/api/tickets", json={"service": "A", "priority": "elderly"}, headers=guide
    ).json()
    assert (second["number"], second["waiting_ahead"], second["priority"]) == (
        "A002",
        1,
        "elderly",
    )
    assert http.get(f"/api/tickets/{first['id']}", headers=guide).json()["number"] == "A001"


def test_call_next_answers_the_ticket_then_204_with_an_empty_body(
    http: httpx.Client, guide: dict[str, str], clerk: dict[str, str]
) -> None:
    issued = http.post("/api/tickets", json={"service": "A"}, headers=guide).json()
    response = http.post("/api/windows/1/call-next", headers=clerk)
    assert response.status_code == 200, response.text
    called = response.json()
    assert set(called) == TICKET_FIELDS
    assert (called["id"], called["state"], called["window"], called["call_count"]) == (
        issued["id"],
        "called",
        1,
        1,
    )
    empty = http.post("/api/windows/1/call-next", headers=clerk)
    assert empty.status_code == 204
    assert empty.content == b""
    finished = http.get(f"/api/tickets/{issued['id']}", headers=clerk).json()
    assert finished["state"] == "done"


def test_queue_snapshot(http: httpx.Client, guide: dict[str, str], clerk: dict[str, str]) -> None:
    for service in ("A", "A", "B", "C"):
        http.post("/api/tickets", json={"service": service}, headers=guide)
    http.post("/api/windows/1/call-next", headers=clerk)
    response = http.get("/api/queue", headers=guide)
    assert response.status_code == 200, response.text
    snap = response.json()
    waiting = {s["code"]: s["waiting"] for s in snap["services"]}
    assert waiting == {"A": 1, "B": 1, "C": 1, "D": 0, "V": 0}
    windows = {w["number"]: w for w in snap["windows"]}
    assert windows[1]["status"] == "open"
    assert windows[1]["staff"] == "clerk"
    assert windows[1]["current"]["number"] == "A001"
    assert windows[2]["status"] == "closed"
    assert [c["number"] for c in snap["recent_calls"]] == ["A001"]
    assert (snap["issued_today"], snap["served_today"]) == (4, 0)
    opened = {s["code"]: s["windows_open"] for s in snap["services"]}
    assert opened == {"A": 1, "B": 0, "C": 0, "D": 0, "V": 1}


# --- roles ---


def test_a_guide_cannot_call_and_a_clerk_cannot_issue(
    http: httpx.Client, guide: dict[str, str], clerk: dict[str, str]
) -> None:
    error(http.post("/api/windows/1/call-next", headers=guide), 403, "auth.forbidden")
    error(http.post("/api/tickets", json={"service": "A"}, headers=clerk), 403, "auth.forbidden")
    error(http.post("/api/tickets", json={"service": "A"}), 401, "auth.required")
    # Nothing was issued or called.
    snap = http.get("/api/queue", headers=guide).json()
    assert snap["issued_today"] == 0
    assert all(w["status"] == "closed" for w in snap["windows"])


# --- bad input ---


def test_unknown_service_is_404(http: httpx.Client, guide: dict[str, str]) -> None:
    body = error(
        http.post("/api/tickets", json={"service": "Z"}, headers=guide),
        404,
        "queue.unknown_service",
    )
    assert body["params"] == {"service": "Z"}


# One hub per test costs ~0.4 s, so the bad inputs of one route share a test.
BAD_TICKET_REQUESTS: list[dict[str, Any]] = [
    {"service": "A", "priority": "king"},
    {"service": ""},
    {"service": "A" * 17},
    {},
    {"service": 1},
    {"service": "A", "priority": 3},
]


def test_malformed_ticket_requests_are_422(http: httpx.Client, guide: dict[str, str]) -> None:
    for payload in BAD_TICKET_REQUESTS:
        error(http.post("/api/tickets", json=payload, headers=guide), 422, "invalid_input")
    assert http.get("/api/queue", headers=guide).json()["issued_today"] == 0


def test_window_out_of_range_is_422(http: httpx.Client, clerk: dict[str, str]) -> None:
    for window in ("0", "-1", "1000", "one", "1.5"):
        response = http.post(f"/api/windows/{window}/call-next", headers=clerk)
        error(response, 422, "invalid_input")


def test_unknown_window_is_404(http: httpx.Client, clerk: dict[str, str]) -> None:
    for path in ("/api/windows/99/call-next", "/api/windows/99/recall", "/api/windows/99/open"):
        body = error(http.post(path, headers=clerk), 404, "queue.unknown_window")
        assert body["params"] == {"window": 99}
    error(http.get("/api/windows/99", headers=clerk), 404, "queue.unknown_window")


def test_malformed_idempotency_key_is_422(
    http: httpx.Client, guide: dict[str, str], clerk: dict[str, str]
) -> None:
    http.post("/api/tickets", json={"service": "A"}, headers=guide)
    for key in ("short", "bad key!!", "semi;colon;;"):
        headers = {**clerk, "Idempotency-Key": key}
        error(
            http.post("/api/windows/1/call-next", headers=headers), 422, "queue.bad_idempotency_key"
        )
    too_long = {**clerk, "Idempotency-Key": "k" * 65}
    error(http.post("/api/windows/1/call-next", headers=too_long), 422, "invalid_input")
    assert http.get("/api/queue", headers=guide).json()["recent_calls"] == []


def test_a_double_clicked_call_calls_once(
    http: httpx.Client, guide: dict[str, str], clerk: dict[str, str], hub: HubServer
) -> None:
    first = http.post("/api/tickets", json={"service": "A"}, headers=guide).json()
    second = http.post("/api/tickets", json={"service": "A"}, headers=guide).json()
    headers = {**clerk, "Idempotency-Key": "click-" + uuid.uuid4().hex}
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(2)

    def press() -> None:
        with httpx.Client(base_url=hub.url, timeout=30) as own:
            barrier.wait()
            answers.append(own.post("/api/windows/1/call-next", headers=headers))

    presses = [threading.Thread(target=press) for _ in range(2)]
    for thread in presses:
        thread.start()
    for thread in presses:
        thread.join(30)
    assert [r.status_code for r in answers] == [200, 200]
    assert {r.json()["id"] for r in answers} == {first["id"]}
    assert {r.json()["call_count"] for r in answers} == {1}
    # A third press with the same key still answers the first ticket; a new key calls on.
    again = http.post("/api/windows/1/call-next", headers=headers)
    assert again.json()["id"] == first["id"]
    assert http.get(f"/api/tickets/{second['id']}", headers=clerk).json()["state"] == "waiting"
    events = http.get("/api/events", params={"cursor": 0}, headers=clerk).json()
    assert sum(e["event"] == "queue.ticket_called" for e in events) == 1
    other = error(
        http.post("/api/windows/2/call-next", headers=headers), 422, "queue.bad_idempotency_key"
    )
    assert other["params"] == {}


# --- the whole flow through the typed client ---


def test_window_flow_through_the_client(client_for: Callable[[str], HubClient]) -> None:
    guide, clerk, collector = client_for("guide"), client_for("clerk"), client_for("collector")
    issued = [guide.issue_ticket("A"), guide.issue_ticket("A", "vip"), guide.issue_ticket("B")]
    assert [t.number for t in issued] == ["A001", "A002", "B001"]
    called = clerk.call_next(1)
    assert called is not None
    assert called.number == "A001"
    recalled = clerk.window_action(1, "recall")
    assert recalled.call_count == 2
    assert clerk.window_action(1, "start").state == "serving"
    assert clerk.window_action(1, "finish").state == "done"
    clerk.rate_ticket(called.id, "satisfied")
    with pytest.raises(HubError) as info:
        clerk.rate_ticket(called.id, "satisfied")
    assert (info.value.code, info.value.status) == ("queue.bad_state", 409)
    with pytest.raises(HubError) as info:
        clerk.window_action(1, "finish")
    assert (info.value.code, info.value.params) == ("queue.no_current_ticket", {"window": 1})
    with pytest.raises(HubError) as info:
        collector.call_next(1)
    assert (info.value.code, info.value.status) == ("queue.window_busy", 409)
    vip = clerk.call_next(1)
    assert vip is not None
    assert vip.number == "A002"
    with pytest.raises(HubError) as info:
        clerk.transfer(1, to_window=3)
    assert (info.value.code, info.value.params) == ("queue.window_not_serving", {"window": 3})
    assert clerk.transfer(1, to_window=2).target_window == 2
    assert clerk.set_window(1, "pause").status == "paused"
    with pytest.raises(HubError) as info:
        clerk.call_next(1)
    assert (info.value.code, info.value.params) == ("queue.window_paused", {"window": 1})
    assert clerk.set_window(1, "resume").status == "open"
    assert clerk.call_next(1) is None  # A002 waits for window 2 now
    assert clerk.call_next(2).number == "A002"  # type: ignore[union-attr]
    clerk.window_action(2, "finish")
    snap = guide.queue()
    assert snap.satisfaction == 1.0
    assert {s.code: s.waiting for s in snap.services}["B"] == 1
    assert [(c.username, c.served) for c in snap.clerks] == [("clerk", 2)]


def test_appointments_through_the_client(client_for: Callable[[str], HubClient]) -> None:
    guide = client_for("guide")
    now = datetime.now(UTC)  # a slot right now is today's whenever the test runs
    booking = guide.book_appointment("V", "王先生", "13800000000", now)
    assert booking.state == "booked"
    ticket = guide.check_in(booking.code)
    assert (ticket.service, ticket.number) == ("V", "V001")
    with pytest.raises(HubError) as info:
        guide.check_in(booking.code)
    assert (info.value.code, info.value.status) == ("queue.appointment_used", 409)
    with pytest.raises(HubError) as info:
        guide.check_in("nosuch")
    assert (info.value.code, info.value.status) == ("queue.unknown_appointment", 404)
    later = guide.book_appointment("V", "李女士", "", datetime.now(UTC) + timedelta(days=2))
    with pytest.raises(HubError) as info:
        guide.check_in(later.code)
    assert info.value.code == "queue.appointment_not_today"
    assert set(info.value.params) == {"appointment", "slot"}
    assert {a.code: a.state for a in guide.appointments()}[booking.code] == "checked_in"


# --- events ---


def test_a_call_is_pushed_as_queue_ticket_called(client_for: Callable[[str], HubClient]) -> None:
    guide, clerk = client_for("guide"), client_for("clerk")
    guide.issue_ticket("A")
    guide.issue_ticket("A")
    guide.issue_ticket("C")
    cursor = max((e.seq for e in clerk.events_since(0)), default=0)
    called = clerk.call_next(1)
    assert called is not None
    fresh = clerk.events_since(cursor)
    calls = [e for e in fresh if e.event == "queue.ticket_called"]
    assert len(calls) == 1
    payload = calls[0].payload
    assert payload["ticket"]["number"] == "A001"
    assert payload["ticket"]["id"] == str(called.id)
    assert payload["window"] == 1
    assert payload["waiting"] == {"A": 1, "C": 1}
    assert all(e.seq > cursor for e in fresh)
    clerk.window_action(1, "recall")
    recalls = [e for e in clerk.events_since(cursor) if e.event == "queue.ticket_called"]
    assert [e.payload["ticket"]["call_count"] for e in recalls] == [1, 2]


# --- every queue error has words for the clerk ---

QUEUE_ERRORS = [
    obj
    for obj in vars(queue_domain).values()
    if isinstance(obj, type)
    and issubclass(obj, DomainError)
    and obj.__module__ == queue_domain.__name__
]


def test_every_queue_error_code_has_a_message() -> None:
    assert len(QUEUE_ERRORS) >= 14
    missing = sorted(e.code for e in QUEUE_ERRORS if e.code not in ERRORS)
    assert missing == []
    for error_class in QUEUE_ERRORS:
        text = ERRORS[error_class.code]
        assert text[:1].isupper(), error_class.code
        assert text.endswith((".", "?")), error_class.code


def raise_sites() -> list[tuple[str, str, set[str]]]:
    """Every ``raise QueueError(..., param=...)`` in the queue's code: (where, class, params)."""
    names = {e.__name__ for e in QUEUE_ERRORS}
    root = Path(queue_domain.__file__).resolve().parent.parent
    sites = []
    for path in (root / "domain" / "queue.py", root / "services" / "queue.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name)
                and node.exc.func.id in names
            ):
                params = {k.arg for k in node.exc.keywords if k.arg}
                sites.append((f"{path.name}:{node.lineno}", node.exc.func.id, params))
    return sites


def test_every_raise_passes_the_params_its_message_shows() -> None:
    sites = raise_sites()
    assert {name for _, name, _ in sites} == {e.__name__ for e in QUEUE_ERRORS}
    by_name = {e.__name__: e.code for e in QUEUE_ERRORS}
    for where, name, params in sites:
        wanted = placeholders(ERRORS[by_name[name]])
        assert wanted <= params, f"{where}: {name} lacks {wanted - params}"


def test_the_issue_answer_is_exactly_a_ticket(hub) -> None:  # type: ignore[no-untyped-def]
    """The issue route writes its JSON by hand for speed; it must still be a valid TicketOut
    with the same values the ticket route (validated by pydantic) gives."""
    from counter_app.client.hub_client import HubClient
    from counter_app.hub.schemas import TicketOut

    client = HubClient(hub.url, "kiosk")
    client.login("guide", "guide1234")
    issued = client._request("POST", "/api/tickets", json={"service": "A", "priority": "vip"})
    as_issued = TicketOut.model_validate_json(issued.content)
    fetched = client.ticket(as_issued.id)
    assert as_issued.model_dump(exclude={"waiting_ahead", "estimated_wait_minutes"}) == (
        fetched.model_dump(exclude={"waiting_ahead", "estimated_wait_minutes"})
    )
    assert issued.headers["content-type"] == "application/json"
    client.close()


def test_a_repeated_issue_with_its_key_makes_one_ticket(hub) -> None:  # type: ignore[no-untyped-def]
    """The kiosk lost the answer (hub killed after the commit) and presses again with the
    same key: the hub answers with the ticket it made, and makes no second one."""
    from counter_app.client.hub_client import HubClient, HubError

    guide = HubClient(hub.url, "kiosk")
    guide.login("guide", "guide1234")
    first = guide.issue_ticket("A", key="press-0001")
    again = guide.issue_ticket("A", key="press-0001")
    assert again.id == first.id
    assert again.number == first.number
    other = guide.issue_ticket("A", key="press-0002")
    assert other.number != first.number
    assert guide.queue().issued_today == 2
    with pytest.raises(HubError) as bad:
        guide.issue_ticket("A", key="no")
    assert bad.value.code == "queue.bad_idempotency_key"
    manager = HubClient(hub.url, "other-kiosk")
    manager.login("manager", "manager1234")
    with pytest.raises(HubError) as stolen:
        manager.issue_ticket("A", key="press-0001")
    assert stolen.value.code == "queue.bad_idempotency_key"
    assert guide.queue().issued_today == 2
    guide.close()
    manager.close()
