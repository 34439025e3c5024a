"""Schema versions across head office and the branches (docs/replication.md, "Schema versions").

Head office's schema is made by Alembic (migrations/headoffice) and must be exactly what
``headoffice_metadata()`` describes; a batch says which branch schema its rows have, and head
office takes the current and the previous one, refuses an older one (upgrade the hub) and waits
with a newer one (upgrade head office), losing nothing. Against a real PostgreSQL (tests/pg.py).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import Connection, Engine, text, update

from counter_app.compat import SCHEMA_REVISION
from counter_app.headoffice import admin, ingest, versions
from counter_app.headoffice.ingest import apply_batch
from counter_app.headoffice.schema import headoffice_metadata
from counter_app.hub.server import open_store
from counter_app.storage.database import Store
from counter_app.storage.models import Base
from counter_app.storage.types import utcnow
from counter_app.sync import outbox
from counter_app.sync.tables import UP
from counter_app.sync.worker import SyncWorker
from counter_app.ui.messages import ERRORS, Messages
from tests.pg import ThrowawayPostgres
from tests.sync_support import assert_same, branch_rows, engine, office_rows

REGENERATE = (
    "head office's migrations do not build what headoffice_metadata() describes. While no head"
    " office has run it, make the baseline again: .venv/bin/python"
    " scripts/new_headoffice_migration.py --baseline; after that, add a revision:"
    ' .venv/bin/python scripts/new_headoffice_migration.py "what changed". Differences: '
)
# A column the previous branch schema "did not have yet" (nullable at head office, as a column
# added in a new version must be), and one the branch changes meanwhile.
NEW_TABLE, NEW_COLUMN, CHANGED_COLUMN = "policy_document", "printed_at", "insured_name"


@dataclass
class Office:
    server: ThrowawayPostgres
    name: str
    dsn: str  # the superuser's
    roles: list[str]

    def engine(self) -> Engine:
        return engine(self.dsn)


@pytest.fixture
def office(postgres: ThrowawayPostgres) -> Iterator[Office]:
    name = f"ho_{secrets.token_hex(5)}"
    made = Office(postgres, name, postgres.create_database(name), [])
    yield made
    postgres.drop_database(name)
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        for role in made.roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@dataclass
class Link:
    office: Office
    store: Store
    code: str
    branch_dsn: str
    branch: Engine  # the branch's own login
    superuser: Engine  # head office, for looking


@pytest.fixture
def link(office: Office, demo_basedir: Any) -> Iterator[Link]:
    admin.init(office.dsn)
    code = f"V{secrets.token_hex(3).upper()}"
    enrolment = admin.add_branch(office.dsn, code, "版本测试网点")
    office.roles.append(enrolment.login_role)
    branch_dsn = office.server.dsn_for(office.name, enrolment.login_role, enrolment.password)
    store, _ = open_store(demo_basedir)
    made = Link(office, store, code, branch_dsn, engine(branch_dsn), office.engine())
    yield made
    made.branch.dispose()
    made.superuser.dispose()
    store.dispose()


def _previous() -> str:
    ladder = versions.branch_ladder()
    assert len(ladder) >= 3, ladder  # current, previous and at least one retired
    return ladder[1]


def _send(link: Link, batch: outbox.Batch) -> bool:
    with link.branch.begin() as connection:
        return apply_batch(connection, link.code, batch)


def _scalar(link: Link, statement: str, **params: Any) -> Any:
    with link.superuser.connect() as connection:
        return connection.execute(text(statement), params).scalar()


def _office_counts(link: Link) -> dict[str, int]:
    with link.superuser.connect() as connection:
        return {
            name: int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
            for name in (*UP, "sync_batch")
        }


def _snapshot(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Head office's schema as PostgreSQL has it: columns, indexes, constraints, versions."""
    queries = {
        "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = current_schema()",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
        "constraints": "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
        " WHERE n.nspname = current_schema()",
        "alembic": "SELECT version_num FROM alembic_version",
        "accepts": "SELECT branch_revision, role FROM schema_accept",
    }
    return {
        name: sorted(tuple(row) for row in connection.exec_driver_sql(query))
        for name, query in queries.items()
    }


