"""Reference data the counters read: service types, windows, claim checklists, printers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from counter_app.storage.database import Store
from counter_app.storage.models import ChecklistTemplate, CounterWindow, Printer, ServiceType


@dataclass(frozen=True)
class ServiceTypeView:
    id: uuid.UUID
    code: str
    name: str
    prefix: str
    digits: int
    opens_at: str
    closes_at: str


@dataclass(frozen=True)
class CounterWindowView:
    id: uuid.UUID
    number: int
    name: str
    service_codes: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistTemplateView:
    id: uuid.UUID
    claim_type: str
    name: str
    version: int
    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class PrinterView:
    id: uuid.UUID
    name: str
    kind: str
    profile: str
    connection: str


@dataclass(frozen=True)
class ReferenceData:
    service_types: tuple[ServiceTypeView, ...]
    windows: tuple[CounterWindowView, ...]
    checklists: tuple[ChecklistTemplateView, ...]
    printers: tuple[PrinterView, ...]


class Reference:
    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self) -> ReferenceData:
        with self._store.read() as session:
            services = session.scalars(
                select(ServiceType)
                .where(ServiceType.active.is_(True))
                .order_by(ServiceType.sort_order, ServiceType.code)
            ).all()
            code_by_id = {s.id: s.code for s in services}
            windows = session.scalars(
                select(CounterWindow)
                .where(CounterWindow.active.is_(True))
                .order_by(CounterWindow.number)
            ).all()
            latest: dict[str, ChecklistTemplate] = {}
            for template in session.scalars(
                select(ChecklistTemplate).order_by(ChecklistTemplate.version)
            ):
                latest[template.claim_type] = template
            printers = session.scalars(
                select(Printer).where(Printer.active.is_(True)).order_by(Printer.name)
            ).all()
            return ReferenceData(
                service_types=tuple(
                    ServiceTypeView(
                        s.id, s.code, s.name, s.prefix, s.digits, s.opens_at, s.closes_at
                    )
                    for s in services
                ),
                windows=tuple(
                    CounterWindowView(
                        w.id,
                        w.number,
                        w.name,
                        tuple(
                            sorted(
                                code_by_id[ws.service_type_id]
                                for ws in w.services
                                if ws.service_type_id in code_by_id
                            )
                        ),
                    )
                    for w in windows
                ),
                checklists=tuple(
                    ChecklistTemplateView(
                        t.id, t.claim_type, t.name, t.version, tuple(dict(i) for i in t.items)
                    )
                    for t in sorted(latest.values(), key=lambda t: t.claim_type)
                ),
                printers=tuple(
                    PrinterView(p.id, p.name, p.kind, p.profile, p.connection) for p in printers
                ),
            )
