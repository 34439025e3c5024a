"""The hub's sync process and the hub: it does not outlive the hub (killed with -9, the hub
never tells it to stop, and a worker left running would drain the outbox beside the next
hub's), and when it ends unasked the hub says so and starts another."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter_app.config.basedir import Basedir
from counter_app.hub.server import open_store
from counter_app.sync import process as sync_process
from counter_app.sync.enrolment import Enrolled
from counter_app.sync.process import PROCESS_ENDED, SyncProcess

REPO = Path(__file__).resolve().parents[2]

# A head office that is not there: the worker keeps retrying, its process keeps running.
NOWHERE = "postgresql://nobody:x@127.0.0.1:9/none?connect_timeout=1"
# A stand-in for the hub's process: it opens the store and starts the sync process as the hub
# does, for a head office that is not there (the worker keeps retrying), then waits.
HUB = """
import sys, time
from pathlib import Path
import pytest

from counter_app.config.basedir import Basedir
from counter_app.hub.server import open_store
from counter_app.sync import process as sync_process
from counter_app.sync.enrolment import Enrolled
from counter_app.sync.process import PROCESS_ENDED, SyncProcess
from counter_app.hub.server import open_store
from counter_app.sync.enrolment import Enrolled
from counter_app.sync.process import SyncProcess

if __name__ == "__main__":
    basedir = Basedir(Path(sys.argv[1]))
    store, _ = open_store(basedir)
    link = Enrolled("T1", "{NOWHERE}")
    sync = SyncProcess(store, basedir.database, link, basedir.logs)
    sync.start()
    print(sync._process.pid, flush=True)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
        return state != "Z"
    return True


def test_the_sync_process_stops_when_the_hub_is_killed(
    demo_basedir: Basedir, tmp_path: Path
) -> None:
    script = tmp_path / "hub_stand_in.py"
    script.write_text(HUB.replace("{NOWHERE}", NOWHERE), encoding="utf-8")
    hub = subprocess.Popen(
        [sys.executable, str(script), str(demo_basedir.root)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
    )
    child = 0
    try:
        assert hub.stdout is not None
        child = int(hub.stdout.readline())
        time.sleep(1.0)
        assert _alive(child), "the sync process did not start"
        hub.send_signal(signal.SIGKILL)
        hub.wait(10)
        deadline = time.monotonic() + 15
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the sync process outlived the hub"
    finally:
        hub.kill()
        hub.wait(10)
        if hub.stdout is not None:
            hub.stdout.close()
        if child and _alive(child):
            os.kill(child, signal.SIGKILL)
    log = (demo_basedir.logs / "sync.jsonl").read_text(encoding="utf-8")
    assert "the hub's process is gone" in log


def test_a_sync_process_that_ends_unasked_is_reported_and_started_again(
    demo_basedir: Basedir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_process, "_RESTART_S", 0.5)
    store, _ = open_store(demo_basedir)
    sync = SyncProcess(store, demo_basedir.database, Enrolled("T1", NOWHERE), demo_basedir.logs)
    sync.start()
    try:
        first = sync._process
        assert first is not None
        time.sleep(1.0)
        os.kill(first.pid, signal.SIGKILL)  # as the out-of-memory killer would
        deadline = time.monotonic() + 10
        while sync.status().last_error_code != PROCESS_ENDED and time.monotonic() < deadline:
            time.sleep(0.05)
        ended = sync.status()
        assert (ended.state, ended.last_error_code) == ("offline", PROCESS_ENDED)
        assert ended.last_error == f"exit code {-signal.SIGKILL}"
        while (sync._process is first or not _running(sync)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sync._process is not first
        assert _running(sync), "no new sync process"
    finally:
        sync.stop()
        store.dispose()
    assert sync._process is None


def _running(sync: SyncProcess) -> bool:
    process = sync._process
    return process is not None and process.is_alive()
