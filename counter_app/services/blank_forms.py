"""The branch's valuable blank forms (有价单证): stock, clerks' holdings, use, voids, write-off.

Each call loads the form type's serials into the domain's ``Ledger``, which decides the move
(and refuses a wrong one before anything is written), then writes the serials' new states and
the move rows in the same transaction. ``blank_form_movement`` is append-only (triggers).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from counter_app.config.settings import BRANCH_TIME_ZONE, Settings
from counter_app.domain.blank_forms import (
    BlankFormError,
    FormType,
    Ledger,
    Move,
    Movement,
    ReconciliationLine,
    SerialRange,
    SerialRecord,
    SerialState,
    StockTake,
    ranges_of,
    reconcile_counted,
    stock_take,
)
from counter_app.domain.errors import InvalidInput, NotFound
from counter_app.domain.roles import Role
from counter_app.services import audit, events
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import (
    BlankFormAllocation,
    BlankFormMovement,
    BlankFormSerial,
    BlankFormTally,
    FormAllotment,
)
from counter_app.storage.models import FormType as FormTypeRow
from counter_app.storage.types import new_id, utcnow

STOCK_ROLES = (Role.BACKOFFICE, Role.MANAGER)  # receive, issue, take back, write off
PRINT_ROLES = (Role.CLERK, Role.CHANNEL, Role.MANAGER)  # use a form, report a misprint
SUPERVISOR_ROLES = frozenset({Role.MANAGER})  # approves a void


class FormTypeUnknown(NotFound):
    code = "forms.type_unknown"


@dataclass(frozen=True)
class Allotment:
    """A serial range head office allotted to the branch, published down (sync/reference.py)."""

    id: str
    form_type: str
    first: int
    last: int
    allotted_at: str
    note: str


@dataclass(frozen=True)
class UsedForm:
    form_type: str
    serial: str  # as printed, e.g. JQ0000001234
    policy_number: str


@dataclass(frozen=True)
class Holding:
    """Forms of one type with one holder in one state, as serial ranges."""

    form_type: str
    holder: str
    state: SerialState
    count: int
    ranges: list[tuple[str, str]]  # (first, last) as printed


_BLANK_STATES = (SerialState.IN_STOCK.value, SerialState.ISSUED.value)
# Moves after which the serial is a blank form with its (new) holder.
_BLANK_AFTER = (Move.RECEIVE.value, Move.ISSUE.value, Move.TAKE_BACK.value)


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

    def today(self) -> date:
        return date.fromisoformat(self._day())

    # --- form types ---
    def define_type(self, actor: Actor, kind: FormType) -> FormType:
        actor.require(Role.ADMIN, Role.MANAGER)
        with self._store.write() as session:
            known = session.get(FormTypeRow, kind.code)
            held = session.scalar(
                select(func.count())
                .select_from(BlankFormSerial)
                .where(BlankFormSerial.form_type == kind.code)
            )
            if (
                known is not None
                and held
                and (known.prefix, known.digits)
                != (
                    kind.prefix,
                    kind.digits,
                )
            ):
                # The serials on the shelf are written the old way: they would no longer parse.
                raise BlankFormError(
                    "the branch holds forms of this type: its serial format stays",
                    form_type=kind.code,
                )
            session.merge(
                FormTypeRow(code=kind.code, name=kind.name, prefix=kind.prefix, digits=kind.digits)
            )
            audit.record(session, actor, "forms.type", kind.code)
        return kind

    def form_type(self, code: str) -> FormType:
        with self._store.read() as session:
            return load_form_type(session, code)

    def form_types(self) -> list[FormType]:
        with self._store.read() as session:
            rows = session.scalars(select(FormTypeRow).order_by(FormTypeRow.code)).all()
            return [FormType(r.code, r.name, r.prefix, r.digits) for r in rows]

    def allotments(self) -> list[Allotment]:
        """What head office allotted to the branch and the back office has not received yet
        (not one serial of the range in the ledger), oldest first."""
        with self._store.read() as session:
            received = (
                select(BlankFormSerial.serial)
                .where(
                    BlankFormSerial.form_type == FormAllotment.form_type,
                    BlankFormSerial.serial.between(FormAllotment.first, FormAllotment.last),
                )
                .exists()
            )
            rows = session.scalars(
                select(FormAllotment)
                .where(~received)
                .order_by(FormAllotment.allotted_at, FormAllotment.first)
            ).all()
            return [
                Allotment(r.id.hex, r.form_type, r.first, r.last, r.allotted_at.isoformat(), r.note)
                for r in rows
            ]

    # --- moves ---
    def receive(self, actor: Actor, code: str, first: str, last: str) -> int:
        """An allocation from head office into the branch's stock; returns how many forms."""
        actor.require(*STOCK_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            span = SerialRange(kind.parse(first), kind.parse(last))
            ledger = _load(session, code, span=span, allocations=True)
            moves = ledger.receive(code, span)
            session.add(
                BlankFormAllocation(
                    id=new_id(),
                    form_type=code,
                    first=span.first,
                    last=span.last,
                    received_at=self.clock(),
                    received_by=actor.username,
                )
            )
            return self._write(session, actor, kind, ledger, moves)

    def issue(self, actor: Actor, code: str, first: str, last: str, clerk: str) -> int:
        """领用: a sub-range from the branch's stock to a clerk."""
        actor.require(*STOCK_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            span = SerialRange(kind.parse(first), kind.parse(last))
            ledger = _load(session, code, span=span)
            return self._write(session, actor, kind, ledger, ledger.issue(code, span, clerk))

    def take_back(self, actor: Actor, code: str, first: str, last: str, clerk: str) -> int:
        actor.require(*STOCK_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            span = SerialRange(kind.parse(first), kind.parse(last))
            ledger = _load(session, code, span=span)
            return self._write(session, actor, kind, ledger, ledger.take_back(code, span, clerk))

    def next_blank(self, code: str, clerk: str) -> str:
        """The serial on top of the clerk's stack: the form the next print goes on."""
        with self._store.read() as session:
            kind = load_form_type(session, code)
            return kind.format(_load(session, code, top_of=clerk).next_blank(code, clerk))

    def use(self, actor: Actor, code: str, policy_number: str) -> UsedForm:
        """Printing a policy on a blank form consumes the clerk's next serial."""
        actor.require(*PRINT_ROLES)
        with self._store.write() as session:
            return self.use_in(session, actor, code, policy_number)

    def use_in(
        self,
        session: Session,
        actor: Actor,
        code: str,
        policy_number: str,
        serial: str | None = None,
        clerk: str | None = None,
    ) -> UsedForm:
        """``use`` inside the caller's transaction (a print job's confirmation); ``clerk`` is
        whose stack the form came from when a supervisor confirms for them."""
        kind = load_form_type(session, code)
        holder = clerk or actor.username
        number = kind.parse(serial) if serial else None
        ledger = _load(
            session,
            code,
            serials=[number] if number is not None else (),
            top_of=holder if number is None else None,
        )
        move = ledger.use(code, holder, policy_number.strip(), number)
        self._write(session, actor, kind, ledger, [move])
        return UsedForm(code, kind.format(move.serial), move.policy_number)

    def void(self, actor: Actor, code: str, serial: str, reason: str, approver: Actor) -> int:
        """A misprint or spoiled form, approved by a supervisor who checked it."""
        actor.require(*PRINT_ROLES)
        with self._store.write() as session:
            return self.void_in(session, actor, code, serial, reason, approver)

    def void_in(
        self,
        session: Session,
        actor: Actor,
        code: str,
        serial: str,
        reason: str,
        approver: Actor,
        clerk: str | None = None,
    ) -> int:
        approved_by = approver.username if approver.roles & SUPERVISOR_ROLES else ""
        kind = load_form_type(session, code)
        number = kind.parse(serial)
        ledger = _load(session, code, serials=[number])
        move = ledger.void(code, number, clerk or actor.username, reason, approved_by)
        return self._write(session, actor, kind, ledger, [move])

    def lose(self, actor: Actor, code: str, serial: str, reason: str) -> int:
        actor.require(*STOCK_ROLES, *PRINT_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            number = kind.parse(serial)
            ledger = _load(session, code, serials=[number])
            if Role.BACKOFFICE not in actor.roles and Role.MANAGER not in actor.roles:
                # A clerk reports the loss of a form they hold, not someone else's.
                holder = ledger.records.get((code, number))
                if holder is not None and holder.holder != actor.username:
                    raise BlankFormError("this form is not with this clerk", holder=holder.holder)
            move = ledger.lose(code, number, reason)
            return self._write(session, actor, kind, ledger, [move])

    def write_off(self, actor: Actor, code: str, serials: Sequence[str], clerk: str) -> int:
        """回销: used and voided forms handed back by a clerk, checked and written off."""
        actor.require(*STOCK_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            numbers = [kind.parse(s) for s in serials]
            ledger = _load(session, code, serials=numbers)
            return self._write(session, actor, kind, ledger, ledger.write_off(code, numbers, clerk))

    def write_off_all(self, actor: Actor, code: str, clerk: str) -> int:
        """Every used and voided form the clerk holds: the day's return in one go."""
        actor.require(*STOCK_ROLES)
        with self._store.write() as session:
            kind = load_form_type(session, code)
            numbers = list(
                session.scalars(
                    select(BlankFormSerial.serial).where(
                        BlankFormSerial.form_type == code,
                        BlankFormSerial.holder == clerk,
                        BlankFormSerial.state.in_(
                            (SerialState.USED.value, SerialState.VOIDED.value)
                        ),
                    )
                )
            )
            ledger = _load(session, code, serials=numbers)
            return self._write(session, actor, kind, ledger, ledger.write_off(code, numbers, clerk))

    # --- what is where ---
    def holdings(self, actor: Actor, holder: str | None = None) -> list[Holding]:
        """Forms by type, holder and state with their ranges; a clerk sees their own."""
        if not actor.roles & {Role.BACKOFFICE, Role.MANAGER}:
            actor.require(*PRINT_ROLES)
            holder = actor.username
        s = BlankFormSerial
        with self._store.read() as session:
            kinds = {
                r.code: FormType(r.code, r.name, r.prefix, r.digits)
                for r in session.scalars(select(FormTypeRow))
            }
            query = (
                select(
                    s.form_type,
                    s.holder,
                    s.state,
                    func.count(),
                    func.min(s.serial),
                    func.max(s.serial),
                )
                .where(s.state != SerialState.WRITTEN_OFF.value)
                .group_by(s.form_type, s.holder, s.state)
                .order_by(s.form_type, s.holder, s.state)
            )
            if holder is not None:
                query = query.where(s.holder == holder, s.form_type.in_(list(kinds)))
            out = []
            for code, who, state, count, low, high in session.execute(query).all():
                kind = kinds[code]
                runs = _joined(_runs(session, (code, who, state), low, high, count))
                out.append(
                    Holding(
                        code,
                        who,
                        SerialState(state),
                        count,
                        [(kind.format(a), kind.format(b)) for a, b in runs],
                    )
                )
        return out

    # --- reports ---
    def reconciliation(
        self, actor: Actor, code: str | None, first_day: date, last_day: date | None = None
    ) -> list[ReconciliationLine]:
        """The period's lines per holder and form type: each balances (gap 0) or its gap shows.

        Added up from the daily tally of moves (``blank_form_tally``, a few rows a day however
        many serials moved). The closing figures of a period that runs to today come from the
        serials' present states instead, so a serial table that disagrees with its history
        shows as a gap rather than balancing by construction."""
        actor.require(*STOCK_ROLES)
        last_day = last_day or first_day
        if last_day < first_day:
            raise InvalidInput("the period ends before it starts", first=first_day.isoformat())
        start, end = first_day.isoformat(), last_day.isoformat()
        with self._store.read() as session:
            if code is not None:
                load_form_type(session, code)
            t = BlankFormTally
            query = select(
                t.business_day,
                t.form_type,
                t.move,
                t.holder,
                t.before_holder,
                t.before_state,
                t.count,
            ).where(t.business_day <= end)
            if code is not None:
                query = query.where(t.form_type == code)
            before: list[tuple[Movement, int]] = []
            during: list[tuple[Movement, int]] = []
            for day, kind, move, holder, before_holder, before_state, count in session.execute(
                query
            ):
                movement = Movement(
                    kind,
                    0,
                    Move(move),
                    holder,
                    before_holder,
                    SerialState(before_state) if before_state else None,
                )
                (before if day < start else during).append((movement, count))
            opening = _blank_after(before, {})
            if last_day >= self.today():
                closing = _blank_now(session, code)
            else:
                closing = _blank_after(during, opening)
        return reconcile_counted(opening, during, closing)

    def unreturned(self, actor: Actor) -> list[tuple[str, str, SerialState, SerialRange]]:
        """Used and voided forms not yet written off, as (form type, holder, state, range):
        what each clerk still has to hand back."""
        kinds = {k.code: k for k in self.form_types()}
        return [
            (
                h.form_type,
                h.holder,
                h.state,
                SerialRange(kinds[h.form_type].parse(a), kinds[h.form_type].parse(b)),
            )
            for h in self.holdings(actor)
            if h.state in (SerialState.USED, SerialState.VOIDED)
            for a, b in h.ranges
        ]

    def stock_take(
        self, actor: Actor, code: str, holder: str, counted: Sequence[tuple[str, str]]
    ) -> StockTake:
        actor.require(*STOCK_ROLES)
        with self._store.read() as session:
            kind = load_form_type(session, code)
            ranges = [SerialRange(kind.parse(a), kind.parse(b)) for a, b in counted]
            blank = set(
                session.scalars(
                    select(BlankFormSerial.serial).where(
                        BlankFormSerial.form_type == code,
                        BlankFormSerial.holder == holder,
                        BlankFormSerial.state.in_(_BLANK_STATES),
                    )
                )
            )
        return stock_take(blank, ranges)

    # --- plumbing ---
    def _write(
        self,
        session: Session,
        actor: Actor,
        kind: FormType,
        ledger: Ledger,
        moves: Sequence[Movement],
    ) -> int:
        """The serials' new states and the move rows, in the caller's transaction; bulk
        statements because an allocation is up to 100,000 serials."""
        if not moves:
            return 0
        now = self.clock()
        day = self._day()
        code = kind.code
        states = [
            {
                "form_type": code,
                "serial": m.serial,
                "state": ledger.records[(code, m.serial)].state.value,
                "holder": ledger.records[(code, m.serial)].holder,
                "policy_number": ledger.records[(code, m.serial)].policy_number,
                "reason": ledger.records[(code, m.serial)].reason,
            }
            for m in moves
        ]
        if moves[0].move is Move.RECEIVE:
            session.execute(insert(BlankFormSerial), states)
        else:
            session.execute(update(BlankFormSerial), states)
        session.execute(
            insert(BlankFormMovement),
            [
                {
                    "id": new_id(),
                    "form_type": code,
                    "serial": m.serial,
                    "move": m.move.value,
                    "holder": m.holder,
                    "before_holder": m.before_holder,
                    "before_state": m.before_state.value if m.before_state else None,
                    "policy_number": m.policy_number,
                    "reason": m.reason,
                    "approved_by": m.approved_by,
                    "actor": actor.username,
                    "at": now,
                    "business_day": day,
                }
                for m in moves
            ],
        )
        tally = Counter(
            (
                m.move.value,
                m.holder,
                m.before_holder,
                m.before_state.value if m.before_state else "",
            )
            for m in moves
        )
        upsert = sqlite_insert(BlankFormTally)
        session.execute(
            upsert.on_conflict_do_update(
                index_elements=[
                    BlankFormTally.business_day,
                    BlankFormTally.form_type,
                    BlankFormTally.move,
                    BlankFormTally.holder,
                    BlankFormTally.before_holder,
                    BlankFormTally.before_state,
                ],
                set_={"count": BlankFormTally.count + upsert.excluded.count},
            ),
            [
                {
                    "business_day": day,
                    "form_type": code,
                    "move": move,
                    "holder": holder,
                    "before_holder": before_holder,
                    "before_state": before_state,
                    "count": n,
                }
                for (move, holder, before_holder, before_state), n in tally.items()
            ],
        )
        first = moves[0]
        events.publish(
            session,
            events.FORMS_MOVED,
            {"form_type": code, "move": first.move.value, "count": len(moves)},
        )
        audit.record(
            session,
            actor,
            f"forms.{first.move.value}",
            code,
            {
                "serials": len(moves),
                "first": kind.format(first.serial),
                "last": kind.format(moves[-1].serial),
            },
        )
        return len(moves)


def load_form_type(session: Session, code: str) -> FormType:
    row = session.get(FormTypeRow, code)
    if row is None:
        raise FormTypeUnknown("no such blank-form type", form_type=code)
    return FormType(row.code, row.name, row.prefix, row.digits)


def _load(
    session: Session,
    code: str,
    *,
    span: SerialRange | None = None,
    serials: Sequence[int] = (),
    top_of: str | None = None,
    allocations: bool = False,
) -> Ledger:
    """The part of the ledger a move reads: a range, some serials, the top of a clerk's
    stack. The branch may hold a million serials; a move touches only its own."""
    ledger = Ledger()
    s = BlankFormSerial
    queries = []
    if span is not None:
        queries.append(
            select(s).where(s.form_type == code, s.serial.between(span.first, span.last))
        )
    for chunk in (serials[i : i + 500] for i in range(0, len(serials), 500)):
        queries.append(select(s).where(s.form_type == code, s.serial.in_(chunk)))
    if top_of is not None:
        queries.append(
            select(s)
            .where(s.form_type == code, s.holder == top_of, s.state == SerialState.ISSUED.value)
            .order_by(s.serial)
            .limit(1)
        )
    for query in queries:
        for row in session.scalars(query):
            ledger.records[(code, row.serial)] = SerialRecord(
                SerialState(row.state), row.holder, row.policy_number, row.reason
            )
    if allocations:
        ledger.allocations[code] = [
            SerialRange(a.first, a.last)
            for a in session.scalars(
                select(BlankFormAllocation).where(BlankFormAllocation.form_type == code)
            )
        ]
    return ledger


def _blank_after(
    moves: Sequence[tuple[Movement, int]], start: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """Blank forms per (holder, form type) after counted moves from ``start``: a holder gains
    a blank form by a receive, an issue or a take-back and loses one by any move from a
    blank state."""
    counts = dict(start)
    for m, n in moves:
        if m.move.value in _BLANK_AFTER:
            counts[(m.holder, m.form_type)] = counts.get((m.holder, m.form_type), 0) + n
        if m.before_state is not None and m.before_state.value in _BLANK_STATES:
            key = (m.before_holder, m.form_type)
            counts[key] = counts.get(key, 0) - n
    return {key: count for key, count in counts.items() if count}


_FETCH_RUN = 5_000  # fewer forms than this in a window: read them rather than count halves


def _joined(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs split where a window was halved, joined again."""
    joined: list[tuple[int, int]] = []
    for first, last in runs:
        if joined and joined[-1][1] + 1 == first:
            joined[-1] = (joined[-1][0], last)
        else:
            joined.append((first, last))
    return joined


def _runs(
    session: Session, group: tuple[str, str, str], low: int, high: int, count: int
) -> list[tuple[int, int]]:
    """The consecutive runs of one holder's forms in one state, between ``low`` and ``high``
    where ``count`` of them are. A window holding every serial is one run and a small one is
    read; a large mixed one is halved and each half counted on the covering index. A million
    forms in stock in a few allocations are a few dozen counts, not a million rows."""
    if count == 0:
        return []
    if count == high - low + 1:
        return [(low, high)]
    s = BlankFormSerial
    code, holder, state = group
    where = (s.form_type == code, s.holder == holder, s.state == state)
    if count <= _FETCH_RUN:
        serials = session.scalars(
            select(s.serial).where(*where, s.serial.between(low, high)).order_by(s.serial)
        )
        return [(r.first, r.last) for r in ranges_of(serials)]
    middle = (low + high) // 2
    left = session.scalar(
        select(func.count()).select_from(s).where(*where, s.serial.between(low, middle))
    )
    left = left or 0
    return _runs(session, group, low, middle, left) + _runs(
        session, group, middle + 1, high, count - left
    )


def _blank_now(session: Session, code: str | None) -> dict[tuple[str, str], int]:
    s = BlankFormSerial
    query = (
        select(s.holder, s.form_type, func.count())
        .where(s.state.in_(_BLANK_STATES))
        .group_by(s.holder, s.form_type)
    )
    if code is not None:
        query = query.where(s.form_type == code)
    return {(holder, kind): count for holder, kind, count in session.execute(query)}
