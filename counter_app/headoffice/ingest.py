"""Head office receiving a branch's batch: applied once, in one transaction, or not at all.

The batch's number is recorded in ``sync_batch`` in the same transaction as its rows: a batch
delivered twice (the acknowledgement was lost, the hub was killed before it deleted its
outbox rows) finds its number there and changes nothing. The connection is the branch's own
login, so row-level security keeps every row it writes to its own branch code.

Branch-made rows are never deleted at head office: a row the branch deleted (a ``D`` change)
stays in head office's history. Audit entries are insert-only (the branch login may not
update them); every other table takes the row as the branch has it now.

A table with many rows in a batch (a hub catching up after days offline) is merged in bulk:
its rows are streamed with ``COPY`` into a temporary staging table, then merged with one
``INSERT ... SELECT ... ON CONFLICT`` statement, the same statement the row path runs once per
row. Same transaction, same login (so the same row-level security), same result; the values
are converted by the columns' own SQLAlchemy types, as for the row path.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from operator import itemgetter
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import MetaData, Table, column, select, table
from sqlalchemy.dialects.postgresql import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.types import TypeEngine

from counter_app.domain.errors import Conflict
from counter_app.headoffice import reference
from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
from counter_app.headoffice.versions import check_batch_schema
from counter_app.storage.types import UtcDateTime
from counter_app.sync.outbox import Batch
from counter_app.sync.tables import DOWN

INSERT_ONLY = frozenset({"audit_entry"})
# From this many rows of one table in a batch, COPY and one merge beat a statement a row:
# below it the temporary table costs more than it saves (blank-form moves on loopback: 10 rows
# 2.9 ms against 4.7 ms, 100 rows 7.9 ms either way, 400 rows 25.8 ms against 14.6 ms).
BULK_ROWS = 100
_STAGING_PREFIX = "staging_"


@functools.cache
def _metadata() -> MetaData:
    return headoffice_metadata()


def batch_digest(batch: Batch) -> str:
    """What identifies the batch's contents, the same at every re-delivery (the outbox rows of
    a numbered batch never change), whatever the rows hold by then: the digest of its outbox
    rows (seq, table, key, change) the branch took while reading them (``Batch.digest``), or,
    for a batch made without one, ``changes_digest``."""
    return batch.digest or changes_digest(batch)


def changes_digest(batch: Batch) -> str:
    """The batch's changed rows, by table, key and change. What head office recorded for
    every batch before outbox digests (and still does for a batch without one)."""
    lines = sorted(
        f"{c.table}|{json.dumps(list(c.key), default=str)}|{c.op}" for c in batch.changes
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


class BatchOutOfOrder(Conflict):
    code = "sync.out_of_order"


class BatchMismatch(Conflict):
    code = "sync.batch_mismatch"


def apply_batch(connection: Connection, branch_code: str, batch: Batch) -> bool:
    """Apply ``batch`` inside the caller's transaction; False when it was applied before."""
    # First: a batch of a branch schema head office does not take changes nothing.
    check_batch_schema(connection, batch.schema)
    tables = _metadata().tables
    done = tables["sync_batch"]
    mine = done.c[BRANCH_CODE] == branch_code
    digest = batch_digest(batch)
    before = connection.execute(
        select(done.c.digest).where(mine, done.c.batch_seq == batch.seq)
    ).first()
    if before is not None:
        if before.digest != digest and before.digest != changes_digest(batch):
            # (the second: recorded by a version that digested the changes)
            # Not a re-delivery: the branch numbers its batches from 1 again (its store was
            # replaced). Deleting these outbox rows as "already here" would lose them.
            raise BatchMismatch(
                "head office has this branch's batch with other contents: its store started over",
                batch=batch.seq,
            )
        return False  # the same batch again: it is all here already
    if (
        batch.seq > 1
        and connection.execute(
            select(done.c.batch_seq).where(mine, done.c.batch_seq == batch.seq - 1)
        ).first()
        is None
    ):
        # Batches apply in their order, or an older row version could overwrite a newer one;
        # this one comes again after the one before it.
        raise BatchOutOfOrder("the batch before this one has not arrived", batch=batch.seq)
    recorded = connection.execute(
        pg_insert(done)
        .values(
            {
                BRANCH_CODE: branch_code,
                "batch_seq": batch.seq,
                "rows": batch.outbox_rows,
                "digest": digest,
            }
        )
        .on_conflict_do_nothing()
        .returning(done.c.batch_seq)
    ).first()
    if recorded is None:
        return False  # delivered twice at the same moment: the other delivery applied it
    # The foreign-key checks at commit run plans this session cached when it first checked:
    # made while the tables were nearly empty (a new head office) they scan whole tables, for
    # every row, as long as the hub stays connected. Planned again for each batch instead.
    connection.exec_driver_sql("DISCARD PLANS")
    by_table: dict[str, list[dict[str, Any]]] = {}
    # The branch's edits of reference rows: kept beside head office's publications, never
    # written into them (a branch login may not publish).
    edits = [c for c in batch.changes if c.table in DOWN]
    if edits:  # (it builds head office's metadata afresh: ~30 ms, not for every batch)
        reference.record_edits(connection, branch_code, edits)
    for change in batch.changes:
        if change.table in DOWN:
            continue
        if change.row is None:
            continue  # deleted at the branch: head office keeps what it had
        by_table.setdefault(change.table, []).append(change.row)
    for name, rows in by_table.items():
        if len(rows) >= BULK_ROWS:
            _merge_through_copy(connection, tables[name], branch_code, rows)
        else:
            _upsert(connection, tables[name], branch_code, rows)
    return True


