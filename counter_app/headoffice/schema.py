"""Head office's PostgreSQL schema, derived from the branch models (docs/replication.md).

Nothing here repeats a column list: every replicated table is built from its branch model, so a
column added at the branch appears at head office too.

- ``UP`` tables (branch-made): the branch's columns, with ``branch_code`` put first and first
  in every key. Two branches make rows with the same keys (receipt numbers, policy numbers,
  blank-form serials, audit ``seq`` all restart per branch), so the branch is part of each
  row's identity; and with the branch first, head office can partition (or distribute on
  Citus) by branch, where every primary key and unique constraint must hold the partition key.
- ``DOWN`` tables (reference data): head office's publications. The branch's columns, with
  ``scope`` put first in every key ("*" for every branch, or one branch's code), a
  ``revision`` (a database-wide sequence, set by a trigger: the cursor branches pull by) and
  ``withdrawn`` (a publication taken back stays as a row, so a cursor sees it go).
- ``reference_edit``: the branches' own edits of reference rows, as they last sent them.
- ``branch`` and ``sync_batch``: head office's own record of branches and received batches.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.schema import Constraint
from sqlalchemy.types import TypeEngine

from counter_app.storage.models import Base
from counter_app.storage.types import UtcDateTime
from counter_app.sync.tables import DOWN, LOCAL, UP

BRANCH_CODE = "branch_code"
SCOPE = "scope"  # a publication's branch code, or EVERY_BRANCH
EVERY_BRANCH = "*"
BRANCH_CODE_LENGTH = 16

# The branch's conventions, except that keys now span several columns: name them by all of them
# (``uq_ticket_branch_code``, taken from the first column only, would name two constraints).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Foreign keys of UP tables that point at DOWN tables are dropped at head office (today:
# ticket -> service_type (twice) and staff, rating -> staff, appointment -> service_type,
# intake_file -> checklist_template, blank_form_serial/movement/tally -> form_type). A branch
# may hold reference rows head office never had (its own edits, a demo set, rows older than
# the last publication), and a branch's history must never be refused for that. No UP table
# points at a LOCAL table; one that did would be dropped the same way.
# Foreign keys between UP tables (ticket_transition, call_request, rating and appointment ->
# ticket; intake_entry -> intake_file; print_job -> policy_document) become composite on
# (branch_code, ...), so a row can only ever point at its own branch's parent. They are
# checked at commit, so a batch may be merged table by table in any order.


@functools.cache
def office_tables() -> MetaData:
    """One shared MetaData for the statements a hub runs at head office: building it costs
    ~70 ms of the hub's CPU, too much to spend on every batch. Never altered by callers."""
    return headoffice_metadata()


def headoffice_metadata() -> MetaData:
    """A new MetaData with head office's tables (PostgreSQL only)."""
    source = Base.metadata
    metadata = MetaData(naming_convention=NAMING)
    branch = _branch_table(metadata)
    for name in DOWN:
        _derive_down(source.tables[name], metadata)
    for name in UP:
        _derive_up(source.tables[name], metadata)
    Table(
        "sync_batch",
        metadata,
        Column(BRANCH_CODE, ForeignKey(branch.c.code), nullable=False),
        Column("batch_seq", BigInteger, nullable=False, autoincrement=False),
        Column("rows", Integer, nullable=False),
        # What the batch stood for (its changed rows' keys): a re-delivery has the same; a
        # branch whose store started over numbers different rows with the same batch number.
        Column("digest", String(64), nullable=False),
        Column("received_at", UtcDateTime, nullable=False, server_default=func.now()),
        PrimaryKeyConstraint(BRANCH_CODE, "batch_seq"),
    )
    Table(
        "reference_edit",
        metadata,
        Column(BRANCH_CODE, ForeignKey(branch.c.code), nullable=False),
        Column("table_name", String(64), nullable=False),
        Column("row_key", String(400), nullable=False),  # the key as JSON, as the outbox has it
        Column("row", JSONB, nullable=True),  # None: deleted at the branch
        Column("hlc", String(24), nullable=False),
        Column("origin", String(16), nullable=False),
        Column("received_at", UtcDateTime, nullable=False, server_default=func.now()),
        PrimaryKeyConstraint(BRANCH_CODE, "table_name", "row_key"),
    )
    return metadata


