"""The display board's voice: one queue of announcements, spoken one at a time, in call order.

``Announcer`` owns the queue and the repeats; a ``SpeechBackend`` speaks one utterance and says
when it has been heard in full. Backends: the OS's Chinese text-to-speech voice
(``TextToSpeechBackend``), the recorded or generated clip set through QtMultimedia
(``ClipBackend``), and ``SilentBackend``, which only takes the clips' real time: the stand-in for
tests and for a machine without sound. ``choose_backend`` picks one from the ``board.voice``
setting.

QtMultimedia and QtTextToSpeech are imported only when a real backend is probed or made: loading
them prints warnings on a machine without an audio server, and the tests run with
``qt_log_level_fail = WARNING``.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QLocale,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from counter_app.config.settings import (
    BOARD_REPEAT,
    BOARD_VOICE,
    BOARD_VOICE_GAP_MS,
    Settings,
)
from counter_app.devices.voice_clips import (
    DEFAULT_GAP_MS,
    ClipLibrary,
    VoiceClipMissing,
    decode_pcm,
    pcm_bytes,
    resample,
)
from counter_app.domain.announcement import Announcement, call_clips, spoken_text

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioDevice, QAudioSink
    from PySide6.QtTextToSpeech import QTextToSpeech

logger = logging.getLogger(__name__)

MODES = ("auto", "tts", "clips", "off")
MAX_WAITING = 20
# Remembered call ids: a call replayed after the event feed reconnects is not spoken twice.
RECENT_CALLS = 500
# A short breath between two announcements; an idle board starts at once.
BETWEEN_MS = 300
# Clip-less estimate for a silent backend with no clip set, per clip.
CLIP_ESTIMATE_MS = 350
# Silence after the last clip, so the device's own buffer has played out before "done".
TAIL_MS = 150
# The audio output's buffer: Qt's default (250 ms) delays the start by about 0.7 s on PulseAudio.
SINK_BUFFER_MS = 60
# A backend that has not said "done" this long after 1.5 times the expected length is given up on.
WATCHDOG_SLACK_MS = 3000

Done = Callable[[str], None]  # "" when heard in full, else why it failed


@dataclass(frozen=True)
class Utterance:
    """One spoken repetition of an announcement."""

    announcement: Announcement
    repetition: int  # 0 for the first time, 1 for the first repeat, ...
    text: str  # for a text-to-speech voice
    clips: tuple[str, ...]  # for the clip set; the chime only on the first repetition


def utterance(a: Announcement, repetition: int) -> Utterance:
    return Utterance(a, repetition, spoken_text(a), tuple(call_clips(a, chime=repetition == 0)))


class SpeechBackend(Protocol):
    """Speaks one utterance at a time, on the GUI thread, without blocking it."""

    @property
    def name(self) -> str: ...

    def speak(self, utterance: Utterance, done: Done) -> None:
        """Start speaking; call ``done`` once when it has been heard in full or has failed."""

    def expected_ms(self, utterance: Utterance) -> float:
        """About how long ``utterance`` takes; the announcer gives up well after that."""

    def stop(self) -> None:
        """Cut off what is playing (only at shutdown or when the backend hangs)."""


# --- the queue ---


class Announcer(QObject):
    """Speaks announcements strictly one after another, each ``repeat`` times, none cut off."""

    announcement_started = Signal(object)  # Announcement
    announcement_finished = Signal(object)  # Announcement, spoken or failed
    announcement_failed = Signal(object, str)  # Announcement, reason (also logged)
    announcement_dropped = Signal(object)  # Announcement pushed out of a full queue

    def __init__(
        self,
        backend: SpeechBackend,
        *,
        repeat: int = BOARD_REPEAT.default,
        repeat_gap_ms: int = BOARD_VOICE_GAP_MS.default,
        max_waiting: int = MAX_WAITING,
        between_ms: int = BETWEEN_MS,
        watchdog_slack_ms: int = WATCHDOG_SLACK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if repeat < 1 or max_waiting < 1 or repeat_gap_ms < 0 or between_ms < 0:
            raise ValueError("repeat and max_waiting must be >= 1, pauses >= 0")
        self.backend = backend
        self.repeat = repeat
        self.repeat_gap_ms = repeat_gap_ms
        self.max_waiting = max_waiting
        self.between_ms = between_ms
        self.watchdog_slack_ms = watchdog_slack_ms
        self._waiting: deque[Announcement] = deque()
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._current: Announcement | None = None
        self._repetition = 0
        self._token = 0  # which utterance a backend's "done" belongs to
        self._closed = False
        self._next_timer = self._single_shot(self._start_next)
        self._repeat_timer = self._single_shot(self._speak_current)
        self._watchdog = self._single_shot(self._on_watchdog)

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    @classmethod
    def from_settings(
        cls, settings: Settings, library: ClipLibrary | None, parent: QObject | None = None
    ) -> Announcer:
        backend = choose_backend(settings.get(BOARD_VOICE), library)
        return cls(
            backend,
            repeat=settings.get(BOARD_REPEAT),
            repeat_gap_ms=settings.get(BOARD_VOICE_GAP_MS),
            parent=parent,
        )

    @property
    def queue_length(self) -> int:
        """Announcements waiting, not counting the one being spoken."""
        return len(self._waiting)

    @property
    def speaking(self) -> Announcement | None:
        return self._current

    def announce(self, a: Announcement) -> None:
        """Queue ``a``; a call id already queued, spoken or being spoken is ignored."""
        if self._closed:
            return
        try:
            call_clips(a)
        except ValueError as exc:
            logger.error("Not announcing call %s: %s", a.call_id, exc)
            self.announcement_failed.emit(a, str(exc))
            return
        if a.call_id in self._recent:
            logger.info("Ignoring repeated call %s (%s)", a.call_id, a.number)
            return
        self._remember(a.call_id)
        if len(self._waiting) >= self.max_waiting:
            dropped = self._waiting.popleft()
            logger.warning(
                "Announcement queue full (%d waiting): dropping call %s (%s)",
                len(self._waiting) + 1,
                dropped.call_id,
                dropped.number,
            )
            self.announcement_dropped.emit(dropped)
        self._waiting.append(a)
        if self._current is None and not self._next_timer.isActive():
            self._start_next()  # an idle board speaks at once

    def close(self) -> None:
        """Stop speaking and forget the queue (the board is closing)."""
        self._closed = True
        self._waiting.clear()
        for timer in (self._next_timer, self._repeat_timer, self._watchdog):
            timer.stop()
        if self._current is not None:
            self._current = None
            self._token += 1
            self.backend.stop()

    def _remember(self, call_id: str) -> None:
        self._recent[call_id] = None
        while len(self._recent) > RECENT_CALLS:
            self._recent.popitem(last=False)

    @Slot()
    def _start_next(self) -> None:
        if self._current is not None or not self._waiting or self._closed:
            return
        self._current = self._waiting.popleft()
        self._repetition = 0
        logger.info("Announcing %s to window %s", self._current.number, self._current.window)
        self.announcement_started.emit(self._current)
        self._speak_current()

    @Slot()
    def _speak_current(self) -> None:
        current = self._current
        if current is None:
            return
        self._token += 1
        token = self._token
        said = utterance(current, self._repetition)

        def done(error: str) -> None:
            # Never handled inside speak(): a backend may call back before speak() returns.
            QTimer.singleShot(0, self, lambda: self._on_done(token, error))

        try:
            expected = self.backend.expected_ms(said)
            self._watchdog.start(round(expected * 1.5) + self.watchdog_slack_ms)
            self.backend.speak(said, done)
        except Exception as exc:
            logger.exception("Voice backend %s failed to start", self.backend.name)
            done(str(exc) or type(exc).__name__)

    def _on_done(self, token: int, error: str) -> None:
        if token != self._token or self._current is None:
            return  # a late answer for an utterance already given up on
        self._watchdog.stop()
        current = self._current
        if error:
            logger.error(
                "Announcement of %s failed on %s: %s", current.number, self.backend.name, error
            )
            self.announcement_failed.emit(current, error)
        elif self._repetition + 1 < self.repeat:
            self._repetition += 1
            self._repeat_timer.start(self.repeat_gap_ms)
            return
        self._current = None
        self.announcement_finished.emit(current)
        if self._waiting and not self._closed:
            self._next_timer.start(self.between_ms)

    @Slot()
    def _on_watchdog(self) -> None:
        if self._current is None:
            return
        logger.error("Voice backend %s did not finish in time; stopping it", self.backend.name)
        token = self._token
        self.backend.stop()
        self._on_done(token, "timed out")


# --- backends ---


@dataclass
class PlayedUtterance:
    """What the silent backend "played", with monotonic times in seconds."""

    utterance: Utterance
    expected_ms: float
    started: float
    finished: float | None = None
    interrupted: bool = False


@dataclass
class _Playing:
    played: PlayedUtterance
    done: Done
    timer: QTimer = field(repr=False)


class SilentBackend(QObject):
    """Plays nothing, for exactly as long as the clips would play; records what it played."""

    name = "silent"

    def __init__(
        self,
        library: ClipLibrary | None,
        gap_ms: int = DEFAULT_GAP_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.gap_ms = gap_ms
        self.played: list[PlayedUtterance] = []
        self._playing: _Playing | None = None

    def expected_ms(self, utterance: Utterance) -> float:
        if self.library is None:
            return CLIP_ESTIMATE_MS * len(utterance.clips)
        return self.library.duration_ms(utterance.clips, self.gap_ms)

    def speak(self, utterance: Utterance, done: Done) -> None:
        if self._playing is not None:
            raise RuntimeError("silent backend is already playing")
        try:
            length = self.expected_ms(utterance)
        except VoiceClipMissing as exc:
            done(exc.detail)
            return
        record = PlayedUtterance(utterance, length, time.monotonic())
        self.played.append(record)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(self._on_finished)
        self._playing = _Playing(record, done, timer)
        timer.start(round(length))

    @Slot()
    def _on_finished(self) -> None:
        playing, self._playing = self._playing, None
        if playing is None:
            return
        playing.timer.deleteLater()
        playing.played.finished = time.monotonic()
        playing.done("")

    def stop(self) -> None:
        playing, self._playing = self._playing, None
        if playing is None:
            return
        playing.timer.stop()
        playing.timer.deleteLater()
        playing.played.finished = time.monotonic()
        playing.played.interrupted = True


class ClipBackend(QObject):
    """Plays the joined clips through an audio output with QAudioSink, from memory."""

    name = "clips"

    def __init__(
        self,
        library: ClipLibrary,
        device: QAudioDevice | None = None,
        gap_ms: int = DEFAULT_GAP_MS,
        buffer_ms: int = SINK_BUFFER_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

        self.library = library
        self.gap_ms = gap_ms
        self.buffer_ms = buffer_ms
        self.device = device if device is not None else QMediaDevices.defaultAudioOutput()
        fmt = QAudioFormat()
        fmt.setSampleRate(library.rate)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not self.device.isFormatSupported(fmt):
            # Convert once per call to what the device takes, rather than failing.
            preferred = self.device.preferredFormat()
            fmt.setSampleRate(preferred.sampleRate())
            fmt.setChannelCount(min(2, max(1, preferred.channelCount())))
        self.format = fmt
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None
        self._done: Done | None = None

    def expected_ms(self, utterance: Utterance) -> float:
        return self.library.duration_ms(utterance.clips, self.gap_ms) + TAIL_MS

    def _pcm(self, utterance: Utterance) -> bytes:
        pcm = self.library.join_pcm(utterance.clips, self.gap_ms)
        pcm += bytes(2 * (self.library.rate * TAIL_MS // 1000))
        rate, channels = self.format.sampleRate(), self.format.channelCount()
        if rate == self.library.rate and channels == 1:
            return pcm
        samples = resample(decode_pcm(pcm, 2, 1), self.library.rate, rate)
        if channels > 1:
            samples = array("h", (s for s in samples for _ in range(channels)))
        return pcm_bytes(samples)

    def speak(self, utterance: Utterance, done: Done) -> None:
        from PySide6.QtMultimedia import QAudioSink, QtAudio

        if self._sink is not None:
            raise RuntimeError("clip backend is already playing")
        try:
            data = self._pcm(utterance)
        except VoiceClipMissing as exc:
            done(exc.detail)
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(self.device, self.format, self)
        sink.setBufferSize(self.format.bytesForDuration(self.buffer_ms * 1000))
        sink.stateChanged.connect(self._on_state)
        self._sink, self._buffer, self._done = sink, buffer, done
        sink.start(buffer)
        if self._sink is sink and sink.error() != QtAudio.Error.NoError:
            self._finish(f"audio output error {sink.error().name}")

    @Slot()
    def _on_state(self) -> None:
        from PySide6.QtMultimedia import QtAudio

        sink = self._sink
        if sink is None:
            return
        state, error = sink.state(), sink.error()
        # Idle with data left is an underrun on a busy machine: it plays on, never cut it off.
        if state == QtAudio.State.IdleState and (self._buffer is None or self._buffer.atEnd()):
            self._finish("")
        elif state == QtAudio.State.StoppedState and error != QtAudio.Error.NoError:
            self._finish(f"audio output error {error.name}")

    def _finish(self, error: str) -> None:
        sink, buffer, done = self._sink, self._buffer, self._done
        self._sink = self._buffer = self._done = None
        if sink is not None:
            sink.stateChanged.disconnect(self._on_state)
            sink.stop()
            sink.deleteLater()
        if buffer is not None:
            buffer.close()
            buffer.deleteLater()
        if done is not None:
            done(error)

    def stop(self) -> None:
        self._done = None
        self._finish("")


class TextToSpeechBackend(QObject):
    """Reads the call with the operating system's Chinese voice (QtTextToSpeech)."""

    name = "tts"

    def __init__(self, engine: QTextToSpeech, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        engine.setParent(self)
        engine.stateChanged.connect(self._on_state)
        self._done: Done | None = None
        self._heard = False

    def expected_ms(self, utterance: Utterance) -> float:
        return 300.0 * len(utterance.text)  # Mandarin at about 3.5 characters a second, slow

    def speak(self, utterance: Utterance, done: Done) -> None:
        if self._done is not None:
            raise RuntimeError("text-to-speech backend is already speaking")
        self._done, self._heard = done, False
        self.engine.say(utterance.text)

    @Slot()
    def _on_state(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        state = self.engine.state()
        if state == QTextToSpeech.State.Speaking:
            self._heard = True
        elif state == QTextToSpeech.State.Error:
            self._finish(self.engine.errorString() or "text-to-speech error")
        elif state == QTextToSpeech.State.Ready and self._heard:
            self._finish("")

    def _finish(self, error: str) -> None:
        done, self._done = self._done, None
        if done is not None:
            done(error)

    def stop(self) -> None:
        self._done = None
        self.engine.stop()


# --- choosing one ---


class BackendProbe(Protocol):
    """What this machine can speak with; the real one asks Qt, tests pass their own."""

    def tts_backend(self) -> SpeechBackend | None: ...

    def clip_backend(self, library: ClipLibrary) -> SpeechBackend | None: ...


class QtBackendProbe:
    """Looks for a Chinese text-to-speech voice and an audio output on this machine."""

    # Qt's "mock" engine is a test double without sound; it never counts as a voice.
    IGNORED_ENGINES = frozenset({"mock"})

    def tts_backend(self) -> SpeechBackend | None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        for engine_name in QTextToSpeech.availableEngines():
            if engine_name in self.IGNORED_ENGINES:
                continue
            engine = QTextToSpeech(engine_name)
            if engine.state() == QTextToSpeech.State.Error:
                logger.info("Text-to-speech engine %s does not work here", engine_name)
                engine.deleteLater()
                continue
            chinese = [
                loc
                for loc in engine.availableLocales()
                if loc.language() == QLocale.Language.Chinese
            ]
            # Mainland Mandarin first: a Cantonese or Taiwan voice reads the call differently.
            chinese.sort(key=lambda loc: loc.territory() != QLocale.Country.China)
            for locale in chinese:
                engine.setLocale(locale)
                voices = engine.availableVoices()
                if voices:
                    engine.setVoice(voices[0])
                    logger.info(
                        "Board voice: %s, %s (%s)", engine_name, voices[0].name(), locale.name()
                    )
                    return TextToSpeechBackend(engine)
            engine.deleteLater()
        return None

    def clip_backend(self, library: ClipLibrary) -> SpeechBackend | None:
        from PySide6.QtMultimedia import QMediaDevices

        if not QMediaDevices.audioOutputs():
            return None
        return ClipBackend(library)


def choose_backend(
    mode: str, library: ClipLibrary | None, probe: BackendProbe | None = None
) -> SpeechBackend:
    """The backend for ``board.voice``: auto = Chinese TTS, else clips, else silent."""
    if mode not in MODES:
        raise ValueError(f"voice mode must be one of {MODES}, got {mode!r}")
    if mode == "off":
        return SilentBackend(library)
    probe = probe if probe is not None else QtBackendProbe()
    if mode in ("auto", "tts"):
        tts = probe.tts_backend()
        if tts is not None:
            return tts
        log = logger.warning if mode == "tts" else logger.info
        log("No Chinese text-to-speech voice on this computer; using the voice clips")
    if library is None:
        logger.warning("No voice clips loaded; the board will not speak")
        return SilentBackend(None)
    clips = probe.clip_backend(library)
    if clips is not None:
        return clips
    logger.warning("No audio output on this computer; the board will not speak")
    return SilentBackend(library)
