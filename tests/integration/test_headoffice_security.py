"""Head office's PostgreSQL: the derived schema, and each branch's login sealed off.

Against a real, throwaway PostgreSQL 15 (tests/pg.py), each test in a database of its own; the
branch logins connect with their own passwords over TCP on 127.0.0.1, as a hub would.
"""

from __future__ import annotations

import random
import re
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
import psycopg.errors
import pytest
from argon2 import PasswordHasher
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Table

from counter_app.cli import HEADOFFICE_DSN_VARIABLE
from counter_app.headoffice import admin, versions
from counter_app.headoffice.schema import headoffice_metadata
from counter_app.storage.models import Base
from counter_app.storage.types import UtcDateTime
from counter_app.sync.tables import DOWN, UP
from tests.cli_runner import run_cli
from tests.pg import ThrowawayPostgres

METADATA = headoffice_metadata()
DENIED = psycopg.errors.InsufficientPrivilege
EVERY_ROW = sql.SQL("true")
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def new_code(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:8].upper()


@dataclass
class HeadOffice:
    """One test's head-office database, and what to clean up after it (roles are cluster-wide)."""

    server: ThrowawayPostgres
    dbname: str
    dsn: str
    roles: list[str] = field(default_factory=list)

    def connect_as(self, login: str, password: str) -> psycopg.Connection[tuple[Any, ...]]:
        dsn = self.server.dsn_for(self.dbname, user=login, password=password)
        return psycopg.connect(dsn, autocommit=True, connect_timeout=5)

    def branch(self, enrolment: admin.Enrolment) -> psycopg.Connection[tuple[Any, ...]]:
        return self.connect_as(enrolment.login_role, enrolment.password)

    def superuser(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.dsn, autocommit=True, connect_timeout=5)

    def add_branch(self, prefix: str, name: str) -> admin.Enrolment:
        enrolment = admin.add_branch(self.dsn, new_code(prefix), name)
        self.roles.append(enrolment.login_role)
        return enrolment


@pytest.fixture
def office(postgres: ThrowawayPostgres) -> Iterator[HeadOffice]:
    name = f"ho_{uuid.uuid4().hex[:12]}"
    office = HeadOffice(postgres, name, postgres.create_database(name))
    yield office
    _drop(postgres, name, office.roles)


@pytest.fixture
def branches(office: HeadOffice) -> tuple[admin.Enrolment, admin.Enrolment]:
    """Branches A and B in this test's own head office."""
    admin.init(office.dsn)
    return office.add_branch("A", "Branch A"), office.add_branch("B", "Branch B")


@dataclass
class Sealed:
    office: HeadOffice
    a: admin.Enrolment
    b: admin.Enrolment


@pytest.fixture(scope="module")
def sealed(postgres: ThrowawayPostgres) -> Iterator[Sealed]:
    """Branches A and B in one head office shared by this module's tests that only check what
    a branch can and cannot do: each looks at its own rows by key, never at totals."""
    name = f"ho_{uuid.uuid4().hex[:12]}"
    office = HeadOffice(postgres, name, postgres.create_database(name))
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(admin, "_hasher", CHEAP_HASHER)
            admin.init(office.dsn)
            yield Sealed(
                office, office.add_branch("A", "Branch A"), office.add_branch("B", "Branch B")
            )
    finally:
        _drop(postgres, name, office.roles)


def _drop(postgres: ThrowawayPostgres, database: str, roles: list[str]) -> None:
    postgres.drop_database(database)
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Enrolment secrets at a cheap argon2 cost; nothing here depends on the cost.
    monkeypatch.setattr(admin, "_hasher", CHEAP_HASHER)


# --- rows for any table, made from the schema itself ---


def value_for(table: Table, column_name: str) -> Any:
    column = table.c[column_name]
    if isinstance(column.type, JSON):
        return Jsonb({"test": True})
    if isinstance(column.type, UtcDateTime):
        return datetime.now(UTC)
    kind = column.type.python_type
    if kind is str:
        length = getattr(column.type, "length", None) or 32
        return uuid.uuid4().hex[: min(length, 32)]
    if kind is int:
        return random.randrange(1, 2**31)
    if kind is uuid.UUID:
        return uuid.uuid4()
    if kind is bool:
        return True
    raise AssertionError(f"{table.name}.{column_name}: no test value for {kind}")


