"""Policies and endorsements as PDF, laid out by a ``printers/forms/*.toml`` form layout.

The layout is first turned into a plan (what text goes where, at which size, on which page); the
PDF is drawn from the plan, and ``layout_report`` returns the plan's fitting results so tests and
the preview can check that nothing was cut. Text is set in the embedded CJK TrueType font of
``intake_pdf.cjk_font_name``; barcodes are reportlab's own vector QR and Code 128.

Printing on a pre-printed form leaves the scanned background out; ``background=True`` draws it
under the fields for previews. A ``Calibration`` (measured with ``render_calibration_page``)
shifts and stretches everything printed, so the fields land in the form's boxes on a printer
that feeds the paper a little off.

Nothing is dropped silently: a table with more rows than its form has room for ends with
"其余 N 项见附页", and a wrapped text too long for its box ends with "…（转附页）"; the rest of
the table and the whole text follow on continuation pages (附页) after the form, of the form's
size. On pre-printed stationery only page 1 belongs on the form.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.errors import InvalidInput, NotFound
from counter_app.printing.form_layout import (
    MM_PER_PT,
    Align,
    Barcode,
    FormLayout,
    FormLayoutInvalid,
    Table,
    Template,
    TextField,
    document_kind,
    line_height_mm,
    lookup,
)
from counter_app.printing.intake_pdf import cjk_font_name
from counter_app.printing.ticket import clean_text

MAX_SHIFT_MM = 20.0
MIN_SCALE = 0.9
MAX_SCALE = 1.1
CROSS_INSET_MM = 20.0  # the calibration crosses sit this far in from the corners
ELLIPSIS = "…"
_CONTINUED = "…（转附页）"
# The middle of a CJK ideograph sits about 0.38 em above the baseline (em box -0.12 … 0.88).
_IDEOGRAPH_MIDDLE = 0.38
_SHRINK_STEP = 0.25  # pt
_BOLD_STROKE = 0.035  # of the font size: the font has no bold face, so the glyphs are outlined
_QR_BORDER = 4  # modules of white around a QR code (ISO/IEC 18004)
_CODE128_QUIET = 10  # modules of white either side (ISO/IEC 15417)
_CODE128_MAX_BAR_MM = 0.4
_CODE128_MIN_BAR_MM = 0.19  # narrower bars are missed by hand scanners on office prints
_ATTACHMENT_MARGIN_MM = 10.0
_NO_LINE_START = frozenset("，。、；：？！）》」』”’…,.;:?!)")
_TOKENS = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/%@_+\-]*|\s+|.")


_QR_MASK = 2


class NoAttachment(NotFound):
    code = "printing.no_attachment"


class CalibrationInvalid(InvalidInput):
    code = "printing.calibration_invalid"


@dataclass(frozen=True)
class Calibration:
    """How a printer's output must be moved to land where the layout says: ``dx_mm`` to the
    right, ``dy_mm`` down, positions stretched by ``scale_x``/``scale_y`` about the top-left
    corner of the page (text keeps its size)."""

    dx_mm: float = 0.0
    dy_mm: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0

    def __post_init__(self) -> None:
        for name in ("dx_mm", "dy_mm"):
            value = getattr(self, name)
            if not math.isfinite(value) or abs(value) > MAX_SHIFT_MM:
                raise CalibrationInvalid(
                    f"{name} must be between -{MAX_SHIFT_MM:g} and {MAX_SHIFT_MM:g} mm",
                    key=name,
                    value=value,
                )
        for name in ("scale_x", "scale_y"):
            value = getattr(self, name)
            if not math.isfinite(value) or not MIN_SCALE <= value <= MAX_SCALE:
                raise CalibrationInvalid(
                    f"{name} must be between {MIN_SCALE:g} and {MAX_SCALE:g}",
                    key=name,
                    value=value,
                )

    def x(self, x_mm: float) -> float:
        return self.dx_mm + x_mm * self.scale_x

    def y(self, y_mm: float) -> float:
        return self.dy_mm + y_mm * self.scale_y

    @classmethod
    def from_marks(
        cls,
        width_mm: float,
        height_mm: float,
        first: tuple[float, float],
        second: tuple[float, float],
        current: Calibration | None = None,
    ) -> Calibration:
        """The calibration that puts the crosses of ``render_calibration_page`` where they
        belong, from where they were measured on a page printed with ``current``: ``first``
        is the top-left cross, ``second`` the bottom-right one, each (mm from the left
        edge, mm from the top edge)."""
        now = current if current is not None else Calibration()
        dx, sx = _axis(first[0], second[0], width_mm, now.dx_mm, now.scale_x)
        dy, sy = _axis(first[1], second[1], height_mm, now.dy_mm, now.scale_y)
        return cls(dx_mm=dx, dy_mm=dy, scale_x=sx, scale_y=sy)


def _axis(
    first: float, second: float, extent: float, shift: float, scale: float
) -> tuple[float, float]:
    # Printed (through the current calibration) = a + b * nominal; the printer alone is
    # then a + b/scale * (u - shift); the new calibration inverts that.
    nominal = extent - 2 * CROSS_INSET_MM
    if nominal <= 0 or second <= first:
        raise CalibrationInvalid("the second cross must lie right of and below the first")
    b = (second - first) / nominal
    a = first - CROSS_INSET_MM * b
    new_scale = scale / b
    return round(shift - a * new_scale, 2), round(new_scale, 4)


@dataclass(frozen=True)
class FieldFit:
    """How one piece of text (or one barcode) was fitted: what the layout asked for, what
    was printed. For a barcode, ``size`` is its module (narrowest bar) in mm and ``cut``
    means it could not be printed readably."""

    key: str  # "field[3]", "table[1].row[2].column[1]", "barcode[1]"
    page: int  # 1: the form; 2 and on: continuation pages
    wanted: str  # the full text
    text: str  # what was printed; ends with "…" when cut
    size: float
    layout_size: float
    cut: bool
    lines: int = 1
    continued: bool = False  # the rest is on a continuation page (附页)

    @property
    def shrunk(self) -> bool:
        return self.size < self.layout_size


# --- the plan ---


@dataclass(frozen=True)
class _Text:
    x: float  # left end, mm
    baseline: float  # mm from the top
    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True)
class _Stroke:
    x1: float
    y1: float
    x2: float
    y2: float
    width_pt: float


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    width: float
    height: float
    width_pt: float


@dataclass(frozen=True)
class _Code:
    symbology: str
    value: str
    x: float
    y: float
    width: float
    height: float
    module: float  # mm
    matrix: tuple[tuple[bool, ...], ...] = ()  # QR modules, dark = True


_Op = _Text | _Stroke | _Rect | _Code


@dataclass
class _Plan:
    width: float
    height: float
    pages: list[list[_Op]] = field(default_factory=lambda: [[]])
    fits: list[FieldFit] = field(default_factory=list)
    continued: list[_Overflow | _TextOverflow] = field(default_factory=list)


@dataclass(frozen=True)
class _Overflow:
    """Rows of a table that did not fit on the form."""

    table: Table
    rows: list[Mapping[str, Any]]
    first: int  # number of the first row carried over, from 1


@dataclass(frozen=True)
class _TextOverflow:
    """A wrapped text too long for its box: the whole of it goes on the 附页."""

    field: TextField
    text: str


def _font() -> str:
    return cjk_font_name()


def text_width_mm(text: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, _font(), size)) / float(mm)


def _baseline(middle: float, size: float) -> float:
    return middle + _IDEOGRAPH_MIDDLE * size * MM_PER_PT


def _left(x: float, width: float, text: str, size: float, align: Align) -> float:
    if align == "left":
        return x
    spare = width - text_width_mm(text, size)
    return x + (spare / 2 if align == "center" else spare)


def _cut(text: str, width: float, size: float, tail: str = ELLIPSIS) -> str:
    """The longest start of ``text`` that fits with ``tail`` after it."""
    low, high = 0, len(text)  # text[:low] + tail fits (or low is 0); text[:high + 1] does not
    while low < high:
        middle = (low + high + 1) // 2
        if text_width_mm(text[:middle].rstrip() + tail, size) <= width:
            low = middle
        else:
            high = middle - 1
    candidate = text[:low].rstrip() + tail
    return candidate if text_width_mm(candidate, size) <= width else ""


def fit_line(text: str, width: float, size: float, min_size: float) -> tuple[str, float, bool]:
    """One line in ``width`` mm: the font shrinks as far as ``min_size``, then the text is cut.
    Returns (text, size, cut)."""
    wide = text_width_mm(text, size)
    if wide <= width:
        return text, size, False
    # Width grows with the size, so the size that fits is found directly.
    fitting = math.floor(size * width / wide / _SHRINK_STEP) * _SHRINK_STEP
    if fitting >= min_size:
        return text, fitting, False
    return _cut(text, width, min_size), min_size, True


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """Lines of at most ``width`` mm. Chinese breaks between any two characters; a run of
    Latin letters and digits (a VIN, an amount) stays whole unless it is longer than a line;
    closing punctuation never starts a line; a newline in the text always breaks."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(clean_text(paragraph)):
            if text_width_mm(line + token, size) <= width:
                line += token
            elif token.isspace():
                lines.append(line.rstrip())
                line = ""
            elif token in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
                lines.append(line[:-1].rstrip())
                line = line[-1] + token
            else:
                if line.strip():
                    lines.append(line.rstrip())
                rest = token
                while text_width_mm(rest, size) > width and len(rest) > 1:
                    end = max(
                        (n for n in range(1, len(rest)) if text_width_mm(rest[:n], size) <= width),
                        default=1,
                    )
                    lines.append(rest[:end])
                    rest = rest[end:]
                line = rest
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return lines


