"""Reference data down: head office publishes from a file, each hub pulls by cursor and
applies by hybrid clock; the branch's own edits go up beside the publications. Against a real
PostgreSQL, through the branch's own sealed login."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, Select, select, text

from counter_app.config.settings import Settings
from counter_app.domain.hlc import HybridClock, Stamp, StampTooFarAhead
from counter_app.domain.roles import Role
from counter_app.headoffice import admin
from counter_app.headoffice.ingest import apply_batch
from counter_app.headoffice.reference import PublicationInvalid
from counter_app.hub.server import open_store
from counter_app.services.actor import Actor
from counter_app.services.queue import QueueDesk
from counter_app.storage.database import Store
from counter_app.storage.models import (
    CounterWindow,
    FormAllotment,
    ServiceStaff,
    ServiceType,
    Staff,
    Ticket,
    WindowService,
)
from counter_app.sync import outbox, reference
from counter_app.sync.worker import SyncWorker
from tests.cli_runner import run_cli
from tests.pg import ThrowawayPostgres
from tests.sync_support import engine

T = TypeVar("T")
HASH = PasswordHasher().hash("published-only-1")
GUIDE = Actor("guide", "kiosk", frozenset({Role.GUIDE}))


@dataclass
class Office:
    store: Store
    code: str
    other: str  # a second branch
    branch: Engine  # this branch's own login
    other_branch: Engine
    office: Engine  # head office itself
    dsn: str


@pytest.fixture
def o(postgres: ThrowawayPostgres, demo_basedir: Any) -> Iterator[Office]:
    name = f"ho_{secrets.token_hex(4)}"
    dsn = postgres.create_database(name)
    admin.init(dsn)
    code, other = (f"R{secrets.token_hex(3).upper()}" for _ in range(2))
    mine = admin.add_branch(dsn, code, "参考网点")
    theirs = admin.add_branch(dsn, other, "另一网点")
    store, _ = open_store(demo_basedir)
    branch = engine(postgres.dsn_for(name, mine.login_role, mine.password))
    other_branch = engine(postgres.dsn_for(name, theirs.login_role, theirs.password))
    head = engine(dsn)
    yield Office(store, code, other, branch, other_branch, head, dsn)
    for e in (branch, other_branch, head):
        e.dispose()
    store.dispose()
    postgres.drop_database(name)


def write(tmp_path: Path, body: str, name: str = "reference.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


EVERYONE = f"""
checklist_file = "{Path(__file__).parents[2] / "resources" / "checklists" / "claims.toml"}"

[[service_type]]
code = "A"
name = "出单/批改（总公司）"
prefix = "A"

[[service_type]]
code = "E"
name = "验车"
prefix = "E"
digits = 3

[[window]]
number = 1
name = "1号窗口（总公司）"
services = ["A", "E"]

[[printer]]
name = "总公司统一票据打印机"
kind = "ticket"
profile = "ticket-80mm"

[[form_type]]
code = "JQ"
name = "交强险保单"
prefix = "JQ"
digits = 10

[[staff]]
username = "clerk"
name = "张伟（总公司）"
roles = ["clerk"]
password_hash = "{HASH}"

[[staff]]
username = "newcomer"
name = "新同事"
roles = ["clerk", "collector"]
password_hash = "{HASH}"
"""


def pull(o: Office) -> reference.Pulled:
    with o.branch.begin() as connection:
        return reference.pull(connection, o.store)


def drain(o: Office) -> None:
    while (batch := outbox.next_batch(o.store)) is not None:
        with o.branch.begin() as connection:
            apply_batch(connection, o.code, batch)
        outbox.acknowledge(o.store, batch.seq)


def the_one(store: Store, statement: Select[tuple[T]]) -> T:
    """The branch's row the statement finds; it must be there."""
    with store.read() as session:
        found = session.scalar(statement)
        assert found is not None
        return found


def service(store: Store, code: str) -> ServiceType:
    return the_one(store, select(ServiceType).where(ServiceType.code == code))


def window(store: Store, number: int) -> CounterWindow:
    return the_one(store, select(CounterWindow).where(CounterWindow.number == number))


def rename_at_branch(o: Office, number: int, name: str) -> str:
    """A window renamed at the branch through the ORM, as a clerk's edit is; its new stamp."""
    with o.store.write() as session:
        row = session.get(CounterWindow, window(o.store, number).id)
        assert row is not None
        row.name = name
    return window(o.store, number).hlc