def insert_row(
    conn: psycopg.Connection[tuple[Any, ...]], table_name: str, branch: str | None
) -> dict[str, Any]:
    """Insert one row with every column filled, its parents first; returns the row."""
    table = METADATA.tables[table_name]
    row = {c.name: value_for(table, c.name) for c in table.columns}
    if branch is not None:
        row["branch_code"] = branch
    if "scope" in table.c:  # reference data: published to every branch
        row["scope"] = "*"
    for fk in table.foreign_key_constraints:
        parent = insert_row(conn, fk.referred_table.name, branch)
        for element in fk.elements:
            row[element.parent.name] = parent[element.column.name]
    conn.execute(
        sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(table_name),
            sql.SQL(", ").join(map(sql.Identifier, row)),
            sql.SQL(", ").join(sql.Placeholder() * len(row)),
        ),
        list(row.values()),
    )
    return row


def count(
    conn: psycopg.Connection[tuple[Any, ...]],
    table: str,
    where: sql.Composable = EVERY_ROW,
) -> int:
    query = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(sql.Identifier(table), where)
    found = conn.execute(query).fetchone()
    assert found is not None
    return int(found[0])


def key_of(table: str, row: dict[str, Any]) -> sql.Composed:
    """``WHERE`` on the row's primary key."""
    columns = [c.name for c in METADATA.tables[table].primary_key.columns]
    return sql.SQL(" AND ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Literal(_plain(row[c]))) for c in columns
    )


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID | datetime) else value


def change_of(table: str) -> tuple[str, sql.Composable]:
    """A column to change and its new value: a non-key one if the table has one, else a key
    column set to itself (a reference table that is all key)."""
    t = METADATA.tables[table]
    for column in t.columns:
        if column.primary_key or column.foreign_keys or isinstance(column.type, JSON | UtcDateTime):
            continue
        if column.type.python_type is str:
            return column.name, sql.Literal("x")
        if column.type.python_type is int:
            return column.name, sql.Literal(-1)
    first = next(iter(t.primary_key.columns)).name
    return first, sql.Identifier(first)


def update(table: str, where: sql.Composable) -> sql.Composed:
    column, value = change_of(table)
    return sql.SQL("UPDATE {} SET {} = {} WHERE {}").format(
        sql.Identifier(table), sql.Identifier(column), value, where
    )


# --- the schema ---


def test_schema_is_derived_from_the_branch_models() -> None:
    for name in UP:
        branch_table, office_table = Base.metadata.tables[name], METADATA.tables[name]
        assert list(office_table.columns.keys()) == ["branch_code", *branch_table.columns.keys()]
        pk = [c.name for c in office_table.primary_key.columns]
        assert pk == ["branch_code", *(c.name for c in branch_table.primary_key.columns)]
        for constraint in office_table.constraints:
            if hasattr(constraint, "columns") and constraint is not office_table.primary_key:
                assert next(iter(constraint.columns)).name == "branch_code", constraint.name
    for name in DOWN:
        assert list(METADATA.tables[name].columns.keys()) == [
            "scope",
            *Base.metadata.tables[name].columns.keys(),
            "revision",
            "withdrawn",
        ]
        pk = [c.name for c in METADATA.tables[name].primary_key.columns]
        assert pk == ["scope", *(c.name for c in Base.metadata.tables[name].primary_key.columns)]
    # foreign keys: to the branch's own parent only, never to reference data
    for name in UP:
        for fk in METADATA.tables[name].foreign_key_constraints:
            assert fk.referred_table.name in UP
            assert fk.column_keys[0] == "branch_code"
    assert "branch_code" not in METADATA.tables["service_type"].c


def test_init_twice_is_fine_and_seals_every_branch_table(office: HeadOffice) -> None:
    first = admin.init(office.dsn)
    again = admin.init(office.dsn)
    assert set(first.created) == {*METADATA.tables, versions.SCHEMA_ACCEPT}
    assert again.created == ()
    assert office.server.password not in first.where
    with office.superuser() as conn:
        for table in (*UP, "sync_batch", "reference_edit"):
            flags = conn.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
                (table,),
            ).fetchone()
            assert flags == (True, True), table
            first_column = conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
                (table,),
            ).fetchone()
            assert first_column == ("branch_code",), table
            pk_first = conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                " WHERE i.indrelid = %s::regclass AND i.indisprimary",
                (table,),
            ).fetchone()
            assert pk_first == ("branch_code",), table
        policies = conn.execute("SELECT count(*) FROM pg_policies WHERE policyname = 'own_branch'")
        assert policies.fetchone() == (len(UP) + 2,)
        published = conn.execute(
            "SELECT count(*) FROM pg_policies WHERE policyname = 'published_to' AND cmd = 'SELECT'"
        )
        assert published.fetchone() == (len(DOWN),)