def _upsert(
    connection: Connection, target: Table, branch_code: str, rows: Sequence[dict[str, Any]]
) -> None:
    for names, group in _by_columns(target, rows).items():
        connection.execute(
            _merge_statement(pg_insert(target), names),
            [{BRANCH_CODE: branch_code, **r} for r in group],
        )


def _by_columns(
    target: Table, rows: Sequence[dict[str, Any]]
) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """``rows`` by the target's columns each has. A row of the previous branch schema lacks
    the columns added since: they get their default (or NULL) and keep their value on update."""
    every = tuple(c.name for c in target.columns if c.name != BRANCH_CODE)
    complete = frozenset(every)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        names = every if row.keys() >= complete else tuple(n for n in every if n in row)
        groups.setdefault(names, []).append(row)
    return groups


def _merge_statement(statement: Insert, names: Sequence[str] | None = None) -> Insert:
    """``statement`` finished with what a row already at head office gets: audit entries
    stay as they are, every other table takes the branch's values (of ``names`` only, when
    given: the columns the rows have)."""
    target = statement.table
    assert isinstance(target, Table)
    key = [c.name for c in target.primary_key.columns]
    if target.name in INSERT_ONLY:
        return statement.on_conflict_do_nothing(index_elements=key)
    changing = [
        c.name for c in target.columns if c.name not in key and (names is None or c.name in names)
    ]
    if not changing:
        return statement.on_conflict_do_nothing(index_elements=key)
    return statement.on_conflict_do_update(
        index_elements=key, set_={name: statement.excluded[name] for name in changing}
    )


def _merge_through_copy(
    connection: Connection, target: Table, branch_code: str, rows: Sequence[dict[str, Any]]
) -> None:
    """COPY ``rows`` into a staging table, then merge them in one statement."""
    groups = _by_columns(target, rows)
    if len(groups) > 1:  # rows of two branch schemas: each kind on its own
        for group in groups.values():
            _merge_through_copy(connection, target, branch_code, group)
        return
    names = list(next(iter(groups)))
    staging = f"{_STAGING_PREFIX}{target.name}"
    preparer = connection.dialect.identifier_preparer
    columns = [BRANCH_CODE, *names]
    copy = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(staging), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    statement = copy.as_string(raw)
    with _as_dbapi_error(connection, statement), raw.cursor() as cursor:
        # Binary: each value goes as its column's type, with no text to write and parse.
        types = _staging_types(cursor, connection, target, staging, columns)
        with cursor.copy(copy) as stream:
            stream.set_types(types)
            for values in _bound(connection, target, names, rows, statement):
                stream.write_row((branch_code, *values))
    source = table(staging, *(column(name) for name in columns))
    merge = pg_insert(target).from_select(columns, select(source))
    connection.execute(_merge_statement(merge, names))
    # Now rather than at commit: a caller may apply more than one batch in a transaction.
    connection.exec_driver_sql(f"DELETE FROM {preparer.quote(staging)}")


def _staging_types(
    cursor: psycopg.Cursor[Any],
    connection: Connection,
    target: Table,
    staging: str,
    columns: list[str],
) -> list[int]:
    """The type of each of ``columns`` in ``target``'s staging table, made at its first use in
    this session and kept for the next batches (emptied after each merge and at every commit):
    creating and dropping one for every batch cost more than the rest of its staging."""
    preparer = connection.dialect.identifier_preparer
    relation = f"pg_temp.{preparer.quote(staging)}"
    query = (
        "SELECT attname, atttypid FROM pg_attribute"
        " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped"
    )
    types = dict(cursor.execute(query, (relation,)).fetchall())
    if not types.keys() >= set(columns):  # none yet (or the target has columns since)
        if types:
            cursor.execute(f"DROP TABLE {relation}")
        # LIKE: the target's columns, types and NOT NULLs, whatever version of the schema it is.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {preparer.quote(staging)}"
            f" (LIKE {preparer.format_table(target)} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        types = dict(cursor.execute(query, (relation,)).fetchall())
    return [types[name] for name in columns]


def _bound(
    connection: Connection,
    target: Table,
    names: list[str],
    rows: Sequence[dict[str, Any]],
    statement: str,
) -> Iterator[list[Any]]:
    """Each row's values for ``names``, as SQLAlchemy binds them for the columns' types (aware
    UTC datetimes, JSON as JSONB, ...), so COPY writes what the row path would."""
    dialect = connection.dialect
    converting = [
        (n, process)
        for n, name in enumerate(names)
        if (process := _bind_processor(target.c[name].type, dialect))
    ]
    pick, several = itemgetter(*names), len(names) > 1
    for row in rows:
        values = list(pick(row)) if several else [pick(row)]
        try:
            for n, process in converting:
                values[n] = process(values[n])
        except Exception as exc:
            # as SQLAlchemy reports a value its type refuses
            raise StatementError(str(exc), statement, None, exc) from exc
        yield values


def _bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Any:
    """The column type's bind processor; for UTC datetimes one that passes a value already in
    UTC as it is (what ``UtcDateTime`` would make of it: the same value)."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(column_type, UtcDateTime):
        return process

    def utc(value: Any, process: Any = process) -> Any:
        return value if value is None or value.tzinfo is UTC else process(value)

    return utc


@contextmanager
def _as_dbapi_error(connection: Connection, statement: str) -> Iterator[None]:
    """psycopg's errors from the raw connection as SQLAlchemy raises them for every other
    statement, so callers (the sync worker's retry) handle one kind."""
    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            statement, None, exc, psycopg.Error, dialect=connection.dialect
        ) from exc
