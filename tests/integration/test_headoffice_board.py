"""The manager's board against a real PostgreSQL 15 (tests/pg.py): ``report.sync_board`` and
the window on it, reached through a loopback proxy that a test can cut.

The board's own behaviour with a stand-in for head office: tests/ui/test_headoffice_board.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from argon2 import PasswordHasher
from psycopg import sql
from pytestqt.qtbot import QtBot

from counter_app.cli import build_parser
from counter_app.headoffice import admin, report
from counter_app.headoffice.admin import HeadOfficeRefused, HeadOfficeUnreachable
from counter_app.ui.headoffice_board import Column, HeadOfficeBoard
from counter_app.ui.messages import Messages
from counter_app.ui.tasks import TaskRunner
from tests.pg import ThrowawayPostgres
from tests.tcp_proxy import TcpProxy

# Every window shown on the offscreen platform says so; nothing to do with the board.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@dataclass
class Office:
    server: ThrowawayPostgres
    name: str
    dsn: str  # head office's own login (here the superuser that ran init)
    codes: dict[str, str]  # role in the test: branch code
    read_at: datetime  # head office's clock when the batches were stamped

    def dsn_through(self, port: int) -> str:
        return self.dsn.replace(f":{self.server.port}/", f":{port}/", 1)


@pytest.fixture
def office(postgres: ThrowawayPostgres, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    monkeypatch.setattr(admin, "_hasher", PasswordHasher(time_cost=1, memory_cost=64))
    name = f"ho_{secrets.token_hex(4)}"
    dsn = postgres.create_database(name)
    admin.init(dsn)
    tag = secrets.token_hex(2).upper()
    codes = {role: f"{role[0].upper()}{tag}" for role in ("fresh", "hours", "never")}
    logins = []
    for role, code in codes.items():
        logins.append(admin.add_branch(dsn, code, f"{role} 网点").login_role)
    with psycopg.connect(dsn, autocommit=True) as conn:
        clock = conn.execute("SELECT now()").fetchone()
        assert clock is not None
        now: datetime = clock[0]
        for role in ("fresh", "hours"):
            conn.execute(
                "UPDATE branch SET hub_instance = %s, enrolled_at = %s WHERE code = %s",
                (secrets.token_hex(16), now - timedelta(days=3), codes[role]),
            )
        batches = [
            # yesterday's and today's batches of the fresh branch; the other's only hours ago
            (codes["fresh"], 1, 400, now - timedelta(days=1, hours=1)),
            (codes["fresh"], 2, 120, now - timedelta(minutes=30)),
            (codes["fresh"], 3, 5, now - timedelta(minutes=2)),
            (codes["hours"], 1, 70, now - timedelta(hours=3, minutes=10)),
        ]
        for code, seq, rows, at in batches:
            conn.execute(
                "INSERT INTO sync_batch (branch_code, batch_seq, rows, digest, received_at)"
                " VALUES (%s, %s, %s, '-', %s)",
                (code, seq, rows, at),
            )
    yield Office(postgres, name, dsn, codes, now)
    postgres.drop_database(name)
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        for login in logins:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def test_the_board_data_per_branch(office: Office) -> None:
    day_start = office.read_at - timedelta(hours=1)
    board = report.sync_board(office.dsn, day_start)
    assert board.day_start == day_start
    assert abs(board.read_at - datetime.now(UTC)) < timedelta(minutes=1)
    mine = {b.code: b for b in board.branches if b.code in office.codes.values()}
    fresh, hours, never = (mine[office.codes[r]] for r in ("fresh", "hours", "never"))
    assert [b.code for b in board.branches] == sorted(b.code for b in board.branches)
    assert (fresh.name, fresh.hub_enrolled, fresh.rows_today, fresh.state) == (
        "fresh 网点",
        True,
        125,  # 120 + 5: the batch of yesterday is not today's
        "current",
    )
    assert fresh.last_batch_at == office.read_at - timedelta(minutes=2)
    assert fresh.lag is not None
    assert timedelta(minutes=2) <= fresh.lag < timedelta(minutes=5)
    assert (hours.rows_today, hours.state, hours.hub_enrolled) == (0, "behind", True)
    assert hours.lag is not None
    assert timedelta(hours=3) < hours.lag < timedelta(hours=4)
    assert (never.last_batch_at, never.lag, never.rows_today) == (None, None, 0)
    assert (never.state, never.hub_enrolled) == ("stale", False)
    # By default "today" is since this PC's last midnight.
    default = report.sync_board(office.dsn)
    assert default.day_start.astimezone().time() == datetime.min.time()


def test_the_board_as_the_manager_sees_it_and_head_office_away(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    with TcpProxy((office.server.host, office.server.port), lifetime=60) as proxy:
        dsn = office.dsn_through(proxy.port)
        today = office.read_at - timedelta(hours=1)  # whatever the time of day the test runs
        tasks = TaskRunner(max_threads=1)
        board = HeadOfficeBoard(lambda: report.sync_board(dsn, today), tasks, Messages())
        qtbot.addWidget(board, before_close_func=lambda _: tasks.wait(15_000))
        board.resize(1100, 420)
        with qtbot.waitSignal(board.board_shown, timeout=15_000):
            board.show()
        board.filter_edit.setText(office.codes["fresh"][1:])  # this test's branches only
        rows = board.rows
        assert rows.rowCount() == 3
        by_code = {
            rows.index(r, Column.CODE).data(): [
                rows.index(r, c).data() for c in (Column.HUB, Column.ROWS_TODAY, Column.LAG)
            ]
            for r in range(rows.rowCount())
        }
        assert by_code[office.codes["hours"]] == ["Yes", "0", "3 h ago"]
        assert by_code[office.codes["never"]] == ["No", "0", "never"]
        assert by_code[office.codes["fresh"]][:2] == ["Yes", "125"]
        assert by_code[office.codes["fresh"]][2] in ("2 min ago", "3 min ago")
        assert board.grab().save(str(tmp_path / "ho_board.png"))

        proxy.cut()  # head office unreachable: refused at once, not a silent link
        with qtbot.waitSignal(board.refresh_failed, timeout=30_000) as failed:
            board.refresh()
        assert isinstance(failed.args[0], HeadOfficeUnreachable)
        assert board.problem.isVisible()
        assert board.problem.text().startswith(Messages().describe(failed.args[0]))
        assert "Showing what was read at" in board.problem.text()
        assert rows.rowCount() == 3  # the last rows stay

        proxy.restore()
        with qtbot.waitSignal(board.board_shown, timeout=15_000):
            board.refresh()
        assert not board.problem.isVisible()


def test_a_wrong_login_is_refused_not_unreachable(office: Office) -> None:
    wrong = office.server.dsn_for(office.name, password="wrong")
    with pytest.raises(HeadOfficeRefused) as refused:
        report.sync_board(wrong)
    assert "wrong" not in refused.value.detail
    missing = office.server.dsn_for("ho_none_" + secrets.token_hex(2), password=None)
    with pytest.raises(HeadOfficeRefused):
        report.sync_board(missing)


def test_a_branch_login_is_told_it_is_the_wrong_login(office: Office) -> None:
    enrolment = admin.add_branch(office.dsn, f"X{secrets.token_hex(2).upper()}", "x")
    try:
        dsn = office.server.dsn_for(office.name, enrolment.login_role, enrolment.password)
        with pytest.raises(HeadOfficeRefused) as refused:
            report.sync_board(dsn)
        assert "ran init" in refused.value.detail
    finally:
        with psycopg.connect(office.dsn, autocommit=True) as conn:
            conn.execute("DELETE FROM branch WHERE code = %s", (enrolment.code,))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(enrolment.login_role)))


def test_the_command_line_has_the_board() -> None:
    args = build_parser().parse_args(
        ["headoffice", "board", "--dsn", "postgresql://ho@h/db?password=" + quote("p w")]
    )
    assert (args.command, args.headoffice_command) == ("headoffice", "board")