def test_init_refuses_tables_of_another_schema_version(office: HeadOffice) -> None:
    admin.init(office.dsn)
    with office.superuser() as conn:
        conn.execute("ALTER TABLE ticket ADD COLUMN surprise integer")
    with pytest.raises(admin.HeadOfficeSchemaMismatch, match="ticket"):
        admin.init(office.dsn)


# --- a branch's own rows ---


@pytest.mark.parametrize("table", UP)
def test_branch_writes_and_reads_its_own_rows(sealed: Sealed, table: str) -> None:
    a = sealed.a
    with sealed.office.branch(a) as conn:
        row = insert_row(conn, table, a.code)
        assert count(conn, table, key_of(table, row)) == 1
        assert count(conn, table, sql.SQL("branch_code <> {}").format(sql.Literal(a.code))) == 0
        if table not in admin.INSERT_ONLY:
            assert conn.execute(update(table, key_of(table, row))).rowcount == 1


@pytest.mark.parametrize("table", UP)
def test_branch_cannot_see_or_change_another_branchs_rows(sealed: Sealed, table: str) -> None:
    a, b = sealed.a, sealed.b
    with sealed.office.branch(b) as conn:
        b_row = insert_row(conn, table, b.code)
    where = key_of(table, b_row)
    with sealed.office.branch(a) as conn:
        assert count(conn, table, where) == 0
        assert count(conn, table, sql.SQL("branch_code = {}").format(sql.Literal(b.code))) == 0
        if table in admin.INSERT_ONLY:
            with pytest.raises(DENIED, match="permission denied"):
                conn.execute(update(table, where))
        else:
            assert conn.execute(update(table, where)).rowcount == 0
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute(sql.SQL("DELETE FROM {} WHERE {}").format(sql.Identifier(table), where))
        with pytest.raises(DENIED, match="row-level security"):
            insert_row(conn, table, b.code)
    column, _ = change_of(table)
    with sealed.office.superuser() as conn:
        unchanged = conn.execute(
            sql.SQL("SELECT {} FROM {} WHERE {}").format(
                sql.Identifier(column), sql.Identifier(table), where
            )
        ).fetchone()
        assert unchanged == (b_row[column],)


def test_branch_cannot_move_its_rows_to_another_branch(sealed: Sealed) -> None:
    a, b = sealed.a, sealed.b
    with sealed.office.branch(a) as conn:
        row = insert_row(conn, "ticket", a.code)
        with pytest.raises(DENIED, match="row-level security"):
            conn.execute(
                sql.SQL("UPDATE ticket SET branch_code = {} WHERE {}").format(
                    sql.Literal(b.code), key_of("ticket", row)
                )
            )


def test_superuser_sees_every_branch(
    office: HeadOffice, branches: tuple[admin.Enrolment, admin.Enrolment]
) -> None:
    a, b = branches
    for enrolment, n in ((a, 2), (b, 3)):
        with office.branch(enrolment) as conn:
            for _ in range(n):
                insert_row(conn, "ticket", enrolment.code)
                insert_row(conn, "audit_entry", enrolment.code)
    with office.superuser() as conn:
        rows = conn.execute(
            "SELECT branch_code, count(*) FROM audit_entry GROUP BY branch_code ORDER BY 1"
        ).fetchall()
        assert rows == [(a.code, 2), (b.code, 3)]
        assert count(conn, "ticket") == 5
    with office.branch(a) as conn:
        assert count(conn, "ticket") == 2


