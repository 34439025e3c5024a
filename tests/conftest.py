"""Shared fixtures: a fresh basedir per test, an in-memory keyring, a demo hub on loopback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from counter_app.secrets import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[MemoryKeyring]:
    # Tests never touch the OS keyring of the machine they run on.
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def basedir(tmp_path: Path):  # type: ignore[no-untyped-def]
    from counter_app.config.basedir import Basedir

    return Basedir(tmp_path / "base").ensure()
