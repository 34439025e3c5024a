"""Logs: every line in the process's JSON file; Alembic's steps kept off the console."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app.logs import setup_logging


@pytest.fixture
def logged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Path]:
    # capsys first: the console handler keeps the stderr it finds when it is made
    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path, "sync")
    assert path is not None
    yield path
    for handler in list(root.handlers):
        if getattr(handler, "_counter_app", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_alembic_steps_go_to_the_file_only(
    logged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("alembic.runtime.migration").info("Running upgrade  -> ho0001_baseline")
    logging.getLogger("alembic.runtime.migration").warning("a revision is missing")
    logging.getLogger("counter_app.sync.worker").info("sent 5 outbox rows", extra={"rows": 5})
    console = capsys.readouterr().err
    assert "Running upgrade" not in console
    assert "a revision is missing" in console  # what goes wrong is still shown
    assert "sent 5 outbox rows" in console
    lines = [json.loads(line) for line in logged.read_text(encoding="utf-8").splitlines()]
    assert [line["msg"] for line in lines] == [
        "Running upgrade  -> ho0001_baseline",
        "a revision is missing",
        "sent 5 outbox rows",
    ]
    assert lines[2]["rows"] == 5
    assert logged.name == "sync.jsonl"