def edit_at_head_office(o: Office, number: int) -> tuple[str, str]:
    """The branch's last edit of a window as head office keeps it: (name, stamp)."""
    with o.office.connect() as conn:
        row = conn.execute(
            text(
                "SELECT row ->> 'name', hlc FROM reference_edit"
                " WHERE branch_code = :b AND table_name = 'counter_window'"
                " AND row ->> 'number' = :n"
            ),
            {"b": o.code, "n": str(number)},
        ).one()
    return str(row[0]), str(row[1])


def office_id(o: Office, table: str, column: str, value: Any) -> Any:
    with o.office.connect() as conn:
        return conn.execute(
            text(f"SELECT id FROM {table} WHERE scope = '*' AND {column} = :v"), {"v": value}
        ).scalar_one()


def test_a_publication_reaches_the_branch_and_takes_over_its_local_rows(
    o: Office, tmp_path: Path
) -> None:
    local_a = service(o.store, "A").id
    ticket = QueueDesk(o.store, Settings(None)).issue(GUIDE, "A")
    clerk_hash = _staff(o.store, "clerk").password_hash
    published = admin.publish(o.dsn, write(tmp_path, EVERYONE))
    assert published.written["service_type"] == 2
    assert published.written["staff"] == 2

    pulled = pull(o)
    assert pulled.rows == pulled.applied > 0
    assert reference.cursor(o.store) == pulled.cursor == published.revision

    # service A: head office's name, and head office's id, tickets following it
    a = service(o.store, "A")
    assert a.name == "出单/批改（总公司）"
    assert a.id == office_id(o, "service_type", "code", "A") != local_a
    with o.store.read() as session:
        assert session.get(Ticket, ticket.id).service_type_id == a.id  # type: ignore[union-attr]
    assert service(o.store, "E").name == "验车"
    # window 1 serves A and E as published, and V still: the branch's own link, which head
    # office never published and so never takes back
    with o.store.read() as session:
        links = session.scalars(
            select(WindowService.service_type_id).where(
                WindowService.window_id == window(o.store, 1).id
            )
        ).all()
    assert set(links) == {a.id, service(o.store, "E").id, service(o.store, "V").id}
    # a known staff member keeps the password they have; a new one gets the published one
    clerk = _staff(o.store, "clerk")
    assert clerk.display_name == "张伟（总公司）"
    assert clerk.password_hash == clerk_hash
    assert _staff(o.store, "newcomer").password_hash == HASH
    # the re-keyed ticket goes up again under the new id: head office agrees
    drain(o)
    with o.office.connect() as conn:
        sent = conn.execute(
            text("SELECT service_type_id FROM ticket WHERE branch_code = :b AND id = :t"),
            {"b": o.code, "t": ticket.id},
        ).scalar_one()
    assert sent == a.id
    # pulled again: nothing new
    assert pull(o) == reference.Pulled(0, 0, pulled.cursor)


def test_the_later_write_wins_on_both_sides(o: Office, tmp_path: Path) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    pull(o)
    # the branch renames window 1 after the publication: its edit stands and goes up
    stamp = rename_at_branch(o, 1, "1号窗口（网点改）")
    drain(o)
    assert edit_at_head_office(o, 1) == ("1号窗口（网点改）", stamp)
    with o.office.connect() as conn:
        # never written into head office's publication itself
        assert conn.execute(
            text("SELECT name FROM counter_window WHERE scope = '*' AND number = 1")
        ).scalar_one() == ("1号窗口（总公司）")
    # a write at head office stamped before the branch's edit (a late, slow publisher) loses
    older = Stamp(Stamp.parse(stamp).ms - 1, 0).text()
    with o.office.begin() as conn:
        conn.execute(
            text("UPDATE counter_window SET name = 'stale', hlc = :h WHERE number = 1"),
            {"h": older},
        )
    assert pull(o).applied == 0
    assert window(o.store, 1).name == "1号窗口（网点改）"
    # a later publication wins, and the branch's stamp is head office's again
    admin.publish(o.dsn, write(tmp_path, EVERYONE.replace("1号窗口（总公司）", "1号窗口（新）")))
    assert pull(o).applied >= 1
    after = window(o.store, 1)
    assert (after.name, after.origin) == ("1号窗口（新）", "headoffice")
    # re-publishing the same file writes nothing: no revision for branches to pull
    same = EVERYONE.replace("1号窗口（总公司）", "1号窗口（新）")
    again = admin.publish(o.dsn, write(tmp_path, same))
    assert again.written == {}
    assert again.revision == 0
    assert again.unchanged > 0


