"""The replication fault suite (issue 6), against a real throwaway PostgreSQL 15.

Every case ends with the full comparison (``_assert_all_arrived``): the outbox is empty, every
table sent up holds the same rows at head office as at the branch, with the same content
(0 lost), no key twice (0 duplicated), and the batches head office applied account for every
outbox row the branch ever wrote, each once.

1. a week of branch activity made offline, then the hub enrols and catches up by itself;
2. the hub killed with ``kill -9`` at three points of a batch (a process: tests/sync_process.py);
3. the TCP link cut in the middle of a batch (a loopback proxy: tests/tcp_proxy.py);
4. the same batch delivered twice and out of order;
5. PostgreSQL crashing and restarting while a big backlog drains;
6. the branch clock ten minutes off: refused with both times (``sync.clock_skew``);
7. two hubs enrolled with the same branch code: the second is refused (``sync.branch_taken``)
   until head-office IT releases the branch to it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import psycopg.errors
import pytest
from argon2 import PasswordHasher
from psycopg import sql
from sqlalchemy import Engine, func, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError

from counter_app.config.basedir import Basedir
from counter_app.config.settings import Settings
from counter_app.domain.roles import Role
from counter_app.headoffice import admin
from counter_app.headoffice.ingest import BatchOutOfOrder, apply_batch
from counter_app.hub.server import HubOptions, HubServer, open_store
from counter_app.services.actor import Actor
from counter_app.services.blank_forms import BlankFormDesk
from counter_app.services.intake import IntakeDesk, IntakeOpen
from counter_app.services.queue import QueueDesk
from counter_app.storage.database import Store
from counter_app.storage.models import Base, ServiceType, Staff
from counter_app.storage.types import utcnow
from counter_app.sync import outbox
from counter_app.sync.enrolment import (
    BranchTaken,
    ClockSkew,
    Enrolled,
    check_clock,
    engine_for,
    enrol,
    enrolled,
    hub_instance,
    verify,
)
from counter_app.sync.process import SyncProcess
from counter_app.sync.tables import UP
from counter_app.sync.worker import SyncStatus, SyncWorker
from tests.pg import ThrowawayPostgres
from tests.sync_process import DSN_VARIABLE
from tests.sync_support import assert_same, engine
from tests.tcp_proxy import TcpProxy

REPO = Path(__file__).resolve().parents[2]
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
SHANGHAI = timedelta(hours=8)  # the demo branch's time zone, no daylight saving


@dataclass
class Office:
    """One test's head office: its own database and one branch in it."""

    server: ThrowawayPostgres
    name: str
    dsn: str  # head office's superuser
    code: str
    login: str
    password: str
    engine: Engine  # head office's superuser, for comparing

    def branch_dsn(self, port: int | None = None) -> str:
        """The branch login's address; through a proxy when ``port`` is given."""
        return (
            f"postgresql://{quote(self.login, safe='')}:{quote(self.password, safe='')}"
            f"@{self.server.host}:{port or self.server.port}/{self.name}"
        )

    def link(self, port: int | None = None, instance: str = "") -> Enrolled:
        return Enrolled(self.code, self.branch_dsn(port), instance)

    def batches(self) -> list[int]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT batch_seq FROM sync_batch WHERE branch_code = :c ORDER BY 1"),
                {"c": self.code},
            )
            return [int(r[0]) for r in rows]

    def holder(self) -> tuple[str | None, datetime | None]:
        with self.engine.connect() as connection:
            row = connection.execute(
                text("SELECT hub_instance, enrolled_at FROM branch WHERE code = :c"),
                {"c": self.code},
            ).one()
            return row[0], row[1]


