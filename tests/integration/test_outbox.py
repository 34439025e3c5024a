"""The outbox to head office: every change of a table sent up is captured in the same
transaction, by triggers, whoever writes it; the hub's own tables are not."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from counter_app.client.hub_client import HubClient
from counter_app.storage.models import Base
from counter_app.sync.tables import DOWN, UP
from tests.conftest import DEMO_PASSWORDS


def outbox(database: Path, after: int = 0) -> list[tuple[int, str, list[Any], str]]:
    with sqlite3.connect(database) as raw:
        rows = raw.execute(
            "SELECT seq, table_name, row_key, op FROM sync_outbox WHERE seq > ? ORDER BY seq",
            (after,),
        ).fetchall()
    return [(seq, table, json.loads(key), op) for seq, table, key, op in rows]


def last_seq(database: Path) -> int:
    with sqlite3.connect(database) as raw:
        return int(raw.execute("SELECT coalesce(max(seq), 0) FROM sync_outbox").fetchone()[0])


def test_every_table_sent_up_has_its_triggers(demo_basedir: Any) -> None:
    from counter_app.hub.server import open_store

    store, _ = open_store(demo_basedir)
    store.dispose()
    with sqlite3.connect(demo_basedir.database) as raw:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    for table in (*UP, *DOWN):
        for event in ("insert", "update", "delete"):
            assert f"outbox_{table}_{event}" in names, table
    captured = {n.split("_", 1)[1].rsplit("_", 1)[0] for n in names if n.startswith("outbox_")}
    # and nothing else: the hub's own tables stay home (reference rows go up as branch edits)
    assert captured == set(UP) | set(DOWN)


def test_a_ticket_and_its_call_are_captured_with_their_keys(hub: Any) -> None:
    database = hub.basedir.database
    start = last_seq(database)
    client = HubClient(hub.url, "outbox-ws")
    try:
        client.login("guide", DEMO_PASSWORDS["guide"])
        ticket = client.issue_ticket("A")
        issued = outbox(database, start)
        assert ("ticket", [ticket.id.hex], "I") in [(t, k, o) for _s, t, k, o in issued]
        assert {t for _s, t, _k, _o in issued} >= {"ticket", "ticket_transition"}
        assert all(t in UP for _s, t, _k, _o in issued)  # tokens, events: not captured
        seqs = [s for s, *_ in issued]
        assert seqs == sorted(seqs)
    finally:
        client.close()


def test_raw_and_bulk_writes_are_captured_and_nothing_local(demo_basedir: Any) -> None:
    from counter_app.hub.server import open_store

    store, _ = open_store(demo_basedir)
    store.dispose()
    database = demo_basedir.database
    start = last_seq(database)
    with sqlite3.connect(database) as raw:
        raw.execute(
            "UPDATE blank_form_serial SET reason = 'checked' WHERE form_type = 'JQ'"
            " AND serial BETWEEN 100001 AND 100003"
        )
        raw.execute("INSERT INTO hub_event (type, payload, at) VALUES ('hub.started', '{}', "
                    "'2026-11-23 00:00:00.000000')")  # fmt: skip
        raw.execute("DELETE FROM auth_token")
    found = outbox(database, start)
    assert [(t, k, o) for _s, t, k, o in found] == [
        ("blank_form_serial", ["JQ", 100001], "U"),
        ("blank_form_serial", ["JQ", 100002], "U"),
        ("blank_form_serial", ["JQ", 100003], "U"),
    ]
    # A write that rolls back leaves no outbox row behind.
    with sqlite3.connect(database) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE blank_form_movement SET holder = 'x'")  # append-only: refused
    assert last_seq(database) == found[-1][0]


def test_the_migration_knows_every_table_sent_up_with_its_key() -> None:
    import importlib

    migration = importlib.import_module("migrations.versions.0007_outbox")
    later = importlib.import_module("migrations.versions.0008_reference_down")
    captured = {**migration.SENT_UP, **later.RECEIPTS, **later.REFERENCE}
    assert set(captured) == set(UP) | set(DOWN)
    for table, key in captured.items():
        model_key = tuple(c.name for c in Base.metadata.tables[table].primary_key.columns)
        assert key == model_key, table


# --- batches: numbered by seq range, read as SQLAlchemy reads the rows ---


def _store_with_every_kind_of_value(demo_basedir: Any) -> Any:
    """The demo branch with tickets (NULL times, JSON details), policy bodies of every JSON
    shape, awkward text, and a tally row deleted since it was captured."""
    from counter_app.config.settings import Settings
    from counter_app.domain.roles import Role
    from counter_app.hub.server import open_store
    from counter_app.services.actor import Actor
    from counter_app.services.queue import QueueDesk

    store, _ = open_store(demo_basedir)
    queue = QueueDesk(store, Settings(None))
    for service in ("A", "A", "B"):
        queue.issue(Actor("guide", "test", frozenset({Role.GUIDE})), service)
    queue.call_next(Actor("manager", "test", frozenset({Role.MANAGER})), 1)
    with sqlite3.connect(demo_basedir.database) as raw:
        numbers = [r[0] for r in raw.execute("SELECT number FROM policy_document ORDER BY 1")]
        bodies = ("null", '{"n": 0.1, "big": 12345678901234567, "zh": "中文"}', "[]")
        for number, body in zip(numbers, bodies, strict=False):
            raw.execute("UPDATE policy_document SET body = ? WHERE number = ?", (body, number))
        raw.execute("UPDATE policy_document SET insured_name = 'tab\tline\n\\N 中文'")
        raw.execute(
            "DELETE FROM blank_form_tally WHERE rowid = (SELECT min(rowid) FROM blank_form_tally)"
        )
    return store


def _plain(value: Any) -> Any:
    return value.hex if isinstance(value, uuid.UUID) else value


def _typed(row: dict[str, Any]) -> dict[str, tuple[type, Any, Any]]:
    return {k: (type(v), v, getattr(v, "tzinfo", None)) for k, v in row.items()}


def test_a_batch_holds_each_row_as_sqlalchemy_reads_it(demo_basedir: Any) -> None:
    from sqlalchemy import select

    from counter_app.sync import outbox

    store = _store_with_every_kind_of_value(demo_basedir)
    try:
        with sqlite3.connect(demo_basedir.database) as raw:
            captured = {r[0] for r in raw.execute("SELECT DISTINCT table_name FROM sync_outbox")}
        expected: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        with store.read() as session:
            for name in captured:
                table = Base.metadata.tables[name]
                key = [c.name for c in table.primary_key.columns]
                for row in session.execute(select(table)).mappings():
                    expected[(name, tuple(_plain(row[k]) for k in key))] = dict(row)
        seen: dict[tuple[str, tuple[Any, ...]], str] = {}
        while (batch := outbox.next_batch(store, 300)) is not None:
            in_batch = [(change.table, change.key) for change in batch.changes]
            assert len(set(in_batch)) == len(in_batch)  # each row once a batch
            for change in batch.changes:
                seen.pop((change.table, change.key), None)
                seen[(change.table, change.key)] = change.op  # the last change
                if change.row is None:
                    assert (change.table, change.key) not in expected
                    continue
                # the same values, of the same types (aware UTC datetimes, UUIDs, JSON)
                assert _typed(change.row) == _typed(expected[(change.table, change.key)])
            assert outbox.acknowledge(store, batch.seq) == batch.outbox_rows
        assert set(expected) <= set(seen)
        assert [key for key, op in seen.items() if op == "D"] == [
            key for key in seen if key not in expected
        ]
        assert any(k[0] == "blank_form_tally" for k in seen if k not in expected)
    finally:
        store.dispose()


def _numbered(database: Path) -> list[tuple[int, int]]:
    with sqlite3.connect(database) as raw:
        return raw.execute(
            "SELECT batch, seq FROM sync_outbox WHERE batch IS NOT NULL ORDER BY seq"
        ).fetchall()


def _seqs(database: Path) -> list[int]:
    return [seq for seq, *_ in outbox(database)]


def test_a_batch_is_a_seq_range_numbered_on_its_last_row_and_comes_again_the_same(
    demo_basedir: Any,
) -> None:
    from counter_app.hub.server import open_store
    from counter_app.sync import outbox as sender

    database = demo_basedir.database
    store, _ = open_store(demo_basedir)
    try:
        seqs = _seqs(database)
        first = sender.next_batch(store, 10)
        assert first is not None
        # One row written, whatever the batch's size: its last row carries the number.
        assert _numbered(database) == [(first.seq, seqs[9])]
        assert first.outbox_rows == 10
        # Rows written meanwhile wait for a later batch; the numbered one comes again with
        # its number, its outbox rows and its digest.
        with sqlite3.connect(database) as raw:
            raw.execute("UPDATE blank_form_serial SET reason = 'checked' WHERE serial % 50 = 0")
        again = sender.next_batch(store, 10)
        assert again == first
        # Read ahead while the first is on its way: the next ten, numbered; asked again, the same.
        second = sender.next_batch(store, 10, after=first.seq)
        assert second is not None
        assert second.seq == first.seq + 1
        assert _numbered(database) == [(first.seq, seqs[9]), (second.seq, seqs[19])]
        assert sender.next_batch(store, 10, after=first.seq) == second
        assert second.digest != first.digest
        # Acknowledged out of order: each deletes its own rows only.
        assert sender.acknowledge(store, second.seq) == 10
        assert _seqs(database)[:10] == seqs[:10]
        assert _seqs(database)[10] == seqs[20]
        assert sender.next_batch(store, 500) == first
        assert sender.acknowledge(store, first.seq) == 10
        assert sender.acknowledge(store, first.seq) == 0  # acknowledged before
        assert _seqs(database)[0] == seqs[20]
        assert _numbered(database) == []
        third = sender.next_batch(store, 5)
        assert third is not None
        assert (third.seq, third.outbox_rows) == (second.seq + 1, 5)
    finally:
        store.dispose()


def test_the_digest_covers_each_outbox_row_of_the_batch(demo_basedir: Any) -> None:
    """Head office keeps it with the batch's number and compares it at every delivery: its
    form cannot change without making batches in flight at an upgrade look foreign."""
    import hashlib

    from counter_app.hub.server import open_store
    from counter_app.sync import outbox as sender

    rows = outbox(demo_basedir.database)[:25]
    with sqlite3.connect(demo_basedir.database) as raw:
        texts = raw.execute(
            "SELECT seq, table_name, row_key, op FROM sync_outbox ORDER BY seq LIMIT 25"
        ).fetchall()
    store, _ = open_store(demo_basedir)
    try:
        batch = sender.next_batch(store, 25)
    finally:
        store.dispose()
    assert batch is not None
    assert batch.outbox_rows == len(rows) == 25
    lines = "".join(f"{seq}|{table}|{key}|{op}\n" for seq, table, key, op in texts)
    assert batch.digest == hashlib.sha256(lines.encode()).hexdigest()


def test_an_outbox_numbered_by_an_earlier_version_is_sent_the_same(demo_basedir: Any) -> None:
    """Before seq ranges every row of a batch carried its number: a hub upgraded with a batch
    sent and not acknowledged sends that batch again, the same rows under the same number."""
    from counter_app.hub.server import open_store
    from counter_app.sync import outbox as sender

    database = demo_basedir.database
    seqs = _seqs(database)
    with sqlite3.connect(database) as raw:
        raw.execute("UPDATE sync_outbox SET batch = 7 WHERE seq <= ?", (seqs[29],))
        raw.execute("INSERT INTO hub_meta (key, value) VALUES ('sync.next_batch', '8')")
    store, _ = open_store(demo_basedir)
    try:
        old = sender.next_batch(store, 10)
        assert old is not None
        assert (old.seq, old.outbox_rows) == (7, 30)
        following = sender.next_batch(store, 10, after=7)
        assert following is not None
        assert (following.seq, following.outbox_rows) == (8, 10)
        assert sender.acknowledge(store, 7) == 30
        assert sender.acknowledge(store, 8) == 10
        assert _seqs(database)[0] == seqs[40]
    finally:
        store.dispose()
