"""A WAN link that dies without a FIN or RST (a "black hole"), against a real PostgreSQL 15.

The loopback proxy (tests/tcp_proxy.py) stops answering at all: every segment either way, ACKs
and keepalive probes included, is dropped in the kernel, and nothing is closed. Only the
timeouts ``engine_for`` sets can end a sync caught in it: keepalives for a hub waiting for an
answer, the TCP user timeout for a hub with data in flight, and the same at head office's end,
whose backend otherwise keeps the half-sent batch's locks for hours.

The dead-link limit is scaled down from 60 s to ``DEAD_AFTER``; "fails within" bounds are
generous multiples of it (``FAILS_WITHIN``), never timing measurements.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from counter_app.config.settings import Settings
from counter_app.services.blank_forms import BlankFormDesk
from counter_app.storage.database import Store
from counter_app.sync import outbox
from counter_app.sync.enrolment import engine_for
from counter_app.sync.worker import SyncWorker
from tests.integration.test_sync_faults import (
    Office,
    _assert_all_arrived,
    _settled,
    _staff,
    _wait,
    office,  # noqa: F401 (fixture)
    store,  # noqa: F401 (fixture)
)
from tests.tcp_proxy import TcpProxy

DEAD_AFTER = 6  # seconds: engine_for's dead-link limit, 60 in production
FAILS_WITHIN = 30.0  # the bound for "gives up": five times DEAD_AFTER


def test_a_silent_link_mid_batch_fails_the_drain_in_bounded_time_then_loses_nothing(
    office: Office,  # noqa: F811
    store: Store,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="counter_app.sync.worker")
    forms = BlankFormDesk(store, Settings(None))
    forms.receive(_staff(store, "backoffice"), "JQ", "JQ0000600001", "JQ0000606000")
    assert outbox.waiting(store) > 10_000  # catch-up batches, merged through COPY
    with TcpProxy((office.server.host, office.server.port), lifetime=150) as proxy:
        link = office.link(proxy.port)
        worker = SyncWorker(
            store, office.code, lambda: engine_for(link, dead_after=DEAD_AFTER), batch_rows=500
        )
        # Well inside the drain: the first batch is ~50 kB up, a catch-up batch ~250 kB.
        proxy.black_hole_after(150 * 1024)
        worker.start()
        try:
            _wait(lambda: proxy.black_holes == 1, "the link to go silent")
            silent_at = time.monotonic()
            _wait(lambda: worker.status().state == "offline", "the drain to fail", FAILS_WITHIN)
            took = time.monotonic() - silent_at
            print(f"drain gave up {took:.1f} s after the link went silent")
            status = worker.status()
            assert status.last_error_code == "sync.unreachable"
            assert status.last_error
            assert status.waiting > 0
            assert took < FAILS_WITHIN
            # Nothing was closed: the hub's own timeouts gave up on the connection.
            assert proxy.cuts == 0
            assert proxy.open_connections >= 1

            # The link comes back: the hub sends everything, the half-sent batch again. Head
            # office's backend of the dead connection held that batch's row lock until its
            # own keepalives ended it.
            proxy.restore()
            worker.retry_now()
            _wait(
                lambda: _settled(worker.status()) == (0, "", "idle"),
                "the worker to finish after the link is back",
                90,
            )
        finally:
            worker.stop()
    _assert_all_arrived(store, office)


def test_a_silent_link_while_awaiting_an_answer_is_given_up_by_keepalives(
    office: Office,  # noqa: F811
) -> None:
    """The question reached head office and was acknowledged; the answer never comes. With no
    data in flight only keepalive probes can tell the link is gone."""
    with TcpProxy((office.server.host, office.server.port), lifetime=90) as proxy:
        engine = engine_for(office.link(proxy.port), dead_after=DEAD_AFTER)
        failure: list[BaseException] = []
        try:
            with engine.connect() as connection:
                assert connection.execute(text("SELECT 1")).scalar_one() == 1
                # The next chunk up (the query) still goes through; its answer does not.
                proxy.black_hole_after(1)

                def ask() -> None:
                    try:
                        connection.execute(text("SELECT pg_sleep(60)"))
                    except OperationalError as exc:
                        failure.append(exc)

                asking = threading.Thread(target=ask, name="awaiting-answer", daemon=True)
                began = time.monotonic()
                asking.start()
                asking.join(FAILS_WITHIN)
                took = time.monotonic() - began
                print(f"query gave up after {took:.1f} s")
                assert not asking.is_alive(), f"still waiting after {took:.0f} s"
                assert proxy.black_holes == 1
                assert failure, "the query returned through a silent link"
                assert took < FAILS_WITHIN
        finally:
            engine.dispose()
