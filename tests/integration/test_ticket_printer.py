"""Ticket printer transports against stand-ins that speak the printer's side of the wire.

Serial: a pty, with a fake printer thread on the master side and the real SerialTicketPrinter on
the slave. TCP: a real loopback server. Spool: a fake ``lp`` script first on PATH. Each fake
printer answers DLE EOT status requests as configured (ready, paper out, cover open, silent)
and records the job bytes that follow them.
"""

from __future__ import annotations

import os
import select
import socket
import stat
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counter_app.devices.ticket_printer import (
    FakeTicketPrinter,
    NetworkTicketPrinter,
    PrinterConnectionInvalid,
    PrinterCoverOpen,
    PrinterError,
    PrinterOffline,
    PrinterPaperOut,
    PrinterStatus,
    SerialTicketPrinter,
    SpoolTicketPrinter,
    fake_ticket_printer,
    open_ticket_printer,
    parse_status,
)
from counter_app.printing.escpos_preview import decode
from counter_app.printing.profiles import load_ticket_profile
from counter_app.printing.ticket import TicketSlip, render_ticket
from counter_app.ui.messages import ERRORS, Messages

WAIT_S = 5.0
TIMEOUT_S = 0.5

# DLE EOT answers (n -> byte). Fixed bits 0x12; 0x08 offline in n=1; n=2: 0x04 cover open,
# 0x20 stopped by paper end; n=4: 0x0C paper near end, 0x60 paper end.
READY = {1: 0x16, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1E, 2: 0x32, 4: 0x72}
COVER_OPEN = {1: 0x1E, 2: 0x16, 4: 0x12}
NEAR_END = {1: 0x16, 2: 0x12, 4: 0x1E}
SILENT: dict[int, int] = {}


@pytest.fixture(scope="module")
def job() -> bytes:
    slip = TicketSlip(
        branch_name="演示分公司客服中心",
        service_name="出单/批改",
        number="A023",
        people_ahead=3,
        estimated_wait_minutes=9,
        issued_at=datetime(2026, 5, 12, 1, 30, tzinfo=UTC),
        ticket_id="0196c3a2-7b1e-7c3d-9f00-1234567890ab",
        priority_label=None,
        notice="请留意叫号，过号请到前台重新取号",
    )
    return render_ticket(slip, load_ticket_profile("ticket-80mm"), ZoneInfo("Asia/Shanghai"))


class PrinterSide:
    """The printer's end of the wire: answers status requests, then records the job."""

    def __init__(self, answers: dict[int, int]) -> None:
        self.answers = answers
        self.requests: list[int] = []
        self.job = bytearray()
        self._pending = b""
        self._in_job = False
        self._lock = threading.Lock()

    def feed(self, chunk: bytes) -> bytes:
        """Take bytes from the host; returns the bytes to answer with."""
        reply = b""
        with self._lock:
            data = self._pending + chunk
            self._pending = b""
            while data and not self._in_job:
                if data[:2] != b"\x10\x04"[: len(data[:2])]:
                    self._in_job = True
                    break
                if len(data) < 3:
                    self._pending = data
                    return reply
                n = data[2]
                self.requests.append(n)
                if n in self.answers:
                    reply += bytes([self.answers[n]])
                data = data[3:]
            if self._in_job:
                self.job += data
        return reply

    def next_connection(self) -> None:
        with self._lock:
            self._in_job = False

    def wait_for_job(self, size: int) -> bytes:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.job) >= size:
                    break
            time.sleep(0.01)
        with self._lock:
            return bytes(self.job)


class PtyPrinter:
    """A fake serial printer on the master side of a pty."""

    def __init__(self, answers: dict[int, int]) -> None:
        self.side = PrinterSide(answers)
        self.master, self._slave = os.openpty()
        self.port = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pty-printer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                return
            reply = self.side.feed(chunk)
            if reply:
                os.write(self.master, reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT_S)
        os.close(self._slave)
        os.close(self.master)


class TcpPrinter:
    """A fake network printer on 127.0.0.1: one connection at a time, like a raw port 9100."""

    def __init__(self, answers: dict[int, int]) -> None:
        self.side = PrinterSide(answers)
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tcp-printer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            self.side.next_connection()
            with conn:
                conn.settimeout(WAIT_S)
                while True:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    reply = self.side.feed(chunk)
                    if reply:
                        conn.sendall(reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT_S)
        self._server.close()


@pytest.fixture
def pty_printer(request: pytest.FixtureRequest) -> Iterator[PtyPrinter]:
    printer = PtyPrinter(request.param)
    yield printer
    printer.close()


@pytest.fixture
def tcp_printer(request: pytest.FixtureRequest) -> Iterator[TcpPrinter]:
    printer = TcpPrinter(request.param)
    yield printer
    printer.close()


