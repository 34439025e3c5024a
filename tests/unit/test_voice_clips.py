"""The clip library: loading, converting recorded formats, joining a call into one WAV."""

from __future__ import annotations

import io
import math
import tomllib
import wave
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.devices.voice_clips import (
    MANIFEST,
    SAMPLE_RATE,
    ClipLibrary,
    VoiceClipMissing,
    clip_folder,
    normalise,
    read_wav,
    resample,
    trim_silence,
    wav_bytes,
)
from counter_app.domain.announcement import LETTERS, VOICE_CLIPS, Announcement, call_clips

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "voice" / "zh_CN"


def tone(ms: int, rate: int = SAMPLE_RATE, freq: float = 440.0, level: int = 8000) -> array[int]:
    n = rate * ms // 1000
    return array("h", (round(level * math.sin(2 * math.pi * freq * i / rate)) for i in range(n)))


def write_wav(
    path: Path, frames: bytes, rate: int = SAMPLE_RATE, width: int = 2, channels: int = 1
) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(frames)


def write_set(folder: Path, clips: dict[str, array[int]], rate: int = SAMPLE_RATE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[format]", f"sample_rate = {rate}", "[clips]"]
    for name, samples in clips.items():
        (folder / f"{name}.wav").write_bytes(wav_bytes(samples, rate))
        lines.append(f'"{name}" = "{name}.wav"')
    (folder / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def library(tmp_path: Path) -> ClipLibrary:
    return ClipLibrary.load(
        write_set(tmp_path / "set", {"a": tone(100), "b": tone(250, freq=660), "c": tone(37)})
    )


def frames_of(wav_data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(wav_data), "rb") as wav:
        return wav.getnframes(), wav.getframerate(), wav.getsampwidth(), wav.getnchannels()


def test_join_is_a_wav_as_long_as_its_parts_and_gaps(library: ClipLibrary) -> None:
    names = ["a", "b", "c", "a"]
    data = library.join(names, gap_ms=60)
    frames, rate, width, channels = frames_of(data)
    assert (rate, width, channels) == (SAMPLE_RATE, 2, 1)
    parts = [SAMPLE_RATE * ms // 1000 for ms in (100, 250, 37, 100)]
    gap = SAMPLE_RATE * 60 // 1000
    assert frames == sum(parts) + 3 * gap
    assert library.duration_ms(names, gap_ms=60) == pytest.approx(frames * 1000 / SAMPLE_RATE)
    assert library.duration_ms(names, gap_ms=60) == pytest.approx(487 + 180, abs=0.2)


def test_join_keeps_the_samples_in_order_with_silent_gaps(library: ClipLibrary) -> None:
    data = library.join(["a", "b"], gap_ms=10)
    with wave.open(io.BytesIO(data), "rb") as wav:
        got = array("h", wav.readframes(wav.getnframes()))
    a, b = tone(100), tone(250, freq=660)
    gap = SAMPLE_RATE * 10 // 1000
    assert got[: len(a)] == a
    assert set(got[len(a) : len(a) + gap]) == {0}
    assert got[len(a) + gap :] == b


def test_join_of_nothing_is_an_empty_wav(library: ClipLibrary) -> None:
    assert frames_of(library.join([]))[0] == 0
    assert library.duration_ms([]) == 0


def test_a_name_without_a_clip_is_a_coded_error(library: ClipLibrary) -> None:
    with pytest.raises(VoiceClipMissing) as info:
        library.join(["a", "nope"])
    assert info.value.code == "device.voice_clip_missing"
    assert info.value.http_status == 503
    assert info.value.params["clip"] == "nope"
    with pytest.raises(VoiceClipMissing):
        library.duration_ms(["nope"])
    assert library.missing(["a", "x", "y", "x"]) == ["x", "y"]


def test_a_missing_manifest_or_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(VoiceClipMissing, match="manifest"):
        ClipLibrary.load(tmp_path)
    folder = write_set(tmp_path / "set", {"a": tone(50), "b": tone(50)})
    (folder / "b.wav").unlink()
    with pytest.raises(VoiceClipMissing, match=r"b \(b\.wav\)") as info:
        ClipLibrary.load(folder)
    assert info.value.params["clip"] == "b"


def test_a_file_that_is_not_a_pcm_wav_is_refused(tmp_path: Path) -> None:
    folder = write_set(tmp_path / "set", {"a": tone(50), "b": tone(50)})
    (folder / "a.wav").write_bytes(b"ID3\x03 this is an mp3, honest")
    with pytest.raises(VoiceClipMissing, match="not a PCM WAV") as info:
        ClipLibrary.load(folder)
    assert info.value.params["clip"] == "a"


def test_a_broken_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text("[clips\nqing = ", encoding="utf-8")
    with pytest.raises(VoiceClipMissing, match="manifest"):
        ClipLibrary.load(tmp_path)


def test_recorded_clips_in_other_formats_are_converted(tmp_path: Path) -> None:
    """A 44.1 kHz stereo 24-bit recording loads as 16-bit mono at the set's rate, same length."""
    folder = tmp_path / "set"
    folder.mkdir()
    mono = tone(200, rate=44100, freq=300)
    stereo24 = b"".join(
        (s * 256).to_bytes(3, "little", signed=True) * 2 for s in mono
    )  # both channels alike
    write_wav(folder / "rec.wav", stereo24, rate=44100, width=3, channels=2)
    write_wav(folder / "u8.wav", bytes(((s >> 8) + 128) for s in tone(100)), width=1)
    (folder / MANIFEST).write_text('[clips]\nrec = "rec.wav"\nu8 = "u8.wav"\n', encoding="utf-8")
    library = ClipLibrary.load(folder)
    assert library.rate == SAMPLE_RATE
    assert library.duration_ms(["rec"], gap_ms=0) == pytest.approx(200, abs=1)
    assert library.duration_ms(["u8"], gap_ms=0) == pytest.approx(100, abs=1)
    with wave.open(io.BytesIO(library.join(["rec"])), "rb") as wav:
        got = array("h", wav.readframes(wav.getnframes()))
    # Still a 300 Hz tone of the same level: compare with one made at the target rate.
    want = tone(200, freq=300)
    assert max(abs(x - y) for x, y in zip(got[5:-5], want[5:-5], strict=False)) < 300


def test_resampling_keeps_the_length_and_the_tone() -> None:
    source = tone(500, rate=48000, freq=200)
    out = resample(source, 48000, 16000)
    assert len(out) == 8000
    want = tone(500, rate=16000, freq=200)
    assert max(abs(x - y) for x, y in zip(out[5:-5], want[5:-5], strict=True)) < 200
    assert len(resample(tone(100, rate=8000), 8000, 22050)) == 2205


def test_trim_and_normalise() -> None:
    quiet = array("h", [0] * 1000) + tone(500, level=2000) + array("h", [0] * 3000)
    trimmed = trim_silence(quiet, pad_ms=0)
    assert 11000 < len(trimmed) <= 11025
    loud = normalise(trimmed, target_rms_dbfs=-18.0)
    rms = math.sqrt(sum(s * s for s in loud) / len(loud))
    assert 20 * math.log10(rms / 32767) == pytest.approx(-18.0, abs=0.2)
    # A loud clip is held below the peak limit instead of clipping.
    assert max(abs(s) for s in normalise(tone(100, level=30000), target_rms_dbfs=0)) <= 29205
    assert trim_silence(array("h", [0] * 100)) == array("h")


def test_read_wav_from_bytes_and_back() -> None:
    samples = tone(30)
    assert read_wav(wav_bytes(samples)) == samples


# --- the shipped clip set ---


@pytest.fixture(scope="module")
def shipped() -> ClipLibrary:
    return ClipLibrary.load(SHIPPED)


def test_the_shipped_set_is_found_and_complete(shipped: ClipLibrary) -> None:
    assert clip_folder() == SHIPPED
    assert shipped.names == set(VOICE_CLIPS)
    manifest = tomllib.loads((SHIPPED / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == {"sample_rate": SAMPLE_RATE, "sample_width": 2, "channels": 1}
    for file in manifest["clips"].values():
        assert frames_of((SHIPPED / file).read_bytes())[1:] == (SAMPLE_RATE, 2, 1)
    size = sum((SHIPPED / f).stat().st_size for f in manifest["clips"].values())
    assert size < 2 * 1024 * 1024


@settings(max_examples=200)
@given(
    letter=st.sampled_from(LETTERS),
    digits=st.text(alphabet="0123456789", min_size=3, max_size=3),
    window=st.integers(min_value=1, max_value=99),
    recall=st.booleans(),
)
def test_every_call_can_be_spoken_with_the_shipped_set(
    shipped: ClipLibrary, letter: str, digits: str, window: int, recall: bool
) -> None:
    clips = call_clips(Announcement(letter + digits, window, "c", recall))
    assert shipped.missing(clips) == []
    # A call lasts long enough to be understood, short enough not to hold up the queue.
    assert 2500 < shipped.duration_ms(clips) < 9000
