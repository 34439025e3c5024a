"""Background work for the UI: run off the GUI thread, report success or failure on it.

    self._tasks.run(lambda: client.call_next(window_id)).success(self._show).failure(self._error)

Never touch widgets from the worker: the callbacks are delivered on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

T = TypeVar("T")


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Result:
    """Carries a result across threads. PySide6 6.12 over-releases a bare ``None`` sent through
    a queued ``Signal(object)`` (Python aborts with "deallocating None"), so never send one."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class Op(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T]) -> None:
        super().__init__()
        self._work = work
        self._relay = _Relay()
        self._on_success: list[Callable[[T], Any]] = []
        self._on_failure: list[Callable[[BaseException], Any]] = []
        self._relay.finished.connect(self._deliver_success)
        self._relay.failed.connect(self._deliver_failure)

    def success(self, callback: Callable[[T], Any]) -> Op[T]:
        self._on_success.append(callback)
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> Op[T]:
        self._on_failure.append(callback)
        return self

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # every failure is reported, never swallowed
            self._relay.failed.emit(_Result(exc))
        else:
            self._relay.finished.emit(_Result(result))

    @Slot(object)
    def _deliver_success(self, box: _Result) -> None:
        result: T = box.value  # type: ignore[assignment]
        for callback in self._on_success:
            if _alive(callback):
                callback(result)
        _running.discard(self)

    @Slot(object)
    def _deliver_failure(self, box: _Result) -> None:
        exc = box.value
        assert isinstance(exc, BaseException)
        if not self._on_failure:
            _running.discard(self)
            raise exc  # reaches the crash dialog: an unhandled failure is a bug
        for callback in self._on_failure:
            if _alive(callback):
                callback(exc)
        _running.discard(self)


def _alive(callback: Callable[..., Any]) -> bool:
    """A result that arrives after its window was closed is dropped, not sent to a dead widget."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


# Ops are kept alive until delivered; QThreadPool would otherwise let Python collect them.
_running: set[Op[Any]] = set()


class TaskRunner:
    """Hub calls go to one pool; the number of threads is small because the hub is the limit."""

    def __init__(self, max_threads: int = 4) -> None:
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(max_threads)

    def run(self, work: Callable[[], T]) -> Op[T]:
        op: Op[T] = Op(work)
        op.setAutoDelete(False)
        _running.add(op)
        # Start on the next event-loop turn so the caller can attach callbacks first.
        QTimer.singleShot(0, lambda: self._pool.start(op))
        return op

    def wait(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)
