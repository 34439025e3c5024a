"""Claim-document intake rules without a database: claim numbers and barcodes, receipts and
withdrawals folded by ``replay`` (checked against a plain model), ``assess``, ``check_receipt``,
the follow-up order and masking of personal data."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.checklist_file import load_checklists, shipped_checklists_path
from counter_app.domain.intake import (
    BadClaimNumber,
    Checklist,
    ChecklistItem,
    CollectorDay,
    ContactMethod,
    ContactOutcome,
    DocumentAlreadyReceived,
    DocumentNotApplicable,
    EntryKind,
    FileStatus,
    Form,
    IntakeEntry,
    ItemStatus,
    UnknownDocument,
    assess,
    check_receipt,
    document_barcode,
    document_code_from_barcode,
    first_due,
    follow_up_key,
    format_receipt_number,
    is_overdue,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_claim_number,
    replay,
    status_of,
)

CHECKLISTS = load_checklists(shipped_checklists_path().read_text(encoding="utf-8"))
BY_TYPE = {c.claim_type: c for c in CHECKLISTS}
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, a Monday
TODAY = date(2026, 11, 23)

# --- claim numbers ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RDAA2026110100001234", "RDAA2026110100001234"),
        ("  rdaa2026110100001234  ", "RDAA2026110100001234"),
        ("\trdaa2026110100001234\r\n", "RDAA2026110100001234"),
        ("Pd1234567890", "PD1234567890"),  # the shortest: 2 letters, 10 digits
        ("ABCDEF" + "1" * 20, "ABCDEF" + "1" * 20),  # the longest: 6 letters, 20 digits
    ],
)
def test_a_claim_number_is_trimmed_and_upper_cased(text: str, expected: str) -> None:
    assert normalize_claim_number(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_claim_number_is_refused(text: str) -> None:
    with pytest.raises(BadClaimNumber) as caught:
        normalize_claim_number(text)
    assert caught.value.code == "intake.bad_claim_number"
    assert caught.value.detail == "claim number is empty"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize(
    "text",
    [
        "RDAA 2026110100001234",  # a space inside is not trimmed away
        "RDAA-2026110100001234",
        "R2026110100001234",  # one letter
        "RDAAAAA2026110100001234",  # seven letters
        "RDAA123456789",  # nine digits
        "RDAA" + "1" * 21,
        "2026110100001234RDAA",
        "ＲＤＡＡ2026110100001234",  # full-width letters
        "RDAA２０２６１１０１０００１２３４",  # full-width digits
    ],
)
def test_a_claim_number_off_the_pattern_is_refused(text: str) -> None:
    with pytest.raises(BadClaimNumber) as caught:
        normalize_claim_number(text)
    assert caught.value.detail == "claim number does not match the branch's pattern"
    assert caught.value.params == {"value": text.upper()}


def test_a_too_long_claim_number_is_refused_even_if_the_pattern_allows_it() -> None:
    assert normalize_claim_number("9" * 40, pattern=r"[0-9]+") == "9" * 40
    with pytest.raises(BadClaimNumber) as caught:
        normalize_claim_number("9" * 41, pattern=r"[0-9]+")
    assert caught.value.params == {"value": "9" * 40}  # cut for the message


def test_a_branch_may_use_its_own_claim_number_pattern() -> None:
    pattern = r"[0-9]{4}-[A-Z][0-9]{6}"
    assert normalize_claim_number(" 3101-b123456 ", pattern) == "3101-B123456"
    with pytest.raises(BadClaimNumber):
        normalize_claim_number("3101-B12345", pattern)
    with pytest.raises(BadClaimNumber):
        normalize_claim_number("RDAA2026110100001234", pattern)
    with pytest.raises(BadClaimNumber):
        normalize_claim_number("3101-B123456")  # the default pattern refuses it


# --- barcodes and receipt numbers ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOC-CLAIM_FORM", "claim_form"),
        ("doc-claim_form", "claim_form"),
        ("  DOC-ID_CARD\r\n", "id_card"),
        ("DOC-X", "x"),
        ("DOC-A" + "1" * 47, "a" + "1" * 47),
        ("DOC-", None),
        ("DOC-1ABC", None),
        ("DOC-_ABC", None),
        ("DOC-CLAIM FORM", None),
        ("DOC-CLAIM-FORM", None),
        ("DOC-A" + "1" * 48, None),  # 49 characters
        ("DOC-索赔申请书", None),
        ("CLAIM_FORM", None),
        ("RDAA2026110100001234", None),
        ("", None),
        ("DOCCLAIM_FORM", None),
    ],
)
def test_a_document_barcode_gives_the_document_code(text: str, expected: str | None) -> None:
    assert document_code_from_barcode(text) == expected


def test_a_document_barcode_is_the_prefix_and_the_upper_case_code() -> None:
    assert document_barcode("claim_form") == "DOC-CLAIM_FORM"
    assert document_code_from_barcode(document_barcode("vehicle_keys")) == "vehicle_keys"


@pytest.mark.parametrize(
    ("day", "seq", "expected"),
    [
        (date(2026, 11, 23), 7, "SD20261123-0007"),
        (date(2026, 1, 2), 1, "SD20260102-0001"),
        (date(2026, 12, 31), 9999, "SD20261231-9999"),
        (date(2026, 12, 31), 12345, "SD20261231-12345"),
    ],
)
def test_the_receipt_number_is_sd_the_day_and_a_four_digit_sequence(
    day: date, seq: int, expected: str
) -> None:
    assert format_receipt_number(day, seq) == expected


# --- a file's story, by hand ---


class Story:
    """Builds a file's entries with increasing ``seq``; ids are ``e<seq>``."""

    def __init__(self, facts: Sequence[str] = (), due: date | None = None) -> None:
        self.entries: list[IntakeEntry] = []
        detail: dict[str, object] = {"facts": list(facts)}
        if due:
            detail["due"] = due.isoformat()
        self.add(EntryKind.OPENED, detail)

    def add(self, kind: EntryKind, detail: dict[str, object], refers_to: str | None = None) -> str:
        seq = len(self.entries) + 1
        entry = IntakeEntry(
            f"e{seq}", seq, kind, T0 + timedelta(minutes=seq), "collector", detail, refers_to
        )
        self.entries.append(entry)
        return entry.id

    def receive(self, document: str, form: Form = Form.ORIGINAL, pages: int = 1) -> str:
        return self.add(EntryKind.RECEIVED, {"document": document, "form": form, "pages": pages})

    def withdraw(self, entry_id: str) -> str:
        return self.add(EntryKind.WITHDRAWN, {"reason": "扫错了"}, refers_to=entry_id)


