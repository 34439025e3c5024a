"""Background work reports on the GUI thread, many at a time, and never corrupts Python."""

from __future__ import annotations

import threading

import pytest

from counter_app.ui.tasks import TaskRunner


def test_thousands_of_results_cross_threads_intact(qtbot) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 aborted the interpreter here ("deallocating None"): results of None and
    # True crossing from pool threads. The whole process dying is this test failing.
    runner = TaskRunner()
    gui_thread = threading.current_thread()
    seen: list[object] = []
    threads: set[threading.Thread] = set()
    count = 2000
    for i in range(count):
        value: object = (None, True, False, i)[i % 4]
        runner.run(lambda v=value: v).success(
            lambda r: (seen.append(r), threads.add(threading.current_thread()))
        )
    qtbot.waitUntil(lambda: len(seen) == count, timeout=30_000)
    assert seen.count(None) == count // 4
    assert seen.count(True) == count // 4
    assert threads == {gui_thread}, "callbacks must run on the GUI thread"
    runner.wait()


def test_failure_is_delivered_not_swallowed(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[BaseException] = []
    runner.run(lambda: 1 // 0).success(lambda _r: pytest.fail("no success")).failure(errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_result_for_a_closed_window_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    runner = TaskRunner()
    label = QLabel()
    done: list[str] = []
    # The op finishes after the label is gone (a logout while a hub call was in flight).
    runner.run(lambda: "late").success(label.setText).success(done.append)
    label.deleteLater()
    qtbot.waitUntil(lambda: done == ["late"], timeout=5000)
