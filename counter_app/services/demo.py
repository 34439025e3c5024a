"""Demo reference data: a made-up branch with one staff member per post, marked as a demo."""

from __future__ import annotations

import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import func, select

from counter_app.config.resources import demo_policies_file, resources_dir
from counter_app.domain.blank_forms import FormType
from counter_app.domain.checklist_file import (
    load_checklists,
    shipped_checklists_path,
    template_data,
)
from counter_app.domain.roles import parse_roles
from counter_app.domain.staff import normalise_username
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.services.blank_forms import BlankFormDesk
from counter_app.services.branch import BRANCH_CODE, BRANCH_NAME, DEMO
from counter_app.services.policy_printing import PrintDesk
from counter_app.storage.database import Store
from counter_app.storage.models import (
    ChecklistTemplate,
    CounterWindow,
    HubMeta,
    Printer,
    ServiceType,
    Staff,
    StaffRole,
    WindowService,
)


def demo_file() -> Path:
    return resources_dir() / "demo" / "reference.toml"


def load_demo(store: Store, actor: Actor, path: Path | None = None) -> bool:
    """Fill an empty store with the demo branch. Returns False if the store already has data."""
    data: dict[str, Any] = tomllib.loads((path or demo_file()).read_text(encoding="utf-8"))
    with store.read() as session:
        if session.scalar(select(func.count()).select_from(Staff)):
            return False  # checked before hashing: argon2 for 8 people costs most of a start
    hasher = PasswordHasher()
    staff_items = data.get("staff", [])
    # Hash outside the write lock and in parallel: argon2 is deliberately slow and frees the GIL.
    with ThreadPoolExecutor(max_workers=4) as pool:
        digests = list(pool.map(hasher.hash, [s["password"] for s in staff_items]))
    hashes = {s["username"]: d for s, d in zip(staff_items, digests, strict=True)}
    with store.write() as session:
        has_staff = session.scalar(select(func.count()).select_from(Staff))
        if has_staff:
            return False
        session.merge(HubMeta(key=DEMO, value="1"))
        session.merge(HubMeta(key=BRANCH_CODE, value=data["branch"]["code"]))
        session.merge(HubMeta(key=BRANCH_NAME, value=data["branch"]["name"]))
        by_code: dict[str, ServiceType] = {}
        for item in data.get("service_type", []):
            service = ServiceType(**item)
            session.add(service)
            by_code[service.code] = service
        session.flush()
        for item in data.get("window", []):
            window = CounterWindow(number=item["number"], name=item["name"])
            window.services = [
                WindowService(service_type_id=by_code[c].id) for c in item.get("services", [])
            ]
            session.add(window)
        # The claim checklists are the shipped ones (what head office publishes by default).
        for checklist in load_checklists(shipped_checklists_path().read_text(encoding="utf-8")):
            plain = template_data(checklist)
            session.add(
                ChecklistTemplate(
                    claim_type=checklist.claim_type,
                    name=checklist.name,
                    version=checklist.version,
                    items=plain["items"],
                    facts=plain.get("facts", []),
                )
            )
        for item in data.get("printer", []):
            session.add(Printer(**item))
        for item in data.get("staff", []):
            name = normalise_username(item["username"])
            staff = Staff(username=name, display_name=item["name"], password_hash=hashes[name])
            staff.roles = [StaffRole(role=r.value) for r in sorted(parse_roles(item["roles"]))]
            session.add(staff)
        session.flush()
        audit.record(session, actor, "demo.load", data["branch"]["code"])
        events.publish(session, events.REFERENCE_CHANGED, {"reason": "demo"})
        return True


def load_demo_forms(
    forms: BlankFormDesk, printing: PrintDesk, actor: Actor, path: Path | None = None
) -> None:
    """The demo's blank forms and policies, through the ledger and the import like real ones:
    form types, head office's allocations received, a stack issued to the demo clerk."""
    data: dict[str, Any] = tomllib.loads((path or demo_file()).read_text(encoding="utf-8"))
    for item in data.get("form_type", []):
        forms.define_type(
            actor, FormType(item["code"], item["name"], item["prefix"], item["digits"])
        )
    for item in data.get("form_stock", []):
        forms.receive(actor, item["form_type"], item["first"], item["last"])
        if "issue" in item:
            first, last, clerk = item["issue"]
            forms.issue(actor, item["form_type"], first, last, clerk)
    printing.import_file(actor, demo_policies_file().read_bytes(), "demo.json")
