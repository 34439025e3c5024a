"""FastStatement writes exactly what a Core execute of the same statement writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, create_engine, insert, select
from sqlalchemy.orm import Session

from counter_app.storage.fast import FastStatement
from counter_app.storage.models import Base, HubEvent, TicketTransition
from counter_app.storage.types import new_id

KEYS = ("id", "ticket_id", "at", "action", "from_state", "to_state", "window_number", "actor",
        "detail")  # fmt: skip


def _engine():  # type: ignore[no-untyped-def]
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[TicketTransition.__table__, HubEvent.__table__])  # type: ignore[list-item]
    return engine


def _values(detail: dict[str, object]) -> dict[str, object]:
    return {
        "id": new_id(),
        "ticket_id": new_id(),
        "at": datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC),
        "action": "issue",
        "from_state": None,
        "to_state": "waiting",
        "window_number": 3,
        "actor": "张三",
        "detail": detail,
    }


def test_fast_insert_stores_what_core_stores() -> None:
    engine = _engine()
    fast, core = _values({"原因": "重打", "n": 2}), _values({"原因": "重打", "n": 2})
    with engine.begin() as conn:
        FastStatement(insert(TicketTransition), KEYS).run(conn, fast)
        conn.execute(insert(TicketTransition), core)
        raw = conn.exec_driver_sql(
            "SELECT id, ticket_id, at, detail FROM ticket_transition ORDER BY rowid"
        ).all()
    # the same text in the file: uuid as 32 hex digits, naive UTC time, JSON
    assert [type(v) for v in raw[0]] == [type(v) for v in raw[1]]
    assert raw[0][2] == raw[1][2] == "2026-03-29 01:30:05.123456"
    assert raw[0][3] == raw[1][3]
    assert raw[0][0] == fast["id"].hex  # type: ignore[attr-defined]
    with Session(engine) as session:
        rows = session.scalars(select(TicketTransition).order_by(TicketTransition.at)).all()
        back = {r.id: r for r in rows}
    got = back[fast["id"]]  # type: ignore[index]
    assert got.ticket_id == fast["ticket_id"]
    assert got.at == fast["at"]
    assert got.detail == {"原因": "重打", "n": 2}
    assert got.window_number == 3
    assert got.actor == "张三"
    assert got.from_state is None


def test_named_parameters_and_fixed_values() -> None:
    engine = _engine()
    with engine.begin() as conn:
        FastStatement(insert(HubEvent), ("type", "payload", "at")).run(
            conn, {"type": "queue.changed", "payload": {"a": 1}, "at": datetime.now(UTC)}
        )
        count = FastStatement(select(HubEvent.seq).where(HubEvent.type == bindparam("t")))
        assert count.run(conn, {"t": "queue.changed"}).fetchall() == [(1,)]
        assert count.run(conn, {"t": "other"}).fetchall() == []


def test_refuses_a_statement_that_needs_python_defaults() -> None:
    engine = _engine()
    # ``at`` has a Python-side default (utcnow) that the driver cursor would never apply
    statement = FastStatement(insert(HubEvent), ("type", "payload"))
    with engine.begin() as conn, pytest.raises(ValueError, match="no Python defaults"):
        statement.run(conn, {"type": "queue.changed", "payload": {}})


def test_a_missing_value_is_an_error_not_a_null() -> None:
    engine = _engine()
    statement = FastStatement(insert(TicketTransition), KEYS)
    values = _values({})
    del values["to_state"]
    with engine.begin() as conn, pytest.raises(KeyError):
        statement.run(conn, values)
