"""The branch side of replication: the outbox read as numbered batches, acknowledged after.

Triggers (migration 0007) write one ``sync_outbox`` row per change of a table sent up. The
sender takes the oldest rows, gives them a batch number *before* sending (in the branch's
own transaction), and sends the rows as they are at that moment. A batch that was sent but
not acknowledged (the hub was killed, the link cut) goes again with the same number and the
same outbox rows; head office records (branch, batch) with the rows it applies, so the second
delivery does nothing. Outbox rows are deleted only with the acknowledgement.

A batch is a range of outbox seqs. Numbered rows are always the oldest (numbering takes the
oldest waiting rows; a new outbox row gets a higher seq, AUTOINCREMENT never reuses one), so
batch N is every outbox row after the last row of the batch before it, up to its own last
row, which alone carries the number in its ``batch`` column. Numbering is one write of one
row, whatever the batch's size. (Stores numbered before this, with the number on every row
of a batch, read the same: a batch's last row is its highest seq with its number.)
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from typing import Any

from sqlalchemy import Table, Uuid, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from counter_app.compat import SCHEMA_REVISION
from counter_app.storage.database import Store
from counter_app.storage.models import Base, HubMeta, SyncOutbox
from counter_app.storage.types import UtcDateTime

BATCH_ROWS = 500
# A hub catching up (a backlog of more than one batch) sends bigger batches, which head office
# merges through COPY (counter_app.headoffice.ingest). 5,000 rows held 3-6 MB of Python objects
# for the demo's tables (more with policy documents' bodies); two are in memory at a time.
CATCH_UP_ROWS = 5_000
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
    # The branch schema its rows have: head office takes the current and the previous one.
    schema: str = SCHEMA_REVISION
    # sha-256 of the batch's outbox rows (seq, table, key, op), the same at every delivery of
    # the batch; head office records it (ingest.batch_digest). "" for a batch made otherwise.
    digest: str = field(default="", kw_only=True)


def waiting(store: Store) -> int:
    """Outbox rows not yet acknowledged by head office."""
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(SyncOutbox)) or 0)


def next_batch(store: Store, max_rows: int = BATCH_ROWS, after: int | None = None) -> Batch | None:
    """The batch to send now: one sent before and not acknowledged, again with its number;
    otherwise the oldest waiting rows, numbered now. None when nothing waits.

    ``after``: the batch to send once batch ``after`` is in, read while that one is still
    on its way (batches numbered after it first, as without ``after``)."""
    numbered = _number(store, max_rows, after)
    if numbered is None:
        return None
    number, first, last = numbered
    # Read after the numbering's commit, outside the write lock, so the counters' writes go
    # on meanwhile. A row changed since it was numbered has a new outbox row in a later
    # batch: that it is read a little newer here changes nothing at head office.
    with store.read() as session, _collector_paused():
        connection = session.connection()  # one read transaction: one snapshot of the store
        return _read(_sqlite(session), connection.dialect, number, first, last)


def acknowledge(store: Store, batch: int) -> int:
    """Head office has the batch: its outbox rows go. Returns how many."""
    with store.write() as session:
        raw = _sqlite(session)
        span = _span(raw, batch)
        if span is None:
            return 0  # acknowledged before
        return raw.execute("DELETE FROM sync_outbox WHERE seq BETWEEN ? AND ?", span).rowcount


def _number(store: Store, max_rows: int, after: int | None) -> tuple[int, int, int] | None:
    """The batch to send, with its first and last outbox seq: the oldest one numbered and
    not acknowledged, or a new one given to the oldest waiting rows. None when nothing waits."""
    with store.write() as session:
        raw = _sqlite(session)
        if after is None:
            pending = _one(raw, "SELECT min(batch) FROM sync_outbox WHERE batch IS NOT NULL")
        else:
            pending = _one(raw, "SELECT min(batch) FROM sync_outbox WHERE batch > ?", after)
        if pending is not None:
            span = _span(raw, pending)
            assert span is not None  # in the same transaction
            return pending, *span
        # Waiting: the rows after the last numbered one (rows of batches acknowledged are gone).
        numbered = _one(raw, _LAST_OF_BATCHES_BEFORE.format(limit="IS NOT NULL")) or 0
        first = _one(raw, "SELECT min(seq) FROM sync_outbox WHERE seq > ?", numbered)
        if first is None:
            return None
        last = _one(
            raw,
            "SELECT seq FROM sync_outbox WHERE seq >= ? ORDER BY seq LIMIT 1 OFFSET ?",
            first,
            max(max_rows, 1) - 1,
        )
        if last is None:  # fewer than max_rows wait: all of them
            last = _one(raw, "SELECT max(seq) FROM sync_outbox")
            assert last is not None
        number = _take_number(session)
        raw.execute("UPDATE sync_outbox SET batch = ? WHERE seq = ?", (number, last))
        return number, first, last


# The last row of the last batch numbered (before a number): through the batch index, one
# step. (``max(seq) ... WHERE batch ...`` would be answered by walking the table back from its
# last row, every waiting row, until a numbered one.) Numbers grow with seqs.
_LAST_OF_BATCHES_BEFORE = (
    "SELECT seq FROM sync_outbox WHERE batch {limit} ORDER BY batch DESC, seq DESC LIMIT 1"
)


def _span(raw: sqlite3.Connection, batch: int) -> tuple[int, int] | None:
    """The first and last outbox seq of a numbered batch still waiting; None when it is not
    (acknowledged, or never numbered)."""
    last = _one(raw, "SELECT max(seq) FROM sync_outbox WHERE batch = ?", batch)
    if last is None:
        return None
    before = _one(raw, _LAST_OF_BATCHES_BEFORE.format(limit="< ?"), batch) or 0
    return before + 1, last


def _take_number(session: Session) -> int:
    row = session.get(HubMeta, _NEXT_BATCH)
    number = int(row.value) if row is not None else 1
    session.merge(HubMeta(key=_NEXT_BATCH, value=str(number + 1)))
    session.flush()
    return number


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a batch is built: its tens of
    thousands of new objects (rows, UUIDs, changes), all kept, would otherwise set off
    collection after collection, each walking them again (~40 % of the read). Reference
    counting frees everything as before; a collection comes at the next allocations after.
    Left alone when the collector is off already (the counter program turns it off and
    collects on its GUI thread; it must stay off)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _sqlite(session: Session) -> sqlite3.Connection:
    """The session's own sqlite3 connection, inside its transaction: the outbox is read and
    written with plain cursors (no SQLAlchemy row processing on the hot path)."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _one(raw: sqlite3.Connection, statement: str, *parameters: Any) -> int | None:
    row = raw.execute(statement, parameters).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _read(raw: sqlite3.Connection, dialect: Dialect, number: int, first: int, last: int) -> Batch:
    """The batch's changes: each changed row once, with its last change, as it is now (None
    once deleted), tables in the order of their first change, rows in the order of their last."""
    outbox_rows = raw.execute(
        "SELECT seq, table_name, row_key, op FROM sync_outbox"
        " WHERE seq BETWEEN ? AND ? ORDER BY seq",
        (first, last),
    ).fetchall()
    digest = hashlib.sha256(
        "".join([f"{seq}|{name}|{key}|{op}\n" for seq, name, key, op in outbox_rows]).encode()
    ).hexdigest()
    last_change: dict[str, dict[str, str]] = {}  # table: row_key: op, in order of last change
    for _seq, name, key, op in outbox_rows:
        keys = last_change.get(name)
        if keys is None:
            keys = last_change[name] = {}
        elif key in keys:
            del keys[key]  # to the end: its last change is this one
        keys[key] = op
    changes = [
        change
        for name, keys in last_change.items()
        for change in _changes(raw, _TableReader.of(name, dialect), keys)
    ]
    return Batch(number, changes, len(outbox_rows), digest=digest)


