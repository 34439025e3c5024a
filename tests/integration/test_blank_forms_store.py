"""The blank-form ledger on the branch's SQLite store: moves persist, refusals change nothing."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from counter_app.config.settings import Settings
from counter_app.domain.blank_forms import (
    ApprovalNeeded,
    BadSerial,
    FormType,
    NoBlankForms,
    RangeOverlaps,
    SerialUnknown,
    ranges_of,
)
from counter_app.domain.roles import Role
from counter_app.hub.server import open_store
from counter_app.services.actor import Actor
from counter_app.services.blank_forms import BlankFormDesk

BACKOFFICE = Actor("backoffice", "bo-1", frozenset({Role.BACKOFFICE}))
CLERK = Actor("clerk", "w1", frozenset({Role.CLERK}))
MANAGER = Actor("manager", "office", frozenset({Role.MANAGER}))
ADMIN = Actor("admin", "office", frozenset({Role.ADMIN}))
JQ = FormType("jq_policy", "交强险保单", "JQ", 10)


@pytest.fixture
def desk(demo_basedir):  # type: ignore[no-untyped-def]
    store, _ = open_store(demo_basedir)
    desk = BlankFormDesk(store, Settings(None))
    desk.define_type(ADMIN, JQ)
    yield desk
    store.dispose()


def _serials(database, state: str) -> list[int]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(database) as raw:
        rows = raw.execute(
            "SELECT serial FROM blank_form_serial WHERE state = ? AND form_type = 'jq_policy'"
            " ORDER BY serial",
            (state,),
        )
        return [r[0] for r in rows]


def test_a_day_of_forms_persists_and_balances(desk: BlankFormDesk, demo_basedir) -> None:  # type: ignore[no-untyped-def]
    assert desk.receive(BACKOFFICE, "jq_policy", "JQ0000001001", "JQ0000001050") == 50
    with pytest.raises(RangeOverlaps):
        desk.receive(BACKOFFICE, "jq_policy", "JQ0000001050", "JQ0000001060")
    assert desk.issue(BACKOFFICE, "jq_policy", "JQ0000001001", "JQ0000001010", "clerk") == 10
    first = desk.use(CLERK, "jq_policy", "PDAA202632010000001")
    assert first.serial == "JQ0000001001"
    with pytest.raises(ApprovalNeeded):
        desk.void(CLERK, "jq_policy", first.serial, "打印错位", approver=CLERK)
    desk.void(CLERK, "jq_policy", first.serial, "打印错位", approver=MANAGER)
    again = desk.use(CLERK, "jq_policy", "PDAA202632010000001")
    assert again.serial == "JQ0000001002"  # the reprint takes the next serial
    desk.lose(CLERK, "jq_policy", "JQ0000001010", "遗失于柜台")
    desk.take_back(BACKOFFICE, "jq_policy", "JQ0000001008", "JQ0000001009", "clerk")
    desk.write_off(BACKOFFICE, "jq_policy", ["JQ0000001001", "JQ0000001002"], "clerk")

    database = demo_basedir.database
    assert _serials(database, "written_off") == [1001, 1002]
    assert _serials(database, "lost") == [1010]
    assert len(_serials(database, "issued")) == 5  # 1003-1007
    assert len(_serials(database, "in_stock")) == 42

    lines = desk.reconciliation(BACKOFFICE, "jq_policy", date.fromisoformat(desk._day()))
    clerk = next(line for line in lines if line.holder == "clerk")
    assert (clerk.received, clerk.used, clerk.lost, clerk.returned) == (10, 2, 1, 2)
    assert (clerk.misprints, clerk.closing) == (1, 5)
    assert all(line.gap == 0 for line in lines)

    # the history is append-only in the file itself
    with sqlite3.connect(database) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("UPDATE blank_form_movement SET holder = 'someone'")

    take = desk.stock_take(BACKOFFICE, "jq_policy", "clerk", [("JQ0000001003", "JQ0000001006")])
    assert [(r.first, r.last) for r in take.missing] == [(1007, 1007)]


def test_refusals_change_nothing(desk: BlankFormDesk, demo_basedir) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NoBlankForms):
        desk.use(CLERK, "jq_policy", "P1")
    with pytest.raises(BadSerial):
        desk.receive(BACKOFFICE, "jq_policy", "SY0000000001", "SY0000000009")
    desk.receive(BACKOFFICE, "jq_policy", "JQ0000000001", "JQ0000000005")
    with pytest.raises(SerialUnknown):  # 6 was never received: none of 4-6 moves
        desk.issue(BACKOFFICE, "jq_policy", "JQ0000000004", "JQ0000000006", "clerk")
    assert _serials(demo_basedir.database, "issued") == []
    with sqlite3.connect(demo_basedir.database) as raw:
        moves = raw.execute(
            "SELECT count(*) FROM blank_form_movement WHERE form_type = 'jq_policy'"
        ).fetchone()[0]
    assert moves == 5  # only the receipt


def test_a_period_reconciles_from_the_moves_and_a_tampered_serial_shows_as_a_gap(
    desk: BlankFormDesk, demo_basedir
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from counter_app.storage.types import utcnow

    start = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
    desk.clock = lambda: start
    desk.receive(BACKOFFICE, "jq_policy", "JQ0000005001", "JQ0000005100")
    desk.issue(BACKOFFICE, "jq_policy", "JQ0000005001", "JQ0000005020", "clerk")
    desk.clock = lambda: start + timedelta(days=1)
    for n in range(3):
        desk.use(CLERK, "jq_policy", f"PDZA20261006{n:04d}")
    desk.void(CLERK, "jq_policy", "JQ0000005004", "卡纸", approver=MANAGER)
    desk.clock = lambda: start + timedelta(days=2)
    desk.write_off_all(BACKOFFICE, "jq_policy", "clerk")
    desk.clock = utcnow

    month = desk.reconciliation(BACKOFFICE, "jq_policy", date(2026, 10, 1), date(2026, 10, 31))
    clerk = next(line for line in month if line.holder == "clerk")
    stock = next(line for line in month if line.holder == "")
    assert (clerk.opening, clerk.received, clerk.used, clerk.voided, clerk.closing) == (
        0,
        20,
        3,
        1,
        16,
    )
    assert (stock.received, stock.returned, stock.closing) == (100, 20, 80)
    day2 = desk.reconciliation(BACKOFFICE, "jq_policy", date(2026, 10, 6))
    clerk2 = next(line for line in day2 if line.holder == "clerk")
    assert (clerk2.opening, clerk2.used, clerk2.closing, clerk2.gap) == (20, 3, 16, 0)
    assert all(line.gap == 0 for line in month + day2)

    # A serial whose row was changed behind the ledger's back (not through a move) no
    # longer matches the history: today's report shows the gap instead of balancing.
    with sqlite3.connect(demo_basedir.database) as raw:
        raw.execute(
            "UPDATE blank_form_serial SET state = 'lost' WHERE form_type = 'jq_policy'"
            " AND serial = 5010"
        )
    today = desk.reconciliation(BACKOFFICE, "jq_policy", desk.today())
    clerk_today = next(line for line in today if line.holder == "clerk")
    assert clerk_today.gap == 1


def test_holdings_list_the_runs_of_serials_however_they_are_found(
    desk: BlankFormDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runs come from counting halves of large windows; they must be exactly the runs of
    the serials, whatever the window size."""
    import random

    import counter_app.services.blank_forms as service

    desk.receive(BACKOFFICE, "jq_policy", "JQ0000010000", "JQ0000010999")
    rng = random.Random(5)
    taken = sorted(rng.sample(range(10_000, 11_000), 60))
    for serial in taken:  # holes all over the stock
        s = JQ.format(serial)
        desk.issue(BACKOFFICE, "jq_policy", s, s, "clerk")
    expected_stock = [
        (JQ.format(r.first), JQ.format(r.last))
        for r in ranges_of(set(range(10_000, 11_000)) - set(taken))
    ]
    expected_clerk = [(JQ.format(r.first), JQ.format(r.last)) for r in ranges_of(taken)]
    for fetch in (1, 7, 5_000):
        monkeypatch.setattr(service, "_FETCH_RUN", fetch)
        found = {
            (h.holder, h.state.value): h
            for h in desk.holdings(BACKOFFICE)
            if h.form_type == "jq_policy"
        }
        stock, clerk = found[("", "in_stock")], found[("clerk", "issued")]
        assert (stock.count, stock.ranges) == (940, expected_stock), fetch
        assert (clerk.count, clerk.ranges) == (60, expected_clerk), fetch
    mine = desk.holdings(CLERK)  # a clerk sees their own forms only
    assert {h.holder for h in mine} == {"clerk"}
