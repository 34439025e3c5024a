"""The branch's valuable blank forms (有价单证): stock, clerks' holdings, use, voids, write-off.

Each call loads the form type's serials into the domain's ``Ledger``, which decides the move
(and refuses a wrong one before anything is written), then writes the serials' new states and
the move rows in the same transaction. ``blank_form_movement`` is append-only (triggers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.config.settings import BRANCH_TIME_ZONE, Settings
from counter_app.domain.blank_forms import (
    FormType,
    Ledger,
    Move,
    Movement,
    ReconciliationLine,
    SerialRange,
    SerialRecord,
    SerialState,
    StockTake,
    blank_counts,
    next_state,
    reconcile,
    stock_take,
)
from counter_app.domain.errors import InvalidInput, NotFound
from counter_app.domain.roles import Role
from counter_app.services import audit
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import (
    BlankFormAllocation,
    BlankFormMovement,
    BlankFormSerial,
)
from counter_app.storage.models import FormType as FormTypeRow
from counter_app.storage.types import new_id, utcnow

STOCK_ROLES = (Role.BACKOFFICE, Role.MANAGER)  # receive, issue, take back, write off
PRINT_ROLES = (Role.CLERK, Role.CHANNEL, Role.MANAGER)  # use a form, report a misprint
SUPERVISOR_ROLES = frozenset({Role.MANAGER})  # approves a void


class FormTypeUnknown(NotFound):
    code = "forms.type_unknown"


@dataclass(frozen=True)
class UsedForm:
    form_type: str
    serial: str  # as printed, e.g. JQ0000001234
    policy_number: str


class BlankFormDesk:
    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self.clock = utcnow

    def _day(self) -> str:
        name = self._settings.get(BRANCH_TIME_ZONE)
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"unknown time zone {name!r}", value=name) from None
        return self.clock().astimezone(zone).date().isoformat()

    # --- form types ---
    def define_type(self, actor: Actor, kind: FormType) -> FormType:
        actor.require(Role.ADMIN, Role.MANAGER)
        with self._store.write() as session:
            session.merge(FormTypeRow(code=kind.code, name=kind.name, prefix=kind.prefix,
                                      digits=kind.digits))  # fmt: skip
            audit.record(session, actor, "forms.type", kind.code)
        return kind

    def form_type(self, code: str) -> FormType:
        with self._store.read() as session:
            return _form_type(session, code)

    # --- moves ---
    def receive(self, actor: Actor, code: str, first: str, last: str) -> int:
        """An allocation from head office into the branch's stock; returns how many forms."""
        actor.require(*STOCK_ROLES)
        return self._move(
            actor,
            code,
            lambda ledger, kind: ledger.receive(
                code, SerialRange(kind.parse(first), kind.parse(last))
            ),
            allocation=(first, last),
        )

    def issue(self, actor: Actor, code: str, first: str, last: str, clerk: str) -> int:
        actor.require(*STOCK_ROLES)
        return self._move(
            actor,
            code,
            lambda ledger, kind: ledger.issue(
                code, SerialRange(kind.parse(first), kind.parse(last)), clerk
            ),
        )

    def take_back(self, actor: Actor, code: str, first: str, last: str, clerk: str) -> int:
        actor.require(*STOCK_ROLES)
        return self._move(
            actor,
            code,
            lambda ledger, kind: ledger.take_back(
                code, SerialRange(kind.parse(first), kind.parse(last)), clerk
            ),
        )

    def use(self, actor: Actor, code: str, policy_number: str) -> UsedForm:
        """Printing a policy on a blank form consumes the clerk's next serial."""
        actor.require(*PRINT_ROLES)
        used: list[Movement] = []

        def work(ledger: Ledger, _kind: FormType) -> list[Movement]:
            used.append(ledger.use(code, actor.username, policy_number.strip()))
            return used

        self._move(actor, code, work)
        kind = self.form_type(code)
        return UsedForm(code, kind.format(used[0].serial), used[0].policy_number)

    def void(self, actor: Actor, code: str, serial: str, reason: str, approver: Actor) -> int:
        """A misprint or spoiled form, approved by a supervisor who checked it."""
        actor.require(*PRINT_ROLES)
        approved_by = approver.username if approver.roles & SUPERVISOR_ROLES else ""
        return self._move(
            actor,
            code,
            lambda ledger, kind: [
                ledger.void(code, kind.parse(serial), actor.username, reason, approved_by)
            ],
        )

    def lose(self, actor: Actor, code: str, serial: str, reason: str) -> int:
        actor.require(*STOCK_ROLES, *PRINT_ROLES)
        return self._move(
            actor, code, lambda ledger, kind: [ledger.lose(code, kind.parse(serial), reason)]
        )

    def write_off(self, actor: Actor, code: str, serials: Sequence[str], clerk: str) -> int:
        actor.require(*STOCK_ROLES)
        return self._move(
            actor,
            code,
            lambda ledger, kind: ledger.write_off(code, [kind.parse(s) for s in serials], clerk),
        )

    # --- reports ---
    def reconciliation(self, actor: Actor, code: str, day: date) -> list[ReconciliationLine]:
        """The day's lines per holder: must balance (gap 0) or the gap shows."""
        actor.require(*STOCK_ROLES)
        with self._store.read() as session:
            _form_type(session, code)
            rows = session.scalars(
                select(BlankFormMovement)
                .where(BlankFormMovement.form_type == code)
                .order_by(BlankFormMovement.at, BlankFormMovement.serial)
            ).all()
        moves = [_movement(r) for r in rows]
        before = [m for m, r in zip(moves, rows, strict=True) if r.business_day < day.isoformat()]
        during = [m for m, r in zip(moves, rows, strict=True) if r.business_day == day.isoformat()]
        return reconcile(_blank_after(before), during, _blank_after(before + during))

    def stock_take(
        self, actor: Actor, code: str, holder: str, counted: Sequence[tuple[str, str]]
    ) -> StockTake:
        actor.require(*STOCK_ROLES)
        with self._store.read() as session:
            kind = _form_type(session, code)
            ledger = _load(session, code)
        ranges = [SerialRange(kind.parse(a), kind.parse(b)) for a, b in counted]
        return stock_take(ledger.held_blank(code, holder), ranges)

    # --- plumbing ---
    def _move(
        self,
        actor: Actor,
        code: str,
        work: Callable[[Ledger, FormType], list[Movement]],
        allocation: tuple[str, str] | None = None,
    ) -> int:
        now = self.clock()
        day = self._day()
        with self._store.write() as session:
            kind = _form_type(session, code)
            ledger = _load(session, code)
            moves = work(ledger, kind)  # the domain refuses before anything is written
            for movement in moves:
                record = ledger.records[(code, movement.serial)]
                session.merge(
                    BlankFormSerial(
                        form_type=code,
                        serial=movement.serial,
                        state=record.state.value,
                        holder=record.holder,
                        policy_number=record.policy_number,
                        reason=record.reason,
                    )
                )
                session.add(
                    BlankFormMovement(
                        id=new_id(),
                        form_type=code,
                        serial=movement.serial,
                        move=movement.move.value,
                        holder=movement.holder,
                        before_holder=movement.before_holder,
                        before_state=movement.before_state.value if movement.before_state else None,
                        policy_number=movement.policy_number,
                        reason=movement.reason,
                        approved_by=movement.approved_by,
                        actor=actor.username,
                        at=now,
                        business_day=day,
                    )
                )
            if allocation is not None:
                session.add(
                    BlankFormAllocation(
                        id=new_id(),
                        form_type=code,
                        first=kind.parse(allocation[0]),
                        last=kind.parse(allocation[1]),
                        received_at=now,
                        received_by=actor.username,
                    )
                )
            if moves:
                first = moves[0]
                audit.record(
                    session,
                    actor,
                    f"forms.{first.move.value}",
                    code,
                    {"serials": len(moves), "first": kind.format(first.serial)},
                )
            return len(moves)


