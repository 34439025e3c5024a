"""The branch side of replication: the outbox read as numbered batches, acknowledged after.

Triggers (migration 0007) write one ``sync_outbox`` row per change of a table sent up. The
sender takes the oldest rows, gives them a batch number *before* sending (in the branch's
own transaction), and sends the rows as they are at that moment. A batch that was sent but
not acknowledged (the hub was killed, the link cut) goes again with the same number; head
office records (branch, batch) with the rows it applies, so the second delivery does
nothing. Outbox rows are deleted only with the acknowledgement.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, func, select, update
from sqlalchemy.orm import Session

from counter_app.storage.database import Store
from counter_app.storage.models import Base, HubMeta, SyncOutbox

BATCH_ROWS = 500
# A hub catching up (a backlog of more than one batch) sends bigger batches, which head office
# merges through COPY (counter_app.headoffice.ingest). 5,000 rows held 3-6 MB of Python objects
# for the demo's tables (more with policy documents' bodies); two are in memory at a time.
CATCH_UP_ROWS = 5_000
_NEXT_BATCH = "sync.next_batch"  # hub_meta: the number the next new batch gets
_OUTBOX: Table = Base.metadata.tables["sync_outbox"]  # Core: no ORM bookkeeping needed


@dataclass(frozen=True)
class Change:
    table: str
    key: tuple[Any, ...]
    op: str  # I, U or D: the last change of this row within the batch
    row: dict[str, Any] | None  # the row as it is now; None once deleted at the branch


@dataclass(frozen=True)
class Batch:
    seq: int
    changes: list[Change]
    outbox_rows: int  # outbox rows it stands for (several changes of a row are one change)


def waiting(store: Store) -> int:
    """Outbox rows not yet acknowledged by head office."""
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(SyncOutbox)) or 0)


def next_batch(store: Store, max_rows: int = BATCH_ROWS, after: int | None = None) -> Batch | None:
    """The batch to send now: one sent before and not acknowledged, again with its number;
    otherwise the oldest waiting rows, numbered now. None when nothing waits.

    ``after``: the batch to send once batch ``after`` is in, read while that one is still
    on its way (batches numbered after it first, as without ``after``)."""
    number = _number(store, max_rows, after)
    if number is None:
        return None
    # Read after the numbering's commit, outside the write lock, so the counters' writes go
    # on meanwhile. A row changed since it was numbered has a new outbox row in a later
    # batch: that it is read a little newer here changes nothing at head office.
    with store.read() as session:
        connection = session.connection()  # one read transaction: one snapshot of the store
        tables = connection.execute(
            select(_OUTBOX.c.table_name, func.count())
            .where(_OUTBOX.c.batch == number)
            .group_by(_OUTBOX.c.table_name)
            .order_by(func.min(_OUTBOX.c.seq))
        ).all()
        changes = [c for name, _ in tables for c in _changes(connection, number, name)]
    return Batch(number, changes, sum(count for _, count in tables))


def acknowledge(store: Store, batch: int) -> int:
    """Head office has the batch: its outbox rows go. Returns how many."""
    with store.write() as session:
        result = session.connection().execute(delete(_OUTBOX).where(_OUTBOX.c.batch == batch))
        return int(getattr(result, "rowcount", 0) or 0)


def _number(store: Store, max_rows: int, after: int | None) -> int | None:
    """The number of the batch to send: the oldest one numbered and not acknowledged, or
    a new one given to the oldest waiting rows. None when nothing waits."""
    numbered = _OUTBOX.c.batch.is_not(None) if after is None else _OUTBOX.c.batch > after
    with store.write() as session:
        connection = session.connection()
        pending = connection.scalar(select(func.min(_OUTBOX.c.batch)).where(numbered))
        if pending is not None:
            return int(pending)
        waiting = _OUTBOX.c.batch.is_(None)
        if connection.scalar(select(func.min(_OUTBOX.c.seq)).where(waiting)) is None:
            return None
        number = _take_number(session)
        oldest = select(_OUTBOX.c.seq).where(waiting).order_by(_OUTBOX.c.seq).limit(max_rows)
        connection.execute(
            update(_OUTBOX).where(_OUTBOX.c.seq.in_(oldest.scalar_subquery())).values(batch=number)
        )
        return number


def _take_number(session: Session) -> int:
    row = session.get(HubMeta, _NEXT_BATCH)
    number = int(row.value) if row is not None else 1
    session.merge(HubMeta(key=_NEXT_BATCH, value=str(number + 1)))
    return number


def _changes(connection: Connection, batch: int, name: str) -> list[Change]:
    """The batch's changes of one table: each row once, with its last change, as it is now
    (None once deleted), in the order of their last changes."""
    table: Table = Base.metadata.tables[name]
    names = [c.name for c in table.columns]
    key_columns = list(table.primary_key.columns)
    key_at = [names.index(c.name) for c in key_columns]
    # One row a key. With a single max(), SQLite takes the bare column (op) from the row the
    # max() was found in: the key's last change.
    changed = (
        select(_OUTBOX.c.row_key, _OUTBOX.c.op, func.max(_OUTBOX.c.seq).label("last_seq"))
        .where(_OUTBOX.c.batch == batch, _OUTBOX.c.table_name == name)
        .group_by(_OUTBOX.c.row_key)
        .subquery()
    )
    # The key's JSON (json_array of the stored values, as the trigger wrote it) joined to the
    # primary key: one statement a table, each row found through its key's index.
    on = and_(
        *(
            column == func.json_extract(changed.c.row_key, f"$[{n}]")
            for n, column in enumerate(key_columns)
        )
    )
    statement = (
        select(changed.c.row_key, changed.c.op, *table.columns)
        .select_from(changed.outerjoin(table, on))
        .order_by(changed.c.last_seq)
    )
    changes = []
    for json_key, op, *values in connection.execute(statement):
        if values[key_at[0]] is None:  # deleted at the branch since: no row joined
            changes.append(Change(name, tuple(json.loads(json_key)), op, None))
        else:
            key = tuple([_plain(values[n]) for n in key_at])  # as json.loads(json_key)
            changes.append(Change(name, key, op, dict(zip(names, values, strict=True))))
    return changes


def _plain(value: Any) -> Any:
    """A key value as the trigger wrote it into JSON (UUIDs as 32 hex digits)."""
    return value.hex if isinstance(value, uuid.UUID) else value