def fit_block(
    text: str, width: float, height: float, size: float, min_size: float, tail: str = ELLIPSIS
) -> tuple[list[str], float, bool]:
    """Wrapped lines inside ``width`` × ``height`` mm: the font shrinks until the lines fit,
    down to ``min_size``; what still does not fit is cut, the last line ending in ``tail``."""
    current = size
    while True:
        lines = wrap_lines(text, width, current)
        room = max(1, math.floor(height / line_height_mm(current) + 1e-6))
        if len(lines) <= room:
            return lines, current, False
        if current <= min_size:
            break
        current = max(min_size, current - _SHRINK_STEP)
    kept = lines[:room]
    kept[-1] = _cut(kept[-1] + lines[room], width, current, tail)
    return kept, current, True


def _render(
    layout: FormLayout,
    key: str,
    template: Template,
    context: Mapping[str, Any],
    row_number: int | None = None,
) -> str:
    try:
        return template.render(context, row_number)
    except ValueError as exc:
        raise FormLayoutInvalid(
            f"form layout {layout.path.name}: {key}: {exc}",
            file=str(layout.path),
            key=key,
            reason=str(exc),
        ) from exc


def _place_line(
    plan: _Plan,
    page: int,
    key: str,
    text: str,
    box: tuple[float, float, float, float],
    size: float,
    min_size: float,
    align: Align,
    bold: bool = False,
) -> None:
    x, y, width, height = box
    shown, final, cut = fit_line(clean_text(text), width, size, min_size)
    if shown:
        left = _left(x, width, shown, final, align)
        plan.pages[page - 1].append(
            _Text(left, _baseline(y + height / 2, final), shown, final, bold)
        )
    plan.fits.append(FieldFit(key, page, clean_text(text), shown, final, size, cut))