def test_sync_batches_are_per_branch_and_final(sealed: Sealed) -> None:
    a, b = sealed.a, sealed.b
    insert = (
        "INSERT INTO sync_batch (branch_code, batch_seq, rows, digest) VALUES (%s, %s, %s, '-')"
    )
    with sealed.office.branch(b) as conn:
        conn.execute(insert, (b.code, 1, 9))
    with sealed.office.branch(a) as conn:
        conn.execute(insert, (a.code, 1, 5))
        assert conn.execute("SELECT branch_code, rows FROM sync_batch").fetchall() == [(a.code, 5)]
        with pytest.raises(DENIED, match="row-level security"):
            conn.execute(insert, (b.code, 2, 1))
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute("UPDATE sync_batch SET rows = 0")
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute("DELETE FROM sync_batch")


# --- what no branch may do ---


def test_audit_rows_cannot_be_changed_or_deleted_even_by_their_branch(sealed: Sealed) -> None:
    a = sealed.a
    with sealed.office.branch(a) as conn:
        row = insert_row(conn, "audit_entry", a.code)
        where = key_of("audit_entry", row)
        for statement in (
            sql.SQL("UPDATE audit_entry SET actor = 'someone else' WHERE {}").format(where),
            sql.SQL("DELETE FROM audit_entry WHERE {}").format(where),
            sql.SQL("TRUNCATE audit_entry"),
        ):
            with pytest.raises(DENIED, match="permission denied"):
                conn.execute(statement)
        assert count(conn, "audit_entry", where) == 1


@pytest.mark.parametrize("table", DOWN)
def test_branch_reads_but_never_writes_reference_data(sealed: Sealed, table: str) -> None:
    with sealed.office.superuser() as conn:
        row = insert_row(conn, table, None)
    where = key_of(table, row)
    with sealed.office.branch(sealed.a) as conn:
        assert count(conn, table, where) == 1
        with pytest.raises(DENIED, match="permission denied"):
            insert_row(conn, table, None)
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute(update(table, where))
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE ticket",
        "TRUNCATE ticket",
        "ALTER TABLE ticket RENAME TO mine",
        "ALTER TABLE ticket NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE ticket DISABLE ROW LEVEL SECURITY",
        "DROP POLICY own_branch ON ticket",
        "CREATE POLICY mine ON ticket USING (true)",
        "ALTER TABLE audit_entry ADD COLUMN note text",
        "CREATE TABLE public.mine (x int)",
        "CREATE ROLE sneaky LOGIN",
        "ALTER ROLE counter_branch BYPASSRLS",
    ],
)
def test_branch_cannot_change_the_schema_or_the_rules(sealed: Sealed, statement: str) -> None:
    with sealed.office.branch(sealed.a) as conn, pytest.raises(DENIED):
        conn.execute(statement)


def test_branch_table_hides_the_enrolment_secrets(sealed: Sealed) -> None:
    a, b = sealed.a, sealed.b
    with sealed.office.branch(a) as conn:
        names = conn.execute("SELECT code, name FROM branch ORDER BY code").fetchall()
        assert (a.code, "Branch A") in names
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute("SELECT secret_hash FROM branch")
        with pytest.raises(DENIED, match="permission denied"):
            conn.execute("UPDATE branch SET name = 'mine' WHERE code = %s", (b.code,))


def test_branch_merges_in_bulk_when_public_may_not_create_temporary_tables(
    office: HeadOffice,
    branches: tuple[admin.Enrolment, admin.Enrolment],
    demo_basedir: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hardened head office revokes TEMPORARY from PUBLIC; the bulk path's staging tables
    (COPY, then one merge) come from the group's own grant."""
    from counter_app.headoffice import ingest
    from counter_app.hub.server import open_store
    from counter_app.sync import outbox
    from tests.sync_support import engine

    a, _ = branches
    with office.superuser() as conn:
        conn.execute(
            sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(office.dbname)
            )
        )
        for role, allowed in (("public", False), (a.login_role, True)):
            found = conn.execute(
                "SELECT has_database_privilege(%s, current_database(), 'TEMPORARY')", (role,)
            ).fetchone()
            assert found == (allowed,), role
    merged: list[str] = []
    through_copy = ingest._merge_through_copy

    def spy(connection: Any, target: Table, branch_code: str, rows: Any) -> None:
        merged.append(target.name)
        through_copy(connection, target, branch_code, rows)

    monkeypatch.setattr(ingest, "BULK_ROWS", 1)  # every table of every batch through COPY
    monkeypatch.setattr(ingest, "_merge_through_copy", spy)
    store, _ = open_store(demo_basedir)
    login = engine(office.server.dsn_for(office.dbname, a.login_role, a.password))
    try:
        while (batch := outbox.next_batch(store, outbox.CATCH_UP_ROWS)) is not None:
            with login.begin() as connection:
                assert ingest.apply_batch(connection, a.code, batch)
            outbox.acknowledge(store, batch.seq)
    finally:
        login.dispose()
        store.dispose()
    assert "blank_form_serial" in merged
    with office.superuser() as conn:
        assert (
            count(
                conn, "blank_form_serial", sql.SQL("branch_code = {}").format(sql.Literal(a.code))
            )
            > 0
        )


