"""The login cache answers recent tokens from memory and never outlives a token or its ttl."""

from __future__ import annotations

import time
from datetime import timedelta

from counter_app.domain.roles import Role
from counter_app.services.actor import Actor
from counter_app.services.staff import LoginCache
from counter_app.storage.types import utcnow

CLERK = Actor(username="clerk", workstation="win-3", roles=frozenset({Role.CLERK}))


def test_fresh_entry_is_served_and_clear_forgets_it() -> None:
    cache = LoginCache(timedelta(seconds=30))
    cache.put("h1", CLERK, utcnow() + timedelta(hours=1))
    assert cache.get("h1", "other") == CLERK
    assert cache.get("h2", "other") is None
    cache.clear()
    assert cache.get("h1", "other") is None


def test_entry_goes_stale_after_ttl() -> None:
    cache = LoginCache(timedelta(milliseconds=50))
    cache.put("h1", CLERK, utcnow() + timedelta(hours=1))
    time.sleep(0.08)
    assert cache.get("h1", "win-3") is None


def test_expired_token_is_never_served() -> None:
    cache = LoginCache(timedelta(minutes=5))
    cache.put("h1", CLERK, utcnow() - timedelta(seconds=1))
    assert cache.get("h1", "win-3") is None


def test_token_without_workstation_takes_the_callers() -> None:
    cache = LoginCache(timedelta(minutes=5))
    anonymous = Actor(username="guide", workstation="", roles=frozenset({Role.GUIDE}))
    cache.put("h1", anonymous, utcnow() + timedelta(hours=1))
    served = cache.get("h1", "kiosk-1")
    assert served is not None
    assert served.workstation == "kiosk-1"
