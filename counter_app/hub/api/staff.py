"""Staff management for the branch administrator; the manager may look."""

from __future__ import annotations

from fastapi import APIRouter, Path

from counter_app.hub.schemas import PasswordChange, RolesChange, StaffCreate, StaffOut
from counter_app.hub.security import AdminOrManager, AdminStaff, Hub
from counter_app.services.staff import StaffMember

router = APIRouter(prefix="/api/staff", tags=["staff"])

Username = Path(min_length=1, max_length=32)


def staff_out(member: StaffMember) -> StaffOut:
    return StaffOut(
        id=member.id,
        username=member.username,
        display_name=member.display_name,
        roles=sorted(member.roles),
        active=member.active,
    )


@router.get("")
def list_staff(actor: AdminOrManager, context: Hub) -> list[StaffOut]:
    return [staff_out(m) for m in context.staff.list(actor)]


@router.post("", status_code=201)
def add_staff(body: StaffCreate, actor: AdminStaff, context: Hub) -> StaffOut:
    member = context.staff.add(
        actor, body.username, body.display_name, frozenset(body.roles), body.password
    )
    return staff_out(member)


@router.post("/{username}/disable")
def disable_staff(actor: AdminStaff, context: Hub, username: str = Username) -> StaffOut:
    return staff_out(context.staff.set_active(actor, username, False))


@router.post("/{username}/enable")
def enable_staff(actor: AdminStaff, context: Hub, username: str = Username) -> StaffOut:
    return staff_out(context.staff.set_active(actor, username, True))


@router.put("/{username}/roles")
def set_roles(
    body: RolesChange, actor: AdminStaff, context: Hub, username: str = Username
) -> StaffOut:
    return staff_out(context.staff.set_roles(actor, username, frozenset(body.roles)))


@router.post("/{username}/password", status_code=204)
def reset_password(
    body: PasswordChange, actor: AdminStaff, context: Hub, username: str = Username
) -> None:
    context.staff.reset_password(actor, username, body.password)