def _wait(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


# --- head office's own schema: Alembic ---


def test_init_migrates_to_head_and_makes_every_table(office: Office) -> None:
    result = admin.init(office.dsn)
    every = {name for m in versions.target_metadata() for name in m.tables}
    assert versions.SCHEMA_ACCEPT in every
    assert set(result.created) == every  # schema_accept too
    assert result.revision == versions.head()
    ladder = versions.branch_ladder()
    assert ladder[0] == SCHEMA_REVISION  # the branches' newest is what this program's hubs send
    assert result.accepts == (SCHEMA_REVISION, _previous())
    office_engine = office.engine()
    try:
        with office_engine.connect() as connection:
            assert versions.current(connection) == versions.head()
            tables = set(
                connection.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).scalars()
            )
            accepted: dict[str, str] = {
                str(revision): str(role)
                for revision, role in connection.exec_driver_sql(
                    "SELECT branch_revision, role FROM schema_accept"
                )
            }
    finally:
        office_engine.dispose()
    assert tables == every | {"alembic_version"}
    assert accepted == versions.roles_for(ladder)
    assert accepted[SCHEMA_REVISION] == versions.CURRENT
    assert accepted[_previous()] == versions.PREVIOUS
    assert set(accepted.values()) == {versions.CURRENT, versions.PREVIOUS, versions.RETIRED}


def test_init_again_changes_nothing(office: Office) -> None:
    admin.init(office.dsn)
    office_engine = office.engine()
    try:
        with office_engine.connect() as connection:
            before = _snapshot(connection)
        again = admin.init(office.dsn)
        with office_engine.connect() as connection:
            after = _snapshot(connection)
    finally:
        office_engine.dispose()
    assert again.created == ()
    assert again.revision == versions.head()
    assert after == before
    assert before["alembic"] == [(versions.head(),)]


def test_the_migrations_build_what_headoffice_metadata_describes(office: Office) -> None:
    """The drift test: a model change without a head-office revision fails here."""
    office_engine = office.engine()
    try:
        with office_engine.connect() as connection, connection.begin() as transaction:
            versions.upgrade(connection)
            assert versions.current(connection) == versions.head()
            differences = versions.drift(connection)
            assert differences == [], REGENERATE + repr(differences)
            # ... and it does see a difference when there is one.
            connection.exec_driver_sql("ALTER TABLE ticket ADD COLUMN surprise integer")
            connection.exec_driver_sql("DROP INDEX ix_ticket_queue")
            found = versions.drift(connection)
            assert ("remove_column", None, "ticket") in [diff[:3] for diff in found]
            assert "add_index" in [diff[0] for diff in found]
            transaction.rollback()
    finally:
        office_engine.dispose()


def test_a_database_made_before_migrations_is_adopted(office: Office) -> None:
    office_engine = office.engine()
    try:
        with office_engine.begin() as connection:  # what init did before head office had Alembic
            headoffice_metadata().create_all(connection)
        result = admin.init(office.dsn)
        assert result.created == (versions.SCHEMA_ACCEPT,)  # the one table it lacked then
        assert result.revision == versions.head()
        with office_engine.connect() as connection:
            assert versions.current(connection) == versions.head()
            assert versions.drift(connection) == []
            assert connection.exec_driver_sql("SELECT count(*) FROM schema_accept").scalar()
    finally:
        office_engine.dispose()


def test_a_database_of_other_tables_is_not_adopted(office: Office) -> None:
    office_engine = office.engine()
    try:
        with office_engine.begin() as connection:
            headoffice_metadata().create_all(connection)
            connection.exec_driver_sql("ALTER TABLE ticket ADD COLUMN surprise integer")
        with pytest.raises(admin.HeadOfficeSchemaMismatch, match="ticket"):
            admin.init(office.dsn)
        with office_engine.connect() as connection:
            assert versions.current(connection) is None  # not stamped: nothing was changed
            assert not connection.exec_driver_sql("SELECT to_regclass('schema_accept')").scalar()
    finally:
        office_engine.dispose()