def _changes(raw: sqlite3.Connection, reader: _TableReader, keys: dict[str, str]) -> list[Change]:
    """One table's changed rows, looked up by key in one statement, in the order of ``keys``."""
    key_texts = list(keys)
    rows = raw.execute(reader.statement, (f"[{','.join(key_texts)}]",)).fetchall()
    if len(rows) != len(key_texts):  # json_each gives one row a key, LEFT JOIN keeps it
        raise RuntimeError(f"{reader.name}: {len(rows)} rows read for {len(key_texts)} keys")
    # Column by column (fewer steps of Python a value), then a dict a row.
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) or [() for _ in reader.names]
    gone = None in columns[reader.key_at[0]]  # a key whose row was not found: deleted since
    reader.convert(columns)
    name = reader.name
    changes = list(
        map(
            Change,
            repeat(name),
            reader.keys(columns),
            keys.values(),
            map(dict, map(zip, repeat(reader.names), zip(*columns, strict=True))),
        )
    )
    if gone:
        for n, value in enumerate(columns[reader.key_at[0]]):
            if value is None:  # deleted at the branch since: no row joined
                key = tuple(json.loads(key_texts[n]))
                changes[n] = Change(name, key, changes[n].op, None)
    return changes


class _TableReader:
    """How one table's rows are read by key and turned into the values SQLAlchemy gives for
    its columns' types (the same objects a Core select of the table returns)."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        self.name = table.name
        self.names = [c.name for c in table.columns]
        key_columns = [c.name for c in table.primary_key.columns]
        self.key_at = [self.names.index(name) for name in key_columns]
        self.hex_at = frozenset(n for n in self.key_at if isinstance(table.columns[n].type, Uuid))
        # json_each: the keys (each the JSON array the trigger wrote) in the order given, its
        # "key" the index; LEFT JOIN: a key whose row is gone gives NULLs. Each row is found
        # through its primary key's index.
        on = " AND ".join(
            f"t.{quote(name)} = json_extract(k.value, '$[{n}]')"
            for n, name in enumerate(key_columns)
        )
        columns = ", ".join(f"t.{quote(name)}" for name in self.names)
        self.statement = (
            f"SELECT {columns} FROM json_each(?) AS k LEFT JOIN {quote(table.name)} AS t"
            f" ON {on} ORDER BY k.key"
        )
        self.converting = [
            (n, converter)
            for n, column in enumerate(table.columns)
            if (converter := _converter(column.type, dialect)) is not None
        ]

    @classmethod
    def of(cls, name: str, dialect: Dialect) -> _TableReader:
        readers = _READERS.setdefault(dialect, {})
        found = readers.get(name)
        if found is None:
            found = readers[name] = cls(Base.metadata.tables[name], dialect)
        return found

    def convert(self, columns: list[Sequence[Any]]) -> None:
        """The stored values, by column, made what SQLAlchemy's result processing gives."""
        for n, converter in self.converting:
            columns[n] = [None if v is None else converter(v) for v in columns[n]]

    def keys(self, columns: list[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
        """Each row's key as the trigger wrote it into JSON (UUIDs as 32 hex digits); a key
        of None for a row not found."""
        return zip(
            *(
                [None if v is None else v.hex for v in columns[n]]
                if n in self.hex_at
                else columns[n]
                for n in self.key_at
            ),
            strict=True,
        )


_READERS: weakref.WeakKeyDictionary[Dialect, dict[str, _TableReader]] = weakref.WeakKeyDictionary()
_UUID_NEW = object.__new__
_SET = object.__setattr__
_UUID_SAFETY = uuid.SafeUUID.unknown


def _uuid(value: Any) -> uuid.UUID:
    """``uuid.UUID(value)``, as SQLAlchemy's ``Uuid`` reads a CHAR(32) column, made without the
    checks ``UUID.__init__`` repeats for every value: a third of the time."""
    if isinstance(value, str) and len(value) == 32:  # as SQLAlchemy writes it: value.hex
        try:
            number = int(value, 16)
        except ValueError:
            number = -1
        if number >= 0:  # and under 2**128: 32 hex digits at most
            made = _UUID_NEW(uuid.UUID)
            _SET(made, "int", number)
            _SET(made, "is_safe", _UUID_SAFETY)
            return made
    return uuid.UUID(value)  # anything else: as UUID takes it, or refuses it


_from_iso = datetime.fromisoformat


def _converter(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The function turning a stored non-NULL value into what SQLAlchemy returns for it."""
    processor = column_type.dialect_impl(dialect).result_processor(dialect, None)
    if processor is None:
        return None
    if isinstance(column_type, Uuid) and column_type.as_uuid:
        return _uuid
    if isinstance(column_type, UtcDateTime):
        return _utc_datetime(processor)
    return processor  # JSON and anything else: SQLAlchemy's own


def _utc_datetime(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        # Stored naive, in UTC ("2026-03-02 01:00:00.000000"): read as UTC in one call.
        # Anything else as UtcDateTime reads it.
        if isinstance(value, str) and len(value) in (19, 26):  # without or with microseconds
            try:
                return _from_iso(value + "+00:00")
            except ValueError:
                pass
        return processor(value)

    return convert
