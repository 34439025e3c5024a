"""The valuable blank-form ledger (有价单证): every serial in exactly one state, always balanced.

Standard library only. Head office allocates serial ranges of a form type to the branch; the
back office receives them into stock, issues sub-ranges to a clerk (领用) and takes unused ones
back; printing consumes the clerk's next serial (使用); a misprint is voided (作废) with a
supervisor's approval; a lost form is reported (遗失); used and voided forms come back and are
written off (回销/核销).

``Ledger`` holds one branch's serials and applies these moves; it refuses any move that would
put a serial in two states, use one twice, overlap two ranges or lose one. ``reconcile`` turns
a day's moves into the daily report's figures per clerk and form type, and ``stock_take``
compares what a clerk physically holds with what the ledger says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from counter_app.domain.errors import Conflict, InvalidInput, NotFound

BRANCH_STOCK = ""  # the holder of forms in the back office's safe, not with a clerk
MAX_RANGE = 100_000  # one allocation; a bigger one is a typing error


class BlankFormError(Conflict):
    code = "forms.invalid_move"


class RangeOverlaps(Conflict):
    code = "forms.range_overlaps"


class BadRange(InvalidInput):
    code = "forms.bad_range"


class BadSerial(InvalidInput):
    code = "forms.bad_serial"


class NoBlankForms(Conflict):
    code = "forms.none_left"


class SerialUnknown(NotFound):
    code = "forms.serial_unknown"


class ApprovalNeeded(Conflict):
    code = "forms.approval_needed"


class SerialState(StrEnum):
    IN_STOCK = "in_stock"  # in the branch's safe
    ISSUED = "issued"  # with a clerk, blank
    USED = "used"  # printed on, with its policy number
    VOIDED = "voided"  # a misprint, approved
    LOST = "lost"
    WRITTEN_OFF = "written_off"  # used or voided, returned and reconciled


class Move(StrEnum):
    RECEIVE = "receive"
    ISSUE = "issue"
    TAKE_BACK = "take_back"
    USE = "use"
    VOID = "void"
    LOSE = "lose"
    WRITE_OFF = "write_off"


# Which state each move starts from and ends in.
_MOVES: dict[Move, tuple[frozenset[SerialState | None], SerialState]] = {
    Move.RECEIVE: (frozenset({None}), SerialState.IN_STOCK),
    Move.ISSUE: (frozenset({SerialState.IN_STOCK}), SerialState.ISSUED),
    Move.TAKE_BACK: (frozenset({SerialState.ISSUED}), SerialState.IN_STOCK),
    Move.USE: (frozenset({SerialState.ISSUED}), SerialState.USED),
    Move.VOID: (frozenset({SerialState.ISSUED, SerialState.USED}), SerialState.VOIDED),
    Move.LOSE: (frozenset({SerialState.IN_STOCK, SerialState.ISSUED}), SerialState.LOST),
    Move.WRITE_OFF: (frozenset({SerialState.USED, SerialState.VOIDED}), SerialState.WRITTEN_OFF),
}


def next_state(state: SerialState | None, move: Move) -> SerialState:
    allowed, after = _MOVES[move]
    if state not in allowed:
        raise BlankFormError(
            f"a serial {state.value if state else 'not yet received'} cannot be {move.value}d",
            state=state.value if state else None,
            move=move.value,
        )
    return after


@dataclass(frozen=True)
class FormType:
    """A kind of blank form and how its serials are written, e.g. 交强险保单 ``JQ`` + 10 digits."""

    code: str
    name: str
    prefix: str
    digits: int

    def format(self, serial: int) -> str:
        return f"{self.prefix}{serial:0{self.digits}d}"

    def parse(self, text: str) -> int:
        value = text.strip().upper()
        match = re.fullmatch(rf"{re.escape(self.prefix)}(\d{{{self.digits}}})", value)
        if match is None:
            raise BadSerial(f"not a {self.code} serial", serial=value[:40], example=self.format(1))
        return int(match.group(1))


@dataclass(frozen=True, order=True)
class SerialRange:
    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 0 or self.last < self.first:
            raise BadRange("a range runs from its first serial to its last", first=self.first)

    def typed(self) -> SerialRange:
        """This range as one move of forms: more than ``MAX_RANGE`` is a typing error (the
        ledger itself may hold runs of any length, e.g. a million in stock)."""
        if self.count > MAX_RANGE:
            raise BadRange("a range of more than 100,000 forms", count=self.count)
        return self

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def overlaps(self, other: SerialRange) -> bool:
        return self.first <= other.last and other.first <= self.last

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.first, self.last + 1))


def ranges_of(serials: Iterable[int]) -> list[SerialRange]:
    """Consecutive serials as ranges, for lists and reports."""
    found: list[SerialRange] = []
    for serial in sorted(set(serials)):
        if found and found[-1].last + 1 == serial:
            found[-1] = SerialRange(found[-1].first, serial)
        else:
            found.append(SerialRange(serial, serial))
    return found


@dataclass
class SerialRecord:
    state: SerialState
    holder: str  # BRANCH_STOCK or a clerk's username
    policy_number: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Movement:
    """One serial's move, as the ledger writes it (the service stores these)."""

    form_type: str
    serial: int
    move: Move
    holder: str  # who holds it after the move
    before_holder: str
    before_state: SerialState | None
    policy_number: str = ""
    reason: str = ""
    approved_by: str = ""


