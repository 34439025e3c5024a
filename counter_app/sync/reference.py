"""The branch side of reference data: pulled from head office by cursor, applied by clock.

The hub asks for every reference row published to it (or to every branch) with a revision
above its cursor, in one snapshot, and applies them in one SQLite transaction together with
the new cursor: a pull cut off half way leaves the store and the cursor as they were.

A row is applied when its stamp is later than the branch's (domain/hlc.py): a branch edit made
after the publication stays, and is on its way up. A published row the branch already has
under another id (service "A" set up locally before enrolment) is re-keyed to head office's id,
with every row pointing at it, so tickets and reports at head office name the same service.
A withdrawn row is switched off where the table has ``active``, deleted where it has not
(links such as a window's services or a staff member's roles).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from counter_app.domain.hlc import ORIGIN_HEAD_OFFICE, HybridClock, wins
from counter_app.headoffice.reference import BRANCH_KEPT, NATURAL_KEYS
from counter_app.headoffice.schema import SCOPE, office_tables
from counter_app.services import events
from counter_app.storage.database import Store
from counter_app.storage.models import Base, HubMeta
from counter_app.storage.reference_stamp import CLOCK
from counter_app.sync.tables import DOWN

log = logging.getLogger(__name__)

CURSOR = "sync.reference_revision"  # hub_meta: the last revision applied here
APPLYING = "sync.applying"  # hub_meta, inside the applying transaction (migration 0008)
_OFFICE_ONLY = ("revision", "withdrawn", SCOPE)


@dataclass(frozen=True)
class Pulled:
    rows: int  # published rows received
    applied: int  # of which written here (the rest: the branch's own edit is later)
    cursor: int


def cursor(store: Store) -> int:
    with store.read() as session:
        row = session.get(HubMeta, CURSOR)
        return int(row.value) if row is not None else 0


def pull(office: Connection, store: Store, clock: HybridClock = CLOCK) -> Pulled:
    """Fetch what head office published since this hub's cursor and apply it."""
    since = cursor(store)
    published = _published_since(office, since)
    rows = sum(len(r) for r in published.values())
    if rows == 0:
        return Pulled(0, 0, since)
    for table_rows in published.values():
        for row in table_rows:
            clock.observe(row["hlc"])  # a stamp far ahead refuses the whole pull, first
    new_cursor = max(int(r["revision"]) for rs in published.values() for r in rs)
    with store.write() as session:
        applied = _apply(session, published)
        session.merge(HubMeta(key=CURSOR, value=str(new_cursor)))
        if applied:
            events.publish(session, events.REFERENCE_CHANGED, {"reason": "headoffice"})
    log.info("reference data: %d rows pulled, %d applied, cursor %d", rows, applied, new_cursor)
    return Pulled(rows, applied, new_cursor)


def _published_since(office: Connection, since: int) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows above the cursor, read in one snapshot so that the cursor taken from
    them covers all tables at once (row-level security picks this branch's and everyone's)."""
    tables = office_tables().tables
    office.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    found: dict[str, list[dict[str, Any]]] = {}
    for name in DOWN:
        table = tables[name]
        rows = office.execute(
            select(table).where(table.c.revision > since).order_by(table.c.revision)
        ).mappings()
        found[name] = [dict(r) for r in rows]
    return found


def _apply(session: Session, published: Mapping[str, list[dict[str, Any]]]) -> int:
    connection = session.connection()
    # Parents and links arrive in one pull in any order; checked once, at commit.
    connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    connection.execute(insert(Base.metadata.tables["hub_meta"]).values(key=APPLYING, value="1"))
    applied = 0
    for name in DOWN:
        table = Base.metadata.tables[name]
        for row in published.get(name, []):
            applied += _apply_row(connection, table, row)
    meta = Base.metadata.tables["hub_meta"]
    connection.execute(delete(meta).where(meta.c.key == APPLYING))
    return applied


def _apply_row(connection: Connection, table: Table, published: dict[str, Any]) -> int:
    names = [c.name for c in table.columns]
    values = {k: v for k, v in published.items() if k in names and k not in _OFFICE_ONLY}
    values["origin"] = ORIGIN_HEAD_OFFICE
    key = [c.name for c in table.primary_key.columns]
    local = _local(connection, table, {k: values[k] for k in key})
    if local is None and table.name in NATURAL_KEYS:
        local = _local(connection, table, {k: values[k] for k in NATURAL_KEYS[table.name]})
        if local is not None and len(key) == 1 and local[key[0]] != values[key[0]]:
            _rekey(connection, table, key[0], local[key[0]], values[key[0]])
            local[key[0]] = values[key[0]]
    stamp, origin = values["hlc"], values["origin"]
    if local is not None and not wins(stamp, origin, local["hlc"], local["origin"]):
        return 0  # the branch changed it since: its edit stands, and goes up
    where = and_(*(table.c[k] == values[k] for k in key))
    if published["withdrawn"]:
        if local is None:
            return 0
        if "active" in table.c:
            connection.execute(
                update(table)
                .where(where)
                .values(active=False, hlc=values["hlc"], origin=values["origin"])
            )
        else:
            connection.execute(delete(table).where(where))
        return 1
    if local is None:
        connection.execute(insert(table).values(values))
    else:
        kept = BRANCH_KEPT.get(table.name, frozenset())
        connection.execute(
            update(table).where(where).values({k: v for k, v in values.items() if k not in kept})
        )
    return 1


def _local(connection: Connection, table: Table, match: Mapping[str, Any]) -> dict[str, Any] | None:
    row = (
        connection.execute(select(table).where(*(table.c[k] == v for k, v in match.items())))
        .mappings()
        .first()
    )
    return None if row is None else dict(row)


def _rekey(connection: Connection, table: Table, column: str, old: Any, new: Any) -> None:
    """Give a local row head office's id, and every row pointing at it too (their triggers
    send the branch-made ones up again with the new id)."""
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_key_constraints:
            for element in fk.elements:
                if element.column.table is table and element.column.name == column:
                    child = other.c[element.parent.name]
                    connection.execute(update(other).where(child == old).values({child.name: new}))
    connection.execute(update(table).where(table.c[column] == old).values({column: new}))
    log.info("reference %s %s re-keyed to head office's %s", table.name, old, new)
