"""The posts of a branch customer-service centre, as role codes."""

from __future__ import annotations

from enum import StrEnum

from counter_app.domain.errors import UnknownRole


class Role(StrEnum):
    GUIDE = "guide"  # 前台引导岗
    CLERK = "clerk"  # 出单批改岗
    COLLECTOR = "collector"  # 单证收集岗
    CHANNEL = "channel"  # 新渠道支持岗
    BACKOFFICE = "backoffice"  # 综合内勤岗
    SERVICE = "service"  # 客服岗
    MANAGER = "manager"  # 客服中心经理
    ADMIN = "admin"  # branch IT

    @classmethod
    def parse(cls, code: str) -> Role:
        try:
            return cls(code.strip().lower())
        except ValueError:
            raise UnknownRole(f"unknown role {code!r}", role=code) from None


ALL_ROLES: frozenset[Role] = frozenset(Role)

# Chinese names as the seed documents call the posts; the UI translates them through Qt.
ROLE_TITLES: dict[Role, str] = {
    Role.GUIDE: "前台引导",
    Role.CLERK: "出单批改",
    Role.COLLECTOR: "单证收集",
    Role.CHANNEL: "新渠道支持",
    Role.BACKOFFICE: "综合内勤",
    Role.SERVICE: "客服",
    Role.MANAGER: "客服中心经理",
    Role.ADMIN: "系统管理",
}


def parse_roles(codes: list[str] | tuple[str, ...] | str) -> frozenset[Role]:
    """Parse ``"clerk,collector"`` or a list of codes; at least one role is required."""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    roles = frozenset(Role.parse(c) for c in items if c.strip())
    if not roles:
        raise UnknownRole("at least one role is required", role="")
    return roles
