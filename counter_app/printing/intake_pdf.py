"""The intake post's printed documents (单证收集岗) as PDF: the customer's receipt, the handover
list for the claims department, and a checklist card of document barcodes.

Built with reportlab's platypus. All text is set in one embedded TrueType CJK font (WenQuanYi
Micro Hei on Debian), so the PDF prints the same on any PC; no standard (non-embedded) font is
referenced. Barcodes are reportlab's own vector Code 128, sized so the narrowest bar stays
readable by a hand scanner; their text is printed underneath as a separate line. Long names wrap
inside their table column and tables continue on the next page with their header repeated.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.errors import DomainError
from counter_app.domain.intake import (
    Channel,
    Form,
    HandoverList,
    IntakeReceipt,
    ReceiptLine,
    document_barcode,
)
from counter_app.printing.ticket import clean_text

PageSize = Literal["A4", "A5"]

# TrueType (glyf) CJK fonts only: CFF fonts such as Noto CJK cannot be embedded by reportlab.
CJK_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
    Path("C:/Windows/Fonts/msyh.ttc"),
    Path("C:/Windows/Fonts/simsun.ttc"),
    Path("C:/Windows/Fonts/simhei.ttf"),
)
_FONT_NAME = "CounterCJK"

CHANNEL_NAMES: dict[Channel, str] = {
    Channel.COUNTER: "柜面",
    Channel.COURIER: "快递/邮寄",
    Channel.PARTNER: "合作网点",
    Channel.REPAIR_SHOP: "代理维修厂",
    Channel.PICKUP: "上门收单",
}
FORM_NAMES: dict[Form, str] = {Form.ORIGINAL: "原件", Form.COPY: "复印件"}

# Narrowest bar: 0.33 mm is the usual X-dimension for office-printed labels; below 0.25 mm hand
# scanners start to miss, and the small per-row codes on the handover list may go to 0.2 mm.
_BAR_PREFERRED = 0.33 * mm
_BAR_MINIMUM = 0.25 * mm
_BAR_MINIMUM_SMALL = 0.2 * mm
_QUIET_MODULES = 10  # ISO/IEC 15417: at least ten modules of white either side
_MARGIN = 12 * mm
_GRID = colors.HexColor("#808080")
_HEADER_FILL = colors.HexColor("#e6e6e6")
_FOOTER_GREY = colors.HexColor("#555555")
_CARD_BARS = 0.62  # of a checklist card's width, for the bars; the rest is the name
_CARD_BAR_H = 11 * mm


class CjkFontMissing(DomainError):
    """No embeddable Chinese TrueType font on this PC, so no PDF can be printed."""

    code = "printing.font_missing"
    http_status = 503


# --- the font ---


def find_cjk_font(candidates: Sequence[Path] = CJK_FONT_CANDIDATES) -> Path:
    """The first CJK TrueType font present; raises CjkFontMissing naming the places looked at."""
    for path in candidates:
        if path.is_file():
            return path
    searched = [str(p) for p in candidates]
    raise CjkFontMissing(
        "no Chinese TrueType font found (install fonts-wqy-microhei)", searched=searched
    )


_font_lock = threading.Lock()
_font_registered: list[str] = []


def cjk_font_name() -> str:
    """Register the CJK font with reportlab once per process; returns its reportlab name."""
    if _font_registered:
        return _font_registered[0]
    with _font_lock:
        if not _font_registered:
            path = find_cjk_font()
            try:
                # Parsing the font takes ~0.1 s, so it is done once and shared by every document.
                pdfmetrics.registerFont(TTFont(_FONT_NAME, str(path), subfontIndex=0))
            except (TTFError, OSError) as exc:
                raise CjkFontMissing(
                    f"the font {path} cannot be embedded: {exc}", searched=[str(path)]
                ) from exc
            _font_registered.append(_FONT_NAME)
    return _font_registered[0]


# --- building blocks ---


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    header: ParagraphStyle
    label: ParagraphStyle
    code_text: ParagraphStyle
    notice: ParagraphStyle
    large: ParagraphStyle
    footer_size: float


@functools.cache
def _styles(size: float) -> _Styles:
    """Paragraph styles for a base font size (9 pt on A5, 10 to 10.5 pt on A4)."""
    font = cjk_font_name()

    def style(name: str, **kw: Any) -> ParagraphStyle:
        values: dict[str, Any] = {
            "fontName": font,
            "fontSize": size,
            "leading": size * 1.35,
            # CJK wrapping breaks between any two characters, so a long name never overflows.
            "wordWrap": "CJK",
        }
        values.update(kw)
        return ParagraphStyle(name, **values)

    return _Styles(
        title=style("title", fontSize=size * 1.7, leading=size * 2.2, alignment=TA_CENTER),
        subtitle=style("subtitle", alignment=TA_CENTER, spaceAfter=size * 0.6),
        heading=style("heading", fontSize=size * 1.15, spaceBefore=size * 0.9, spaceAfter=3),
        body=style("body"),
        cell=style("cell"),
        cell_center=style("cell_center", alignment=TA_CENTER),
        header=style("header", alignment=TA_CENTER),
        label=style("label", alignment=TA_LEFT, textColor=_FOOTER_GREY),
        code_text=style("code_text", fontSize=size * 0.95, alignment=TA_CENTER, leading=size * 1.2),
        notice=style("notice", fontSize=size * 1.15, leading=size * 1.6, spaceBefore=size * 0.6),
        large=style("large", fontSize=size * 1.15, leading=size * 1.6),
        footer_size=size * 0.8,
    )


def _p(text: str, style: ParagraphStyle, *more: str) -> Paragraph:
    """A paragraph of plain text: control characters dropped, markup characters escaped; each of
    ``more`` follows after a wide gap on the same line."""
    gap = "&nbsp;" * 6  # clean_text would collapse spaces typed into the text
    return Paragraph(gap.join(escape(clean_text(t)) for t in (text, *more)), style)


def _fit(text: str, style: ParagraphStyle) -> float:
    """A column just wide enough for ``text`` on one line, cell padding included."""
    return float(pdfmetrics.stringWidth(text, style.fontName, style.fontSize)) + 10


def _barcode(
    value: str, max_width: float, bar_height: float, minimum: float = _BAR_MINIMUM
) -> Code128 | None:
    """A Code 128 of ``value`` no wider than ``max_width`` (quiet zones included), with bars as
    wide as allowed up to 0.33 mm; None if it would need bars narrower than ``minimum``."""
    if not value or not value.isascii() or not value.isprintable():
        return None
    modules = Code128(value, barWidth=1, quiet=0).width + 2 * _QUIET_MODULES
    bar = min(_BAR_PREFERRED, max_width / modules)
    if bar < minimum:
        return None
    return Code128(
        value,
        barWidth=bar,
        barHeight=bar_height,
        lquiet=_QUIET_MODULES * bar,
        rquiet=_QUIET_MODULES * bar,
        humanReadable=False,
    )


def _barcode_cell(
    value: str,
    label: str,
    width: float,
    bar_height: float,
    styles: _Styles,
    minimum: float = _BAR_MINIMUM,
) -> list[Any]:
    """Label, bars and the value in text under them, for a table cell ``width`` wide; just the
    text if the bars would not fit."""
    cell: list[Any] = [_p(label, styles.code_text)] if label else []
    bars = _barcode(value, width, bar_height, minimum)
    if bars is not None:
        cell += [bars, Spacer(1, 1.2 * mm)]
    cell.append(_p(value, styles.code_text))
    return cell


def _table(
    rows: list[list[Any]],
    widths: Sequence[float],
    commands: Sequence[tuple[Any, ...]],
    repeat_rows: int = 0,
) -> Table:
    """A table whose plain-string cells (even empty ones) use the CJK font: the default would
    pull Helvetica, which is not embedded, into the PDF."""
    table = Table(rows, colWidths=list(widths), repeatRows=repeat_rows, hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cjk_font_name()), *commands]))
    return table


def _grid_table(
    rows: list[list[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A ruled table that may continue on the next page, its header row repeated there."""
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL))
    commands.extend(extra)
    return _table(rows, widths, commands, repeat_rows=1 if header else 0)


