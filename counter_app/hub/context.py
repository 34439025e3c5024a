"""Everything a running hub holds: the store and the services over it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from counter_app.config.settings import LOCKOUT_FAILURES, LOCKOUT_MINUTES, TOKEN_MINUTES, Settings
from counter_app.domain.staff import LockoutPolicy
from counter_app.services.audit import AuditTrail
from counter_app.services.blank_forms import BlankFormDesk
from counter_app.services.branch import Branch
from counter_app.services.display import BoardVoice, DisplayKeys
from counter_app.services.events import EventFeed
from counter_app.services.intake import IntakeDesk
from counter_app.services.policy_printing import PrintDesk
from counter_app.services.queue import QueueDesk, ServiceCatalogue
from counter_app.services.reference import Reference
from counter_app.services.staff import Authenticator, LoginCache, StaffDirectory
from counter_app.storage.database import Store
from counter_app.storage.group_commit import GroupCommitWriter
from counter_app.sync.process import SyncProcess
from counter_app.sync.worker import SyncWorker

T = TypeVar("T")


class Writer:
    """The hub's busiest writes (issuing tickets) go through one group-committing writer
    thread: requests that arrive together share a transaction and its fsync."""

    def __init__(self, store: Store) -> None:
        self.group = GroupCommitWriter(store)

    async def run(self, work: Callable[[Session], T], isolated: bool = True) -> T:
        return await asyncio.wrap_future(self.group.submit(work, isolated))

    def close(self) -> None:
        self.group.close()


@dataclass
class HubContext:
    store: Store
    settings: Settings
    schema_revision: str
    auth: Authenticator
    staff: StaffDirectory
    branch: Branch
    reference: Reference
    audit: AuditTrail
    events: EventFeed
    queue: QueueDesk
    services: ServiceCatalogue
    writer: Writer
    display: DisplayKeys
    voice: BoardVoice
    intake: IntakeDesk
    forms: BlankFormDesk
    printing: PrintDesk
    sync: SyncWorker | SyncProcess

    @classmethod
    def build(cls, store: Store, settings: Settings, schema_revision: str) -> HubContext:
        lockout = LockoutPolicy(
            max_failures=settings.get(LOCKOUT_FAILURES),
            lock_for=timedelta(minutes=settings.get(LOCKOUT_MINUTES)),
        )
        feed = EventFeed(store)
        desk = QueueDesk(store, settings)
        logins = LoginCache()
        forms = BlankFormDesk(store, settings)
        store.after_commit.append(feed.notify)
        return cls(
            store=store,
            settings=settings,
            schema_revision=schema_revision,
            auth=Authenticator(
                store, timedelta(minutes=settings.get(TOKEN_MINUTES)), lockout, logins
            ),
            staff=StaffDirectory(store, logins),
            branch=Branch(store),
            reference=Reference(store),
            audit=AuditTrail(store),
            events=feed,
            queue=desk,
            services=ServiceCatalogue(store, desk),
            writer=Writer(store),
            display=DisplayKeys(store),
            voice=BoardVoice(),
            intake=IntakeDesk(store, settings),
            forms=forms,
            printing=PrintDesk(store, forms),
            # Not enrolled until the server finds the branch's login in the keyring.
            sync=SyncWorker(store, "", None),
        )

    def publication_pulled(self) -> None:
        """The sync process applied head office's publication in its own transaction, which
        ran none of this process's after-commit hooks: drop what is cached of reference data
        and staff, and wake the event listeners (clients reload on ``reference.changed``)."""
        self.queue.forget_cached_facts()
        self.staff.forget_logins()
        self.events.notify()
