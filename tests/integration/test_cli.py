"""``counter-app`` commands: staff administration, audit verification, ``--temp-basedir``."""

from __future__ import annotations

import os
import queue
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from counter_app.compat import SCHEMA_REVISION
from counter_app.config.basedir import Basedir
from counter_app.domain.errors import AccountLocked, BadCredentials
from counter_app.domain.staff import LockoutPolicy
from counter_app.hub.server import open_store
from counter_app.services.staff import Authenticator, Login
from tests.cli_runner import CliResult, run_cli

REPO = Path(__file__).resolve().parents[2]
COUNTER_APP = REPO / ".venv" / "bin" / "counter-app"


pytestmark = pytest.mark.usefixtures("fast_hashing")


def try_login(basedir: Basedir, username: str, password: str) -> Login:
    """Log in straight through the service, as the hub would."""
    store, _ = open_store(basedir)
    try:
        return Authenticator(store, timedelta(minutes=5), LockoutPolicy()).login(
            username, password, "test"
        )
    finally:
        store.dispose()


@pytest.fixture
def base(tmp_path: Path) -> Basedir:
    return Basedir(tmp_path / "branch")


def at(base: Basedir) -> tuple[str, str]:
    return ("--basedir", str(base.root))


def add_staff(base: Basedir, username: str, role: str, password: str) -> CliResult:
    return run_cli(
        "admin",
        "add-staff",
        *at(base),
        "--username",
        username,
        "--name",
        username.upper(),
        "--role",
        role,
        "--password-stdin",
        stdin=password + "\n",
    )


# --- staff administration ---


def test_add_staff_reads_the_password_from_stdin(base: Basedir) -> None:
    result = run_cli(
        "admin",
        "add-staff",
        *at(base),
        "--username",
        "Zhou",
        "--name",
        "周强",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert result.code == 0, result.err
    assert result.out.strip() == "added zhou (周强): admin"
    # The newline that ends the line on stdin is not part of the password.
    assert try_login(base, "zhou", "a-long-password").staff.display_name == "周强"
    with pytest.raises(BadCredentials):
        try_login(base, "zhou", "a-long-password\n")


def test_roles_can_be_repeated_and_comma_separated(base: Basedir) -> None:
    result = run_cli(
        "admin",
        "add-staff",
        *at(base),
        "--username",
        "li",
        "--name",
        "李娜",
        "--role",
        "clerk",
        "--role",
        "Collector, service",
        "--password-stdin",
        stdin="li-password-1\r\n",
    )
    assert result.code == 0, result.err
    assert result.out.strip() == "added li (李娜): clerk,collector,service"
    assert try_login(base, "li", "li-password-1").staff.username == "li"


def test_list_disable_enable(base: Basedir) -> None:
    assert add_staff(base, "zhou", "admin", "zhou-password").code == 0
    assert add_staff(base, "li", "clerk", "li-password-1").code == 0
    listed = run_cli("admin", "list-staff", *at(base))
    assert listed.code == 0
    assert listed.out.splitlines() == ["li\tLI\tclerk\tactive", "zhou\tZHOU\tadmin\tactive"]

    disabled = run_cli("admin", "disable-staff", *at(base), "--username", "li")
    assert (disabled.code, disabled.out.strip()) == (0, "li: disabled")
    assert "li\tLI\tclerk\tdisabled" in run_cli("admin", "list-staff", *at(base)).out
    with pytest.raises(Exception, match="disabled") as info:
        try_login(base, "li", "li-password-1")
    assert getattr(info.value, "code", "") == "auth.disabled"

    enabled = run_cli("admin", "enable-staff", *at(base), "--username", "LI")
    assert (enabled.code, enabled.out.strip()) == (0, "li: active")
    assert try_login(base, "li", "li-password-1").staff.active


def test_last_admin_cannot_be_disabled(base: Basedir) -> None:
    assert add_staff(base, "zhou", "admin", "zhou-password").code == 0
    result = run_cli("admin", "disable-staff", *at(base), "--username", "zhou")
    assert result.code == 1
    assert "staff.last_admin" in result.err
    assert "zhou\tZHOU\tadmin\tactive" in run_cli("admin", "list-staff", *at(base)).out


def test_reset_password_sets_it_and_lifts_a_lockout(base: Basedir) -> None:
    assert add_staff(base, "li", "clerk", "li-password-1").code == 0
    for _ in range(4):
        with pytest.raises(BadCredentials):
            try_login(base, "li", "wrong-password")
    with pytest.raises(AccountLocked):
        try_login(base, "li", "wrong-password")
    with pytest.raises(AccountLocked):
        try_login(base, "li", "li-password-1")

    result = run_cli(
        "admin",
        "reset-password",
        *at(base),
        "--username",
        "li",
        "--password-stdin",
        stdin="li-new-password\n",
    )
    assert (result.code, result.out.strip()) == (0, "li: password reset")
    assert try_login(base, "li", "li-new-password").staff.username == "li"
    with pytest.raises(BadCredentials):
        try_login(base, "li", "li-password-1")


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (("--role", "pilot"), "li-password-1\n", "staff.unknown_role"),
        (("--role", "clerk,pilot"), "li-password-1\n", "staff.unknown_role"),
        (("--role", ","), "li-password-1\n", "staff.unknown_role"),
        (("--role", "clerk"), "short\n", "staff.weak_password"),
        (("--role", "clerk"), "\n", "staff.weak_password"),
    ],
)
def test_bad_add_staff_exits_1_with_the_code(
    base: Basedir, args: tuple[str, ...], stdin: str, code: str
) -> None:
    result = run_cli(
        "admin",
        "add-staff",
        *at(base),
        "--username",
        "li",
        "--name",
        "李娜",
        *args,
        "--password-stdin",
        stdin=stdin,
    )
    assert result.code == 1
    assert f"[{code}]" in result.err
    assert result.out == ""
    assert run_cli("admin", "list-staff", *at(base)).out == ""  # nothing was added