@dataclass
class Ledger:
    """One branch's serials of every form type, and the moves that made them so."""

    records: dict[tuple[str, int], SerialRecord] = field(default_factory=dict)
    allocations: dict[str, list[SerialRange]] = field(default_factory=dict)
    movements: list[Movement] = field(default_factory=list)

    def _record(self, form_type: str, serial: int) -> SerialRecord:
        record = self.records.get((form_type, serial))
        if record is None:
            raise SerialUnknown("this serial is not in the branch's ledger", serial=serial)
        return record

    def _apply(
        self,
        form_type: str,
        serial: int,
        move: Move,
        holder: str,
        record: SerialRecord | None,
        **detail: str,
    ) -> Movement:
        before_state = record.state if record else None
        after = next_state(before_state, move)
        movement = Movement(
            form_type,
            serial,
            move,
            holder,
            before_holder=record.holder if record else holder,
            before_state=before_state,
            **detail,
        )
        if record is None:
            self.records[(form_type, serial)] = SerialRecord(after, holder)
        else:
            record.state = after
            record.holder = holder
            record.policy_number = detail.get("policy_number") or record.policy_number
            record.reason = detail.get("reason") or record.reason
        self.movements.append(movement)
        return movement

    def receive(self, form_type: str, serials: SerialRange) -> list[Movement]:
        """A head-office allocation into the branch's stock; it may not touch any other range."""
        serials.typed()
        for earlier in self.allocations.get(form_type, []):
            if earlier.overlaps(serials):
                raise RangeOverlaps(
                    "this range overlaps one the branch already has",
                    first=serials.first,
                    last=serials.last,
                    other_first=earlier.first,
                    other_last=earlier.last,
                )
        for serial in serials:
            if (form_type, serial) in self.records:
                raise RangeOverlaps("this serial is already in the ledger", first=serial)
        self.allocations.setdefault(form_type, []).append(serials)
        return [self._apply(form_type, s, Move.RECEIVE, BRANCH_STOCK, None) for s in serials]

    def _check_all(
        self, form_type: str, serials: SerialRange, state: SerialState, holder: str | None
    ) -> list[SerialRecord]:
        # All or nothing: a range move checks every serial before it moves any.
        serials.typed()
        records = []
        for serial in serials:
            record = self._record(form_type, serial)
            if record.state is not state or (holder is not None and record.holder != holder):
                raise BlankFormError(
                    "every serial of the range must be "
                    + (f"{state.value} with {holder}" if holder else state.value),
                    serial=serial,
                    state=record.state.value,
                    holder=record.holder,
                )
            records.append(record)
        return records

    def issue(self, form_type: str, serials: SerialRange, clerk: str) -> list[Movement]:
        if not clerk:
            raise BlankFormError("forms are issued to a named clerk")
        records = self._check_all(form_type, serials, SerialState.IN_STOCK, BRANCH_STOCK)
        return [
            self._apply(form_type, s, Move.ISSUE, clerk, r)
            for s, r in zip(serials, records, strict=True)
        ]

    def take_back(self, form_type: str, serials: SerialRange, clerk: str) -> list[Movement]:
        records = self._check_all(form_type, serials, SerialState.ISSUED, clerk)
        return [
            self._apply(form_type, s, Move.TAKE_BACK, BRANCH_STOCK, r)
            for s, r in zip(serials, records, strict=True)
        ]

    def next_blank(self, form_type: str, clerk: str) -> int:
        """The clerk's lowest blank serial of the type: the one the printer has on top."""
        held = [
            serial
            for (kind, serial), record in self.records.items()
            if kind == form_type and record.state is SerialState.ISSUED and record.holder == clerk
        ]
        if not held:
            raise NoBlankForms("no blank forms of this type with this clerk", form_type=form_type)
        return min(held)

    def use(
        self, form_type: str, clerk: str, policy_number: str, serial: int | None = None
    ) -> Movement:
        """Printing a policy consumes the clerk's next blank serial, or the one the print job
        named when it was sent (the form that was on top of the clerk's stack then)."""
        if not policy_number:
            raise BlankFormError("a used form records its policy number")
        if serial is None:
            serial = self.next_blank(form_type, clerk)
        record = self._record(form_type, serial)
        if record.holder != clerk:
            raise BlankFormError("this form is not with this clerk", holder=record.holder)
        return self._apply(form_type, serial, Move.USE, clerk, record, policy_number=policy_number)

    def void(
        self, form_type: str, serial: int, clerk: str, reason: str, approved_by: str
    ) -> Movement:
        """A misprint: voided with a reason and a supervisor's approval (not the clerk's own)."""
        if not reason.strip():
            raise BlankFormError("a void needs its reason")
        if not approved_by or approved_by == clerk:
            raise ApprovalNeeded("a void is approved by a supervisor, not the clerk")
        record = self._record(form_type, serial)
        if record.holder != clerk:
            raise BlankFormError("this form is not with this clerk", holder=record.holder)
        return self._apply(
            form_type, serial, Move.VOID, clerk, record, reason=reason.strip(),
            approved_by=approved_by,
        )  # fmt: skip

    def lose(self, form_type: str, serial: int, reason: str) -> Movement:
        record = self._record(form_type, serial)
        if not reason.strip():
            raise BlankFormError("a loss report says what happened")
        return self._apply(
            form_type, serial, Move.LOSE, record.holder, record, reason=reason.strip()
        )

    def write_off(self, form_type: str, serials: Sequence[int], clerk: str) -> list[Movement]:
        """The day's used and voided forms returned by the clerk (回销)."""
        records = []
        for serial in serials:
            record = self._record(form_type, serial)
            if record.holder != clerk:
                raise BlankFormError("this form is not with this clerk", serial=serial)
            next_state(record.state, Move.WRITE_OFF)  # refuses before anything moves
            records.append(record)
        return [
            self._apply(form_type, s, Move.WRITE_OFF, clerk, r)
            for s, r in zip(serials, records, strict=True)
        ]

    def count(self, form_type: str) -> Counter[SerialState]:
        return Counter(r.state for (kind, _s), r in self.records.items() if kind == form_type)

    def held_blank(self, form_type: str, holder: str) -> set[int]:
        return {
            serial
            for (kind, serial), record in self.records.items()
            if kind == form_type
            and record.holder == holder
            and record.state in (SerialState.IN_STOCK, SerialState.ISSUED)
        }


