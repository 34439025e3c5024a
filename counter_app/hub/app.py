"""The hub's HTTP/JSON API (FastAPI): one app object per running hub."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counter_app import __version__
from counter_app.compat import API_VERSION
from counter_app.domain.errors import DomainError
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
from counter_app.hub.context import HubContext
from counter_app.hub.schemas import ErrorBody, Health
from counter_app.hub.security import PUBLIC_ROUTES, RoleGuard, hub

log = logging.getLogger(__name__)


def _error(
    status: int, code: str, detail: str, params: dict[str, object] | None = None
) -> JSONResponse:
    # params is a dict, not **kwargs: an error parameter may itself be called "code".
    body = ErrorBody(code=code, detail=detail, params=dict(params or {}))
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"))


class CatchUnexpected:
    """A bug answers 500 with a code and is logged; the connection and the hub stay up.

    Plain ASGI rather than ``@app.middleware("http")``: that one costs every request a task
    and a stream copy of the response (measured in bench/hub_noop)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # half a response is out: the server closes the connection
            await _error(500, "internal", "internal error in the hub")(scope, receive, send)


def _guards(dependant: Dependant) -> list[RoleGuard]:
    found: list[RoleGuard] = []
    for sub in dependant.dependencies:
        if isinstance(sub.call, RoleGuard):
            found.append(sub.call)
        found.extend(_guards(sub))
    return found


def _declare_roles(routes: Iterable[BaseRoute]) -> None:
    """Write each route's roles into OpenAPI; refuse a route that forgot to declare any."""
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        guards = _guards(route.dependant)
        for method in route.methods or ():
            if (method, route.path) in PUBLIC_ROUTES:
                continue
            if not guards:
                raise RuntimeError(f"{method} {route.path} has no RoleGuard and is not public")
        if guards:
            roles = sorted(set.intersection(*(set(g.roles) for g in guards)))
            route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": roles}


def create_app(context: HubContext) -> FastAPI:
    app = FastAPI(
        title="counter-app hub",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.hub = context

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return _error(exc.http_status, exc.code, exc.detail, exc.params)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return _error(422, "invalid_input", "request failed validation", {"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI answers 400 for a body it cannot parse (bad UTF-8, nesting too deep,
            # numbers too long); to clients that is invalid input like any other.
            return _error(422, "invalid_input", str(exc.detail))
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    app.add_middleware(CatchUnexpected)

    @app.get("/api/health", tags=["health"])
    def health(request: Request) -> Health:
        state = hub(request)
        branch = state.branch.info()
        return Health(
            status="ok",
            version=__version__,
            api_version=API_VERSION,
            schema_revision=state.schema_revision,
            branch_code=branch.code,
            branch_name=branch.name,
            demo=branch.demo,
            server_time=datetime.now(UTC),
        )

    for module in (auth, staff, reference, queue, intake, forms, printing, sync, events, board):
        # Checked on the router itself, before inclusion: newer FastAPI keeps an included
        # router as one entry of ``app.routes`` (not as copied APIRoutes) and copies each
        # route's OpenAPI extras when it builds the included routes.
        _declare_roles(module.router.routes)
        app.include_router(module.router)
    _declare_roles(app.routes)  # the app's own routes (/api/health)
    return app