def _place_field(plan: _Plan, item: TextField, text: str) -> None:
    box = (item.x_mm, item.y_mm, item.width_mm, item.height_mm)
    if item.fit == "shrink":
        _place_line(plan, 1, item.key, text, box, item.size, item.min_size, item.align, item.bold)
        return
    lines, size, cut = fit_block(
        text, item.width_mm, item.height_mm, item.size, item.min_size, _CONTINUED
    )
    leading = line_height_mm(size)
    top = item.y_mm
    if item.valign == "middle":
        top += (item.height_mm - leading * len(lines)) / 2
    for index, line in enumerate(lines):
        if not line:
            continue
        left = _left(item.x_mm, item.width_mm, line, size, item.align)
        middle = top + leading * (index + 0.5)
        plan.pages[0].append(_Text(left, _baseline(middle, size), line, size, item.bold))
    wanted = "\n".join(clean_text(p) for p in text.split("\n")).strip()
    # What does not fit is not lost: all of it follows on a continuation page.
    plan.fits.append(
        FieldFit(item.key, 1, wanted, "\n".join(lines), size, item.size, False, len(lines), cut)
    )
    if cut:
        plan.continued.append(_TextOverflow(item, wanted))


def _rows(layout: FormLayout, table: Table, document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = lookup(document, table.rows)
    if value is None:
        return []
    path = ".".join(table.rows)
    if not isinstance(value, list) or not all(isinstance(row, Mapping) for row in value):
        raise FormLayoutInvalid(
            f"form layout {layout.path.name}: {table.key}.rows: {path} is not a list of tables",
            file=str(layout.path),
            key=f"{table.key}.rows",
        )
    return value


def _place_table(
    plan: _Plan, layout: FormLayout, table: Table, rows: list[Mapping[str, Any]]
) -> _Overflow | None:
    shown = rows if len(rows) <= table.max_rows else rows[: table.max_rows - 1]
    for index, row in enumerate(shown):
        y = table.y_mm + index * table.row_height_mm
        for column in table.columns:
            key = f"{table.key}.row[{index + 1}].{column.key.rsplit('.', 1)[-1]}"
            text = _render(layout, column.key, column.text, row, index + 1)
            box = (table.x_mm + column.x_mm, y, column.width_mm, table.row_height_mm)
            _place_line(plan, 1, key, text, box, column.size, column.min_size, column.align)
    if len(shown) == len(rows):
        return None
    rest = len(rows) - len(shown)
    y = table.y_mm + len(shown) * table.row_height_mm
    box = (table.x_mm + table.left_mm, y, table.right_mm - table.left_mm, table.row_height_mm)
    _place_line(
        plan,
        1,
        f"{table.key}.more",
        f"其余 {rest} 项见附页",
        box,
        table.size,
        min(column.min_size for column in table.columns),
        "left",
    )
    return _Overflow(table, rows[len(shown) :], len(shown) + 1)


def _place_barcode(
    plan: _Plan, layout: FormLayout, item: Barcode, document: Mapping[str, Any]
) -> None:
    value = _render(layout, item.key, item.text, document).strip()
    if not value:
        plan.fits.append(FieldFit(item.key, 1, "", "", 0.0, 0.0, False))
        return
    if item.symbology == "qr":
        widget = QrCodeWidget(value, barLevel="M")
        if widget.qr.version is None:
            widget.qr.version = widget.qr.calculate_version()
        # Any of the eight masks reads; searching for the least-penalty one (``make``) cost
        # 13 ms a code, most of a plain-paper policy's rendering.
        widget.qr.makeImpl(False, _QR_MASK)
        matrix = tuple(tuple(bool(cell) for cell in row) for row in widget.qr.modules)
        side = min(item.width_mm, item.height_mm)
        module = side / (len(matrix) + 2 * _QR_BORDER)
        x = item.x_mm + (item.width_mm - side) / 2
        y = item.y_mm + (item.height_mm - side) / 2
        plan.pages[0].append(_Code("qr", value, x, y, side, side, module, matrix))
        plan.fits.append(FieldFit(item.key, 1, value, value, module, module, module < 0.25))
        return
    if not value.isascii() or not value.isprintable():
        plan.fits.append(FieldFit(item.key, 1, value, "", 0.0, 0.0, True))
        return
    modules = float(Code128(value, barWidth=1, quiet=0).width) + 2 * _CODE128_QUIET
    bar = min(_CODE128_MAX_BAR_MM, item.width_mm / modules)
    width = bar * modules
    x = item.x_mm + (item.width_mm - width) / 2
    plan.pages[0].append(_Code("code128", value, x, item.y_mm, width, item.height_mm, bar))
    plan.fits.append(FieldFit(item.key, 1, value, value, bar, bar, bar < _CODE128_MIN_BAR_MM))


def _plan(layout: FormLayout, document: Mapping[str, Any]) -> _Plan:
    layout.check_document(document)
    plan = _Plan(layout.width_mm, layout.height_mm)
    page = plan.pages[0]
    page.extend(
        _Stroke(line.x1_mm, line.y1_mm, line.x2_mm, line.y2_mm, line.line_width_pt)
        for line in layout.lines
    )
    page.extend(
        _Rect(box.x_mm, box.y_mm, box.width_mm, box.height_mm, box.line_width_pt)
        for box in layout.boxes
    )
    for item in layout.fields:
        _place_field(plan, item, _render(layout, item.key, item.text, document))
    for table in layout.tables:
        overflow = _place_table(plan, layout, table, _rows(layout, table, document))
        if overflow is not None:
            plan.continued.append(overflow)
    for barcode in layout.barcodes:
        _place_barcode(plan, layout, barcode, document)
    if plan.continued:
        pages = _Attachment(plan, layout, document)
        for part in plan.continued:
            if isinstance(part, _Overflow):
                pages.table(part)
            else:
                pages.text_block(part)
        pages.number_pages()
    return plan


# --- continuation pages (附页) ---


def _attachment_title(document: Mapping[str, Any]) -> str:
    return "批单附页" if document_kind(document) == "endorsement" else "保险单附页"


def _numbers_line(document: Mapping[str, Any]) -> str:
    if document_kind(document) == "endorsement":
        return (
            f"批单号：{document.get('endorsement_number', '')}　"
            f"保险单号：{document.get('policy_number', '')}"
        )
    return f"保险单号：{document.get('policy_number', '')}"


class _Attachment:
    """Continuation pages of the form's size: the rows that did not fit, as ruled tables, and
    the whole of each text too long for its box."""

    def __init__(self, plan: _Plan, layout: FormLayout, document: Mapping[str, Any]) -> None:
        self.plan = plan
        self.layout = layout
        self.document = document
        self.margin = _ATTACHMENT_MARGIN_MM
        self.width = plan.width - 2 * self.margin
        self.bottom = plan.height - self.margin - 6  # room for the page number
        self.first_page = len(plan.pages) + 1
        self.y: float | None = None  # None: no page started yet

    def text(
        self,
        key: str,
        text: str,
        box: tuple[float, float, float, float],
        size: float,
        align: Align = "left",
        bold: bool = False,
    ) -> None:
        _place_line(
            self.plan, len(self.plan.pages), key, text, box, size, min(size, 6), align, bold
        )

    def heading(self, title: str, rows_after: float) -> None:
        """A part's title, on a new page unless it and ``rows_after`` mm fit on this one."""
        if self.y is None or self.y + 10 + rows_after > self.bottom:
            self.plan.pages.append([])
            top = self.margin
            self.text(
                "attachment.title",
                _attachment_title(self.document),
                (self.margin, top, self.width, 7),
                12,
                "center",
                bold=True,
            )
            self.text(
                "attachment.numbers",
                _numbers_line(self.document),
                (self.margin, top + 8, self.width, 5),
                9,
            )
            self.y = top + 15
        else:
            self.y += 3
        self.text("attachment.heading", title, (self.margin, self.y, self.width, 6), 10, bold=True)
        self.y += 7

    def table(self, overflow: _Overflow) -> None:
        table = overflow.table
        total = sum(column.width_mm for column in table.columns)
        widths = [column.width_mm / total * self.width for column in table.columns]
        lefts = [self.margin + sum(widths[:n]) for n in range(len(widths))]
        size = max(column.size for column in table.columns)
        height = max(table.row_height_mm, line_height_mm(size) + 1.5)
        cells = list(zip(table.columns, lefts, widths, strict=True))

        def row(texts: Sequence[str], keys: Sequence[str], heading: bool) -> None:
            assert self.y is not None
            for (column, left, wide), text, key in zip(cells, texts, keys, strict=True):
                self.plan.pages[-1].append(_Rect(left, self.y, wide, height, 0.5))
                box = (left + 1, self.y, wide - 2, height)
                align: Align = "center" if heading else column.align
                _place_line(
                    self.plan,
                    len(self.plan.pages),
                    key,
                    text,
                    box,
                    column.size,
                    column.min_size,
                    align,
                    heading,
                )
            self.y += height

        def header(title: str) -> None:
            self.heading(title, 2 * height)
            row([c.title for c in table.columns], [f"{c.key}.title" for c in table.columns], True)

        header(table.title)
        for offset, data in enumerate(overflow.rows):
            number = overflow.first + offset
            assert self.y is not None
            if self.y + height > self.bottom:
                self.y = None
                header(f"{table.title}（续）")
            keys = [f"{table.key}.row[{number}].{c.key.rsplit('.', 1)[-1]}" for c in table.columns]
            texts = [_render(self.layout, c.key, c.text, data, number) for c in table.columns]
            row(texts, keys, False)

    def text_block(self, overflow: _TextOverflow) -> None:
        item = overflow.field
        size = max(item.size, 9.0)
        leading = line_height_mm(size)
        lines = wrap_lines(overflow.text, self.width, size)
        self.heading(item.title, 2 * leading)
        for number, line in enumerate(lines, start=1):
            assert self.y is not None
            if self.y + leading > self.bottom:
                self.y = None
                self.heading(f"{item.title}（续）", 2 * leading)
                assert self.y is not None
            box = (self.margin, self.y, self.width, leading)
            # One line of the wrapped text each, so nothing is shrunk a second time.
            _place_line(
                self.plan,
                len(self.plan.pages),
                f"{item.key}.line[{number}]",
                line,
                box,
                size,
                size,
                "left",
            )
            self.y += leading

    def number_pages(self) -> None:
        total = len(self.plan.pages) - self.first_page + 1
        for index in range(total):
            _place_line(
                self.plan,
                self.first_page + index,
                "attachment.page",
                f"附页 第 {index + 1} 页 / 共 {total} 页",
                (self.margin, self.plan.height - self.margin - 5, self.width, 5),
                8,
                6,
                "right",
            )


# --- drawing ---


class _Painter:
    """Draws plan operations, positions mapped through the calibration."""

    def __init__(self, canvas: Canvas, height: float, calibration: Calibration) -> None:
        self.canvas = canvas
        self.height = height
        self.cal = calibration

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.cal.x(x) * mm, (self.height - self.cal.y(y)) * mm

    def draw(self, op: _Op) -> None:
        c = self.canvas
        if isinstance(op, _Text):
            x, y = self.point(op.x, op.baseline)
            text = c.beginText(x, y)
            text.setFont(_font(), op.size)
            if op.bold:
                c.setLineWidth(op.size * _BOLD_STROKE)
                text.setTextRenderMode(2)
            text.textOut(op.text)
            c.drawText(text)
        elif isinstance(op, _Stroke):
            c.setLineWidth(op.width_pt)
            c.line(*self.point(op.x1, op.y1), *self.point(op.x2, op.y2))
        elif isinstance(op, _Rect):
            c.setLineWidth(op.width_pt)
            left, top = self.point(op.x, op.y)
            right, bottom = self.point(op.x + op.width, op.y + op.height)
            c.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)
        else:
            self.barcode(op)

    def barcode(self, op: _Code) -> None:
        left, bottom = self.point(op.x, op.y + op.height)
        if op.symbology == "qr":
            # Drawn module by module: reportlab's renderer would name Helvetica in the PDF.
            module = op.module * mm
            x0, top = self.point(op.x, op.y)
            for row, cells in enumerate(op.matrix):
                column = 0
                for dark, run in itertools.groupby(cells):
                    count = len(list(run))
                    if dark:
                        x = x0 + (_QR_BORDER + column) * module
                        y = top - (_QR_BORDER + row + 1) * module
                        self.canvas.rect(x, y, count * module, module, stroke=0, fill=1)
                    column += count
            return
        quiet = _CODE128_QUIET * op.module * mm
        bars = Code128(
            op.value,
            barWidth=op.module * mm,
            barHeight=op.height * mm * self.cal.scale_y,
            lquiet=quiet,
            rquiet=quiet,
            humanReadable=False,
        )
        bars.drawOn(self.canvas, left, bottom)


