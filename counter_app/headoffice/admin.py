"""Head-office IT's commands: create the schema and roles, add a branch (docs/replication.md).

Every branch logs in to PostgreSQL as its own role (``branch_<code>``), a member of the group
role ``counter_branch``. The group holds the grants; row-level security, forced even on the
tables' owner, lets a login see and write only its own branch's rows.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import psycopg.errors
from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import Table, create_engine
from sqlalchemy.engine import Connection as SAConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from counter_app.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from counter_app.headoffice import reference, versions
from counter_app.headoffice.schema import BRANCH_CODE, EVERY_BRANCH, headoffice_metadata
from counter_app.sync.tables import DOWN, UP

log = logging.getLogger(__name__)

GROUP_ROLE = "counter_branch"
BRANCH_CODE_PATTERN = re.compile(r"[A-Z0-9]{2,16}")
CONNECT_TIMEOUT_S = 10
# UP tables a branch may only add to: the audit trail is hash-chained history.
INSERT_ONLY = frozenset({"audit_entry"})
# Tables whose rows belong to one branch, under row-level security.
BRANCH_TABLES = (*UP, "sync_batch", "reference_edit")
# ``branch`` columns a branch login may read: not ``secret_hash``.
BRANCH_PUBLIC_COLUMNS = ("code", "name", "login_role", "enrolled_at", "hub_instance", "created_at")
# Serialises head-office administration (init, add-branch) across sessions.
_ADMIN_LOCK = 0x636F756E746572  # "counter"
# SQLSTATE claim_branch raises when another hub holds the branch (class "CB": ours).
BRANCH_TAKEN_SQLSTATE = "CB409"

# The login role's branch, as the policies read it; `current_user`, so a branch that
# SET ROLEs to the group sees nothing rather than everything.
_OWN_BRANCH = f"{BRANCH_CODE} = (SELECT b.code FROM branch b WHERE b.login_role = current_user)"

_hasher = PasswordHasher()


class HeadOfficeError(DomainError):
    code = "headoffice.error"
    http_status = 503


class HeadOfficeUnreachable(HeadOfficeError):
    """No PostgreSQL answered at the DSN's address (down, wrong host or port, timeout, TLS)."""

    code = "headoffice.unreachable"


class HeadOfficeRefused(HeadOfficeError):
    """PostgreSQL answered and said no: login, database, or a privilege the command needs."""

    code = "headoffice.refused"
    http_status = 403


class HeadOfficeNotInitialised(HeadOfficeError):
    code = "headoffice.not_initialised"
    http_status = 409


class HeadOfficeSchemaMismatch(HeadOfficeError):
    code = "headoffice.schema_mismatch"
    http_status = 409


class InvalidDsn(InvalidInput):
    code = "headoffice.invalid_dsn"


class InvalidBranchCode(InvalidInput):
    code = "headoffice.invalid_branch_code"


class InvalidBranchName(InvalidInput):
    code = "headoffice.invalid_branch_name"


class BranchExists(Conflict):
    code = "headoffice.branch_exists"


class BranchUnknown(NotFound):
    code = "headoffice.branch_unknown"


@dataclass(frozen=True)
class Enrolment:
    """What head-office IT hands to the branch, once: the login and the enrolment secret."""

    code: str
    name: str
    login_role: str
    password: str = field(repr=False)
    secret: str = field(repr=False)


@dataclass(frozen=True)
class InitResult:
    where: str  # user@host:port/dbname, never the password
    created: tuple[str, ...]  # tables made by this run; empty when the schema was there
    revision: str = ""  # head office's schema revision now (migrations/headoffice)
    accepts: tuple[str, ...] = ()  # branch schema revisions whose batches it takes


def login_role_for(code: str) -> str:
    return f"branch_{validate_branch_code(code).lower()}"


def validate_branch_code(code: str) -> str:
    if not BRANCH_CODE_PATTERN.fullmatch(code):
        raise InvalidBranchCode(
            f"branch code {code!r}: 2 to 16 capital letters A-Z or digits", value=code
        )
    return code


def check_enrolment_secret(secret_hash: str, offered: str) -> bool:
    """Whether ``offered`` is the enrolment secret ``secret_hash`` was made from."""
    try:
        return _hasher.verify(secret_hash, _canonical_secret(offered))
    except Argon2Error:
        return False


