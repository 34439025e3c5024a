"""Domain errors carry a stable code; the UI turns the code into a translated message."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A rule was broken. ``code`` is stable and is what clients and translations key on."""

    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 400

    def __init__(self, detail: str = "", **params: Any) -> None:
        super().__init__(detail or self.code)
        self.detail = detail or self.code
        self.params = params


class NotAuthenticated(DomainError):
    code = "auth.required"
    http_status = 401


class BadCredentials(DomainError):
    code = "auth.bad_credentials"
    http_status = 401


class AccountLocked(DomainError):
    code = "auth.locked"
    http_status = 423


class AccountDisabled(DomainError):
    code = "auth.disabled"
    http_status = 403


class TokenExpired(DomainError):
    code = "auth.token_expired"
    http_status = 401


class Forbidden(DomainError):
    code = "auth.forbidden"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class InvalidInput(DomainError):
    code = "invalid_input"
    http_status = 422


class StaffExists(Conflict):
    code = "staff.exists"


class WeakPassword(InvalidInput):
    code = "staff.weak_password"


class InvalidUsername(InvalidInput):
    code = "staff.invalid_username"


class UnknownRole(InvalidInput):
    code = "staff.unknown_role"


class LastAdmin(Conflict):
    code = "staff.last_admin"


class DemoNotEnrollable(Conflict):
    code = "branch.demo_not_enrollable"


class StorageError(DomainError):
    code = "storage.error"
    http_status = 503


class DiskFull(StorageError):
    code = "storage.disk_full"


class StoreReadOnly(StorageError):
    code = "storage.read_only"


class StoreCorrupt(StorageError):
    code = "storage.corrupt"


class SchemaMismatch(StorageError):
    code = "storage.schema_mismatch"


class HubAlreadyRunning(StorageError):
    code = "hub.already_running"
