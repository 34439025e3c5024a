"""A throwaway PostgreSQL 15 from the installed server binaries, for tests and bench scripts.

    with ThrowawayPostgres() as server:
        dsn = server.create_database("ho_test")

It runs in its own temporary folder (data, unix socket and log), listens on 127.0.0.1 only, on a
free port, with ``fsync=off``; when we are root, ``initdb`` and ``postgres`` run as the
``postgres`` OS user through ``runuser``, since PostgreSQL refuses to run as root. Nothing else
is needed: no cluster of the machine is touched (``pg_ctlcluster`` and friends are not used).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import psycopg
from psycopg import sql

BINDIR = Path(os.environ.get("COUNTER_APP_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
OS_USER = "postgres"
SUPERUSER = "postgres"
HOST = "127.0.0.1"
DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# Durability is not what the tests are about; these make start-up and commits cheap.
TEST_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class PostgresFailed(RuntimeError):
    """The throwaway server could not be made, started or stopped; the message says why."""


class ThrowawayPostgres:
    """One PostgreSQL server in a temporary folder, removed again by :meth:`close`."""

    def __init__(
        self,
        bindir: Path = BINDIR,
        *,
        startup_timeout: float = 30.0,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        self.bindir = bindir
        self.startup_timeout = startup_timeout
        self.settings = {**TEST_SETTINGS, **(settings or {})}
        self.host = HOST
        self.port = 0
        self.superuser = SUPERUSER
        self.password = secrets.token_urlsafe(18)
        self.root: Path | None = None
        # seconds from nothing to accepting connections, as measured by the last start()
        self.startup_seconds = 0.0
        self._runner: subprocess.Popen[bytes] | None = None  # runuser, or postgres itself
        self._postmaster_pid: int | None = None

    # --- life cycle ---

    def __enter__(self) -> ThrowawayPostgres:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> ThrowawayPostgres:
        """Make the cluster (first time only) and start the server; returns when it answers."""
        began = time.monotonic()
        if self.root is None:
            self._check_binaries()
            self.root = Path(tempfile.mkdtemp(prefix="counter-pg-"))
            self._give_to_os_user(self.root)
            try:
                self._initdb()
            except BaseException:
                self._remove_root()
                raise
        if self.port:
            self._launch()
        else:
            self._launch_on_free_port()
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (keeping its data); ``mode`` as ``pg_ctl stop -m``."""
        runner = self._runner
        if runner is None:
            return
        assert self.root is not None
        if runner.poll() is None:
            stop = [self._bin("pg_ctl"), "stop", "-D", str(self.data), "-m", mode, "-w"]
            with contextlib.suppress(PostgresFailed):  # then killed below
                self._run([*stop, "-t", "10"], timeout=15)
            try:
                runner.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._kill()
        self._runner = None
        self._postmaster_pid = None

    def restart(self, mode: str = "fast", down_for: float = 0.0) -> None:
        """Stop and start again on the same port; open connections are cut, as in production.

        ``mode="immediate"`` is a crash (recovery at the next start)."""
        self.stop(mode)
        if down_for:
            time.sleep(down_for)
        self.start()

    def close(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.stop()
        finally:
            self._remove_root()

    # --- what tests use ---

    @property
    def dsn(self) -> str:
        """The superuser's DSN for the ``postgres`` database."""
        return self.dsn_for("postgres")

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        return self._postmaster_pid

    def dsn_for(self, dbname: str, user: str = SUPERUSER, password: str | None = None) -> str:
        """A DSN over TCP on 127.0.0.1; the superuser's password unless another is given."""
        secret = self.password if password is None else password
        return (
            f"postgresql://{quote(user, safe='')}:{quote(secret, safe='')}"
            f"@{self.host}:{self.port}/{quote(dbname, safe='')}"
        )

    def create_database(self, name: str) -> str:
        """A new, empty database; returns the superuser's DSN for it."""
        self._check_name(name)
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.dsn_for(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, cutting any connections still open to it."""
        self._check_name(name)
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=10) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for error messages."""
        if self.root is None or not self.log.exists():
            return "(no server log)"
        text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:]) or "(server log is empty)"

    @property
    def data(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def log(self) -> Path:
        assert self.root is not None
        return self.root / "server.log"

    # --- inside ---

    def _bin(self, name: str) -> str:
        return str(self.bindir / name)

    def _check_binaries(self) -> None:
        missing = [n for n in ("initdb", "postgres", "pg_ctl") if not (self.bindir / n).exists()]
        if missing:
            raise PostgresFailed(
                f"PostgreSQL server binaries not found in {self.bindir} ({', '.join(missing)}):"
                " install the Debian package postgresql-15 (`make system-deps`)"
            )
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            raise PostgresFailed("running as root needs `runuser` (util-linux) to start PostgreSQL")

    @staticmethod
    def _as_root() -> bool:
        return os.geteuid() == 0

    def _as_os_user(self, command: list[str]) -> list[str]:
        # PostgreSQL refuses to run as root.
        return ["runuser", "-u", OS_USER, "--", *command] if self._as_root() else command

    def _give_to_os_user(self, path: Path) -> None:
        if self._as_root():
            user = pwd.getpwnam(OS_USER)
            os.chown(path, user.pw_uid, user.pw_gid)

    def _run(self, command: list[str], timeout: float) -> str:
        assert self.root is not None
        try:
            done = subprocess.run(
                self._as_os_user(command),
                cwd=self.root,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresFailed(f"{Path(command[0]).name} took over {timeout:.0f} s") from exc
        if done.returncode != 0:
            raise PostgresFailed(
                f"{Path(command[0]).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done.stdout

    def _initdb(self) -> None:
        assert self.root is not None
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        self._give_to_os_user(pwfile)
        try:
            self._run(
                [
                    self._bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    self.superuser,
                    f"--pwfile={pwfile}",
                    # the socket is for the folder's owner only; TCP needs a password
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                timeout=60,
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def _launch_on_free_port(self) -> None:
        # A free port can be taken between choosing and binding it; then choose again.
        for attempt in range(3):
            self.port = _free_port()
            try:
                self._launch()
                return
            except PostgresFailed:
                if attempt == 2 or "could not bind" not in self.log_tail(10):
                    raise

    def _launch(self) -> None:
        assert self.root is not None
        options = {
            "listen_addresses": self.host,
            "port": str(self.port),
            "unix_socket_directories": str(self.root),
            **self.settings,
        }
        command = [self._bin("postgres"), "-D", str(self.data)]
        for key, value in options.items():
            command += ["-c", f"{key}={value}"]
        (self.data / "postmaster.pid").unlink(missing_ok=True)  # left by a kill -9 of the last run
        with self.log.open("ab") as log:
            # Its own session, so a Ctrl-C meant for the test run does not stop it mid-test.
            self._runner = subprocess.Popen(
                self._as_os_user(command),
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self._kill()
            raise

    def _wait_until_ready(self) -> None:
        assert self._runner is not None
        deadline = time.monotonic() + self.startup_timeout
        last_error = ""
        while True:
            if self._runner.poll() is not None:
                raise PostgresFailed(
                    f"PostgreSQL exited at start-up ({self._runner.returncode}); server log:\n"
                    + self.log_tail()
                )
            try:
                with psycopg.connect(self.dsn, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                self._postmaster_pid = self._read_postmaster_pid()
                return
            except psycopg.OperationalError as exc:
                last_error = str(exc).strip()
            if time.monotonic() > deadline:
                raise PostgresFailed(
                    f"PostgreSQL did not accept connections on {self.host}:{self.port} within"
                    f" {self.startup_timeout:.0f} s ({last_error}); server log:\n" + self.log_tail()
                )
            time.sleep(0.05)

    def _read_postmaster_pid(self) -> int:
        first = (self.data / "postmaster.pid").read_text(encoding="ascii").split("\n", 1)[0]
        return int(first)

    def _kill(self) -> None:
        """SIGKILL the postmaster by its own pid (and the runuser above it), then reap."""
        pid = self._postmaster_pid
        if pid is None:
            try:
                pid = self._read_postmaster_pid()
            except (OSError, ValueError):
                pid = None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        runner = self._runner
        if runner is not None and runner.poll() is None:
            runner.kill()
            runner.wait(timeout=10)
        self._runner = None
        self._postmaster_pid = None

    def _remove_root(self) -> None:
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    @staticmethod
    def _check_name(name: str) -> None:
        if not DATABASE_NAME.fullmatch(name):
            raise ValueError(f"database name {name!r}: lower-case letters, digits and _ only")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


if __name__ == "__main__":
    # `python -m tests.pg`: start one, print how long it took and its DSN, stop it.
    with ThrowawayPostgres() as server:
        print(f"started in {server.startup_seconds:.2f} s: {server.dsn}")
        began = time.monotonic()
        server.restart()
        print(f"restarted in {time.monotonic() - began:.2f} s (pid {server.pid})")
