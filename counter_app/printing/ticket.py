"""Queue tickets (排号票) as ESC/POS bytes for a thermal printer.

The bytes are built with python-escpos's ``Dummy`` printer. Chinese text does not go through
python-escpos's text encoder (it knows only single-byte code pages and would print "?"): the
printer is put in Chinese mode (FS &) and each line is sent encoded in the profile's encoding.
The ticket number is drawn with Pillow and sent as a raster image (GS v 0) so it is large and
sharp on any printer. The same slip always gives the same bytes.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import platformdirs
from PIL import Image, ImageDraw, ImageFont, ImageOps

from counter_app import APP_NAME
from counter_app.printing.profiles import TicketProfile

logger = logging.getLogger(__name__)

# The font the golden tickets are made with; Debian package fonts-wqy-microhei.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Tried in order when the Debian font is absent (Windows counters).
_OTHER_FONTS = (
    Path("C:/Windows/Fonts/msyh.ttc"),
    Path("C:/Windows/Fonts/simhei.ttf"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
CHINESE_MODE_ON = FS + b"&"
# Multi-byte encodings for which the printer's Chinese mode is switched on.
_CHINESE_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312", "big5"})

_ELLIPSIS = "…"
# Blank dots kept around the big number so it is never cut at the paper's edge.
_NUMBER_SIDE_MARGIN = 16
_NUMBER_TOP_MARGIN = 8
_BLACK_BELOW = 128


@dataclass(frozen=True)
class TicketSlip:
    """What a queue ticket says; the queue service fills it, ``render_ticket`` prints it."""

    branch_name: str
    service_name: str
    number: str
    people_ahead: int
    estimated_wait_minutes: int | None
    issued_at: datetime  # timezone-aware; printed in the local time zone given to render
    ticket_id: str  # goes into the QR code for status look-up
    priority_label: str | None
    notice: str
    reprint: bool = False


def clean_text(text: str) -> str:
    """One printable line: control and format characters dropped, whitespace collapsed.

    Names come from the database; an ESC in one must not become a printer command.
    """
    kept = "".join(
        " " if ch.isspace() else "" if unicodedata.category(ch).startswith("C") else ch
        for ch in text
    )
    return " ".join(kept.split())


def char_columns(ch: str, encoding: str) -> int:
    """Cells a character takes: a multi-byte (CJK) character prints double-width."""
    return 2 if len(ch.encode(encoding, errors="replace")) > 1 else 1


def text_columns(text: str, encoding: str) -> int:
    return sum(char_columns(ch, encoding) for ch in text)


def wrap_columns(text: str, columns: int, encoding: str, max_lines: int) -> list[str]:
    """Split ``text`` into lines of at most ``columns`` cells; past ``max_lines``, cut with …."""
    if columns < 2 or max_lines < 1:
        raise ValueError("need at least 2 columns and 1 line")
    lines: list[str] = []
    current, used = "", 0
    for ch in clean_text(text):
        width = char_columns(ch, encoding)
        if used + width > columns:
            lines.append(current.rstrip())
            current, used = "", 0
            if ch == " ":
                continue
        current += ch
        used += width
    if current.strip() or not lines:
        lines.append(current.rstrip())
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    room = columns - text_columns(_ELLIPSIS, encoding)
    while text_columns(last, encoding) > room:
        last = last[:-1]
    kept[-1] = last.rstrip() + _ELLIPSIS
    return kept


def number_font_path() -> Path | None:
    """The CJK TrueType font for the big number, or None to use Pillow's built-in font."""
    for path in (CJK_FONT, *_OTHER_FONTS):
        if path.is_file():
            return path
    return None


@functools.cache
def _number_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = number_font_path()
    if path is None:
        logger.warning("No CJK font found; the ticket number uses Pillow's built-in font")
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size, index=0)


def _ink(text: str, size: int) -> Image.Image:
    """``text`` drawn black on white at ``size`` px, cropped to its ink, pure black/white."""
    font = _number_font(size)
    left, top, right, bottom = font.getbbox(text)
    canvas = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 255)
    ImageDraw.Draw(canvas).text((2 - left, 2 - top), text, font=font, fill=0)
    # Threshold instead of dithering: anti-aliased edges would print as speckles.
    binary = canvas.point([0 if v < _BLACK_BELOW else 255 for v in range(256)])
    box = ImageOps.invert(binary).getbbox()
    return binary.crop(box) if box else binary