def describe_dsn(dsn: str) -> str:
    """``user@host:port/dbname`` for messages and logs: never the password."""
    return _where(_parse_dsn(dsn))


def init(dsn: str) -> InitResult:
    """Bring the schema to this program's (Alembic, migrations/headoffice), then set the group
    role, the grants, the policies and the branch schema versions accepted afresh. Running it
    again is harmless."""
    params = _parse_dsn(dsn)
    where = _where(params)
    metadata = headoffice_metadata()
    # Every table the migrations make, schema_accept too (it is not in the derived metadata).
    everything = [name for target in versions.target_metadata() for name in target.tables]
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: _connect(params), poolclass=NullPool
    )
    try:
        with _translated(params), engine.begin() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADMIN_LOCK})")
            existing = _existing_tables(conn, everything)
            revision = _migrate(conn, existing)
            _grant_and_seal(conn, list(metadata.tables))
            accepts = _accept_branch_schemas(conn)
    finally:
        engine.dispose()
    created = tuple(name for name in everything if name not in existing)
    log.info(
        "head office initialised at %s (%d tables created, schema %s, accepts branches at %s)",
        where,
        len(created),
        revision,
        ", ".join(accepts),
    )
    return InitResult(where, created, revision, accepts)


def _migrate(conn: SAConnection, existing: set[str]) -> str:
    """``alembic upgrade head`` (migrations/headoffice); returns the revision. A database that
    init made before head office had migrations (tables, no ``alembic_version``) is adopted:
    its columns checked, missing tables added as init did then, and stamped at head. Either
    way the tables must then be this program's."""
    target = versions.target_metadata()
    tables = {name: t for m in target for name, t in m.tables.items()}
    stamped = versions.current(conn)
    if stamped is None and existing:
        _check_columns(conn, tables, existing)
        for metadata in target:
            metadata.create_all(conn)
        versions.stamp(conn)
    elif stamped is not None and stamped not in versions.known_revisions():
        raise HeadOfficeSchemaMismatch(
            f"head office's schema is at revision {stamped}, which this program does not know:"
            " a newer version made it",
            tables=f"(revision {stamped})",
        )
    else:
        versions.upgrade(conn)
    present = _existing_tables(conn, list(tables))
    missing = sorted(set(tables) - present)
    if missing:  # a table added to the models without a migration
        raise HeadOfficeSchemaMismatch(
            "head-office tables missing after the migrations: " + ", ".join(missing),
            tables=", ".join(missing),
        )
    _check_columns(conn, tables, present)
    return versions.head()


def _accept_branch_schemas(conn: SAConnection) -> tuple[str, ...]:
    """Record the branch schema revisions head office takes batches from (versions.py); every
    branch login reads them, since its hub checks each batch against them."""
    roles = versions.write_accepted(conn)
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    names = {"accept": versions.SCHEMA_ACCEPT, "group": GROUP_ROLE}
    own = {k: sql.Identifier(v) for k, v in names.items()}
    raw.execute(
        sql.SQL("REVOKE ALL ON TABLE {accept}, alembic_version FROM PUBLIC, {group}").format(**own)
    )
    raw.execute(sql.SQL("GRANT SELECT ON TABLE {accept} TO {group}").format(**own))
    return tuple(r for r, role in roles.items() if role in versions.ACCEPTED)


