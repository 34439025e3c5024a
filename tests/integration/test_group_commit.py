"""Group commit: jobs that arrive together share a transaction; each is answered after it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from counter_app.config.basedir import Basedir
from counter_app.domain.errors import InvalidInput
from counter_app.hub.server import open_store
from counter_app.storage.group_commit import GroupCommitWriter
from counter_app.storage.models import HubMeta


@pytest.fixture
def writer(tmp_path: Path):  # type: ignore[no-untyped-def]
    store, _ = open_store(Basedir(tmp_path / "base").ensure())
    group = GroupCommitWriter(store)
    yield store, group
    group.close()
    store.dispose()


def put(key: str, fail_after_write: bool = False):  # type: ignore[no-untyped-def]
    def work(session):  # type: ignore[no-untyped-def]
        session.connection().execute(insert(HubMeta), {"key": key, "value": "1"})
        if fail_after_write:
            raise InvalidInput("refused after writing")
        return key

    return work


def keys(store) -> set[str]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return set(session.scalars(select(HubMeta.key).where(HubMeta.key.like("job-%"))))


def test_a_refused_job_rolls_back_alone_and_the_others_commit(writer) -> None:  # type: ignore[no-untyped-def]
    store, group = writer
    gate = threading.Event()
    # Hold the writer busy so the next jobs queue up and go in one batch.
    blocker = group.submit(lambda _s: gate.wait(5))
    futures = [group.submit(put(f"job-{i}", fail_after_write=(i == 2))) for i in range(5)]
    gate.set()
    blocker.result(5)
    results = []
    for future in futures:
        try:
            results.append(future.result(5))
        except InvalidInput as exc:
            results.append(exc.code)
    assert results == ["job-0", "job-1", "invalid_input", "job-3", "job-4"]
    assert keys(store) == {"job-0", "job-1", "job-3", "job-4"}
    assert group.batches <= 2  # at most the blocker alone, then the five together
    assert group.jobs_done == 6


def test_a_job_without_savepoint_fails_alone_on_a_failed_statement(writer) -> None:  # type: ignore[no-untyped-def]
    store, group = writer
    gate = threading.Event()
    blocker = group.submit(lambda _s: gate.wait(5))
    good = group.submit(put("job-a"))
    # The same primary key twice in one batch, without savepoints: SQLite undoes the failed
    # statement only, so the second job gets the error and the batch still commits.
    dup_one = group.submit(put("job-b"), isolated=False)
    dup_two = group.submit(put("job-b"), isolated=False)
    gate.set()
    blocker.result(5)
    assert good.result(5) == "job-a"
    assert dup_one.result(5) == "job-b"
    with pytest.raises(Exception):  # noqa: B017, PT011 - the storage error of the duplicate
        dup_two.result(5)
    assert "job-a" in keys(store)
