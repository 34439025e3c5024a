"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from argon2 import PasswordHasher

from counter_app.hub.server import HubServer
from counter_app.services import staff as staff_service


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """New password hashes at a cheap argon2 cost (real cost: ~0.15 s a hash here).

    Demo hashes keep their real cost and are re-hashed cheaply at the first login; nothing these
    tests check depends on the cost. Test modules opt in with ``usefixtures("fast_hashing")``.
    """
    monkeypatch.setattr(
        staff_service, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@pytest.fixture
def http(hub: HubServer) -> Iterator[httpx.Client]:
    """Raw HTTP to the demo hub, for what the typed client would not send."""
    with httpx.Client(base_url=hub.url, timeout=30) as client:
        yield client