def test_branch_switching_to_the_group_role_sees_nothing(sealed: Sealed) -> None:
    a = sealed.a
    with sealed.office.branch(a) as conn:
        row = insert_row(conn, "ticket", a.code)
        conn.execute("SET ROLE counter_branch")
        assert count(conn, "ticket", key_of("ticket", row)) == 0
        with pytest.raises(DENIED, match="row-level security"):
            insert_row(conn, "ticket", a.code)


def test_branch_login_needs_its_own_password(sealed: Sealed) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        sealed.office.connect_as(sealed.a.login_role, sealed.b.password)


# --- adding branches ---


def test_add_branch_makes_a_plain_login_and_hashes_the_secret(sealed: Sealed) -> None:
    a = sealed.a
    assert a.login_role == f"branch_{a.code.lower()}"
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", a.secret)
    assert a.password not in repr(a)
    assert a.secret not in repr(a)
    with sealed.office.superuser() as conn:
        role = conn.execute(
            "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolpassword,"
            " pg_has_role(rolname, 'counter_branch', 'MEMBER') FROM pg_authid WHERE rolname = %s",
            (a.login_role,),
        ).fetchone()
        stored = conn.execute(
            "SELECT secret_hash, enrolled_at FROM branch WHERE code = %s", (a.code,)
        ).fetchone()
    assert role is not None
    assert role[:5] == (True, False, False, False, False)
    assert role[5].startswith("SCRAM-SHA-256$")
    assert role[6] is True
    assert stored is not None
    secret_hash, enrolled_at = stored
    assert secret_hash.startswith("$argon2")
    assert enrolled_at is None
    assert admin.check_enrolment_secret(secret_hash, a.secret)
    assert admin.check_enrolment_secret(secret_hash, a.secret.lower().replace("-", " "))
    assert not admin.check_enrolment_secret(secret_hash, a.secret[:-1] + "A")
    assert not admin.check_enrolment_secret(secret_hash, sealed.b.secret)


def test_adding_the_same_branch_twice_is_refused(sealed: Sealed) -> None:
    a = sealed.a
    with pytest.raises(admin.BranchExists) as caught:
        admin.add_branch(sealed.office.dsn, a.code, "Another A")
    assert caught.value.code == "headoffice.branch_exists"
    with sealed.office.superuser() as conn:
        assert count(conn, "branch", sql.SQL("code = {}").format(sql.Literal(a.code))) == 1
    with sealed.office.branch(a) as conn:  # the first password still works
        assert count(conn, "branch", sql.SQL("code = {}").format(sql.Literal(a.code))) == 1


@pytest.mark.parametrize("code", ["a1", "A", "AB-1", "A" * 17, "ＡＢ", "AB\n", "", "AB C"])
def test_branch_codes_are_checked(code: str) -> None:
    # checked before connecting: the DSN points nowhere
    with pytest.raises(admin.InvalidBranchCode) as caught:
        admin.add_branch("postgresql://nobody@127.0.0.1:1/none", code, "Branch")
    assert caught.value.code == "headoffice.invalid_branch_code"


def test_add_branch_before_init_says_so(office: HeadOffice) -> None:
    with pytest.raises(admin.HeadOfficeNotInitialised, match="headoffice init"):
        admin.add_branch(office.dsn, new_code("N"), "Too early")