def test_duplicate_and_unknown_usernames(base: Basedir) -> None:
    assert add_staff(base, "li", "clerk", "li-password-1").code == 0
    again = add_staff(base, "LI", "clerk", "li-password-2")
    assert again.code == 1
    assert "staff.exists" in again.err
    bad_name = add_staff(base, "李娜", "clerk", "li-password-2")
    assert (bad_name.code, "staff.invalid_username" in bad_name.err) == (1, True)
    for command in ("disable-staff", "enable-staff"):
        missing = run_cli("admin", command, *at(base), "--username", "nobody")
        assert missing.code == 1
        assert "not_found" in missing.err


def test_basedir_and_temp_basedir_together_is_a_usage_error(base: Basedir) -> None:
    with pytest.raises(SystemExit) as info:
        run_cli("admin", "list-staff", *at(base), "--temp-basedir")
    assert info.value.code == 2


# --- --temp-basedir ---


@pytest.mark.parametrize(
    ("args", "exit_code", "expected"),
    [
        (("db", "upgrade"), 0, f"schema: {SCHEMA_REVISION}"),
        (("db", "revision"), 0, "schema: (empty)"),
        (
            (
                "admin",
                "add-staff",
                "--username",
                "li",
                "--name",
                "李娜",
                "--role",
                "clerk",
                "--password-stdin",
            ),
            0,
            "added li (李娜): clerk",
        ),
        (("admin", "list-staff"), 0, ""),
        (("admin", "disable-staff", "--username", "li"), 1, "not_found"),
        (("admin", "enable-staff", "--username", "li"), 1, "not_found"),
        (("admin", "reset-password", "--username", "li", "--password-stdin"), 1, "not_found"),
        (("audit", "verify"), 0, "audit trail intact: 0 entries"),
    ],
    ids=lambda v: "-".join(v[:2]) if isinstance(v, tuple) else None,
)
def test_temp_basedir_works_for_every_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    exit_code: int,
    expected: str,
) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    seen: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(*a: str, **kw: str) -> str:
        made = real_mkdtemp(*a, **kw)
        seen.append(Path(made))
        return made

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    result = run_cli(*args[:2], "--temp-basedir", *args[2:], stdin="li-password-1\n")
    assert result.code == exit_code, result.err
    assert expected in (result.out if exit_code == 0 else result.err)
    assert len(seen) == 1  # it used a new temporary folder ...
    assert seen[0].parent == temp_root
    assert list(temp_root.iterdir()) == []  # ... and removed it at exit


def test_temp_basedirs_are_separate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    added = run_cli(
        "admin",
        "add-staff",
        "--temp-basedir",
        "--username",
        "li",
        "--name",
        "李",
        "--role",
        "clerk",
        "--password-stdin",
        stdin="li-password-1\n",
    )
    assert added.code == 0
    assert run_cli("admin", "list-staff", "--temp-basedir").out == ""


# --- audit verify ---


