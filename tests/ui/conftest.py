"""UI-test plumbing: a quiet offscreen platform, compiled translations, the app's CJK font."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
ZH_TS = TRANSLATIONS / "counter_app_zh_CN.ts"
# The offscreen platform warns on every top-level show(); it says nothing about the code under
# test, while pytest runs with qt_log_level_fail = WARNING.
SIZE_HINTS_WARNING = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents:
            continue
        # pytest-qt reads only the closest qt_log_ignore mark: merge into it, never hide one.
        own = item.get_closest_marker("qt_log_ignore")
        patterns = tuple(own.args) if own else ()
        if SIZE_HINTS_WARNING not in patterns:
            kwargs = dict(own.kwargs) if own else {}
            item.add_marker(
                pytest.mark.qt_log_ignore(*patterns, SIZE_HINTS_WARNING, **kwargs), append=False
            )


def lrelease(ts: Path, out_dir: Path) -> Path:
    """Compile ``ts`` with pyside6-lrelease into ``out_dir``; the .qm path."""
    from scripts.update_translations import qt_tool

    qm = out_dir / (ts.stem + ".qm")
    result = subprocess.run(
        [qt_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert qm.is_file(), result.stdout + result.stderr
    return qm


@pytest.fixture(scope="session")
def zh_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed zh_CN translation, compiled afresh (never a stale .qm from the tree)."""
    return lrelease(ZH_TS, tmp_path_factory.mktemp("qm"))


@pytest.fixture
def install_translation(qapp: QApplication) -> Iterator[Callable[[Path], QTranslator]]:
    """Install a compiled .qm into the running app; removed again after the test."""
    installed: list[QTranslator] = []

    def install(qm: Path) -> QTranslator:
        translator = QTranslator()
        assert translator.load(str(qm)), qm
        assert qapp.installTranslator(translator)
        installed.append(translator)
        return translator

    yield install
    for translator in installed:
        qapp.removeTranslator(translator)


@pytest.fixture
def app_font(qapp: QApplication) -> Iterator[str]:
    """The Chinese font the program itself chooses at start, so text is measured as users see it."""
    from counter_app.ui.app import choose_cjk_font

    previous = QFont(qapp.font())
    family = choose_cjk_font(qapp)
    assert family is not None, "no CJK font installed (Debian: fonts-wqy-microhei)"
    yield family
    qapp.setFont(previous)
