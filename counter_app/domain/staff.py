"""Rules about staff accounts: usernames, password strength, lockout."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from counter_app.domain.errors import InvalidUsername, WeakPassword

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 8


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InvalidUsername(
            "username must be 2-32 letters, digits, '.', '_' or '-'", username=username
        )
    return name


def check_password(password: str, username: str) -> None:
    """Reject passwords that a colleague at the next window could guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword("password too short", min_length=MIN_PASSWORD_LENGTH)
    if password.lower() == username.lower() or len(set(password)) < 4:
        raise WeakPassword("password too simple", min_length=MIN_PASSWORD_LENGTH)


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``max_failures`` wrong passwords within ``window``, refuse for ``lock_for``."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)

    def locked_until(self, failures: list[datetime], now: datetime) -> datetime | None:
        recent = sorted(t for t in failures if now - t <= self.window)
        if len(recent) < self.max_failures:
            return None
        until = recent[-1] + self.lock_for
        return until if until > now else None
