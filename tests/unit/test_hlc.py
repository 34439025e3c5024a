"""The hybrid logical clock that orders writes of rows both head office and a branch change."""

from __future__ import annotations

import pytest

from counter_app.domain.hlc import (
    MAX_DRIFT_MS,
    ORIGIN_BRANCH,
    ORIGIN_HEAD_OFFICE,
    HybridClock,
    Stamp,
    StampTooFarAhead,
    wins,
)


class Wall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_grow_even_when_the_wall_clock_stands_still_or_goes_back() -> None:
    wall = Wall(1_000)
    clock = HybridClock(wall)
    first, second = clock.now(), clock.now()
    wall.ms = 500  # the PC's clock set back
    third = clock.now()
    assert first < second < third
    assert Stamp.parse(third) == Stamp(1_000, 2)
    wall.ms = 2_000
    assert Stamp.parse(clock.now()) == Stamp(2_000, 0)


def test_the_text_sorts_as_the_stamps_do() -> None:
    stamps = [Stamp(9, 9999), Stamp(10, 0), Stamp(10, 1), Stamp(123_456_789_012, 0)]
    assert sorted(s.text() for s in stamps) == [s.text() for s in stamps]
    assert [Stamp.parse(s.text()) for s in stamps] == stamps
    assert Stamp.parse("") == Stamp(0, 0)  # never stamped: older than anything


def test_a_seen_stamp_moves_the_clock_past_it() -> None:
    clock = HybridClock(Wall(1_000))
    clock.observe(Stamp(60_000, 3).text())  # the other side's clock is a minute ahead
    assert Stamp.parse(clock.now()) == Stamp(60_000, 4)


def test_an_edit_is_later_than_the_version_it_changes_whoever_stamped_that() -> None:
    clock = HybridClock(Wall(1_000))
    # stamped by another process's clock, two minutes ahead: this clock never saw it
    assert Stamp.parse(clock.after(Stamp(121_000, 7).text())) == Stamp(121_000, 8)
    assert Stamp.parse(clock.now()) == Stamp(121_000, 9)  # and the clock stays past it
    # an older version, a never-stamped row or a damaged stamp: just the clock's next stamp
    assert Stamp.parse(clock.after(Stamp(5, 0).text())) == Stamp(121_000, 10)
    assert Stamp.parse(clock.after("")) == Stamp(121_000, 11)
    assert Stamp.parse(clock.after("nonsense")) == Stamp(121_000, 12)


def test_a_stamp_too_far_ahead_is_refused_and_not_taken_in() -> None:
    clock = HybridClock(Wall(0))
    ahead = Stamp(MAX_DRIFT_MS + 1, 0).text()
    with pytest.raises(StampTooFarAhead) as refused:
        clock.observe(ahead)
    assert refused.value.code == "sync.stamp_ahead"
    assert Stamp.parse(clock.now()).ms == 0  # still its own time
    with pytest.raises(StampTooFarAhead):
        clock.check(ahead)
    clock.check(Stamp(MAX_DRIFT_MS, 0).text())  # at the limit: accepted


def test_the_later_write_wins_and_head_office_breaks_a_tie() -> None:
    early, late = Stamp(1, 0).text(), Stamp(1, 1).text()
    assert wins(late, ORIGIN_BRANCH, early, ORIGIN_HEAD_OFFICE)
    assert not wins(early, ORIGIN_HEAD_OFFICE, late, ORIGIN_BRANCH)
    assert wins(early, ORIGIN_HEAD_OFFICE, early, ORIGIN_BRANCH)
    assert not wins(early, ORIGIN_BRANCH, early, ORIGIN_HEAD_OFFICE)
    assert wins(early, ORIGIN_BRANCH, "", ORIGIN_HEAD_OFFICE)


@pytest.mark.parametrize("text", ["yesterday", "1.2", "0000000000000001-0001", "x" * 21])
def test_a_damaged_stamp_is_not_read_as_a_time(text: str) -> None:
    with pytest.raises(ValueError, match="not a clock stamp"):
        Stamp.parse(text)