# --- the daily reconciliation and the stock-take ---


@dataclass(frozen=True)
class ReconciliationLine:
    """One holder and form type for one day: their blank forms in and out.

    ``used``, ``voided`` and ``lost`` count blank forms consumed; a misprint (a used form
    voided afterwards) took its blank form when it was used and is counted in ``misprints``,
    outside the balance."""

    holder: str
    form_type: str
    opening: int
    received: int  # blank forms in: an allocation, an issue to the clerk, a take-back
    used: int
    voided: int
    lost: int
    returned: int  # blank forms out to another holder: issued on, taken back
    closing: int
    misprints: int = 0

    @property
    def gap(self) -> int:
        """Zero when the day balances; anything else is a form unaccounted for."""
        return (
            self.opening
            + self.received
            - self.used
            - self.voided
            - self.lost
            - self.returned
            - self.closing
        )


_BLANK = frozenset({SerialState.IN_STOCK, SerialState.ISSUED})


def blank_counts(ledger: Ledger) -> dict[tuple[str, str], int]:
    """Blank forms per (holder, form type): a day's opening or closing figures."""
    counts: Counter[tuple[str, str]] = Counter()
    for (kind, _serial), record in ledger.records.items():
        if record.state in _BLANK:
            counts[(record.holder, kind)] += 1
    return dict(counts)