@pytest.fixture
def used_base(base: Basedir) -> Basedir:
    """A basedir after some normal use: staff added, changed, logins good and bad."""
    assert add_staff(base, "zhou", "admin", "zhou-password").code == 0
    assert add_staff(base, "li", "clerk", "li-password-1").code == 0
    assert run_cli("admin", "disable-staff", *at(base), "--username", "li").code == 0
    assert run_cli("admin", "enable-staff", *at(base), "--username", "li").code == 0
    try_login(base, "li", "li-password-1")
    with pytest.raises(BadCredentials):
        try_login(base, "li", "nope-nope-nope")
    return base


def audit_rows(base: Basedir) -> list[tuple[int, str]]:
    conn = sqlite3.connect(base.database)
    try:
        return [tuple(r) for r in conn.execute("SELECT seq, action FROM audit_entry ORDER BY seq")]
    finally:
        conn.close()


def tamper(base: Basedir, sql: str, *params: object) -> None:
    conn = sqlite3.connect(base.database)
    try:
        with conn:
            assert conn.execute(sql, params).rowcount == 1
    finally:
        conn.close()


def test_audit_verify_passes_after_normal_use(used_base: Basedir) -> None:
    rows = audit_rows(used_base)
    assert [a for _, a in rows] == [
        "staff.add",
        "staff.add",
        "staff.disable",
        "staff.enable",
        "auth.login",
        "auth.login_failed",
    ]
    result = run_cli("audit", "verify", *at(used_base))
    assert (result.code, result.out.strip()) == (0, "audit trail intact: 6 entries")


def test_audit_verify_finds_an_edited_detail(used_base: Basedir) -> None:
    tamper(
        used_base,
        "UPDATE audit_entry SET detail = json_set(detail, '$.roles', json('[\"clerk\"]')) "
        "WHERE seq = 1",
    )
    result = run_cli("audit", "verify", *at(used_base))
    assert result.code == 1
    assert "entry 1: edited" in result.err
    assert "DAMAGED" in result.err


def test_audit_verify_finds_a_deleted_middle_entry(used_base: Basedir) -> None:
    tamper(used_base, "DELETE FROM audit_entry WHERE seq = 3")
    result = run_cli("audit", "verify", *at(used_base))
    assert result.code == 1
    assert "entry 3: missing" in result.err
    assert "3..3" in result.err


def test_audit_verify_finds_a_deleted_newest_entry(used_base: Basedir) -> None:
    newest = audit_rows(used_base)[-1][0]
    tamper(used_base, "DELETE FROM audit_entry WHERE seq = ?", newest)
    result = run_cli("audit", "verify", *at(used_base))
    assert result.code == 1
    assert f"entry {newest}: tail_missing" in result.err
    assert f"chain ends at {newest - 1}" in result.err


# --- as a real process ---


def run_process(*args: str, stdin: str = "", tmpdir: Path | None = None) -> CliResult:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    done = subprocess.run(
        [str(COUNTER_APP), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def test_installed_command_adds_staff(base: Basedir) -> None:
    added = run_process(
        "admin",
        "add-staff",
        *at(base),
        "--username",
        "zhou",
        "--name",
        "周强",
        "--role",
        "admin,manager",
        "--password-stdin",
        stdin="a-long-password\n",
    )
    assert added.code == 0, added.err
    assert added.out.strip() == "added zhou (周强): admin,manager"
    listed = run_cli("admin", "list-staff", *at(base))
    assert (listed.code, listed.out) == (0, "zhou\t周强\tadmin,manager\tactive\n")
    assert try_login(base, "zhou", "a-long-password").staff.username == "zhou"


def test_installed_hub_runs_on_a_temp_basedir_and_cleans_up(tmp_path: Path) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    env = {**os.environ, "TMPDIR": str(temp_root)}
    with subprocess.Popen(
        [str(COUNTER_APP), "hub", "--temp-basedir", "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        lines: queue.Queue[str] = queue.Queue()
        assert proc.stderr is not None
        stderr = proc.stderr
        reader = threading.Thread(target=lambda: [lines.put(line) for line in stderr], daemon=True)
        reader.start()
        try:
            url = ""
            deadline = time.monotonic() + 30
            while not url and time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                found = re.search(r"hub listening on (http://\S+)", line)
                url = found.group(1) if found else ""
            assert url, "the hub never said where it listens"
            assert len(list(temp_root.iterdir())) == 1  # its temporary basedir
            health = httpx.get(url + "/api/health", timeout=5).json()
            assert health["status"] == "ok"
            assert health["schema_revision"] == SCHEMA_REVISION
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)
        reader.join(timeout=5)
    assert proc.returncode == 0
    assert list(temp_root.iterdir()) == []