@pytest.fixture
def office(postgres: ThrowawayPostgres, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    monkeypatch.setattr(admin, "_hasher", CHEAP_HASHER)  # the enrolment secret's cost
    name = f"ho_{secrets.token_hex(4)}"
    # The suite's server runs with synchronous_commit=off, as a head office tuned for speed
    # might: the branch logins must commit durably all the same (case 5).
    dsn = postgres.create_database(name)
    admin.init(dsn)
    code = f"F{secrets.token_hex(3).upper()}"
    enrolment = admin.add_branch(dsn, code, "故障测试网点")
    office = Office(
        postgres, name, dsn, code, enrolment.login_role, enrolment.password, engine(dsn)
    )
    yield office
    office.engine.dispose()
    postgres.drop_database(name)
    with psycopg.connect(postgres.dsn, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(office.login)))


@pytest.fixture
def store(demo_basedir: Basedir) -> Iterator[Store]:
    store, _ = open_store(demo_basedir)
    yield store
    store.dispose()


# --- the full comparison ---


def _assert_all_arrived(store: Store, office: Office) -> None:
    assert outbox.waiting(store) == 0, "rows still waiting in the outbox"
    assert_same(store, office.engine, office.code)  # 0 lost, 0 extra, the same content
    with store.read() as session:
        branch_counts = {
            name: session.scalar(sa_select(func.count()).select_from(Base.metadata.tables[name]))
            for name in UP
        }
        written = session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'")
        ).scalar_one()
    with office.engine.connect() as connection:
        for name in UP:
            there = connection.execute(
                text(f"SELECT count(*) FROM {name} WHERE branch_code = :c"),
                {"c": office.code},
            ).scalar_one()
            assert there == branch_counts[name], f"{name}: {there} at head office"
        applied = connection.execute(
            text("SELECT coalesce(sum(rows), 0) FROM sync_batch WHERE branch_code = :c"),
            {"c": office.code},
        ).scalar_one()
    # Each outbox row ever written went in exactly one batch that head office applied.
    assert applied == written


def _wait(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.02)


def _settled(status: SyncStatus) -> tuple[int, str, str]:
    return status.waiting, status.last_error, status.state


def _send(office: Office, branch: Engine, batch: outbox.Batch) -> bool:
    with branch.begin() as connection:
        return apply_batch(connection, office.code, batch)


def _drain(store: Store, office: Office, branch: Engine) -> None:
    while (batch := outbox.next_batch(store)) is not None:
        _send(office, branch, batch)
        outbox.acknowledge(store, batch.seq)


def _drain_as_the_hub(store: Store, link: Enrolled) -> int:
    worker = SyncWorker(store, link.branch_code, lambda: engine_for(link))
    try:
        return worker.drain()
    finally:
        worker.stop()  # disposes its engine


def _staff(store: Store, username: str) -> Actor:
    with store.read() as session:
        staff = session.scalar(sa_select(Staff).where(Staff.username == username))
        assert staff is not None
        roles = frozenset(Role(r.role) for r in staff.roles)
        return Actor(username, f"desk-{username}", roles, staff.id)


