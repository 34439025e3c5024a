"""What the waiting-area board says when a ticket is called: the Chinese sentence and its clips.

Ticket digits are read one by one (A023 → A 零二三), the window number as a Chinese number
(12 → 十二), the way a branch's caller reads them. The clip names are those of the voice
clip set in ``resources/voice/zh_CN`` (see ``VOICE_CLIPS``); the sentence is what the board
shows and what a text-to-speech voice reads.
"""

from __future__ import annotations

from dataclasses import dataclass

DIGITS = "零一二三四五六七八九"
LETTERS = tuple(chr(c) for c in range(ord("A"), ord("Z") + 1))
MAX_WINDOW = 999

CHIME = "chime"
RECALL = "zaici_hujiao"
PLEASE = "qing"
NUMBER_SUFFIX = "hao"
TO = "dao"
WINDOW = "hao_chuangkou"
TRANSACT = "banli"
TEN = "shi"
HUNDRED = "bai"

# Every clip a call can use, with the words it says; the clip set and its manifest follow this.
VOICE_CLIPS: dict[str, str] = {
    CHIME: "",
    RECALL: "再次呼叫",
    PLEASE: "请",
    NUMBER_SUFFIX: "号",
    TO: "到",
    WINDOW: "号窗口",
    TRANSACT: "办理",
    TEN: "十",
    HUNDRED: "百",
    **{str(d): DIGITS[d] for d in range(10)},
    **{letter: letter for letter in LETTERS},
}


@dataclass(frozen=True)
class Announcement:
    """One call of a ticket to a window, as the board announces it."""

    number: str  # "A023"
    window: int  # 3
    call_id: str  # unique per call; a recall is a new call with a new id
    recall: bool = False


def _check(a: Announcement) -> str:
    number = a.number.strip().upper()
    if not number:
        raise ValueError("ticket number is empty")
    bad = [c for c in number if c not in LETTERS and not ("0" <= c <= "9")]
    if bad:
        raise ValueError(f"ticket number {a.number!r} has characters without a voice clip: {bad}")
    if isinstance(a.window, bool) or not isinstance(a.window, int):
        raise ValueError(f"window must be a whole number, got {a.window!r}")
    if not 1 <= a.window <= MAX_WINDOW:
        raise ValueError(f"window must be 1..{MAX_WINDOW}, got {a.window}")
    return number


def window_digits(n: int) -> list[str]:
    """The clip names of ``n`` (1..999) read as a Chinese number: 12 → ["shi", "2"]."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_WINDOW:
        raise ValueError(f"window must be 1..{MAX_WINDOW}, got {n!r}")
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    clips: list[str] = []
    if hundreds:
        clips += [str(hundreds), HUNDRED]
    if tens:
        # 10..19 on their own are 十, 十一 …; after a hundred it is 一百一十.
        clips += [TEN] if tens == 1 and not hundreds else [str(tens), TEN]
    elif hundreds and units:
        clips.append("0")  # 一百零五
    if units:
        clips.append(str(units))
    return clips


def chinese_number(n: int) -> str:
    """``n`` (1..999) in Chinese characters: 3 → 三, 20 → 二十, 105 → 一百零五."""
    words = {TEN: "十", HUNDRED: "百"}
    return "".join(words.get(c) or DIGITS[int(c)] for c in window_digits(n))


def call_text(a: Announcement) -> str:
    """The sentence on the board: 请A023号到3号窗口办理 (a recall starts with 再次呼叫，)."""
    number = _check(a)
    text = f"请{number}号到{a.window}号窗口办理"
    return f"再次呼叫，{text}" if a.recall else text


def spoken_text(a: Announcement) -> str:
    """The sentence for a text-to-speech voice, digits spelled so it reads them one by one."""
    number = _check(a)
    spelled = "".join(DIGITS[int(c)] if c.isdigit() else f" {c} " for c in number)
    text = f"请{spelled.strip()}号，到{chinese_number(a.window)}号窗口办理"
    return f"再次呼叫，{text}" if a.recall else text


def call_clips(a: Announcement, *, chime: bool = True) -> list[str]:
    """The clip names of the call, in order; ``chime=False`` for a repetition of it."""
    number = _check(a)
    clips = [CHIME] if chime else []
    if a.recall:
        clips.append(RECALL)
    clips.append(PLEASE)
    clips += list(number)
    clips += [NUMBER_SUFFIX, TO, *window_digits(a.window), WINDOW, TRANSACT]
    return clips