def add_branch(dsn: str, code: str, name: str) -> Enrolment:
    """Record a branch and create its login; returns the credentials, shown only this once."""
    role = login_role_for(code)
    name = name.strip()
    if not 1 <= len(name) <= 64:
        raise InvalidBranchName("branch name: 1 to 64 characters")
    params = _parse_dsn(dsn)
    password = secrets.token_urlsafe(32)
    secret = _new_enrolment_secret()
    secret_hash = _hasher.hash(_canonical_secret(secret))
    with _translated(params), _connect(params) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADMIN_LOCK,))
        if _regclass(conn, "branch") is None:
            raise HeadOfficeNotInitialised(
                f"no head-office schema at {_where(params)}: run `counter-app headoffice init`"
            )
        if conn.execute("SELECT 1 FROM branch WHERE code = %s", (code,)).fetchone():
            raise BranchExists(f"branch {code} exists already", branch=code)
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            # Roles belong to the whole PostgreSQL cluster, not to one database.
            raise BranchExists(
                f"a PostgreSQL role {role} exists already in this cluster", branch=code
            )
        # Hashed here, like psql's \password: the password itself never reaches the server's
        # statement log.
        verifier = conn.pgconn.encrypt_password(
            password.encode(), role.encode(), b"scram-sha-256"
        ).decode("ascii")
        conn.execute(
            sql.SQL(
                "CREATE ROLE {role} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE"
                " NOREPLICATION NOBYPASSRLS PASSWORD {verifier} IN ROLE {group}"
            ).format(
                role=sql.Identifier(role),
                verifier=sql.Literal(verifier),
                group=sql.Identifier(GROUP_ROLE),
            )
        )
        _durable_commits(conn, role)
        conn.execute(
            "INSERT INTO branch (code, name, login_role, secret_hash) VALUES (%s, %s, %s, %s)",
            (code, name, role, secret_hash),
        )
    log.info("branch %s added at head office %s (login %s)", code, _where(params), role)
    return Enrolment(code, name, role, password, secret)


def publish(dsn: str, path: Path, branch: str | None = None) -> reference.Published:
    """Publish the reference data in ``path`` to every branch, or to ``branch`` only."""
    scope = EVERY_BRANCH if branch is None else validate_branch_code(branch)
    params = _parse_dsn(dsn)
    engine = create_engine(
        "postgresql+psycopg://", creator=lambda: _connect(params), poolclass=NullPool
    )
    try:
        with _translated(params), engine.begin() as conn:
            if _regclass_sa(conn, "reference_edit") is None:
                raise HeadOfficeNotInitialised(
                    f"no head-office schema at {_where(params)}: run `counter-app headoffice init`"
                )
            published = reference.publish(conn, path, scope)
    finally:
        engine.dispose()
    log.info(
        "published %s to %s at %s: %s written, %s withdrawn, %d unchanged",
        path.name,
        scope,
        _where(params),
        published.written,
        published.withdrawn,
        published.unchanged,
    )
    return published


def _regclass_sa(conn: SAConnection, name: str) -> str | None:
    value = conn.exec_driver_sql("SELECT to_regclass(%s)::text", (name,)).scalar()
    return None if value is None else str(value)


def release_branch(dsn: str, code: str) -> str | None:
    """Let another hub enrol for the branch (its PC was replaced); returns the hub instance
    that held it, None when none did."""
    validate_branch_code(code)
    params = _parse_dsn(dsn)
    with _translated(params), _connect(params) as conn:
        if _regclass(conn, "branch") is None:
            raise HeadOfficeNotInitialised(
                f"no head-office schema at {_where(params)}: run `counter-app headoffice init`"
            )
        row = conn.execute(
            "SELECT hub_instance FROM branch WHERE code = %s FOR UPDATE", (code,)
        ).fetchone()
        if row is None:
            raise BranchUnknown(f"no branch {code} at head office", branch=code)
        conn.execute(
            "UPDATE branch SET hub_instance = NULL, enrolled_at = NULL WHERE code = %s", (code,)
        )
    held = None if row[0] is None else str(row[0])
    log.info("branch %s released at head office %s (was hub %s)", code, _where(params), held)
    return held


# --- grants and policies ---