# --- 1. a week offline ---


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _a_week_of_activity(store: Store, first_day: datetime) -> Counter[str]:
    """Seven business days through the services, on a clock the test moves: tickets issued,
    called, served, some left waiting or missed; intake files opened and documents ticked;
    blank forms received, issued to the clerk and printed on. Returns tickets per day."""
    settings = Settings(None)
    clock = _Clock(first_day)
    queue = QueueDesk(store, settings, clock)
    intake = IntakeDesk(store, settings)
    forms = BlankFormDesk(store, settings)
    intake.clock = forms.clock = clock
    guide, clerk, collector, backoffice = (
        _staff(store, name) for name in ("guide", "clerk", "collector", "backoffice")
    )
    forms.receive(backoffice, "JQ", "JQ0000900001", "JQ0000900140")
    tickets: Counter[str] = Counter()
    for day in range(7):
        clock.now = first_day + timedelta(days=day)
        forms.issue(
            backoffice,
            "JQ",
            f"JQ0000900{day * 20 + 1:03d}",
            f"JQ0000900{day * 20 + 20:03d}",
            "clerk",
        )
        for n in range(24):
            service, window, staff = ("B", 3, collector) if n % 3 == 0 else ("A", 1, clerk)
            issued = queue.issue(guide, service)
            tickets[issued.business_day] += 1
            clock.now += timedelta(minutes=4)
            if n % 8 == 7:
                continue  # still waiting at closing time: the hub closes the day later
            if queue.call_next(staff, window) is None:
                continue
            if n % 5 == 4:
                queue.no_show(staff, window)
            elif n % 2:
                queue.start(staff, window)
                queue.finish(staff, window)
        for n in range(3):
            claim = f"RDAA{clock.now:%Y%m%d}{day:02d}{n:06d}"
            view = intake.open(
                collector,
                IntakeOpen(
                    claim_number=claim,
                    claim_type="vehicle_damage",
                    submitter_name="王小明",
                    submitter_phone="13812345678",
                    plate="苏A12345",
                ),
            )
            for item in view.items[: 2 + n]:
                intake.receive(collector, view.id, item.code, "original", 1 + n)
            clock.now += timedelta(minutes=10)
        for n in range(5):
            forms.use(clerk, "JQ", f"PDAA{clock.now:%Y%m%d}{day:02d}{n:05d}")
    return tickets


def test_a_week_offline_then_the_hub_enrols_and_catches_up_by_itself(
    office: Office, demo_basedir: Basedir
) -> None:
    today = utcnow().replace(hour=1, minute=0, second=0, microsecond=0)  # 09:00 in Shanghai
    store, _ = open_store(demo_basedir)
    try:
        tickets = _a_week_of_activity(store, today - timedelta(days=8))
        waiting = outbox.waiting(store)
    finally:
        store.dispose()
    assert len(tickets) == 7
    assert waiting > 5000  # the demo's rows and the week's
    assert office.batches() == []

    link = enrol(demo_basedir, office.branch_dsn(), office.code)
    server = HubServer(demo_basedir, Settings(None), HubOptions(host="127.0.0.1", port=0))
    server.start()
    try:
        context = server.context
        assert context is not None
        assert context.sync.status().enrolled
        _wait(lambda: _settled(context.sync.status()) == (0, "", "idle"), "the catch-up", 40)
        assert context.sync.status().branch_code == link.branch_code
        _assert_all_arrived(context.store, office)
    finally:
        server.stop()
    # The worker's process writes its own log beside the hub's: what it sent, in one line.
    log = (demo_basedir.logs / "sync.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in log.splitlines()]
    assert lines[0]["msg"] == f"sync worker running for branch {office.code}"
    caught_up = [line for line in lines if line["msg"].startswith("sent ")]
    assert caught_up
    assert sum(line["rows"] for line in caught_up) >= waiting
    with office.engine.connect() as connection:
        days = connection.execute(
            text(
                "SELECT business_day, count(*) FROM ticket WHERE branch_code = :c"
                " AND business_day = ANY(:days) GROUP BY business_day"
            ),
            {"c": office.code, "days": list(tickets)},
        ).all()
    assert dict(days) == dict(tickets)


def test_a_publication_pulled_by_the_sync_process_reaches_the_hub(
    office: Office, demo_basedir: Basedir, tmp_path: Path
) -> None:
    publication = tmp_path / "reference.toml"
    publication.write_text(
        '[[service_type]]\ncode = "A"\nname = "出单（总公司）"\nprefix = "A"\n', encoding="utf-8"
    )
    admin.publish(office.dsn, publication)
    link = enrol(demo_basedir, office.branch_dsn(), office.code)
    store, _ = open_store(demo_basedir)
    told = threading.Event()
    # The child applies the publication in its own transaction, which runs none of the hub's
    # after-commit hooks: the hub hears of it through the status queue.
    sync = SyncProcess(store, demo_basedir.database, link, demo_basedir.logs, told.set)
    sync.start()
    try:
        assert told.wait(60), "the hub was not told that a publication was applied"
        assert sync.status().reference_revision > 0
        with store.read() as session:
            name = session.scalar(sa_select(ServiceType.name).where(ServiceType.code == "A"))
        assert name == "出单（总公司）"
    finally:
        sync.stop()
        store.dispose()


# --- 2. the hub killed with -9 in the middle of a batch ---


def _hub_process(
    basedir: Basedir, office: Office, log: Path, *extra: str
) -> subprocess.Popen[bytes]:
    """The hub's sync worker as a process of its own; the branch login reaches it through the
    test-only variable, as the child cannot see this test's in-memory keyring."""
    environment = {**os.environ, DSN_VARIABLE: office.branch_dsn()}
    with log.open("ab") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.sync_process", str(basedir.root), office.code, *extra],
            cwd=REPO,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )


def _first_line(process: subprocess.Popen[bytes], log: Path, seconds: float = 30.0) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], seconds)
    line = process.stdout.readline().decode().strip() if ready else ""
    if not line:
        raise AssertionError(f"the hub process said nothing; its log:\n{log.read_text()}")
    return line


@contextlib.contextmanager
def _reaped(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _numbered(basedir: Basedir) -> set[int]:
    with sqlite3.connect(basedir.database) as raw:
        rows = raw.execute("SELECT DISTINCT batch FROM sync_outbox WHERE batch IS NOT NULL")
        return {int(r[0]) for r in rows}


@pytest.mark.parametrize("point", ["before_send", "after_send", "after_commit"])
def test_the_hub_killed_with_minus_9_in_the_middle_of_a_batch(
    point: str, office: Office, demo_basedir: Basedir, tmp_path: Path
) -> None:
    # The second batch: the first went through before it. (Past a full first batch the worker
    # catches up in bigger ones, so the second is most of the demo's backlog.)
    at = 2
    log = tmp_path / "hub-process.log"
    rows = ["--batch-rows", "400"]
    with _reaped(
        _hub_process(demo_basedir, office, log, *rows, "--pause-at", f"{point}:{at}")
    ) as hub:
        assert _first_line(hub, log) == f"paused {point} {at}"
        os.kill(hub.pid, signal.SIGKILL)
        assert hub.wait(timeout=10) == -signal.SIGKILL

    # Where it died: head office has the batch only if it committed; the branch still has it.
    assert office.batches() == list(range(1, at + 1 if point == "after_commit" else at))
    assert _numbered(demo_basedir) == {at}

    with _reaped(_hub_process(demo_basedir, office, log, *rows)) as hub:
        assert hub.wait(timeout=60) == 0, log.read_text()
        assert _first_line(hub, log).startswith("drained ")
    store, _ = open_store(demo_basedir)
    try:
        _assert_all_arrived(store, office)
    finally:
        store.dispose()


# --- 3. the TCP link cut mid-batch ---


def _failures(caplog: pytest.LogCaptureFixture) -> int:
    return sum("sync to head office failed" in r.getMessage() for r in caplog.records)


def test_the_link_cut_mid_batch_loses_nothing_and_the_worker_retries(
    office: Office, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="counter_app.sync.worker")
    # Log-in and the batch's first statements are under 1 kB; 1000 rows are far more.
    mid_batch = 24 * 1024
    with TcpProxy((office.server.host, office.server.port), lifetime=45) as proxy:
        link = office.link(proxy.port)
        worker = SyncWorker(store, office.code, lambda: engine_for(link), batch_rows=1000)
        proxy.cut_after(mid_batch)
        worker.start()
        try:
            _wait(lambda: proxy.cuts == 1, "the cut")
            _wait(lambda: worker.status().state == "offline", "the worker to notice")
            status = worker.status()
            assert status.last_error_code == "sync.unreachable"
            assert status.last_error
            assert office.batches() == []  # cut inside the first batch: none of it is there
            assert status.waiting == outbox.waiting(store) > 1000

            # Still cut: the worker's next tries are refused too, and it keeps trying.
            failures = _failures(caplog)
            worker.retry_now()  # as branch IT would; otherwise the backoff decides
            _wait(lambda: _failures(caplog) > failures, "a refused retry")

            # Back, and cut again while the same batch is sent again.
            proxy.cut_after(mid_batch)
            proxy.restore()
            worker.retry_now()
            _wait(lambda: proxy.cuts == 2, "the second cut")
            assert office.batches() == []

            proxy.restore()
            worker.retry_now()
            _wait(
                lambda: _settled(worker.status()) == (0, "", "idle"),
                "the worker to finish",
                40,
            )
        finally:
            worker.stop()
    assert proxy.connections >= 3
    _assert_all_arrived(store, office)


# --- 4. the same batch twice, out of order ---


def _two_batches_changing(store: Store, office: Office, branch: Engine) -> tuple[Any, ...]:
    """Batch 1 has a ticket issued, batch 2 the same ticket called. The hub has moved past
    both (as if head office had answered); the network still has to deliver them."""
    _drain(store, office, branch)
    queue = QueueDesk(store, Settings(None))
    ticket = queue.issue(_staff(store, "guide"), "A")
    first = outbox.next_batch(store)
    assert first is not None
    outbox.acknowledge(store, first.seq)
    called = queue.call_next(_staff(store, "clerk"), 1)
    assert called is not None
    assert called.id == ticket.id
    second = outbox.next_batch(store)
    assert second is not None
    outbox.acknowledge(store, second.seq)
    return ticket, first, second


def _deliver(office: Office, branch: Engine, deliveries: list[outbox.Batch]) -> Counter[int]:
    """Deliver in the given order; a batch head office refuses (it may insist on order) is
    delivered again after the others, as the hub re-sends what was not acknowledged.
    Returns how often each batch was applied."""
    applied: Counter[int] = Counter()
    refused: list[outbox.Batch] = []
    for batch in deliveries:
        try:
            applied[batch.seq] += _send(office, branch, batch)
        except (DBAPIError, BatchOutOfOrder):
            refused.append(batch)
    for batch in refused:
        applied[batch.seq] += _send(office, branch, batch)
    return applied


def test_the_same_batches_twice_and_out_of_order_touching_other_rows(
    office: Office, store: Store
) -> None:
    branch = engine(office.branch_dsn())
    try:
        _drain(store, office, branch)
        queue = QueueDesk(store, Settings(None))
        guide = _staff(store, "guide")
        batches = []
        for _ in range(3):
            queue.issue(guide, "A")
            batch = outbox.next_batch(store)
            assert batch is not None
            outbox.acknowledge(store, batch.seq)
            batches.append(batch)
        one, two, three = batches
        applied = _deliver(office, branch, [three, two, three, one, two, one])
        assert applied == {one.seq: 1, two.seq: 1, three.seq: 1}
        _assert_all_arrived(store, office)
    finally:
        branch.dispose()


def test_the_same_row_in_two_batches_out_of_order_keeps_the_later_version(
    office: Office, store: Store
) -> None:
    """What should happen: the row as the later batch has it wins, however the batches
    arrive. Head office refuses a batch whose predecessor has not arrived (the hub sends it
    again after); it is never undone by an older one."""
    branch = engine(office.branch_dsn())
    try:
        ticket, first, second = _two_batches_changing(store, office, branch)
        states = {
            b.seq: next(c.row["state"] for c in b.changes if c.table == "ticket" and c.row)
            for b in (first, second)
        }
        assert states == {first.seq: "waiting", second.seq: "called"}
        applied = _deliver(office, branch, [second, second, first, first])
        assert applied == {first.seq: 1, second.seq: 1}
        with office.engine.connect() as connection:
            state = connection.execute(
                text("SELECT state FROM ticket WHERE branch_code = :c AND id = :i"),
                {"c": office.code, "i": ticket.id},
            ).scalar_one()
        assert state == "called"
        _assert_all_arrived(store, office)
    finally:
        branch.dispose()


# --- 5. PostgreSQL restarted during sync ---


def test_postgresql_restarted_during_sync_loses_nothing(
    office: Office, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="counter_app.sync.worker")
    # The server commits asynchronously (fast, and lossy in a crash); the branch login not.
    for dsn, expected in ((office.dsn, "off"), (office.branch_dsn(), "on")):
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            assert conn.execute("SHOW synchronous_commit").fetchone() == (expected,)
    forms = BlankFormDesk(store, Settings(None))
    forms.receive(_staff(store, "backoffice"), "JQ", "JQ0000500001", "JQ0000510000")
    backlog = outbox.waiting(store)
    assert backlog > 20000
    link = office.link()
    worker = SyncWorker(store, office.code, lambda: engine_for(link), batch_rows=500)
    worker.start()
    try:
        _wait(lambda: len(office.batches()) >= 3, "the drain to be under way")
        crash = threading.Thread(
            target=office.server.restart, kwargs={"mode": "immediate"}, name="pg-restart"
        )
        crash.start()
        crash.join(timeout=60)
        assert not crash.is_alive()
        assert outbox.waiting(store) > 0, "the drain was over before the crash"
        _wait(lambda: _failures(caplog) > 0, "the worker's error")
        worker.retry_now()  # as branch IT would; otherwise the backoff decides
        _wait(lambda: worker.status().waiting == 0, "the worker to finish", 40)
    finally:
        worker.stop()
    _assert_all_arrived(store, office)


# --- 6. the branch clock ten minutes off ---


def _off_by(delta: timedelta) -> Callable[[], datetime]:
    return lambda: datetime.now(UTC) + delta


def test_a_branch_clock_ten_minutes_off_is_refused_with_both_times(
    office: Office, demo_basedir: Basedir, store: Store
) -> None:
    for delta in (timedelta(minutes=10), timedelta(minutes=-10)):
        with pytest.raises(ClockSkew) as caught:
            enrol(demo_basedir, office.branch_dsn(), office.code, clock=_off_by(delta))
        refused = caught.value
        assert refused.code == "sync.clock_skew"
        assert abs(refused.params["skew_seconds"] - delta.total_seconds()) < 30
        hub = datetime.fromisoformat(refused.params["hub_time"])
        there = datetime.fromisoformat(refused.params["headoffice_time"])
        assert abs((hub - there) - delta) < timedelta(seconds=30)
        for moment in (hub, there):  # both times, in words
            assert f"{moment:%Y-%m-%d %H:%M}" in refused.detail
        assert "10.0 minutes apart" in refused.detail
    # Refused before anything was kept or claimed.
    assert enrolled(demo_basedir) is None
    assert office.holder() == (None, None)

    branch = engine(office.branch_dsn())
    try:
        # Within the limit is fine (and the skew is measured); every way of asking agrees.
        assert 50 < check_clock(branch, _off_by(timedelta(minutes=1))) < 70
        with branch.connect() as connection:
            assert -70 < check_clock(connection, _off_by(timedelta(minutes=-1))) < -50
            with pytest.raises(ClockSkew):
                check_clock(connection, _off_by(timedelta(minutes=5, seconds=30)))
    finally:
        branch.dispose()
    # Head office's session in another time zone changes nothing: the message speaks UTC.
    with psycopg.connect(office.branch_dsn(), connect_timeout=5) as conn:
        conn.execute("SET TimeZone = 'Asia/Shanghai'")
        with pytest.raises(ClockSkew) as caught:
            check_clock(conn, _off_by(timedelta(minutes=-10)))
    there = datetime.fromisoformat(caught.value.params["headoffice_time"])
    assert there.utcoffset() == timedelta(0)
    assert f"head office's {there:%Y-%m-%d %H:%M:%S} UTC" in caught.value.detail

    # Set right, it enrols; the sync's own check refuses the clock going wrong later.
    link = enrol(demo_basedir, office.branch_dsn(), office.code)
    worker_engine = engine_for(link)
    try:
        with worker_engine.connect() as connection:
            assert abs(verify(connection, link)) < 30
            with pytest.raises(ClockSkew):
                verify(connection, link, _off_by(timedelta(minutes=10)))
    finally:
        worker_engine.dispose()
    _drain_as_the_hub(store, link)
    _assert_all_arrived(store, office)


# --- 7. two hubs with the same branch code ---


def _copy_data(source: Basedir, target: Basedir) -> None:
    """What branch IT carries to a new PC: the data folder (not the hub's id beside it)."""
    with sqlite3.connect(source.database) as old, sqlite3.connect(target.database) as new:
        old.backup(new)


def test_a_second_hub_with_the_same_branch_code_is_refused_until_released(
    office: Office, demo_basedir: Basedir, tmp_path: Path
) -> None:
    first = demo_basedir
    second = Basedir(tmp_path / "second-hub").ensure()
    _copy_data(first, second)  # another PC, set up from the same data by mistake
    link = enrol(first, office.branch_dsn(), office.code)
    assert link.instance == hub_instance(first) != hub_instance(second)
    holder, since = office.holder()
    assert holder == link.instance
    assert since is not None

    with pytest.raises(BranchTaken) as caught:
        enrol(second, office.branch_dsn(), office.code)
    assert caught.value.code == "sync.branch_taken"
    assert office.code in caught.value.detail
    assert enrolled(second) is None
    assert office.holder() == (holder, since)
    # The same hub enrolling again (a new password, say) keeps its claim.
    assert enrol(first, office.branch_dsn(), office.code) == link
    assert office.holder() == (holder, since)
    # Nor can the branch login go round the function.
    with psycopg.connect(office.branch_dsn(), autocommit=True, connect_timeout=5) as conn:
        with pytest.raises(psycopg.Error) as direct:
            conn.execute("SELECT claim_branch(%s)", (hub_instance(second),))
        assert direct.value.sqlstate == admin.BRANCH_TAKEN_SQLSTATE
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE branch SET hub_instance = NULL")

    # The first hub sends what it has, then its PC is replaced: its data goes to the new PC,
    # which is refused until head-office IT releases the branch.
    store, _ = open_store(first)
    try:
        _drain_as_the_hub(store, link)
        _assert_all_arrived(store, office)
    finally:
        store.dispose()
    new_pc = Basedir(tmp_path / "new-pc").ensure()
    _copy_data(first, new_pc)
    with pytest.raises(BranchTaken):
        enrol(new_pc, office.branch_dsn(), office.code)
    with pytest.raises(admin.BranchUnknown):
        admin.release_branch(office.dsn, "ZZ404")
    assert admin.release_branch(office.dsn, office.code) == link.instance
    assert admin.release_branch(office.dsn, office.code) is None
    moved = enrol(new_pc, office.branch_dsn(), office.code)
    assert office.holder()[0] == moved.instance == hub_instance(new_pc)
    with pytest.raises(BranchTaken):
        enrol(second, office.branch_dsn(), office.code)
    # The old PC's sync, checking its claim, would now stop.
    old_engine = engine_for(link)
    try:
        with old_engine.connect() as connection, pytest.raises(BranchTaken):
            verify(connection, link)
    finally:
        old_engine.dispose()

    store, _ = open_store(new_pc)
    try:
        QueueDesk(store, Settings(None)).issue(_staff(store, "guide"), "A")
        _drain_as_the_hub(store, moved)
        _assert_all_arrived(store, office)
    finally:
        store.dispose()