def statuses(checklist: Checklist, story: Story) -> dict[str, ItemStatus]:
    state = replay(story.entries, checklist)
    return {a.item.code: a.status for a in assess(checklist, state.facts, state.received).items}


def test_a_withdrawal_takes_back_exactly_the_entry_it_names() -> None:
    quick = BY_TYPE["quick"]
    story = Story()
    first = story.receive("id_card", Form.COPY, pages=2)
    second = story.receive("quick_form")
    third = story.receive("id_card", Form.ORIGINAL)
    story.withdraw(first)
    state = replay(story.entries, quick)
    assert [(d.entry_id, d.document, d.form, d.pages) for d in state.received] == [
        (second, "quick_form", Form.ORIGINAL, 1),
        (third, "id_card", Form.ORIGINAL, 1),
    ]
    story.withdraw("e99")  # names nothing: changes nothing
    story.withdraw(first)  # already taken back
    assert replay(story.entries, quick).received == state.received


def test_a_received_alternative_is_filed_under_its_item() -> None:
    vehicle = BY_TYPE["vehicle_damage"]
    story = Story(facts=["traffic_accident"])
    story.receive("settlement_agreement", pages=3)
    (received,) = replay(story.entries, vehicle).received
    assert (received.document, received.item, received.pages) == (
        "settlement_agreement",
        "accident_liability",
        3,
    )
    assert statuses(vehicle, story)["accident_liability"] is ItemStatus.RECEIVED


