from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.devices.wedge import WedgeScanDetector

START_MS = 1_000_000.0


def feed(det: WedgeScanDetector, text: str, start: float, gap: float) -> float:
    """Feed ``text`` one char every ``gap`` ms from ``start``; return the last char's time."""
    t = start
    for i, ch in enumerate(text):
        t = start + i * gap
        det.feed_char(ch, t)
    return t


def test_fast_burst_then_enter_returns_code() -> None:
    det = WedgeScanDetector()
    last = feed(det, "CLM2026000123", START_MS, gap=8)
    assert det.pending == "CLM2026000123"
    assert det.feed_enter(last + 10) == "CLM2026000123"
    assert det.pending == ""


def test_slow_typing_is_not_a_scan() -> None:
    det = WedgeScanDetector()
    last = feed(det, "zhangsan", START_MS, gap=120)
    assert det.feed_enter(last + 120) is None
    assert det.pending == ""


def test_slow_prefix_then_burst_returns_only_the_burst() -> None:
    det = WedgeScanDetector()
    last = feed(det, "abc", START_MS, gap=200)
    last = feed(det, "VIN12345", last + 300, gap=5)
    assert det.pending == "VIN12345"
    assert det.feed_enter(last + 5) == "VIN12345"


def test_burst_shorter_than_min_length_is_not_a_scan() -> None:
    det = WedgeScanDetector(min_length=4)
    last = feed(det, "AB1", START_MS, gap=5)
    assert det.feed_enter(last + 5) is None


def test_burst_of_exactly_min_length_is_a_scan() -> None:
    det = WedgeScanDetector(min_length=4)
    last = feed(det, "AB12", START_MS, gap=5)
    assert det.feed_enter(last + 5) == "AB12"


def test_burst_longer_than_max_length_is_not_a_scan() -> None:
    det = WedgeScanDetector(max_length=8)
    last = feed(det, "123456789", START_MS, gap=5)
    assert det.feed_enter(last + 5) is None


def test_slow_enter_after_burst_is_not_a_scan() -> None:
    det = WedgeScanDetector(max_gap_ms=35)
    last = feed(det, "CLM2026000123", START_MS, gap=5)
    assert det.feed_enter(last + 36) is None
    # The run is gone, so a second (fast) Enter cannot resurrect it.
    assert det.feed_enter(last + 40) is None


def test_gap_equal_to_max_gap_still_counts_as_fast() -> None:
    det = WedgeScanDetector(max_gap_ms=35)
    last = feed(det, "ABCD", START_MS, gap=35)
    assert det.feed_enter(last + 35) == "ABCD"


def test_non_ascii_char_resets_the_run() -> None:
    det = WedgeScanDetector()
    last = feed(det, "ABCD", START_MS, gap=5)
    det.feed_char("é", last + 5)
    assert det.pending == ""
    last = feed(det, "EF", last + 10, gap=5)
    # Only two chars survive after the reset, too short for a code.
    assert det.feed_enter(last + 5) is None


def test_control_char_resets_the_run() -> None:
    det = WedgeScanDetector()
    last = feed(det, "ABCD", START_MS, gap=5)
    det.feed_char("\t", last + 5)
    assert det.pending == ""
    assert det.feed_enter(last + 10) is None


def test_enter_with_nothing_buffered_returns_none() -> None:
    assert WedgeScanDetector().feed_enter(START_MS) is None


def test_reset_forgets_the_run() -> None:
    det = WedgeScanDetector()
    last = feed(det, "ABCDEF", START_MS, gap=5)
    det.reset()
    assert det.pending == ""
    assert det.feed_enter(last + 5) is None


def test_clock_going_backwards_starts_a_new_run() -> None:
    det = WedgeScanDetector()
    feed(det, "ABCD", START_MS, gap=5)
    det.feed_char("X", START_MS - 1000)
    assert det.pending == "X"


def test_feed_char_rejects_more_than_one_char() -> None:
    with pytest.raises(ValueError, match="exactly one character"):
        WedgeScanDetector().feed_char("AB", START_MS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_gap_ms": 0}, "max_gap_ms"),
        ({"min_length": 0}, "min_length"),
        ({"min_length": 10, "max_length": 5}, "max_length"),
    ],
)
def test_invalid_configuration_is_rejected(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WedgeScanDetector(**kwargs)  # type: ignore[arg-type]


printable_ascii = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@given(data=st.data(), code=st.text(alphabet=printable_ascii, min_size=4, max_size=64))
def test_any_fast_printable_code_is_returned_exactly(data: st.DataObject, code: str) -> None:
    det = WedgeScanDetector(max_gap_ms=35.0, min_length=4, max_length=64)
    # Whole-millisecond gaps, as Qt timestamps are, so float rounding cannot blur the boundary.
    gaps = data.draw(st.lists(st.integers(0, 35), min_size=len(code), max_size=len(code)))
    enter_gap = data.draw(st.integers(0, 35))
    t = START_MS
    for ch, gap in zip(code, gaps, strict=True):
        t += gap
        det.feed_char(ch, t)
    assert det.feed_enter(t + enter_gap) == code
