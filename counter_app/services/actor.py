"""Who is asking: passed into every service call so it can check roles and write the audit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from counter_app.domain.errors import Forbidden
from counter_app.domain.roles import Role


@dataclass(frozen=True)
class Actor:
    username: str
    workstation: str
    roles: frozenset[Role]
    staff_id: uuid.UUID | None = None  # None for the command line and the system itself

    def require(self, *allowed: Role) -> None:
        if not self.roles & set(allowed):
            raise Forbidden("role not allowed", needed=[r.value for r in allowed])


def system_actor(workstation: str = "hub") -> Actor:
    """The hub itself or the branch IT person at the hub's command line."""
    return Actor(username="system", workstation=workstation, roles=frozenset(Role))
