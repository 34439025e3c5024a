"""Comparing a branch store with head office: every table sent up, row by row."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, create_engine, select

from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata
from counter_app.storage.database import Store
from counter_app.storage.models import Base
from counter_app.sync.tables import UP


def engine(dsn: str) -> Engine:
    # pre-ping: a test restarts PostgreSQL under the pool
    return create_engine(
        dsn.replace("postgresql://", "postgresql+psycopg://", 1), pool_pre_ping=True
    )


def comparable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def branch_rows(store: Store, name: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    table = Base.metadata.tables[name]
    key = [c.name for c in table.primary_key.columns]
    with store.read() as session:
        rows = session.execute(select(table)).mappings().all()
    return {
        tuple(comparable(r[k]) for k in key): {c: comparable(v) for c, v in r.items()} for r in rows
    }


def office_rows(office: Engine, code: str, name: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    table = headoffice_metadata().tables[name]
    key = [c.name for c in table.primary_key.columns if c.name != BRANCH_CODE]
    with office.connect() as connection:
        rows = (
            connection.execute(select(table).where(table.c[BRANCH_CODE] == code)).mappings().all()
        )
    return {
        tuple(comparable(r[k]) for k in key): {
            c: comparable(v) for c, v in r.items() if c != BRANCH_CODE
        }
        for r in rows
    }


def assert_same(store: Store, office: Engine, code: str) -> None:
    """Every table sent up: the same rows at head office as at the branch (0 lost, 0 extra),
    with the same content."""
    for name in UP:
        branch, there = branch_rows(store, name), office_rows(office, code, name)
        assert set(there) == set(branch), f"{name}: lost or extra rows"
        for key, row in branch.items():
            assert there[key] == row, f"{name} {key}"
