"""Thermal ticket printers: serial, raw TCP (port 9100), the OS spooler, and a simulated one.

``open_ticket_printer`` takes the connection string stored with the printer in the branch
database. Where the transport can answer (serial, TCP), the printer's real-time status is asked
before a job is sent (DLE EOT 1 and 4, and 2 when it reports offline), so a job is never half
sent to a printer without paper. No Qt here: the UI calls these from a worker thread.
"""

from __future__ import annotations

import logging
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs

import serial

from counter_app.domain.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_ROLL_PAPER = b"\x10\x04\x04"
# Every DLE EOT answer has bits 1 and 4 set and bits 0 and 7 clear.
_STATUS_FIXED_MASK, _STATUS_FIXED_BITS = 0x93, 0x12
_OFFLINE = 0x08  # DLE EOT 1
_COVER_OPEN = 0x04  # DLE EOT 2
_STOPPED_PAPER_END = 0x20  # DLE EOT 2
_ERROR = 0x40  # DLE EOT 2
_NEAR_END = 0x0C  # DLE EOT 4
_PAPER_END = 0x60  # DLE EOT 4

DEFAULT_BAUD = 19200
DEFAULT_TCP_PORT = 9100
# Bits on the wire per byte with one start and one stop bit.
_BITS_PER_BYTE = 10
# How long to wait for a network printer to close after the job, before closing anyway.
_TCP_LINGER_S = 1.0
_QUEUE_NAME = re.compile(r"^[^\s/#\-][^\s/#]{0,126}$")
_MAX_REASON = 200


class PrinterError(DomainError):
    """The ticket printer reported an error, or a job could not be sent."""

    code = "device.printer_error"
    http_status = 503


class PrinterOffline(PrinterError):
    """The printer cannot be reached or does not answer."""

    code = "device.printer_offline"


class PrinterPaperOut(PrinterError):
    code = "device.printer_paper_out"


class PrinterCoverOpen(PrinterError):
    code = "device.printer_cover_open"


class PrinterConnectionInvalid(InvalidInput):
    """A printer connection string that cannot be understood."""

    code = "device.printer_connection_invalid"


@dataclass(frozen=True)
class PrinterStatus:
    online: bool = True
    paper_ok: bool = True
    paper_near_end: bool = False
    cover_open: bool = False
    error: bool = False  # a mechanical, cutter or head error the printer reported

    @property
    def can_print(self) -> bool:
        return self.online and self.paper_ok and not self.cover_open and not self.error

    def raise_unless_ready(self, printer: str) -> None:
        """Raise the error that stops printing, most specific first."""
        if self.cover_open:
            raise PrinterCoverOpen(f"{printer}: cover open", printer=printer)
        if not self.paper_ok:
            raise PrinterPaperOut(f"{printer}: out of paper", printer=printer)
        if self.error:
            reason = "the printer reports an error"
            raise PrinterError(f"{printer}: {reason}", printer=printer, reason=reason)
        if not self.online:
            reason = "the printer reports it is offline"
            raise PrinterOffline(f"{printer}: {reason}", printer=printer, reason=reason)


def parse_status(printer: int, roll_paper: int, offline_cause: int | None = None) -> PrinterStatus:
    """The answers to DLE EOT 1, DLE EOT 4 and (when offline) DLE EOT 2 as one status."""
    cause = offline_cause or 0
    return PrinterStatus(
        online=not printer & _OFFLINE,
        paper_ok=not (roll_paper & _PAPER_END or cause & _STOPPED_PAPER_END),
        paper_near_end=bool(roll_paper & _NEAR_END),
        cover_open=bool(cause & _COVER_OPEN),
        error=bool(cause & _ERROR),
    )


def _offline(printer: str, reason: str) -> PrinterOffline:
    reason = reason.strip()[:_MAX_REASON] or "no reason given"
    return PrinterOffline(f"{printer}: {reason}", printer=printer, reason=reason)


