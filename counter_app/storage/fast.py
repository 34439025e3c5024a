"""Statements run straight on the driver's cursor, for the hub's hottest writes (ticket issue).

A Core ``execute`` costs about ten times the SQLite work of a one-row insert here (compiled
cache look-up, events, result set-up), and the issue route runs six of them while holding the
GIL the event loop needs. ``FastStatement`` compiles a Core statement once per dialect, keeps
the column types' own bind processors, and then runs on the session connection's DBAPI cursor:
the same transaction, the same conversions, none of the per-call machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_NO_VALUE = object()


@dataclass(frozen=True)
class _Prepared:
    sql: str
    # (name, fixed value or _NO_VALUE, bind processor or None), in the statement's order
    binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]


class FastStatement:
    """A Core statement prepared once; ``run`` binds ``values`` by name and returns the cursor.

    Only for statements whose every value the caller gives (or that are fixed in the statement):
    Python-side column defaults are not applied here, and a statement that would need one is
    refused when it is first prepared."""

    def __init__(self, statement: ClauseElement, keys: Sequence[str] = ()) -> None:
        self._statement = statement
        self._keys = list(keys)
        self._prepared: dict[str, _Prepared] = {}

    def _prepare(self, dialect: Dialect) -> _Prepared:
        compiled = self._statement.compile(dialect=dialect, column_keys=self._keys or None)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError("FastStatement takes SQL statements only")
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            raise ValueError("FastStatement needs every column value given: no Python defaults")
        names = compiled.positiontup
        if names is None:
            raise ValueError(f"dialect {dialect.name} does not use positional parameters")
        binds = []
        for name in names:
            bind = compiled.binds[name]
            given = name in self._keys or bind.required
            fixed = _NO_VALUE if given else bind.effective_value
            binds.append((name, fixed, bind.type.bind_processor(dialect)))
        return _Prepared(compiled.string, tuple(binds))

    def run(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        """Execute on ``connection``'s own DBAPI connection (inside its transaction)."""
        dialect = connection.dialect
        prepared = self._prepared.get(dialect.name)
        if prepared is None:
            prepared = self._prepared[dialect.name] = self._prepare(dialect)
        params = []
        for name, fixed, process in prepared.binds:
            value = values[name] if fixed is _NO_VALUE else fixed
            params.append(process(value) if process is not None else value)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(prepared.sql, params)
        return cursor
