"""Every hub route is guarded: walk the OpenAPI document of a running hub and try each one.

Without a token every non-public operation answers 401; a demo user holding none of the roles in
the operation's ``x-roles`` gets 403; a user holding one of them gets past the guard. A route
added without a ``RoleGuard`` fails here twice: it has no ``x-roles``, and it answers without a
token. ``create_app`` itself also refuses to build such an app.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from counter_app.compat import SCHEMA_REVISION
from counter_app.config.settings import Settings
from counter_app.domain.roles import Role
from counter_app.hub.api import (
    auth,
    board,
    events,
    forms,
    intake,
    printing,
    queue,
    reference,
    staff,
    sync,
)
from counter_app.hub.app import create_app
from counter_app.hub.context import HubContext
from counter_app.hub.security import PUBLIC_ROUTES, AdminStaff
from counter_app.storage.database import Store
from counter_app.storage.migrate import upgrade
from tests.conftest import DEMO_PASSWORDS

METHODS = {"get", "post", "put", "patch", "delete"}
ALL_ROLES = {r.value for r in Role}
# Demo users each hold the one role named like them. ``channel`` is the path parameter of the
# staff routes, so changes made through it never touch a token this test still uses.
PATH_USER = "channel"
TOKEN_USERS = [u for u in DEMO_PASSWORDS if u != PATH_USER]

pytestmark = pytest.mark.usefixtures("fast_hashing")


class Tokens:
    def __init__(self, http: httpx.Client) -> None:
        self._http = http
        self._tokens: dict[str, str] = {}

    def fresh(self, username: str) -> dict[str, str]:
        response = self._http.post(
            "/api/auth/login",
            json={"username": username, "password": DEMO_PASSWORDS[username]},
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def of(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            self._tokens[username] = self.fresh(username)["Authorization"]
        return {"Authorization": self._tokens[username]}


def resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = doc["components"]["schemas"][name]
    return schema


def sample(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A minimal value that satisfies ``schema`` (required fields only)."""
    schema = resolve(schema, doc)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return sample(schema["anyOf"][0], doc)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: sample(props[name], doc) for name in schema.get("required", [])}
    if kind == "array":
        return [sample(schema["items"], doc) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * max(schema.get("minLength", 1), 1)
    if kind == "integer":
        return schema.get("minimum", 0)
    if kind == "number":
        return schema.get("minimum", 0.0)
    if kind == "boolean":
        return False
    return None


class Operation:
    def __init__(self, method: str, path: str, spec: dict[str, Any], doc: dict[str, Any]) -> None:
        self.method = method.upper()
        self.path = path
        self.spec = spec
        self.url = (
            path.replace("{username}", PATH_USER)
            .replace("{ticket_id}", "01a20000-0000-7000-8000-000000000000")
            .replace("{window}", "1")
            .replace("{code}", "000000")
            .replace("{key_id}", "01a20000-0000-7000-8000-000000000000")
            .replace("{file_id}", "01a20000-0000-7000-8000-000000000000")
            .replace("{pickup_id}", "01a20000-0000-7000-8000-000000000000")
            .replace("{job_id}", "01a20000-0000-7000-8000-000000000000")
            .replace("{claim_number}", "RDAA2026320100000123")
            .replace("{number}", "JJ20261123-001")
            .replace("{claim_type}", "injury")
        )
        assert "{" not in self.url, f"unfilled path parameter in {path}"
        content = spec.get("requestBody", {}).get("content", {}).get("application/json")
        self.body = sample(content["schema"], doc) if content else None
        self.roles: list[str] | None = spec.get("x-roles")

    def __repr__(self) -> str:
        return f"{self.method} {self.path}"

    def call(self, http: httpx.Client, headers: dict[str, str]) -> httpx.Response:
        return http.request(self.method, self.url, headers=headers, json=self.body)


def operations(doc: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, spec, doc)
        for path, item in doc["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def test_every_route_is_guarded_by_role(http: httpx.Client) -> None:
    doc = http.get("/api/openapi.json").json()
    ops = operations(doc)
    public = [op for op in ops if (op.method, op.path) in PUBLIC_ROUTES]
    guarded = [op for op in ops if (op.method, op.path) not in PUBLIC_ROUTES]
    assert {(op.method, op.path) for op in public} == set(PUBLIC_ROUTES)
    assert len(guarded) >= 13

    # Every route the hub's routers define is in the document, so the walk misses none.
    defined = {
        (method, route.path)
        for module in (auth, staff, reference, queue, intake, forms, printing, sync, events, board)
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert defined <= {(op.method, op.path) for op in ops}

    tokens = Tokens(http)
    for op in guarded:
        assert op.roles, f"{op} has no x-roles: it was added without a RoleGuard"
        assert set(op.roles) <= ALL_ROLES, op
        for headers in ({}, {"Authorization": "Bearer forged-token"}):
            response = op.call(http, headers)
            assert response.status_code == 401, f"{op} without a valid token: {response.text}"
            assert response.json()["code"] in {"auth.required", "auth.bad_credentials"}
        # Authentication comes before body validation: nothing about the schema leaks.
        empty = http.request(op.method, op.url, json={})
        assert empty.status_code == 401, f"{op} validated the body before the login"

    # 403 for someone holding none of the roles.
    for op in guarded:
        assert op.roles is not None
        outsiders = [u for u in TOKEN_USERS if u not in op.roles]
        if set(op.roles) == ALL_ROLES:
            assert outsiders == [], op  # open to every post: nobody can be refused
            continue
        response = op.call(http, tokens.of(outsiders[0]))
        assert response.status_code == 403, f"{op} as {outsiders[0]}: {response.text}"
        assert response.json()["code"] == "auth.forbidden"
        assert sorted(response.json()["params"]["needed"]) == sorted(op.roles)

    # And someone holding one of the roles gets past the guard (the outcome may still be a
    # refusal of the input, e.g. the too-short sample password, but never 401/403/5xx).
    for op in guarded:
        assert op.roles is not None
        insider = next(u for u in TOKEN_USERS if u in op.roles)
        # A fresh login for routes open to all: logout and password changes end the token.
        headers = tokens.fresh(insider) if set(op.roles) == ALL_ROLES else tokens.of(insider)
        response = op.call(http, headers)
        assert response.status_code not in {401, 403}, f"{op} as {insider}: {response.text}"
        assert response.status_code < 500, f"{op} as {insider}: {response.text}"


def test_roles_in_the_document_match_the_guards(http: httpx.Client) -> None:
    doc = http.get("/api/openapi.json").json()
    roles = {(op.method, op.path): op.roles for op in operations(doc)}
    assert roles["POST", "/api/staff"] == ["admin"]
    assert roles["PUT", "/api/staff/{username}/roles"] == ["admin"]
    assert sorted(roles["GET", "/api/staff"] or []) == ["admin", "manager"]
    assert sorted(roles["GET", "/api/audit"] or []) == ["admin", "manager"]
    assert set(roles["GET", "/api/auth/me"] or []) == ALL_ROLES
    assert roles["GET", "/api/health"] is None


@pytest.fixture
def context(tmp_path: Path) -> Iterator[HubContext]:
    store = Store.open(tmp_path / "branch.sqlite3")
    upgrade(store.engine)
    yield HubContext.build(store, Settings(None), SCHEMA_REVISION)
    store.dispose()


def test_create_app_refuses_a_route_without_a_role_guard(context: HubContext) -> None:
    def unguarded() -> dict[str, str]:
        return {"secret": "everyone can see this"}

    staff.router.add_api_route("/unguarded", unguarded, methods=["GET"])
    try:
        with pytest.raises(RuntimeError, match=r"GET /api/staff/unguarded has no RoleGuard"):
            create_app(context)
    finally:
        staff.router.routes[:] = [
            r for r in staff.router.routes if getattr(r, "path", "") != "/api/staff/unguarded"
        ]
    create_app(context)  # and without it the app builds again


def test_create_app_documents_the_roles_of_a_guarded_route(context: HubContext) -> None:
    def guarded(actor: AdminStaff) -> dict[str, str]:
        return {"who": actor.username}

    reference.router.add_api_route("/guarded-extra", guarded, methods=["GET"])
    try:
        app = create_app(context)
        spec = app.openapi()["paths"]["/api/guarded-extra"]["get"]
        assert spec["x-roles"] == ["admin"]
    finally:
        reference.router.routes[:] = [
            r for r in reference.router.routes if getattr(r, "path", "") != "/api/guarded-extra"
        ]
