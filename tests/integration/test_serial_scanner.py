from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.devices.scanner import FakeScanner, ScannerUnavailable, SerialScanner

WAIT_S = 5.0


class Collector:
    """Thread-safe sink for scanner callbacks."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def __call__(self, code: str) -> None:
        with self._lock:
            self.codes.append(code)
            self.threads.append(threading.current_thread())

    def wait_for(self, count: int, timeout: float = WAIT_S) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.codes) >= count:
                    return list(self.codes)
            time.sleep(0.01)
        with self._lock:
            return list(self.codes)


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    try:
        yield master, os.ttyname(slave)
    finally:
        os.close(slave)
        os.close(master)


@pytest.fixture
def collector() -> Collector:
    return Collector()


def start_scanner(port: str, collector: Collector, **kwargs: bytes) -> SerialScanner:
    scanner = SerialScanner(port, **kwargs)  # type: ignore[arg-type]
    scanner.start(collector)
    return scanner


def test_reads_codes_and_skips_garbage_lines(
    pty_pair: tuple[int, str], collector: Collector, caplog: pytest.LogCaptureFixture
) -> None:
    master, port = pty_pair
    scanner = start_scanner(port, collector)
    try:
        os.write(master, b"CLM2026000123\r")
        os.write(master, b"BAD\x00\xff\x1bLINE\r")
        os.write(master, b"\r\r   \r")
        os.write(master, b"  POL-88 \r")
        codes = collector.wait_for(2)
        # Give any wrongly-accepted garbage a moment to show up before asserting on the list.
        time.sleep(0.2)
    finally:
        scanner.stop()
    assert collector.codes == ["CLM2026000123", "POL-88"]
    assert codes == ["CLM2026000123", "POL-88"]
    assert all(t is not threading.main_thread() for t in collector.threads)
    assert any("non-printable" in r.getMessage() for r in caplog.records)
    assert not scanner.running


def test_accepts_lf_and_crlf_and_split_reads(
    pty_pair: tuple[int, str], collector: Collector
) -> None:
    master, port = pty_pair
    scanner = start_scanner(port, collector)
    try:
        os.write(master, b"AAAA1111\n")
        os.write(master, b"BBBB")
        time.sleep(0.2)
        os.write(master, b"2222\r\n")
        os.write(master, b"CCCC3333\r")
        collector.wait_for(3)
    finally:
        scanner.stop()
    assert collector.codes == ["AAAA1111", "BBBB2222", "CCCC3333"]


def test_custom_terminator(pty_pair: tuple[int, str], collector: Collector) -> None:
    master, port = pty_pair
    scanner = start_scanner(port, collector, terminator=b"\x03")
    try:
        os.write(master, b"ETX0001\x03ETX0002\x03")
        collector.wait_for(2)
    finally:
        scanner.stop()
    assert collector.codes == ["ETX0001", "ETX0002"]


def test_failing_callback_does_not_kill_the_reader(
    pty_pair: tuple[int, str], caplog: pytest.LogCaptureFixture
) -> None:
    master, port = pty_pair
    received: list[str] = []

    def on_code(code: str) -> None:
        received.append(code)
        if code == "BOOM0001":
            raise RuntimeError("handler bug")

    scanner = SerialScanner(port)
    scanner.start(on_code)
    try:
        os.write(master, b"BOOM0001\rOKAY0002\r")
        deadline = time.monotonic() + WAIT_S
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        scanner.stop()
    assert received == ["BOOM0001", "OKAY0002"]
    assert any("handler failed" in r.getMessage() for r in caplog.records)


def test_stop_is_idempotent_and_closes_thread(pty_pair: tuple[int, str]) -> None:
    _, port = pty_pair
    scanner = SerialScanner(port)
    scanner.start(lambda code: None)
    assert scanner.running
    before = time.monotonic()
    scanner.stop()
    scanner.stop()
    assert time.monotonic() - before < 2.0
    assert not scanner.running
    assert not [t for t in threading.enumerate() if t.name == f"scanner-{port}"]


def test_start_twice_is_rejected(pty_pair: tuple[int, str]) -> None:
    _, port = pty_pair
    scanner = SerialScanner(port)
    scanner.start(lambda code: None)
    try:
        with pytest.raises(RuntimeError, match="already started"):
            scanner.start(lambda code: None)
    finally:
        scanner.stop()


def test_missing_port_raises_scanner_unavailable(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-tty")
    scanner = SerialScanner(missing)
    with pytest.raises(ScannerUnavailable) as info:
        scanner.start(lambda code: None)
    assert info.value.code == "device.scanner_unavailable"
    assert info.value.params == {"port": missing}
    assert not scanner.running
    scanner.stop()


def test_fake_scanner_delivers_only_while_started() -> None:
    fake = FakeScanner()
    got: list[str] = []
    fake.scan("LOST0000")
    fake.start(got.append)
    fake.scan("CLM2026000123")
    fake.stop()
    fake.scan("LOST0001")
    assert got == ["CLM2026000123"]
    assert fake.name == "fake"
