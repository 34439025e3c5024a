"""Secrets go through ``Credentials`` over keyring; a broken keyring becomes one coded error."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest

from counter_app.secrets import (
    SERVICE_PREFIX,
    Credentials,
    MemoryKeyring,
    SecretStoreUnavailable,
)


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A backend that fails the way a locked or missing OS keyring does."""

    priority = 1

    def __init__(self, error: keyring.errors.KeyringError) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.error = error
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        raise self.error


def test_set_get_delete_round_trip() -> None:
    ring = MemoryKeyring()
    creds = Credentials(ring)
    assert creds.get("headoffice", "3201") is None
    creds.set("headoffice", "3201", "s3cret-密码")
    assert creds.get("headoffice", "3201") == "s3cret-密码"
    # Stored under the app's own service name, per purpose.
    assert ring.get_password(f"{SERVICE_PREFIX}/headoffice", "3201") == "s3cret-密码"
    creds.set("headoffice", "3201", "rotated")
    assert creds.get("headoffice", "3201") == "rotated"
    creds.delete("headoffice", "3201")
    assert creds.get("headoffice", "3201") is None


def test_purposes_and_names_are_kept_apart() -> None:
    creds = Credentials(MemoryKeyring())
    creds.set("headoffice", "3201", "a")
    creds.set("printer", "3201", "b")
    creds.set("headoffice", "3202", "c")
    assert (
        creds.get("headoffice", "3201"),
        creds.get("printer", "3201"),
        creds.get("headoffice", "3202"),
    ) == ("a", "b", "c")
    creds.delete("printer", "3201")
    assert creds.get("headoffice", "3201") == "a"
    assert creds.get("printer", "3201") is None


def test_deleting_a_missing_secret_is_not_an_error() -> None:
    creds = Credentials(MemoryKeyring())
    creds.delete("headoffice", "never-set")
    assert creds.get("headoffice", "never-set") is None


def test_default_backend_is_the_process_keyring() -> None:
    ring = keyring.get_keyring()  # the in-memory keyring conftest installs for every test
    assert isinstance(ring, MemoryKeyring)
    creds = Credentials()
    creds.set("printer", "ticket-1", "token")
    assert ring.get_password(f"{SERVICE_PREFIX}/printer", "ticket-1") == "token"
    assert creds.get("printer", "ticket-1") == "token"


@pytest.mark.parametrize(
    "error",
    [
        keyring.errors.KeyringLocked("locked"),
        keyring.errors.NoKeyringError("no backend"),
        keyring.errors.InitError("cannot start"),
        keyring.errors.PasswordSetError("refused"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_failing_backend_raises_secret_store_unavailable(
    error: keyring.errors.KeyringError,
) -> None:
    ring = BrokenKeyring(error)
    creds = Credentials(ring)
    with pytest.raises(SecretStoreUnavailable) as info:
        creds.get("headoffice", "3201")
    assert info.value.code == "secrets.unavailable"
    assert info.value.__cause__ is error
    with pytest.raises(SecretStoreUnavailable):
        creds.set("headoffice", "3201", "x")
    with pytest.raises(SecretStoreUnavailable):
        creds.delete("headoffice", "3201")
    assert ring.calls == 3


def test_failing_default_backend_raises_secret_store_unavailable() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring(keyring.errors.KeyringLocked("locked")))
    try:
        with pytest.raises(SecretStoreUnavailable):
            Credentials().get("headoffice", "3201")
    finally:
        keyring.set_keyring(previous)