def test_a_copy_where_the_original_is_needed_is_still_missing() -> None:
    quick = BY_TYPE["quick"]
    story = Story()
    for code in ("id_card", "driving_licence", "vehicle_licence", "bank_account"):
        story.receive(code, Form.COPY)
    story.receive("quick_form", Form.COPY)
    state = replay(story.entries, quick)
    result = assess(quick, state.facts, state.received)
    assert [(a.item.code, a.status) for a in result.missing] == [
        ("quick_form", ItemStatus.COPY_ONLY)
    ]
    assert not result.complete
    story.receive("quick_form", Form.ORIGINAL, pages=2)
    state = replay(story.entries, quick)
    result = assess(quick, state.facts, state.received)
    assert result.complete
    assert result.items[0].pages == 3  # the copy and the original
    assert statuses(quick, story)["power_of_attorney"] is ItemStatus.NOT_APPLICABLE


def test_a_change_of_facts_brings_items_in_and_out() -> None:
    injury = BY_TYPE["injury"]
    story = Story()
    assert statuses(injury, story)["disability_assessment"] is ItemStatus.NOT_APPLICABLE
    story.add(EntryKind.FACTS, {"facts": ["disability_claimed"], "due": "2026-11-30"})
    state = replay(story.entries, injury)
    assert state.facts == {"disability_claimed"}
    assert state.due == date(2026, 11, 30)
    assert statuses(injury, story)["disability_assessment"] is ItemStatus.MISSING
    received = story.receive("disability_assessment")
    assert statuses(injury, story)["disability_assessment"] is ItemStatus.RECEIVED
    story.add(EntryKind.FACTS, {"facts": []})
    state = replay(story.entries, injury)
    assert statuses(injury, story)["disability_assessment"] is ItemStatus.NOT_APPLICABLE
    assert [d.entry_id for d in state.received] == [received]  # kept, just not needed
    assert state.due == date(2026, 11, 30)


def test_contacts_due_dates_completion_handover_and_archive() -> None:
    quick = BY_TYPE["quick"]
    story = Story(due=date(2026, 11, 26))
    story.add(
        EntryKind.CONTACT,
        {"method": "phone", "outcome": "reached", "note": "明天送来", "due": "2026-11-27"},
    )
    story.add(EntryKind.CONTACT, {"method": "sms", "outcome": "sent"})
    state = replay(story.entries, quick)
    assert [(c.entry_id, c.method, c.outcome, c.note) for c in state.contacts] == [
        ("e2", ContactMethod.PHONE, ContactOutcome.REACHED, "明天送来"),
        ("e3", ContactMethod.SMS, ContactOutcome.SENT, ""),
    ]
    assert state.due == date(2026, 11, 27)
    story.add(EntryKind.DUE, {"due": "2026-12-01"})
    state = replay(story.entries, quick)
    assert state.due == date(2026, 12, 1)
    assessment = assess(quick, state.facts, state.received)
    assert status_of(state, assessment) is FileStatus.INCOMPLETE

    story.add(EntryKind.COMPLETED, {})
    state = replay(story.entries, quick)
    assert (state.completed_at, state.completed_by) == (T0 + timedelta(minutes=5), "collector")
    assert status_of(state, assessment) is FileStatus.COMPLETE
    story.add(EntryKind.HANDED_OVER, {"batch": "JJ20261123-01"})
    state = replay(story.entries, quick)
    assert state.handed_over_batch == "JJ20261123-01"
    assert status_of(state, assessment) is FileStatus.HANDED_OVER
    story.add(EntryKind.ARCHIVED, {"location": "A-03-2"})
    state = replay(story.entries, quick)
    assert state.archive_location == "A-03-2"
    assert status_of(state, assessment) is FileStatus.ARCHIVED


def test_reopening_clears_the_completion_and_the_handover() -> None:
    quick = BY_TYPE["quick"]
    story = Story()
    story.add(EntryKind.COMPLETED, {})
    story.add(EntryKind.HANDED_OVER, {"batch": "JJ1"})
    story.add(EntryKind.REOPENED, {})
    state = replay(story.entries, quick)
    assert (state.completed_at, state.completed_by, state.handed_over_batch) == (None, None, None)
    assert status_of(state, assess(quick, state.facts, state.received)) is FileStatus.INCOMPLETE


def test_replay_refuses_a_document_the_template_does_not_know() -> None:
    story = Story()
    story.receive("repair_invoice")
    with pytest.raises(UnknownDocument):
        replay(story.entries, BY_TYPE["quick"])


