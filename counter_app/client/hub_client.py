"""The one way the UI reaches the hub: typed calls over HTTP/JSON.

Every failure becomes a ``HubError`` with a code: the hub's own error codes, or
``hub.unreachable`` / ``hub.bad_response`` / ``hub.schema_mismatch`` made here.
"""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from datetime import date, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from counter_app.compat import SCHEMA_REVISION
from counter_app.domain.roles import Role
from counter_app.hub.schemas import (
    AllotmentOut,
    AppointmentOut,
    AuditEntryOut,
    AuditVerifyOut,
    BoardKeyCreated,
    BoardKeyOut,
    ChecklistOut,
    CollectorDayOut,
    ErrorBody,
    EventOut,
    FormHolderOut,
    FormTypeOut,
    HandoverOut,
    Health,
    HoldingOut,
    ImportOut,
    IntakeFileOut,
    IntakeFileSummaryOut,
    IntakeOpenIn,
    IntakeReceiptOut,
    LayoutOut,
    LoginResponse,
    Me,
    MovedOut,
    PickupIn,
    PickupOut,
    PolicyDocumentFullOut,
    PolicyDocumentOut,
    PrintJobOut,
    QueueOut,
    ReconciliationLineOut,
    ReferenceOut,
    ServiceSetupIn,
    ServiceSetupOut,
    StaffOut,
    StockTakeOut,
    SyncStatusOut,
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

    # --- claim-document intake ---
    def intake_checklists(self) -> list[ChecklistOut]:
        return self._list("/api/intake/checklists", ChecklistOut)

    def open_intake(self, request: IntakeOpenIn) -> IntakeFileOut:
        """A new file; ``intake.file_exists`` (with ``file_id``) if the claim has one already."""
        response = self._request("POST", "/api/intake/files", json=request.model_dump(mode="json"))
        return _parse(IntakeFileOut, response)

    def intake_file(self, file_id: uuid.UUID) -> IntakeFileOut:
        return self._get(f"/api/intake/files/{file_id}", IntakeFileOut)

    def intake_file_by_claim(self, claim_number: str) -> IntakeFileOut:
        return self._get(f"/api/intake/files/by-claim/{_seg(claim_number)}", IntakeFileOut)

    def receive_document(
        self, file_id: uuid.UUID, document: str, form: str = "original", pages: int = 1
    ) -> IntakeFileOut:
        body = {"document": document, "form": form, "pages": pages}
        response = self._request("POST", f"/api/intake/files/{file_id}/documents", json=body)
        return _parse(IntakeFileOut, response)

    def withdraw_document(self, file_id: uuid.UUID, entry_id: str, reason: str) -> IntakeFileOut:
        body = {"entry_id": entry_id, "reason": reason}
        response = self._request("POST", f"/api/intake/files/{file_id}/withdraw", json=body)
        return _parse(IntakeFileOut, response)

    def correct_pages(self, file_id: uuid.UUID, entry_id: str, pages: int) -> IntakeFileOut:
        body = {"entry_id": entry_id, "pages": pages}
        response = self._request("POST", f"/api/intake/files/{file_id}/pages", json=body)
        return _parse(IntakeFileOut, response)

    def set_intake_facts(self, file_id: uuid.UUID, facts: list[str]) -> IntakeFileOut:
        response = self._request("PUT", f"/api/intake/files/{file_id}/facts", json={"facts": facts})
        return _parse(IntakeFileOut, response)

    def log_contact(
        self,
        file_id: uuid.UUID,
        method: str,
        outcome: str,
        note: str = "",
        next_due: date | None = None,
    ) -> IntakeFileOut:
        body = {
            "method": method,
            "outcome": outcome,
            "note": note,
            "next_due": next_due.isoformat() if next_due else None,
        }
        response = self._request("POST", f"/api/intake/files/{file_id}/contacts", json=body)
        return _parse(IntakeFileOut, response)

    def archive_file(self, file_id: uuid.UUID, location: str) -> IntakeFileOut:
        body = {"location": location}
        response = self._request("POST", f"/api/intake/files/{file_id}/archive", json=body)
        return _parse(IntakeFileOut, response)

    def intake_receipt(self, file_id: uuid.UUID) -> IntakeReceiptOut:
        return self._get(f"/api/intake/files/{file_id}/receipt", IntakeReceiptOut)

    def intake_receipt_pdf(self, file_id: uuid.UUID, page: str = "A5") -> bytes:
        path = f"/api/intake/files/{file_id}/receipt.pdf"
        return self._request("GET", path, params={"page": page}).content

    def handover_pdf(self, number: str) -> bytes:
        return self._request("GET", f"/api/intake/handovers/{_seg(number)}/list.pdf").content

    def checklist_card_pdf(self, claim_type: str) -> bytes:
        path = f"/api/intake/checklists/{_seg(claim_type)}/card.pdf"
        return self._request("GET", path).content

    def search_files(
        self,
        text: str = "",
        status: str | None = None,
        day_from: date | None = None,
        day_to: date | None = None,
        limit: int = 200,
    ) -> list[IntakeFileSummaryOut]:
        params: dict[str, Any] = {"q": text, "limit": limit}
        if status:
            params["status"] = status
        if day_from:
            params["day_from"] = day_from.isoformat()
        if day_to:
            params["day_to"] = day_to.isoformat()
        return self._list("/api/intake/files", IntakeFileSummaryOut, params=params)

    def follow_up(self, mine: bool = False) -> list[IntakeFileSummaryOut]:
        params = {"mine": "true" if mine else "false"}
        return self._list("/api/intake/files/follow-up", IntakeFileSummaryOut, params=params)

    def hand_over(self, file_ids: list[uuid.UUID]) -> HandoverOut:
        body = {"files": [str(f) for f in file_ids]}
        return _parse(HandoverOut, self._request("POST", "/api/intake/handovers", json=body))

    def handover(self, number: str) -> HandoverOut:
        return self._get(f"/api/intake/handovers/{_seg(number)}", HandoverOut)

    def confirm_handover(self, number: str) -> HandoverOut:
        path = f"/api/intake/handovers/{_seg(number)}/confirm"
        return _parse(HandoverOut, self._request("POST", path))

    def pickups(self, include_closed: bool = False) -> list[PickupOut]:
        params = {"include_closed": "true" if include_closed else "false"}
        return self._list("/api/intake/pickups", PickupOut, params=params)

    def create_pickup(self, request: PickupIn) -> PickupOut:
        body = request.model_dump(mode="json")
        return _parse(PickupOut, self._request("POST", "/api/intake/pickups", json=body))

    def assign_pickup(self, pickup_id: uuid.UUID, username: str) -> PickupOut:
        path = f"/api/intake/pickups/{pickup_id}/assign"
        return _parse(PickupOut, self._request("POST", path, json={"username": username}))

    def close_pickup(self, pickup_id: uuid.UUID, state: str, outcome: str = "") -> PickupOut:
        path = f"/api/intake/pickups/{pickup_id}/close"
        body = {"state": state, "outcome": outcome}
        return _parse(PickupOut, self._request("POST", path, json=body))

    def productivity(self, day: date | None = None) -> list[CollectorDayOut]:
        params = {"day": day.isoformat()} if day else {}
        return self._list("/api/intake/productivity", CollectorDayOut, params=params)

    # --- blank forms (有价单证) ---
    def form_types(self) -> list[FormTypeOut]:
        return self._list("/api/forms/types", FormTypeOut)

    def define_form_type(self, code: str, name: str, prefix: str, digits: int) -> FormTypeOut:
        body = {"code": code, "name": name, "prefix": prefix, "digits": digits}
        return _parse(
            FormTypeOut, self._request("PUT", f"/api/forms/types/{_seg(code)}", json=body)
        )

    def sync_status(self) -> SyncStatusOut:
        """Replication to head office: last success, rows waiting, the last error."""
        return self._get("/api/sync/status", SyncStatusOut)

    def form_holders(self) -> list[FormHolderOut]:
        """Staff forms can be issued to, with their names (readable by the back office)."""
        return self._list("/api/forms/holders", FormHolderOut)

    def _moved(self, path: str, body: dict[str, Any]) -> int:
        return _parse(MovedOut, self._request("POST", path, json=body)).moved

    def receive_forms(self, form_type: str, first: str, last: str) -> int:
        body = {"form_type": form_type, "first": first, "last": last}
        return self._moved("/api/forms/receive", body)

    def issue_forms(self, form_type: str, first: str, last: str, clerk: str) -> int:
        body = {"form_type": form_type, "first": first, "last": last, "clerk": clerk}
        return self._moved("/api/forms/issue", body)

    def take_back_forms(self, form_type: str, first: str, last: str, clerk: str) -> int:
        body = {"form_type": form_type, "first": first, "last": last, "clerk": clerk}
        return self._moved("/api/forms/take-back", body)

    def write_off_forms(self, form_type: str, clerk: str, serials: list[str] | None = None) -> int:
        """回销: the listed serials, or (None) every used and voided form the clerk holds."""
        body = {
            "form_type": form_type,
            "clerk": clerk,
            "serials": serials or [],
            "everything": serials is None,
        }
        return self._moved("/api/forms/write-off", body)

    def lose_form(self, form_type: str, serial: str, reason: str) -> int:
        body = {"form_type": form_type, "serial": serial, "reason": reason}
        return self._moved("/api/forms/lose", body)

    def void_form(
        self, form_type: str, serial: str, reason: str, supervisor: str, password: str
    ) -> int:
        body = {
            "form_type": form_type,
            "serial": serial,
            "reason": reason,
            "supervisor": {"username": supervisor, "password": password},
        }
        return self._moved("/api/forms/void", body)

    def form_allotments(self) -> list[AllotmentOut]:
        return self._list("/api/forms/allotments", AllotmentOut)

    def form_holdings(self, holder: str | None = None) -> list[HoldingOut]:
        params = {"holder": holder} if holder is not None else {}
        return self._list("/api/forms/holdings", HoldingOut, params=params)

    def next_form(self, form_type: str) -> str:
        response = self._request("GET", "/api/forms/next", params={"form_type": form_type})
        return str(response.json()["serial"])

    def reconciliation(
        self, first: date, last: date | None = None, form_type: str | None = None
    ) -> list[ReconciliationLineOut]:
        params = {"first": first.isoformat(), "last": (last or first).isoformat()}
        if form_type:
            params["form_type"] = form_type
        return self._list("/api/forms/reconciliation", ReconciliationLineOut, params=params)

    def reconciliation_pdf(self, first: date, last: date | None = None) -> bytes:
        params = {"first": first.isoformat(), "last": (last or first).isoformat()}
        return self._request("GET", "/api/forms/reconciliation.pdf", params=params).content

    def stock_take(
        self, form_type: str, holder: str, counted: list[tuple[str, str]]
    ) -> StockTakeOut:
        body = {"form_type": form_type, "holder": holder, "counted": counted}
        return _parse(StockTakeOut, self._request("POST", "/api/forms/stock-take", json=body))

    def stock_take_pdf(self, form_type: str, holder: str, counted: list[tuple[str, str]]) -> bytes:
        body = {"form_type": form_type, "holder": holder, "counted": counted}
        return self._request("POST", "/api/forms/stock-take.pdf", json=body).content

    # --- policies and the print queue ---
    def import_policies(self, raw: bytes, source: str = "") -> ImportOut:
        response = self._request(
            "POST",
            "/api/printing/import",
            content=raw,
            params={"source": source},
            headers={"Content-Type": "application/json"},
        )
        return _parse(ImportOut, response)

    def policy_documents(self, q: str = "", limit: int = 100) -> list[PolicyDocumentOut]:
        params = {"q": q, "limit": limit}
        return self._list("/api/printing/documents", PolicyDocumentOut, params=params)

    def policy_document(self, number: str) -> PolicyDocumentFullOut:
        return self._get(f"/api/printing/documents/{_seg(number)}", PolicyDocumentFullOut)

    def document_layouts(self, number: str) -> list[LayoutOut]:
        return self._list(f"/api/printing/documents/{_seg(number)}/layouts", LayoutOut)

    def preview_pdf(self, number: str, layout: str, background: bool = True) -> bytes:
        path = f"/api/printing/documents/{_seg(number)}/preview.pdf"
        params = {"layout": layout, "background": str(background).lower()}
        return self._request("GET", path, params=params).content

    def create_print_job(
        self, document: str, layout: str, printer: str = "", reprint_reason: str = ""
    ) -> PrintJobOut:
        body = {
            "document": document,
            "layout": layout,
            "printer": printer,
            "reprint_reason": reprint_reason,
        }
        return _parse(PrintJobOut, self._request("POST", "/api/printing/jobs", json=body))

    def print_jobs(self, everyone: bool = False) -> list[PrintJobOut]:
        params = {"everyone": str(everyone).lower()}
        return self._list("/api/printing/jobs", PrintJobOut, params=params)

    def print_job(self, job_id: uuid.UUID) -> PrintJobOut:
        return self._get(f"/api/printing/jobs/{job_id}", PrintJobOut)

    def print_job_pdf(
        self,
        job_id: uuid.UUID,
        dx_mm: float = 0.0,
        dy_mm: float = 0.0,
        scale_x: float = 1.0,
        scale_y: float = 1.0,
    ) -> bytes:
        params = {"dx_mm": dx_mm, "dy_mm": dy_mm, "scale_x": scale_x, "scale_y": scale_y}
        return self._request("GET", f"/api/printing/jobs/{job_id}/form.pdf", params=params).content

    def print_job_attachment_pdf(self, job_id: uuid.UUID) -> bytes:
        """A pre-printed job's continuation pages (附页), for plain paper."""
        return self._request("GET", f"/api/printing/jobs/{job_id}/attachment.pdf").content

    def print_job_step(
        self, job_id: uuid.UUID, step: str, printer: str = "", error: str = ""
    ) -> PrintJobOut:
        """``sending``, ``sent``, ``failed``, ``retry``, ``cancel`` or ``confirm``."""
        path = f"/api/printing/jobs/{job_id}/{_seg(step)}"
        body = {"printer": printer, "error": error} if step in ("sending", "failed") else None
        return _parse(PrintJobOut, self._request("POST", path, json=body))

    def misprint(
        self, job_id: uuid.UUID, reason: str, supervisor: str = "", password: str = ""
    ) -> PrintJobOut:
        """The spoiled form voided; returns the reprint job queued for the next form."""
        body: dict[str, Any] = {"reason": reason}
        if supervisor:
            body["supervisor"] = {"username": supervisor, "password": password}
        path = f"/api/printing/jobs/{job_id}/misprint"
        return _parse(PrintJobOut, self._request("POST", path, json=body))

    def calibration_pdf(
        self,
        width_mm: float,
        height_mm: float,
        dx_mm: float = 0.0,
        dy_mm: float = 0.0,
        scale_x: float = 1.0,
        scale_y: float = 1.0,
    ) -> bytes:
        params = {
            "width_mm": width_mm,
            "height_mm": height_mm,
            "dx_mm": dx_mm,
            "dy_mm": dy_mm,
            "scale_x": scale_x,
            "scale_y": scale_y,
        }
        return self._request("GET", "/api/printing/calibration.pdf", params=params).content


def _seg(value: str) -> str:
    return httpx.URL("/" + value).raw_path.decode("ascii").lstrip("/").replace("/", "%2F")


def _parse(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise HubError("hub.bad_response", str(exc)) from exc
