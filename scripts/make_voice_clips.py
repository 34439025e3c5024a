"""Make the board's voice clips: ``.venv/bin/python scripts/make_voice_clips.py``.

Speaks every clip of ``counter_app.domain.announcement.VOICE_CLIPS`` with espeak-ng into
``resources/voice/zh_CN/`` (or ``--out``), adds a two-tone chime made here, and writes
``clips.toml``. Every clip is 16-bit mono PCM at 22,050 Hz, trimmed to the voice and brought to
one loudness. ``--recorded DIR`` takes ``DIR/<clip name>.wav`` (any PCM WAV) instead of the
synthetic voice wherever such a file exists, so recorded clips get the same treatment.

Chinese words use espeak-ng's Mandarin voice ``cmn-latn-pinyin`` fed with tone-numbered
pinyin: the plain ``cmn`` voice of espeak-ng 1.51 (Debian 12) reads many characters as
English words ("qing three"). Letters use the American English voice, which says the letter
names (A = "ei", G = "ji") as Chinese callers do; the Mandarin voice says G as "zhi".
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
from array import array
from pathlib import Path

from counter_app.devices.voice_clips import (
    MANIFEST,
    SAMPLE_RATE,
    normalise,
    read_wav,
    trim_silence,
    wav_bytes,
)
from counter_app.domain.announcement import CHIME, LETTERS, VOICE_CLIPS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "voice" / "zh_CN"
MANDARIN = "cmn-latn-pinyin"
ENGLISH = "en-us"
SPEED_WPM = 175  # a call of 4.4 s; 150 wpm drags to 5.2 s, 200 rushes the tones
PITCH = 50
DIGIT_PINYIN = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")
PINYIN: dict[str, str] = {
    "zaici_hujiao": "zai4 ci4 hu1 jiao4",
    "qing": "qing3",
    "hao": "hao4",
    "dao": "dao4",
    "hao_chuangkou": "hao4 chuang1 kou3",
    "banli": "ban4 li3",
    "shi": "shi2",
    "bai": "bai3",
    **{str(d): p for d, p in enumerate(DIGIT_PINYIN)},
}
SPEECH_RMS_DBFS = -18.0
CHIME_RMS_DBFS = -22.0  # pure tones sound louder than speech at the same RMS


def file_name(clip: str) -> str:
    """File names that stay distinct on case-insensitive file systems too."""
    if clip in LETTERS:
        return f"letter_{clip}.wav"
    if clip.isdigit():
        return f"digit_{clip}.wav"
    return f"{clip}.wav"


def chime(rate: int = SAMPLE_RATE) -> array[int]:
    """Ding-dong: E5 then C5, each a struck tone with a soft octave and an exponential decay."""
    out = array("h")
    for freq, seconds in ((659.25, 0.36), (523.25, 0.52)):
        frames = int(rate * seconds)
        attack = rate * 0.006
        for i in range(frames):
            t = i / rate
            envelope = min(1.0, i / attack) * math.exp(-t * 5.5)
            wave = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            out.append(round(12000 * envelope * wave))
    return out


def espeak(text: str, voice: str, workdir: Path, espeak_bin: str) -> array[int]:
    target = workdir / "clip.wav"
    subprocess.run(
        [espeak_bin, "-v", voice, "-s", str(SPEED_WPM), "-p", str(PITCH), "-w", str(target), text],
        check=True,
        capture_output=True,
    )
    return read_wav(target, SAMPLE_RATE)


def synthesise(clip: str, workdir: Path, espeak_bin: str) -> array[int]:
    if clip == CHIME:
        return chime()
    if clip in LETTERS:
        return espeak(clip, ENGLISH, workdir, espeak_bin)
    return espeak(PINYIN[clip], MANDARIN, workdir, espeak_bin)


def finish(clip: str, samples: array[int]) -> array[int]:
    trimmed = trim_silence(samples, SAMPLE_RATE)
    if not trimmed:
        raise SystemExit(f"clip {clip!r} is silent")
    target = CHIME_RMS_DBFS if clip == CHIME else SPEECH_RMS_DBFS
    return normalise(trimmed, SAMPLE_RATE, target_rms_dbfs=target)


def manifest_text(files: dict[str, str]) -> str:
    lines = [
        "# The board's voice clips: clip name = WAV file (any PCM WAV; the loader converts it).",
        "# Made by scripts/make_voice_clips.py; see resources/voice/README.md to record your own.",
        "",
        "[format]",
        f"sample_rate = {SAMPLE_RATE}",
        "sample_width = 2",
        "channels = 1",
        "",
        "[clips]",
        *(f'"{name}" = "{file}"' for name, file in files.items()),
        "",
        "# What each clip says.",
        "[words]",
        *(f'"{name}" = "{VOICE_CLIPS[name] or "(chime)"}"' for name in files),
        "",
    ]
    return "\n".join(lines)


def make_clips(out: Path, recorded: Path | None = None) -> dict[str, str]:
    """Write every clip and the manifest into ``out``; the manifest's name → file table."""
    espeak_bin = shutil.which("espeak-ng")
    if espeak_bin is None:
        raise SystemExit("espeak-ng is not installed (Debian package espeak-ng)")
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for clip in VOICE_CLIPS:
            source = recorded / f"{clip}.wav" if recorded is not None else None
            if source is not None and source.is_file():
                samples = read_wav(source, SAMPLE_RATE)
                print(f"{clip}: recorded {source}")
            else:
                samples = synthesise(clip, Path(tmp), espeak_bin)
            files[clip] = file_name(clip)
            (out / files[clip]).write_bytes(wav_bytes(finish(clip, samples), SAMPLE_RATE))
    (out / MANIFEST).write_text(manifest_text(files), encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the clip set")
    parser.add_argument(
        "--recorded", type=Path, help="folder of recorded <clip name>.wav to use instead"
    )
    args = parser.parse_args(argv)
    files = make_clips(args.out, args.recorded)
    size = sum((args.out / f).stat().st_size for f in files.values())
    print(f"{len(files)} clips, {size / 1024:.0f} KiB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
