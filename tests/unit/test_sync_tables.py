"""Every table of the branch store has its replication side."""

from __future__ import annotations


def test_every_table_has_a_replication_side() -> None:
    """A new table must be placed: sent up, published down, or kept local."""
    from counter_app.storage.models import Base
    from counter_app.sync.tables import DOWN, LOCAL, UP

    placed = [*UP, *DOWN, *LOCAL]
    assert len(placed) == len(set(placed)), "a table is on two sides"
    assert set(placed) == set(Base.metadata.tables)
