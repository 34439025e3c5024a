"""The branch SQLite store: one file, WAL, foreign keys on, full fsync, one writer at a time."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import DiskFull, StorageError, StoreCorrupt, StoreReadOnly
from counter_app.storage import reference_stamp  # noqa: F401  (stamps reference rows on flush)

log = logging.getLogger(__name__)


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Tickets and blank-form serials must survive a power cut at the counter.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _begin(conn: Any) -> None:
    # pysqlite's own BEGIN handling is off (isolation_level=None); we issue BEGIN ourselves so a
    # writer takes the lock up front (IMMEDIATE) instead of failing half-way on upgrade.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def translate_db_error(exc: BaseException) -> StorageError:
    """Turn SQLite's messages into domain errors with codes the UI can translate."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in message or "database or disk is full" in message:
        return DiskFull("the disk holding the branch database is full")
    if "readonly" in message or "read-only" in message:
        return StoreReadOnly("the branch database is read-only")
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return StoreCorrupt("the branch database file is damaged")
    return StorageError(message)


def create_sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"isolation_level": None, "check_same_thread": False, "timeout": 5},
        pool_size=8,
        max_overflow=8,
    )
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


class Store:
    """Units of work over the branch database. Services open one per call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # One writer at a time in this process; SQLite serialises across processes.
        self._write_lock = threading.Lock()
        self.after_commit: list[Callable[[], None]] = []

    @classmethod
    def open(cls, path: Path) -> Store:
        return cls(create_sqlite_engine(path))

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            # Closing (not rolling back) keeps loaded objects readable after the block.
            with self._sessions() as session:
                yield session
        except DBAPIError as exc:
            raise translate_db_error(exc) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        wrote_events = False
        with self._write_lock:
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(sqlite_begin="IMMEDIATE")
                    with Session(bind=conn, expire_on_commit=False) as session:
                        yield session
                        session.commit()
                        wrote_events = bool(session.info.get("events_written"))
            except DBAPIError as exc:
                raise translate_db_error(exc) from exc
        # Listeners are woken only after the commit, so they never see uncommitted events.
        if wrote_events:
            for hook in self.after_commit:
                hook()

    def check_integrity(self) -> None:
        """Refuse a damaged file before anything writes to it."""
        try:
            with self.engine.connect() as conn:
                result = conn.execute(text("PRAGMA quick_check")).scalar()
        except DBAPIError as exc:
            raise translate_db_error(exc) from exc
        if result != "ok":
            raise StoreCorrupt(f"integrity check failed: {result}")

    def dispose(self) -> None:
        self.engine.dispose()