def _branch_table(metadata: MetaData) -> Table:
    return Table(
        "branch",
        metadata,
        Column("code", String(BRANCH_CODE_LENGTH), primary_key=True),
        Column("name", String(64), nullable=False),
        # a PostgreSQL role name: at most 63 bytes
        Column("login_role", String(63), nullable=False, unique=True),
        # argon2 hash of the one-time enrolment secret; never granted to branch logins
        Column("secret_hash", String(255), nullable=False),
        Column("enrolled_at", UtcDateTime, nullable=True),
        # the hub that enrolled with the secret; a second hub with the same code is refused
        Column("hub_instance", String(64), nullable=True),
        Column("created_at", UtcDateTime, nullable=False, server_default=func.now()),
    )


def _column_type(source: Column[Any]) -> TypeEngine[Any]:
    # JSONB: compared and indexed by value, and what head office's reports query into.
    return JSONB() if isinstance(source.type, JSON) else source.type


def _derive_down(source: Table, metadata: MetaData) -> None:
    for fk in source.foreign_key_constraints:
        if fk.referred_table.name not in DOWN:
            raise ValueError(f"reference table {source.name} points at {fk.referred_table.name}")
    columns: list[Column[Any]] = [
        Column(SCOPE, String(BRANCH_CODE_LENGTH), nullable=False),
        *(
            Column(c.name, _column_type(c), nullable=c.nullable, autoincrement=False)
            for c in source.columns
        ),
        # Set by head office's trigger from the sequence reference_revision (reference.py).
        Column("revision", BigInteger, nullable=False, server_default="0"),
        Column("withdrawn", Boolean, nullable=False, server_default="false"),
    ]
    table = Table(source.name, metadata, *columns, comment=source.comment)
    for constraint in sorted(source.constraints, key=_constraint_order):
        # Keys and unique keys hold per scope. Foreign keys are not kept: a branch's window may
        # name a service published for every branch, and publish checks references itself.
        if isinstance(constraint, PrimaryKeyConstraint):
            table.append_constraint(
                PrimaryKeyConstraint(SCOPE, *(c.name for c in constraint.columns))
            )
        elif isinstance(constraint, UniqueConstraint):
            table.append_constraint(UniqueConstraint(SCOPE, *(c.name for c in constraint.columns)))
    Index(f"ix_{source.name}_revision", table.c.revision)


def _derive_up(source: Table, metadata: MetaData) -> None:
    # Branch rows arrive complete, so Python-side defaults and sequences have no use here.
    columns: list[Column[Any]] = [
        Column(BRANCH_CODE, String(BRANCH_CODE_LENGTH), nullable=False),
        *(
            Column(c.name, _column_type(c), nullable=c.nullable, autoincrement=False)
            for c in source.columns
        ),
    ]
    table = Table(source.name, metadata, *columns, comment=source.comment)
    for constraint in sorted(source.constraints, key=_constraint_order):
        derived = _derive_constraint(source, constraint)
        if derived is not None:
            table.append_constraint(derived)
    for index in sorted(source.indexes, key=lambda i: str(i.name)):
        if not all(isinstance(e, Column) for e in index.expressions):
            raise ValueError(
                f"index {index.name} on {source.name}: only column indexes are derived"
            )
        # Same columns as at the branch: reports across branches (a day, a claim number) use
        # them as they are, and a branch's own queries are a partition's at head office.
        Index(index.name, *(table.c[c.name] for c in index.columns), unique=index.unique)


def _constraint_order(constraint: Constraint) -> str:
    return f"{type(constraint).__name__}:{constraint.name}"


def _derive_constraint(source: Table, constraint: Constraint) -> Constraint | None:
    if isinstance(constraint, PrimaryKeyConstraint):
        return PrimaryKeyConstraint(BRANCH_CODE, *(c.name for c in constraint.columns))
    if isinstance(constraint, UniqueConstraint):
        return UniqueConstraint(BRANCH_CODE, *(c.name for c in constraint.columns))
    if isinstance(constraint, ForeignKeyConstraint):
        target = constraint.referred_table.name
        if target in DOWN or target in LOCAL:
            return None  # see the comment at the top: never refuse a branch's history
        if target not in UP:
            raise ValueError(f"{source.name} points at {target}, which has no replication side")
        return ForeignKeyConstraint(
            [BRANCH_CODE, *(e.parent.name for e in constraint.elements)],
            [
                f"{target}.{BRANCH_CODE}",
                *(f"{target}.{e.column.name}" for e in constraint.elements),
            ],
            deferrable=True,
            initially="DEFERRED",
        )
    raise ValueError(
        f"{source.name}: {type(constraint).__name__} {constraint.name} is not derived yet"
    )
