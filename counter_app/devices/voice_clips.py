"""The board's voice clips: load a folder of WAV clips and join them into one call, in memory.

No Qt here: the counter's board plays the joined WAV through QtMultimedia and the hub serves the
same bytes to the web board. Every clip is held as 16-bit mono PCM at the set's sample rate.
Clips recorded in another WAV format (8/24/32-bit, stereo, another rate) are converted on load
rather than refused, so a branch can drop in recordings straight from a recorder; a file that is
not PCM WAV at all is refused with ``device.voice_clip_missing``.
"""

from __future__ import annotations

import io
import logging
import math
import sys
import tomllib
import wave
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from counter_app.domain.errors import DomainError

logger = logging.getLogger(__name__)

MANIFEST = "clips.toml"
SAMPLE_RATE = 22050  # espeak-ng's own rate: the generated set needs no resampling
SAMPLE_WIDTH = 2
CHANNELS = 1
DEFAULT_GAP_MS = 40  # between the words of one call; clips are trimmed to the voice
_FULL_SCALE = 32767
_BIG_ENDIAN = sys.byteorder == "big"


class VoiceClipMissing(DomainError):
    """A clip the call needs is not in the set, or its file cannot be read as a WAV."""

    code = "device.voice_clip_missing"
    http_status = 503


@dataclass(frozen=True)
class Clip:
    name: str
    samples: array[int]  # signed 16-bit mono at the library's rate

    @property
    def frames(self) -> int:
        return len(self.samples)


# --- PCM helpers (shared with scripts/make_voice_clips.py) ---


