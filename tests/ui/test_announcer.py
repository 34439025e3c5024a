"""The board's announcement queue, with the silent backend taking the clips' real time."""

from __future__ import annotations

import itertools
import logging
import math
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from counter_app.devices.voice_clips import SAMPLE_RATE, ClipLibrary
from counter_app.domain.announcement import VOICE_CLIPS, Announcement
from counter_app.ui.voice import (
    Announcer,
    Done,
    SilentBackend,
    SpeechBackend,
    Utterance,
    choose_backend,
)

CLIP_MS = 15
GAP_MS = 5
# Loading QtTextToSpeech pulls in QtMultimedia, which warns about the audio libraries a
# headless machine lacks; that says nothing about the code under test.
AUDIO_LIBRARY_NOISE = r"Couldn't (load|resolve) .* (library|symbols)"


def short_clip(index: int) -> array[int]:
    freq = 300 + 20 * index
    n = SAMPLE_RATE * CLIP_MS // 1000
    return array(
        "h", (round(6000 * math.sin(2 * math.pi * freq * i / SAMPLE_RATE)) for i in range(n))
    )


def short_library(without: tuple[str, ...] = ()) -> ClipLibrary:
    return ClipLibrary(
        {name: short_clip(i) for i, name in enumerate(VOICE_CLIPS) if name not in without}
    )


