"""Read ESC/POS bytes back: the text lines, raster images, QR payloads and cut of a job.

Used by the tests to assert on what a ticket says, and to draw a PNG of it for people to look at
(and for the simulated printer to show what it "printed"). It knows the commands the ticket
renderer and common thermal printers use, and refuses anything else, so a stray byte in a job
is found rather than skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from PIL import Image, ImageDraw, ImageFont

from counter_app.printing.ticket import char_columns, number_font_path

Align = Literal["left", "center", "right"]
_ALIGNS: dict[int, Align] = {0: "left", 1: "center", 2: "right"}
_ALIGNS.update({48 + n: align for n, align in list(_ALIGNS.items())})
_QR_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR, HT = 0x0A, 0x0D, 0x09
# ESC/POS font A: 12 x 24 dots a half-width character; lines pitched at 30 dots by default.
CELL_W, CELL_H, LINE_PITCH = 12, 24, 30

# Commands that are accepted and have no effect on the preview: prefix byte, command byte ->
# number of parameter bytes.
_IGNORED: dict[tuple[int, int], int] = {
    (ESC, ord("-")): 1,  # underline
    (ESC, ord("M")): 1,  # font
    (ESC, ord("{")): 1,  # upside down
    (ESC, ord("t")): 1,  # code table
    (ESC, ord("R")): 1,  # international set
    (ESC, ord("2")): 0,  # default line spacing
    (ESC, ord("3")): 1,  # line spacing
    (ESC, ord("r")): 1,  # colour
    (ESC, ord("G")): 1,  # double strike
    (ESC, ord("V")): 1,  # rotate
    (GS, ord("b")): 1,  # smoothing
    (GS, ord("|")): 1,  # density
    (GS, ord("L")): 2,  # left margin
    (GS, ord("W")): 2,  # print area width
    (FS, ord("!")): 1,  # Kanji print mode
    (FS, ord("-")): 1,  # Kanji underline
    (FS, ord("C")): 1,  # Kanji code system
    (FS, ord("S")): 2,  # Kanji spacing
    (FS, ord("W")): 1,  # Kanji quadruple size
    (DLE, 0x04): 1,  # real-time status request
    (DLE, 0x05): 1,  # real-time request
}


class EscposDecodeError(ValueError):
    """The bytes are not an ESC/POS job this decoder understands."""


@dataclass(frozen=True)
class TextLine:
    text: str
    align: Align = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    inverted: bool = False
    encoding: str = "gb18030"

    @property
    def columns(self) -> int:
        """Half-width cells the line takes on paper, size multiplier included."""
        return sum(char_columns(ch, self.encoding) for ch in self.text) * self.width


@dataclass(frozen=True)
class RasterImage:
    image: Image.Image  # mode "1", black where the printer burns a dot
    align: Align = "left"


@dataclass(frozen=True)
class QrCode:
    payload: str
    module_dots: int
    error_correction: str
    align: Align = "left"


@dataclass(frozen=True)
class Feed:
    lines: int


@dataclass(frozen=True)
class Cut:
    partial: bool


Block = TextLine | RasterImage | QrCode | Feed | Cut


@dataclass(frozen=True)
class EscposPreview:
    blocks: tuple[Block, ...]

    @property
    def text_lines(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, TextLine)]

    @property
    def lines(self) -> list[TextLine]:
        return [b for b in self.blocks if isinstance(b, TextLine)]

    @property
    def images(self) -> list[Image.Image]:
        return [b.image for b in self.blocks if isinstance(b, RasterImage)]

    @property
    def qr_codes(self) -> list[QrCode]:
        return [b for b in self.blocks if isinstance(b, QrCode)]

    @property
    def qr_payloads(self) -> list[str]:
        return [q.payload for q in self.qr_codes]

    @property
    def cuts(self) -> list[Cut]:
        return [b for b in self.blocks if isinstance(b, Cut)]


@dataclass
class _State:
    encoding: str
    align: Align = "left"
    width: int = 1
    height: int = 1
    bold: bool = False
    inverted: bool = False
    chinese: bool = False
    qr_module: int = 3
    qr_level: str = "L"
    qr_data: bytes = b""
    text: bytearray = field(default_factory=bytearray)

    def reset(self) -> None:
        self.align, self.width, self.height = "left", 1, 1
        self.bold = self.inverted = self.chinese = False


class _Decoder:
    def __init__(self, data: bytes, encoding: str) -> None:
        self.data = data
        self.pos = 0
        self.state = _State(encoding)
        self.blocks: list[Block] = []

    def take(self, count: int, what: str) -> bytes:
        if self.pos + count > len(self.data):
            raise EscposDecodeError(f"{what} cut short at byte {self.pos}")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def flush_line(self) -> None:
        s = self.state
        codec = s.encoding if s.chinese else "cp437"
        self.blocks.append(
            TextLine(
                text=bytes(s.text).decode(codec, errors="replace"),
                align=s.align,
                width=s.width,
                height=s.height,
                bold=s.bold,
                inverted=s.inverted,
                encoding=s.encoding,
            )
        )
        s.text.clear()

    def run(self) -> EscposPreview:
        while self.pos < len(self.data):
            byte = self.data[self.pos]
            self.pos += 1
            if byte == LF:
                self.flush_line()
            elif byte in (ESC, GS, FS, DLE):
                self.command(byte)
            elif byte == CR:
                continue
            elif byte == HT:
                self.state.text += b" "
            elif byte < 0x20 or byte == 0x7F:
                raise EscposDecodeError(f"control byte 0x{byte:02x} at {self.pos - 1}")
            else:
                self.state.text.append(byte)
        if self.state.text:
            raise EscposDecodeError("text left in the print buffer at the end of the job")
        return EscposPreview(tuple(self.blocks))

    def command(self, prefix: int) -> None:
        start = self.pos - 1
        cmd = self.take(1, "command")[0]
        ignored = _IGNORED.get((prefix, cmd))
        if ignored is not None:
            self.take(ignored, "command parameters")
            return
        handler = _HANDLERS.get((prefix, cmd))
        if handler is None:
            raise EscposDecodeError(f"unknown command {bytes([prefix, cmd])!r} at byte {start}")
        handler(self)

    # --- handlers ---

    def esc_init(self) -> None:
        self.state.reset()

    def esc_print_mode(self) -> None:
        n = self.take(1, "ESC !")[0]
        self.state.bold = bool(n & 0x08)
        self.state.height = 2 if n & 0x10 else 1
        self.state.width = 2 if n & 0x20 else 1

    def esc_bold(self) -> None:
        self.state.bold = bool(self.take(1, "ESC E")[0] & 1)

    def esc_align(self) -> None:
        n = self.take(1, "ESC a")[0]
        if n not in _ALIGNS:
            raise EscposDecodeError(f"bad alignment {n}")
        self.state.align = _ALIGNS[n]

    def esc_feed_lines(self) -> None:
        lines = self.take(1, "ESC d")[0]
        if self.state.text:
            self.flush_line()
        self.blocks.append(Feed(lines))

    def esc_feed_dots(self) -> None:
        dots = self.take(1, "ESC J")[0]
        if self.state.text:
            self.flush_line()
        self.blocks.append(Feed(max(1, round(dots / LINE_PITCH))))

    def gs_size(self) -> None:
        n = self.take(1, "GS !")[0]
        self.state.width = (n >> 4) + 1
        self.state.height = (n & 0x0F) + 1

    def gs_invert(self) -> None:
        self.state.inverted = bool(self.take(1, "GS B")[0] & 1)

    def gs_cut(self) -> None:
        m = self.take(1, "GS V")[0]
        if m in (65, 66):
            self.take(1, "GS V feed")
            self.blocks.append(Cut(partial=m == 66))
        elif m in (0, 1, 48, 49):
            self.blocks.append(Cut(partial=m in (1, 49)))
        else:
            raise EscposDecodeError(f"bad cut mode {m}")

    def gs_raster(self) -> None:
        if self.take(1, "GS v")[0] != ord("0"):
            raise EscposDecodeError("only GS v 0 raster images are known")
        header = self.take(5, "GS v 0 header")
        width_bytes = header[1] + header[2] * 256
        height = header[3] + header[4] * 256
        bits = self.take(width_bytes * height, "GS v 0 image data")
        # In the job a 1 bit is a black dot; "1;I" reads it as such.
        image = Image.frombytes("1", (width_bytes * 8, height), bits, "raw", "1;I")
        self.blocks.append(RasterImage(image, self.state.align))

    def gs_paren(self) -> None:
        kind = self.take(1, "GS (")[0]
        size = self.take(2, "GS ( length")
        body = self.take(size[0] + size[1] * 256, "GS ( data")
        if kind == ord("k"):
            self.two_d_code(body)
        elif kind != ord("L"):
            raise EscposDecodeError(f"unknown command GS ( {chr(kind)!r}")

    def two_d_code(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != ord("1"):
            raise EscposDecodeError("only QR codes (cn 49) are known in GS ( k")
        fn, args = body[1], body[2:]
        s = self.state
        if fn == ord("C"):
            s.qr_module = args[0]
        elif fn == ord("E"):
            s.qr_level = _QR_LEVELS.get(args[0], "?")
        elif fn == ord("P"):
            s.qr_data = bytes(args[1:])
        elif fn == ord("Q"):
            if s.text:
                self.flush_line()
            self.blocks.append(
                QrCode(s.qr_data.decode("utf-8", "replace"), s.qr_module, s.qr_level, s.align)
            )
        elif fn != ord("A"):
            raise EscposDecodeError(f"unknown QR function {fn}")

    def fs_chinese_on(self) -> None:
        self.state.chinese = True

    def fs_chinese_off(self) -> None:
        self.state.chinese = False


_HANDLERS: dict[tuple[int, int], Any] = {
    (ESC, ord("@")): _Decoder.esc_init,
    (ESC, ord("!")): _Decoder.esc_print_mode,
    (ESC, ord("E")): _Decoder.esc_bold,
    (ESC, ord("a")): _Decoder.esc_align,
    (ESC, ord("d")): _Decoder.esc_feed_lines,
    (ESC, ord("J")): _Decoder.esc_feed_dots,
    (GS, ord("!")): _Decoder.gs_size,
    (GS, ord("B")): _Decoder.gs_invert,
    (GS, ord("V")): _Decoder.gs_cut,
    (GS, ord("v")): _Decoder.gs_raster,
    (GS, ord("(")): _Decoder.gs_paren,
    (FS, ord("&")): _Decoder.fs_chinese_on,
    (FS, ord(".")): _Decoder.fs_chinese_off,
}


def decode(data: bytes, encoding: str = "gb18030") -> EscposPreview:
    """What the printer would print for ``data``; raises EscposDecodeError on unknown bytes."""
    return _Decoder(data, encoding).run()


# --- a picture of the paper ---


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = number_font_path()
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size, index=0)


def _place(piece: Image.Image, width: int, align: Align) -> Image.Image:
    row = Image.new("L", (width, piece.height), 255)
    x = {"left": 0, "center": (width - piece.width) // 2, "right": width - piece.width}[align]
    row.paste(piece, (x, 0))
    return row


def _text_piece(line: TextLine) -> Image.Image:
    font = _font(CELL_H)
    cells = [char_columns(ch, line.encoding) for ch in line.text]
    base = Image.new("L", (max(1, sum(cells) * CELL_W), CELL_H), 0 if line.inverted else 255)
    draw = ImageDraw.Draw(base)
    x = 0
    for ch, cell in zip(line.text, cells, strict=True):
        draw.text(
            (x + cell * CELL_W / 2, CELL_H / 2),
            ch,
            font=font,
            anchor="mm",
            fill=255 if line.inverted else 0,
            stroke_width=1 if line.bold else 0,
            stroke_fill=255 if line.inverted else 0,
        )
        x += cell * CELL_W
    size = (base.width * line.width, CELL_H * line.height)
    return base.resize(size, Image.Resampling.NEAREST)


def _qr_piece(code: QrCode) -> Image.Image:
    import qrcode

    levels = {
        "L": qrcode.constants.ERROR_CORRECT_L,
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }
    qr = qrcode.QRCode(
        error_correction=levels.get(code.error_correction, levels["L"]), box_size=1, border=0
    )
    qr.add_data(code.payload)
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    side = len(matrix) * code.module_dots
    piece = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(piece)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                m = code.module_dots
                draw.rectangle((x * m, y * m, x * m + m - 1, y * m + m - 1), fill=0)
    return piece


def render_png(preview: EscposPreview, width_dots: int) -> Image.Image:
    """A picture of the paper, one pixel a printer dot, with a dashed line where it is cut."""
    rows: list[Image.Image] = []
    for block in preview.blocks:
        if isinstance(block, TextLine):
            piece = _text_piece(block)
            rows.append(_place(piece, width_dots, block.align))
            rows.append(Image.new("L", (width_dots, LINE_PITCH * block.height - piece.height), 255))
        elif isinstance(block, RasterImage):
            rows.append(_place(block.image.convert("L"), width_dots, block.align))
        elif isinstance(block, QrCode):
            rows.append(_place(_qr_piece(block), width_dots, block.align))
        elif isinstance(block, Feed):
            rows.append(Image.new("L", (width_dots, LINE_PITCH * block.lines), 255))
        else:
            cut = Image.new("L", (width_dots, 9), 255)
            draw = ImageDraw.Draw(cut)
            step = 6 if block.partial else 12
            for x in range(0, width_dots, step * 2):
                draw.line((x, 4, x + step, 4), fill=0, width=1)
            rows.append(cut)
    margin = 16
    paper = Image.new("L", (width_dots + 2 * margin, sum(r.height for r in rows) + 2 * margin), 255)
    y = margin
    for row in rows:
        paper.paste(row, (margin, y))
        y += row.height
    return paper