def test_init_refuses_a_schema_a_newer_program_made(office: Office) -> None:
    admin.init(office.dsn)
    office_engine = office.engine()
    try:
        with office_engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'ho9999_future'")
        with pytest.raises(admin.HeadOfficeSchemaMismatch, match="ho9999_future"):
            admin.init(office.dsn)
        with office_engine.connect() as connection:
            assert versions.current(connection) == "ho9999_future"
    finally:
        office_engine.dispose()


# --- batches and the branch schema they were made with ---


def test_a_batch_says_which_branch_schema_made_it(link: Link) -> None:
    batch = outbox.next_batch(link.store, 10)
    assert batch is not None
    assert batch.schema == SCHEMA_REVISION


def _set_printed(store: Store) -> None:
    with store.write() as session:
        session.execute(update(Base.metadata.tables[NEW_TABLE]).values({NEW_COLUMN: utcnow()}))


def _without_new_column(batch: outbox.Batch, every: int = 1) -> outbox.Batch:
    """``batch`` as the previous branch schema made it: ``NEW_COLUMN`` missing (from every
    ``every``-th row of its table), tagged with the previous revision."""
    changes, seen = [], 0
    for change in batch.changes:
        if change.table != NEW_TABLE or change.row is None:
            changes.append(change)
            continue
        lacking = seen % every == 0
        seen += 1
        row = {k: v for k, v in change.row.items() if not (lacking and k == NEW_COLUMN)}
        changes.append(replace(change, row=row))
    return replace(batch, changes=changes, schema=_previous())


@pytest.fixture(params=["rows", "copy"])
def merge_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways head office merges a table's rows: a statement a row, and COPY."""
    monkeypatch.setattr(ingest, "BULK_ROWS", 10**9 if request.param == "rows" else 1)
    return str(request.param)


def test_previous_schema_rows_without_a_new_column_get_its_default(
    link: Link, merge_path: str
) -> None:
    column = headoffice_metadata().tables[NEW_TABLE].c[NEW_COLUMN]
    assert column.nullable  # and no default: so it is NULL
    assert column.server_default is None
    _set_printed(link.store)
    batch = outbox.next_batch(link.store, 100_000)
    assert batch is not None
    assert outbox.next_batch(link.store, 100_000, after=batch.seq) is None  # one batch: all
    # Every other row lacks the column: rows of both schema versions in one batch.
    assert _send(link, _without_new_column(batch, every=2)) is True
    outbox.acknowledge(link.store, batch.seq)
    branch = branch_rows(link.store, NEW_TABLE)
    there = office_rows(link.superuser, link.code, NEW_TABLE)
    assert set(there) == set(branch)
    assert len(branch) >= 4
    nulls = 0
    for key, row in branch.items():
        assert row[NEW_COLUMN] is not None
        if there[key][NEW_COLUMN] is None:
            nulls += 1
            assert there[key] == {**row, NEW_COLUMN: None}, key
        else:
            assert there[key] == row, key
    assert nulls == (len(branch) + 1) // 2  # exactly the rows that lacked it
    for name in UP:
        if name != NEW_TABLE:
            assert office_rows(link.superuser, link.code, name) == branch_rows(link.store, name)


def test_previous_schema_rows_keep_head_offices_value_of_a_new_column(
    link: Link, merge_path: str
) -> None:
    _set_printed(link.store)
    first = outbox.next_batch(link.store, 100_000)
    assert first is not None
    assert _send(link, first) is True  # the current schema: every column
    outbox.acknowledge(link.store, first.seq)
    with link.store.write() as session:
        table = Base.metadata.tables[NEW_TABLE]
        session.execute(
            update(table).values({CHANGED_COLUMN: table.c[CHANGED_COLUMN] + " (changed)"})
        )
    second = outbox.next_batch(link.store, 100_000)
    assert second is not None
    assert {c.table for c in second.changes} == {NEW_TABLE}
    assert _send(link, _without_new_column(second)) is True
    outbox.acknowledge(link.store, second.seq)
    there = office_rows(link.superuser, link.code, NEW_TABLE)
    assert there
    assert all(r[CHANGED_COLUMN].endswith(" (changed)") for r in there.values())
    assert all(r[NEW_COLUMN] is not None for r in there.values())  # not overwritten with NULL
    assert_same(link.store, link.superuser, link.code)


