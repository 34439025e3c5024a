"""Refresh the .ts files from the sources: ``make update-translations``.

Runs pyside6-lupdate over every .py under counter_app/ into each .ts file, keeping the
translations already there and dropping messages the code no longer has (``-no-obsolete``).
Safe to run again and again. Prints, per file, how many messages still need a translator.

English is the source language, so counter_app_en.ts may keep its translations empty: Qt then
shows the source text. Every message of counter_app_zh_CN.ts must be translated and finished
(tests/ui/test_translations.py checks it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "counter_app"
TRANSLATIONS = ROOT / "resources" / "translations"
# (file, target language); English is the language of the source strings.
TS_FILES = (
    (TRANSLATIONS / "counter_app_zh_CN.ts", "zh_CN"),
    (TRANSLATIONS / "counter_app_en.ts", "en"),
)
SOURCE_LANGUAGE = "en"


def qt_tool(name: str) -> str:
    """A PySide6 tool from the running interpreter's venv, else from PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found: install the project (make setup) first")
    return found


def source_files(root: Path = SOURCES) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate(ts: Path, language: str, sources: list[Path] | None = None) -> None:
    """Update (or create) ``ts`` from ``sources``; existing translations are kept."""
    files = source_files() if sources is None else sources
    ts.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lupdate-") as tmp:
        # An @list file keeps the command line short however many sources there are.
        listing = Path(tmp) / "sources.lst"
        listing.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
        result = subprocess.run(
            [
                qt_tool("pyside6-lupdate"),
                "-silent",
                "-no-obsolete",
                "-locations",
                "relative",
                "-source-language",
                SOURCE_LANGUAGE,
                "-target-language",
                language,
                f"@{listing}",
                "-ts",
                str(ts),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(
            f"pyside6-lupdate failed for {ts.name} ({result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )


@dataclass(frozen=True)
class Stats:
    messages: int
    unfinished: int


def stats(ts: Path) -> Stats:
    """How many messages ``ts`` has, and how many are not finished (empty or marked)."""
    messages = unfinished = 0
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "unfinished"
        if kind in ("obsolete", "vanished"):
            continue
        messages += 1
        if kind == "unfinished" or translation is None or not "".join(translation.itertext()):
            unfinished += 1
    return Stats(messages, unfinished)


def main() -> int:
    for ts, language in TS_FILES:
        run_lupdate(ts, language)
        counted = stats(ts)
        note = " (source language: empty ones show the source text)" if language == "en" else ""
        print(
            f"{ts.relative_to(ROOT)}: {counted.messages} messages, "
            f"{counted.unfinished} unfinished{note}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
