"""The branch SQLite store: pragmas, UUIDv7 ids, models vs. migrations, schema upgrades."""

from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from counter_app.compat import SCHEMA_REVISION
from counter_app.config.basedir import Basedir
from counter_app.config.settings import Settings
from counter_app.domain.errors import (
    DiskFull,
    HubAlreadyRunning,
    SchemaMismatch,
    StorageError,
    StoreCorrupt,
    StoreReadOnly,
)
from counter_app.domain.roles import Role
from counter_app.hub.server import HubOptions, HubServer, open_store
from counter_app.services import events
from counter_app.services.actor import system_actor
from counter_app.services.staff import StaffDirectory
from counter_app.storage.database import Store, translate_db_error
from counter_app.storage.migrate import current_revision, head_revision, migrations_dir, upgrade
from counter_app.storage.models import (
    AuditEntry,
    Base,
    HubEvent,
    LoginAttempt,
    ServiceType,
    Staff,
    StaffRole,
)
from counter_app.storage.types import new_id
from tests.cli_runner import run_cli

FUTURE_REVISION = "9999_from_a_newer_program"


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "branch.sqlite3")
    upgrade(store.engine)
    yield store
    store.dispose()


def pragmas(conn: object) -> tuple[str, int, int]:
    execute = conn.exec_driver_sql  # type: ignore[attr-defined]
    return (
        execute("PRAGMA journal_mode").scalar(),
        execute("PRAGMA foreign_keys").scalar(),
        execute("PRAGMA synchronous").scalar(),
    )


# --- pragmas ---


def test_every_pooled_connection_has_wal_foreign_keys_and_full_sync(store: Store) -> None:
    # Hold more connections at once than the pool keeps (8), so overflow ones are checked too.
    with ExitStack() as stack:
        conns = [stack.enter_context(store.engine.connect()) for _ in range(10)]
        raw = {id(c.connection.dbapi_connection) for c in conns}
        assert len(raw) == 10, "connections were shared, so not every one was checked"
        for conn in conns:
            assert pragmas(conn) == ("wal", 1, 2)
    # And again after they went back to the pool and came out again.
    with store.engine.connect() as conn:
        assert pragmas(conn) == ("wal", 1, 2)
    with store.read() as session:
        assert pragmas(session.connection()) == ("wal", 1, 2)
    with store.write() as session:
        assert pragmas(session.connection()) == ("wal", 1, 2)


def test_the_file_itself_is_in_wal_mode(store: Store, tmp_path: Path) -> None:
    # WAL is persistent: a plain sqlite3 connection sees it without setting anything.
    conn = sqlite3.connect(tmp_path / "branch.sqlite3")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def add_role_of_nobody(store: Store) -> None:
    with store.write() as session:
        session.add(StaffRole(staff_id=new_id(), role="clerk"))
        session.flush()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StorageError, match="foreign key") as info:
        add_role_of_nobody(store)
    assert isinstance(info.value.__cause__, IntegrityError)
    with store.read() as session:
        assert session.scalars(select(StaffRole)).all() == []


def test_hub_connections_have_the_pragmas_too(hub: HubServer) -> None:
    assert hub.context is not None
    with ExitStack() as stack:
        conns = [stack.enter_context(hub.context.store.engine.connect()) for _ in range(3)]
        assert [pragmas(c) for c in conns] == [("wal", 1, 2)] * 3


# --- ids ---


def test_new_ids_are_uuid7_and_sort_by_creation() -> None:
    before_ms = int(time.time() * 1000)
    ids = [new_id() for _ in range(2000)]
    after_ms = int(time.time() * 1000)
    assert all(isinstance(i, uuid.UUID) for i in ids)
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {uuid.RFC_4122}
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    # The first 48 bits are the Unix time in milliseconds.
    stamps = [int(i.hex[:12], 16) for i in ids]
    assert before_ms <= stamps[0] <= stamps[-1] <= after_ms


def test_stored_rows_get_uuid7_ids(demo_basedir: Basedir) -> None:
    store, _ = open_store(demo_basedir)
    try:
        added = StaffDirectory(store).add(
            system_actor("test"), "newcomer", "新人", frozenset({Role.CLERK}), "newcomer-pw-1"
        )
        assert added.id.version == 7
        with store.read() as session:
            for model in (Staff, AuditEntry, ServiceType, LoginAttempt):
                ids = session.scalars(select(model.id)).all()
                if model is not LoginAttempt:
                    assert ids, f"no {model.__name__} rows to check"
                assert all(i.version == 7 for i in ids), model.__name__
            # Stored as real UUIDs, not text that merely looks like one.
            assert session.get(Staff, added.id) is not None
    finally:
        store.dispose()


# --- models vs. migrations ---


