"""The valuable blank forms' printed reports (有价单证): the reconciliation report (单证日结/月结
对账表) and a holder's stock-take sheet (单证盘点表), as PDF.

Built with reportlab's platypus, all text in the embedded CJK TrueType font of
``intake_pdf.cjk_font_name``. The reconciliation table runs onto as many A4 landscape pages as
it needs, its header row repeated on each and every page numbered "第 n 页 共 N 页". A line that
does not balance is printed in red and emboldened (the font has no bold face, so its glyphs are
outlined as well as filled). The output is byte-for-byte the same for the same input.
"""

from __future__ import annotations

import calendar
import functools
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.blank_forms import (
    BRANCH_STOCK,
    FormType,
    ReconciliationLine,
    SerialRange,
    SerialState,
    StockTake,
)
from counter_app.printing.intake_pdf import cjk_font_name
from counter_app.printing.ticket import clean_text

BRANCH_STOCK_NAME = "网点库存（后台）"
STATE_NAMES: dict[SerialState, str] = {
    SerialState.IN_STOCK: "库存",
    SerialState.ISSUED: "已领用",
    SerialState.USED: "已使用",
    SerialState.VOIDED: "已作废",
    SerialState.LOST: "已遗失",
    SerialState.WRITTEN_OFF: "已回销",
}
RECONCILIATION_COLUMNS = (
    "期初结存",
    "本期领入",
    "使用",
    "作废",
    "遗失",
    "交回/发出",
    "期末结存",
    "差异",
    "错打作废(不计入结存)",
)
_GAP = RECONCILIATION_COLUMNS.index("差异")

_MARGIN = 12 * mm
_SIZE = 9.0  # pt, the tables' text
_GRID = colors.HexColor("#808080")
_HEADER_FILL = colors.HexColor("#e6e6e6")
_SUBTOTAL_FILL = colors.HexColor("#f2f2f2")
_TOTAL_FILL = colors.HexColor("#d9d9d9")
_FOOTER_GREY = colors.HexColor("#555555")
_ALERT = colors.HexColor("#c00000")
_BOLD_STROKE = 0.035  # of the font size: the outline that makes the regular face look bold
_SIGNATURE_BLANK = "_" * 16


@dataclass(frozen=True)
class ReportHeader:
    """Who printed which period's report where; ``printed_at`` is aware and shown in ``tz``."""

    branch_name: str  # e.g. "天河客服中心"
    first_day: date  # the period: one day for the daily report, a month for the monthly
    last_day: date
    printed_at: datetime
    printed_by: str  # display name
    tz: tzinfo


class UnreturnedRange(NamedTuple):
    """Used or voided forms not yet written off (回销): one holder's consecutive serials."""

    form_type: str  # FormType.code
    holder: str  # username, or BRANCH_STOCK
    state: SerialState  # USED or VOIDED
    serials: SerialRange


# --- the period ---


def report_title(first_day: date, last_day: date) -> str:
    """日结 for one day, 月结 for one whole calendar month, 期间 for any other span."""
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    if first_day == last_day:
        return "有价单证日结对账表"
    month_end = calendar.monthrange(first_day.year, first_day.month)[1]
    if first_day.day == 1 and last_day == first_day.replace(day=month_end):
        return "有价单证月结对账表"
    return "有价单证期间对账表"


def period_text(first_day: date, last_day: date) -> str:
    """2026年11月23日, or 2026年11月1日至2026年11月30日."""
    if first_day == last_day:
        return _chinese_date(first_day)
    return f"{_chinese_date(first_day)}至{_chinese_date(last_day)}"


def _chinese_date(day: date) -> str:
    # Not strftime: a format with Chinese characters fails under some Windows locales.
    return f"{day.year}年{day.month}月{day.day}日"


def _printed_at(header: ReportHeader) -> str:
    at = header.printed_at
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("printed_at must be timezone-aware")
    return at.astimezone(header.tz).strftime("%Y-%m-%d %H:%M")


# --- building blocks ---


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    verdict: ParagraphStyle
    alert: ParagraphStyle
    header: ParagraphStyle
    cell: ParagraphStyle
    center: ParagraphStyle
    number: ParagraphStyle
    label: ParagraphStyle


