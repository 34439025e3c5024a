"""Facts about this branch's store: its code and name, and whether it holds demo data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from counter_app.domain.errors import DemoNotEnrollable
from counter_app.services import audit
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import HubMeta

DEMO = "demo"
BRANCH_CODE = "branch_code"
BRANCH_NAME = "branch_name"


@dataclass(frozen=True)
class BranchInfo:
    code: str
    name: str
    demo: bool


def _get(session: Session, key: str, default: str = "") -> str:
    row = session.get(HubMeta, key)
    return row.value if row else default


class Branch:
    def __init__(self, store: Store) -> None:
        self._store = store

    def info(self) -> BranchInfo:
        with self._store.read() as session:
            return BranchInfo(
                code=_get(session, BRANCH_CODE),
                name=_get(session, BRANCH_NAME),
                demo=_get(session, DEMO) == "1",
            )

    def identify(self, actor: Actor, code: str, name: str) -> BranchInfo:
        """Set the branch code and name if given and changed; audited."""
        with self._store.write() as session:
            changes: dict[str, str] = {}
            for key, value in ((BRANCH_CODE, code.strip()), (BRANCH_NAME, name.strip())):
                if value and _get(session, key) != value:
                    changes[key] = value
                    session.merge(HubMeta(key=key, value=value))
            if changes:
                audit.record(
                    session, actor, "branch.identify", changes.get(BRANCH_CODE, ""), changes
                )
        return self.info()

    def mark_demo(self, session: Session) -> None:
        session.merge(HubMeta(key=DEMO, value="1"))

    def assert_enrollable(self) -> None:
        """A demo database must never reach head office: its staff and data are made up."""
        if self.info().demo:
            raise DemoNotEnrollable("a demo database cannot be enrolled with head office")
