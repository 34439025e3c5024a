"""A hub's enrolment with head office: the branch login, kept in the OS keyring.

Head-office IT runs ``counter-app headoffice add-branch`` and hands the branch its login;
branch IT runs ``counter-app hub enrol`` once. The DSN with its password goes into the OS
keyring under this hub's folder, never into a file; the hub's sync worker reads it at start.
Enrolment checks the login against head office first: it must reach it, the login must be
the one head office gave this branch code, this hub's clock must agree with head office's,
and no other hub may hold the branch: each hub has an instance id, kept in its folder, and
claims its branch at head office with it (``claim_branch``), so a second hub enrolled with
the same login is refused until head-office IT releases the branch (``release_branch``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
import psycopg.errors
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError

from counter_app.config.basedir import Basedir
from counter_app.domain.errors import DomainError, InvalidInput
from counter_app.headoffice.admin import (
    BRANCH_TAKEN_SQLSTATE,
    describe_dsn,
    validate_branch_code,
)
from counter_app.secrets import Credentials
from counter_app.storage.types import utcnow

PURPOSE = "headoffice"
INSTANCE_FILE = "hub-instance"
# Beyond this the hub's times (tickets, audit, the hybrid clock of shared rows) are not trusted.
MAX_CLOCK_SKEW = timedelta(minutes=5)
_INSTANCE = re.compile(r"[0-9a-f]{32}")


class EnrolmentRefused(DomainError):
    code = "sync.enrolment_refused"
    http_status = 409


class HeadOfficeUnreachable(DomainError):
    code = "sync.unreachable"
    http_status = 503


class BranchTaken(DomainError):
    code = "sync.branch_taken"
    http_status = 409


class ClockSkew(DomainError):
    code = "sync.clock_skew"
    http_status = 409


class HubInstanceDamaged(DomainError):
    code = "sync.instance_damaged"
    http_status = 500


@dataclass(frozen=True)
class Enrolled:
    branch_code: str
    dsn: str  # with the branch login's password: only ever in memory and in the keyring
    instance: str = ""  # the hub instance that claimed the branch (``hub_instance``)

    def __repr__(self) -> str:
        return f"Enrolled({self.branch_code}, {describe_dsn(self.dsn)}, hub {self.instance})"


def _name(basedir: Basedir) -> str:
    return f"hub:{basedir.root.resolve()}"


def hub_instance(basedir: Basedir) -> str:
    """This hub's instance id (32 hex digits), made the first time it is asked for."""
    path = basedir.root / INSTANCE_FILE
    if not path.exists():
        draft = path.with_name(f".{INSTANCE_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
        draft.write_text(uuid.uuid4().hex + "\n", encoding="ascii")
        # A hard link never replaces: of two hubs starting at once, the first one's id stays.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    text = path.read_text(encoding="ascii", errors="replace").strip()
    if not _INSTANCE.fullmatch(text):
        raise HubInstanceDamaged(
            f"{path} should hold this hub's id (32 hex digits); restore it from a backup,"
            " or delete it and have head-office IT release the branch",
            path=str(path),
        )
    return text


def check_clock(
    connection: Engine | Connection | psycopg.Connection[tuple[object, ...]],
    now: Callable[[], datetime] = utcnow,
    limit: timedelta = MAX_CLOCK_SKEW,
) -> float:
    """Seconds this hub's clock is ahead of head office's (negative: behind). Refused with
    ``sync.clock_skew``, both times in the message, when more than ``limit`` apart."""
    with _office_clock(connection) as office_clock:
        before = now()
        office = office_clock()
        after = now()
    # Head office read its clock somewhere in the round trip: its middle is the best guess.
    hub = (before + (after - before) / 2).astimezone(UTC)
    skew = (hub - office).total_seconds()
    if abs(skew) > limit.total_seconds():
        raise ClockSkew(
            f"this hub's clock says {hub:%Y-%m-%d %H:%M:%S} UTC and head office's"
            f" {office:%Y-%m-%d %H:%M:%S} UTC: {abs(skew) / 60:.1f} minutes apart, more than"
            f" the {limit.total_seconds() / 60:.0f} allowed; set this PC's clock (time sync)"
            " and try again",
            hub_time=hub.isoformat(),
            headoffice_time=office.isoformat(),
            skew_seconds=round(skew, 1),
            limit_seconds=limit.total_seconds(),
        )
    return skew


@contextlib.contextmanager
def _office_clock(
    connection: Engine | Connection | psycopg.Connection[tuple[object, ...]],
) -> Iterator[Callable[[], datetime]]:
    # clock_timestamp(), not now(): the latter is when the transaction began.
    query = "SELECT clock_timestamp()"
    if isinstance(connection, psycopg.Connection):
        raw = connection

        def read_raw() -> datetime:
            row = raw.execute(query).fetchone()
            assert row is not None
            return _aware(row[0])

        yield read_raw
    elif isinstance(connection, Engine):
        with connection.connect() as opened:
            yield lambda: _aware(opened.exec_driver_sql(query).scalar_one())
    else:
        yield lambda: _aware(connection.exec_driver_sql(query).scalar_one())


def _aware(value: object) -> datetime:
    assert isinstance(value, datetime)
    assert value.tzinfo is not None
    return value.astimezone(UTC)  # in the session's time zone as it comes


def enrol(
    basedir: Basedir,
    dsn: str,
    branch_code: str,
    credentials: Credentials | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Enrolled:
    code = validate_branch_code(branch_code)
    if not dsn.startswith(("postgresql://", "postgres://")):
        raise InvalidInput("head office is a postgresql://user:password@host/db address")
    instance = hub_instance(basedir)
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            row = conn.execute("SELECT code FROM branch WHERE login_role = current_user").fetchone()
            if row is None or row[0] != code:
                raise EnrolmentRefused(
                    f"this login belongs to branch {row[0] if row else '(none)'}, not {code}",
                    branch=code,
                )
            check_clock(conn, clock)
            _claim(conn, code, instance)
    except psycopg.OperationalError as exc:
        raise HeadOfficeUnreachable(
            f"head office at {describe_dsn(dsn)} cannot be reached or refused the login",
            reason=str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
        ) from None
    except psycopg.Error as exc:
        if isinstance(exc, psycopg.errors.UndefinedFunction):
            raise EnrolmentRefused(
                "head office is older than this hub (no claim_branch): head-office IT runs"
                " `counter-app headoffice init` again",
                branch=code,
            ) from None
        raise EnrolmentRefused(
            "this login is not a branch login of that head office",
            reason=type(exc).__name__,
        ) from None
    enrolled = Enrolled(code, dsn, instance)
    (credentials or Credentials()).set(
        PURPOSE, _name(basedir), json.dumps({"branch": code, "dsn": dsn, "instance": instance})
    )
    return enrolled


def enrolled(basedir: Basedir, credentials: Credentials | None = None) -> Enrolled | None:
    raw = (credentials or Credentials()).get(PURPOSE, _name(basedir))
    if not raw:
        return None
    data = json.loads(raw)
    return Enrolled(str(data["branch"]), str(data["dsn"]), str(data.get("instance", "")))


def verify(connection: Connection, link: Enrolled, now: Callable[[], datetime] = utcnow) -> float:
    """What a sync should check on each new connection before sending: this hub still holds
    its branch (``sync.branch_taken`` once head-office IT released it to another hub) and its
    clock agrees with head office's (``sync.clock_skew``). Returns the clock skew."""
    _claim(connection, link.branch_code, link.instance)
    return check_clock(connection, now)


def _claim(
    connection: Connection | psycopg.Connection[tuple[object, ...]], code: str, instance: str
) -> None:
    if not _INSTANCE.fullmatch(instance):
        raise EnrolmentRefused("this hub was enrolled without an instance id: enrol it again")
    statement = "SELECT claim_branch(%s)"
    try:
        if isinstance(connection, psycopg.Connection):
            connection.execute(statement, (instance,))
        else:
            connection.exec_driver_sql(statement, (instance,))
    except (psycopg.Error, DBAPIError) as exc:
        error = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(error, psycopg.Error) and error.sqlstate == BRANCH_TAKEN_SQLSTATE:
            raise BranchTaken(
                f"another hub is enrolled for branch {code}"
                f" ({error.diag.message_primary or 'at head office'}): head-office IT must"
                " release the branch before this hub can take over",
                branch=code,
            ) from None
        raise


def engine_for(link: Enrolled) -> Engine:
    dsn = link.dsn.replace("postgres://", "postgresql://", 1)
    return create_engine(
        dsn.replace("postgresql://", "postgresql+psycopg://", 1),
        pool_pre_ping=True,
        pool_size=1,
        max_overflow=0,
        connect_args={"connect_timeout": 10},
    )