@pytest.fixture
def shared_fake() -> Iterator[FakeTicketPrinter]:
    printer = fake_ticket_printer("fake:")
    printer.reset()
    yield printer
    printer.reset()


def message_for(error: PrinterError) -> str:
    text = Messages().error_text(error.code, error.params, error.detail)
    assert "{" not in text, text
    return text


# --- serial through a pty ---


@pytest.mark.parametrize("pty_printer", [READY], indirect=True)
def test_serial_prints_the_exact_job_after_asking_status(
    pty_printer: PtyPrinter, job: bytes
) -> None:
    printer = open_ticket_printer(f"serial:{pty_printer.port}?baud=115200", timeout=TIMEOUT_S)
    assert isinstance(printer, SerialTicketPrinter)
    assert printer.status() == PrinterStatus()
    pty_printer.side.next_connection()
    printer.print_job(job)
    printer.close()
    received = pty_printer.side.wait_for_job(len(job))
    assert received == job
    assert pty_printer.side.requests == [1, 4, 1, 4]
    assert decode(received).qr_payloads == ["0196c3a2-7b1e-7c3d-9f00-1234567890ab"]


@pytest.mark.parametrize("pty_printer", [PAPER_OUT], indirect=True)
def test_serial_paper_out_sends_nothing(pty_printer: PtyPrinter, job: bytes) -> None:
    printer = SerialTicketPrinter(pty_printer.port, timeout=TIMEOUT_S)
    status = printer.status()
    assert not status.paper_ok
    assert not status.online
    assert not status.cover_open
    with pytest.raises(PrinterPaperOut) as info:
        printer.print_job(job)
    assert info.value.code == "device.printer_paper_out"
    assert info.value.http_status == 503
    assert "out of paper" in message_for(info.value)
    time.sleep(0.2)
    assert pty_printer.side.job == b""
    assert pty_printer.side.requests == [1, 4, 2, 1, 4, 2]


@pytest.mark.parametrize("pty_printer", [COVER_OPEN], indirect=True)
def test_serial_cover_open(pty_printer: PtyPrinter, job: bytes) -> None:
    printer = SerialTicketPrinter(pty_printer.port, timeout=TIMEOUT_S)
    assert printer.status().cover_open
    with pytest.raises(PrinterCoverOpen):
        printer.print_job(job)
    time.sleep(0.2)
    assert pty_printer.side.job == b""


@pytest.mark.parametrize("pty_printer", [NEAR_END], indirect=True)
def test_serial_paper_near_end_still_prints(pty_printer: PtyPrinter, job: bytes) -> None:
    printer = SerialTicketPrinter(pty_printer.port, timeout=TIMEOUT_S)
    status = printer.status()
    assert status.paper_near_end
    assert status.paper_ok
    assert status.can_print
    pty_printer.side.next_connection()
    printer.print_job(job)
    assert pty_printer.side.wait_for_job(len(job)) == job


@pytest.mark.parametrize("pty_printer", [SILENT], indirect=True)
def test_serial_silence_is_offline_within_the_timeout(pty_printer: PtyPrinter, job: bytes) -> None:
    printer = SerialTicketPrinter(pty_printer.port, timeout=TIMEOUT_S)
    started = time.monotonic()
    with pytest.raises(PrinterOffline) as info:
        printer.print_job(job)
    elapsed = time.monotonic() - started
    assert TIMEOUT_S * 0.8 <= elapsed < TIMEOUT_S + 1.0
    assert info.value.params["reason"] == "no answer to the status request"
    assert "cannot be reached" in message_for(info.value)
    time.sleep(0.2)
    assert pty_printer.side.requests == [1]
    assert pty_printer.side.job == b""


@pytest.mark.parametrize("pty_printer", [{1: 0xFF, 4: 0xFF}], indirect=True)
def test_serial_garbage_answer_is_offline(pty_printer: PtyPrinter) -> None:
    printer = SerialTicketPrinter(pty_printer.port, timeout=TIMEOUT_S)
    with pytest.raises(PrinterOffline, match="unexpected status answer 0xff"):
        printer.status()


def test_serial_missing_port_is_offline(tmp_path: Path, job: bytes) -> None:
    printer = open_ticket_printer(f"serial:{tmp_path / 'ttyUSB9'}", timeout=TIMEOUT_S)
    with pytest.raises(PrinterOffline, match="cannot open"):
        printer.print_job(job)


# --- raw TCP on loopback ---


