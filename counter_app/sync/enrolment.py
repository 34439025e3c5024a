"""A hub's enrolment with head office: the branch login, kept in the OS keyring.

Head-office IT runs ``counter-app headoffice add-branch`` and hands the branch its login;
branch IT runs ``counter-app hub enrol`` once. The DSN with its password goes into the OS
keyring under this hub's folder, never into a file; the hub's sync worker reads it at start.
Enrolment checks the login against head office first: it must reach it, the login must be
the one head office gave this branch code, this hub's clock must agree with head office's,
and no other hub may hold the branch: each hub has an instance id, kept in its folder, and
claims its branch at head office with it (``claim_branch``), so a second hub enrolled with
the same login is refused until head-office IT releases the branch (``release_branch``).

The hub's identity lives in the keyring entry, which stays on this PC, and is mirrored in the
``hub-instance`` file in its folder: a folder copied to another PC carries the file but not the
keyring entry, so the copy enrols as a new hub (refused until head-office IT releases the
branch), and a folder whose file disagrees with this PC's entry sends nothing
(``sync.hub_copied``) until branch IT enrols it again.

The link itself: TLS as the enrolment chose it (``sslmode``, ``verify-full`` by default for a
head office that is not on this PC), and timeouts on both ends of the socket so that a WAN
link that dies without a FIN or RST fails the sync within a minute instead of hanging it.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError

from counter_app.config.basedir import Basedir
from counter_app.domain.errors import DomainError, InvalidInput
from counter_app.headoffice.admin import (
    BRANCH_TAKEN_SQLSTATE,
    InvalidDsn,
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
CONNECT_TIMEOUT_S = 10
# A WAN link that dies silently (no FIN, no RST) is given up on within this: far above a
# congested link's retransmissions, far below the ~2 h of TCP's defaults the worker would hang.
DEAD_LINK_SECONDS = 60
# Per statement at head office: a 5,000-row catch-up batch (0.24-0.60 MB) took 0.11-0.16 s on
# loopback, so 10 min lets even a 6 MB batch crawl in at 80 kbit/s; a statement stuck behind a
# lock still ends, and the status says so, instead of "sending" for ever.
STATEMENT_TIMEOUT = "10min"
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# A head office that is not on this PC: only verify-full proves it is head office at all.
REMOTE_SSLMODE = "verify-full"

log = logging.getLogger(__name__)


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


class HubCopied(DomainError):
    """This hub's folder is not the one enrolled on this PC: copied from another hub's PC."""

    code = "sync.hub_copied"
    http_status = 409


class TlsRequired(DomainError):
    """The hub asks for TLS (``sslmode`` require or stricter); head office does not offer it."""

    code = "sync.tls_required"
    http_status = 502


class TlsFailed(DomainError):
    """TLS with head office failed: its certificate, its name, or the CA file."""

    code = "sync.tls_failed"
    http_status = 502


class TlsRootCertMissing(InvalidInput):
    code = "sync.tls_rootcert_missing"


@dataclass(frozen=True)
class Enrolled:
    branch_code: str
    dsn: str  # with the branch login's password: only ever in memory and in the keyring
    instance: str = ""  # the hub instance that claimed the branch (``hub_instance``)
    folder: str = ""  # the hub's folder, whose instance file must say ``instance``
    machine: str = ""  # ``machine_id()`` of the PC that enrolled; "" when it had none

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


def _read_instance(folder: Path) -> str:
    """The instance file's id; "" when there is none."""
    path = folder / INSTANCE_FILE
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        return ""
    if not _INSTANCE.fullmatch(text):
        raise HubInstanceDamaged(
            f"{path} should hold this hub's id (32 hex digits): enrol the hub again",
            path=str(path),
        )
    return text


def _write_instance(folder: Path, instance: str) -> None:
    path = folder / INSTANCE_FILE
    draft = path.with_name(f".{INSTANCE_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
    draft.write_text(instance + "\n", encoding="ascii")
    os.replace(draft, path)  # whole or not at all


def machine_id() -> str:
    """This PC's identity (the OS's machine id, hashed: the raw one is meant to stay private);
    "" when the OS offers none."""
    raw = _raw_machine_id()
    return hashlib.sha256(f"counter-app hub:{raw}".encode()).hexdigest()[:32] if raw else ""


def _raw_machine_id() -> str:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE,
                r"SOFTWARE\Microsoft\Cryptography",
                0,
                winreg.KEY_READ | winreg.KEY_WOW64_64KEY,
            ) as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0]).strip()
        except OSError:
            return ""
    for name in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        with contextlib.suppress(OSError):
            text = Path(name).read_text(encoding="ascii", errors="replace").strip()
            if text:
                return text
    return ""


def _identity_problem(link: Enrolled) -> str:
    """Why the hub in ``link.folder`` is not the one enrolled on this PC; "" when it is."""
    here = machine_id()
    if link.machine and here and link.machine != here:
        # A roaming profile brought the keyring entry along with the copied folder.
        return "this hub was enrolled on another PC"
    held = _read_instance(Path(link.folder))
    if held and held != link.instance:
        return (
            f"this folder's hub id ({held}) is not the one enrolled on this PC"
            f" ({link.instance}): the folder was copied from another hub"
        )
    return ""


