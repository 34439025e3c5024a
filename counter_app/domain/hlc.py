"""A hybrid logical clock: the order of the few rows both sides change (reference data).

Reference rows are written by head office and, now and then, edited at a branch (a window
renamed, a printer moved). Each write carries a stamp: wall-clock milliseconds plus a counter,
so stamps follow real time when clocks agree and still grow when they do not (a stamp seen
from the other side pushes this clock past it). The later stamp wins; on an equal stamp the
origin decides. A stamp too far ahead of this clock is refused, not followed: one wrong clock
would otherwise win every conflict from then on.

A stamp is text that sorts as the clock does: ``"0001763892000123.0007"``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from counter_app.domain.errors import Conflict

# The same limit as the enrolment's clock check: five minutes.
MAX_DRIFT_MS = 5 * 60 * 1000
ORIGIN_BRANCH = "branch"
ORIGIN_HEAD_OFFICE = "headoffice"  # sorts after "branch": head office wins an exact tie
_MS_DIGITS = 16
_COUNT_DIGITS = 4
STAMP_LENGTH = _MS_DIGITS + 1 + _COUNT_DIGITS


class StampTooFarAhead(Conflict):
    code = "sync.stamp_ahead"


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    count: int

    def text(self) -> str:
        return f"{self.ms:0{_MS_DIGITS}d}.{self.count:0{_COUNT_DIGITS}d}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """A stored stamp; "" (a row never stamped, e.g. written before stamps existed) is
        older than every stamp."""
        if text == "":
            return cls(0, 0)
        ms, dot, count = text.partition(".")
        if (
            not dot
            or len(ms) != _MS_DIGITS
            or len(count) != _COUNT_DIGITS
            or not (ms.isdigit() and count.isdigit())
        ):
            raise ValueError(f"not a clock stamp: {text!r}")
        return cls(int(ms), int(count))


def wins(stamp: str, origin: str, over_stamp: str, over_origin: str) -> bool:
    """Whether a write stamped (stamp, origin) replaces one stamped (over_stamp, over_origin)."""
    return (Stamp.parse(stamp), origin) > (Stamp.parse(over_stamp), over_origin)


class HybridClock:
    def __init__(self, wall_ms: Callable[[], int] | None = None) -> None:
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Stamp(0, 0)
        self._lock = threading.Lock()

    def now(self) -> str:
        """A stamp for a write made here: later than every stamp made or seen before."""
        with self._lock:
            wall = self._wall_ms()
            last = self._last
            self._last = Stamp(wall, 0) if wall > last.ms else Stamp(last.ms, last.count + 1)
            return self._last.text()

    def after(self, text: str) -> str:
        """A stamp for a write made here to a row last stamped ``text``: later than that stamp
        too. The row's stamp may have come in through another process's clock (the hub's sync
        process pulls; the hub's counters edit), so this clock may not have seen it. Never
        refused: the stamp was checked when it came in."""
        try:
            seen = Stamp.parse(text)
        except ValueError:  # a raw write left something else: no order to keep
            seen = Stamp(0, 0)
        with self._lock:
            self._last = max(self._last, seen)
        return self.now()

    def observe(self, text: str) -> None:
        """Take in a stamp from the other side; refuse it when it is too far ahead of this
        clock (``sync.stamp_ahead``), before anything was applied."""
        seen = Stamp.parse(text)
        with self._lock:
            wall = self._wall_ms()
            if seen.ms - wall > MAX_DRIFT_MS:
                raise StampTooFarAhead(
                    f"a change stamped {(seen.ms - wall) / 60000:.1f} minutes ahead of this"
                    " clock: one of the two clocks is wrong; set the time, then sync again",
                    minutes=round((seen.ms - wall) / 60000, 1),
                )
            self._last = max(self._last, seen)

    def check(self, text: str) -> None:
        """Refuse a stamp too far ahead without taking it in (head office checking a branch)."""
        seen = Stamp.parse(text)
        ahead = seen.ms - self._wall_ms()
        if ahead > MAX_DRIFT_MS:
            raise StampTooFarAhead(
                f"a change stamped {ahead / 60000:.1f} minutes ahead of head office's clock",
                minutes=round(ahead / 60000, 1),
            )