def _canvas(out: io.BytesIO, width: float, height: float, title: str) -> Canvas:
    canvas = Canvas(
        out,
        pagesize=(width * mm, height * mm),
        invariant=1,
        # Without this the page preamble names Helvetica, a font the PDF would not embed.
        initialFontName=_font(),
        initialFontSize=10,
    )
    canvas.setTitle(title)
    canvas.setAuthor("counter-app")
    canvas.setCreator("counter-app")
    return canvas


def render_form(
    layout: FormLayout,
    document: Mapping[str, Any],
    *,
    background: bool = False,
    calibration: Calibration = Calibration(),
    part: Literal["all", "form", "attachment"] = "all",
) -> bytes:
    """The document laid out on one page of the layout's size, plus continuation pages when a
    table overflows. ``background``: draw the scanned blank form under it (previews only).

    ``part``: a pre-printed job sends only the ``form`` page to the numbered blank form; the
    continuation pages (``attachment``, 附页) go on plain paper, or they would use up the
    next numbered form without the ledger knowing."""
    plan = _plan(layout, document)
    pages = list(enumerate(plan.pages))
    if part == "form":
        pages = pages[:1]
    elif part == "attachment":
        pages = pages[1:]
        if not pages:
            raise NoAttachment("this document fits on its form: no continuation pages")
    number = document.get("endorsement_number") or document.get("policy_number") or ""
    out = io.BytesIO()
    canvas = _canvas(out, plan.width, plan.height, f"{layout.title} {number}".strip())
    painter = _Painter(canvas, plan.height, calibration)
    for index, ops in pages:
        scan = layout.background_path
        if background and index == 0 and scan is not None:
            # The scan stays where the paper is: calibration moves the printing only.
            canvas.drawImage(str(scan), 0, 0, plan.width * mm, plan.height * mm)
        for op in ops:
            painter.draw(op)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def layout_report(layout: FormLayout, document: Mapping[str, Any]) -> list[FieldFit]:
    """How every text and barcode of the document fitted, in drawing order."""
    return _plan(layout, document).fits