def query_status(printer: str, exchange: Callable[[bytes], int | None]) -> PrinterStatus:
    """Ask the real-time status; ``exchange`` sends a request and returns the answer byte."""

    def ask(request: bytes) -> int:
        answer = exchange(request)
        if answer is None:
            raise _offline(printer, "no answer to the status request")
        if answer & _STATUS_FIXED_MASK != _STATUS_FIXED_BITS:
            raise _offline(printer, f"unexpected status answer 0x{answer:02x} (wrong speed?)")
        return answer

    first = ask(DLE_EOT_PRINTER)
    roll = ask(DLE_EOT_ROLL_PAPER)
    cause = ask(DLE_EOT_OFFLINE_CAUSE) if first & _OFFLINE else None
    return parse_status(first, roll, cause)


def _send_seconds(size: int, baudrate: int, timeout: float) -> float:
    # Twice the wire time, for flow-control pauses while the printer prints.
    return timeout + 2 * size * _BITS_PER_BYTE / baudrate


class TicketPrinter(Protocol):
    name: str

    def status(self) -> PrinterStatus: ...

    def print_job(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class SerialTicketPrinter:
    """A printer on a serial port (RS-232 or USB-serial); the port is opened for each call."""

    def __init__(
        self,
        port: str,
        baudrate: int = DEFAULT_BAUD,
        timeout: float = 3.0,
        *,
        rtscts: bool = False,
        dsrdtr: bool = False,
        ask_status: bool = True,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self.rtscts = rtscts
        self.dsrdtr = dsrdtr
        self.ask_status = ask_status
        self.name = f"serial:{port}"
        self._lock = threading.Lock()

    def _open(self) -> Any:
        try:
            return serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                timeout=self.timeout,
                write_timeout=self.timeout,
                rtscts=self.rtscts,
                dsrdtr=self.dsrdtr,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise _offline(self.name, f"cannot open {self.port}: {exc}") from exc

    def _status(self, port: Any) -> PrinterStatus:
        if not self.ask_status:
            return PrinterStatus()

        def exchange(request: bytes) -> int | None:
            port.write(request)
            answer: bytes = port.read(1)
            return answer[0] if answer else None

        port.reset_input_buffer()
        return query_status(self.name, exchange)

    def status(self) -> PrinterStatus:
        with self._lock:
            port = self._open()
            try:
                return self._status(port)
            except (serial.SerialException, OSError) as exc:
                raise _offline(self.name, str(exc)) from exc
            finally:
                port.close()

    def print_job(self, data: bytes) -> None:
        with self._lock:
            port = self._open()
            try:
                self._status(port).raise_unless_ready(self.name)
                port.write_timeout = _send_seconds(len(data), self.baudrate, self.timeout)
                port.write(data)
                port.flush()
            except serial.SerialTimeoutException as exc:
                raise _offline(self.name, "the printer stopped taking data") from exc
            except (serial.SerialException, OSError) as exc:
                raise _offline(self.name, str(exc)) from exc
            finally:
                port.close()
        logger.info("Printed %d bytes on %s", len(data), self.name)

    def close(self) -> None:
        """Nothing stays open between calls."""


class NetworkTicketPrinter:
    """A printer on a raw TCP port (9100); one connection for each call."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_TCP_PORT,
        timeout: float = 3.0,
        *,
        ask_status: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.ask_status = ask_status
        shown = f"[{host}]" if ":" in host else host
        self.name = f"tcp:{shown}:{port}"
        self._lock = threading.Lock()

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise _offline(self.name, f"cannot connect: {exc}") from exc

    def _status(self, sock: socket.socket) -> PrinterStatus:
        if not self.ask_status:
            return PrinterStatus()

        def exchange(request: bytes) -> int | None:
            sock.sendall(request)
            try:
                answer = sock.recv(1)
            except TimeoutError:
                return None
            if not answer:
                raise _offline(self.name, "the printer closed the connection")
            return answer[0]

        return query_status(self.name, exchange)

    def status(self) -> PrinterStatus:
        with self._lock, self._connect() as sock:
            try:
                return self._status(sock)
            except OSError as exc:
                raise _offline(self.name, str(exc)) from exc

    def print_job(self, data: bytes) -> None:
        with self._lock, self._connect() as sock:
            try:
                self._status(sock).raise_unless_ready(self.name)
                # 100 Mbit/s is not the limit; the printer's buffer and flow control are.
                sock.settimeout(_send_seconds(len(data), 115200, self.timeout))
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
                self._drain(sock)
            except TimeoutError as exc:
                raise _offline(self.name, "the printer stopped taking data") from exc
            except OSError as exc:
                raise _offline(self.name, str(exc)) from exc
        logger.info("Printed %d bytes on %s", len(data), self.name)

    @staticmethod
    def _drain(sock: socket.socket) -> None:
        # Closing with unread bytes sends a reset, which can drop the job's tail at the printer.
        sock.settimeout(_TCP_LINGER_S)
        try:
            while sock.recv(4096):
                pass
        except TimeoutError:
            pass

    def close(self) -> None:
        """Nothing stays open between calls."""


class SpoolTicketPrinter:
    """A printer behind the OS spooler, sent raw bytes with ``lp -d QUEUE -o raw``.

    The spooler cannot report paper or cover; a stopped queue shows only as a failed ``lp``.
    """

    def __init__(self, queue: str, timeout: float = 3.0) -> None:
        self.queue = queue
        self.timeout = timeout
        self.name = f"spool:{queue}"

    def _lp(self) -> str:
        lp = shutil.which("lp")
        if lp is None:
            raise _offline(self.name, "the lp command is not installed")
        return lp

    def status(self) -> PrinterStatus:
        self._lp()
        return PrinterStatus()

    def print_job(self, data: bytes) -> None:
        command = [self._lp(), "-d", self.queue, "-o", "raw"]
        try:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=self.timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise _offline(self.name, f"lp did not finish within {self.timeout:g} s") from exc
        except OSError as exc:
            raise _offline(self.name, f"cannot run lp: {exc}") from exc
        if done.returncode != 0:
            message = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
            raise _offline(self.name, f"lp failed: {message}")
        logger.info(
            "Spooled %d bytes to %s: %s",
            len(data),
            self.queue,
            done.stdout.decode(errors="replace").strip(),
        )

    def close(self) -> None:
        """Nothing stays open between calls."""


class FakeTicketPrinter:
    """Simulated printer for the demo and tests: keeps every job; faults can be switched on."""

    def __init__(self, name: str = "fake:") -> None:
        self.name = name
        self.jobs: list[bytes] = []
        self.offline = False
        self.paper_out = False
        self.paper_near_end = False
        self.cover_open = False
        self._lock = threading.Lock()

    def status(self) -> PrinterStatus:
        if self.offline:
            raise _offline(self.name, "simulated: switched off")
        return PrinterStatus(
            online=not self.cover_open,
            paper_ok=not self.paper_out,
            paper_near_end=self.paper_near_end,
            cover_open=self.cover_open,
        )

    def print_job(self, data: bytes) -> None:
        self.status().raise_unless_ready(self.name)
        with self._lock:
            self.jobs.append(bytes(data))

    @property
    def last_job(self) -> bytes | None:
        with self._lock:
            return self.jobs[-1] if self.jobs else None

    def reset(self) -> None:
        """Forget the jobs and clear every fault."""
        with self._lock:
            self.jobs.clear()
            self.offline = self.paper_out = self.paper_near_end = self.cover_open = False

    def close(self) -> None:
        """The simulated printer is shared and stays as it is."""


_FAKES: dict[str, FakeTicketPrinter] = {}
_FAKES_LOCK = threading.Lock()


def fake_ticket_printer(connection: str = "fake:") -> FakeTicketPrinter:
    """The process's one simulated printer for ``connection``, so a menu can flip its faults."""
    with _FAKES_LOCK:
        printer = _FAKES.get(connection)
        if printer is None:
            printer = _FAKES[connection] = FakeTicketPrinter(connection)
        return printer


def _invalid(connection: str, reason: str) -> PrinterConnectionInvalid:
    return PrinterConnectionInvalid(
        f"bad printer connection {connection!r}: {reason}", connection=connection, reason=reason
    )


def _options(connection: str, query: str, allowed: set[str]) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise _invalid(connection, f"bad options {query!r}") from exc
    unknown = sorted(set(parsed) - allowed)
    if unknown:
        raise _invalid(connection, f"unknown option {', '.join(unknown)}")
    repeated = sorted(k for k, v in parsed.items() if len(v) > 1)
    if repeated:
        raise _invalid(connection, f"option given twice: {', '.join(repeated)}")
    return {key: values[0] for key, values in parsed.items()}


def _flag(connection: str, options: dict[str, str], key: str, default: bool) -> bool:
    value = options.get(key)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise _invalid(connection, f"{key} must be 0 or 1, not {value!r}")


def _number(connection: str, text: str, what: str, low: int, high: int) -> int:
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise _invalid(connection, f"{what} must be a number from {low} to {high}")
    return int(text)


def _open_serial(connection: str, rest: str, timeout: float) -> SerialTicketPrinter:
    path, _, query = rest.partition("?")
    if not path.strip():
        raise _invalid(connection, "no serial port")
    options = _options(connection, query, {"baud", "rtscts", "dsrdtr", "status"})
    baud = _number(connection, options.get("baud", str(DEFAULT_BAUD)), "baud", 1200, 4_000_000)
    return SerialTicketPrinter(
        path,
        baud,
        timeout,
        rtscts=_flag(connection, options, "rtscts", False),
        dsrdtr=_flag(connection, options, "dsrdtr", False),
        ask_status=_flag(connection, options, "status", True),
    )


def _open_tcp(connection: str, rest: str, timeout: float) -> NetworkTicketPrinter:
    address, _, query = rest.partition("?")
    options = _options(connection, query, {"status"})
    bracketed = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(.*))?", address)
    if bracketed:
        host, port_text = bracketed.group(1), bracketed.group(2)
    else:
        host, colon, port_text_or_empty = address.partition(":")
        port_text = port_text_or_empty if colon else None
    if not host or not re.fullmatch(r"[A-Za-z0-9.\-_:]+", host):
        raise _invalid(connection, "no valid host name or address")
    port = (
        DEFAULT_TCP_PORT if port_text is None else _number(connection, port_text, "port", 1, 65535)
    )
    return NetworkTicketPrinter(
        host, port, timeout, ask_status=_flag(connection, options, "status", True)
    )


def open_ticket_printer(connection: str, timeout: float = 3.0) -> TicketPrinter:
    """The printer for a connection string: ``fake:``, ``serial:/dev/ttyUSB0?baud=19200``,
    ``tcp:192.168.1.50:9100`` or ``spool:QUEUE``. Raises PrinterConnectionInvalid."""
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    scheme, colon, rest = connection.strip().partition(":")
    if not colon:
        raise _invalid(connection, "expected fake:, serial:, tcp: or spool:")
    scheme = scheme.lower()
    if scheme == "fake":
        return fake_ticket_printer(f"fake:{rest}")
    if scheme == "serial":
        return _open_serial(connection, rest, timeout)
    if scheme == "tcp":
        return _open_tcp(connection, rest, timeout)
    if scheme == "spool":
        if not _QUEUE_NAME.fullmatch(rest):
            raise _invalid(connection, "not a print queue name")
        return SpoolTicketPrinter(rest, timeout)
    raise _invalid(connection, f"unknown kind {scheme!r}")