def test_check_receipt_refuses_the_same_document_twice_and_a_copy_after_the_original() -> None:
    quick = BY_TYPE["quick"]
    none: frozenset[str] = frozenset()
    story = Story()
    story.receive("id_card", Form.COPY)
    received = replay(story.entries, quick).received
    with pytest.raises(DocumentAlreadyReceived) as caught:
        check_receipt(quick, none, received, "id_card", Form.COPY)
    assert caught.value.params == {"document": "id_card", "form": "copy"}
    assert check_receipt(quick, none, received, "id_card", Form.ORIGINAL).code == "id_card"
    story.receive("id_card", Form.ORIGINAL)
    received = replay(story.entries, quick).received
    for form in Form:
        with pytest.raises(DocumentAlreadyReceived):
            check_receipt(quick, none, received, "id_card", form)
    assert check_receipt(quick, none, received, "bank_account", Form.COPY).code == "bank_account"
    with pytest.raises(DocumentNotApplicable):
        check_receipt(quick, none, received, "power_of_attorney", Form.ORIGINAL)
    with pytest.raises(UnknownDocument):
        check_receipt(quick, none, received, "claim_form", Form.ORIGINAL)


# --- random stories against a model ---


@dataclass(frozen=True)
class Receive:
    document: str
    form: Form
    pages: int


@dataclass(frozen=True)
class Withdraw:
    pick: int  # among every entry id so far, and one that names nothing


@dataclass(frozen=True)
class SetFacts:
    facts: frozenset[str]


@dataclass(frozen=True)
class Fill:
    """Receive the original of every applicable item not yet held in original."""


Op = Receive | Withdraw | SetFacts | Fill


def document_codes(checklist: Checklist) -> list[str]:
    return [c for i in checklist.items for c in (i.code, *(a.code for a in i.alternatives))]


@st.composite
def stories(draw: st.DrawFn) -> tuple[Checklist, frozenset[str], list[Op]]:
    checklist = draw(st.sampled_from(CHECKLISTS))
    facts = st.frozensets(st.sampled_from([f.code for f in checklist.facts]))
    op = st.one_of(
        st.builds(
            Receive,
            st.sampled_from(document_codes(checklist)),
            st.sampled_from(list(Form)),
            st.integers(1, 9),
        ),
        st.builds(Withdraw, st.integers(0, 60)),
        st.builds(SetFacts, facts),
        st.just(Fill()),
    )
    return checklist, draw(facts), draw(st.lists(op, max_size=30))


# The model: entry id -> (document, form, pages), in the order received.
Model = dict[str, tuple[str, Form, int]]


def owner(checklist: Checklist, document: str) -> ChecklistItem:
    return next(
        i
        for i in checklist.items
        if i.code == document or document in {a.code for a in i.alternatives}
    )


def applies(item: ChecklistItem, facts: frozenset[str]) -> bool:
    return set(item.when) <= facts


def expected_refusal(
    checklist: Checklist, facts: frozenset[str], model: Model, document: str, form: Form
) -> str | None:
    if not applies(owner(checklist, document), facts):
        return "not_applicable"
    held = [f for d, f, _ in model.values() if d == document]
    if form in held or Form.ORIGINAL in held:
        return "already"
    return None


def expected_status(checklist: Checklist, facts: frozenset[str], model: Model) -> dict[str, str]:
    result = {}
    for item in checklist.items:
        forms = [f for d, f, _ in model.values() if owner(checklist, d) is item]
        if not applies(item, facts):
            result[item.code] = "not_applicable"
        elif Form.ORIGINAL in forms or (forms and not item.original):
            result[item.code] = "received"
        elif forms:
            result[item.code] = "copy_only" if item.required else "received"
        else:
            result[item.code] = "missing" if item.required else "optional"
    return result


def expected_complete(checklist: Checklist, facts: frozenset[str], model: Model) -> bool:
    for item in checklist.items:
        if not item.required or not applies(item, facts):
            continue
        forms = [f for d, f, _ in model.values() if owner(checklist, d) is item]
        if not (Form.ORIGINAL in forms or (forms and not item.original)):
            return False
    return True


