"""One workspace per role; a staff member sees a tab for each role they hold."""

from __future__ import annotations

from counter_app.domain.roles import Role
from counter_app.ui.workspaces.base import Session, Workspace
from counter_app.ui.workspaces.manager import ManagerWorkspace
from counter_app.ui.workspaces.posts import (
    BackofficeWorkspace,
    ChannelWorkspace,
    ClerkWorkspace,
    CollectorWorkspace,
    GuideWorkspace,
    ServiceDeskWorkspace,
)
from counter_app.ui.workspaces.staff_admin import AdminWorkspace

WORKSPACES: dict[Role, type[Workspace]] = {
    Role.GUIDE: GuideWorkspace,
    Role.CLERK: ClerkWorkspace,
    Role.COLLECTOR: CollectorWorkspace,
    Role.CHANNEL: ChannelWorkspace,
    Role.BACKOFFICE: BackofficeWorkspace,
    Role.SERVICE: ServiceDeskWorkspace,
    Role.MANAGER: ManagerWorkspace,
    Role.ADMIN: AdminWorkspace,
}

__all__ = ["WORKSPACES", "Session", "Workspace"]
