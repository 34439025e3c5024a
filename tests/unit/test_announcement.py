"""The board's spoken call: the sentence, the Chinese window number and the clip list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.announcement import (
    LETTERS,
    VOICE_CLIPS,
    Announcement,
    call_clips,
    call_text,
    chinese_number,
    spoken_text,
    window_digits,
)

DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")}


def parse_chinese(text: str) -> int:
    """Reads 一百零五, 十二, 二十 … back into a number; written apart from the code under test."""
    total, digit = 0, None
    for char in text:
        if char in DIGIT_VALUES:
            digit = DIGIT_VALUES[char]
        elif char == "百":
            assert digit, f"百 without a digit in {text!r}"
            total += digit * 100
            digit = None
        elif char == "十":
            total += (digit if digit is not None else 1) * 10
            digit = None
        else:
            raise AssertionError(f"unexpected {char!r} in {text!r}")
    return total + (digit or 0)


def call(number: str = "A023", window: int = 3, recall: bool = False) -> Announcement:
    return Announcement(number, window, call_id="c1", recall=recall)


@pytest.mark.parametrize(
    ("n", "chinese"),
    [
        (1, "一"),
        (2, "二"),
        (3, "三"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (120, "一百二十"),
        (200, "二百"),
        (305, "三百零五"),
        (999, "九百九十九"),
    ],
)
def test_window_numbers_read_as_chinese_numbers(n: int, chinese: str) -> None:
    assert chinese_number(n) == chinese


@given(st.integers(min_value=1, max_value=999))
def test_every_window_number_reads_back(n: int) -> None:
    chinese = chinese_number(n)
    assert parse_chinese(chinese) == n
    # The clips say the same words as the characters.
    words = {"shi": "十", "bai": "百"}
    assert "".join(words.get(c) or VOICE_CLIPS[c] for c in window_digits(n)) == chinese


@pytest.mark.parametrize("n", [0, -1, 1000, True])
def test_window_numbers_outside_1_to_999_are_refused(n: int) -> None:
    with pytest.raises(ValueError, match="window"):
        chinese_number(n)


@pytest.mark.parametrize(
    ("number", "window", "text"),
    [
        ("A023", 3, "请A023号到3号窗口办理"),
        ("B100", 12, "请B100号到12号窗口办理"),
        ("V001", 20, "请V001号到20号窗口办理"),
        ("007", 105, "请007号到105号窗口办理"),
        ("a023", 1, "请A023号到1号窗口办理"),
    ],
)
def test_call_text(number: str, window: int, text: str) -> None:
    assert call_text(call(number, window)) == text


def test_recall_text_says_it_is_a_second_call() -> None:
    assert call_text(call(recall=True)) == "再次呼叫，请A023号到3号窗口办理"
    assert spoken_text(call(recall=True)).startswith("再次呼叫，")


def test_spoken_text_spells_the_ticket_digits_and_says_the_window_in_chinese() -> None:
    assert spoken_text(call("A023", 12)) == "请A 零二三号，到十二号窗口办理"
    assert spoken_text(call("023", 3)) == "请零二三号，到三号窗口办理"


@pytest.mark.parametrize(
    ("number", "window", "clips"),
    [
        (
            "A023",
            3,
            ["chime", "qing", "A", "0", "2", "3", "hao", "dao", "3", "hao_chuangkou", "banli"],
        ),
        ("B1", 12, ["chime", "qing", "B", "1", "hao", "dao", "shi", "2", "hao_chuangkou", "banli"]),
        ("Z99", 20, ["chime", "qing", "Z", "9", "9", "hao", "dao", "2", "shi", "hao_chuangkou",
                     "banli"]),
        ("C000", 105, ["chime", "qing", "C", "0", "0", "0", "hao", "dao", "1", "bai", "0", "5",
                       "hao_chuangkou", "banli"]),
        ("AB7", 110, ["chime", "qing", "A", "B", "7", "hao", "dao", "1", "bai", "1", "shi",
                      "hao_chuangkou", "banli"]),
    ],
)  # fmt: skip
def test_call_clips(number: str, window: int, clips: list[str]) -> None:
    assert call_clips(call(number, window)) == clips


def test_recall_clips_and_repeats_without_chime() -> None:
    clips = call_clips(call(recall=True))
    assert clips[:3] == ["chime", "zaici_hujiao", "qing"]
    assert call_clips(call(), chime=False) == call_clips(call())[1:]


@given(
    letter=st.sampled_from(LETTERS),
    digits=st.text(alphabet="0123456789", min_size=1, max_size=4),
    window=st.integers(min_value=1, max_value=999),
)
def test_every_clip_of_a_call_is_in_the_clip_set(letter: str, digits: str, window: int) -> None:
    clips = call_clips(call(letter + digits, window))
    assert set(clips) <= set(VOICE_CLIPS)
    # Letter and digits are read one by one, in order, after 请.
    assert clips[2 : 3 + len(digits)] == [letter, *digits]


@pytest.mark.parametrize(
    ("number", "window", "message"),
    [
        ("", 3, "empty"),
        ("   ", 3, "empty"),
        ("A-023", 3, "without a voice clip"),
        ("甲023", 3, "without a voice clip"),
        ("A０23", 3, "without a voice clip"),  # a full-width digit
        ("A023", 0, "window"),
        ("A023", -2, "window"),
        ("A023", 1000, "window"),
    ],
)
def test_invalid_calls_are_refused(number: str, window: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call_clips(call(number, window))
    with pytest.raises(ValueError, match=message):
        call_text(call(number, window))
