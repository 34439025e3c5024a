"""The blank-form ledger: moves, refusals, reconciliation, stock-take; invariants by hypothesis."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from counter_app.domain.blank_forms import (
    BRANCH_STOCK,
    ApprovalNeeded,
    BadRange,
    BadSerial,
    BlankFormError,
    FormType,
    Ledger,
    Move,
    NoBlankForms,
    RangeOverlaps,
    SerialRange,
    SerialState,
    SerialUnknown,
    blank_counts,
    ranges_of,
    reconcile,
    stock_take,
)

JQ = FormType("jq_policy", "交强险保单", "JQ", 10)


def test_serials_are_written_and_read_with_their_format() -> None:
    assert JQ.format(1234) == "JQ0000001234"
    assert JQ.parse(" jq0000001234 ") == 1234
    for bad in ("JQ123", "SY0000001234", "JQ00000012345", ""):
        with pytest.raises(BadSerial):
            JQ.parse(bad)


def test_ranges() -> None:
    assert SerialRange(1, 10).count == 10
    assert SerialRange(5, 8).overlaps(SerialRange(8, 9))
    assert not SerialRange(5, 8).overlaps(SerialRange(9, 9))
    with pytest.raises(BadRange):
        SerialRange(10, 9)
    assert SerialRange(1, 1_000_000).count == 1_000_000  # a run the ledger holds
    with pytest.raises(BadRange):
        SerialRange(1, 200_000).typed()  # as one move: a typing error
    with pytest.raises(BadRange):
        Ledger().receive("JQ", SerialRange(1, 100_001))
    assert ranges_of([5, 1, 2, 3, 7, 6]) == [SerialRange(1, 3), SerialRange(5, 7)]


def test_a_day_at_the_counter_balances() -> None:
    ledger = Ledger()
    ledger.receive("jq", SerialRange(1, 100))
    with pytest.raises(RangeOverlaps):
        ledger.receive("jq", SerialRange(100, 120))
    ledger.receive("sy", SerialRange(100, 120))  # another form type has its own serials
    opening = blank_counts(ledger)
    start = len(ledger.movements)
    ledger.issue("jq", SerialRange(1, 20), "clerk1")
    assert ledger.use("jq", "clerk1", "PDAA2026001").serial == 1
    misprint = ledger.use("jq", "clerk1", "PDAA2026002")
    with pytest.raises(ApprovalNeeded):
        ledger.void("jq", misprint.serial, "clerk1", "打印错位", approved_by="clerk1")
    ledger.void("jq", misprint.serial, "clerk1", "打印错位", approved_by="manager")
    assert ledger.use("jq", "clerk1", "PDAA2026002").serial == 3  # reprinted on the next one
    ledger.void("jq", 20, "clerk1", "卡纸撕坏", approved_by="manager")  # a blank one spoiled
    ledger.lose("jq", 19, "遗失")
    ledger.take_back("jq", SerialRange(15, 18), "clerk1")
    ledger.write_off("jq", [1, 2, 3, 20], "clerk1")
    with pytest.raises(BlankFormError):
        ledger.write_off("jq", [4], "clerk1")  # still blank: nothing to write off
    lines = reconcile(opening, ledger.movements[start:], blank_counts(ledger))
    by_holder = {(line.holder, line.form_type): line for line in lines}
    clerk = by_holder[("clerk1", "jq")]
    assert (clerk.opening, clerk.received, clerk.used, clerk.voided, clerk.lost) == (0, 20, 3, 1, 1)
    assert (clerk.returned, clerk.closing, clerk.misprints) == (4, 11, 1)
    stock = by_holder[(BRANCH_STOCK, "jq")]
    assert (stock.opening, stock.received, stock.returned, stock.closing) == (100, 4, 20, 84)
    assert all(line.gap == 0 for line in lines)


def test_a_clerk_with_no_forms_left_is_told_so() -> None:
    ledger = Ledger()
    ledger.receive("jq", SerialRange(1, 2))
    with pytest.raises(NoBlankForms):
        ledger.use("jq", "clerk1", "P1")
    ledger.issue("jq", SerialRange(1, 1), "clerk1")
    ledger.use("jq", "clerk1", "P1")
    with pytest.raises(NoBlankForms):
        ledger.use("jq", "clerk1", "P2")


def test_a_range_move_is_all_or_nothing() -> None:
    ledger = Ledger()
    ledger.receive("jq", SerialRange(1, 10))
    ledger.issue("jq", SerialRange(5, 5), "clerk2")
    with pytest.raises(BlankFormError):
        ledger.issue("jq", SerialRange(1, 6), "clerk1")  # 5 is with clerk2
    assert ledger.held_blank("jq", "clerk1") == set()
    assert ledger.held_blank("jq", BRANCH_STOCK) == {1, 2, 3, 4, 6, 7, 8, 9, 10}


def test_stock_take_finds_what_is_missing_and_what_should_not_be_there() -> None:
    result = stock_take({1, 2, 3, 4, 5, 9}, [SerialRange(1, 3), SerialRange(9, 11)])
    assert result.missing == [SerialRange(4, 5)]
    assert result.unexpected == [SerialRange(10, 11)]
    assert not result.matches
    assert stock_take({1, 2}, [SerialRange(1, 2)]).matches


CLERKS = ("clerk1", "clerk2")
KINDS = ("jq", "sy")


class LedgerMachine(RuleBasedStateMachine):
    """Random days of moves: no serial used twice, none vanishes, ranges never overlap, and
    every day's reconciliation balances."""

    @initialize()
    def start(self) -> None:
        self.ledger = Ledger()
        self.received: dict[str, set[int]] = {k: set() for k in KINDS}
        self.used_serials: set[tuple[str, int]] = set()
        self.policies: set[str] = set()
        self.opening = blank_counts(self.ledger)
        self.day_start = 0
        self.policy_seq = 0

    @rule(kind=st.sampled_from(KINDS), first=st.integers(0, 200), size=st.integers(1, 30))
    def receive(self, kind: str, first: int, size: int) -> None:
        serials = SerialRange(first, first + size - 1)
        clash = any(s in self.received[kind] for s in serials)
        try:
            self.ledger.receive(kind, serials)
        except RangeOverlaps:
            assert clash
            return
        assert not clash
        self.received[kind] |= set(serials)

    @rule(kind=st.sampled_from(KINDS), clerk=st.sampled_from(CLERKS), data=st.data())
    def issue(self, kind: str, clerk: str, data: st.DataObject) -> None:
        stock = sorted(self.ledger.held_blank(kind, BRANCH_STOCK))
        if not stock:
            return
        first = data.draw(st.sampled_from(stock))
        size = data.draw(st.integers(1, 5))
        serials = SerialRange(first, first + size - 1)
        whole = all(s in stock for s in serials)
        refused = False
        try:
            self.ledger.issue(kind, serials, clerk)
        except (BlankFormError, SerialUnknown):
            refused = True
        # refused exactly when part of the range is not blank in the branch's stock
        assert refused is not whole

    @rule(kind=st.sampled_from(KINDS), clerk=st.sampled_from(CLERKS))
    def use(self, kind: str, clerk: str) -> None:
        held = self.ledger.held_blank(kind, clerk)
        blank_with_clerk = {
            s for s in held if self.ledger.records[(kind, s)].state is SerialState.ISSUED
        }
        self.policy_seq += 1
        policy = f"P{self.policy_seq:06d}"
        try:
            movement = self.ledger.use(kind, clerk, policy)
        except NoBlankForms:
            assert not blank_with_clerk
            return
        assert movement.serial == min(blank_with_clerk)
        assert (kind, movement.serial) not in self.used_serials
        self.used_serials.add((kind, movement.serial))
        self.policies.add(policy)

    @rule(kind=st.sampled_from(KINDS), clerk=st.sampled_from(CLERKS), data=st.data())
    def void(self, kind: str, clerk: str, data: st.DataObject) -> None:
        mine = [
            s
            for (k, s), r in self.ledger.records.items()
            if k == kind and r.holder == clerk and r.state in (SerialState.ISSUED, SerialState.USED)
        ]
        if mine:
            self.ledger.void(kind, data.draw(st.sampled_from(sorted(mine))), clerk, "错", "boss")

    @rule(kind=st.sampled_from(KINDS), data=st.data())
    def lose(self, kind: str, data: st.DataObject) -> None:
        blank = [
            s
            for (k, s), r in self.ledger.records.items()
            if k == kind and r.state in (SerialState.IN_STOCK, SerialState.ISSUED)
        ]
        if blank:
            self.ledger.lose(kind, data.draw(st.sampled_from(sorted(blank))), "遗失")

    @rule(kind=st.sampled_from(KINDS), clerk=st.sampled_from(CLERKS))
    def take_back_all(self, kind: str, clerk: str) -> None:
        for serials in ranges_of(
            s for s in self.ledger.held_blank(kind, clerk)
            if self.ledger.records[(kind, s)].state is SerialState.ISSUED
        ):  # fmt: skip
            self.ledger.take_back(kind, serials, clerk)

    @rule(kind=st.sampled_from(KINDS), clerk=st.sampled_from(CLERKS))
    def write_off_day(self, kind: str, clerk: str) -> None:
        done = sorted(
            s
            for (k, s), r in self.ledger.records.items()
            if k == kind and r.holder == clerk and r.state in (SerialState.USED, SerialState.VOIDED)
        )
        self.ledger.write_off(kind, done, clerk)

    @rule()
    def close_the_day(self) -> None:
        closing = blank_counts(self.ledger)
        lines = reconcile(self.opening, self.ledger.movements[self.day_start :], closing)
        assert all(line.gap == 0 for line in lines), [l for l in lines if l.gap]  # noqa: E741
        self.opening = closing
        self.day_start = len(self.ledger.movements)

    @invariant()
    def every_serial_is_accounted_for(self) -> None:
        for kind in KINDS:
            in_ledger = {s for (k, s) in self.ledger.records if k == kind}
            assert in_ledger == self.received[kind]  # none vanishes, none appears
            allocations = sorted(self.ledger.allocations.get(kind, []))
            for a, b in itertools.pairwise(allocations):
                assert not a.overlaps(b)
            assert sum(self.ledger.count(kind).values()) == len(self.received[kind])

    @invariant()
    def no_serial_was_used_twice(self) -> None:
        uses = [(m.form_type, m.serial) for m in self.ledger.movements if m.move is Move.USE]
        assert len(uses) == len(set(uses))
        numbers = [m.policy_number for m in self.ledger.movements if m.move is Move.USE]
        assert len(numbers) == len(set(numbers))


LedgerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_ledger_invariants = LedgerMachine.TestCase