def render_number_image(number: str, width_dots: int, height_dots: int) -> Image.Image:
    """The ticket number as large as fits ``width_dots`` × ``height_dots``, centred, 1-bit."""
    text = clean_text(number)
    if not text:
        raise ValueError("the ticket number is empty")
    max_w = width_dots - 2 * _NUMBER_SIDE_MARGIN
    max_h = height_dots - 2 * _NUMBER_TOP_MARGIN
    low, high = 8, max_h * 2
    best = _ink(text, low)
    while low <= high:
        size = (low + high) // 2
        ink = _ink(text, size)
        if ink.width <= max_w and ink.height <= max_h:
            best, low = ink, size + 1
        else:
            high = size - 1
    page = Image.new("L", (width_dots, height_dots), 255)
    page.paste(best, ((width_dots - best.width) // 2, (height_dots - best.height) // 2))
    return page.convert("1", dither=Image.Dither.NONE)


@contextmanager
def _library_side_effects_contained() -> Iterator[None]:
    """python-escpos configures the root logger and makes a temp folder when imported."""
    os.environ.setdefault(
        "ESCPOS_CAPABILITIES_PICKLE_DIR",
        str(platformdirs.user_cache_path(APP_NAME, appauthor=False, ensure_exists=True)),
    )
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)


@functools.cache
def _escpos() -> dict[str, Any]:
    with _library_side_effects_contained():
        from escpos import capabilities, constants
        from escpos.printer import Dummy
    return {"capabilities": capabilities, "constants": constants, "Dummy": Dummy}


def _new_printer(profile: TicketProfile) -> Any:
    lib = _escpos()
    capabilities = lib["capabilities"]
    data = copy.deepcopy(capabilities.get_profile_class("default").profile_data)
    # With the real width, escpos refuses an image wider than the paper instead of printing it.
    data["media"] = {
        "dpi": profile.dpi,
        "width": {"mm": profile.paper_width_mm, "pixels": profile.printable_width_dots},
    }
    profile_class = type("CounterTicketProfile", (capabilities.Profile,), {"profile_data": data})
    escpos_profile = profile_class(columns=profile.chars_per_line, features=data["features"])
    return lib["Dummy"](profile=escpos_profile)


class _TicketWriter:
    """Thin layer over the Dummy printer that sends text in the profile's encoding."""

    def __init__(self, profile: TicketProfile) -> None:
        self.profile = profile
        self.printer = _new_printer(profile)
        self.encoding = profile.encoding

    def raw(self, data: bytes) -> None:
        # Dummy._raw is its documented sink; escpos's text() would re-encode CJK to "?".
        self.printer._raw(data)

    def start(self) -> None:
        self.printer.hw("INIT")
        if self.encoding.replace("-", "").replace("_", "").lower() in _CHINESE_ENCODINGS:
            self.raw(CHINESE_MODE_ON)

    def style(
        self,
        *,
        align: str = "center",
        width: int = 1,
        height: int = 1,
        bold: bool = False,
        invert: bool = False,
    ) -> None:
        # GS ! sizes CJK and ASCII alike; ESC ! would leave Chinese characters small.
        self.printer.set(align=align, bold=bold, invert=invert)
        self.printer.set(custom_size=True, width=width, height=height)

    def lines(self, text: str, *, width: int = 1, max_lines: int = 1, pad: bool = False) -> None:
        if not clean_text(text):
            return
        # A padded line keeps one blank cell each side, so inverted text has a margin.
        columns = self.profile.chars_per_line // width - (2 if pad else 0)
        for line in wrap_columns(text, columns, self.encoding, max_lines):
            shown = f" {line} " if pad else line
            self.raw(shown.encode(self.encoding, errors="replace") + b"\n")

    def feed(self, lines: int = 1) -> None:
        self.printer.print_and_feed(lines)

    def image(self, image: Image.Image) -> None:
        self.printer.image(image, impl="bitImageRaster", center=False)

    def qr(self, payload: str) -> None:
        constants = _escpos()["constants"]
        self.printer.qr(
            payload, ec=constants.QR_ECLEVEL_M, size=self.profile.qr_module_dots, native=True
        )

    def finish(self) -> None:
        constants = _escpos()["constants"]
        self.feed(self.profile.feed_lines)
        if self.profile.cut == "partial":
            self.raw(constants.PAPER_PART_CUT)
        elif self.profile.cut == "full":
            self.raw(constants.PAPER_FULL_CUT)

    @property
    def output(self) -> bytes:
        data: bytes = self.printer.output
        return data


def _check(slip: TicketSlip) -> None:
    if slip.issued_at.tzinfo is None or slip.issued_at.utcoffset() is None:
        raise ValueError("issued_at must be timezone-aware")
    if slip.people_ahead < 0:
        raise ValueError("people_ahead must not be negative")
    if slip.estimated_wait_minutes is not None and slip.estimated_wait_minutes < 0:
        raise ValueError("estimated_wait_minutes must not be negative")
    if not clean_text(slip.ticket_id):
        raise ValueError("ticket_id is empty")


def render_ticket(slip: TicketSlip, profile: TicketProfile, tz: tzinfo) -> bytes:
    """The ticket as one ESC/POS job for ``profile``'s printer; times shown in ``tz``."""
    _check(slip)
    out = _TicketWriter(profile)
    out.start()

    out.style(height=2)
    out.lines(slip.branch_name, max_lines=2)
    out.style(width=2, height=2, bold=True)
    out.lines(slip.service_name, width=2, max_lines=2)

    out.style()
    out.image(
        render_number_image(slip.number, profile.printable_width_dots, profile.number_height_dots)
    )

    if slip.priority_label:
        out.style(width=2, height=2, bold=True, invert=True)
        out.lines(slip.priority_label, width=2, max_lines=1, pad=True)
    out.style(height=2)
    out.lines(f"您前面还有 {slip.people_ahead} 人")
    if slip.estimated_wait_minutes is not None:
        out.lines(f"预计等候约 {slip.estimated_wait_minutes} 分钟")

    out.style()
    issued = slip.issued_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    out.lines(f"取号时间 {issued}")
    out.feed(1)
    out.qr(clean_text(slip.ticket_id))
    out.feed(1)
    out.lines(slip.notice, max_lines=3)

    if slip.reprint:
        out.feed(1)
        out.style(width=2, height=2, bold=True, invert=True)
        out.lines("补打", width=2, pad=True)
    out.style(align="left")
    out.finish()
    return out.output