@pytest.mark.parametrize("tcp_printer", [READY], indirect=True)
def test_tcp_prints_the_exact_job(tcp_printer: TcpPrinter, job: bytes) -> None:
    printer = open_ticket_printer(f"tcp:127.0.0.1:{tcp_printer.port}", timeout=TIMEOUT_S)
    assert isinstance(printer, NetworkTicketPrinter)
    assert printer.status() == PrinterStatus()
    printer.print_job(job)
    assert tcp_printer.side.wait_for_job(len(job)) == job
    assert tcp_printer.side.requests == [1, 4, 1, 4]
    assert tcp_printer.connections == 2


@pytest.mark.parametrize("tcp_printer", [PAPER_OUT], indirect=True)
def test_tcp_paper_out_sends_nothing(tcp_printer: TcpPrinter, job: bytes) -> None:
    printer = NetworkTicketPrinter("127.0.0.1", tcp_printer.port, timeout=TIMEOUT_S)
    with pytest.raises(PrinterPaperOut):
        printer.print_job(job)
    time.sleep(0.2)
    assert tcp_printer.side.job == b""
    assert tcp_printer.side.requests == [1, 4, 2]


@pytest.mark.parametrize("tcp_printer", [SILENT], indirect=True)
def test_tcp_silence_is_offline_within_the_timeout(tcp_printer: TcpPrinter, job: bytes) -> None:
    printer = NetworkTicketPrinter("127.0.0.1", tcp_printer.port, timeout=TIMEOUT_S)
    started = time.monotonic()
    with pytest.raises(PrinterOffline, match="no answer"):
        printer.print_job(job)
    assert time.monotonic() - started < TIMEOUT_S + 1.0
    time.sleep(0.2)
    assert tcp_printer.side.job == b""


@pytest.mark.parametrize("tcp_printer", [SILENT], indirect=True)
def test_tcp_without_status_just_sends(tcp_printer: TcpPrinter, job: bytes) -> None:
    printer = open_ticket_printer(f"tcp:127.0.0.1:{tcp_printer.port}?status=0", timeout=TIMEOUT_S)
    printer.print_job(job)
    assert tcp_printer.side.wait_for_job(len(job)) == job
    assert tcp_printer.side.requests == []


def test_tcp_refused_is_offline_quickly(job: bytes) -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        port = placeholder.getsockname()[1]
    printer = open_ticket_printer(f"tcp:127.0.0.1:{port}", timeout=TIMEOUT_S)
    started = time.monotonic()
    with pytest.raises(PrinterOffline, match="cannot connect") as info:
        printer.print_job(job)
    assert time.monotonic() - started < TIMEOUT_S
    assert info.value.params["printer"] == f"tcp:127.0.0.1:{port}"
    with pytest.raises(PrinterOffline):
        printer.status()


# --- the OS spooler, with a fake lp ---


def fake_lp(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "lp"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_spool_hands_the_job_to_lp_raw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: bytes
) -> None:
    out = tmp_path / "out"
    bin_dir = tmp_path / "bin"
    fake_lp(
        bin_dir,
        f'printf "%s\\n" "$@" > "{out}.args"\ncat > "{out}.bin"\necho "request id is TICKET-7"\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    printer = open_ticket_printer("spool:TICKET_Front-1", timeout=WAIT_S)
    assert isinstance(printer, SpoolTicketPrinter)
    assert printer.status() == PrinterStatus()
    printer.print_job(job)
    assert Path(f"{out}.bin").read_bytes() == job
    assert Path(f"{out}.args").read_text().split() == ["-d", "TICKET_Front-1", "-o", "raw"]


def test_spool_lp_failure_is_offline_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: bytes
) -> None:
    fake_lp(
        tmp_path, 'cat > /dev/null\necho "lp: The printer or class does not exist." >&2\nexit 1\n'
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PrinterOffline) as info:
        open_ticket_printer("spool:NOPE", timeout=WAIT_S).print_job(job)
    assert info.value.params == {
        "printer": "spool:NOPE",
        "reason": "lp failed: lp: The printer or class does not exist.",
    }
    assert "does not exist" in message_for(info.value)


def test_spool_hanging_lp_times_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: bytes
) -> None:
    fake_lp(tmp_path, "exec sleep 10\n")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    with pytest.raises(PrinterOffline, match="did not finish"):
        open_ticket_printer("spool:SLOW", timeout=TIMEOUT_S).print_job(job)
    assert time.monotonic() - started < TIMEOUT_S + 2.0


def test_spool_without_lp_is_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: bytes
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    printer = open_ticket_printer("spool:TICKET")
    with pytest.raises(PrinterOffline, match="not installed"):
        printer.status()
    with pytest.raises(PrinterOffline, match="not installed"):
        printer.print_job(job)


# --- the simulated printer ---


def test_fake_is_one_shared_printer_per_connection(shared_fake: FakeTicketPrinter) -> None:
    assert open_ticket_printer("fake:") is shared_fake
    assert open_ticket_printer("fake:") is open_ticket_printer(" fake:")
    other = open_ticket_printer("fake:window-2")
    assert other is not shared_fake
    assert other.name == "fake:window-2"


