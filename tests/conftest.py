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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store made once per test run; tests get copies (argon2 hashing is slow)."""
    from counter_app.config.basedir import Basedir
    from counter_app.config.settings import Settings
    from counter_app.hub.server import open_store
    from counter_app.services.actor import system_actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.demo import load_demo, load_demo_forms
    from counter_app.services.policy_printing import PrintDesk

    template = Basedir(tmp_path_factory.mktemp("demo-template")).ensure()
    store, _ = open_store(template)
    assert load_demo(store, system_actor())
    forms = BlankFormDesk(store, Settings(None))
    load_demo_forms(forms, PrintDesk(store, forms), system_actor())
    store.dispose()
    return template.root


@pytest.fixture
def demo_basedir(tmp_path: Path, demo_template: Path):  # type: ignore[no-untyped-def]
    import shutil

    from counter_app.config.basedir import Basedir

    root = tmp_path / "demo-base"
    shutil.copytree(demo_template, root)
    return Basedir(root).ensure()


@pytest.fixture
def hub(demo_basedir):  # type: ignore[no-untyped-def]
    """A real demo hub on 127.0.0.1 (free port), stopped at the end of the test."""
    from counter_app.config.settings import Settings
    from counter_app.hub.server import HubOptions, HubServer

    server = HubServer(demo_basedir, Settings(None), HubOptions(host="127.0.0.1", port=0))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def hub_client(hub):  # type: ignore[no-untyped-def]
    """A HubClient for the demo hub, not logged in."""
    from counter_app.client.hub_client import HubClient

    client = HubClient(hub.url, "test-ws")
    yield client
    client.close()


DEMO_PASSWORDS = {
    "guide": "guide1234",
    "clerk": "clerk1234",
    "collector": "collector1234",
    "channel": "channel1234",
    "backoffice": "backoffice1234",
    "service": "service1234",
    "manager": "manager1234",
    "admin": "admin1234",
}


@pytest.fixture(autouse=True)
def _collect_garbage_on_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the app: no automatic GC while Qt runs, so a QObject is never freed on a worker
    thread; collected here on the main thread instead. Tests without Qt skip the cost."""
    import gc

    if "qtbot" not in request.fixturenames:
        yield
        return
    gc.disable()
    yield
    gc.collect()
    gc.enable()


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A throwaway PostgreSQL 15 for the whole run (tests/pg.py); tests make their own databases
    with ``postgres.create_database(name)``."""
    from tests.pg import ThrowawayPostgres

    with ThrowawayPostgres() as server:
        yield server
