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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, select, tuple_, update
from sqlalchemy.orm import Session

from counter_app.storage.database import Store
from counter_app.storage.models import Base, HubMeta, SyncOutbox

BATCH_ROWS = 500
_NEXT_BATCH = "sync.next_batch"  # hub_meta: the number the next new batch gets


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


def next_batch(store: Store, max_rows: int = BATCH_ROWS) -> Batch | None:
    """The batch to send now: one sent before and not acknowledged, again with its number;
    otherwise the oldest waiting rows, numbered now. None when nothing waits."""
    with store.write() as session:
        pending = session.scalar(select(func.min(SyncOutbox.batch)))
        if pending is None:
            seqs = session.scalars(
                select(SyncOutbox.seq)
                .where(SyncOutbox.batch.is_(None))
                .order_by(SyncOutbox.seq)
                .limit(max_rows)
            ).all()
            if not seqs:
                return None
            pending = _take_number(session)
            session.execute(
                update(SyncOutbox)
                .where(SyncOutbox.seq.between(seqs[0], seqs[-1]), SyncOutbox.batch.is_(None))
                .values(batch=pending)
            )
        rows = session.execute(
            select(SyncOutbox.table_name, SyncOutbox.row_key, SyncOutbox.op)
            .where(SyncOutbox.batch == pending)
            .order_by(SyncOutbox.seq)
        ).all()
        last: dict[tuple[str, tuple[Any, ...]], str] = {}
        for table, key, op in rows:
            last[(table, tuple(json.loads(key)))] = op  # later changes of a row win
        changes = _read_rows(session, last)
        return Batch(pending, changes, len(rows))


def acknowledge(store: Store, batch: int) -> int:
    """Head office has the batch: its outbox rows go. Returns how many."""
    with store.write() as session:
        result = session.execute(delete(SyncOutbox).where(SyncOutbox.batch == batch))
        return int(getattr(result, "rowcount", 0) or 0)


def _take_number(session: Session) -> int:
    row = session.get(HubMeta, _NEXT_BATCH)
    number = int(row.value) if row is not None else 1
    session.merge(HubMeta(key=_NEXT_BATCH, value=str(number + 1)))
    return number


def _read_rows(session: Session, last: dict[tuple[str, tuple[Any, ...]], str]) -> list[Change]:
    by_table: dict[str, list[tuple[Any, ...]]] = {}
    for name, key in last:
        by_table.setdefault(name, []).append(key)
    found: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
    for name, keys in by_table.items():
        table: Table = Base.metadata.tables[name]
        columns = list(table.primary_key.columns)
        for chunk in _chunks(keys, 400):
            # Keys come from JSON: the key columns' own types turn them back into values.
            values = [tuple(_typed(c, v) for c, v in zip(columns, k, strict=True)) for k in chunk]
            for row in session.execute(
                select(table).where(tuple_(*columns).in_(values))
            ).mappings():
                key = tuple(_plain(row[c.name]) for c in columns)
                found[(name, key)] = dict(row)
    return [Change(table, key, op, found.get((table, key))) for (table, key), op in last.items()]


def _typed(column: Any, value: Any) -> Any:
    if value is None:
        return None
    python_type = column.type.python_type
    if python_type is bytes or isinstance(value, python_type):
        return value
    if python_type is uuid.UUID:
        return uuid.UUID(str(value))
    return python_type(value)


def _plain(value: Any) -> Any:
    """A key value as the trigger wrote it into JSON (UUIDs as 32 hex digits)."""
    return value.hex if isinstance(value, uuid.UUID) else value


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