@functools.cache
def _styles() -> _Styles:
    font = cjk_font_name()

    def style(name: str, **kw: Any) -> ParagraphStyle:
        values: dict[str, Any] = {
            "fontName": font,
            "fontSize": _SIZE,
            "leading": _SIZE * 1.3,
            # CJK wrapping breaks between any two characters, so a long name never overflows.
            "wordWrap": "CJK",
        }
        values.update(kw)
        return ParagraphStyle(name, **values)

    return _Styles(
        title=style("title", fontSize=17, leading=22, alignment=TA_CENTER),
        subtitle=style("subtitle", fontSize=10.5, leading=15, alignment=TA_CENTER),
        heading=style("heading", fontSize=11, leading=15, spaceBefore=8, spaceAfter=3),
        body=style("body", fontSize=10, leading=14),
        verdict=style("verdict", fontSize=11.5, leading=16, spaceBefore=8),
        alert=style("alert", fontSize=11.5, leading=16, spaceBefore=8, textColor=_ALERT),
        header=style("header", alignment=TA_CENTER),
        cell=style("cell", alignment=TA_LEFT),
        center=style("center", alignment=TA_CENTER),
        number=style("number", alignment=TA_RIGHT),
        label=style("label", fontSize=10, leading=14, textColor=_FOOTER_GREY),
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: control characters dropped, markup characters escaped."""
    return Paragraph(escape(clean_text(text)), style)


class _Emboldened(Flowable):  # type: ignore[misc]
    """A paragraph drawn filled and outlined in its own colour: bold from a regular face."""

    def __init__(self, paragraph: Paragraph) -> None:
        super().__init__()
        self._paragraph = paragraph

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self._paragraph.wrap(avail_width, avail_height)
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        style = self._paragraph.style
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(style.textColor)
        canvas.setLineWidth(style.fontSize * _BOLD_STROKE)
        # Text render mode 2 (fill, then stroke) lasts until restoreState; the paragraph's own
        # text objects start in mode 0 as far as reportlab knows, so they never reset it.
        canvas.addLiteral("2 Tr")
        self._paragraph.drawOn(canvas, 0, 0)
        canvas.restoreState()


def _cell(text: str, style: ParagraphStyle, alert: bool = False) -> Flowable:
    if not alert:
        return _p(text, style)
    red = ParagraphStyle(f"{style.name}-alert", parent=style, textColor=_ALERT)
    return _Emboldened(_p(text, red))


def _grid_table(
    rows: list[list[Any]], widths: Sequence[float], extra: Iterable[tuple[Any, ...]] = ()
) -> Table:
    """A ruled table with a grey header row, repeated on every page it continues onto."""
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                # Plain-string cells would otherwise pull in Helvetica, which is not embedded.
                ("FONTNAME", (0, 0), (-1, -1), cjk_font_name()),
                ("GRID", (0, 0), (-1, -1), 0.5, _GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
                *extra,
            ]
        )
    )
    return table


def _info_table(pairs: Sequence[tuple[str, str]], width: float, s: _Styles) -> Table:
    """Label and value pairs, two pairs to a row, unruled."""
    cells = [[_p(label, s.label), _p(value, s.body)] for label, value in pairs]
    if len(cells) % 2:
        cells.append(["", ""])
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    label_w = 22 * mm
    value_w = width / 2 - label_w
    table = Table(rows, colWidths=[label_w, value_w, label_w, value_w], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), cjk_font_name()),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _signatures(roles: Sequence[str], s: _Styles) -> Paragraph:
    gap = "&nbsp;" * 8
    return Paragraph(gap.join(f"{escape(r)}：{_SIGNATURE_BLANK}" for r in roles), s.body)


def _number(value: int) -> str:
    return f"{value:,}"


def _signed(value: int) -> str:
    return f"{value:+,}" if value else "0"


def _frame_width(pagesize: tuple[float, float]) -> float:
    # SimpleDocTemplate's frame has 6 pt of padding on each side.
    return float(pagesize[0] - 2 * _MARGIN - 12)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds pages back until the end so each footer can say "第 n 页 共 N 页"."""

    def __init__(self, *args: Any, footer: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._footer = footer
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
        self.setFont(cjk_font_name(), 8)
        self.setFillColor(_FOOTER_GREY)
        self.drawString(_MARGIN, y, self._footer)
        self.drawRightString(width - _MARGIN, y, f"第 {number} 页 共 {total} 页")
        self.restoreState()


def _build(
    story: list[Any], pagesize: tuple[float, float], *, title: str, author: str, footer: str
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
        invariant=1,  # no creation date or random document id: the same input, the same bytes
    )
    maker: Callable[..., Any] = functools.partial(_NumberedCanvas, footer=clean_text(footer))
    doc.build(story, canvasmaker=maker)
    return out.getvalue()


def _holder_name(holder: str, holder_names: Mapping[str, str]) -> str:
    if holder == BRANCH_STOCK:
        return BRANCH_STOCK_NAME
    return holder_names.get(holder) or holder


def _form_name(code: str, form_types: Mapping[str, FormType]) -> str:
    kind = form_types.get(code)
    return kind.name if kind is not None else code


def _serial(code: str, serial: int, form_types: Mapping[str, FormType]) -> str:
    kind = form_types.get(code)
    return kind.format(serial) if kind is not None else str(serial)


def _form_order(codes: Iterable[str], form_types: Mapping[str, FormType]) -> list[str]:
    """The caller's order of form types, then any code it did not name, alphabetically."""
    known = list(form_types)
    present = set(codes)
    return [c for c in known if c in present] + sorted(present - set(known))


def _holder_key(holder: str) -> tuple[bool, str]:
    return (holder != BRANCH_STOCK, holder)  # the branch's stock first, then clerks


# --- the reconciliation report ---


def _figures(line: ReconciliationLine) -> tuple[int, ...]:
    return (
        line.opening,
        line.received,
        line.used,
        line.voided,
        line.lost,
        line.returned,
        line.closing,
        line.gap,
        line.misprints,
    )


def _sum(lines: Sequence[ReconciliationLine]) -> tuple[int, ...]:
    return tuple(sum(column) for column in zip(*map(_figures, lines), strict=True)) or (0,) * len(
        RECONCILIATION_COLUMNS
    )


def _figure_cells(figures: tuple[int, ...], s: _Styles, alert: bool) -> list[Flowable]:
    texts = [_number(v) for v in figures]
    texts[_GAP] = _signed(figures[_GAP])
    return [_cell(text, s.number, alert) for text in texts]


def _reconciliation_table(
    lines: Sequence[ReconciliationLine],
    form_types: Mapping[str, FormType],
    holder_names: Mapping[str, str],
    width: float,
    s: _Styles,
) -> Table:
    type_w, holder_w = 34 * mm, 44 * mm
    number_w = (width - type_w - holder_w) / len(RECONCILIATION_COLUMNS)
    heads = ("单证类型", "持有人", *RECONCILIATION_COLUMNS)
    # The note in brackets goes on a line of its own rather than breaking anywhere.
    rows: list[list[Any]] = [[Paragraph(escape(h).replace("(", "<br/>("), s.header) for h in heads]]
    extra: list[tuple[Any, ...]] = []

    def subtotal(name: str, label: str, figures: tuple[int, ...], fill: colors.Color) -> None:
        row, alert = len(rows), figures[_GAP] != 0
        rows.append([_cell(name, s.cell, alert), _cell(label, s.center, alert)])
        rows[-1] += _figure_cells(figures, s, alert)
        extra.append(("BACKGROUND", (0, row), (-1, row), fill))

    for code in _form_order((line.form_type for line in lines), form_types):
        group = sorted(
            (line for line in lines if line.form_type == code), key=lambda x: _holder_key(x.holder)
        )
        name = _form_name(code, form_types)
        for line in group:
            alert = line.gap != 0
            rows.append(
                [
                    _cell(name, s.cell, alert),
                    _cell(_holder_name(line.holder, holder_names), s.cell, alert),
                    *_figure_cells(_figures(line), s, alert),
                ]
            )
        subtotal(name, "小计", _sum(group), _SUBTOTAL_FILL)
    if lines:
        subtotal("", "合计", _sum(lines), _TOTAL_FILL)
    else:
        rows.append([_p("本期无单证结存及变动", s.center)] + [""] * (len(rows[0]) - 1))
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return _grid_table(rows, [type_w, holder_w] + [number_w] * len(RECONCILIATION_COLUMNS), extra)


def _unreturned_table(
    unreturned: Sequence[UnreturnedRange],
    form_types: Mapping[str, FormType],
    holder_names: Mapping[str, str],
    width: float,
    s: _Styles,
) -> Table:
    heads = ("单证类型", "持有人", "状态", "起始号", "终止号", "份数")
    widths = [38 * mm, 50 * mm, 24 * mm, 0.0, 0.0, 26 * mm]
    widths[3] = widths[4] = (width - sum(widths)) / 2
    rows: list[list[Any]] = [[_p(h, s.header) for h in heads]]
    order = {code: index for index, code in enumerate(form_types)}

    def key(u: UnreturnedRange) -> tuple[Any, ...]:
        return (order.get(u.form_type, len(order)), u.form_type, _holder_key(u.holder), u[2:])

    for item in sorted(unreturned, key=key):
        rows.append(
            [
                _p(_form_name(item.form_type, form_types), s.cell),
                _p(_holder_name(item.holder, holder_names), s.cell),
                _p(STATE_NAMES.get(item.state, str(item.state)), s.center),
                _p(_serial(item.form_type, item.serials.first, form_types), s.center),
                _p(_serial(item.form_type, item.serials.last, form_types), s.center),
                _p(_number(item.serials.count), s.number),
            ]
        )
    total = sum(u.serials.count for u in unreturned)
    last = len(rows)
    rows.append([_p("合计", s.center), "", "", "", "", _p(_number(total), s.number)])
    return _grid_table(
        rows,
        widths,
        [("SPAN", (0, last), (4, last)), ("BACKGROUND", (0, last), (-1, last), _TOTAL_FILL)],
    )


def reconciliation_pdf(
    header: ReportHeader,
    lines: Sequence[ReconciliationLine],
    form_types: Mapping[str, FormType],
    holder_names: Mapping[str, str],
    unreturned: Sequence[UnreturnedRange] = (),
) -> bytes:
    """The period's reconciliation report (单证日结/月结对账表), A4 landscape.

    ``lines`` are ``reconcile``'s, in any order: they are grouped by form type in the order of
    ``form_types`` (code → FormType, for the Chinese name and the serials' prefix and digits),
    the branch's stock first in each group, then clerks by username. ``holder_names`` maps a
    username to the name printed; a username it lacks is printed as it is, and so is a form
    type code that ``form_types`` lacks (with its serials as bare numbers). ``unreturned`` lists
    the used and voided forms still to be written off (待回销单证)."""
    s = _styles()
    pagesize = landscape(A4)
    width = _frame_width(pagesize)
    title = report_title(header.first_day, header.last_day)
    period = period_text(header.first_day, header.last_day)
    story: list[Any] = [
        _p(title, s.title),
        _p(header.branch_name, s.subtitle),
        Spacer(1, 2 * mm),
        _info_table(
            [
                ("网点", header.branch_name),
                ("对账期间", period),
                ("打印时间", _printed_at(header)),
                ("打印人", header.printed_by),
            ],
            width,
            s,
        ),
        Spacer(1, 3 * mm),
        _reconciliation_table(lines, form_types, holder_names, width, s),
    ]
    out_of_balance = sum(1 for line in lines if line.gap != 0)
    if out_of_balance:
        verdict = _cell(f"对账不平：{out_of_balance} 行存在差异，请核查", s.alert, alert=True)
    else:
        verdict = _p("本期对账平衡", s.verdict)
    story += [
        verdict,
        _p("差异 = 期初结存 + 本期领入 − 使用 − 作废 − 遗失 − 交回/发出 − 期末结存", s.label),
    ]

    # The section starts on a new page rather than as a heading and a row or two at the bottom.
    story += [CondPageBreak(35 * mm), _p(f"待回销单证（{len(unreturned)} 段）", s.heading)]
    if unreturned:
        story.append(_unreturned_table(unreturned, form_types, holder_names, width, s))
    else:
        story.append(_p("无", s.body))

    story.append(
        KeepTogether([Spacer(1, 12 * mm), _signatures(("制表人", "单证管理员", "负责人"), s)])
    )
    return _build(
        story,
        pagesize,
        title=f"{title} {period}",
        author=header.branch_name,
        footer=f"{title}  {header.branch_name}  {period}",
    )


# --- the stock-take sheet ---


def _distinct_count(ranges: Iterable[SerialRange]) -> int:
    """How many serials the ranges cover: a range counted twice counts once."""
    total, reached = 0, -1
    for r in sorted(ranges):
        if r.last > reached:
            total += r.last - max(r.first, reached + 1) + 1
            reached = r.last
    return total


def _ranges_table(
    ranges: Sequence[SerialRange], form_type: FormType, width: float, s: _Styles
) -> Table:
    heads = ("序号", "起始号", "终止号", "份数")
    widths = [16 * mm, 0.0, 0.0, 28 * mm]
    widths[1] = widths[2] = (width - sum(widths)) / 2
    rows: list[list[Any]] = [[_p(h, s.header) for h in heads]]
    for index, r in enumerate(ranges, start=1):
        rows.append(
            [
                _p(str(index), s.center),
                _p(form_type.format(r.first), s.center),
                _p(form_type.format(r.last), s.center),
                _p(_number(r.count), s.number),
            ]
        )
    last = len(rows)
    if ranges:
        total = sum(r.count for r in ranges)
        rows.append([_p("合计", s.center), "", "", _p(_number(total), s.number)])
    else:
        rows.append([_p("无", s.center), "", "", ""])
    return _grid_table(
        rows,
        widths,
        [
            ("SPAN", (0, last), (2, last) if ranges else (3, last)),
            ("BACKGROUND", (0, last), (-1, last), _TOTAL_FILL if ranges else colors.white),
        ],
    )


def stock_take_pdf(
    header: ReportHeader,
    form_type: FormType,
    holder_name: str,
    counted: Sequence[SerialRange],
    result: StockTake,
) -> bytes:
    """A holder's stock-take sheet (单证盘点表), A4 portrait: the ranges counted on the desk,
    the ledger's blank forms not found (账有实无) and the forms found that the ledger does not
    give this holder (实有账无). ``result`` is ``stock_take``'s for these ``counted`` ranges;
    ``holder_name`` is the name to print, "" for the back office's safe (网点库存)."""
    holder_name = holder_name or BRANCH_STOCK_NAME
    s = _styles()
    pagesize = A4
    width = _frame_width(pagesize)
    period = period_text(header.first_day, header.last_day)
    physical = _distinct_count(counted)
    missing = sum(r.count for r in result.missing)
    unexpected = sum(r.count for r in result.unexpected)
    ledger = physical - unexpected + missing
    story: list[Any] = [
        _p("有价单证盘点表", s.title),
        _p(header.branch_name, s.subtitle),
        Spacer(1, 2 * mm),
        _info_table(
            [
                ("单证类型", f"{form_type.name}（{form_type.code}）"),
                ("持有人", holder_name),
                ("盘点日期", period),
                ("网点", header.branch_name),
                ("账面结存", f"{_number(ledger)} 份"),
                ("实盘数量", f"{_number(physical)} 份"),
                ("打印时间", _printed_at(header)),
                ("打印人", header.printed_by),
            ],
            width,
            s,
        ),
        _p("实盘号段", s.heading),
        _ranges_table(counted, form_type, width, s),
        _p("账有实无（账面有、实物无）", s.heading),
        _ranges_table(result.missing, form_type, width, s),
        _p("实有账无（实物有、账面无）", s.heading),
        _ranges_table(result.unexpected, form_type, width, s),
    ]
    if result.matches:
        story.append(_p("盘点相符", s.verdict))
    else:
        story.append(
            _cell(
                f"盘点不符：账有实无 {_number(missing)} 份，实有账无 {_number(unexpected)} 份，"
                "请查明原因",
                s.alert,
                alert=True,
            )
        )
    story.append(KeepTogether([Spacer(1, 12 * mm), _signatures(("盘点人", "监盘人", "负责人"), s)]))
    return _build(
        story,
        pagesize,
        title=f"有价单证盘点表 {form_type.name} {holder_name} {period}",
        author=header.branch_name,
        footer=f"有价单证盘点表  {header.branch_name}  {form_type.name}  {holder_name}  {period}",
    )
