"""An enrolled hub syncs by itself: everything arrives, head office going down loses nothing
(the counters keep working, the status says why it waits), and it catches up when back."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import Settings
from counter_app.headoffice import admin
from counter_app.hub.server import HubOptions, HubServer
from counter_app.sync.enrolment import EnrolmentRefused, HeadOfficeUnreachable, enrol, enrolled
from tests.conftest import DEMO_PASSWORDS
from tests.pg import ThrowawayPostgres
from tests.sync_support import assert_same, engine


@dataclass
class Office:
    name: str
    dsn: str  # superuser
    code: str
    branch_dsn: str
    engine: Engine


@pytest.fixture
def office(postgres: ThrowawayPostgres) -> Iterator[Office]:
    name = f"ho_{secrets.token_hex(4)}"
    dsn = postgres.create_database(name)
    admin.init(dsn)
    code = f"W{secrets.token_hex(3).upper()}"
    enrolment = admin.add_branch(dsn, code, "同步测试网点")
    branch_dsn = postgres.dsn_for(name, enrolment.login_role, enrolment.password)
    office_engine = engine(dsn)
    yield Office(name, dsn, code, branch_dsn, office_engine)
    office_engine.dispose()
    postgres.drop_database(name)


def _wait(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_enrolment_checks_the_login_and_keeps_it_in_the_keyring(
    office: Office, demo_basedir: Any
) -> None:
    with pytest.raises(EnrolmentRefused):
        enrol(demo_basedir, office.branch_dsn, "ZZ99")  # head office knows it as another code
    wrong = office.branch_dsn.replace("@", "x@", 1)  # a wrong password
    with pytest.raises(HeadOfficeUnreachable):
        enrol(demo_basedir, wrong, office.code)
    assert enrolled(demo_basedir) is None
    link = enrol(demo_basedir, office.branch_dsn, office.code)
    assert enrolled(demo_basedir) == link
    assert "x@" not in repr(link)
    assert office.branch_dsn.split(":")[2] not in repr(link)
    files = [p.read_bytes() for p in demo_basedir.root.rglob("*") if p.is_file()]
    password = office.branch_dsn.split(":")[2].split("@")[0]
    assert not any(password.encode() in data for data in files)  # never in a file


def test_an_enrolled_hub_syncs_and_survives_head_office_going_down(
    office: Office, demo_basedir: Any, postgres: ThrowawayPostgres
) -> None:
    enrol(demo_basedir, office.branch_dsn, office.code)
    server = HubServer(demo_basedir, Settings(None), HubOptions(host="127.0.0.1", port=0))
    server.start()
    client = HubClient(server.url, "sync-ws")
    try:
        client.login("guide", DEMO_PASSWORDS["guide"])
        _wait(lambda: client.sync_status().waiting == 0)
        status = client.sync_status()
        assert (status.enrolled, status.branch_code, status.last_error) == (True, office.code, "")
        assert status.last_success is not None
        assert server.context is not None
        assert_same(server.context.store, office.engine, office.code)

        postgres.stop()  # head office down (a WAN outage)
        try:
            tickets = [client.issue_ticket("A") for _ in range(5)]  # the counters work on
            _wait(lambda: client.sync_status().state == "offline")
            status = client.sync_status()
            assert status.waiting >= 5
            assert status.last_error_code == "sync.unreachable"
            assert status.last_error  # in words, for the status bar
            assert status.retry_in_seconds > 0
        finally:
            postgres.start()
        server.context.sync.retry_now()  # as branch IT would; otherwise the backoff decides
        _wait(lambda: client.sync_status().waiting == 0, seconds=60)
        assert client.sync_status().last_error == ""
        assert_same(server.context.store, office.engine, office.code)
        assert len(tickets) == 5
    finally:
        client.close()
        server.stop()


# --- pacing: counters first, head office spared ---


def _unreachable() -> Engine:
    raise OSError("head office is away")


def _worker(demo_basedir: Any) -> Any:
    from counter_app.hub.server import open_store
    from counter_app.sync.worker import SyncWorker

    store, _ = open_store(demo_basedir)
    return store, SyncWorker(store, "P01", _unreachable)


def test_a_write_does_not_cut_a_backoff_short_but_retry_now_does(demo_basedir: Any) -> None:
    import threading

    store, worker = _worker(demo_basedir)
    try:
        done = threading.Event()
        waiter = threading.Thread(target=lambda: (worker._back_off(30.0), done.set()))
        waiter.start()
        for _ in range(5):
            worker.nudge()  # the counters write on during an outage
            time.sleep(0.05)
        assert not done.wait(0.5)  # still backing off
        worker.retry_now()
        assert done.wait(5)
        waiter.join(5)
    finally:
        worker.stop()
        store.dispose()


def test_the_catch_up_gives_way_only_while_the_counters_write(demo_basedir: Any) -> None:
    from counter_app.sync import worker as worker_module

    store, worker = _worker(demo_basedir)
    try:
        assert not worker._counters_busy()
        worker.nudge()
        assert worker._counters_busy()
        worker._counter_wrote_at -= worker_module.COUNTERS_BUSY_SECONDS
        assert not worker._counters_busy()
    finally:
        worker.stop()
        store.dispose()