def test_an_edit_after_a_pull_by_the_sync_process_is_later_than_what_it_pulled(
    o: Office, tmp_path: Path
) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    # head office's clock two minutes ahead of the branch's (within the five allowed)
    ahead = Stamp(Stamp.parse(HybridClock().now()).ms + 2 * 60 * 1000, 0).text()
    with o.office.begin() as conn:
        conn.execute(
            text("UPDATE counter_window SET name = '1号窗口（快）', hlc = :h WHERE number = 1"),
            {"h": ahead},
        )
    # pulled by the hub's sync process: its own clock, which the counters' never sees
    with o.branch.begin() as connection:
        reference.pull(connection, o.store, HybridClock())
    assert window(o.store, 1).hlc == ahead
    edited = rename_at_branch(o, 1, "1号窗口（网点改）")  # then a clerk renames it
    assert edited > ahead
    drain(o)
    # head office sees the branch's edit as the later write
    assert edit_at_head_office(o, 1) == ("1号窗口（网点改）", edited)


def test_withdrawn_links_go_and_withdrawn_rows_are_switched_off(o: Office, tmp_path: Path) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    pull(o)
    narrower = EVERYONE.replace('services = ["A", "E"]', 'services = ["A"]')
    result = admin.publish(o.dsn, write(tmp_path, narrower))
    assert result.withdrawn == {"window_service": 1}
    pull(o)
    with o.store.read() as session:
        links = session.scalars(
            select(WindowService.service_type_id).where(
                WindowService.window_id == window(o.store, 1).id
            )
        ).all()
    assert set(links) == {service(o.store, "A").id, service(o.store, "V").id}
    # an entity is switched off, not deleted (tickets point at it)
    off = EVERYONE.replace('code = "E"\nname = "验车"', 'code = "E"\nname = "验车"\nactive = false')
    admin.publish(o.dsn, write(tmp_path, off))
    pull(o)
    assert service(o.store, "E").active is False


def test_who_may_serve_a_service_is_published_with_it(o: Office, tmp_path: Path) -> None:
    body = EVERYONE.replace(
        'code = "E"\nname = "验车"', 'code = "E"\nname = "验车"\nstaff = ["newcomer"]'
    )
    admin.publish(o.dsn, write(tmp_path, body))
    pull(o)
    assert _served_by(o.store, "E") == {_staff(o.store, "newcomer").id}
    # the clerk too, already known at head office from the last publication
    both = body.replace('staff = ["newcomer"]', 'staff = ["newcomer", "Clerk"]')
    assert admin.publish(o.dsn, write(tmp_path, both)).written == {"service_staff": 1}
    pull(o)
    assert _served_by(o.store, "E") == {_staff(o.store, n).id for n in ("newcomer", "clerk")}
    # the list is the file's: the newcomer taken off is taken off at the branch
    only_clerk = body.replace('staff = ["newcomer"]', 'staff = ["clerk"]')
    assert admin.publish(o.dsn, write(tmp_path, only_clerk)).withdrawn == {"service_staff": 1}
    pull(o)
    assert _served_by(o.store, "E") == {_staff(o.store, "clerk").id}
    # nobody by that name: refused, nothing written
    with pytest.raises(PublicationInvalid, match="nobody"):
        admin.publish(o.dsn, write(tmp_path, body.replace('["newcomer"]', '["nobody"]')))
    assert pull(o).rows == 0


def _served_by(store: Store, code: str) -> set[Any]:
    with store.read() as session:
        return set(
            session.scalars(
                select(ServiceStaff.staff_id).where(
                    ServiceStaff.service_type_id == service(store, code).id
                )
            )
        )


def test_a_branch_sees_what_is_published_to_it_and_no_other_branch(
    o: Office, tmp_path: Path
) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    allot = """
[[allotment]]
form_type = "JQ"
first = "JQ0000900001"
last = "JQ0000900500"
note = "十二月份"
"""
    mine = admin.publish(o.dsn, write(tmp_path, allot, "mine.toml"), o.code)
    assert mine.written == {"form_allotment": 1}
    with o.other_branch.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM form_allotment")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM service_type")).scalar_one() == 2
    pull(o)
    with o.store.read() as session:
        allotments = session.scalars(select(FormAllotment)).all()
    assert [(a.form_type, a.first, a.last, a.note) for a in allotments] == [
        ("JQ", 900001, 900500, "十二月份")
    ]
    # the other branch can neither read nor fake this branch's edits
    with o.other_branch.connect() as conn, pytest.raises(Exception, match="row-level security"):
        conn.execute(
            text(
                "INSERT INTO reference_edit (branch_code, table_name, row_key, hlc, origin)"
                " VALUES (:b, 'printer', '[\"x\"]', '', 'branch')"
            ),
            {"b": o.code},
        )
    with pytest.raises(PublicationInvalid):  # allotments go to one branch
        admin.publish(o.dsn, write(tmp_path, EVERYONE + allot))


