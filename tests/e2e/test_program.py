"""The installed program as a subprocess, as a user or a smoke test starts it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

PROGRAM = Path(sys.executable).with_name("counter-app")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PROGRAM), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
        check=False,
    )


def test_program_is_installed() -> None:
    assert PROGRAM.exists(), f"{PROGRAM} missing: is the package installed in the venv?"


def test_quit_after_ready_starts_gui_with_embedded_demo_hub(tmp_path: Path) -> None:
    result = _run("--basedir", str(tmp_path), "--demo", "--quit-after-ready")
    assert result.returncode == 0, result.stderr
    assert "READY startup_ms=" in result.stdout
    log_lines = [
        json.loads(line)
        for line in (tmp_path / "logs" / "counter.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    ready = [entry for entry in log_lines if entry.get("event") == "ready"]
    assert len(ready) == 1
    assert ready[0]["startup_ms"] > 0
    assert (tmp_path / "data" / "branch.sqlite3").exists()
    # A second start on the same folder keeps the data (the morning case) and is ready again.
    again = _run("--basedir", str(tmp_path), "--demo", "--quit-after-ready")
    assert again.returncode == 0, again.stderr


def test_temp_basedir_is_removed_after_exit() -> None:
    result = _run("--temp-basedir", "--demo", "--quit-after-ready")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "counter_app.cli: basedir " in line]
    assert len(lines) == 1, result.stderr
    used = Path(lines[0].split("counter_app.cli: basedir ", 1)[1].strip())
    assert used.name.startswith("counter-app-")
    assert not used.exists(), "a temporary basedir must be removed at exit"


def test_gui_refuses_a_basedir_whose_hub_is_running(tmp_path: Path) -> None:
    port = _free_port()
    hub = subprocess.Popen(
        [str(PROGRAM), "hub", "--basedir", str(tmp_path), "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        _wait_for_health(f"http://127.0.0.1:{port}", hub)
        result = _run("--basedir", str(tmp_path), "--quit-after-ready", timeout=60)
        assert result.returncode == 1
        assert "hub.already_running" in result.stderr or "already" in result.stderr
        # The first hub keeps serving.
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
    finally:
        hub.send_signal(signal.SIGINT)
        try:
            hub.wait(timeout=15)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
        if hub.stdout:
            hub.stdout.close()
        if hub.stderr:
            hub.stderr.close()
    assert hub.returncode in (0, -signal.SIGINT)


def test_counter_points_at_a_separate_hub(tmp_path: Path) -> None:
    port = _free_port()
    hub_dir = tmp_path / "hub"
    hub = subprocess.Popen(
        [str(PROGRAM), "hub", "--basedir", str(hub_dir), "--demo", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    try:
        _wait_for_health(f"http://127.0.0.1:{port}", hub)
        result = _run(
            "--basedir",
            str(tmp_path / "counter"),
            "--hub",
            f"http://127.0.0.1:{port}",
            "--quit-after-ready",
        )
        assert result.returncode == 0, result.stderr
        # The counter never made a database of its own: the hub owns the data.
        assert not (tmp_path / "counter" / "data" / "branch.sqlite3").exists()
    finally:
        hub.terminate()
        hub.wait(timeout=15)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_health(url: str, process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"hub exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("hub did not answer within 30 s")


def test_shutil_available() -> None:
    # pdftoppm and fonts are installed by the README's test command; the font check relies on it.
    assert shutil.which("fc-list") is not None
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=True)
    assert "WenQuanYi" in fonts.stdout, "fonts-wqy-microhei must be installed by `make test`"


def test_real_window_on_an_x_display(tmp_path: Path) -> None:
    """`make run` on a desktop: the xcb platform under Xvfb (its libraries come from make)."""
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run is not None, "xvfb must be installed by `make test`"
    env = _env()
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [xvfb_run, "-a", str(PROGRAM), "--basedir", str(tmp_path), "--demo", "--quit-after-ready"],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "READY startup_ms=" in result.stdout
