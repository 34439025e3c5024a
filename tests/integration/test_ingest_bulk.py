"""Head office's bulk path (COPY into a staging table, one merge) against its row path (one
statement a row): the same batches leave exactly the same rows, a batch sent again changes
nothing, row-level security holds, and the worker catching up in big batches, each read while
the one before is applied, loses nothing when head office fails in the middle."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from counter_app.headoffice import admin, ingest
from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
from counter_app.hub.server import open_store
from counter_app.storage.database import Store
from counter_app.sync import outbox
from counter_app.sync import worker as worker_module
from counter_app.sync.tables import UP
from counter_app.sync.worker import SyncWorker
from tests.pg import ThrowawayPostgres
from tests.sync_support import assert_same, engine, office_rows

ROW_PATH = 10**9  # ingest.BULK_ROWS: no table of a batch is ever that big
BULK_PATH = 1  # every table of every batch through COPY
# What COPY must carry as it is: tab, newline, carriage return, backslashes (and "\N", text
# COPY's NULL), quotes, non-ASCII.
AWKWARD = "tab\there|line\nbreak|cr\rx|back\\slash|\\N|'single' \"double\"|中文 ✓"
AWKWARD_JSON = '{"note": "x\\ty\\nz\\\\ \\\\N", "n": 0.1, "big": 12345678901234567, "zh": "中文"}'


@dataclass
class Office:
    dsn: str
    engine: Engine  # superuser, for comparing
    row: str  # the branch whose batches go through the row path
    bulk: str  # the branch whose batches go through the bulk path
    logins: dict[str, Engine]  # branch code: that branch's own login

    def send(self, code: str, batch: outbox.Batch) -> bool:
        with self.logins[code].begin() as connection:
            return ingest.apply_batch(connection, code, batch)

    def recorded(self, code: str) -> tuple[int, int]:
        with self.engine.connect() as connection:
            count, rows = connection.execute(
                text(
                    "SELECT count(*), coalesce(sum(rows), 0) FROM sync_batch WHERE branch_code = :c"
                ),
                {"c": code},
            ).one()
        return int(count), int(rows)

    def stored(self, code: str) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                name: int(
                    connection.execute(
                        text(f"SELECT count(*) FROM {name} WHERE branch_code = :c"), {"c": code}
                    ).scalar_one()
                )
                for name in UP
            }


@pytest.fixture
def office(postgres: ThrowawayPostgres) -> Iterator[Office]:
    name = f"ho_{secrets.token_hex(4)}"
    dsn = postgres.create_database(name)
    admin.init(dsn)
    # Roles belong to the whole cluster: codes of their own for each test.
    row, bulk = (f"{kind}{secrets.token_hex(3).upper()}" for kind in ("R", "B"))
    logins = {}
    for code in (row, bulk):
        enrolment = admin.add_branch(dsn, code, f"{code} 网点")
        logins[code] = engine(postgres.dsn_for(name, enrolment.login_role, enrolment.password))
    office = Office(dsn, engine(dsn), row, bulk, logins)
    yield office
    for login in logins.values():
        login.dispose()
    office.engine.dispose()
    postgres.drop_database(name)


@pytest.fixture
def store(demo_basedir: Any) -> Iterator[Store]:
    """The demo branch with more forms, a few tickets (NULL times, JSON details), and awkward
    values in text and JSON columns."""
    from counter_app.config.settings import Settings
    from counter_app.domain.roles import Role
    from counter_app.services.actor import Actor
    from counter_app.services.blank_forms import BlankFormDesk
    from counter_app.services.queue import QueueDesk

    store, _ = open_store(demo_basedir)
    back = Actor("backoffice", "test", frozenset({Role.BACKOFFICE}))
    BlankFormDesk(store, Settings(None)).receive(back, "JB", "JB0000700001", "JB0000701500")
    queue = QueueDesk(store, Settings(None))
    for service in ("A", "A", "B"):
        queue.issue(Actor("guide", "test", frozenset({Role.GUIDE})), service)
    queue.call_next(Actor("manager", "test", frozenset({Role.MANAGER})), 1)
    with sqlite3.connect(demo_basedir.database) as raw:
        raw.execute(
            "UPDATE blank_form_serial SET reason = ? WHERE form_type = 'JB' AND serial % 7 = 0",
            (AWKWARD,),
        )
        raw.execute("UPDATE policy_document SET insured_name = ?", (AWKWARD,))
        numbers = [r[0] for r in raw.execute("SELECT number FROM policy_document ORDER BY 1")]
        for number, body in zip(numbers, ("null", AWKWARD_JSON, "[]"), strict=False):
            raw.execute("UPDATE policy_document SET body = ? WHERE number = ?", (body, number))
    yield store
    store.dispose()


def _batches(store: Store, max_rows: int) -> list[outbox.Batch]:
    """Every batch the outbox holds, read (and acknowledged) once, to send to both paths."""
    batches = []
    while (batch := outbox.next_batch(store, max_rows)) is not None:
        outbox.acknowledge(store, batch.seq)
        batches.append(batch)
    return batches


def _send_all(office: Office, monkeypatch: pytest.MonkeyPatch, batches: list[outbox.Batch]) -> None:
    for code, bulk_rows in ((office.row, ROW_PATH), (office.bulk, BULK_PATH)):
        monkeypatch.setattr(ingest, "BULK_ROWS", bulk_rows)
        for batch in batches:
            assert office.send(code, batch)


def _assert_paths_agree(office: Office) -> None:
    """Row for row, value for value, both in Python (the comparison helpers) and as
    PostgreSQL stores them (EXCEPT compares the stored values, timestamps to the
    microsecond and JSONB by value)."""
    tables = headoffice_metadata().tables
    for name in UP:
        assert office_rows(office.engine, office.bulk, name) == office_rows(
            office.engine, office.row, name
        ), name
        columns = ", ".join(f'"{c.name}"' for c in tables[name].columns if c.name != BRANCH_CODE)
        with office.engine.connect() as connection:
            for one, other in ((office.row, office.bulk), (office.bulk, office.row)):
                differing = connection.execute(
                    text(
                        f"SELECT count(*) FROM (SELECT {columns} FROM {name} WHERE"
                        f" branch_code = :one EXCEPT SELECT {columns} FROM {name} WHERE"
                        " branch_code = :other) AS d"
                    ),
                    {"one": one, "other": other},
                ).scalar_one()
                assert differing == 0, name


def test_the_bulk_path_leaves_exactly_the_rows_the_row_path_does(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = _batches(store, 700)
    assert sum(b.outbox_rows for b in batches) > 5000
    with store.write() as session:
        # Every audit entry again: insert-only at head office, so this later batch must leave
        # the entries as they arrived (DO NOTHING: the branch login may not UPDATE them).
        session.execute(
            text(
                "INSERT INTO sync_outbox (table_name, row_key, op)"
                " SELECT 'audit_entry', json_array(seq), 'U' FROM audit_entry"
            )
        )
        # Rows head office has already, changed: merged over the old ones (DO UPDATE).
        session.execute(
            text("UPDATE blank_form_serial SET holder = 'recount' WHERE serial % 5 = 0")
        )
    batches += _batches(store, 700)
    _send_all(office, monkeypatch, batches)

    _assert_paths_agree(office)
    for code in (office.row, office.bulk):
        assert_same(store, office.engine, code)
        assert office.recorded(code) == (len(batches), sum(b.outbox_rows for b in batches))
    serials = office_rows(office.engine, office.bulk, "blank_form_serial")
    assert sum(row["reason"] == AWKWARD for row in serials.values()) > 100
    assert {row["holder"] for key, row in serials.items() if key[1] % 5 == 0} == {"recount"}
    bodies = [
        r["body"]
        for _, r in sorted(office_rows(office.engine, office.bulk, "policy_document").items())
    ]
    assert bodies[:3] == [None, json.loads(AWKWARD_JSON), []]


def test_a_row_deleted_at_the_branch_stays_at_head_office_on_both_paths(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _batches(store, 2000)
    key = "business_day, form_type, move, holder, before_holder, before_state"
    with store.write() as session:
        gone = session.execute(text(f"SELECT {key} FROM blank_form_tally LIMIT 2")).all()
        for row in gone:
            session.execute(
                text(f"DELETE FROM blank_form_tally WHERE ({key}) = (:a, :b, :c, :d, :e, :f)"),
                dict(zip("abcdef", row, strict=True)),
            )
        session.execute(text("UPDATE blank_form_serial SET holder = 'moved' WHERE serial % 3 = 0"))
    later = _batches(store, 2000)
    deleted = [c for b in later for c in b.changes if c.op == "D"]
    assert len(deleted) == 2
    assert all(c.table == "blank_form_tally" and c.row is None for c in deleted)
    assert sorted(c.key for c in deleted) == sorted(tuple(row) for row in gone)
    _send_all(office, monkeypatch, first + later)

    _assert_paths_agree(office)
    for code in (office.row, office.bulk):
        there = office_rows(office.engine, code, "blank_form_tally")
        assert all(c.key in there for c in deleted)  # kept in head office's history
        serials = office_rows(office.engine, code, "blank_form_serial")
        assert {row["holder"] for key, row in serials.items() if key[1] % 3 == 0} == {"moved"}


def test_a_bulk_batch_sent_again_changes_nothing(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BULK_ROWS", BULK_PATH)
    batches = _batches(store, 2000)
    for batch in batches:
        assert office.send(office.bulk, batch)
    before = (office.stored(office.bulk), office.recorded(office.bulk))
    # The acknowledgement was lost: the hub sends the same batches, numbers and rows again.
    for batch in (batches[-1], *batches):
        assert office.send(office.bulk, batch) is False
    assert (office.stored(office.bulk), office.recorded(office.bulk)) == before
    assert_same(store, office.engine, office.bulk)


def test_a_bulk_batch_as_another_branch_is_refused_and_leaves_nothing(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BULK_ROWS", BULK_PATH)
    batch = outbox.next_batch(store, 2000)
    assert batch is not None
    with (
        pytest.raises(DBAPIError, match=r"row-level security"),
        office.logins[office.bulk].begin() as connection,
    ):
        ingest.apply_batch(connection, office.row, batch)
    # The merge itself, past the batch's record, runs under the login's policies too.
    serials = [c.row for c in batch.changes if c.table == "blank_form_serial" and c.row]
    assert len(serials) > 100
    table = headoffice_metadata().tables["blank_form_serial"]
    with (
        pytest.raises(DBAPIError, match=r'row-level security policy for table "blank_form_serial"'),
        office.logins[office.bulk].begin() as connection,
    ):
        ingest._merge_through_copy(connection, table, office.row, serials)
    assert sum(office.stored(office.row).values()) == 0
    assert office.recorded(office.row) == (0, 0)
    assert office.send(office.bulk, batch)  # as itself it goes through


def test_the_worker_catches_up_in_big_batches_and_a_failure_loses_nothing(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = outbox.waiting(store)
    sizes: list[int] = []
    calls = 0
    send = ingest.apply_batch

    def apply_batch(connection: Any, code: str, batch: outbox.Batch) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:  # head office goes away while the fourth batch is being read
            raise OperationalError("INSERT", None, ConnectionResetError("link cut"))
        sizes.append(batch.outbox_rows)
        return send(connection, code, batch)

    monkeypatch.setattr(worker_module, "apply_batch", apply_batch)
    worker = SyncWorker(
        store, office.bulk, lambda: office.logins[office.bulk], batch_rows=100, catch_up_rows=900
    )
    with pytest.raises(OperationalError):
        worker.drain()
    # The batch that failed and the one read ahead of it keep their numbers and go next.
    worker.drain()
    assert outbox.waiting(store) == 0
    assert sizes[0] == 100  # a full first batch starts the catch-up
    assert max(sizes) == 900
    assert office.recorded(office.bulk) == (len(sizes), waiting)
    assert_same(store, office.engine, office.bulk)


def test_a_batch_number_with_other_contents_is_refused_and_an_earlier_digest_still_known(
    office: Office, store: Store
) -> None:
    """Head office keeps each batch's digest with its number. A batch sent again is known by
    it (also when head office recorded it with the digest of its changes, as before outbox
    digests); the same number with other contents is a branch store that started over, and
    is refused rather than acknowledged as "already here" (which would lose its rows)."""
    first, second, *_ = _batches(store, 700)
    assert office.send(office.bulk, first)
    # Recorded by an earlier version: the digest of the batch's changes.
    assert office.send(office.bulk, replace(second, digest=""))
    with office.engine.connect() as connection:
        recorded = connection.execute(
            text("SELECT batch_seq, digest FROM sync_batch WHERE branch_code = :c ORDER BY 1"),
            {"c": office.bulk},
        ).all()
    assert [tuple(r) for r in recorded] == [
        (first.seq, first.digest),
        (second.seq, ingest.changes_digest(second)),
    ]
    before = (office.stored(office.bulk), office.recorded(office.bulk))
    assert office.send(office.bulk, first) is False
    assert office.send(office.bulk, second) is False
    # A store started over: its batch 1 holds other rows.
    for foreign in (replace(second, seq=first.seq), replace(second, seq=first.seq, digest="")):
        with pytest.raises(ingest.BatchMismatch) as refused:
            office.send(office.bulk, foreign)
        assert refused.value.code == "sync.batch_mismatch"
    assert (office.stored(office.bulk), office.recorded(office.bulk)) == before


def test_the_staging_tables_are_kept_for_the_session_and_made_again_when_they_no_longer_fit(
    office: Office, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "BULK_ROWS", BULK_PATH)
    first, second, third, *rest = _batches(store, 700)
    mine = "SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'"
    with office.logins[office.bulk].connect() as connection:  # one session
        with connection.begin():
            assert ingest.apply_batch(connection, office.bulk, first)
        kept = set(connection.exec_driver_sql(mine).scalars())
        merged = {c.table for c in first.changes if c.table in UP and c.row is not None}
        assert kept == {f"staging_{name}" for name in merged}
        # One that no longer fits its table (as after a head-office migration): made again.
        again = next(f"staging_{c.table}" for c in second.changes if f"staging_{c.table}" in kept)
        connection.exec_driver_sql(f"ALTER TABLE pg_temp.{again} DROP COLUMN branch_code")
        connection.commit()
        # Two batches in one transaction: each table's staging emptied after its merge.
        with connection.begin():
            assert ingest.apply_batch(connection, office.bulk, second)
            assert ingest.apply_batch(connection, office.bulk, third)
            for name in connection.exec_driver_sql(mine).scalars():
                left = connection.exec_driver_sql(f"SELECT count(*) FROM pg_temp.{name}")
                assert left.scalar() == 0, name
        for batch in rest:
            with connection.begin():
                assert ingest.apply_batch(connection, office.bulk, batch)
    assert_same(store, office.engine, office.bulk)
    assert office.recorded(office.bulk)[0] == 3 + len(rest)