@dataclass
class Log:
    """Announcer signals with the monotonic time they arrived."""

    started: list[tuple[str, float]] = field(default_factory=list)
    finished: list[tuple[str, float]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def attach(self, announcer: Announcer) -> None:
        announcer.announcement_started.connect(
            lambda a: self.started.append((a.call_id, time.monotonic()))
        )
        announcer.announcement_finished.connect(
            lambda a: self.finished.append((a.call_id, time.monotonic()))
        )
        announcer.announcement_failed.connect(lambda a, why: self.failed.append((a.call_id, why)))
        announcer.announcement_dropped.connect(lambda a: self.dropped.append(a.call_id))


@pytest.fixture
def backend(qtbot: QtBot) -> SilentBackend:
    return SilentBackend(short_library(), gap_ms=GAP_MS)


@pytest.fixture
def log() -> Log:
    return Log()


def make_announcer(backend: SpeechBackend, log: Log, **kwargs: int) -> Announcer:
    announcer = Announcer(backend, **kwargs)  # type: ignore[arg-type]
    log.attach(announcer)
    return announcer


@pytest.fixture
def announcer(backend: SilentBackend, log: Log) -> Iterator[Announcer]:
    announcer = make_announcer(backend, log, repeat=1, repeat_gap_ms=50, between_ms=20)
    yield announcer
    announcer.close()


def call(n: int, window: int = 3, call_id: str | None = None) -> Announcement:
    return Announcement(f"A{n:03d}", window, call_id or f"call-{n}")


def test_calls_in_quick_succession_are_spoken_in_order_one_after_another(
    qtbot: QtBot, announcer: Announcer, backend: SilentBackend, log: Log
) -> None:
    calls = [call(1, 3), call(2, 12), call(3, 105)]
    for c in calls:
        announcer.announce(c)
    assert announcer.queue_length == 2  # the first is already being spoken
    qtbot.waitUntil(lambda: len(log.finished) == 3, timeout=5000)

    ids = [c.call_id for c in calls]
    assert [i for i, _ in log.started] == ids
    assert [i for i, _ in log.finished] == ids
    assert [p.utterance.announcement.call_id for p in backend.played] == ids
    for previous, following in zip(log.finished, log.started[1:], strict=False):
        assert following[1] >= previous[1]  # each starts only after the one before has finished
    for played in backend.played:
        assert not played.interrupted
        assert played.finished is not None
        assert played.expected_ms > 10 * CLIP_MS  # the clips of a whole call, not a stub
        # Played at least as long as its clips last: nothing was cut off.
        assert (played.finished - played.started) * 1000 >= played.expected_ms - 1
    for (_, start), played in zip(log.started, backend.played, strict=True):
        assert played.started >= start
    assert announcer.queue_length == 0
    assert announcer.speaking is None


def test_an_idle_board_starts_speaking_within_400_ms(
    qtbot: QtBot, announcer: Announcer, backend: SilentBackend, log: Log
) -> None:
    before = time.monotonic()
    announcer.announce(call(7))
    qtbot.waitUntil(lambda: len(backend.played) == 1, timeout=2000)
    assert backend.played[0].started - before < 0.4
    assert log.started[0][1] - before < 0.4
    qtbot.waitUntil(lambda: len(log.finished) == 1, timeout=2000)
    # After the queue has run dry, the next call starts at once again.
    before = time.monotonic()
    announcer.announce(call(8))
    qtbot.waitUntil(lambda: len(backend.played) == 2, timeout=2000)
    assert backend.played[1].started - before < 0.4


def test_each_call_is_repeated_with_a_pause_and_the_chime_only_once(
    qtbot: QtBot, backend: SilentBackend, log: Log
) -> None:
    announcer = make_announcer(backend, log, repeat=3, repeat_gap_ms=120, between_ms=0)
    announcer.announce(call(1))
    announcer.announce(call(2))
    qtbot.waitUntil(lambda: len(log.finished) == 2, timeout=5000)

    played = backend.played
    assert [(p.utterance.announcement.call_id, p.utterance.repetition) for p in played] == [
        ("call-1", 0),
        ("call-1", 1),
        ("call-1", 2),
        ("call-2", 0),
        ("call-2", 1),
        ("call-2", 2),
    ]
    assert [p.utterance.clips[0] for p in played] == ["chime", "qing", "qing"] * 2
    for first, second in itertools.pairwise(played[:3]):
        assert first.finished is not None
        assert second.started - first.finished >= 0.110  # the pause between repeats
    # The second call starts after the third repetition of the first.
    assert played[2].finished is not None
    assert log.started[1][1] >= played[2].finished
    assert log.finished[0][1] >= played[2].finished
    announcer.close()


def test_a_call_id_already_queued_or_spoken_is_ignored(
    qtbot: QtBot, announcer: Announcer, backend: SilentBackend, log: Log
) -> None:
    first = call(1)
    announcer.announce(first)
    announcer.announce(first)  # while it is being spoken
    announcer.announce(call(2))
    announcer.announce(call(2))  # while it is waiting
    assert announcer.queue_length == 1
    qtbot.waitUntil(lambda: len(log.finished) == 2, timeout=5000)
    announcer.announce(first)  # replayed after it was spoken
    recall = Announcement("A001", 3, "call-1-recall", recall=True)
    announcer.announce(recall)  # a recall of the same ticket is a new call
    qtbot.waitUntil(lambda: len(log.finished) == 3, timeout=5000)
    qtbot.wait(100)
    assert [i for i, _ in log.started] == ["call-1", "call-2", "call-1-recall"]
    assert backend.played[-1].utterance.clips[:2] == ("chime", "zaici_hujiao")


def test_a_full_queue_drops_the_oldest_waiting_never_the_one_speaking(
    qtbot: QtBot, backend: SilentBackend, log: Log, caplog: pytest.LogCaptureFixture
) -> None:
    announcer = make_announcer(backend, log, repeat=1, max_waiting=3, between_ms=0)
    for n in range(1, 7):
        announcer.announce(call(n))
    assert announcer.queue_length == 3
    assert log.dropped == ["call-2", "call-3"]
    assert any("queue full" in r.getMessage() for r in caplog.records)
    qtbot.waitUntil(lambda: len(log.finished) == 4, timeout=5000)
    assert [i for i, _ in log.finished] == ["call-1", "call-4", "call-5", "call-6"]
    assert not any(p.interrupted for p in backend.played)
    announcer.close()


def test_a_failing_call_does_not_block_the_queue(
    qtbot: QtBot, log: Log, caplog: pytest.LogCaptureFixture
) -> None:
    backend = SilentBackend(short_library(without=("Z",)), gap_ms=GAP_MS)
    announcer = make_announcer(backend, log, repeat=2, repeat_gap_ms=10, between_ms=0)
    announcer.announce(Announcement("Z001", 3, "bad"))
    announcer.announce(call(2))
    qtbot.waitUntil(lambda: len(log.finished) == 2, timeout=5000)
    assert [i for i, _ in log.finished] == ["bad", "call-2"]
    assert log.failed == [("bad", "no voice clip named 'Z'")]
    assert [p.utterance.announcement.call_id for p in backend.played] == ["call-2", "call-2"]
    assert any(r.levelno == logging.ERROR and "Z001" in r.getMessage() for r in caplog.records)
    announcer.close()


def test_an_invalid_call_is_reported_and_not_queued(
    qtbot: QtBot, announcer: Announcer, backend: SilentBackend, log: Log
) -> None:
    announcer.announce(Announcement("A-1", 3, "bad-number"))
    announcer.announce(Announcement("A001", 0, "bad-window"))
    assert [i for i, _ in log.failed] == ["bad-number", "bad-window"]
    assert announcer.speaking is None
    assert announcer.queue_length == 0
    assert backend.played == []


class BrokenBackend:
    """Raises on the first utterance, never answers on the second, works after that."""

    name = "broken"

    def __init__(self, inner: SilentBackend) -> None:
        self.inner = inner
        self.calls = 0
        self.stopped = 0

    def expected_ms(self, utterance: Utterance) -> float:
        return 20.0

    def speak(self, utterance: Utterance, done: Done) -> None:
        self.calls += 1
        if self.calls == 1:
            raise OSError("device unplugged")
        if self.calls == 2:
            return  # hangs: done is never called
        self.inner.speak(utterance, done)

    def stop(self) -> None:
        self.stopped += 1


def test_a_backend_that_raises_or_hangs_is_given_up_on(qtbot: QtBot, log: Log) -> None:
    backend = BrokenBackend(SilentBackend(short_library(), gap_ms=GAP_MS))
    announcer = make_announcer(backend, log, repeat=1, between_ms=0, watchdog_slack_ms=200)
    for n in (1, 2, 3):
        announcer.announce(call(n))
    qtbot.waitUntil(lambda: len(log.finished) == 3, timeout=5000)
    assert log.failed == [("call-1", "device unplugged"), ("call-2", "timed out")]
    assert backend.stopped == 1
    assert [p.utterance.announcement.call_id for p in backend.inner.played] == ["call-3"]
    announcer.close()


def test_close_stops_the_voice_and_forgets_the_queue(
    qtbot: QtBot, announcer: Announcer, backend: SilentBackend, log: Log
) -> None:
    announcer.announce(call(1))
    announcer.announce(call(2))
    announcer.close()
    qtbot.wait(300)
    assert [p.interrupted for p in backend.played] == [True]
    assert log.finished == []
    announcer.announce(call(3))
    assert announcer.queue_length == 0


@pytest.mark.slow
def test_shipped_clips_set_the_pace_of_a_real_call(qtbot: QtBot, log: Log) -> None:
    from counter_app.devices.voice_clips import clip_folder

    library = ClipLibrary.load(clip_folder())
    backend = SilentBackend(library)
    announcer = make_announcer(backend, log, repeat=1)
    announcer.announce(call(23, 3))
    qtbot.waitUntil(lambda: len(log.finished) == 1, timeout=15_000)
    played = backend.played[0]
    assert played.finished is not None
    seconds = played.finished - played.started
    assert seconds == pytest.approx(library.duration_ms(played.utterance.clips) / 1000, abs=0.1)
    assert 2.5 < seconds < 8


# --- choosing a backend ---


@dataclass
class FakeProbe:
    tts: bool
    audio: bool
    asked: list[str] = field(default_factory=list)

    def tts_backend(self) -> SpeechBackend | None:
        self.asked.append("tts")
        return _Named("tts") if self.tts else None

    def clip_backend(self, library: ClipLibrary) -> SpeechBackend | None:
        self.asked.append("clips")
        return _Named("clips") if self.audio else None


class _Named(SilentBackend):
    def __init__(self, name: str) -> None:
        super().__init__(None)
        self.name = name  # type: ignore[misc]


@pytest.mark.parametrize(
    ("mode", "tts", "audio", "library", "chosen"),
    [
        ("auto", True, True, True, "tts"),
        ("auto", False, True, True, "clips"),
        ("auto", False, False, True, "silent"),
        ("auto", False, True, False, "silent"),
        ("tts", True, True, True, "tts"),
        ("tts", False, True, True, "clips"),
        ("clips", True, True, True, "clips"),
        ("clips", True, False, True, "silent"),
        ("off", True, True, True, "silent"),
    ],
)
def test_choose_backend(
    qtbot: QtBot, mode: str, tts: bool, audio: bool, library: bool, chosen: str
) -> None:
    probe = FakeProbe(tts, audio)
    backend = choose_backend(mode, short_library() if library else None, probe)
    assert backend.name == chosen
    if mode == "off":
        assert probe.asked == []
    if mode == "clips":
        assert "tts" not in probe.asked


def test_choose_backend_refuses_an_unknown_mode(qtbot: QtBot) -> None:
    with pytest.raises(ValueError, match="voice mode"):
        choose_backend("loud", None, FakeProbe(True, True))


def test_silent_backend_without_clips_estimates_the_length(qtbot: QtBot, log: Log) -> None:
    backend = SilentBackend(None)
    announcer = make_announcer(backend, log, repeat=1)
    announcer.announce(Announcement("B7", 1, "x"))
    # chime 请 B 七 号 到 一 号窗口 办理
    assert backend.played[0].expected_ms == 350 * 9
    announcer.close()


@pytest.mark.qt_log_ignore(AUDIO_LIBRARY_NOISE)
def test_text_to_speech_backend_with_qts_mock_engine(qtbot: QtBot, log: Log) -> None:
    """The TTS plumbing against Qt's own mock engine (English only: never chosen for the board)."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    from counter_app.ui.voice import TextToSpeechBackend

    assert "mock" in QTextToSpeech.availableEngines()
    backend = TextToSpeechBackend(QTextToSpeech("mock"))
    announcer = make_announcer(backend, log, repeat=2, repeat_gap_ms=50)
    announcer.announce(call(1))
    announcer.announce(call(2))
    qtbot.waitUntil(lambda: len(log.finished) == 2, timeout=10_000)
    assert [i for i, _ in log.finished] == ["call-1", "call-2"]
    assert log.failed == []
    announcer.close()
