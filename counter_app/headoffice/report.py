"""What head office reads across all branches: each branch's replication, and the consolidated
views reports start from (every branch's rows are already in one table, keyed by branch).

``counter-app headoffice status`` prints the first; ``create_views`` makes the second and is
run by ``counter-app headoffice status --views`` (head office's own login, which reads every
branch; branch logins are sealed off by row-level security and get no grant on the views).
``sync_board`` is what the manager's window (``counter-app headoffice board``) shows: each
branch's last batch, rows received today and how far behind it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
import psycopg.errors

from counter_app.headoffice.admin import (
    HeadOfficeError,
    HeadOfficeNotInitialised,
    HeadOfficeRefused,
    HeadOfficeUnreachable,
    describe_dsn,
)

# A branch whose last batch is younger is current; older than a day (or none yet), stale.
CURRENT_WITHIN = timedelta(minutes=15)
BEHIND_WITHIN = timedelta(hours=24)
# The board asks every 30 s: a question that takes longer has met a lock or a dying link.
BOARD_STATEMENT_TIMEOUT = "30s"

VIEWS: dict[str, str] = {
    # One row per branch: where its replication stands (the manager's view at head office).
    "branch_sync": """
        SELECT b.code AS branch_code, b.name, b.enrolled_at,
               max(s.received_at) AS last_batch_at, count(s.batch_seq) AS batches,
               coalesce(sum(s.rows), 0) AS rows_received
        FROM branch b LEFT JOIN sync_batch s ON s.branch_code = b.code
        GROUP BY b.code, b.name, b.enrolled_at""",
    # Tickets per branch, day and service: issued, served, waiting minutes (the queue report).
    "tickets_by_day": """
        SELECT t.branch_code, t.business_day, st.code AS service, st.name AS service_name,
               count(*) AS issued,
               count(*) FILTER (WHERE t.state = 'done') AS served,
               round(avg(extract(epoch FROM t.called_at - t.queued_at) / 60)
                     FILTER (WHERE t.called_at IS NOT NULL)::numeric, 1) AS avg_wait_minutes
        FROM ticket t LEFT JOIN service_type st ON st.id = t.service_type_id
        GROUP BY t.branch_code, t.business_day, st.code, st.name""",
}


@dataclass(frozen=True)
class BranchSync:
    branch_code: str
    name: str
    enrolled_at: datetime | None
    last_batch_at: datetime | None
    batches: int
    rows_received: int


@dataclass(frozen=True)
class BranchFreshness:
    """One branch on the manager's board."""

    code: str
    name: str
    hub_enrolled: bool  # a hub holds the branch (``claim_branch``)
    last_batch_at: datetime | None
    rows_today: int  # outbox rows of the batches received since ``SyncBoard.day_start``
    lag: timedelta | None  # head office's clock at reading minus the last batch; None: never
    state: str  # current (< 15 min), behind (< 24 h), stale (older, or never)


@dataclass(frozen=True)
class SyncBoard:
    read_at: datetime  # head office's clock when it was read
    day_start: datetime  # "today" began then (midnight where the board runs)
    branches: tuple[BranchFreshness, ...]


def sync_state(lag: timedelta | None) -> str:
    if lag is not None and lag < CURRENT_WITHIN:
        return "current"
    if lag is not None and lag < BEHIND_WITHIN:
        return "behind"
    return "stale"


def sync_board(dsn: str, day_start: datetime | None = None) -> SyncBoard:
    """Every branch at head office, by code: its hub, last batch, rows received since
    ``day_start`` (default: this PC's last midnight) and its lag by head office's clock."""
    if day_start is None:
        day_start = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    with _reading(dsn) as conn:
        conn.execute(f"SET LOCAL statement_timeout = '{BOARD_STATEMENT_TIMEOUT}'")
        _refuse_branch_logins(conn, dsn)
        clock = conn.execute("SELECT statement_timestamp()").fetchone()
        assert clock is not None
        read_at: datetime = clock[0]
        rows = conn.execute(
            """
            SELECT b.code, b.name, b.hub_instance IS NOT NULL, max(s.received_at),
                   coalesce(sum(s.rows) FILTER (WHERE s.received_at >= %s), 0)
            FROM branch b LEFT JOIN sync_batch s ON s.branch_code = b.code
            GROUP BY b.code, b.name, b.hub_instance
            ORDER BY b.code""",
            (day_start,),
        ).fetchall()
    branches = []
    for code, name, hub, last, today in rows:
        # A batch stamped a moment after the clock was read is not in the future.
        lag = None if last is None else max(timedelta(0), read_at - last)
        branches.append(
            BranchFreshness(str(code), str(name), bool(hub), last, int(today), lag, sync_state(lag))
        )
    return SyncBoard(read_at, day_start, tuple(branches))


def _refuse_branch_logins(conn: psycopg.Connection[tuple[Any, ...]], dsn: str) -> None:
    # A branch login (as the policies know it) may read these tables too, but row-level
    # security shows it only its own batches: every other branch would look silent.
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM branch WHERE login_role = current_user)"
    ).fetchone()
    if row is not None and row[0]:
        raise HeadOfficeRefused(
            f"{describe_dsn(dsn)} is a branch login: the board needs head office's own login,"
            " the one that ran init"
        )


def create_views(dsn: str) -> list[str]:
    """The consolidated views, made or replaced; returns their names."""
    with _connect(dsn) as conn:
        for name, body in VIEWS.items():
            conn.execute(f"CREATE OR REPLACE VIEW {name} AS {body}")
            conn.execute(f"REVOKE ALL ON {name} FROM PUBLIC")
    return list(VIEWS)


def branch_status(dsn: str) -> list[BranchSync]:
    with _connect(dsn) as conn:
        rows = conn.execute(
            f"SELECT branch_code, name, enrolled_at, last_batch_at, batches, rows_received "
            f"FROM ({VIEWS['branch_sync']}) s ORDER BY branch_code"
        ).fetchall()
    return [BranchSync(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]


def _connect(dsn: str) -> psycopg.Connection[tuple[Any, ...]]:
    try:
        # Keepalives: a window refreshing every 30 s must not hang on a link that died silently.
        return psycopg.connect(
            dsn,
            connect_timeout=10,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=30_000,
        )
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()
        reason = first[0].rsplit(" failed: ", 1)[-1].strip()[:200] if first else ""
        where = describe_dsn(dsn)
        if "FATAL:" in str(exc):  # a PostgreSQL answered: the login or the database
            raise HeadOfficeRefused(
                f"head office at {where} refused the login: {reason}", reason=reason
            ) from None
        raise HeadOfficeUnreachable(
            f"head office at {where} cannot be reached: {reason}", reason=reason
        ) from None


@contextmanager
def _reading(dsn: str) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
    """A connection for one read, its errors as head office's coded ones."""
    where = describe_dsn(dsn)
    try:
        with _connect(dsn) as conn:
            yield conn
    except psycopg.errors.UndefinedTable:
        raise HeadOfficeNotInitialised(
            f"no head-office schema at {where}: run `counter-app headoffice init`"
        ) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise HeadOfficeRefused(
            f"head office at {where} refused: {_first_line(exc)} (the board needs head"
            " office's own login, the one that ran init)"
        ) from None
    except psycopg.OperationalError as exc:
        raise HeadOfficeUnreachable(f"lost head office at {where}: {_first_line(exc)}") from None
    except psycopg.Error as exc:
        raise HeadOfficeError(f"head office at {where}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
