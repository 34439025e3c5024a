"""Run ``counter-app`` in this process, as the tests of the command line do."""

from __future__ import annotations

import io
import logging
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from counter_app.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str = "") -> CliResult:
    """``counter-app ARGS`` in this process; undoes the logging set-up ``main`` does."""
    root = logging.getLogger()
    level = root.level
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = saved_stdin
        for handler in list(root.handlers):
            if getattr(handler, "_counter_app", False):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
    return CliResult(code, out.getvalue(), err.getvalue())