def check_identity(link: Enrolled) -> None:
    """Refuses (``sync.hub_copied``) a hub whose folder is not the one enrolled on this PC:
    copied whole from another hub's PC, two hubs would send as one. Branch IT enrols it again
    (a new hub id), and head-office IT releases the branch to it."""
    if not link.folder:
        return  # made by hand (tools, tests), not read from this PC's keyring
    problem = _identity_problem(link)
    if problem:
        raise HubCopied(
            f"{problem}; it sends nothing: run `counter-app hub enrol` on this PC, then"
            f" head-office IT releases branch {link.branch_code} to it",
            branch=link.branch_code,
        )
    folder = Path(link.folder)
    if not (folder / INSTANCE_FILE).exists():
        _write_instance(folder, link.instance)  # deleted here: this PC's entry still says it


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
    sslmode: str | None = None,
    sslrootcert: str | None = None,
) -> Enrolled:
    """Check the login at head office, claim the branch for this hub, and keep the link in
    the keyring. ``sslmode``/``sslrootcert`` go into the kept DSN (``with_tls``)."""
    code = validate_branch_code(branch_code)
    if not dsn.startswith(("postgresql://", "postgres://")):
        raise InvalidInput("head office is a postgresql://user:password@host/db address")
    dsn = with_tls(dsn, sslmode, sslrootcert)
    ring = credentials or Credentials()
    instance = _instance_to_claim(basedir, ring)
    params = connection_params(dsn)
    try:
        with psycopg.connect(**params) as conn:
            row = conn.execute("SELECT code FROM branch WHERE login_role = current_user").fetchone()
            if row is None or row[0] != code:
                raise EnrolmentRefused(
                    f"this login belongs to branch {row[0] if row else '(none)'}, not {code}",
                    branch=code,
                )
            check_clock(conn, clock)
            _claim(conn, code, instance)
    except psycopg.OperationalError as exc:
        tls = _tls_refusal(exc, dsn, params)
        if tls is not None:
            raise tls from None
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
    machine = machine_id()
    _write_instance(basedir.root, instance)
    ring.set(
        PURPOSE,
        _name(basedir),
        json.dumps({"branch": code, "dsn": dsn, "instance": instance, "machine": machine}),
    )
    return Enrolled(code, dsn, instance, _folder(basedir), machine)


def _instance_to_claim(basedir: Basedir, ring: Credentials) -> str:
    """This PC's enrolment's hub id when the folder is still that hub's; otherwise a new one,
    so a folder copied from another PC never claims the branch as the hub it came from."""
    current = enrolled(basedir, ring)
    if current is not None and _INSTANCE.fullmatch(current.instance):
        try:
            problem = _identity_problem(current)
        except HubInstanceDamaged:
            problem = "damaged"
        if not problem:
            return current.instance
        log.warning("hub folder %s: %s; enrolling as a new hub", basedir.root, problem)
    return uuid.uuid4().hex


def enrolled(basedir: Basedir, credentials: Credentials | None = None) -> Enrolled | None:
    raw = (credentials or Credentials()).get(PURPOSE, _name(basedir))
    if not raw:
        return None
    data = json.loads(raw)
    return Enrolled(
        str(data["branch"]),
        str(data["dsn"]),
        str(data.get("instance", "")),
        _folder(basedir),
        str(data.get("machine", "")),
    )


def _folder(basedir: Basedir) -> str:
    return str(basedir.root.resolve())


def verify(connection: Connection, link: Enrolled, now: Callable[[], datetime] = utcnow) -> float:
    """What a sync should check on each new connection before sending: this folder is the
    hub enrolled on this PC (``sync.hub_copied``), this hub still holds its branch
    (``sync.branch_taken`` once head-office IT released it to another hub) and its clock
    agrees with head office's (``sync.clock_skew``). Returns the clock skew."""
    check_identity(link)
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


# --- the link: TLS and timeouts ---


def with_tls(dsn: str, sslmode: str | None = None, sslrootcert: str | None = None) -> str:
    """``dsn`` with ``sslmode`` and ``sslrootcert`` set where given (an absolute path, checked
    to exist, or libpq's ``system``). Neither given nor in the DSN: ``verify-full`` for a head
    office that is not on this PC (or with a CA file given), libpq's own default otherwise."""
    if sslmode is not None and sslmode not in SSL_MODES:
        raise InvalidInput(f"sslmode {sslmode!r}: one of {', '.join(SSL_MODES)}", value=sslmode)
    params = _parse(dsn)
    changes: dict[str, str] = {}
    if sslrootcert:
        changes["sslrootcert"] = _rootcert(sslrootcert)
    if sslmode is not None:
        changes["sslmode"] = sslmode
    elif "sslmode" not in params and (sslrootcert or not _on_this_pc(params)):
        changes["sslmode"] = REMOTE_SSLMODE
    if not changes:
        return dsn
    parts = urlsplit(dsn)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    query += sorted(changes.items())
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote, safe="/")))


