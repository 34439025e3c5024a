"""Secrets (head-office credentials, printer tokens) go only through this wrapper over keyring."""

from __future__ import annotations

from typing import Any

import keyring
import keyring.backend
import keyring.errors

SERVICE_PREFIX = "counter-app"


class SecretStoreUnavailable(RuntimeError):
    code = "secrets.unavailable"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring kept in memory, for tests and the demo; never persisted."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self._store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


class Credentials:
    """``credentials.get("headoffice", branch_code)``; the backend is the OS keyring by default."""

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend

    def _ring(self) -> Any:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def get(self, purpose: str, name: str) -> str | None:
        try:
            value = self._ring().get_password(f"{SERVICE_PREFIX}/{purpose}", name)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(str(exc)) from exc
        return value if isinstance(value, str) else None

    def set(self, purpose: str, name: str, secret: str) -> None:
        try:
            self._ring().set_password(f"{SERVICE_PREFIX}/{purpose}", name, secret)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(str(exc)) from exc

    def delete(self, purpose: str, name: str) -> None:
        try:
            self._ring().delete_password(f"{SERVICE_PREFIX}/{purpose}", name)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise SecretStoreUnavailable(str(exc)) from exc