def _grant_and_seal(conn: SAConnection, tables: list[str]) -> None:
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)

    def run(statement: str, **names: str) -> None:
        raw.execute(sql.SQL(statement).format(**{k: sql.Identifier(v) for k, v in names.items()}))

    group = GROUP_ROLE
    raw.execute(
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name})"
            " THEN CREATE ROLE {role} NOLOGIN; END IF; END $$"
        ).format(name=sql.Literal(group), role=sql.Identifier(group))
    )
    # Branch logins create nothing; PostgreSQL 15 already has it so, older ones did not.
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run("GRANT USAGE ON SCHEMA public TO {group}", group=group)
    me = raw.execute("SELECT current_user").fetchone()
    assert me is not None
    owner = str(me[0])
    for table in tables:
        # From nothing each time, so a grant taken away in a new version goes on re-running.
        run("REVOKE ALL ON TABLE {table} FROM PUBLIC, {group}", table=table, group=group)
    for table in UP:
        rights = "SELECT, INSERT" if table in INSERT_ONLY else "SELECT, INSERT, UPDATE"
        run(f"GRANT {rights} ON TABLE {{table}} TO {{group}}", table=table, group=group)
    run("GRANT SELECT, INSERT ON TABLE sync_batch TO {group}", group=group)
    run("GRANT SELECT, INSERT, UPDATE ON TABLE reference_edit TO {group}", group=group)
    for table in DOWN:
        run("GRANT SELECT ON TABLE {table} TO {group}", table=table, group=group)
    raw.execute(
        sql.SQL("GRANT SELECT ({columns}) ON TABLE branch TO {group}").format(
            columns=sql.SQL(", ").join(map(sql.Identifier, BRANCH_PUBLIC_COLUMNS)),
            group=sql.Identifier(group),
        )
    )
    _create_claim_branch(raw)
    # Reference tables: read-only to branches, and only what was published to them.
    reference.install(raw, group, owner)
    for (login,) in raw.execute(
        "SELECT b.login_role FROM branch b JOIN pg_roles r ON r.rolname = b.login_role"
    ).fetchall():
        _durable_commits(raw, str(login))
    run("REVOKE ALL ON FUNCTION claim_branch(text) FROM PUBLIC")
    run("GRANT EXECUTE ON FUNCTION claim_branch(text) TO {group}", group=group)
    for table in BRANCH_TABLES:
        run("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY", table=table)
        # FORCE: the owner is held to the policies too, so head office's own programs (and a
        # table owner that is not a superuser) see only what a policy allows.
        run("ALTER TABLE {table} FORCE ROW LEVEL SECURITY", table=table)
        run("DROP POLICY IF EXISTS own_branch ON {table}", table=table)
        run(
            "CREATE POLICY own_branch ON {table} FOR ALL TO {group}"
            f" USING ({_OWN_BRANCH}) WITH CHECK ({_OWN_BRANCH})",
            table=table,
            group=group,
        )
        # Head office itself (the role that ran init) reads and writes every branch: the
        # consolidated reports. A superuser bypasses policies anyway; a cloud "admin" does not.
        run("DROP POLICY IF EXISTS head_office ON {table}", table=table)
        run(
            "CREATE POLICY head_office ON {table} FOR ALL TO {owner} USING (true)"
            " WITH CHECK (true)",
            table=table,
            owner=owner,
        )
    # The bulk path stages catch-up batches in TEMPORARY tables (ingest): granted to the group
    # itself, so a head office hardened with REVOKE TEMPORARY ... FROM PUBLIC still merges.
    database = raw.execute("SELECT current_database()").fetchone()
    assert database is not None
    run("GRANT TEMPORARY ON DATABASE {db} TO {group}", db=str(database[0]), group=group)


def _durable_commits(conn: psycopg.Connection[tuple[Any, ...]], role: str) -> None:
    # A hub deletes its outbox rows once its login's commit returns: with asynchronous commit
    # (a common tuning) a head-office crash could lose what it acknowledged. The login's own
    # setting beats the server's and the database's.
    conn.execute(
        sql.SQL("ALTER ROLE {role} SET synchronous_commit = on").format(role=sql.Identifier(role))
    )


