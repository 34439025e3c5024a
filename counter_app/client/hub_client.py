"""The one way the UI reaches the hub: typed calls over HTTP/JSON.

Every failure becomes a ``HubError`` with a code: the hub's own error codes, or
``hub.unreachable`` / ``hub.bad_response`` / ``hub.schema_mismatch`` made here.
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from counter_app.compat import SCHEMA_REVISION
from counter_app.domain.roles import Role
from counter_app.hub.schemas import (
    AppointmentOut,
    AuditEntryOut,
    AuditVerifyOut,
    BoardKeyCreated,
    BoardKeyOut,
    ErrorBody,
    EventOut,
    Health,
    LoginResponse,
    Me,
    QueueOut,
    ReferenceOut,
    ServiceSetupIn,
    ServiceSetupOut,
    StaffOut,
    TicketOut,
    WindowOut,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)


class HubError(Exception):
    def __init__(
        self, code: str, detail: str = "", params: dict[str, Any] | None = None, status: int = 0
    ) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.params = params or {}
        self.status = status

    @property
    def unreachable(self) -> bool:
        return self.code == "hub.unreachable"

    @property
    def needs_login(self) -> bool:
        return self.code in {"auth.required", "auth.token_expired", "auth.bad_credentials"} and (
            self.status == 401
        )


def workstation_name(configured: str = "") -> str:
    return (configured or socket.gethostname() or "workstation")[:64]


class HubClient:
    def __init__(self, base_url: str, workstation: str = "", timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.workstation = workstation_name(workstation)
        self._token: str | None = None
        self._lock = threading.Lock()
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=3.0),
            headers={"X-Workstation": self.workstation.encode("ascii", "replace").decode()},
        )

    @property
    def token(self) -> str | None:
        return self._token

    def close(self) -> None:
        self._http.close()

    # --- plumbing ---
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except (httpx.TransportError, OSError) as exc:
            raise HubError("hub.unreachable", str(exc)) from exc
        if response.status_code >= 400:
            try:
                body = ErrorBody.model_validate_json(response.content)
            except ValidationError:
                raise HubError(
                    "hub.bad_response", f"HTTP {response.status_code}", status=response.status_code
                ) from None
            raise HubError(body.code, body.detail, body.params, response.status_code)
        return response

    def _get(self, path: str, model: type[M], **kwargs: Any) -> M:
        return _parse(model, self._request("GET", path, **kwargs))

    def _list(self, path: str, model: type[M], **kwargs: Any) -> list[M]:
        response = self._request("GET", path, **kwargs)
        try:
            return TypeAdapter(list[model]).validate_json(response.content)  # type: ignore[valid-type]
        except ValidationError as exc:
            raise HubError("hub.bad_response", str(exc)) from exc

    # --- health and login ---
    def health(self, check_schema: bool = True) -> Health:
        health = self._get("/api/health", Health)
        if check_schema and health.schema_revision != SCHEMA_REVISION:
            raise HubError(
                "hub.schema_mismatch",
                "hub and counter program versions differ",
                {"hub": health.schema_revision, "program": SCHEMA_REVISION},
            )
        return health

    def login(self, username: str, password: str) -> LoginResponse:
        response = self._request(
            "POST",
            "/api/auth/login",
            json={"username": username, "password": password, "workstation": self.workstation},
        )
        result = _parse(LoginResponse, response)
        with self._lock:
            self._token = result.token
        return result

    def logout(self) -> None:
        if self._token:
            try:
                self._request("POST", "/api/auth/logout")
            finally:
                with self._lock:
                    self._token = None

    def me(self) -> Me:
        return self._get("/api/auth/me", Me)

    def change_own_password(self, password: str) -> None:
        self._request("POST", "/api/auth/password", json={"password": password})

    # --- staff ---
    def list_staff(self) -> list[StaffOut]:
        return self._list("/api/staff", StaffOut)

    def add_staff(
        self, username: str, display_name: str, roles: list[Role], password: str
    ) -> StaffOut:
        body = {
            "username": username,
            "display_name": display_name,
            "roles": [r.value for r in roles],
            "password": password,
        }
        return _parse(StaffOut, self._request("POST", "/api/staff", json=body))

    def set_staff_active(self, username: str, active: bool) -> StaffOut:
        action = "enable" if active else "disable"
        return _parse(StaffOut, self._request("POST", f"/api/staff/{_seg(username)}/{action}"))

    def set_staff_roles(self, username: str, roles: list[Role]) -> StaffOut:
        body = {"roles": [r.value for r in roles]}
        return _parse(
            StaffOut, self._request("PUT", f"/api/staff/{_seg(username)}/roles", json=body)
        )

    def reset_password(self, username: str, password: str) -> None:
        self._request("POST", f"/api/staff/{_seg(username)}/password", json={"password": password})

    # --- reference, audit, events ---
    def reference(self) -> ReferenceOut:
        return self._get("/api/reference", ReferenceOut)

    def audit(self, limit: int = 100) -> list[AuditEntryOut]:
        return self._list("/api/audit", AuditEntryOut, params={"limit": limit})

    def audit_verify(self) -> AuditVerifyOut:
        return self._get("/api/audit/verify", AuditVerifyOut)

    def events_since(self, cursor: int) -> list[EventOut]:
        return self._list("/api/events", EventOut, params={"cursor": cursor})

    # --- queue ---
    def issue_ticket(
        self, service: str, priority: str | None = None, key: str | None = None
    ) -> TicketOut:
        """A new ticket. Send the same ``key`` when repeating one press whose answer was lost:
        the hub then returns the ticket it made, not a second one."""
        body = {"service": service, "priority": priority}
        headers = {"Idempotency-Key": key or uuid.uuid4().hex}
        response = self._request("POST", "/api/tickets", json=body, headers=headers)
        return _parse(TicketOut, response)

    def ticket(self, ticket_id: uuid.UUID) -> TicketOut:
        return self._get(f"/api/tickets/{ticket_id}", TicketOut)

    def reprint_ticket(self, ticket_id: uuid.UUID, reason: str = "") -> TicketOut:
        response = self._request(
            "POST", f"/api/tickets/{ticket_id}/reprint", json={"reason": reason}
        )
        return _parse(TicketOut, response)

    def ticket_printed(self, ticket_id: uuid.UUID) -> None:
        self._request("POST", f"/api/tickets/{ticket_id}/printed")

    def cancel_ticket(self, ticket_id: uuid.UUID) -> TicketOut:
        return _parse(TicketOut, self._request("POST", f"/api/tickets/{ticket_id}/cancel"))

    def reinstate_ticket(self, ticket_id: uuid.UUID) -> TicketOut:
        return _parse(TicketOut, self._request("POST", f"/api/tickets/{ticket_id}/reinstate"))

    def rate_ticket(self, ticket_id: uuid.UUID, score: str, reason: str = "") -> None:
        body = {"score": score, "reason": reason}
        self._request("POST", f"/api/tickets/{ticket_id}/rating", json=body)

    def call_next(self, window: int, key: str | None = None) -> TicketOut | None:
        """The next ticket at ``window``, or None when nobody waits. Send the same ``key``
        when retrying one press of the call key: the hub then calls only once."""
        headers = {"Idempotency-Key": key or uuid.uuid4().hex}
        response = self._request("POST", f"/api/windows/{window}/call-next", headers=headers)
        if response.status_code == 204:
            return None
        return _parse(TicketOut, response)

    def window_action(self, window: int, action: str) -> TicketOut:
        """``recall``, ``start``, ``finish`` or ``no-show`` on the window's current ticket."""
        if action not in {"recall", "start", "finish", "no-show"}:
            raise ValueError(f"unknown window action {action}")
        return _parse(TicketOut, self._request("POST", f"/api/windows/{window}/{action}"))

    def transfer(
        self, window: int, service: str | None = None, to_window: int | None = None
    ) -> TicketOut:
        body = {"service": service, "window": to_window}
        return _parse(
            TicketOut, self._request("POST", f"/api/windows/{window}/transfer", json=body)
        )

    def set_window(self, window: int, status: str) -> WindowOut:
        """``open``, ``pause``, ``resume`` or ``close``."""
        if status not in {"open", "pause", "resume", "close"}:
            raise ValueError(f"unknown window status {status}")
        return _parse(WindowOut, self._request("POST", f"/api/windows/{window}/{status}"))

    def window(self, window: int) -> WindowOut:
        return self._get(f"/api/windows/{window}", WindowOut)

    def queue(self) -> QueueOut:
        return self._get("/api/queue", QueueOut)

    def book_appointment(
        self, service: str, customer_name: str, phone: str, slot_at: datetime
    ) -> AppointmentOut:
        body = {
            "service": service,
            "customer_name": customer_name,
            "phone": phone,
            "slot_at": slot_at.isoformat(),
        }
        return _parse(AppointmentOut, self._request("POST", "/api/appointments", json=body))

    def appointments(self) -> list[AppointmentOut]:
        return self._list("/api/appointments", AppointmentOut)

    def services(self) -> list[ServiceSetupOut]:
        return self._list("/api/services", ServiceSetupOut)

    def set_service(self, code: str, setup: ServiceSetupIn) -> ServiceSetupOut:
        response = self._request(
            "PUT", f"/api/services/{_seg(code)}", json=setup.model_dump(mode="json")
        )
        return _parse(ServiceSetupOut, response)

    def check_in(self, code: str) -> TicketOut:
        return _parse(TicketOut, self._request("POST", f"/api/appointments/{_seg(code)}/check-in"))

    # --- the web board's display keys ---
    def create_board_key(self, label: str) -> BoardKeyCreated:
        """A key for one display; the answer is the only place its plain key appears."""
        response = self._request("POST", "/api/board/keys", json={"label": label})
        return _parse(BoardKeyCreated, response)

    def board_keys(self) -> list[BoardKeyOut]:
        return self._list("/api/board/keys", BoardKeyOut)

    def revoke_board_key(self, key_id: uuid.UUID) -> BoardKeyOut:
        return _parse(BoardKeyOut, self._request("POST", f"/api/board/keys/{key_id}/revoke"))


def _seg(value: str) -> str:
    return httpx.URL("/" + value).raw_path.decode("ascii").lstrip("/").replace("/", "%2F")


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise HubError("hub.bad_response", str(exc)) from exc