def test_models_and_migrations_agree(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert set(inspect(conn).get_table_names()) == set(Base.metadata.tables) | {
            "alembic_version"
        }


def test_compare_metadata_would_notice_a_drift(store: Store) -> None:
    # The check above is only worth something if a missing column shows up as a difference.
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE staff DROP COLUMN password_changed_at")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert any(d[0] == "add_column" and d[3].name == "password_changed_at" for d in diff)


def test_compat_schema_revision_is_the_alembic_head() -> None:
    assert head_revision() == SCHEMA_REVISION
    script = ScriptDirectory(str(migrations_dir()))
    assert script.get_heads() == [SCHEMA_REVISION], "migrations must form a single line"


def test_upgrade_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "fresh.sqlite3")
    try:
        assert current_revision(store.engine) is None
        assert upgrade(store.engine) == SCHEMA_REVISION
        assert current_revision(store.engine) == SCHEMA_REVISION
        assert upgrade(store.engine) == SCHEMA_REVISION
        with store.write() as session:
            events.publish(session, events.HUB_STARTED, {"pid": 1})
        with store.read() as session:
            assert len(session.scalars(select(HubEvent)).all()) == 1
    finally:
        store.dispose()


# --- db upgrade command ---


def test_db_upgrade_on_an_empty_folder_and_again(tmp_path: Path) -> None:
    folder = tmp_path / "new-branch"  # does not exist yet
    first = run_cli("db", "upgrade", "--basedir", str(folder))
    assert first.code == 0, first.err
    assert first.out.strip() == f"schema: {SCHEMA_REVISION}"
    database = Basedir(folder).database
    assert database.exists()
    second = run_cli("db", "upgrade", "--basedir", str(folder))
    assert second.code == 0, second.err
    assert second.out.strip() == f"schema: {SCHEMA_REVISION}"
    shown = run_cli("db", "revision", "--basedir", str(folder))
    assert (shown.code, shown.out.strip()) == (0, f"schema: {SCHEMA_REVISION}")
    conn = sqlite3.connect(database)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert set(Base.metadata.tables) <= tables
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (SCHEMA_REVISION,)
        ]
    finally:
        conn.close()


def test_db_revision_of_an_empty_folder(tmp_path: Path) -> None:
    shown = run_cli("db", "revision", "--basedir", str(tmp_path / "empty"))
    assert (shown.code, shown.out.strip()) == (0, "schema: (empty)")


# --- a database from a newer program ---


@pytest.fixture
def future_basedir(tmp_path: Path) -> Basedir:
    """A store stamped with a revision this program does not know, closed and checkpointed."""
    basedir = Basedir(tmp_path / "future").ensure()
    store = Store.open(basedir.database)
    try:
        upgrade(store.engine)
        with store.engine.begin() as conn:
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE_REVISION}
            )
    finally:
        store.dispose()
    assert not basedir.database.with_name(basedir.database.name + "-wal").exists()
    return basedir


def stamped_revision(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_newer_schema_is_refused_and_left_unchanged(future_basedir: Basedir) -> None:
    path = future_basedir.database
    before = path.read_bytes()
    store = Store.open(path)
    try:
        with pytest.raises(SchemaMismatch) as info:
            upgrade(store.engine)
    finally:
        store.dispose()
    assert info.value.code == "storage.schema_mismatch"
    assert info.value.http_status == 503
    assert info.value.params == {"database": FUTURE_REVISION, "program": SCHEMA_REVISION}
    assert path.read_bytes() == before
    assert stamped_revision(path) == FUTURE_REVISION


def test_db_upgrade_command_refuses_a_newer_schema(future_basedir: Basedir) -> None:
    before = future_basedir.database.read_bytes()
    result = run_cli("db", "upgrade", "--basedir", str(future_basedir.root))
    assert result.code == 1
    assert "storage.schema_mismatch" in result.err
    assert FUTURE_REVISION in result.err
    assert future_basedir.database.read_bytes() == before


def test_hub_refuses_a_newer_schema_and_releases_its_lock(future_basedir: Basedir) -> None:
    before = future_basedir.database.read_bytes()
    for _ in range(2):  # the second try must meet the same refusal, not a stale lock
        server = HubServer(future_basedir, Settings(None), HubOptions(port=0))
        with pytest.raises(SchemaMismatch):
            server.start()
        assert server.url == ""  # never listened
    assert future_basedir.database.read_bytes() == before
    assert not future_basedir.hub_lock.with_suffix(".pid").exists()


# --- units of work ---


def test_a_failed_unit_of_work_leaves_nothing(store: Store) -> None:
    woken: list[bool] = []
    store.after_commit.append(lambda: woken.append(True))

    def publish_then_fail() -> None:
        with store.write() as session:
            events.publish(session, events.STAFF_CHANGED, {"username": "x"})
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        publish_then_fail()
    with store.read() as session:
        assert session.scalars(select(HubEvent)).all() == []
    assert woken == []
    with store.write() as session:
        events.publish(session, events.STAFF_CHANGED, {"username": "y"})
    assert woken == [True]  # listeners hear only about committed events


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", StoreReadOnly),
        ("file is not a database", StoreCorrupt),
        ("database disk image is malformed", StoreCorrupt),
        ("no such table: x", StorageError),
    ],
)
def test_sqlite_messages_become_coded_errors(message: str, error: type[StorageError]) -> None:
    translated = translate_db_error(sqlite3.OperationalError(message))
    assert type(translated) is error
    assert translated.http_status == 503


def test_storage_error_codes() -> None:
    assert DiskFull.code == "storage.disk_full"
    assert StoreReadOnly.code == "storage.read_only"
    assert StoreCorrupt.code == "storage.corrupt"
    assert HubAlreadyRunning.code == "hub.already_running"
