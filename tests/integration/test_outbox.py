"""The outbox to head office: every change of a table sent up is captured in the same
transaction, by triggers, whoever writes it; the hub's own tables are not."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from counter_app.client.hub_client import HubClient
from counter_app.storage.models import Base
from counter_app.sync.tables import UP
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
    for table in UP:
        for event in ("insert", "update", "delete"):
            assert f"outbox_{table}_{event}" in names, table
    captured = {n.split("_", 1)[1].rsplit("_", 1)[0] for n in names if n.startswith("outbox_")}
    assert captured == set(UP)  # and nothing else: the hub's own tables stay home


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
    assert set(migration.SENT_UP) == set(UP)
    for table, key in migration.SENT_UP.items():
        model_key = tuple(c.name for c in Base.metadata.tables[table].primary_key.columns)
        assert key == model_key, table