def receive(
    checklist: Checklist, story: Story, facts: frozenset[str], model: Model, op: Receive
) -> None:
    expected = expected_refusal(checklist, facts, model, op.document, op.form)
    state = replay(story.entries, checklist)
    try:
        item = check_receipt(checklist, state.facts, state.received, op.document, op.form)
    except DocumentNotApplicable:
        outcome: str | None = "not_applicable"
    except DocumentAlreadyReceived:
        outcome = "already"
    else:
        outcome = None
        assert item is owner(checklist, op.document)
    assert outcome == expected, op
    if outcome is None:
        model[story.receive(op.document, op.form, op.pages)] = (op.document, op.form, op.pages)


@settings(max_examples=150, deadline=None)
@given(stories(), st.randoms(use_true_random=False))
def test_random_stories_match_the_model(
    story_ops: tuple[Checklist, frozenset[str], list[Op]], rnd: random.Random
) -> None:
    checklist, facts, ops = story_ops
    story = Story(facts=sorted(facts))
    model: Model = {}
    for op in ops:
        if isinstance(op, Receive):
            receive(checklist, story, facts, model, op)
        elif isinstance(op, Fill):
            for item in checklist.items:
                if applies(item, facts) and (item.code, Form.ORIGINAL) not in {
                    (d, f) for d, f, _ in model.values()
                }:
                    receive(checklist, story, facts, model, Receive(item.code, Form.ORIGINAL, 1))
        elif isinstance(op, Withdraw):
            ids = [e.id for e in story.entries] + ["nowhere"]
            target = ids[op.pick % len(ids)]
            story.withdraw(target)
            model.pop(target, None)
        else:
            facts = op.facts
            story.add(EntryKind.FACTS, {"facts": sorted(facts)})

        state = replay(story.entries, checklist)
        # (b) the withdrawals removed exactly what they named
        assert state.facts == facts
        assert [(d.entry_id, d.document, d.form, d.pages) for d in state.received] == [
            (entry_id, *held) for entry_id, held in model.items()
        ]
        assert all(d.item == owner(checklist, d.document).code for d in state.received)
        # (a) complete iff every applicable required item has what it needs
        result = assess(checklist, state.facts, state.received)
        assert {a.item.code: a.status.value for a in result.items} == expected_status(
            checklist, facts, model
        )
        assert result.complete == expected_complete(checklist, facts, model)

    # (c) the order the entries come in does not matter: replay sorts by seq
    shuffled = list(story.entries)
    rnd.shuffle(shuffled)
    assert replay(shuffled, checklist) == replay(story.entries, checklist)


def test_a_filled_file_is_complete_and_one_withdrawal_makes_it_incomplete() -> None:
    # The model test relies on Fill reaching completeness; check it once by hand.
    theft = BY_TYPE["theft"]
    story = Story()
    ids = {item.code: story.receive(item.code) for item in theft.items if not item.when}
    state = replay(story.entries, theft)
    assert assess(theft, state.facts, state.received).complete
    story.withdraw(ids["vehicle_keys"])
    state = replay(story.entries, theft)
    result = assess(theft, state.facts, state.received)
    assert [a.item.name for a in result.missing] == ["全套车钥匙"]


# --- follow-up ---


def opened(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 20, hour, minute, tzinfo=UTC)


def test_the_follow_up_list_puts_overdue_first_then_due_then_undated() -> None:
    files = {
        "a": (date(2026, 11, 20), opened(10)),
        "b": (date(2026, 11, 18), opened(11)),
        "c": (TODAY, opened(9)),
        "d": (date(2026, 11, 25), opened(8)),
        "e": (None, opened(7)),
        "f": (None, opened(6)),
        "g": (date(2026, 11, 20), opened(9)),
        "h": (date(2026, 11, 22), opened(1)),
        "i": (TODAY, opened(3)),
    }
    order = sorted(files, key=lambda k: follow_up_key(*files[k], TODAY))
    assert order == ["b", "g", "a", "h", "i", "c", "d", "f", "e"]


def test_overdue_means_before_today() -> None:
    assert is_overdue(date(2026, 11, 22), TODAY)
    assert not is_overdue(TODAY, TODAY)
    assert not is_overdue(date(2026, 11, 24), TODAY)
    assert not is_overdue(None, TODAY)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (3, date(2026, 11, 26)),
        (5, date(2026, 11, 28)),  # a Saturday: branches are open
        (6, date(2026, 11, 30)),  # a Sunday: the Monday after
        (0, TODAY),
    ],
)
def test_the_first_follow_up_skips_sundays(days: int, expected: date) -> None:
    assert first_due(TODAY, days) == expected


