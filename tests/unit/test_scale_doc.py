"""docs/scale.md's Citus statements are head office's tables as ``headoffice_metadata()`` has them.

A table with ``branch_code`` first in its primary key is distributed on it, all of them in one
co-location group; every other table (reference data, ``branch``) is a reference table. The
statements in the doc, between its ``citus:begin`` and ``citus:end`` markers, must be the ones
:func:`citus_statements` makes, so a table added at head office shows up here first. Print them
with ``python -m tests.unit.test_scale_doc``.

The rules Citus sets for them are checked too: a unique key of a distributed table holds the
distribution column; a foreign key between distributed tables has it at the same place on both
sides (co-located), or points at a reference table; a reference table points at no distributed
table.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import MetaData, Table, UniqueConstraint

from counter_app.headoffice.schema import BRANCH_CODE, headoffice_metadata

DOC = Path(__file__).resolve().parents[2] / "docs" / "scale.md"
ANCHOR = "sync_batch"  # head office's own table: the co-location group is named after it
BLOCK = re.compile(r"<!-- citus:begin -->\n```sql\n(.*?)```\n<!-- citus:end -->", re.DOTALL)


def distributed(table: Table) -> bool:
    columns = list(table.primary_key.columns)
    return bool(columns) and columns[0].name == BRANCH_CODE


def citus_statements(metadata: MetaData | None = None) -> str:
    """Reference tables first (distributed tables point at them), then the distributed ones,
    each after the tables it points at, all co-located with ``sync_batch``."""
    metadata = metadata or headoffice_metadata()
    ordered = metadata.sorted_tables  # a table after the tables its foreign keys point at
    lines = [f"SELECT create_reference_table('{t.name}');" for t in ordered if not distributed(t)]
    lines.append(f"SELECT create_distributed_table('{ANCHOR}', '{BRANCH_CODE}');")
    lines += [
        f"SELECT create_distributed_table('{t.name}', '{BRANCH_CODE}',"
        f" colocate_with => '{ANCHOR}');"
        for t in ordered
        if distributed(t) and t.name != ANCHOR
    ]
    return "\n".join(lines) + "\n"


def test_the_doc_lists_every_table_as_the_metadata_has_it() -> None:
    found = BLOCK.search(DOC.read_text(encoding="utf-8"))
    assert found is not None, f"{DOC.name}: no citus:begin / citus:end block"
    assert found.group(1) == citus_statements(), (
        f"{DOC.name} is out of date: put `python -m tests.unit.test_scale_doc` in its block"
    )


def test_the_anchor_is_distributed_on_the_branch() -> None:
    assert distributed(headoffice_metadata().tables[ANCHOR])


def test_unique_keys_of_distributed_tables_hold_the_branch() -> None:
    for table in headoffice_metadata().tables.values():
        if not distributed(table):
            continue
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                assert BRANCH_CODE in constraint.columns, f"{table.name}: {constraint.name}"
        for index in table.indexes:
            if index.unique:
                assert BRANCH_CODE in index.columns, f"{table.name}: {index.name}"


def test_foreign_keys_are_ones_citus_takes() -> None:
    for table in headoffice_metadata().tables.values():
        for key in table.foreign_key_constraints:
            target = key.referred_table
            where = f"{table.name} -> {target.name}"
            if not distributed(table):
                assert not distributed(target), f"{where}: a reference table may not point here"
                continue
            if not distributed(target):
                continue  # distributed -> reference: always allowed
            mine = [e.parent.name for e in key.elements]
            theirs = [e.column.name for e in key.elements]
            assert BRANCH_CODE in mine, f"{where}: without the distribution column"
            assert theirs[mine.index(BRANCH_CODE)] == BRANCH_CODE, f"{where}: not co-located"


if __name__ == "__main__":
    print(citus_statements(), end="")
