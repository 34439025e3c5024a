"""The hub's HTTP API: health, login, lockout, tokens, staff administration, audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from counter_app.client.hub_client import HubClient, HubError
from counter_app.compat import API_VERSION, SCHEMA_REVISION
from counter_app.config.basedir import Basedir
from counter_app.config.settings import TOKEN_MINUTES, Settings
from counter_app.domain.roles import Role
from counter_app.hub.server import HubOptions, HubServer
from counter_app.services import staff as staff_service
from counter_app.storage.types import utcnow
from tests.cli_runner import run_cli
from tests.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.usefixtures("fast_hashing")


def login(
    http: httpx.Client, username: str, password: str | None = None, workstation: str = "desk-7"
) -> dict[str, str]:
    response = http.post(
        "/api/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORDS[username] if password is None else password,
            "workstation": workstation,
        },
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The error body, after checking the status and the body's shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "detail", "params"}
    return body  # type: ignore[no-any-return]


def audit(http: httpx.Client, action: str | None = None) -> list[dict[str, Any]]:
    headers = login(http, "manager", workstation="back-office")
    params = {"limit": 1000, **({"action": action} if action else {})}
    response = http.get("/api/audit", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def new_staff(username: str, roles: list[str], password: str = "a-long-password") -> dict[str, Any]:
    return {
        "username": username,
        "display_name": username.title(),
        "roles": roles,
        "password": password,
    }


# --- health and login ---


def test_health_needs_no_login(http: httpx.Client) -> None:
    response = http.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["schema_revision"] == SCHEMA_REVISION
    assert body["api_version"] == API_VERSION
    assert (body["branch_code"], body["demo"]) == ("DEMO01", True)
    server_time = datetime.fromisoformat(body["server_time"])
    assert abs(server_time - datetime.now(UTC)) < timedelta(minutes=1)


def test_login_gives_a_token_and_its_expiry(http: httpx.Client) -> None:
    before = datetime.now(UTC)
    response = http.post(
        "/api/auth/login",
        json={"username": " Clerk ", "password": "clerk1234", "workstation": "win-3"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["token"]) >= 32
    assert body["token_type"] == "bearer"
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(minutes=599) < expires <= datetime.now(UTC) + timedelta(minutes=600)
    assert body["staff"]["username"] == "clerk"
    assert body["staff"]["roles"] == ["clerk"]
    me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json() == {"username": "clerk", "workstation": "win-3", "roles": ["clerk"]}


def test_wrong_password_and_unknown_user_get_the_same_answer(http: httpx.Client) -> None:
    wrong = error(http.post("/api/auth/login", json={"username": "clerk", "password": "x"}), 401)
    unknown = error(
        http.post("/api/auth/login", json={"username": "no-such-person", "password": "x"}), 401
    )
    assert wrong["code"] == "auth.bad_credentials"
    assert wrong == unknown  # nothing tells whether the username exists


def test_bad_or_missing_token_is_401(http: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}):
        body = error(http.get("/api/auth/me", headers=headers), 401)
        assert body["code"] in {"auth.required", "auth.bad_credentials"}


# --- lockout ---


def test_lockout_after_five_failures_is_audited_and_lifted_by_reset(
    http: httpx.Client, hub: HubServer
) -> None:
    for attempt in range(1, 5):
        body = error(
            http.post(
                "/api/auth/login", json={"username": "clerk", "password": f"wrong-{attempt}"}
            ),
            401,
        )
        assert body["code"] == "auth.bad_credentials"
    fifth = error(
        http.post("/api/auth/login", json={"username": "clerk", "password": "wrong"}), 423
    )
    assert fifth["code"] == "auth.locked"
    until = datetime.fromisoformat(fifth["params"]["until"])
    assert timedelta(minutes=14) < until - datetime.now(UTC) <= timedelta(minutes=15)
    # While locked even the right password is refused.
    right = http.post("/api/auth/login", json={"username": "clerk", "password": "clerk1234"})
    assert error(right, 423)["code"] == "auth.locked"

    failed = audit(http, "auth.login_failed")
    assert [e["detail"] for e in reversed(failed)] == [
        {"failures": n, "locked": n == 5} for n in range(1, 6)
    ]
    assert {e["subject"] for e in failed} == {"clerk"}
    refused = audit(http, "auth.login_refused_locked")
    assert [e["subject"] for e in refused] == ["clerk"]

    result = run_cli(
        "admin",
        "reset-password",
        "--basedir",
        str(hub.basedir.root),
        "--username",
        "clerk",
        "--password-stdin",
        stdin="clerk-new-pass\n",
    )
    assert result.code == 0, result.err
    assert login(http, "clerk", "clerk-new-pass")
    old = http.post("/api/auth/login", json={"username": "clerk", "password": "clerk1234"})
    assert error(old, 401)["code"] == "auth.bad_credentials"
    reset = audit(http, "staff.password_reset")
    assert [(e["actor"], e["workstation"], e["subject"]) for e in reset] == [
        ("system", "cli", "clerk")
    ]


def test_unknown_usernames_lock_out_the_same_way(http: httpx.Client) -> None:
    codes = [
        http.post("/api/auth/login", json={"username": "ghost", "password": "x"}).json()["code"]
        for _ in range(5)
    ]
    assert codes == ["auth.bad_credentials"] * 4 + ["auth.locked"]


# --- token lifetime ---


def test_expired_token_is_refused(demo_basedir: Basedir, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(None)
    settings.set(TOKEN_MINUTES, 1)
    server = HubServer(demo_basedir, settings, HubOptions(port=0))
    server.start()
    client = HubClient(server.url, "win-1")
    try:
        result = client.login("clerk", "clerk1234")
        left = result.expires_at - datetime.now(UTC)
        assert timedelta(seconds=50) < left <= timedelta(minutes=1)
        assert client.me().username == "clerk"
        # Instead of waiting a minute, move the hub's clock past the expiry: the token is
        # refused whether it is answered from the login cache or from the database.
        later = utcnow() + timedelta(minutes=2)
        monkeypatch.setattr(staff_service, "utcnow", lambda: later)
        with pytest.raises(HubError) as info:
            client.me()
        assert (info.value.code, info.value.status) == ("auth.token_expired", 401)
        assert info.value.needs_login
    finally:
        client.close()
        server.stop()


def test_logout_revokes_the_token(http: httpx.Client) -> None:
    headers = login(http, "service", workstation="win-5")
    assert http.get("/api/auth/me", headers=headers).status_code == 200
    assert http.post("/api/auth/logout", headers=headers).status_code == 204
    assert error(http.get("/api/auth/me", headers=headers), 401)["code"] == "auth.bad_credentials"
    assert error(http.post("/api/auth/logout", headers=headers), 401)
    assert [(e["actor"], e["workstation"]) for e in audit(http, "auth.logout")] == [
        ("service", "win-5")
    ]


def test_own_password_change(http: httpx.Client) -> None:
    headers = login(http, "guide")
    weak = http.post("/api/auth/password", headers=headers, json={"password": "guide"})
    assert error(weak, 422)["code"] == "staff.weak_password"
    changed = http.post("/api/auth/password", headers=headers, json={"password": "guide-new-1"})
    assert changed.status_code == 204
    assert login(http, "guide", "guide-new-1")
    old = http.post("/api/auth/login", json={"username": "guide", "password": "guide1234"})
    assert error(old, 401)["code"] == "auth.bad_credentials"
    [entry] = audit(http, "staff.password_reset")
    assert (entry["actor"], entry["subject"]) == ("guide", "guide")


# --- disabled accounts ---


def test_disabled_staff_cannot_log_in_and_lose_their_token(http: httpx.Client) -> None:
    admin = login(http, "admin")
    clerk = login(http, "clerk", workstation="win-2")
    assert http.get("/api/auth/me", headers=clerk).status_code == 200

    disabled = http.post("/api/staff/clerk/disable", headers=admin)
    assert disabled.status_code == 200
    assert disabled.json()["active"] is False
    assert error(http.get("/api/auth/me", headers=clerk), 401)
    refused = http.post("/api/auth/login", json={"username": "clerk", "password": "clerk1234"})
    assert error(refused, 403)["code"] == "auth.disabled"
    # A wrong password for a disabled account says no more than for anyone else.
    wrong = http.post("/api/auth/login", json={"username": "clerk", "password": "nope"})
    assert error(wrong, 401)["code"] == "auth.bad_credentials"
    assert [e["subject"] for e in audit(http, "auth.login_refused_disabled")] == ["clerk"]

    assert http.post("/api/staff/clerk/enable", headers=admin).json()["active"] is True
    assert login(http, "clerk")


# --- staff administration ---


def test_staff_crud(http: httpx.Client) -> None:
    admin = login(http, "admin")
    created = http.post("/api/staff", headers=admin, json=new_staff("wang.wu", ["clerk"]))
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["username"], body["roles"], body["active"]) == ("wang.wu", ["clerk"], True)
    listed = {s["username"]: s for s in http.get("/api/staff", headers=admin).json()}
    assert set(listed) == set(DEMO_PASSWORDS) | {"wang.wu"}
    assert listed["wang.wu"]["id"] == body["id"]
    assert login(http, "wang.wu", "a-long-password")

    duplicate = http.post("/api/staff", headers=admin, json=new_staff(" Wang.Wu ", ["guide"]))
    assert error(duplicate, 409)["code"] == "staff.exists"
    weak = http.post("/api/staff", headers=admin, json=new_staff("zhao", ["guide"], "zhao"))
    assert error(weak, 422)["code"] == "staff.weak_password"
    bad_name = http.post("/api/staff", headers=admin, json=new_staff("赵六", ["guide"]))
    assert error(bad_name, 422)["code"] == "staff.invalid_username"
    bad_role = http.post("/api/staff", headers=admin, json=new_staff("zhao", ["pilot"]))
    assert error(bad_role, 422)["code"] == "invalid_input"
    no_role = http.post("/api/staff", headers=admin, json=new_staff("zhao", []))
    assert error(no_role, 422)["code"] == "invalid_input"

    roles = http.put(
        "/api/staff/wang.wu/roles", headers=admin, json={"roles": ["collector", "clerk"]}
    )
    assert roles.status_code == 200
    assert roles.json()["roles"] == ["clerk", "collector"]
    assert error(http.put("/api/staff/nobody/roles", headers=admin, json={"roles": ["clerk"]}), 404)

    assert http.post("/api/staff/wang.wu/disable", headers=admin).json()["active"] is False
    assert http.post("/api/staff/wang.wu/disable", headers=admin).json()["active"] is False
    assert http.post("/api/staff/wang.wu/enable", headers=admin).json()["active"] is True
    assert error(http.post("/api/staff/nobody/enable", headers=admin), 404)["code"] == "not_found"

    reset = http.post("/api/staff/wang.wu/password", headers=admin, json={"password": "new-pw-123"})
    assert reset.status_code == 204
    assert login(http, "wang.wu", "new-pw-123")

    final = {s["username"]: s for s in http.get("/api/staff", headers=admin).json()}
    assert final["wang.wu"]["roles"] == ["clerk", "collector"]
    assert len(final) == len(DEMO_PASSWORDS) + 1  # the refused ones were not added


def test_the_last_admin_stays(http: httpx.Client) -> None:
    admin = login(http, "admin")
    body = error(http.post("/api/staff/admin/disable", headers=admin), 409)
    assert body["code"] == "staff.last_admin"
    demote = http.put("/api/staff/admin/roles", headers=admin, json={"roles": ["manager"]})
    assert error(demote, 409)["code"] == "staff.last_admin"
    assert http.get("/api/auth/me", headers=admin).json()["roles"] == ["admin"]

    # With a second admin, the first may go.
    created = http.post("/api/staff", headers=admin, json=new_staff("it2", ["admin"]))
    assert created.status_code == 201
    second = login(http, "it2", "a-long-password")
    assert http.post("/api/staff/admin/disable", headers=second).status_code == 200
    body = error(http.post("/api/staff/it2/disable", headers=second), 409)
    assert body["code"] == "staff.last_admin"


def test_manager_may_look_but_not_change(http: httpx.Client) -> None:
    manager = login(http, "manager")
    assert http.get("/api/staff", headers=manager).status_code == 200
    added = http.post("/api/staff", headers=manager, json=new_staff("zhao", ["guide"]))
    body = error(added, 403)
    assert body["code"] == "auth.forbidden"
    assert body["params"]["needed"] == ["admin"]
    clerk = login(http, "clerk")
    assert error(http.get("/api/staff", headers=clerk), 403)["code"] == "auth.forbidden"


# --- the audit trail ---


def test_every_change_is_audited_with_actor_and_workstation(hub: HubServer) -> None:
    client = HubClient(hub.url, "desk-7")
    try:
        client.login("admin", "admin1234")
        client.add_staff("wang.wu", "王五", [Role.CLERK], "a-long-password")
        client.set_staff_roles("wang.wu", [Role.CLERK, Role.SERVICE])
        client.set_staff_active("WANG.WU", False)
        client.set_staff_active("wang.wu", True)
        client.reset_password("wang.wu", "another-password")
        client.logout()
        client.login("manager", "manager1234")
        entries = list(reversed(client.audit(limit=1000)))
        verified = client.audit_verify()
    finally:
        client.close()
    mine = [
        (e.action, e.subject, e.actor, e.workstation)
        for e in entries
        if e.action != "demo.load" and e.actor in {"admin", "manager"}
    ]
    assert mine == [
        ("auth.login", "admin", "admin", "desk-7"),
        ("staff.add", "wang.wu", "admin", "desk-7"),
        ("staff.roles", "wang.wu", "admin", "desk-7"),
        ("staff.disable", "wang.wu", "admin", "desk-7"),
        ("staff.enable", "wang.wu", "admin", "desk-7"),
        ("staff.password_reset", "wang.wu", "admin", "desk-7"),
        ("auth.logout", "admin", "admin", "desk-7"),
        ("auth.login", "manager", "manager", "desk-7"),
    ]
    by_action = {e.action: e for e in entries}
    assert by_action["staff.add"].detail == {"display_name": "王五", "roles": ["clerk"]}
    assert by_action["staff.roles"].detail == {
        "before": ["clerk"],
        "after": ["clerk", "service"],
    }
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert verified.ok
    assert verified.entries == len(entries)
    assert verified.problems == []


def test_workstation_comes_from_the_header_when_login_names_none(http: httpx.Client) -> None:
    response = http.post(
        "/api/auth/login",
        json={"username": "admin", "password": "admin1234"},
        headers={"X-Workstation": "counter-9"},
    )
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    assert http.get("/api/auth/me", headers=headers).json()["workstation"] == "counter-9"
    http.post("/api/staff", headers=headers, json=new_staff("zhao", ["guide"]))
    [entry] = audit(http, "staff.add")
    assert (entry["actor"], entry["workstation"]) == ("admin", "counter-9")
    # With neither, the hub records the address the login came from.
    bare = http.post("/api/auth/login", json={"username": "clerk", "password": "clerk1234"})
    me = http.get("/api/auth/me", headers={"Authorization": f"Bearer {bare.json()['token']}"})
    assert me.json()["workstation"] == "127.0.0.1"


def test_audit_verify_over_the_api_notices_tampering(http: httpx.Client, hub: HubServer) -> None:
    admin = login(http, "admin")
    assert http.get("/api/audit/verify", headers=admin).json()["ok"] is True
    assert hub.context is not None
    with hub.context.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entry SET actor = 'someone-else' WHERE seq = 1")
    result = http.get("/api/audit/verify", headers=admin).json()
    assert result["ok"] is False
    assert result["problems"] == [
        {"seq": 1, "kind": "edited", "message": "entry content was changed"}
    ]


def test_events_over_http(http: httpx.Client) -> None:
    admin = login(http, "admin")
    start = http.get("/api/events", headers=admin).json()
    assert [e["event"] for e in start][-1] == "hub.started"
    cursor = start[-1]["seq"]
    http.post("/api/staff", headers=admin, json=new_staff("zhao", ["guide"]))
    after = http.get("/api/events", headers=admin, params={"cursor": cursor}).json()
    assert [(e["event"], e["payload"]) for e in after] == [("staff.changed", {"username": "zhao"})]
    assert after[0]["seq"] == cursor + 1
