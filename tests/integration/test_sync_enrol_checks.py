"""Enrolment's checks against a real PostgreSQL 15 (tests/pg.py, which offers no TLS): TLS the
hub requires and head office lacks, and a hub folder copied to another PC.

"Another PC" is another folder: the keyring entry is per PC and per hub folder, so a copy in
another folder finds no entry for itself, as a copy on another PC does.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from counter_app.config.basedir import Basedir
from counter_app.headoffice import admin
from counter_app.hub.server import open_store
from counter_app.storage.database import Store
from counter_app.sync import outbox
from counter_app.sync.enrolment import (
    BranchTaken,
    TlsRequired,
    engine_for,
    enrol,
    enrolled,
    hub_instance,
    verify,
)
from counter_app.sync.worker import SyncWorker
from counter_app.ui.messages import Messages
from tests.cli_runner import run_cli
from tests.integration.test_sync_faults import (
    Office,
    _assert_all_arrived,
    _wait,
    office,  # noqa: F401 (fixture)
)


def _worker(store: Store, basedir: Basedir) -> SyncWorker:
    """The sync worker as the hub makes it from this PC's keyring entry."""
    link = enrolled(basedir)
    assert link is not None
    return SyncWorker(
        store,
        link.branch_code,
        lambda: engine_for(link),
        verify=lambda connection: verify(connection, link),
    )


def _refused_with(worker: SyncWorker) -> str:
    worker.start()
    _wait(lambda: worker.status().state == "refused", "the worker to refuse", 30)
    return worker.status().last_error_code


# --- TLS ---


def test_tls_required_of_a_head_office_without_it_is_refused_in_words(
    office: Office,  # noqa: F811
    demo_basedir: Basedir,
) -> None:
    with pytest.raises(TlsRequired) as refused:
        enrol(demo_basedir, office.branch_dsn(), office.code, sslmode="require")
    error = refused.value
    assert error.code == "sync.tls_required"
    assert error.params["sslmode"] == "require"
    assert "does not support SSL" in error.params["reason"]
    assert office.password not in error.detail
    words = Messages().describe(error)
    assert "TLS" in words
    assert "{" not in words
    # Refused before anything was kept or claimed.
    assert enrolled(demo_basedir) is None
    assert office.holder() == (None, None)

    # Enrolled without it, then the address made to require TLS: the sync refuses in the same
    # words, and sends nothing.
    link = enrol(demo_basedir, office.branch_dsn(), office.code)
    strict = link.__class__(
        link.branch_code, link.dsn + "?sslmode=require", link.instance, link.folder, link.machine
    )
    store, _ = open_store(demo_basedir)
    worker = SyncWorker(store, link.branch_code, lambda: engine_for(strict))
    try:
        assert _refused_with(worker) == "sync.tls_required"
        assert "offers no TLS" in worker.status().last_error
    finally:
        worker.stop()
        store.dispose()
    assert office.batches() == []


# --- a hub folder copied ---


def test_a_hub_folder_copied_to_another_pc_enrols_as_a_new_hub(
    office: Office,  # noqa: F811
    demo_basedir: Basedir,
    tmp_path: Path,
) -> None:
    first = demo_basedir
    link = enrol(first, office.branch_dsn(), office.code)
    copy = Basedir(tmp_path / "other-pc" / "hub")
    shutil.copytree(first.root, copy.root)
    copy.ensure()
    assert hub_instance(copy) == link.instance  # the identity file came along
    assert enrolled(copy) is None  # the keyring entry did not: the copy does not sync

    # Enrolling the copy makes it a hub of its own, which head office refuses while the first
    # holds the branch: it never sends as the first hub.
    with pytest.raises(BranchTaken):
        enrol(copy, office.branch_dsn(), office.code)
    assert enrolled(copy) is None
    assert office.holder()[0] == link.instance
    assert admin.release_branch(office.dsn, office.code) == link.instance
    moved = enrol(copy, office.branch_dsn(), office.code)
    assert moved.instance != link.instance
    assert hub_instance(copy) == moved.instance == office.holder()[0]

    # The first PC's hub now stops at its claim; the copy sends.
    first_link = enrolled(first)
    assert first_link is not None
    first_engine = engine_for(first_link)
    try:
        with first_engine.connect() as connection, pytest.raises(BranchTaken):
            verify(connection, first_link)
    finally:
        first_engine.dispose()
    store, _ = open_store(copy)
    worker = _worker(store, copy)
    try:
        assert worker.drain() > 0
        _assert_all_arrived(store, office)
    finally:
        worker.stop()
        store.dispose()


def test_a_hub_folder_copied_over_this_pcs_hub_sends_nothing_until_enrolled_again(
    office: Office,  # noqa: F811
    demo_basedir: Basedir,
    tmp_path: Path,
) -> None:
    here = Basedir(tmp_path / "this-pc" / "hub").ensure()
    other = demo_basedir
    # This PC's hub was enrolled, then the branch went to the other PC's hub.
    mine = enrol(here, office.branch_dsn(), office.code)
    admin.release_branch(office.dsn, office.code)
    theirs = enrol(other, office.branch_dsn(), office.code)
    # The other PC's whole hub folder copied over this PC's.
    shutil.rmtree(here.root)
    shutil.copytree(other.root, here.root)
    assert hub_instance(here) == theirs.instance != mine.instance

    store, _ = open_store(here)
    worker = _worker(store, here)
    try:
        assert _refused_with(worker) == "sync.hub_copied"
        status = worker.status()
        assert "hub enrol" in status.last_error
        assert outbox.waiting(store) > 0
    finally:
        worker.stop()
        store.dispose()
    assert office.batches() == []
    result = run_cli("hub", "--basedir", str(here.root), "sync-status")
    assert result.code == 1
    assert "[sync.hub_copied]" in result.err
    assert office.holder()[0] == theirs.instance  # nothing claimed from here

    # Branch IT enrols this PC again: a new hub id, refused until head-office IT releases.
    with pytest.raises(BranchTaken):
        enrol(here, office.branch_dsn(), office.code)
    admin.release_branch(office.dsn, office.code)
    again = enrol(here, office.branch_dsn(), office.code)
    assert again.instance not in (mine.instance, theirs.instance)
    assert hub_instance(here) == again.instance
    store, _ = open_store(here)
    worker = _worker(store, here)
    try:
        began = time.monotonic()
        assert worker.drain() > 0
        assert time.monotonic() - began < 60
        _assert_all_arrived(store, office)
    finally:
        worker.stop()
        store.dispose()
