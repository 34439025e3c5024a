"""scripts/make_voice_clips.py with the real espeak-ng (Debian package espeak-ng)."""

from __future__ import annotations

import math
import subprocess
import sys
import tomllib
import wave
from array import array
from pathlib import Path

import pytest

from counter_app.devices.voice_clips import MANIFEST, SAMPLE_RATE, ClipLibrary, wav_bytes
from counter_app.domain.announcement import VOICE_CLIPS, Announcement, call_clips

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_voice_clips.py"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("voice") / "zh_CN"
    result = run_script("--out", str(out))
    assert f"{len(VOICE_CLIPS)} clips" in result.stdout
    return out


def rms_dbfs(samples: array[int]) -> float:
    return 20 * math.log10(math.sqrt(sum(s * s for s in samples) / len(samples)) / 32767)


def test_every_clip_is_a_wav_of_the_declared_format(generated: Path) -> None:
    manifest = tomllib.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    declared = manifest["format"]
    assert declared == {"sample_rate": SAMPLE_RATE, "sample_width": 2, "channels": 1}
    assert set(manifest["clips"]) == set(VOICE_CLIPS)
    assert set(manifest["words"]) == set(VOICE_CLIPS)
    total = 0
    for name, file in manifest["clips"].items():
        path = generated / file
        total += path.stat().st_size
        with wave.open(str(path), "rb") as wav:
            assert wav.getframerate() == declared["sample_rate"], name
            assert wav.getsampwidth() == declared["sample_width"], name
            assert wav.getnchannels() == declared["channels"], name
            samples = array("h", wav.readframes(wav.getnframes()))
        seconds = len(samples) / SAMPLE_RATE
        # Trimmed: a spoken syllable or word, or the chime, no long silences around it.
        assert 0.1 < seconds < 1.6, (name, seconds)
        head = samples[: SAMPLE_RATE // 50]
        assert max(abs(s) for s in head) > 100, f"{name} starts with silence"
        # One loudness for the speech (the chime is set a little lower on purpose); a peaky
        # clip (W) may stay up to 1 dB quieter rather than clip.
        assert rms_dbfs(samples) == pytest.approx(-22.0 if name == "chime" else -18.0, abs=1.0)
        assert max(abs(s) for s in samples) <= 29205  # -1 dBFS: never clipped
    assert total < 2 * 1024 * 1024


def test_the_generated_set_speaks_a_call(generated: Path) -> None:
    library = ClipLibrary.load(generated)
    clips = call_clips(Announcement("A023", 3, "c"))
    assert 3000 < library.duration_ms(clips) < 8000


def test_the_shipped_set_is_what_the_script_makes(generated: Path) -> None:
    """The committed clips were not edited by hand or left stale (espeak-ng is deterministic)."""
    shipped = ROOT / "resources" / "voice" / "zh_CN"
    manifest = tomllib.loads((shipped / MANIFEST).read_text(encoding="utf-8"))
    assert (shipped / MANIFEST).read_text(encoding="utf-8") == (generated / MANIFEST).read_text(
        encoding="utf-8"
    )
    for file in manifest["clips"].values():
        assert (shipped / file).read_bytes() == (generated / file).read_bytes(), file


def test_recorded_clips_replace_the_synthetic_ones(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    recorded.mkdir()
    # A "recording" at 48 kHz with half a second of silence around a 0.4 s tone.
    rate = 48000
    silence = [0] * (rate // 2)
    tone = [round(9000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(rate * 2 // 5)]
    stereo = array("h", (s for s in silence + tone + silence for _ in range(2)))
    with wave.open(str(recorded / "qing.wav"), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(stereo.tobytes())
    out = tmp_path / "out"
    result = run_script("--out", str(out), "--recorded", str(recorded))
    assert "qing: recorded" in result.stdout
    library = ClipLibrary.load(out)
    assert library.duration_ms(["qing"], gap_ms=0) == pytest.approx(400 + 2 * 15, abs=5)
    with wave.open(str(out / "qing.wav"), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SAMPLE_RATE, 1, 2)
    assert wav_bytes(array("h")) != (out / "qing.wav").read_bytes()