def _local(at: datetime, tz: tzinfo, what: str) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _chinese_date(day: date) -> str:
    # Not strftime: a format with Chinese characters fails under some Windows locales.
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so each footer can say "第 n 页 / 共 N 页"."""

    def __init__(self, *args: Any, footer: str = "", footer_size: float = 8, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._footer = footer
        self._footer_size = footer_size
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        y = _MARGIN / 2
        self.saveState()
        self.setFont(_FONT_NAME, self._footer_size)
        self.setFillColor(_FOOTER_GREY)
        self.drawString(_MARGIN, y, self._footer)
        self.drawRightString(width - _MARGIN, y, f"第 {number} 页 / 共 {total} 页")
        self.restoreState()


def _build(
    story: list[Any],
    pagesize: tuple[float, float],
    *,
    title: str,
    author: str,
    footer: str,
    footer_size: float,
) -> bytes:
    font = cjk_font_name()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=title,
        author=author,
        creator="counter-app",
        # Without this the page preamble names Helvetica, a font the PDF would not embed.
        initialFontName=font,
    )
    maker: Callable[..., Any] = functools.partial(
        _NumberedCanvas, footer=clean_text(footer), footer_size=footer_size
    )
    doc.build(story, canvasmaker=maker)
    return out.getvalue()


def _frame_width(pagesize: tuple[float, float]) -> float:
    # SimpleDocTemplate's frame has 6 pt of padding on each side.
    return float(pagesize[0] - 2 * _MARGIN - 12)


# --- the customer's receipt ---


def render_receipt_pdf(receipt: IntakeReceipt, tz: tzinfo, page: PageSize = "A5") -> bytes:
    """The intake receipt (收单回执) handed to the customer; times shown in ``tz``."""
    if page not in ("A4", "A5"):
        raise ValueError(f"page must be A4 or A5, not {page!r}")
    pagesize: tuple[float, float] = A5 if page == "A5" else A4
    s = _styles(9 if page == "A5" else 10.5)
    width = _frame_width(pagesize)
    opened = _local(receipt.opened_at, tz, "opened_at")
    printed = _local(receipt.printed_at, tz, "printed_at")

    story: list[Any] = [
        _p("机动车辆保险索赔单证收单回执", s.title),
        _p(receipt.branch_name, s.subtitle),
    ]
    story.append(_receipt_barcodes(receipt, width, s, 10 * mm if page == "A5" else 14 * mm))
    story.append(Spacer(1, 2 * mm))

    # The left values (claim number, time) are longer than the right ones, so get more room.
    label_w = 16 * mm if page == "A5" else 20 * mm
    left_w = (width - 2 * label_w) * 0.56
    right_w = width - 2 * label_w - left_w
    info = [
        ("报案号", receipt.claim_number, "案件类型", receipt.claim_type_name),
        ("车牌号", receipt.plate, "交单渠道", CHANNEL_NAMES.get(receipt.channel, receipt.channel)),
        ("交单人", receipt.submitter, "联系电话", receipt.submitter_phone),
        ("收单时间", opened, "收单人", receipt.collector),
    ]
    rows = [[_p(a, s.label), _p(b, s.cell), _p(c, s.label), _p(d, s.cell)] for a, b, c, d in info]
    story.append(
        _grid_table(
            rows,
            [label_w, left_w, label_w, right_w],
            header=False,
            extra=[
                ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
                ("BACKGROUND", (2, 0), (2, -1), _HEADER_FILL),
            ],
        )
    )

    documents = len(receipt.received)
    pages = sum(line.pages for line in receipt.received)
    story.append(_p(f"已收单证（{documents} 份，共 {pages} 页）", s.heading))
    story.append(_received_table(receipt.received, width, s))

    if receipt.missing:
        story.append(_p(f"尚缺单证（{len(receipt.missing)} 项）", s.heading))
        story.append(_missing_table(receipt.missing, width, s))
        if receipt.due is not None:
            story.append(_p(f"请于 {_chinese_date(receipt.due)} 前补齐", s.notice))
    else:
        story += [_p("尚缺单证", s.heading), _p("资料已齐全", s.notice)]

    story.append(Spacer(1, 2 * mm))
    story.append(_p(f"咨询电话：{receipt.contact_phone}", s.body, f"打印时间：{printed}"))
    return _build(
        story,
        pagesize,
        title=f"收单回执 {receipt.receipt_number}",
        author=receipt.branch_name,
        footer=f"收单回执 {receipt.receipt_number}  报案号 {receipt.claim_number}",
        footer_size=s.footer_size,
    )


def _receipt_barcodes(receipt: IntakeReceipt, width: float, s: _Styles, bar_h: float) -> Table:
    """The receipt and claim numbers as barcodes: side by side if both fit, else one per row."""
    codes = [("回执号", receipt.receipt_number), ("报案号", receipt.claim_number)]
    half = width / 2
    side_by_side = all(_barcode(value, half - 8, bar_h) is not None for _, value in codes)
    if side_by_side:
        rows = [[_barcode_cell(v, label, half - 8, bar_h, s) for label, v in codes]]
        widths = [half, half]
    else:
        rows = [[_barcode_cell(v, label, width - 8, bar_h, s)] for label, v in codes]
        widths = [width]
    return _table(
        rows,
        widths,
        [
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ],
    )


def _received_table(lines: Sequence[ReceiptLine], width: float, s: _Styles) -> Table:
    no_w, form_w, pages_w = (_fit(h, s.header) for h in ("序号", "原件/复印件", "页数"))
    rows: list[list[Any]] = [
        [_p(h, s.header) for h in ("序号", "单证名称", "原件/复印件", "页数")],
    ]
    for index, line in enumerate(lines, start=1):
        name = f"{line.name}（{line.note}）" if line.note else line.name
        form = FORM_NAMES.get(line.form, "") if line.form is not None else ""
        rows.append(
            [
                _p(str(index), s.cell_center),
                _p(name, s.cell),
                _p(form, s.cell_center),
                _p(str(line.pages), s.cell_center),
            ]
        )
    extra: list[tuple[Any, ...]] = []
    if not lines:
        rows.append([_p("（无）", s.cell_center), "", "", ""])
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return _grid_table(rows, [no_w, width - no_w - form_w - pages_w, form_w, pages_w], extra=extra)


def _missing_table(lines: Sequence[ReceiptLine], width: float, s: _Styles) -> Table:
    no_w, note_w = _fit("序号", s.header), width * 0.3
    rows: list[list[Any]] = [[_p(h, s.header) for h in ("序号", "单证名称", "说明")]]
    for index, line in enumerate(lines, start=1):
        rows.append([_p(str(index), s.cell_center), _p(line.name, s.cell), _p(line.note, s.cell)])
    return _grid_table(rows, [no_w, width - no_w - note_w, note_w])


# --- the handover list ---


def render_handover_pdf(handover: HandoverList, tz: tzinfo) -> bytes:
    """The A4 handover list (交接清单) of a batch of files; the batch barcode is scanned back by
    the claims department to confirm receipt."""
    s = _styles(10)
    width = _frame_width(A4)
    created = _local(handover.created_at, tz, "created_at")
    story: list[Any] = [_p("理赔单证交接清单", s.title), _p(handover.branch_name, s.subtitle)]

    batch = _table(
        [[_barcode_cell(handover.batch_number, "交接批次号", width * 0.6, 14 * mm, s)]],
        [width],
        [("ALIGN", (0, 0), (-1, -1), "CENTER")],
    )
    story += [batch, Spacer(1, 2 * mm)]
    total_docs = sum(f.documents for f in handover.files)
    total_pages = sum(f.pages for f in handover.files)
    label_w, value_w = 20 * mm, width / 2 - 20 * mm
    info = [
        ("移交机构", handover.branch_name, "交接批次", handover.batch_number),
        ("创建时间", created, "创建人", handover.created_by),
    ]
    story.append(
        _grid_table(
            [[_p(a, s.label), _p(b, s.cell), _p(c, s.label), _p(d, s.cell)] for a, b, c, d in info],
            [label_w, value_w, label_w, value_w],
            header=False,
            extra=[
                ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
                ("BACKGROUND", (2, 0), (2, -1), _HEADER_FILL),
            ],
        )
    )
    story.append(Spacer(1, 4 * mm))

    heads = ("序号", "报案号", "回执号", "案件类型", "车牌", "单证份数", "页数")
    widths = [_fit(heads[0], s.header), 58 * mm, 33 * mm, 0.0, 22 * mm]
    widths += [_fit(heads[5], s.header), _fit("99999", s.header)]
    widths[3] = width - sum(widths)
    rows: list[list[Any]] = [[_p(h, s.header) for h in heads]]
    for index, line in enumerate(handover.files, start=1):
        claim = _barcode_cell(line.claim_number, "", widths[1] - 8, 7 * mm, s, _BAR_MINIMUM_SMALL)
        rows.append(
            [
                _p(str(index), s.cell_center),
                claim,
                _p(line.receipt_number, s.cell_center),
                _p(line.claim_type_name, s.cell),
                _p(line.plate, s.cell_center),
                _p(str(line.documents), s.cell_center),
                _p(str(line.pages), s.cell_center),
            ]
        )
    rows.append(
        [
            _p(f"合计 {len(handover.files)} 件", s.cell),
            "",
            "",
            "",
            "",
            _p(str(total_docs), s.cell_center),
            _p(str(total_pages), s.cell_center),
        ]
    )
    last = len(rows) - 1
    story.append(
        _grid_table(
            rows,
            widths,
            extra=[
                ("ALIGN", (1, 1), (1, -1), "CENTER"),
                ("SPAN", (0, last), (4, last)),
                ("BACKGROUND", (0, last), (-1, last), _HEADER_FILL),
            ],
        )
    )
    blank = "_" * 14
    signatures = _p(f"移交人：{blank}", s.notice, f"接收人：{blank}", f"日期：{blank}")
    story.append(KeepTogether([Spacer(1, 10 * mm), signatures]))
    return _build(
        story,
        A4,
        title=f"理赔单证交接清单 {handover.batch_number}",
        author=handover.branch_name,
        footer=f"交接清单 {handover.batch_number}  {handover.branch_name}",
        footer_size=s.footer_size,
    )


# --- the checklist card ---


def render_checklist_card_pdf(title: str, documents: Sequence[tuple[str, str]]) -> bytes:
    """An A4 card with each document's ``DOC-<code>`` barcode beside its name, so a collector
    scans a line instead of typing. Two cards a row when every code fits, else one; a code too
    long to sit beside its name goes full width under it."""
    s = _styles(10.5)
    width = _frame_width(A4)
    codes = [(document_barcode(code), name) for code, name in documents]
    fits_two = all(
        _barcode(v, width / 2 * _CARD_BARS - 8, _CARD_BAR_H) is not None for v, _ in codes
    )
    columns = 2 if fits_two else 1
    cards = [_card(value, name, width / columns, s) for value, name in codes]
    rows = [cards[i : i + columns] for i in range(0, len(cards), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] = rows[-1] + [""] * (columns - len(rows[-1]))

    story: list[Any] = [_p(title, s.title), _p("扫描单证条码即可勾选，无需手工录入", s.subtitle)]
    if rows:
        grid = [("GRID", (0, 0), (-1, -1), 0.5, _GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        grid += [
            (f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")
        ]
        story.append(_table(rows, [width / columns] * columns, grid))
    else:
        story.append(_p("（无单证）", s.subtitle))
    return _build(
        story, A4, title=title, author="counter-app", footer=title, footer_size=s.footer_size
    )


def _card(value: str, name: str, width: float, s: _Styles) -> Table:
    """One document: bars and code beside the name, or, for a long code, under it."""
    bars_w = width * _CARD_BARS
    padding = [("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    if _barcode(value, bars_w - 8, _CARD_BAR_H) is not None:
        return _table(
            [[_barcode_cell(value, "", bars_w - 8, _CARD_BAR_H, s), _p(name, s.large)]],
            [bars_w, width - bars_w],
            [("ALIGN", (0, 0), (0, 0), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *padding],
        )
    return _table(
        [[_p(name, s.large)], [_barcode_cell(value, "", width - 8, _CARD_BAR_H, s)]],
        [width],
        [("ALIGN", (0, 1), (0, 1), "CENTER"), *padding],
    )