def page_count(layout: FormLayout, document: Mapping[str, Any]) -> int:
    """1, or more when tables continue on 附页 (to be printed on plain paper)."""
    return len(_plan(layout, document).pages)


# --- the calibration page ---


def _ruler(ops: list[_Op], width: float, height: float) -> None:
    for x in range(int(width) + 1):
        tick = 5.0 if x % 10 == 0 else 3.5 if x % 5 == 0 else 2.0
        ops.append(_Stroke(x, 0, x, tick, 0.25 if x % 5 else 0.4))
        if x % 10 == 0 and 0 < x < width - 3:
            label = str(x)
            ops.append(_Text(x - text_width_mm(label, 6) / 2, 8, label, 6))
    for y in range(int(height) + 1):
        tick = 5.0 if y % 10 == 0 else 3.5 if y % 5 == 0 else 2.0
        ops.append(_Stroke(0, y, tick, y, 0.25 if y % 5 else 0.4))
        if y % 10 == 0 and 0 < y < height - 3:
            ops.append(_Text(6, _baseline(y, 6), str(y), 6))


def _cross(ops: list[_Op], x: float, y: float, name: str, towards_centre: float) -> None:
    """A cross in a 10 mm box, its name on the page's inner side (``towards_centre`` 1: right
    and below, -1: left and above), clear of the lines a ruler is laid along."""
    ops.append(_Rect(x - 5, y - 5, 10, 10, 0.3))
    ops.append(_Stroke(x - 8, y, x + 8, y, 0.3))
    ops.append(_Stroke(x, y - 8, x, y + 8, 0.3))
    label = f"{name}（{x:g}, {y:g}）"
    width = text_width_mm(label, 7)
    left = x + 7 if towards_centre > 0 else x - 7 - width
    ops.append(_Text(left, _baseline(y + 9 * towards_centre, 7), label, 7))


