"""Logging in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from counter_app.hub.schemas import LoginRequest, LoginResponse, Me, PasswordChange, StaffOut
from counter_app.hub.security import AnyStaff, Hub

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/login")
async def login(
    body: LoginRequest,
    context: Hub,
    request: Request,
    x_workstation: Annotated[str, Header(max_length=64)] = "",
) -> LoginResponse:
    # The token carries the workstation into every audit entry made with it.
    host = request.client.host if request.client else ""
    workstation = body.workstation or x_workstation or host
    result = await run_in_threadpool(context.auth.login, body.username, body.password, workstation)
    staff = result.staff
    return LoginResponse(
        token=result.token,
        expires_at=result.expires_at,
        staff=StaffOut(
            id=staff.id,
            username=staff.username,
            display_name=staff.display_name,
            roles=sorted(staff.roles),
            active=staff.active,
        ),
    )


@router.post("/logout", status_code=204)
def logout(actor: AnyStaff, context: Hub, authorization: Annotated[str, Header()] = "") -> None:
    context.auth.logout(authorization.removeprefix("Bearer ").strip())


@router.get("/me")
def me(actor: AnyStaff) -> Me:
    return Me(username=actor.username, workstation=actor.workstation, roles=sorted(actor.roles))


@router.post("/password", status_code=204)
def change_own_password(body: PasswordChange, actor: AnyStaff, context: Hub) -> None:
    context.staff.reset_password(actor, actor.username, body.password)