def test_fake_keeps_jobs_and_simulates_faults(shared_fake: FakeTicketPrinter, job: bytes) -> None:
    printer = open_ticket_printer("fake:")
    printer.print_job(job)
    assert shared_fake.jobs == [job]

    shared_fake.paper_out = True
    with pytest.raises(PrinterPaperOut):
        printer.print_job(b"second")
    shared_fake.paper_out = False
    shared_fake.cover_open = True
    assert printer.status() == PrinterStatus(online=False, cover_open=True)
    with pytest.raises(PrinterCoverOpen):
        printer.print_job(b"second")
    shared_fake.cover_open = False
    shared_fake.offline = True
    with pytest.raises(PrinterOffline):
        printer.status()
    with pytest.raises(PrinterOffline):
        printer.print_job(b"second")
    assert shared_fake.jobs == [job]

    shared_fake.offline = False
    shared_fake.paper_near_end = True
    assert printer.status().paper_near_end
    printer.print_job(b"second")
    printer.close()
    assert shared_fake.last_job == b"second"
    shared_fake.reset()
    assert shared_fake.jobs == []
    assert not shared_fake.paper_near_end


# --- connection strings and status bytes ---


@pytest.mark.parametrize(
    "connection",
    [
        "",
        "nonsense",
        "usb:0416:5011",
        "serial:",
        "serial:/dev/ttyUSB0?baud=fast",
        "serial:/dev/ttyUSB0?baud=300",
        "serial:/dev/ttyUSB0?speed=9600",
        "serial:/dev/ttyUSB0?baud=9600&baud=19200",
        "serial:/dev/ttyUSB0?rtscts=maybe",
        "tcp:",
        "tcp::9100",
        "tcp:printer:99999",
        "tcp:printer:port",
        "tcp:bad host:9100",
        "tcp:[::1",
        "tcp:10.0.0.5:9100?timeout=3",
        "spool:",
        "spool:two words",
        "spool:a/b",
        "spool:-o",
    ],
)
def test_bad_connection_strings_are_refused(connection: str) -> None:
    with pytest.raises(PrinterConnectionInvalid) as info:
        open_ticket_printer(connection)
    assert info.value.code == "device.printer_connection_invalid"
    assert info.value.params["connection"] == connection
    assert info.value.http_status == 422


def test_good_connection_strings() -> None:
    serial_printer = open_ticket_printer("serial:/dev/ttyUSB0?baud=19200&rtscts=1")
    assert isinstance(serial_printer, SerialTicketPrinter)
    assert (serial_printer.port, serial_printer.baudrate, serial_printer.rtscts) == (
        "/dev/ttyUSB0",
        19200,
        True,
    )
    assert open_ticket_printer("serial:COM3").name == "serial:COM3"
    # Constructing a network printer does not connect; nothing is sent to these addresses.
    tcp = open_ticket_printer("tcp:192.168.1.50:9100", timeout=2.0)
    assert isinstance(tcp, NetworkTicketPrinter)
    assert (tcp.host, tcp.port, tcp.timeout) == ("192.168.1.50", 9100, 2.0)
    assert open_ticket_printer("tcp:printer.branch.local").name == "tcp:printer.branch.local:9100"
    assert open_ticket_printer("tcp:[::1]:9101").name == "tcp:[::1]:9101"
    spool = open_ticket_printer("spool:TICKET")
    assert isinstance(spool, SpoolTicketPrinter)
    assert spool.queue == "TICKET"


def test_status_bytes() -> None:
    assert parse_status(0x16, 0x12) == PrinterStatus()
    assert parse_status(0x16, 0x1E).paper_near_end
    paper_out = parse_status(0x1E, 0x72, 0x32)
    assert not paper_out.paper_ok
    assert not paper_out.can_print
    assert parse_status(0x1E, 0x12, 0x16).cover_open
    broken = parse_status(0x1E, 0x12, 0x52)
    assert broken.error
    with pytest.raises(PrinterError) as info:
        broken.raise_unless_ready("serial:/dev/ttyS0")
    assert type(info.value) is PrinterError
    assert info.value.code == "device.printer_error"
    assert "reported an error" in message_for(info.value)


def test_every_printer_error_has_words() -> None:
    for code in (
        "device.printer_offline",
        "device.printer_paper_out",
        "device.printer_cover_open",
        "device.printer_error",
        "device.printer_connection_invalid",
        "printing.profile_invalid",
    ):
        assert code in ERRORS
    for code in ("device.printer_offline", "device.printer_paper_out"):
        assert "Reprint" in ERRORS[code]
