"""Command-line tools some tests read PDFs back with (poppler-utils, installed by the
README's test command)."""

from __future__ import annotations

import os
import shutil

import pytest

POPPLER = ("pdftotext", "pdffonts", "pdftoppm")


def require_poppler() -> None:
    """Skip on a developer machine without poppler-utils; under CI (``CI=true``, set by
    ``.ci/run``) fail instead, so a missing package never passes as a skipped test."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"poppler-utils not installed ({', '.join(missing)})"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)