def test_head_office_admin_need_not_be_a_superuser(postgres: ThrowawayPostgres) -> None:
    """As on a cloud PostgreSQL: the owner is held to the policies (FORCE) and still sees
    every branch through its own policy."""
    owner, password = f"ho_admin_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    name = f"ho_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                sql.Identifier(owner), sql.Literal(password)
            )
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(*map(sql.Identifier, (name, owner)))
        )
    office = HeadOffice(postgres, name, postgres.dsn_for(name, user=owner, password=password))
    try:
        admin.init(office.dsn)
        a, b = office.add_branch("A", "Branch A"), office.add_branch("B", "Branch B")
        for enrolment in (a, b):
            with office.branch(enrolment) as conn:
                insert_row(conn, "ticket", enrolment.code)
        with office.superuser() as conn:  # the owner's DSN
            assert conn.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone() == (False,)
            assert count(conn, "ticket") == 2
        with office.branch(a) as conn:
            assert count(conn, "ticket") == 1
    finally:
        postgres.drop_database(name)
        with psycopg.connect(postgres.dsn, autocommit=True) as conn:
            for role in [*office.roles, owner]:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


# --- errors reaching PostgreSQL ---


def test_nothing_listening_is_unreachable(postgres: ThrowawayPostgres) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dsn = f"postgresql://postgres:topsecret@127.0.0.1:{port}/ho"
    with pytest.raises(admin.HeadOfficeUnreachable) as caught:
        admin.init(dsn)
    assert caught.value.code == "headoffice.unreachable"
    assert f"127.0.0.1:{port}" in caught.value.detail
    assert "topsecret" not in str(caught.value)


def test_a_server_that_never_answers_is_given_up_on(postgres: ThrowawayPostgres) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel accepts the connection; nobody ever speaks
        dsn = f"postgresql://postgres:topsecret@127.0.0.1:{silent.getsockname()[1]}/ho"
        began = time.monotonic()
        with pytest.raises(admin.HeadOfficeUnreachable):
            admin.add_branch(dsn + "?connect_timeout=1", "AB", "Branch")
        assert time.monotonic() - began < 5


def test_a_wrong_password_is_refused(office: HeadOffice) -> None:
    dsn = office.server.dsn_for(office.dbname, password="not-the-password")
    with pytest.raises(admin.HeadOfficeRefused) as caught:
        admin.init(dsn)
    assert caught.value.code == "headoffice.refused"
    assert "password authentication failed" in caught.value.detail
    assert "not-the-password" not in str(caught.value)


def test_a_garbled_dsn_is_not_echoed() -> None:
    with pytest.raises(admin.InvalidDsn) as caught:
        admin.init("host=db password=se cret")
    assert "cret" not in str(caught.value)


# --- the command line ---


def test_cli_init_and_add_branch(office: HeadOffice, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = run_cli("--temp-basedir", "headoffice", "init", "--dsn", office.dsn)
    assert ran.code == 0, ran.err
    assert "head office ready" in ran.out
    code = new_code("C")
    monkeypatch.setenv(HEADOFFICE_DSN_VARIABLE, office.dsn)  # out of the shell history
    ran = run_cli("--temp-basedir", "headoffice", "add-branch", code, "--name", "城东支公司")
    assert ran.code == 0, ran.err
    office.roles.append(f"branch_{code.lower()}")
    login = re.search(r"^login:\s+(\S+)$", ran.out, re.MULTILINE)
    password = re.search(r"^password:\s+(\S+)$", ran.out, re.MULTILINE)
    secret = re.search(r"^enrolment secret:\s+(\S+)$", ran.out, re.MULTILINE)
    assert login, ran.out
    assert password, ran.out
    assert secret, ran.out
    assert login[1] == f"branch_{code.lower()}"
    assert office.server.password not in ran.out + ran.err
    with office.connect_as(login[1], password[1]) as conn:
        assert conn.execute("SELECT name FROM branch").fetchall() == [("城东支公司",)]
    with office.superuser() as conn:
        stored = conn.execute("SELECT secret_hash FROM branch WHERE code = %s", (code,)).fetchone()
    assert stored is not None
    assert admin.check_enrolment_secret(stored[0], secret[1])

    again = run_cli("--temp-basedir", "headoffice", "add-branch", code, "--name", "again")
    assert again.code == 1
    assert "headoffice.branch_exists" in again.err
    assert secret[1] not in again.out


def test_cli_without_a_dsn_says_where_to_put_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HEADOFFICE_DSN_VARIABLE, raising=False)
    ran = run_cli("--temp-basedir", "headoffice", "init")
    assert ran.code == 1
    assert "headoffice.invalid_dsn" in ran.err
    assert HEADOFFICE_DSN_VARIABLE in ran.err
