"""A hub's enrolment with head office: the branch login, kept in the OS keyring.

Head-office IT runs ``counter-app headoffice add-branch`` and hands the branch its login;
branch IT runs ``counter-app hub enrol`` once. The DSN with its password goes into the OS
keyring under this hub's folder, never into a file; the hub's sync worker reads it at start.
Enrolment checks the login against head office first: it must reach it, and the login must
be the one head office gave this branch code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg
from sqlalchemy import Engine, create_engine

from counter_app.config.basedir import Basedir
from counter_app.domain.errors import DomainError, InvalidInput
from counter_app.headoffice.admin import describe_dsn, validate_branch_code
from counter_app.secrets import Credentials

PURPOSE = "headoffice"


class EnrolmentRefused(DomainError):
    code = "sync.enrolment_refused"
    http_status = 409


class HeadOfficeUnreachable(DomainError):
    code = "sync.unreachable"
    http_status = 503


@dataclass(frozen=True)
class Enrolled:
    branch_code: str
    dsn: str  # with the branch login's password: only ever in memory and in the keyring

    def __repr__(self) -> str:
        return f"Enrolled({self.branch_code}, {describe_dsn(self.dsn)})"


def _name(basedir: Basedir) -> str:
    return f"hub:{basedir.root.resolve()}"


def enrol(
    basedir: Basedir, dsn: str, branch_code: str, credentials: Credentials | None = None
) -> Enrolled:
    code = validate_branch_code(branch_code)
    if not dsn.startswith(("postgresql://", "postgres://")):
        raise InvalidInput("head office is a postgresql://user:password@host/db address")
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            row = conn.execute("SELECT code FROM branch WHERE login_role = current_user").fetchone()
    except psycopg.OperationalError as exc:
        raise HeadOfficeUnreachable(
            f"head office at {describe_dsn(dsn)} cannot be reached or refused the login",
            reason=str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
        ) from None
    except psycopg.Error as exc:
        raise EnrolmentRefused(
            "this login is not a branch login of that head office",
            reason=type(exc).__name__,
        ) from None
    if row is None or row[0] != code:
        raise EnrolmentRefused(
            f"this login belongs to branch {row[0] if row else '(none)'}, not {code}",
            branch=code,
        )
    enrolled = Enrolled(code, dsn)
    (credentials or Credentials()).set(
        PURPOSE, _name(basedir), json.dumps({"branch": code, "dsn": dsn})
    )
    return enrolled


def enrolled(basedir: Basedir, credentials: Credentials | None = None) -> Enrolled | None:
    raw = (credentials or Credentials()).get(PURPOSE, _name(basedir))
    if not raw:
        return None
    data = json.loads(raw)
    return Enrolled(str(data["branch"]), str(data["dsn"]))


def engine_for(link: Enrolled) -> Engine:
    dsn = link.dsn.replace("postgres://", "postgresql://", 1)
    return create_engine(
        dsn.replace("postgresql://", "postgresql+psycopg://", 1),
        pool_pre_ping=True,
        pool_size=1,
        max_overflow=0,
        connect_args={"connect_timeout": 10},
    )