def reconcile(
    opening: dict[tuple[str, str], int],
    day_moves: Sequence[Movement],
    closing: dict[tuple[str, str], int],
) -> list[ReconciliationLine]:
    """The daily report's lines from the blank counts at the day's start and end and the
    day's moves."""
    return reconcile_counted(opening, [(m, 1) for m in day_moves], closing)


def reconcile_counted(
    opening: dict[tuple[str, str], int],
    moves: Iterable[tuple[Movement, int]],
    closing: dict[tuple[str, str], int],
) -> list[ReconciliationLine]:
    """As ``reconcile``, from moves already counted by kind (a month's moves, grouped by the
    store, are a few dozen kinds of move however many serials they touched)."""
    tally: dict[tuple[str, str], Counter[str]] = {}

    def add(holder: str, kind: str, column: str, times: int) -> None:
        tally.setdefault((holder, kind), Counter())[column] += times

    for m, n in moves:
        if m.move is Move.RECEIVE:
            add(m.holder, m.form_type, "received", n)
        elif m.move in (Move.ISSUE, Move.TAKE_BACK):
            add(m.before_holder, m.form_type, "returned", n)
            add(m.holder, m.form_type, "received", n)
        elif m.move is Move.USE:
            add(m.before_holder, m.form_type, "used", n)
        elif m.move is Move.VOID:
            blank = m.before_state in _BLANK
            add(m.before_holder, m.form_type, "voided" if blank else "misprints", n)
        elif m.move is Move.LOSE and m.before_state in _BLANK:
            add(m.before_holder, m.form_type, "lost", n)
    keys = set(opening) | set(closing) | set(tally)
    return [
        ReconciliationLine(
            holder=holder,
            form_type=kind,
            opening=opening.get((holder, kind), 0),
            received=tally.get((holder, kind), Counter())["received"],
            used=tally.get((holder, kind), Counter())["used"],
            voided=tally.get((holder, kind), Counter())["voided"],
            lost=tally.get((holder, kind), Counter())["lost"],
            returned=tally.get((holder, kind), Counter())["returned"],
            closing=closing.get((holder, kind), 0),
            misprints=tally.get((holder, kind), Counter())["misprints"],
        )
        for holder, kind in sorted(keys)
    ]


@dataclass(frozen=True)
class StockTake:
    """What a holder physically has against what the ledger says they hold blank."""

    missing: list[SerialRange]  # in the ledger, not on the desk
    unexpected: list[SerialRange]  # on the desk, not in the ledger as theirs

    @property
    def matches(self) -> bool:
        return not self.missing and not self.unexpected


def stock_take(ledger_blank: set[int], counted: Sequence[SerialRange]) -> StockTake:
    physical = {serial for r in counted for serial in r}
    return StockTake(
        missing=ranges_of(ledger_blank - physical),
        unexpected=ranges_of(physical - ledger_blank),
    )