@pytest.mark.parametrize(
    ("revision", "refusal"),
    [
        ("retired", versions.UpgradeRequired),
        ("0999_from_the_future", versions.HeadOfficeBehind),
    ],
)
def test_a_batch_head_office_does_not_take_changes_nothing(
    link: Link, revision: str, refusal: type[Exception]
) -> None:
    if revision == "retired":
        revision = versions.branch_ladder()[2]
    waiting = outbox.waiting(link.store)
    batch = outbox.next_batch(link.store, 100)
    assert batch is not None
    before = _office_counts(link)
    with pytest.raises(refusal) as refused:
        _send(link, replace(batch, schema=revision))
    assert refused.value.params == {"revision": revision}  # type: ignore[attr-defined]
    assert _office_counts(link) == before
    assert before["sync_batch"] == 0
    assert outbox.waiting(link.store) == waiting  # the hub keeps everything
    assert _send(link, batch) is True  # the same batch, tagged as this hub's schema: taken


def test_refusals_have_words_for_the_counters() -> None:
    messages = Messages()
    assert "upgrade the hub" in messages.error_text("sync.upgrade_required")
    assert "nothing is lost" in messages.error_text("sync.headoffice_behind")
    for code in ("sync.upgrade_required", "sync.headoffice_behind"):
        assert code in ERRORS
    assert versions.UpgradeRequired.code == "sync.upgrade_required"
    assert versions.HeadOfficeBehind.code == "sync.headoffice_behind"


def _retire_this_hubs_schema(connection: Connection) -> None:
    """Head office moved on two branch versions: this hub's is retired now."""
    connection.execute(text("UPDATE schema_accept SET role = 'retired'"))
    connection.execute(
        text(
            "INSERT INTO schema_accept (branch_revision, role)"
            " VALUES ('0998_next', 'previous'), ('0999_after_next', 'current')"
        )
    )


def _forget_this_hubs_schema(connection: Connection) -> None:
    """Head office runs a version older than this hub's: it does not know its schema."""
    connection.execute(
        text("DELETE FROM schema_accept WHERE branch_revision = :r"), {"r": SCHEMA_REVISION}
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_retire_this_hubs_schema, "sync.upgrade_required"),
        (_forget_this_hubs_schema, "sync.headoffice_behind"),
    ],
)
def test_the_hub_says_why_it_waits_and_sends_everything_after_the_upgrade(
    link: Link, change: Callable[[Connection], None], code: str
) -> None:
    with link.superuser.begin() as connection:
        change(connection)
    waiting = outbox.waiting(link.store)
    assert waiting > 1000
    worker = SyncWorker(link.store, link.code, lambda: engine(link.branch_dsn))
    worker.start()
    try:
        _wait(lambda: worker.status().last_error_code == code)
        status = worker.status()
        assert status.state in ("refused", "sending")  # "sending" while it tries again
        assert status.waiting == waiting  # the counters go on; nothing is lost
        assert status.retry_in_seconds > 0
        assert status.last_error
        # What the sync indicator shows for it (SyncIndicator._error_words), in English here.
        words = Messages().error_text(code, {"reason": status.last_error}, status.last_error)
        assert words == ERRORS[code]
        assert _scalar(link, "SELECT count(*) FROM sync_batch") == 0
        # The upgrade: head office accepts this hub's schema (init writes what it accepts).
        admin.init(link.office.dsn)
        worker.retry_now()  # as branch IT would; otherwise the backoff decides
        _wait(lambda: worker.status().waiting == 0 and worker.status().state == "idle")
        status = worker.status()
        assert (status.last_error_code, status.last_error) == ("", "")
    finally:
        worker.stop()
    assert_same(link.store, link.superuser, link.code)  # 0 lost, 0 extra
    received = _scalar(link, "SELECT sum(rows) FROM sync_batch")
    assert received == waiting
