"""What head office reads across all branches: each branch's replication, and the consolidated
views reports start from (every branch's rows are already in one table, keyed by branch).

``counter-app headoffice status`` prints the first; ``create_views`` makes the second and is
run by ``counter-app headoffice status --views`` (head office's own login, which reads every
branch; branch logins are sealed off by row-level security and get no grant on the views).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from counter_app.headoffice.admin import HeadOfficeUnreachable, describe_dsn

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
        return psycopg.connect(dsn, connect_timeout=10)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()
        raise HeadOfficeUnreachable(
            f"head office at {describe_dsn(dsn)} cannot be reached",
            reason=first[0][:200] if first else "",
        ) from None