FollowUp = tuple[date | None, datetime]
follow_ups = st.tuples(
    st.none() | st.dates(date(2026, 11, 19), date(2026, 11, 27)),
    st.sampled_from([opened(h) for h in (6, 9, 9, 12)] + [opened(9, 30)]),
)


def rank(due: date | None) -> int:
    return 2 if due is None else (0 if due < TODAY else 1)


def comes_first(x: FollowUp, y: FollowUp) -> bool:
    """The rule, written out: overdue, then due, then undated; by due date, then opening."""
    if rank(x[0]) != rank(y[0]):
        return rank(x[0]) < rank(y[0])
    if x[0] != y[0]:
        assert x[0] is not None
        assert y[0] is not None
        return x[0] < y[0]
    return x[1] < y[1]


@settings(max_examples=300, deadline=None)
@given(follow_ups, follow_ups, follow_ups)
def test_the_follow_up_key_is_a_total_order_that_follows_the_rule(
    x: FollowUp, y: FollowUp, z: FollowUp
) -> None:
    kx, ky, kz = (follow_up_key(due, at, TODAY) for due, at in (x, y, z))
    assert (kx < ky) == comes_first(x, y)
    assert (kx == ky) == (x == y)
    assert sum((kx < ky, ky < kx, kx == ky)) == 1
    if kx <= ky <= kz:
        assert kx <= kz


@settings(max_examples=100, deadline=None)
@given(st.lists(follow_ups, max_size=12))
def test_a_sorted_follow_up_list_never_has_a_pair_out_of_order(files: list[FollowUp]) -> None:
    ordered = sorted(files, key=lambda f: follow_up_key(f[0], f[1], TODAY))
    for earlier, later in itertools.pairwise(ordered):
        assert not comes_first(later, earlier)


# --- personal data ---


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("123456", "******"),
        ("1", "*"),
        ("", ""),
    ],
)
def test_a_phone_number_shows_its_first_three_and_last_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("phone", ["6543210", "87654321"])
def test_a_short_phone_number_is_not_printed_whole(phone: str) -> None:
    shown = [c for c in mask_phone(phone) if c.isdigit()]
    assert len(phone) - len(shown) >= 4  # an 11-digit mobile number hides 4


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105199001011234", "1101**********1234"),
        ("11010519900101123X", "1101**********123X"),
        ("110105900101123", "1101*******1123"),
        ("E12345678", "E1*****78"),
        ("12345678", "********"),
        ("E1234567", "********"),
        ("", ""),
    ],
)
def test_an_id_number_keeps_its_first_and_last_four(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张*"), ("欧阳娜娜", "欧***"), (" 李娜 ", "李*"), ("王", "王"), ("", "")],
)
def test_a_name_keeps_its_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("account", "masked"),
    [("6222 0212 3456 7890", "**** 7890"), ("6222021234567890", "**** 7890"), ("1234", "****")],
)
def test_an_account_shows_its_last_four(account: str, masked: str) -> None:
    assert mask_account(account) == masked


def test_a_collectors_day_against_the_norm() -> None:
    assert CollectorDay("collector", TODAY, 15).percent_of_norm == 50
    assert CollectorDay("collector", TODAY, 45).percent_of_norm == 150
    assert CollectorDay("collector", TODAY, 3, norm=0).percent_of_norm == 0


def test_reminder_text_lists_what_is_missing_and_by_when() -> None:
    from counter_app.domain.intake import reminder_text

    text = reminder_text(
        "演示分公司", "RDAA2026000001", ["维修发票", "驾驶证"], date(2026, 12, 1), "95500"
    )
    assert text == (
        "【演示分公司】您好！您报案号 RDAA2026000001 的索赔资料尚缺：维修发票、驾驶证。"
        "请于 2026年12月1日 前补交，以免影响理赔进度。咨询电话：95500。"
    )
    assert "已齐全" in reminder_text("", "RDAA2026000001", [], None, "")
