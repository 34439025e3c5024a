"""Printer profiles: the ``printers/profiles/*.toml`` files a branch's IT person edits.

Only ticket (thermal ESC/POS) profiles are read here; every key is declared in
``TicketProfile``, and an undeclared or mistyped key is refused rather than ignored.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from counter_app.domain.errors import DomainError

CutMode = Literal["partial", "full", "none"]
_CUT_MODES: tuple[CutMode, ...] = ("partial", "full", "none")
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Font A on ESC/POS thermal printers is 12 dots wide; a CJK character takes two cells.
_FONT_A_DOTS = 12
_MIN_CHARS_PER_LINE = 16
_MM_PER_INCH = 25.4


class PrinterProfileError(DomainError):
    """A printer profile file is missing or not valid."""

    code = "printing.profile_invalid"
    http_status = 503


@dataclass(frozen=True)
class TicketProfile:
    """One thermal ticket printer model, as declared in ``printers/profiles/<name>.toml``."""

    name: str
    title: str
    paper_width_mm: int
    printable_width_dots: int
    dpi: int
    encoding: str
    chars_per_line: int
    cut: CutMode
    # Height in dots of the big ticket number printed as an image.
    number_height_dots: int = 192
    # Size of one QR module in dots (ESC/POS allows 1-16).
    qr_module_dots: int = 6
    # Lines fed before the cut, so the last line clears the cutter.
    feed_lines: int = 6

    @property
    def columns_double_width(self) -> int:
        """Columns available for double-width text."""
        return self.chars_per_line // 2


_REQUIRED = (
    "title",
    "paper_width_mm",
    "printable_width_dots",
    "dpi",
    "encoding",
    "chars_per_line",
    "cut",
)
_INT_FIELDS = {
    "paper_width_mm",
    "printable_width_dots",
    "dpi",
    "chars_per_line",
    "number_height_dots",
    "qr_module_dots",
    "feed_lines",
}
_DECLARED = {f.name for f in fields(TicketProfile)} - {"name"}


def printers_dir() -> Path:
    """The ``printers`` folder: beside the package in a source tree, inside it when frozen."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "printers", here / "printers"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("printers folder not found")


def profiles_dir() -> Path:
    return printers_dir() / "profiles"


def load_ticket_profile(name: str, directory: Path | None = None) -> TicketProfile:
    """Read and check ``<name>.toml``; raises PrinterProfileError on a missing or bad file."""
    if not _PROFILE_NAME.match(name):
        raise PrinterProfileError(
            f"not a profile name: {name!r}", profile=name, reason="bad profile name"
        )
    try:
        folder = directory if directory is not None else profiles_dir()
    except FileNotFoundError as exc:
        raise PrinterProfileError(str(exc), profile=name, reason=str(exc)) from exc
    path = folder / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PrinterProfileError(
            f"no printer profile {path}", profile=name, reason="file not found"
        ) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PrinterProfileError(
            f"cannot read printer profile {path}: {exc}", profile=name, reason=str(exc)
        ) from exc
    try:
        return _parse(name, data)
    except ValueError as exc:
        raise PrinterProfileError(
            f"printer profile {path}: {exc}", profile=name, reason=str(exc)
        ) from exc


def _parse(name: str, data: dict[str, Any]) -> TicketProfile:
    kind = data.pop("kind", None)
    if kind != "ticket":
        raise ValueError(f"kind is {kind!r}, not 'ticket'")
    unknown = sorted(set(data) - _DECLARED)
    if unknown:
        raise ValueError(f"undeclared keys: {', '.join(unknown)}")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise ValueError(f"missing keys: {', '.join(missing)}")
    for key in _INT_FIELDS & set(data):
        value = data[key]
        # bool is an int subclass; "true" for a width is a typo, not 1.
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{key} must be a positive whole number, not {value!r}")
    if not isinstance(data["title"], str) or not data["title"].strip():
        raise ValueError("title must be a non-empty text")
    encoding = data["encoding"]
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError) as exc:
        raise ValueError(f"unknown encoding {encoding!r}") from exc
    if data["cut"] not in _CUT_MODES:
        raise ValueError(f"cut must be one of {', '.join(_CUT_MODES)}, not {data['cut']!r}")
    profile = TicketProfile(name=name, **data)
    _check_geometry(profile)
    return profile


def _check_geometry(profile: TicketProfile) -> None:
    if profile.printable_width_dots % 8:
        raise ValueError("printable_width_dots must be a multiple of 8 (whole raster bytes)")
    paper_dots = profile.paper_width_mm / _MM_PER_INCH * profile.dpi
    if profile.printable_width_dots > paper_dots:
        raise ValueError(
            f"printable_width_dots {profile.printable_width_dots} is wider than the paper "
            f"({paper_dots:.0f} dots at {profile.dpi} dpi)"
        )
    if profile.chars_per_line < _MIN_CHARS_PER_LINE:
        raise ValueError(f"chars_per_line must be at least {_MIN_CHARS_PER_LINE}")
    if profile.chars_per_line * _FONT_A_DOTS > profile.printable_width_dots:
        raise ValueError(
            f"chars_per_line {profile.chars_per_line} does not fit "
            f"{profile.printable_width_dots} dots ({_FONT_A_DOTS} dots a character)"
        )
    if not 1 <= profile.qr_module_dots <= 16:
        raise ValueError("qr_module_dots must be between 1 and 16")
    if profile.feed_lines > 255:
        raise ValueError("feed_lines must be at most 255")
    if profile.number_height_dots > profile.printable_width_dots:
        raise ValueError("number_height_dots must not exceed printable_width_dots")