def _form_type(session: Session, code: str) -> FormType:
    row = session.get(FormTypeRow, code)
    if row is None:
        raise FormTypeUnknown("no such blank-form type", form_type=code)
    return FormType(row.code, row.name, row.prefix, row.digits)


def _load(session: Session, code: str) -> Ledger:
    ledger = Ledger()
    for row in session.scalars(select(BlankFormSerial).where(BlankFormSerial.form_type == code)):
        ledger.records[(code, row.serial)] = SerialRecord(
            SerialState(row.state), row.holder, row.policy_number, row.reason
        )
    ledger.allocations[code] = [
        SerialRange(a.first, a.last)
        for a in session.scalars(
            select(BlankFormAllocation).where(BlankFormAllocation.form_type == code)
        )
    ]
    return ledger


def _movement(row: BlankFormMovement) -> Movement:
    return Movement(
        row.form_type,
        row.serial,
        Move(row.move),
        row.holder,
        row.before_holder,
        SerialState(row.before_state) if row.before_state else None,
        row.policy_number,
        row.reason,
        row.approved_by,
    )


def _blank_after(moves: Sequence[Movement]) -> dict[tuple[str, str], int]:
    """Blank forms per holder after replaying ``moves`` from nothing."""
    ledger = Ledger()
    for m in moves:
        record = ledger.records.get((m.form_type, m.serial))
        after = next_state(record.state if record else None, m.move)
        ledger.records[(m.form_type, m.serial)] = SerialRecord(after, m.holder)
    return blank_counts(ledger)
