"""The blank-form reconciliation report and stock-take sheet, read back as a person would.

Text comes back through pypdf and poppler's ``pdftotext -layout`` (a table row stays one line),
word boxes through ``pdftotext -bbox``, fonts through ``pdffonts`` and colour from page images
made by ``pdftoppm``.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from counter_app.domain.blank_forms import (
    BRANCH_STOCK,
    FormType,
    Ledger,
    ReconciliationLine,
    SerialRange,
    SerialState,
    blank_counts,
    ranges_of,
    reconcile,
    stock_take,
)
from counter_app.printing.forms_report import (
    ReportHeader,
    UnreturnedRange,
    period_text,
    reconciliation_pdf,
    report_title,
    stock_take_pdf,
)
from tests.tools import require_poppler

SHANGHAI = ZoneInfo("Asia/Shanghai")
JQ = FormType("JQ", "交强险保单", "JQ", 10)
SY = FormType("SY", "商业险保单", "SY", 10)
FORM_TYPES = {"JQ": JQ, "SY": SY}
HOLDERS = {"zhangsan": "张三", "lisi": "李四"}  # wangwu has no display name
DAY = ReportHeader(
    branch_name="天河客服中心",
    first_day=date(2026, 11, 23),
    last_day=date(2026, 11, 23),
    printed_at=datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
    printed_by="王芳",
    tz=SHANGHAI,
)


@pytest.fixture(autouse=True)
def _poppler() -> None:
    require_poppler()


def run(args: list[str], data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(
        [*args, str(pdf)] + (["-"] if args[0] == "pdftotext" else []),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def layout(data: bytes, tmp_path: Path) -> str:
    return run(["pdftotext", "-layout", "-enc", "UTF-8"], data, tmp_path)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def row(text: str, *labels: str) -> list[str]:
    """The figures of the one row of the reconciliation table whose line holds every label."""
    table = text.split("待回销单证", maxsplit=1)[0]
    found = [line for line in table.splitlines() if all(label in line for label in labels)]
    assert len(found) == 1, (labels, found)
    rest = found[0]
    for label in labels:
        rest = rest.replace(label, " ")
    return re.findall(r"[+-]?\d[\d,]*", rest)


def figures(line: ReconciliationLine) -> list[str]:
    gap = f"{line.gap:+,}" if line.gap else "0"
    return [
        f"{line.opening:,}",
        f"{line.received:,}",
        f"{line.used:,}",
        f"{line.voided:,}",
        f"{line.lost:,}",
        f"{line.returned:,}",
        f"{line.closing:,}",
        gap,
        f"{line.misprints:,}",
    ]


def a_day_at_the_counter() -> tuple[Ledger, list[ReconciliationLine]]:
    """A branch with JQ and SY stock, and a day of issuing, printing, voiding and losing."""
    ledger = Ledger()
    ledger.receive("JQ", SerialRange(1, 12_000))
    ledger.receive("SY", SerialRange(500, 699))
    ledger.issue("JQ", SerialRange(1, 50), "zhangsan")
    opening = blank_counts(ledger)
    start = len(ledger.movements)
    ledger.receive("JQ", SerialRange(20_001, 21_000))
    ledger.issue("JQ", SerialRange(51, 100), "lisi")
    ledger.issue("SY", SerialRange(500, 519), "wangwu")
    for number in range(4):
        ledger.use("JQ", "zhangsan", f"PDAA20260{number}")
    ledger.void("JQ", 4, "zhangsan", "保费打错", approved_by="manager")
    misprint = ledger.use("JQ", "lisi", "PDAA202610")
    ledger.void("JQ", misprint.serial, "lisi", "打印错位", approved_by="manager")
    ledger.use("JQ", "lisi", "PDAA202610")
    ledger.void("JQ", 60, "lisi", "卡纸撕坏", approved_by="manager")
    ledger.lose("JQ", 70, "遗失")
    ledger.take_back("JQ", SerialRange(91, 100), "lisi")
    ledger.use("SY", "wangwu", "PDDA202601")
    ledger.write_off("JQ", [1, 2], "zhangsan")
    return ledger, reconcile(opening, ledger.movements[start:], blank_counts(ledger))


def unreturned_of(ledger: Ledger) -> list[UnreturnedRange]:
    """What the service passes: used and voided forms not yet written off, as ranges."""
    grouped: dict[tuple[str, str, SerialState], list[int]] = {}
    for (kind, serial), record in ledger.records.items():
        if record.state in (SerialState.USED, SerialState.VOIDED):
            grouped.setdefault((kind, record.holder, record.state), []).append(serial)
    return [
        UnreturnedRange(kind, holder, state, serials)
        for (kind, holder, state), numbers in grouped.items()
        for serials in ranges_of(numbers)
    ]


def red_pixels(data: bytes, tmp_path: Path, word: str, occurrence: int = 0) -> int:
    """Red pixels inside the box of the ``occurrence``-th ``word`` on page 1, at 100 dpi."""
    html = run(["pdftotext", "-bbox", "-enc", "UTF-8", "-f", "1", "-l", "1"], data, tmp_path)
    boxes = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
        + re.escape(word)
        + "</word>",
        html,
    )
    x0, y0, x1, y1 = (float(v) * 100 / 72 for v in boxes[occurrence])
    pdf = tmp_path / "look.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "look")],
        check=True,
        timeout=60,
    )
    [png] = sorted(tmp_path.glob("look-*.png"))
    with Image.open(png) as image:
        box = image.convert("RGB").crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
        rgb = box.tobytes()
    png.unlink()
    pixels = zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 140 and g < 90 and b < 90)


# --- the reconciliation report ---


def test_the_daily_report_prints_every_line_of_the_day(tmp_path: Path) -> None:
    ledger, lines = a_day_at_the_counter()
    assert all(line.gap == 0 for line in lines)
    data = reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS, unreturned_of(ledger))
    assert data.startswith(b"%PDF-")
    text = layout(data, tmp_path)
    flat = squeezed(text)
    for expected in (
        "有价单证日结对账表",
        "天河客服中心",
        "对账期间2026年11月23日",
        "打印时间2026-11-2318:30",  # in Shanghai time
        "打印人王芳",
        "交强险保单",
        "商业险保单",
        "网点库存（后台）",
        "本期对账平衡",
        "制表人：",
        "单证管理员：",
        "负责人：",
    ):
        assert expected in flat, expected
    assert "对账不平" not in flat
    for heading in ("期初结存", "本期领入", "使用", "作废", "遗失", "交回/发出", "期末结存"):
        assert heading in flat
    assert "错打作废" in flat
    assert "(不计入结存)" in flat

    names = {BRANCH_STOCK: "网点库存（后台）", **HOLDERS, "wangwu": "wangwu"}
    for line in lines:
        assert row(text, FORM_TYPES[line.form_type].name, names[line.holder]) == figures(line)
    # The day in numbers, as the ledger had it.
    by_holder = {(line.holder, line.form_type): line for line in lines}
    assert row(text, "交强险保单", "李四") == ["0", "50", "2", "1", "1", "10", "36", "0", "1"]
    assert row(text, "交强险保单", "张三") == ["50", "0", "4", "0", "0", "0", "46", "0", "1"]
    assert row(text, "交强险保单", "网点库存（后台）")[:3] == ["11,950", "1,010", "0"]
    assert by_holder[(BRANCH_STOCK, "JQ")].opening == 11_950


def test_subtotals_per_form_type_and_the_grand_total_add_up(tmp_path: Path) -> None:
    _ledger, lines = a_day_at_the_counter()
    text = layout(reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS), tmp_path)

    def summed(chosen: Sequence[ReconciliationLine]) -> list[str]:
        fields = ("opening", "received", "used", "voided", "lost", "returned", "closing")
        totals = [sum(getattr(line, name) for line in chosen) for name in fields]
        return [f"{v:,}" for v in totals] + ["0", f"{sum(x.misprints for x in chosen):,}"]

    jq = [line for line in lines if line.form_type == "JQ"]
    sy = [line for line in lines if line.form_type == "SY"]
    assert row(text, "交强险保单", "小计") == summed(jq)
    assert row(text, "商业险保单", "小计") == summed(sy)
    assert row(text, "合计") == summed(lines)
    assert row(text, "合计")[0] == "12,200"  # 11,950 in the safe, 50 with zhangsan, 200 SY


def test_form_types_follow_the_callers_order_and_the_branch_stock_comes_first(
    tmp_path: Path,
) -> None:
    _ledger, lines = a_day_at_the_counter()
    text = layout(reconciliation_pdf(DAY, lines, {"SY": SY, "JQ": JQ}, HOLDERS), tmp_path)
    order = [
        (name, holder)
        for line in text.splitlines()
        for name in ("交强险保单", "商业险保单")
        if name in line
        for holder in ("网点库存（后台）", "李四", "张三", "wangwu", "小计")
        if holder in line
    ]
    assert order == [
        ("商业险保单", "网点库存（后台）"),
        ("商业险保单", "wangwu"),
        ("商业险保单", "小计"),
        ("交强险保单", "网点库存（后台）"),
        ("交强险保单", "李四"),
        ("交强险保单", "张三"),
        ("交强险保单", "小计"),
    ]


@pytest.mark.parametrize("gaps", [0, 1, 3])
def test_the_warning_appears_exactly_when_a_line_has_a_gap(gaps: int, tmp_path: Path) -> None:
    _ledger, lines = a_day_at_the_counter()
    order = sorted(range(len(lines)), key=lambda i: (lines[i].form_type, lines[i].holder))
    for index in order[:gaps]:
        lines[index] = replace(lines[index], closing=lines[index].closing - 2)
    data = reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS)
    flat = squeezed(layout(data, tmp_path))
    if gaps:
        assert f"对账不平：{gaps}行存在差异，请核查" in flat
        assert "本期对账平衡" not in flat
        assert "+2" in flat
    else:
        assert "本期对账平衡" in flat
        assert "对账不平" not in flat
        assert "+" not in re.sub(r"差异=.*?期末结存", "", flat)


def test_a_line_with_a_gap_is_printed_in_red(tmp_path: Path) -> None:
    _ledger, lines = a_day_at_the_counter()
    lines = [
        replace(line, closing=line.closing + 1) if line.holder == "lisi" else line for line in lines
    ]
    data = reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS)
    text = layout(data, tmp_path)
    assert row(text, "交强险保单", "李四")[7] == "-1"
    assert "对账不平：1 行存在差异，请核查" in text
    assert red_pixels(data, tmp_path, "李四") > 20
    assert red_pixels(data, tmp_path, "张三") == 0
    assert red_pixels(data, tmp_path, "wangwu") == 0


def test_a_gap_that_cancels_out_in_the_subtotal_still_counts(tmp_path: Path) -> None:
    _ledger, lines = a_day_at_the_counter()
    lines = [
        replace(line, closing=line.closing + (1 if line.holder == "lisi" else -1))
        if line.form_type == "JQ" and line.holder in ("lisi", "zhangsan")
        else line
        for line in lines
    ]
    text = layout(reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS), tmp_path)
    assert row(text, "交强险保单", "小计")[7] == "0"
    assert "对账不平：2 行存在差异，请核查" in text


def test_numbers_have_thousands_separators_and_names_print_as_given(tmp_path: Path) -> None:
    line = ReconciliationLine("x<y&z>", "JQ", 1_234_567, 89_012, 1_000, 0, 0, 0, 1_322_579)
    assert line.gap == 0
    text = layout(reconciliation_pdf(DAY, [line], FORM_TYPES, {}), tmp_path)
    assert row(text, "交强险保单", "x<y&z>") == [
        "1,234,567",
        "89,012",
        "1,000",
        "0",
        "0",
        "0",
        "1,322,579",
        "0",
        "0",
    ]


def test_an_unknown_form_type_prints_its_code(tmp_path: Path) -> None:
    line = ReconciliationLine(BRANCH_STOCK, "BZ", 10, 0, 0, 0, 0, 0, 10)
    data = reconciliation_pdf(
        DAY,
        [line],
        FORM_TYPES,
        {},
        [UnreturnedRange("BZ", "", SerialState.USED, SerialRange(7, 9))],
    )
    text = layout(data, tmp_path)
    assert row(text, "BZ", "网点库存（后台）")[0] == "10"
    assert re.search(r"BZ\s+网点库存（后台）\s+已使用\s+7\s+9\s+3", text)


def test_unreturned_forms_are_listed_with_their_serials(tmp_path: Path) -> None:
    ledger, lines = a_day_at_the_counter()
    unreturned = unreturned_of(ledger)
    text = layout(reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS, unreturned), tmp_path)
    section = text[text.index("待回销单证") :]
    assert "待回销单证（6 段）" in section
    # zhangsan wrote off 1 and 2 but not 3 or the misprint 4; lisi's misprint 51 and spoiled
    # 60; wangwu's SY 500.
    assert re.search(r"交强险保单\s+张三\s+已使用\s+JQ0000000003\s+JQ0000000003\s+1\b", section)
    assert re.search(r"交强险保单\s+张三\s+已作废\s+JQ0000000004\s+JQ0000000004\s+1\b", section)
    assert re.search(r"交强险保单\s+李四\s+已使用\s+JQ0000000052\s+JQ0000000052\s+1\b", section)
    assert re.search(r"交强险保单\s+李四\s+已作废\s+JQ0000000051\s+JQ0000000051\s+1\b", section)
    assert re.search(r"交强险保单\s+李四\s+已作废\s+JQ0000000060\s+JQ0000000060\s+1\b", section)
    assert re.search(r"商业险保单\s+wangwu\s+已使用\s+SY0000000500\s+SY0000000500\s+1\b", section)
    assert re.search(r"合计\s+6\b", section)
    assert "JQ0000000001" not in section  # written off

    none = squeezed(layout(reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS), tmp_path))
    assert "待回销单证（0段）无" in none


def test_a_long_report_runs_onto_numbered_pages_with_its_header_repeated(tmp_path: Path) -> None:
    holders = {f"clerk{i:03d}": f"柜员{i:03d}号" for i in range(200)}
    lines = [
        ReconciliationLine(name, "JQ", 1_000 + i, 50, i % 7, 0, 0, 0, 1_050 + i - i % 7)
        for i, name in enumerate(holders)
    ]
    lines[150] = replace(lines[150], closing=lines[150].closing - 1)
    data = reconciliation_pdf(DAY, lines, FORM_TYPES, holders)
    texts = pages(data)
    assert len(texts) >= 4
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"第 {number} 页 共 {total} 页" in text
        assert "期初结存" in text, f"no header row on page {number}"
    everything = "".join(texts)
    for name in holders.values():
        assert everything.count(name) == 1, name
    assert "合计" in texts[-1] or "合计" in texts[-2]
    flat = squeezed(layout(data, tmp_path))
    assert "对账不平：1行存在差异，请核查" in flat
    opening = sum(line.opening for line in lines)
    assert f"合计{opening:,}" in flat


def test_the_cjk_font_is_embedded_and_nothing_else_is_used(tmp_path: Path) -> None:
    ledger, lines = a_day_at_the_counter()
    data = reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS, unreturned_of(ledger))
    rows = run(["pdffonts"], data, tmp_path).splitlines()[2:]
    assert rows
    for font in rows:
        assert font.split()[-5] == "yes", f"font not embedded: {font}"
        assert "WenQuanYi" in font, font


def test_nothing_runs_off_the_page(tmp_path: Path) -> None:
    long_name = "机动车交通事故责任强制保险定额保单（摩托车及拖拉机专用）"
    lines = [ReconciliationLine("someone", "LONG", 99_999, 99_999, 99_999, 0, 0, 0, 199_998)]
    names = {"someone": "欧阳" + "长" * 30}
    data = reconciliation_pdf(DAY, lines, {"LONG": FormType("LONG", long_name, "L", 12)}, names, ())
    html = run(["pdftotext", "-bbox", "-enc", "UTF-8"], data, tmp_path)
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    assert width > 800  # landscape
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', html)) <= width - 30
    assert min(float(x) for x in re.findall(r'xMin="([\d.]+)"', html)) >= 30
    flat = squeezed(pages(data)[0])
    assert long_name in flat
    assert names["someone"] in flat
    assert "-99,999" in flat


def test_the_same_report_is_the_same_bytes() -> None:
    ledger, lines = a_day_at_the_counter()
    unreturned = unreturned_of(ledger)
    first = reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS, unreturned)
    assert reconciliation_pdf(DAY, lines, FORM_TYPES, HOLDERS, unreturned) == first
    assert reconciliation_pdf(DAY, list(reversed(lines)), FORM_TYPES, HOLDERS, unreturned) == first


def test_an_empty_period_still_prints(tmp_path: Path) -> None:
    flat = squeezed(layout(reconciliation_pdf(DAY, [], FORM_TYPES, HOLDERS), tmp_path))
    assert "本期无单证结存及变动" in flat
    assert "本期对账平衡" in flat


DAILY, MONTHLY, SPAN = "有价单证日结对账表", "有价单证月结对账表", "有价单证期间对账表"


@pytest.mark.parametrize(
    ("first", "last", "title", "period"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), DAILY, "2026年11月23日"),
        (date(2026, 11, 1), date(2026, 11, 30), MONTHLY, "2026年11月1日至2026年11月30日"),
        (date(2028, 2, 1), date(2028, 2, 29), MONTHLY, "2028年2月1日至2028年2月29日"),
        (date(2026, 11, 1), date(2026, 11, 29), SPAN, "2026年11月1日至2026年11月29日"),
        (date(2026, 11, 2), date(2026, 12, 1), SPAN, "2026年11月2日至2026年12月1日"),
    ],
)
def test_the_title_says_which_report(
    first: date, last: date, title: str, period: str, tmp_path: Path
) -> None:
    assert report_title(first, last) == title
    assert period_text(first, last) == period
    header = replace(DAY, first_day=first, last_day=last)
    text = squeezed(layout(reconciliation_pdf(header, [], FORM_TYPES, {}), tmp_path))
    assert text.startswith(title)
    assert f"对账期间{period}" in text


def test_a_period_ending_before_it_starts_or_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before"):
        reconciliation_pdf(replace(DAY, last_day=date(2026, 11, 22)), [], FORM_TYPES, {})
    with pytest.raises(ValueError, match="timezone-aware"):
        reconciliation_pdf(replace(DAY, printed_at=datetime(2026, 11, 23, 10)), [], {}, {})


# --- the stock-take sheet ---


def test_a_stock_take_that_matches(tmp_path: Path) -> None:
    ledger, _lines = a_day_at_the_counter()
    counted = [SerialRange(61, 69), SerialRange(53, 59), SerialRange(71, 90)]
    result = stock_take(ledger.held_blank("JQ", "lisi"), counted)
    assert result.matches
    data = stock_take_pdf(DAY, JQ, "李四", counted, result)
    text = layout(data, tmp_path)
    flat = squeezed(text)
    for expected in (
        "有价单证盘点表",
        "单证类型交强险保单（JQ）",
        "持有人李四",
        "盘点日期2026年11月23日",
        "账面结存36份",
        "实盘数量36份",
        "盘点相符",
        "盘点人：",
        "监盘人：",
    ):
        assert expected in flat, expected
    assert "盘点不符" not in flat
    assert re.search(r"1\s+JQ0000000061\s+JQ0000000069\s+9\b", text)  # in the order counted
    assert re.search(r"3\s+JQ0000000071\s+JQ0000000090\s+20\b", text)
    assert re.search(r"合计\s+36\b", text)
    assert len(pages(data)) == 1
    assert "第 1 页 共 1 页" in pages(data)[0]


def test_a_stock_take_lists_what_is_missing_and_what_should_not_be_there(tmp_path: Path) -> None:
    ledger, _lines = a_day_at_the_counter()
    # lisi holds 53-59, 61-69 and 71-90 blank; 60 was voided, 70 lost, 91-100 taken back.
    counted = [SerialRange(53, 59), SerialRange(61, 65), SerialRange(71, 95), SerialRange(93, 94)]
    result = stock_take(ledger.held_blank("JQ", "lisi"), counted)
    assert result.missing == [SerialRange(66, 69)]
    assert result.unexpected == [SerialRange(91, 95)]
    text = layout(stock_take_pdf(DAY, JQ, "李四", counted, result), tmp_path)
    flat = squeezed(text)
    assert "盘点相符" not in flat
    assert "盘点不符：账有实无4份，实有账无5份，请查明原因" in flat
    assert "账面结存36份" in flat
    assert "实盘数量37份" in flat  # 93-94 counted twice count once
    missing = text[text.index("账有实无（") : text.index("实有账无（")]
    unexpected = text[text.index("实有账无（") :]
    assert re.search(r"1\s+JQ0000000066\s+JQ0000000069\s+4\b", missing)
    assert "JQ0000000091" not in missing
    assert re.search(r"1\s+JQ0000000091\s+JQ0000000095\s+5\b", unexpected)
    assert "JQ0000000066" not in unexpected


def test_a_stock_take_short_of_forms_does_not_match(tmp_path: Path) -> None:
    ledger, _lines = a_day_at_the_counter()
    counted = [SerialRange(53, 59), SerialRange(71, 90)]
    result = stock_take(ledger.held_blank("JQ", "lisi"), counted)
    assert (result.missing, result.unexpected) == ([SerialRange(61, 69)], [])
    text = layout(stock_take_pdf(DAY, JQ, "李四", counted, result), tmp_path)
    flat = squeezed(text)
    assert "盘点相符" not in flat
    assert "盘点不符：账有实无9份，实有账无0份，请查明原因" in flat
    assert "实有账无（实物有、账面无）序号起始号终止号份数无" in flat


def test_a_stock_take_with_nothing_to_count(tmp_path: Path) -> None:
    result = stock_take(set(), [])
    flat = squeezed(layout(stock_take_pdf(DAY, SY, "", [], result), tmp_path))
    assert "持有人网点库存（后台）" in flat
    assert "实盘号段序号起始号终止号份数无" in flat
    assert "账面结存0份" in flat
    assert "盘点相符" in flat
