"""Barcode scanners that deliver whole codes: serial (RS-232 / USB-CDC) and a simulated one.

Keyboard-wedge scanners are handled by ``wedge.WedgeScanDetector`` instead; no Qt here, so the
UI wraps these with ``counter_app.ui.barcode.ScannerBridge`` to get codes on the GUI thread.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any, Protocol

import serial

from counter_app.domain.errors import DomainError

logger = logging.getLogger(__name__)

CodeCallback = Callable[[str], None]

_FIRST_PRINTABLE = 0x20
_LAST_PRINTABLE = 0x7E
# Short read timeout so the reader thread notices stop() quickly even when the line is idle.
_READ_TIMEOUT_S = 0.1
_JOIN_TIMEOUT_S = 2.0
# A scanner line is a barcode; anything this long without a terminator is noise or a wrong baud.
_MAX_LINE_BYTES = 4096


class ScannerUnavailable(DomainError):
    """The scanner's port could not be opened (unplugged, wrong port, no permission)."""

    code = "device.scanner_unavailable"
    http_status = 503


class Scanner(Protocol):
    """A source of scanned codes. ``on_code`` may be called from any thread."""

    @property
    def name(self) -> str: ...

    def start(self, on_code: CodeCallback) -> None: ...

    def stop(self) -> None: ...


def _is_printable_ascii(data: bytes) -> bool:
    return all(_FIRST_PRINTABLE <= b <= _LAST_PRINTABLE for b in data)


class SerialScanner:
    """Reads terminator-separated codes from a serial port on a daemon thread."""

    def __init__(self, port: str, baudrate: int = 9600, terminator: bytes = b"\r") -> None:
        if not terminator:
            raise ValueError("terminator must not be empty")
        self.port = port
        self.baudrate = baudrate
        self.terminator = terminator
        self.name = f"serial:{port}"
        # Scanners are configured with CR, LF or CRLF suffixes in the field; accept all of them.
        self._separator = re.compile(
            b"|".join(re.escape(t) for t in (terminator, b"\r\n", b"\r", b"\n"))
        )
        self._serial: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether the reader thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_code: CodeCallback) -> None:
        """Open the port and start delivering codes; raises ScannerUnavailable if it can't open."""
        with self._lock:
            if self._thread is not None:
                raise RuntimeError(f"{self.name} is already started")
            try:
                port = serial.serial_for_url(
                    self.port, baudrate=self.baudrate, timeout=_READ_TIMEOUT_S
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise ScannerUnavailable(
                    f"cannot open scanner port {self.port}: {exc}", port=self.port
                ) from exc
            self._serial = port
            # A fresh event per run, so a slow-to-die old thread cannot see the new run's state.
            self._stopping = threading.Event()
            self._thread = threading.Thread(
                target=self._run,
                args=(port, on_code, self._stopping),
                name=f"scanner-{self.port}",
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        """Stop the reader thread and close the port. Safe to call more than once."""
        with self._lock:
            thread, port, stopping = self._thread, self._serial, self._stopping
            self._thread, self._serial = None, None
            if thread is None:
                return
            stopping.set()
            cancel_read = getattr(port, "cancel_read", None)
            if cancel_read is not None:
                cancel_read()
            # stop() called from on_code runs on the reader thread, which cannot join itself.
            if thread is not threading.current_thread():
                thread.join(_JOIN_TIMEOUT_S)
                if thread.is_alive():
                    logger.warning("Scanner thread for %s did not stop in time", self.port)
            port.close()

    def _run(self, port: Any, on_code: CodeCallback, stopping: threading.Event) -> None:
        buffer = b""
        while not stopping.is_set():
            try:
                chunk: bytes = port.read(port.in_waiting or 1)
            except (serial.SerialException, OSError, TypeError) as exc:
                # TypeError/OSError come from pyserial when the port is closed under the read.
                if not stopping.is_set():
                    logger.error("Scanner %s stopped reading: %s", self.port, exc)
                return
            if not chunk:
                continue
            buffer += chunk
            *lines, buffer = self._separator.split(buffer)
            for line in lines:
                if stopping.is_set():
                    return
                self._handle_line(line, on_code)
            if len(buffer) > _MAX_LINE_BYTES:
                logger.warning(
                    "Scanner %s sent %d bytes without a terminator; discarding",
                    self.port,
                    len(buffer),
                )
                buffer = b""

    def _handle_line(self, line: bytes, on_code: CodeCallback) -> None:
        line = line.strip()
        if not line:
            return
        if not _is_printable_ascii(line):
            logger.warning(
                "Ignoring scanner line with non-printable or non-ASCII bytes from %s: %r",
                self.port,
                line[:64],
            )
            return
        try:
            on_code(line.decode("ascii"))
        except Exception:
            # A faulty consumer must not kill the reader; later scans should still arrive.
            logger.exception("Scanner %s code handler failed", self.port)


class FakeScanner:
    """Simulated scanner for the demo and tests: ``scan()`` delivers a code as if scanned."""

    def __init__(self, name: str = "fake") -> None:
        self.name = name
        self._on_code: CodeCallback | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether ``start`` has been called without a matching ``stop``."""
        return self._on_code is not None

    def start(self, on_code: CodeCallback) -> None:
        with self._lock:
            self._on_code = on_code

    def stop(self) -> None:
        with self._lock:
            self._on_code = None

    def scan(self, code: str) -> None:
        """Deliver ``code`` to the callback on the calling thread; dropped if not started."""
        with self._lock:
            on_code = self._on_code
        if on_code is not None:
            on_code(code)