def _rootcert(path: str) -> str:
    if path == "system":  # libpq 16+: the operating system's trusted CAs
        return path
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise TlsRootCertMissing(
            f"the CA certificate {resolved} does not exist: copy head office's CA certificate"
            " to this PC and give its path",
            path=str(resolved),
        )
    return str(resolved)


def _on_this_pc(params: dict[str, Any]) -> bool:
    """Whether every host the DSN names is this PC: a loopback address or a Unix socket."""
    hosts = str(params.get("hostaddr") or params.get("host") or "").split(",")
    for host in (h.strip() for h in hosts):
        if not host or host.startswith("/") or host.lower() == "localhost":
            continue
        try:
            if not ipaddress.ip_address(host.strip("[]")).is_loopback:
                return False
        except ValueError:
            return False  # a name: somewhere on the network
    return True


def connection_params(dsn: str, dead_after: int = DEAD_LINK_SECONDS) -> dict[str, Any]:
    """libpq's parameters for the link to head office: the DSN's own, which win, plus the
    connect timeout, keepalives and TCP user timeout on this end of the socket, the same on
    head office's end (``options``: its backend then drops a hub that vanished, and with it
    the locks of a half-sent batch), and the statement limit."""
    params = _parse(dsn)
    # Probes from a third of the way in; with tcp_user_timeout, Linux gives up at that.
    idle, interval, count = max(1, dead_after // 3), max(1, dead_after // 6), 3
    user_timeout_ms = dead_after * 1000
    server = (
        f"-c tcp_keepalives_idle={idle} -c tcp_keepalives_interval={interval}"
        f" -c tcp_keepalives_count={count} -c tcp_user_timeout={user_timeout_ms}"
        f" -c statement_timeout={STATEMENT_TIMEOUT}"
    )
    own = str(params.get("options") or "")
    ours: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "counter-app hub",
        "keepalives": 1,
        "keepalives_idle": idle,
        "keepalives_interval": interval,
        "keepalives_count": count,
        "tcp_user_timeout": user_timeout_ms,
    }
    # The DSN's own options come last: of two -c for one setting, the later wins.
    return {**ours, **params, "options": f"{server} {own}".strip()}


def _parse(dsn: str) -> dict[str, Any]:
    try:
        return conninfo_to_dict(dsn)
    except psycopg.Error:
        # libpq's message can quote part of the string, password included: not shown.
        raise InvalidDsn(
            "not a PostgreSQL connection string: postgresql://USER@HOST:PORT/DBNAME"
        ) from None


def _tls_refusal(
    exc: psycopg.OperationalError, dsn: str, params: dict[str, Any]
) -> DomainError | None:
    """A failed connection that is about TLS, as its own coded error; None otherwise."""
    text = str(exc)
    where = describe_dsn(dsn)
    reason = text.strip().splitlines()[0].rsplit(" failed: ", 1)[-1].strip() if text else ""
    password = params.get("password")
    if password:
        reason = reason.replace(str(password), "***")
    mode = str(params.get("sslmode") or "prefer")
    if "does not support SSL" in text:
        return TlsRequired(
            f"head office at {where} offers no TLS and this hub requires it (sslmode {mode})",
            sslmode=mode,
            reason=reason[:200],
        )
    if "certificate" in text or "SSL error" in text:
        return TlsFailed(
            f"TLS with head office at {where} failed (sslmode {mode}): {reason}",
            sslmode=mode,
            reason=reason[:200],
        )
    return None


def engine_for(link: Enrolled, dead_after: int = DEAD_LINK_SECONDS) -> Engine:
    """The sync worker's engine: one connection, made as ``connection_params`` says, and
    only for the hub enrolled on this PC (``sync.hub_copied``); a TLS refusal comes out as
    ``sync.tls_required`` / ``sync.tls_failed``."""
    dsn = link.dsn
    params = connection_params(dsn, dead_after)

    def connect() -> psycopg.Connection[tuple[Any, ...]]:
        check_identity(link)  # a copied folder does not even connect
        try:
            return psycopg.connect(**params)
        except psycopg.OperationalError as exc:
            tls = _tls_refusal(exc, dsn, params)
            if tls is not None:
                raise tls from None
            raise

    return create_engine(
        "postgresql+psycopg://",
        creator=connect,
        pool_pre_ping=True,
        pool_size=1,
        max_overflow=0,
    )


def link_security(dsn: str) -> tuple[str, bool]:
    """The DSN's sslmode (libpq's default ``prefer`` when it has none), and whether head
    office's identity is checked: a verify mode, or head office on this PC."""
    params = _parse(dsn)
    sslmode = str(params.get("sslmode") or "prefer")
    return sslmode, sslmode in ("verify-ca", "verify-full") or _on_this_pc(params)
