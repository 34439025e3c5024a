"""Stamping the branch's own writes of reference rows with the hub's hybrid clock.

Every ORM write of a reference row (ReferenceStamp) gets a fresh stamp and origin "branch" as
the session flushes, later than the stamp of the version it changes; a publication from head
office is applied with Core statements (sync/reference.py), keeps head office's stamp, and so
is not touched here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from counter_app.domain.hlc import ORIGIN_BRANCH, HybridClock
from counter_app.storage.models import ReferenceStamp

# One clock for the hub's process: stamps it makes only grow, and it has seen every stamp
# pulled from head office (observe), so a branch edit made after a pull is later than it.
CLOCK = HybridClock()


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.new, *session.dirty):
        if isinstance(row, ReferenceStamp) and (
            row in session.new or session.is_modified(row, include_collections=False)
        ):
            # Later than the version edited, whichever process's clock stamped that one (a
            # publication is pulled by the sync process, whose clock this one never sees).
            row.hlc = CLOCK.now() if row in session.new else CLOCK.after(_edited(row))
            row.origin = ORIGIN_BRANCH


def _edited(row: ReferenceStamp) -> str:
    """The stamp the row had when it was loaded (its committed value)."""
    history = attributes.get_history(row, "hlc")
    before = (*history.unchanged, *history.deleted)
    return str(before[0]) if before and before[0] is not None else ""
