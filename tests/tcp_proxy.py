"""A loopback TCP forwarder whose link a test can cut, for the replication fault suite.

    with TcpProxy(("127.0.0.1", postgres.port), lifetime=30) as proxy:
        ...  # point the client at 127.0.0.1:proxy.port
        proxy.cut_after(64 * 1024)  # the link dies once that much more has gone upstream
        ...
        proxy.restore()

It listens on 127.0.0.1 only, on a free port. ``cut()`` closes every connection at once, as a
failing WAN link does to an open TCP session, and refuses new ones (accepted and closed at
once) until ``restore()``. ``black_hole()`` is the link that dies silently: nothing is closed,
and from then on every segment either way (data, ACKs, keepalive probes) and every new
connection's SYN is dropped unanswered, so only the endpoints' own timeouts end it; the
connections it caught stay dead after ``restore()``, which answers new ones again. It drops in
the kernel (a socket filter, as tcpdump attaches; no privileges needed): a proxy that merely
stopped forwarding would still have its kernel ACK everything. Two threads per connection copy
bytes each way. Every thread is a
daemon and ``stop()`` (or the end of ``lifetime``, whichever comes first) ends them all, so a
test that fails half-way leaves nothing listening.
"""

from __future__ import annotations

import contextlib
import ctypes
import socket
import struct
import threading
import time
from collections.abc import Callable
from types import TracebackType

HOST = "127.0.0.1"
CHUNK = 64 * 1024
ACCEPT_POLL_S = 0.05
# Linux socket options (asm-generic/socket.h), not in Python's socket module.
SO_ATTACH_FILTER = 26
SO_DETACH_FILTER = 27


class _BpfInstruction(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _BpfProgram(ctypes.Structure):
    _fields_ = (("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_BpfInstruction)))


_BPF_RET_K = 0x06
# "return 0": keep none of the packet. Module-level, so the program outlives every socket.
_DROP_ALL = (_BpfInstruction * 1)(_BpfInstruction(_BPF_RET_K, 0, 0, 0))
_DROP_PROGRAM = _BpfProgram(1, _DROP_ALL)


class _Pair:
    """One client connection and its upstream connection; closing one side closes both."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self.silent = False  # black-holed: what is read is dropped, never forwarded
        self._closed = threading.Event()

    def black_hole(self) -> None:
        self.silent = True
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                _drop_everything(sock)

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        for sock in (self.client, self.upstream):
            # shutdown first: it wakes the other pump thread blocked in recv() on it.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class TcpProxy:
    def __init__(self, upstream: tuple[str, int], *, lifetime: float = 60.0) -> None:
        self.upstream = upstream
        self.lifetime = lifetime
        self.port = 0
        self.bytes_up = 0  # client to server, since start
        self.bytes_down = 0
        self.cuts = 0
        self.black_holes = 0
        self.connections = 0  # accepted and forwarded
        self._lock = threading.Lock()
        self._pairs: set[_Pair] = set()
        self._refusing = False
        self._cut_at: int | None = None  # cut once bytes_up reaches this
        self._silent = False
        self._hole_at: int | None = None  # black hole once bytes_up reaches this
        self._held: list[socket.socket] = []  # accepted in a black hole: kept open, unanswered
        self._stopped = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []

    # --- life cycle ---

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind((HOST, 0))
        listener.listen(32)
        listener.settimeout(ACCEPT_POLL_S)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop, "proxy-accept")
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._close_all()
        for held in self._held:
            with contextlib.suppress(OSError):
                held.close()
        for thread in list(self._threads):
            thread.join(timeout=5)
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
            self._listener = None

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what tests do to the link ---

    def cut(self) -> None:
        """Close every connection now and refuse new ones until ``restore()``."""
        with self._lock:
            self._refusing = True
            self._cut_at = None
            self.cuts += 1
        self._close_all()

    def cut_after(self, upstream_bytes: int) -> None:
        """Cut once ``upstream_bytes`` more have been sent from the client to the server;
        the chunk that crosses the mark is not forwarded."""
        with self._lock:
            self._cut_at = self.bytes_up + upstream_bytes

    def black_hole(self) -> None:
        """Drop everything from now on, without closing anything, until ``restore()``."""
        with self._lock:
            self._silent = True
            self._hole_at = None
            self.black_holes += 1
            pairs = list(self._pairs)
            if self._listener is not None:
                _drop_everything(self._listener)  # new connections' SYNs go unanswered
        for pair in pairs:
            pair.black_hole()

    def black_hole_after(self, upstream_bytes: int) -> None:
        """Black hole once ``upstream_bytes`` more have been sent from the client to the
        server; the chunk that crosses the mark is forwarded, what follows is not."""
        with self._lock:
            self._hole_at = self.bytes_up + upstream_bytes

    def restore(self) -> None:
        """New connections are answered again (the ones a black hole caught stay dead)."""
        with self._lock:
            self._refusing = False
            if self._silent and self._listener is not None:
                self._listener.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, bytes(4))
            self._silent = False

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    # --- inside ---

    def _spawn(self, target: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        deadline = time.monotonic() + self.lifetime
        listener = self._listener
        assert listener is not None
        while not self._stopped.is_set():
            if time.monotonic() > deadline:
                # Bounded: a test that forgot to stop us does not leave a listener behind.
                self._stopped.set()
                self._close_all()
                break
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with self._lock:
                refusing, silent = self._refusing, self._silent
                if silent:  # its handshake was done just before the hole opened
                    with contextlib.suppress(OSError):
                        _drop_everything(client)
                    self._held.append(client)
            if silent:
                continue
            if refusing:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _reset(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            pair = _Pair(client, upstream)
            with self._lock:
                self._pairs.add(pair)
                self.connections += 1
            self._spawn(self._pump, "proxy-up", pair, client, upstream, True)
            self._spawn(self._pump, "proxy-down", pair, upstream, client, False)
        with contextlib.suppress(OSError):
            listener.close()

    def _pump(self, pair: _Pair, source: socket.socket, target: socket.socket, up: bool) -> None:
        try:
            while not self._stopped.is_set():
                data = source.recv(CHUNK)
                if not data:
                    break
                if pair.silent:
                    continue  # ACKed before the hole opened: lost with the link
                hole = False
                if up:
                    with self._lock:
                        self.bytes_up += len(data)
                        trip = self._cut_at is not None and self.bytes_up >= self._cut_at
                        hole = self._hole_at is not None and self.bytes_up >= self._hole_at
                    if trip:
                        self.cut()
                        break
                else:
                    with self._lock:
                        self.bytes_down += len(data)
                target.sendall(data)
                if hole:
                    self.black_hole()
        except OSError:
            pass
        finally:
            pair.close()
            with self._lock:
                self._pairs.discard(pair)

    def _close_all(self) -> None:
        with self._lock:
            pairs = list(self._pairs)
            self._pairs.clear()
        for pair in pairs:
            pair.close()


def _drop_everything(sock: socket.socket) -> None:
    """From now on the kernel drops every packet for ``sock`` before TCP sees it: no ACK, no
    RST, as if the cable were cut somewhere between."""
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(_DROP_PROGRAM))


def _reset(sock: socket.socket) -> None:
    """Close with a RST rather than a FIN: the client sees its connection refused at once."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
