"""Tell a USB keyboard-wedge barcode scan apart from a person typing, by keystroke timing.

A wedge scanner "types" the code as keystrokes a few milliseconds apart and ends with Enter;
people cannot sustain that rate, so a fast, long-enough run ended by a fast Enter is a scan.
Pure Python so it can be tested without Qt and reused by any input source.
"""

from __future__ import annotations

import math

_FIRST_PRINTABLE = 0x20
_LAST_PRINTABLE = 0x7E


def is_scan_char(ch: str) -> bool:
    """True for a single printable ASCII character, the only kind that may appear in a code."""
    return len(ch) == 1 and _FIRST_PRINTABLE <= ord(ch) <= _LAST_PRINTABLE


class WedgeScanDetector:
    """Buffers the current run of fast keystrokes and decides on Enter whether it was a scan.

    Timestamps are milliseconds from any clock that only moves forward (Qt event timestamps,
    ``time.monotonic() * 1000``); only differences between them are used.
    """

    def __init__(self, max_gap_ms: float = 35.0, min_length: int = 4, max_length: int = 64) -> None:
        if not (max_gap_ms > 0 and math.isfinite(max_gap_ms)):
            raise ValueError(f"max_gap_ms must be a positive finite number, got {max_gap_ms!r}")
        if min_length < 1:
            raise ValueError(f"min_length must be at least 1, got {min_length!r}")
        if max_length < min_length:
            raise ValueError(f"max_length ({max_length}) must be >= min_length ({min_length})")
        self.max_gap_ms = float(max_gap_ms)
        self.min_length = min_length
        self.max_length = max_length
        self._chars: list[str] = []
        self._last_ms: float | None = None

    @property
    def pending(self) -> str:
        """The characters of the current run (capped at ``max_length + 1``)."""
        return "".join(self._chars)

    def reset(self) -> None:
        """Forget the current run."""
        self._chars.clear()
        self._last_ms = None

    def feed_char(self, ch: str, t_ms: float) -> None:
        """Record one typed character; a slow one starts a new run, a non-code one clears it."""
        if len(ch) != 1:
            raise ValueError(f"feed_char takes exactly one character, got {ch!r}")
        if not is_scan_char(ch):
            self.reset()
            return
        if not self._is_fast(t_ms):
            self._chars.clear()
        # Keep one char beyond max_length so an over-long run stays recognisably over-long.
        if len(self._chars) <= self.max_length:
            self._chars.append(ch)
        self._last_ms = t_ms

    def feed_enter(self, t_ms: float) -> str | None:
        """End the run: return the code if it was a scan, else None. Always clears the run."""
        fast = self._is_fast(t_ms)
        code = self.pending
        self.reset()
        if fast and self.min_length <= len(code) <= self.max_length:
            return code
        return None

    def _is_fast(self, t_ms: float) -> bool:
        """Whether a key at ``t_ms`` continues the current run."""
        if self._last_ms is None or not self._chars:
            return False
        gap = t_ms - self._last_ms
        # A negative gap means the clock source changed; do not guess, start over.
        return 0.0 <= gap <= self.max_gap_ms
