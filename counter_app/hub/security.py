"""Authentication and role checks for hub routes.

Every route either is listed in ``PUBLIC_ROUTES`` or depends on a ``RoleGuard``; the app refuses
to start otherwise, and the guard's roles are written into the OpenAPI document as ``x-roles``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from counter_app.domain.errors import NotAuthenticated
from counter_app.domain.roles import Role
from counter_app.hub.context import HubContext
from counter_app.services.actor import Actor

# ``/board`` is the display page's HTML and script only; its data needs a board key.
PUBLIC_ROUTES = frozenset({("GET", "/api/health"), ("POST", "/api/auth/login"), ("GET", "/board")})

_bearer = HTTPBearer(auto_error=False, description="token from POST /api/auth/login")


def hub(request: Request) -> HubContext:
    context = request.app.state.hub
    if not isinstance(context, HubContext):
        raise RuntimeError("hub context missing")
    return context


async def _hub_dependency(request: Request) -> HubContext:
    # A coroutine, so FastAPI does not hand every request to a worker thread just to read it.
    return hub(request)


Hub = Annotated[HubContext, Depends(_hub_dependency)]


class RoleGuard:
    """A dependency that authenticates the bearer token and checks the staff member's roles."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles) if roles else frozenset(Role)

    async def __call__(
        self,
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        x_workstation: Annotated[str, Header(max_length=64)] = "",
    ) -> Actor:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise NotAuthenticated("login required")
        context = hub(request)
        token = credentials.credentials
        # A recently checked token is answered from memory on the event loop; otherwise the
        # database is read off the loop.
        actor = context.auth.cached(token, x_workstation)
        if actor is None:
            actor = await run_in_threadpool(context.auth.check, token, x_workstation)
        actor.require(*self.roles)
        request.state.actor = actor
        return actor


# Route signatures use these: ``actor: AdminStaff``. Add one per role combination a route needs.
AnyStaff = Annotated[Actor, Depends(RoleGuard())]
AdminStaff = Annotated[Actor, Depends(RoleGuard(Role.ADMIN))]
AdminOrManager = Annotated[Actor, Depends(RoleGuard(Role.ADMIN, Role.MANAGER))]