def render_calibration_page(
    width_mm: float, height_mm: float, calibration: Calibration = Calibration()
) -> bytes:
    """A ruler page of the form's size with two crosses at known places, printed through
    ``calibration``: measure the crosses, enter the result, print again to check."""
    if not (30 <= width_mm <= 600 and 30 <= height_mm <= 600):
        raise CalibrationInvalid("the page must be between 30 and 600 mm each way")
    inset = CROSS_INSET_MM
    far_x, far_y = width_mm - inset, height_mm - inset
    ops: list[_Op] = []
    _ruler(ops, width_mm, height_mm)
    _cross(ops, inset, inset, "A", 1)
    _cross(ops, far_x, far_y, "B", -1)
    lines = [
        "打印机校准页",
        f"1. 用出单打印机和同款纸张打印本页（{width_mm:g} × {height_mm:g} 毫米），"
        "打印设置选“实际大小”，不要“适合页面”。",
        f"2. 测量十字中心到纸边的实际距离，输入与标称值的偏差：A 的标称值距左 {inset:g}、距上 "
        f"{inset:g} 毫米，B 的标称值距左 {far_x:g}、距上 {far_y:g} 毫米。",
        f"3. 横向偏移 = {inset:g} − A 到左边的实测距离；纵向偏移 = {inset:g} − A 到上边的实测"
        f"距离（毫米，正数右移/下移）。横向缩放 = {far_x - inset:g} ÷ A、B 横向实测间距；纵向"
        f"缩放 = {far_y - inset:g} ÷ A、B 纵向实测间距。",
        "4. 本页已按当前校准打印：输入新测得的距离后程序会与当前值合并。保存后再打印本页，"
        "十字中心应落在标称位置（误差不超过 0.5 毫米）。",
        f"当前校准：横向偏移 {calibration.dx_mm:+.1f} 毫米，"
        f"纵向偏移 {calibration.dy_mm:+.1f} 毫米，横向缩放 {calibration.scale_x:.4f}，"
        f"纵向缩放 {calibration.scale_y:.4f}",
    ]
    plan = _Plan(width_mm, height_mm, [ops])
    top = inset + 15  # below cross A and its name
    box_width = width_mm - 2 * inset - 10
    for index, line in enumerate(lines):
        size = 12.0 if index == 0 else 8.0
        wrapped, size, _ = fit_block(line, box_width, far_y - 12 - top, size, 5)
        for text in wrapped:
            ops.append(
                _Text(
                    inset + 5,
                    _baseline(top + line_height_mm(size) / 2, size),
                    text,
                    size,
                    bold=index == 0,
                )
            )
            top += line_height_mm(size)
        top += 1.5
    out = io.BytesIO()
    canvas = _canvas(out, width_mm, height_mm, "打印机校准页")
    painter = _Painter(canvas, height_mm, calibration)
    for op in plan.pages[0]:
        painter.draw(op)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