def pcm_bytes(samples: array[int]) -> bytes:
    """16-bit samples as little-endian PCM bytes, the byte order of WAV."""
    if _BIG_ENDIAN:
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def _from_le16(raw: bytes) -> array[int]:
    samples = array("h")
    samples.frombytes(raw[: len(raw) // 2 * 2])
    if _BIG_ENDIAN:
        samples.byteswap()
    return samples


def decode_pcm(raw: bytes, sample_width: int, channels: int) -> array[int]:
    """Little-endian PCM of 1..4 bytes per sample and any channel count → 16-bit mono."""
    if sample_width == 2:
        interleaved = _from_le16(raw)
    elif sample_width == 1:  # 8-bit WAV is unsigned
        interleaved = array("h", ((b - 128) << 8 for b in raw))
    elif sample_width in (3, 4):
        step = sample_width
        interleaved = array(
            "h",
            (
                int.from_bytes(raw[i + step - 2 : i + step], "little", signed=True)
                for i in range(0, len(raw) - step + 1, step)
            ),
        )
    else:
        raise ValueError(f"unsupported sample width {sample_width} bytes")
    if channels == 1:
        return interleaved
    if channels < 1:
        raise ValueError(f"bad channel count {channels}")
    frames = len(interleaved) // channels
    return array(
        "h",
        (sum(interleaved[f * channels : (f + 1) * channels]) // channels for f in range(frames)),
    )


def resample(samples: array[int], rate_in: int, rate_out: int) -> array[int]:
    """Linear-interpolation resampling; a box filter first when going down, against aliasing."""
    if rate_in == rate_out or not samples:
        return array("h", samples)
    if rate_in > rate_out:
        width = math.ceil(rate_in / rate_out)
        n, half = len(samples), width // 2
        prefix = [0, *accumulate(samples)]
        bounds = ((max(0, i - half), min(n, i - half + width)) for i in range(n))
        samples = array("h", ((prefix[hi] - prefix[lo]) // (hi - lo) for lo, hi in bounds))
    n_out = max(1, round(len(samples) * rate_out / rate_in))
    last = len(samples) - 1
    out = array("h", bytes(2 * n_out))
    ratio = rate_in / rate_out
    for j in range(n_out):
        pos = j * ratio
        i = int(pos)
        if i >= last:
            out[j] = samples[last]
        else:
            frac = pos - i
            out[j] = round(samples[i] + (samples[i + 1] - samples[i]) * frac)
    return out


def read_wav(data: bytes | Path, rate: int = SAMPLE_RATE) -> array[int]:
    """A PCM WAV file or its bytes as 16-bit mono at ``rate``; ValueError if it is not one."""
    source: Any = io.BytesIO(data) if isinstance(data, bytes) else str(data)
    try:
        with wave.open(source, "rb") as wav:
            width, channels, rate_in = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"not a PCM WAV file: {exc}") from exc
    if rate_in <= 0:
        raise ValueError(f"bad sample rate {rate_in}")
    return resample(decode_pcm(raw, width, channels), rate_in, rate)


def wav_bytes(samples: array[int], rate: int = SAMPLE_RATE) -> bytes:
    """A complete 16-bit mono WAV file holding ``samples``."""
    return _wav_from_pcm(pcm_bytes(samples), rate)


def _wav_from_pcm(pcm: bytes, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(CHANNELS)
        wav.setsampwidth(SAMPLE_WIDTH)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def trim_silence(
    samples: array[int], rate: int = SAMPLE_RATE, threshold: int = 400, pad_ms: int = 15
) -> array[int]:
    """Cut leading and trailing silence (below ``threshold``), keeping ``pad_ms`` each side."""
    loud = [i for i, s in enumerate(samples) if abs(s) >= threshold]
    if not loud:
        return array("h")
    pad = rate * pad_ms // 1000
    return array("h", samples[max(0, loud[0] - pad) : loud[-1] + pad + 1])


def normalise(
    samples: array[int],
    rate: int = SAMPLE_RATE,
    target_rms_dbfs: float = -18.0,
    peak_dbfs: float = -1.0,
    fade_ms: int = 5,
) -> array[int]:
    """Scale to a common loudness (RMS), never past ``peak_dbfs``; short fades against clicks."""
    if not samples:
        return array("h")
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    peak = max(abs(s) for s in samples)
    if rms == 0 or peak == 0:
        return array("h", samples)
    gain = min(
        _FULL_SCALE * 10 ** (target_rms_dbfs / 20) / rms,
        _FULL_SCALE * 10 ** (peak_dbfs / 20) / peak,
    )
    out = array("h", (max(-_FULL_SCALE, min(_FULL_SCALE, round(s * gain))) for s in samples))
    fade = min(len(out) // 2, rate * fade_ms // 1000)
    for i in range(fade):
        k = i / fade
        out[i] = round(out[i] * k)
        out[-1 - i] = round(out[-1 - i] * k)
    return out


def clip_folder(language: str = "zh_CN") -> Path:
    """The shipped clip set, ``resources/voice/<language>``, from the source tree or a build."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent, package):
        folder = candidate / "resources" / "voice" / language
        if folder.is_dir():
            return folder
    raise VoiceClipMissing(
        f"voice clip folder resources/voice/{language} not found", clip=MANIFEST, folder=""
    )


# --- the library ---


class ClipLibrary:
    """A named set of clips at one sample rate; joins them into one call."""

    def __init__(self, clips: Mapping[str, array[int]], rate: int = SAMPLE_RATE) -> None:
        self.rate = rate
        self._clips = {name: Clip(name, array("h", s)) for name, s in clips.items()}

    @classmethod
    def load(cls, folder: Path) -> ClipLibrary:
        """Read ``folder/clips.toml`` and every clip it lists; all problems in one error."""
        manifest_path = folder / MANIFEST
        try:
            manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
            files = manifest["clips"]
            rate = int(manifest.get("format", {}).get("sample_rate", SAMPLE_RATE))
            if not isinstance(files, dict) or rate <= 0:
                raise ValueError("[clips] must be a table of name = file, sample_rate > 0")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
            raise VoiceClipMissing(
                f"voice clip manifest {manifest_path} cannot be read: {exc}",
                clip=MANIFEST,
                folder=str(folder),
            ) from exc
        clips: dict[str, array[int]] = {}
        problems: list[str] = []
        for name, file in files.items():
            path = folder / str(file)
            try:
                clips[name] = read_wav(path, rate)
            except (OSError, ValueError) as exc:
                problems.append(f"{name} ({path.name}): {exc}")
        if problems:
            raise VoiceClipMissing(
                f"voice clips in {folder} cannot be read: " + "; ".join(problems),
                clip=problems[0].split(" ", 1)[0],
                folder=str(folder),
            )
        logger.info("Loaded %d voice clips from %s", len(clips), folder)
        return cls(clips, rate)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._clips)

    def __contains__(self, name: object) -> bool:
        return name in self._clips

    def missing(self, names: Iterable[str]) -> list[str]:
        """The names that have no clip, in order, without repeats."""
        return list(dict.fromkeys(n for n in names if n not in self._clips))

    def _clip(self, name: str) -> Clip:
        clip = self._clips.get(name)
        if clip is None:
            raise VoiceClipMissing(f"no voice clip named {name!r}", clip=name)
        return clip

    def _gap_frames(self, gap_ms: int) -> int:
        if gap_ms < 0:
            raise ValueError(f"gap_ms must not be negative, got {gap_ms}")
        return self.rate * gap_ms // 1000

    def frames(self, names: Sequence[str], gap_ms: int = DEFAULT_GAP_MS) -> int:
        gap = self._gap_frames(gap_ms)
        clips = [self._clip(n) for n in names]
        return sum(c.frames for c in clips) + gap * max(0, len(clips) - 1)

    def duration_ms(self, names: Sequence[str], gap_ms: int = DEFAULT_GAP_MS) -> float:
        """How long ``join(names, gap_ms)`` plays, in milliseconds."""
        return self.frames(names, gap_ms) * 1000 / self.rate

    def join_pcm(self, names: Sequence[str], gap_ms: int = DEFAULT_GAP_MS) -> bytes:
        """The clips one after another with ``gap_ms`` of silence between, as 16-bit LE PCM."""
        clips = [self._clip(n) for n in names]
        silence = bytes(SAMPLE_WIDTH * self._gap_frames(gap_ms))
        return silence.join(pcm_bytes(c.samples) for c in clips)

    def join(self, names: Sequence[str], gap_ms: int = DEFAULT_GAP_MS) -> bytes:
        """A complete WAV file (16-bit mono) of the clips joined, in memory."""
        return _wav_from_pcm(self.join_pcm(names, gap_ms), self.rate)
