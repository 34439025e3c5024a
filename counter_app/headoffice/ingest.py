"""Head office receiving a branch's batch: applied once, in one transaction, or not at all.

The batch's number is recorded in ``sync_batch`` in the same transaction as its rows: a batch
delivered twice (the acknowledgement was lost, the hub was killed before it deleted its
outbox rows) finds its number there and changes nothing. The connection is the branch's own
login, so row-level security keeps every row it writes to its own branch code.

Branch-made rows are never deleted at head office: a row the branch deleted (a ``D`` change)
stays in head office's history. Audit entries are insert-only (the branch login may not
update them); every other table takes the row as the branch has it now.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import MetaData, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
from counter_app.sync.outbox import Batch

INSERT_ONLY = frozenset({"audit_entry"})


@functools.cache
def _metadata() -> MetaData:
    return headoffice_metadata()


def apply_batch(connection: Connection, branch_code: str, batch: Batch) -> bool:
    """Apply ``batch`` inside the caller's transaction; False when it was applied before."""
    tables = _metadata().tables
    recorded = connection.execute(
        pg_insert(tables["sync_batch"])
        .values({BRANCH_CODE: branch_code, "batch_seq": batch.seq, "rows": batch.outbox_rows})
        .on_conflict_do_nothing()
        .returning(tables["sync_batch"].c.batch_seq)
    ).first()
    if recorded is None:
        return False  # the same batch again: it is all here already
    by_table: dict[str, list[dict[str, Any]]] = {}
    for change in batch.changes:
        if change.row is None:
            continue  # deleted at the branch: head office keeps what it had
        by_table.setdefault(change.table, []).append({BRANCH_CODE: branch_code, **change.row})
    for name, rows in by_table.items():
        _upsert(connection, tables[name], rows)
    return True


def _upsert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    key = [c.name for c in table.primary_key.columns]
    statement = pg_insert(table)
    if table.name in INSERT_ONLY:
        statement = statement.on_conflict_do_nothing(index_elements=key)
    else:
        statement = statement.on_conflict_do_update(
            index_elements=key,
            set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in key},
        )
    connection.execute(statement, list(rows))
