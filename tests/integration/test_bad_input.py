"""Bad situations and hostile input: the hub refuses cleanly, changes nothing, never answers 500."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, event, text

from counter_app.client.hub_client import HubClient, HubError
from counter_app.compat import SCHEMA_REVISION
from counter_app.config.basedir import Basedir
from counter_app.config.settings import Settings
from counter_app.domain.errors import HubAlreadyRunning, StoreCorrupt, StoreReadOnly
from counter_app.hub.server import HubOptions, HubServer, open_store
from counter_app.storage import database
from counter_app.storage.database import Store
from tests.cli_runner import run_cli
from tests.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def admin(http: httpx.Client) -> dict[str, str]:
    response = http.post(
        "/api/auth/login", json={"username": "admin", "password": DEMO_PASSWORDS["admin"]}
    )
    return {"Authorization": f"Bearer {response.json()['token']}"}


def files_of(folder: Path) -> dict[str, bytes]:
    """The database and any -wal/-shm files beside it (the hub's empty lock file aside)."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("branch.sqlite3*"))}


# --- one hub per basedir ---


def test_second_hub_on_the_same_basedir_is_refused(hub: HubServer, http: httpx.Client) -> None:
    second = HubServer(hub.basedir, Settings(None), HubOptions(port=0))
    with pytest.raises(HubAlreadyRunning) as info:
        second.start()
    assert info.value.code == "hub.already_running"
    assert info.value.params == {"pid": str(os.getpid())}
    # The first one keeps its lock and keeps answering.
    assert http.get("/api/health").json()["status"] == "ok"
    assert hub.basedir.hub_lock.with_suffix(".pid").read_text() == str(os.getpid())
    # The same through the command line.
    result = run_cli("hub", "--basedir", str(hub.basedir.root), "--port", "0")
    assert result.code == 1
    assert "hub.already_running" in result.err
    assert http.get("/api/health").status_code == 200


# --- a damaged database file ---


@pytest.fixture
def corrupt_copy(demo_basedir: Basedir, tmp_path: Path) -> Basedir:
    copy = Basedir(tmp_path / "damaged").ensure()
    shutil.copyfile(demo_basedir.database, copy.database)
    return copy


@pytest.mark.parametrize("damage", ["whole file", "all but the header", "some pages"])
def test_corrupt_database_is_refused_and_left_alone(corrupt_copy: Basedir, damage: str) -> None:
    path = corrupt_copy.database
    data = bytearray(path.read_bytes())
    noise = random.Random(damage).randbytes  # repeatable noise
    if damage == "whole file":
        data[:] = noise(len(data))
    elif damage == "all but the header":
        data[100:] = noise(len(data) - 100)
    else:
        data[4096 * 3 : 4096 * 6] = noise(4096 * 3)
    path.write_bytes(bytes(data))
    before = files_of(path.parent)

    with pytest.raises(StoreCorrupt) as info:
        open_store(corrupt_copy)
    assert info.value.code == "storage.corrupt"
    assert files_of(path.parent) == before  # not a byte changed, no WAL left behind

    server = HubServer(corrupt_copy, Settings(None), HubOptions(port=0))
    with pytest.raises(StoreCorrupt):
        server.start()
    assert not corrupt_copy.hub_lock.with_suffix(".pid").exists()  # lock given back

    result = run_cli("db", "upgrade", "--basedir", str(corrupt_copy.root))
    assert result.code == 1
    assert "storage.corrupt" in result.err
    assert files_of(path.parent) == before


# --- a read-only database ---


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root.

    The tests run as root, for whom ``chmod a-w`` changes nothing: root writes anyway. The
    immutable attribute (``chattr +i``) is enforced by the kernel for root too, and makes
    ``os.access(path, W_OK)`` answer False, which is what a read-only mount or a file owned by
    someone else looks like to the hub.
    """
    if shutil.which("chattr") is None:
        pytest.fail("chattr is needed to make a file read-only for root")
    subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True, capture_output=True)


def test_read_only_database_file_is_refused(demo_basedir: Basedir) -> None:
    path = demo_basedir.database
    before = path.read_bytes()
    with immutable(path):
        assert not os.access(path, os.W_OK)
        with pytest.raises(OSError, match="not permitted"):
            path.write_bytes(b"x")  # really read-only, even for root
        with pytest.raises(StoreReadOnly) as info:
            open_store(demo_basedir)
        assert info.value.code == "storage.read_only"
        assert info.value.params == {"path": str(path)}
        server = HubServer(demo_basedir, Settings(None), HubOptions(port=0))
        with pytest.raises(StoreReadOnly):
            server.start()
        result = run_cli("admin", "list-staff", "--basedir", str(demo_basedir.root))
        assert (result.code, "storage.read_only" in result.err) == (1, True)
    assert path.read_bytes() == before
    # Writable again, the same basedir starts normally.
    server = HubServer(demo_basedir, Settings(None), HubOptions(port=0))
    server.start()
    server.stop()


def test_read_only_data_folder_is_refused(demo_basedir: Basedir) -> None:
    # The file is writable but SQLite could not create its -wal and -shm files beside it.
    folder = demo_basedir.database.parent
    with immutable(folder):
        with pytest.raises(StoreReadOnly) as info:
            open_store(demo_basedir)
        assert info.value.params == {"path": str(folder)}
    assert sorted(p.name for p in folder.iterdir()) == ["branch.sqlite3"]


def test_write_to_a_read_only_connection_is_store_read_only(demo_basedir: Basedir) -> None:
    # SQLite's own refusal ("attempt to write a readonly database") on a connection opened
    # read-only through its URI, as the hub would meet it on a file that turned read-only.
    url = f"sqlite+pysqlite:///file:{demo_basedir.database}?mode=ro&uri=true"
    engine = create_engine(url, connect_args={"isolation_level": None, "check_same_thread": False})
    event.listen(engine, "connect", database._set_pragmas)
    event.listen(engine, "begin", database._begin)
    store = Store(engine)
    try:
        with store.read() as session:
            assert session.execute(text("SELECT count(*) FROM staff")).scalar() == 8
        with pytest.raises(StoreReadOnly), store.write() as session:
            session.execute(text("UPDATE staff SET display_name = 'x'"))
    finally:
        store.dispose()


# --- a full disk ---


def test_full_disk_is_503_and_leaves_nothing_half_written(
    hub: HubServer, http: httpx.Client, admin: dict[str, str]
) -> None:
    assert hub.context is not None
    engine = hub.context.store.engine
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    def cap_size(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        # The database may not grow by a single page: like a disk with no space left.
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    def state() -> tuple[list[str], int, list[int]]:
        staff = sorted(s["username"] for s in http.get("/api/staff", headers=admin).json())
        verify = http.get("/api/audit/verify", headers=admin).json()
        assert verify["ok"], verify
        seqs = [e["seq"] for e in http.get("/api/events", headers=admin).json()]
        return staff, verify["entries"], seqs

    event.listen(engine, "checkout", cap_size)
    try:
        # The pages still have some free room; add staff until a write needs a new page.
        refused: httpx.Response | None = None
        for n in range(60):
            before = state()
            response = http.post(
                "/api/staff",
                headers=admin,
                json={
                    "username": f"filler{n:02d}",
                    "display_name": "填充" * 30,
                    "roles": ["clerk"],
                    "password": "a-long-password",
                },
            )
            if response.status_code != 201:
                refused = response
                break
        assert refused is not None, "the database never filled up"
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "storage.disk_full"
        # Nothing of the refused change was kept: no staff row, no audit entry, no event.
        assert state() == before
        assert f"filler{n:02d}" not in before[0]
        assert http.get("/api/health").json()["status"] == "ok"
    finally:
        event.remove(engine, "checkout", cap_size)
    engine.dispose()  # connections still capped are closed; new ones have room
    again = http.post(
        "/api/staff",
        headers=admin,
        json={
            "username": f"filler{n:02d}",
            "display_name": "填充",
            "roles": ["clerk"],
            "password": "a-long-password",
        },
    )
    assert again.status_code == 201, again.text
    assert http.get("/api/audit/verify", headers=admin).json()["ok"] is True


# --- hostile request bodies ---

STAFF_OK = {
    "username": "wang.wu",
    "display_name": "王五",
    "roles": ["clerk"],
    "password": "a-long-password",
}

HOSTILE_BODIES: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b"123",
    b'"text"',
    b"{}",
    b'{"username": null}',
    b"\xff\xfe\x00garbage",  # not UTF-8
    b"[" * 100_000 + b"]" * 100_000,  # nested too deep
    b'{"username": ' + b"9" * 5000 + b"}",  # an integer too long to parse
    b'{"username": NaN, "display_name": Infinity}',
    b'{"username": "wang\\ud800wu", "display_name": "x", "roles": ["clerk"], "password": "p"}',
    b'{"username": "x", "username": {"$gt": ""}}',
]


def hostile_staff_bodies() -> list[dict[str, Any]]:
    huge = "字" * 1_000_000
    return [
        {**STAFF_OK, "username": huge},
        {**STAFF_OK, "display_name": huge},
        {**STAFF_OK, "password": huge},
        {**STAFF_OK, "roles": ["pilot"]},
        {**STAFF_OK, "roles": "clerk"},
        {**STAFF_OK, "roles": [["clerk"]]},
        {**STAFF_OK, "roles": []},
        {**STAFF_OK, "is_admin": True},  # unknown fields are refused, not ignored
        {**STAFF_OK, "username": 12345},
        {**STAFF_OK, "password": None},
        {k: v for k, v in STAFF_OK.items() if k != "password"},
    ]


def expect_invalid(response: httpx.Response, what: str) -> None:
    assert response.status_code == 422, f"{what}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert body["code"] == "invalid_input", f"{what}: {body}"


def test_hostile_bodies_are_422_never_500(http: httpx.Client, admin: dict[str, str]) -> None:
    staff_before = http.get("/api/staff", headers=admin).json()
    json_headers = {**admin, "Content-Type": "application/json"}
    for raw in HOSTILE_BODIES:
        what = repr(raw[:40])
        expect_invalid(http.post("/api/staff", headers=json_headers, content=raw), what)
        expect_invalid(
            http.post("/api/auth/login", headers={"Content-Type": "application/json"}, content=raw),
            "login " + what,
        )
        expect_invalid(
            http.put("/api/staff/clerk/roles", headers=json_headers, content=raw), "roles " + what
        )
    for body in hostile_staff_bodies():
        what = repr(body)[:60]
        expect_invalid(http.post("/api/staff", headers=admin, json=body), what)
    for body in (
        {"username": "admin", "password": "p" * 1_000_000},
        {"username": "a" * 100_000, "password": "x"},
        {"username": "admin", "password": "admin1234", "workstation": "w" * 65},
        {"username": ["admin"], "password": "admin1234"},
    ):
        expect_invalid(http.post("/api/auth/login", json=body), "login " + repr(body)[:60])
    # Not JSON at all, sent as text.
    expect_invalid(
        http.post("/api/staff", headers={**admin, "Content-Type": "text/plain"}, content=b"hi"),
        "text/plain",
    )
    assert http.get("/api/staff", headers=admin).json() == staff_before
    assert http.get("/api/health").status_code == 200


def test_hostile_parameters_are_422_never_500(http: httpx.Client, admin: dict[str, str]) -> None:
    for url, params in (
        ("/api/events", {"cursor": "9" * 30}),
        ("/api/events", {"cursor": str(2**63)}),
        ("/api/events", {"cursor": "-1"}),
        ("/api/events", {"cursor": "one"}),
        ("/api/audit", {"limit": "0"}),
        ("/api/audit", {"limit": "9" * 5000}),
        ("/api/audit", {"action": "a" * 1000}),
    ):
        expect_invalid(http.get(url, headers=admin, params=params), f"{url} {params}")
    assert http.get("/api/events", headers=admin, params={"cursor": str(2**63 - 1)}).json() == []
    long_name = "u" * 10_000
    expect_invalid(http.post(f"/api/staff/{long_name}/disable", headers=admin), "long path")
    expect_invalid(
        http.get("/api/auth/me", headers={**admin, "X-Workstation": "w" * 100}), "long header"
    )
    # Odd but well-formed names are simply not found.
    for name in ("%00", "..%2F..%2Fetc", "%E5%91%A8", "a%20b"):
        response = http.post(f"/api/staff/{name}/disable", headers=admin)
        assert response.status_code == 404, f"{name}: {response.text}"


# --- client and hub of different versions ---


def test_client_refuses_a_hub_with_another_schema(hub: HubServer) -> None:
    assert hub.context is not None
    hub.context.schema_revision = "0002_from_another_version"
    client = HubClient(hub.url, "desk-1")
    try:
        with pytest.raises(HubError) as info:
            client.health()
        assert info.value.code == "hub.schema_mismatch"
        assert info.value.params == {
            "hub": "0002_from_another_version",
            "program": SCHEMA_REVISION,
        }
        # Without the check the answer itself is readable, so the UI can show both versions.
        assert client.health(check_schema=False).schema_revision == "0002_from_another_version"
    finally:
        client.close()


def test_client_reports_an_unreachable_hub(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        client = HubClient(f"http://127.0.0.1:{port}", "desk-1", timeout=2)
        try:
            with pytest.raises(HubError) as info:
                client.health()
        finally:
            client.close()
    assert info.value.code == "hub.unreachable"
    assert info.value.unreachable