def test_a_stamp_too_far_ahead_is_refused_and_changes_nothing(o: Office, tmp_path: Path) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    ahead = Stamp(Stamp.parse(HybridClock().now()).ms + 10 * 60 * 1000, 0).text()
    with o.office.begin() as conn:
        conn.execute(text("UPDATE printer SET hlc = :h"), {"h": ahead})
    before = reference.cursor(o.store)
    with pytest.raises(StampTooFarAhead) as refused:
        pull(o)
    assert refused.value.code == "sync.stamp_ahead"
    assert reference.cursor(o.store) == before
    assert service(o.store, "A").name != "出单/批改（总公司）"  # not applied
    # and a branch edit stamped 10 minutes ahead is refused by head office, batch and all
    rename_at_branch(o, 2, "2号窗口（快钟）")
    with o.store.write() as session:
        session.execute(text("UPDATE counter_window SET hlc = :h WHERE number = 2"), {"h": ahead})
    with pytest.raises(StampTooFarAhead):
        drain(o)
    with o.office.connect() as conn:
        assert (
            conn.execute(
                text("SELECT count(*) FROM sync_batch WHERE branch_code = :b"), {"b": o.code}
            ).scalar_one()
            == 0
        )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('[[service_type]]\ncode = "a"\nname = "x"\nprefix = "A"\n', "service_type.2.code"),
        ('[[staff]]\nusername = "x"\nname = "x"\nroles = ["clerk"]\npassword = "p"\n', "staff.2"),
        ('[[window]]\nnumber = 0\nname = "x"\n', "window.1.number"),
        ("[[printer]]\nname = \n", "line 43"),
        ("[[nonsense]]\nx = 1\n", "(file)"),
    ],
)
def test_a_bad_publication_is_refused_whole(
    o: Office, tmp_path: Path, body: str, where: str
) -> None:
    with pytest.raises(PublicationInvalid) as refused:
        admin.publish(o.dsn, write(tmp_path, EVERYONE + body))
    assert where in refused.value.detail
    with o.office.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM service_type")).scalar_one() == 0


def test_the_sync_worker_pulls_after_it_sends(o: Office, tmp_path: Path) -> None:
    admin.publish(o.dsn, write(tmp_path, EVERYONE))
    worker = SyncWorker(o.store, o.code, lambda: o.branch)
    worker.drain()
    assert worker.pull() > 0
    status = worker.status()
    assert status.reference_revision == reference.cursor(o.store) > 0
    assert status.last_pull is not None
    assert service(o.store, "E").name == "验车"


def test_a_branch_login_cannot_publish(o: Office) -> None:
    with o.branch.connect() as conn, pytest.raises(Exception, match="permission denied"):
        conn.execute(
            text(
                "INSERT INTO service_type (scope, id, code, name, prefix, digits, opens_at,"
                " closes_at, sort_order, active, daily_reset, service_minutes, hlc, origin)"
                " VALUES ('*', gen_random_uuid(), 'Z', 'z', 'Z', 3, '08:00', '17:00', 1, true,"
                " true, 5, '', 'branch')"
            )
        )


def _staff(store: Store, username: str) -> Staff:
    return the_one(store, select(Staff).where(Staff.username == username))


def test_the_command_line_publishes_and_refuses_in_words(o: Office, tmp_path: Path) -> None:
    path = write(tmp_path, EVERYONE)
    ran = run_cli("--temp-basedir", "headoffice", "publish", str(path), "--dsn", o.dsn)
    assert ran.code == 0, ran.err
    assert "published reference.toml to every branch" in ran.out
    assert "  service_type: 2 new or changed" in ran.out
    again = run_cli("--temp-basedir", "headoffice", "publish", str(path), "--dsn", o.dsn)
    assert "(revision -)" in again.out
    bad = write(tmp_path, '[[window]]\nnumber = "one"\nname = "x"\n', "bad.toml")
    refused = run_cli("--temp-basedir", "headoffice", "publish", str(bad), "--dsn", o.dsn)
    assert refused.code == 1
    assert "headoffice.publication_invalid" in refused.err
    assert "window.0.number" in refused.err
    unknown = run_cli(
        "--temp-basedir", "headoffice", "publish", str(path), "--branch", "NOPE99", "--dsn", o.dsn
    )
    assert unknown.code == 1
    assert "no branch NOPE99" in unknown.err
