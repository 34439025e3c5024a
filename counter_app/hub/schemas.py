"""The JSON the hub speaks. Shared by the hub and the client so both sides agree on shapes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from counter_app.domain.roles import Role


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorBody(Model):
    code: str
    detail: str
    params: dict[str, Any] = Field(default_factory=dict)


class Health(Model):
    status: Literal["ok"]
    version: str
    api_version: int
    schema_revision: str
    branch_code: str
    branch_name: str
    demo: bool
    server_time: datetime


class LoginRequest(Model):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    workstation: str = Field(default="", max_length=64)


class StaffOut(Model):
    id: uuid.UUID
    username: str
    display_name: str
    roles: list[Role]
    active: bool


class LoginResponse(Model):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    staff: StaffOut


class Me(Model):
    username: str
    workstation: str
    roles: list[Role]


class StaffCreate(Model):
    username: str = Field(min_length=2, max_length=32)
    display_name: str = Field(min_length=1, max_length=64)
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=1, max_length=256)


class PasswordChange(Model):
    password: str = Field(min_length=1, max_length=256)


class RolesChange(Model):
    roles: list[Role] = Field(min_length=1)


class ServiceTypeOut(Model):
    id: uuid.UUID
    code: str
    name: str
    prefix: str
    digits: int
    opens_at: str
    closes_at: str


class CounterWindowOut(Model):
    id: uuid.UUID
    number: int
    name: str
    service_codes: list[str]


class ChecklistTemplateOut(Model):
    id: uuid.UUID
    claim_type: str
    name: str
    version: int
    items: list[dict[str, Any]]


class PrinterOut(Model):
    id: uuid.UUID
    name: str
    kind: str
    profile: str
    connection: str


class ReferenceOut(Model):
    service_types: list[ServiceTypeOut]
    windows: list[CounterWindowOut]
    checklists: list[ChecklistTemplateOut]
    printers: list[PrinterOut]


class AuditEntryOut(Model):
    seq: int
    at: str
    actor: str
    workstation: str
    action: str
    subject: str
    detail: dict[str, Any]


class AuditProblemOut(Model):
    seq: int
    kind: str
    message: str


class AuditVerifyOut(Model):
    entries: int
    ok: bool
    problems: list[AuditProblemOut]


class EventOut(Model):
    """One pushed event. ``seq`` is the cursor to resume from after a reconnect."""

    type: Literal["event"] = "event"
    seq: int
    at: datetime
    event: str
    payload: dict[str, Any]