def _create_claim_branch(raw: psycopg.Connection[tuple[Any, ...]]) -> None:
    """``claim_branch(instance)``: a hub enrolling claims its login's branch, once. A branch
    login may not write ``branch``, so this runs as its owner (SECURITY DEFINER), keyed on
    ``session_user``, since inside it ``current_user`` is the owner."""
    row = raw.execute("SELECT current_schema()").fetchone()
    assert row is not None
    raw.execute(
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION {schema}.claim_branch(instance text) RETURNS text
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $claim$
            DECLARE
                held branch%ROWTYPE;
            BEGIN
                IF instance IS NULL OR length(instance) <> 32 OR instance ~ '[^0-9a-f]' THEN
                    RAISE EXCEPTION 'a hub instance is 32 hex digits'
                        USING ERRCODE = 'invalid_parameter_value';
                END IF;
                SELECT * INTO held FROM branch WHERE login_role = session_user FOR UPDATE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'login % is not a branch login', session_user
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                IF held.hub_instance IS NULL THEN
                    UPDATE branch SET hub_instance = instance, enrolled_at = now()
                        WHERE code = held.code;
                ELSIF held.hub_instance <> instance THEN
                    RAISE EXCEPTION 'branch % is held by another hub, enrolled at %',
                        held.code, held.enrolled_at
                        USING ERRCODE = {taken},
                        HINT = 'head-office IT releases the branch when its PC is replaced';
                END IF;
                RETURN held.code;
            END
            $claim$
            """
        ).format(schema=sql.Identifier(str(row[0])), taken=sql.Literal(BRANCH_TAKEN_SQLSTATE))
    )


def _existing_tables(conn: SAConnection, names: list[str]) -> set[str]:
    rows = conn.exec_driver_sql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
        (names,),
    )
    return {str(row[0]) for row in rows}


def _check_columns(conn: SAConnection, tables: Mapping[str, Table], existing: set[str]) -> None:
    """Refuse to carry on over tables of another schema version (Alembic's job, not init's)."""
    if not existing:
        return
    rows = conn.exec_driver_sql(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        (sorted(existing),),
    )
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), set()).add(str(column))
    differing = sorted(t for t in existing if found.get(t, set()) != set(tables[t].columns.keys()))
    if differing:
        raise HeadOfficeSchemaMismatch(
            "head-office tables differ from this program's: " + ", ".join(differing),
            tables=", ".join(differing),
        )


# --- connections and errors ---


def _parse_dsn(dsn: str) -> dict[str, Any]:
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.Error:
        # libpq's message can quote part of the string, password included: not shown.
        raise InvalidDsn(
            "not a PostgreSQL connection string: postgresql://USER@HOST:PORT/DBNAME"
            " or key=value pairs"
        ) from None
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "counter-app headoffice")
    return params


def _where(params: dict[str, Any]) -> str:
    user = params.get("user") or "(default user)"
    host = params.get("host") or params.get("hostaddr") or "(local socket)"
    port = params.get("port") or 5432
    return f"{user}@{host}:{port}/{params.get('dbname') or user}"


def _connect(params: dict[str, Any]) -> psycopg.Connection[tuple[Any, ...]]:
    try:
        return psycopg.connect(**params)
    except psycopg.Error as exc:
        raise _connect_error(exc, params) from exc


def _connect_error(exc: psycopg.Error, params: dict[str, Any]) -> HeadOfficeError:
    message = _redact(_first_line_after_failed(str(exc)), params)
    where = _where(params)
    # The server's own refusals come as FATAL; the rest never reached a PostgreSQL.
    if "FATAL:" in str(exc):
        return HeadOfficeRefused(f"head office at {where} refused the login: {message}")
    return HeadOfficeUnreachable(f"cannot reach head office at {where}: {message}")


def _first_line_after_failed(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "no answer"
    # "connection failed: connection to server at "h", port p failed: FATAL:  the reason"
    return first.rsplit(" failed: ", 1)[-1].replace("FATAL:  ", "").strip()


def _redact(text: str, params: dict[str, Any]) -> str:
    password = params.get("password")
    return text.replace(str(password), "***") if password else text


@contextmanager
def _translated(params: dict[str, Any]) -> Iterator[None]:
    """PostgreSQL's errors as this program's, with where it happened and no password."""
    try:
        yield
    except DBAPIError as exc:
        original = exc.orig
        if isinstance(original, psycopg.Error):
            raise _statement_error(original, params) from exc
        raise
    except psycopg.Error as exc:
        raise _statement_error(exc, params) from exc


def _statement_error(exc: psycopg.Error, params: dict[str, Any]) -> HeadOfficeError:
    where = _where(params)
    message = _redact(str(exc).strip().splitlines()[0] if str(exc).strip() else "", params)
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return HeadOfficeRefused(
            f"head office at {where} refused: {message} (the command needs a role that may"
            " create tables and roles)"
        )
    if isinstance(exc, psycopg.OperationalError):
        return HeadOfficeUnreachable(f"lost head office at {where}: {message}")
    return HeadOfficeError(f"head office at {where}: {message}")


def _regclass(conn: psycopg.Connection[tuple[Any, ...]], name: str) -> str | None:
    row = conn.execute("SELECT to_regclass(%s)::text", (name,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


# --- enrolment secrets ---


def _new_enrolment_secret() -> str:
    # 160 bits in base32, grouped: read out over the phone or typed without confusion.
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _canonical_secret(secret: str) -> str:
    return re.sub(r"[\s-]", "", secret).upper()
