"""A branch's outbox drained into a real head-office PostgreSQL through the branch's own
sealed login: every row arrives once, a batch delivered twice changes nothing, and a hub
that died between sending and deleting its outbox rows sends the same batch again."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from counter_app.headoffice import admin
from counter_app.headoffice.ingest import apply_batch
from counter_app.hub.server import open_store
from counter_app.storage.database import Store
from counter_app.sync import outbox
from tests.pg import ThrowawayPostgres
from tests.sync_support import assert_same, engine, office_rows


@dataclass
class Link:
    store: Store
    code: str
    branch: Engine  # the branch's own login
    office: Engine  # head office's superuser, for comparing
    office_dsn: str


@pytest.fixture
def link(postgres: ThrowawayPostgres, demo_basedir: Any) -> Iterator[Link]:
    name = f"ho_{secrets.token_hex(4)}"
    dsn = postgres.create_database(name)
    admin.init(dsn)
    code = f"S{secrets.token_hex(3).upper()}"
    enrolment = admin.add_branch(dsn, code, "测试网点")
    store, _ = open_store(demo_basedir)
    branch = engine(postgres.dsn_for(name, enrolment.login_role, enrolment.password))
    office = engine(dsn)
    yield Link(store, code, branch, office, dsn)
    branch.dispose()
    office.dispose()
    store.dispose()
    postgres.drop_database(name)


def _send(link: Link, batch: outbox.Batch) -> bool:
    with link.branch.begin() as connection:
        return apply_batch(connection, link.code, batch)


def _drain(link: Link, max_rows: int = 500) -> int:
    batches = 0
    while (batch := outbox.next_batch(link.store, max_rows)) is not None:
        _send(link, batch)
        outbox.acknowledge(link.store, batch.seq)
        batches += 1
    return batches


def _assert_same(link: Link) -> None:
    assert_same(link.store, link.office, link.code)


def _office_rows(link: Link, name: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return office_rows(link.office, link.code, name)


def test_the_whole_branch_arrives_once_with_the_same_content(link: Link) -> None:
    waiting = outbox.waiting(link.store)
    assert waiting > 1000  # the demo: staff audit, 1,700 blank forms, policies
    assert _drain(link) >= 2
    assert outbox.waiting(link.store) == 0
    _assert_same(link)
    with link.office.connect() as connection:
        recorded = connection.execute(
            text("SELECT count(*), sum(rows) FROM sync_batch WHERE branch_code = :c"),
            {"c": link.code},
        ).one()
    assert recorded[1] == waiting  # every outbox row was in exactly one applied batch


def test_a_batch_delivered_twice_changes_nothing(link: Link) -> None:
    batch = outbox.next_batch(link.store, 50)
    assert batch is not None
    assert _send(link, batch) is True
    # The acknowledgement was lost (or the hub was killed before deleting its rows): the
    # hub sends the same batch, with the same number, again.
    again = outbox.next_batch(link.store, 50)
    assert again is not None
    assert again.seq == batch.seq
    assert _send(link, again) is False
    outbox.acknowledge(link.store, again.seq)
    _drain(link)
    _assert_same(link)


def test_changes_after_a_batch_was_numbered_go_in_a_later_one(link: Link) -> None:
    first = outbox.next_batch(link.store, 10)
    assert first is not None
    # A row of the numbered batch changes before it is sent (a ticket called while the link
    # was down): the new state is a new outbox row, so it cannot be lost with the old batch.
    with link.store.write() as session:
        session.execute(text("UPDATE blank_form_serial SET reason = 'recounted'"))
    assert _send(link, first)
    outbox.acknowledge(link.store, first.seq)
    _drain(link)
    _assert_same(link)
    reasons = _office_rows(link, "blank_form_serial")
    assert {row["reason"] for row in reasons.values()} == {"recounted"}


def test_a_branch_cannot_send_rows_as_another_branch(link: Link) -> None:
    batch = outbox.next_batch(link.store, 20)
    assert batch is not None
    with (
        pytest.raises(DBAPIError, match=r"row-level security"),
        link.branch.begin() as connection,
    ):
        apply_batch(connection, "DEMO01", batch)
    assert _send(link, batch)  # as itself it goes through


def test_head_office_sees_each_branchs_replication_and_reads_all_branches(link: Link) -> None:
    from counter_app.headoffice import report

    waiting = outbox.waiting(link.store)
    batches = _drain(link)
    assert report.create_views(link.office_dsn) == ["branch_sync", "tickets_by_day"]
    mine = next(b for b in report.branch_status(link.office_dsn) if b.branch_code == link.code)
    assert (mine.batches, mine.rows_received) == (batches, waiting)
    assert mine.last_batch_at is not None
    with link.office.connect() as connection:
        connection.execute(text("SELECT count(*) FROM tickets_by_day")).one()
    with (
        pytest.raises(DBAPIError, match=r"permission denied"),
        link.branch.connect() as connection,
    ):
        connection.execute(text("SELECT * FROM branch_sync")).all()
