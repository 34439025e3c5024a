"""Starting and stopping a hub: lock the basedir, open and upgrade the store, serve HTTP."""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass

import uvicorn
from filelock import FileLock, Timeout

from counter_app.config.basedir import Basedir
from counter_app.config.settings import BRANCH_CODE, BRANCH_NAME, Settings
from counter_app.domain.errors import HubAlreadyRunning, StoreReadOnly
from counter_app.hub.app import create_app
from counter_app.hub.context import HubContext
from counter_app.secrets import SecretStoreUnavailable
from counter_app.services import events
from counter_app.services.actor import system_actor
from counter_app.services.demo import load_demo, load_demo_forms
from counter_app.storage.database import Store
from counter_app.storage.migrate import upgrade
from counter_app.sync.enrolment import enrolled
from counter_app.sync.process import SyncProcess

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubOptions:
    host: str = "127.0.0.1"
    port: int = 8710
    demo: bool = False


def lock_basedir(basedir: Basedir) -> FileLock:
    """One hub per basedir: a second one is refused and the first keeps running."""
    lock = FileLock(str(basedir.hub_lock), timeout=0, thread_local=False, is_singleton=False)
    pid_file = basedir.hub_lock.with_suffix(".pid")
    try:
        lock.acquire()
    except Timeout:
        other = pid_file.read_text().strip() if pid_file.exists() else "?"
        raise HubAlreadyRunning(
            "another hub is already running on this data folder", pid=other
        ) from None
    pid_file.write_text(str(os.getpid()))
    return lock


def open_store(basedir: Basedir) -> tuple[Store, str]:
    """Open, check and upgrade the branch database; refuse a damaged or read-only file."""
    path = basedir.database
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreReadOnly("the branch database is read-only", path=str(path))
    if not os.access(path.parent, os.W_OK):
        raise StoreReadOnly("the data folder is read-only", path=str(path.parent))
    store = Store.open(path)
    try:
        store.check_integrity()
        revision = upgrade(store.engine)
    except BaseException:
        store.dispose()
        raise
    return store, revision


def tune_interpreter() -> None:
    """For a hub process of its own. The group-commit writer gives up the GIL at every SQLite
    call and must get it back from the event loop; at Python's default 5 ms switch interval
    each issue waited for it several times (bench/queue.py). Long-lived start-up objects are
    frozen out of the cyclic collector, which otherwise walks them again and again."""
    sys.setswitchinterval(0.0005)
    gc.collect()
    gc.freeze()


class HubServer:
    """A hub serving one basedir, either in this thread (``serve``) or in the background."""

    def __init__(self, basedir: Basedir, settings: Settings, options: HubOptions) -> None:
        self.basedir = basedir
        self.settings = settings
        self.options = options
        self._lock: FileLock | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.context: HubContext | None = None
        self.url = ""
        self._housekeeping_stop = threading.Event()
        self._housekeeping: threading.Thread | None = None

    def prepare(self) -> HubContext:
        started = time.perf_counter()
        self._lock = lock_basedir(self.basedir)
        try:
            store, revision = open_store(self.basedir)
        except BaseException:
            self._release_lock()
            raise
        context = HubContext.build(store, self.settings, revision)
        actor = system_actor()
        if self.options.demo and load_demo(store, actor):
            log.info("demo data loaded")
        if self.options.demo and context.branch.info().demo and not context.forms.form_types():
            # Also a demo store made before blank forms existed gets the demo's forms.
            load_demo_forms(context.forms, context.printing, actor)
        code, name = self.settings.get(BRANCH_CODE), self.settings.get(BRANCH_NAME)
        if code or name:
            context.branch.identify(actor, code, name)
        # Tickets left from an earlier business day (the hub was down over midnight) close now.
        closed = context.queue.close_stale_days()
        if closed:
            log.info("closed %d tickets of earlier business days", closed)
        with store.write() as session:
            events.publish(session, events.HUB_STARTED, {"pid": os.getpid()})
        try:
            link = enrolled(self.basedir)
        except SecretStoreUnavailable as exc:
            # The counters work without head office; the status says why nothing is sent.
            log.warning("the OS keyring cannot be read (%s): not syncing with head office", exc)
            link = None
        if link is not None:
            # A process of its own: a catch-up in this one would slow the counters (GIL).
            context.sync = SyncProcess(
                store, self.basedir.database, link, self.basedir.logs, context.publication_pulled
            )
            store.after_commit.append(context.sync.nudge)
        self.context = context
        log.info(
            "hub ready",
            extra={"schema": revision, "ms": round((time.perf_counter() - started) * 1000)},
        )
        return context

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.options.host else socket.AF_INET
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only then; without it every response
        # waited ~40 ms for Nagle and delayed ACK (bench/hub_noop).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.options.host, self.options.port))
        sock.listen(128)
        sock.set_inheritable(True)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        self.url = f"http://{shown}:{port}"
        return sock

    def _make_server(self) -> uvicorn.Server:
        context = self.context or self.prepare()
        config = uvicorn.Config(
            create_app(context),
            log_config=None,
            lifespan="off",
            ws="websockets-sansio",
            timeout_graceful_shutdown=2,
        )
        return uvicorn.Server(config)

    def _start_sync(self) -> None:
        if self.context is not None:
            self.context.sync.start()

    def _start_housekeeping(self, every_s: float = 60.0) -> None:
        """Close the business day when midnight passes while the hub runs (idempotent)."""
        context = self.context
        if context is None or self._housekeeping is not None:
            return
        self._housekeeping_stop.clear()

        def loop() -> None:
            while not self._housekeeping_stop.wait(every_s):
                try:
                    context.queue.close_stale_days()
                except Exception:
                    log.exception("closing the business day failed; retried in a minute")

        self._housekeeping = threading.Thread(target=loop, name="hub-housekeeping", daemon=True)
        self._housekeeping.start()

    def serve(self) -> None:
        """Run in the foreground until interrupted (``counter-app hub``)."""
        self._server = self._make_server()
        self._socket = self._bind()
        self._start_housekeeping()
        self._start_sync()
        tune_interpreter()
        log.info("hub listening on %s", self.url)
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self.close()

    def start(self, timeout: float = 15.0) -> str:
        """Run in a background thread (the embedded hub); returns the URL once it answers."""
        self._server = self._make_server()
        self._socket = self._bind()
        self._start_housekeeping()
        self._start_sync()
        server, sock = self._server, self._socket
        self._thread = threading.Thread(
            target=lambda: server.run(sockets=[sock]), name="hub", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("embedded hub did not start")
            time.sleep(0.01)
        log.info("embedded hub listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.close()

    def close(self) -> None:
        self._housekeeping_stop.set()
        if self._housekeeping is not None:
            self._housekeeping.join(timeout=5)
            self._housekeeping = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.context is not None:
            self.context.sync.stop()
            self.context.writer.close()
            self.context.store.dispose()
            self.context = None
        self._release_lock()

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
            self.basedir.hub_lock.with_suffix(".pid").unlink(missing_ok=True)
