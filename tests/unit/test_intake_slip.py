"""The intake receipt for the thermal ticket printer: ESC/POS bytes, their text, the barcode.

The golden file ``tests/golden/intake-slip-80mm.bin`` is compared byte for byte. After an
intended change, regenerate it and look at the text lines the tests print before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_intake_slip.py

The preview decoder does not know the printer's barcode commands (GS h/w/f/H/k), so the tests
cut the barcode block out, decode the rest as text, and draw the barcode from its GS k data the
way the printer would, for zxing-cpp to read.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from reportlab.graphics.barcode.code128 import _patterns

from counter_app.domain.intake import Channel, Form, IntakeReceipt, ReceiptLine
from counter_app.printing.escpos_preview import Cut, EscposPreview, decode
from counter_app.printing.intake_slip import code128_data, render_receipt_slip
from counter_app.printing.profiles import TicketProfile, load_ticket_profile

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SHANGHAI = ZoneInfo("Asia/Shanghai")
GS_K_CODE128 = b"\x1dkI"
PARTIAL_CUT = b"\x1dV\x01"

RECEIPT = IntakeReceipt(
    receipt_number="SD20261123-0007",
    claim_number="RDAA202611230000001234",
    claim_type_name="车辆损失险（单车事故）",
    branch_name="演示分公司客服中心",
    contact_phone="95500",
    opened_at=datetime(2026, 11, 23, 2, 5, tzinfo=UTC),
    collector="李娜",
    submitter="张*",
    submitter_phone="138****5678",
    plate="沪A·12345",
    channel=Channel.COUNTER,
    received=(
        ReceiptLine("机动车辆保险索赔申请书", Form.ORIGINAL, 2),
        ReceiptLine("被保险人身份证", Form.COPY, 1),
        ReceiptLine("交通事故认定书", Form.ORIGINAL, 3),
        ReceiptLine("维修发票", Form.ORIGINAL, 12),
    ),
    missing=(
        ReceiptLine("事故现场照片", None),
        ReceiptLine("被保险人身份证", None, note="需原件"),
    ),
    due=date(2026, 11, 30),
    printed_at=datetime(2026, 11, 23, 2, 6, tzinfo=UTC),
)


@pytest.fixture(scope="module")
def p80() -> TicketProfile:
    return load_ticket_profile("ticket-80mm")


@pytest.fixture(scope="module")
def p58() -> TicketProfile:
    return load_ticket_profile("ticket-58mm")


def split_barcode(data: bytes) -> tuple[bytes, bytes, int]:
    """(the job without its barcode block, the GS k data, the module width in dots)."""
    start = data.index(b"\x1dh")  # GS h: the first of the barcode's settings
    k = data.index(GS_K_CODE128, start)
    length = data[k + 3]
    settings = data[start:k]
    width = settings[settings.index(b"\x1dw") + 2]
    assert b"\x1dH\x02" in settings  # its text printed under the bars
    return data[:start] + data[k + 4 + length :], data[k + 4 : k + 4 + length], width


def text_of(data: bytes, profile: TicketProfile) -> EscposPreview:
    rest, _, _ = split_barcode(data)
    return decode(rest, profile.encoding)


def symbols_of(data: bytes) -> list[int]:
    """Code 128 symbol values of GS k function-B data, start and check symbols included."""
    values: list[int] = []
    code = ""
    i = 0
    while i < len(data):
        if data[i : i + 1] == b"{" and data[i + 1 : i + 2] in (b"B", b"C"):
            wanted = chr(data[i + 1])
            values.append(
                (104 if wanted == "B" else 105) if not values else (100 if wanted == "B" else 99)
            )
            code = wanted
            i += 2
        elif code == "C":
            values.append(data[i])
            i += 1
        else:
            i += 2 if data[i : i + 2] == b"{{" else 1
            values.append(data[i - 1] - 32)
    check = (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103
    return [*values, check, 106]


def draw_like_the_printer(data: bytes, module_dots: int) -> Image.Image:
    """The bars a printer draws for GS k data, with a quiet zone, as a 1-bit image."""
    modules: list[int] = []
    for value in symbols_of(data):
        for index, letter in enumerate(_patterns[value]):
            modules += [1 if index % 2 == 0 else 0] * (ord(letter.upper()) - ord("A") + 1)
    quiet = 12
    image = Image.new("L", ((len(modules) + 2 * quiet) * module_dots, 80), 255)
    draw = ImageDraw.Draw(image)
    for index, bar in enumerate(modules):
        if bar:
            x = (quiet + index) * module_dots
            draw.rectangle([x, 0, x + module_dots - 1, 79], fill=0)
    return image


# --- golden file ---


def test_slip_matches_golden_file(p80: TicketProfile) -> None:
    data = render_receipt_slip(RECEIPT, p80, SHANGHAI)
    golden = GOLDEN / "intake-slip-80mm.bin"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
        print("\n".join(text_of(data, p80).text_lines))  # for the person regenerating it
    expected = golden.read_bytes()
    assert len(data) == len(expected)
    assert data == expected, f"{golden.name} differs; see the module docstring to regenerate"


def test_same_receipt_same_bytes_whatever_zone_the_time_came_in(p80: TicketProfile) -> None:
    first = render_receipt_slip(RECEIPT, p80, SHANGHAI)
    plus8 = timezone(timedelta(hours=8))
    local = replace(
        RECEIPT,
        opened_at=RECEIPT.opened_at.astimezone(plus8),
        printed_at=RECEIPT.printed_at.astimezone(plus8),
    )
    assert render_receipt_slip(local, p80, SHANGHAI) == first
    assert render_receipt_slip(RECEIPT, p80, UTC) != first


# --- bytes ---


@pytest.mark.parametrize("profile_name", ["ticket-80mm", "ticket-58mm"])
def test_bytes_carry_the_commands(profile_name: str) -> None:
    profile = load_ticket_profile(profile_name)
    data = render_receipt_slip(RECEIPT, profile, SHANGHAI)
    assert data.startswith(b"\x1b@\x1c&")  # init, then FS & (Chinese mode)
    for text in ("收单回执", RECEIPT.claim_number, RECEIPT.branch_name, "事故现场照片"):
        assert text.encode("gb18030") in data
    assert "收单回执".encode() not in data
    # CODE128, function B: {B for letters, {C packing digit pairs into one byte each.
    receipt_code = b"{BSD{C" + bytes([20, 26, 11, 23]) + b"{B-{C" + bytes([0, 7])
    assert GS_K_CODE128 + bytes([len(receipt_code)]) + receipt_code in data
    assert data.endswith(PARTIAL_CUT)
    assert data.count(PARTIAL_CUT) == 1


@pytest.mark.parametrize(("cut", "ending"), [("full", b"\x1dV\x00"), ("none", b"\x1bd\x06")])
def test_cut_follows_the_profile(p80: TicketProfile, cut: str, ending: bytes) -> None:
    data = render_receipt_slip(RECEIPT, replace(p80, cut=cut), SHANGHAI)  # type: ignore[arg-type]
    assert data.endswith(ending)
    assert PARTIAL_CUT not in data


# --- what it says ---


def test_slip_says_everything_in_order(p80: TicketProfile) -> None:
    lines = text_of(render_receipt_slip(RECEIPT, p80, SHANGHAI), p80).text_lines
    rule = "-" * p80.chars_per_line
    expected = [
        "演示分公司客服中心",
        "收单回执",
        "回执号：SD20261123-0007",
        "报案号：RDAA202611230000001234",
        "案件类型：车辆损失险（单车事故）",
        "车牌号：沪A·12345",
        "收单时间：2026-11-23 10:05",
        rule,
        "已收单证 4 份 共 18 页",
        "1. 机动车辆保险索赔申请书                 原 ×2",
        "2. 被保险人身份证                         复 ×1",
        "3. 交通事故认定书                         原 ×3",
        "4. 维修发票                              原 ×12",
        rule,
        "尚缺单证 2 项",
        "1. 事故现场照片",
        "2. 被保险人身份证（需原件）",
        "请于 2026年11月30日 前补齐",
        rule,
        "收单人：李娜",
        "咨询电话：95500",
        "打印时间：2026-11-23 10:06",
    ]
    assert lines == expected
    preview = text_of(render_receipt_slip(RECEIPT, p80, SHANGHAI), p80)
    assert preview.cuts == [Cut(partial=True)]
    title = preview.lines[1]
    assert (title.width, title.height, title.bold, title.align) == (2, 2, True, "center")


def test_complete_file_says_so(p80: TicketProfile) -> None:
    lines = text_of(render_receipt_slip(replace(RECEIPT, missing=()), p80, SHANGHAI), p80)
    assert "资料已齐全" in lines.text_lines
    assert not any("请于" in line or "尚缺" in line for line in lines.text_lines)


@pytest.mark.parametrize("profile_name", ["ticket-80mm", "ticket-58mm"])
def test_long_names_wrap_within_the_paper(profile_name: str) -> None:
    profile = load_ticket_profile(profile_name)
    long = "机动车交通事故责任强制保险第三者人身伤亡医疗费用原始票据及明细清单"
    receipt = replace(
        RECEIPT,
        received=(ReceiptLine(long, Form.COPY, 123), *RECEIPT.received),
        missing=tuple(ReceiptLine(f"{long}{i}", None, note="需原件") for i in range(12)),
    )
    preview = text_of(render_receipt_slip(receipt, profile, SHANGHAI), profile)
    for line in preview.lines:
        assert line.columns <= profile.chars_per_line, line
    flat = "".join(preview.text_lines).replace(" ", "")
    # The whole name, wrapped under its number (form and pages end its first line), never cut.
    assert long in flat.replace("复×123", "")
    assert "…" not in flat
    assert flat.count("（需原件）") == 12


def test_control_characters_never_reach_the_printer(p80: TicketProfile) -> None:
    receipt = replace(
        RECEIPT,
        branch_name="演示\x1b@分公司",
        received=(ReceiptLine("维修\x1dV\x00发票\n清单", Form.ORIGINAL, 1),),
    )
    lines = text_of(render_receipt_slip(receipt, p80, SHANGHAI), p80).text_lines  # strict decoder
    assert lines[0] == "演示@分公司"
    assert lines[9].startswith("1. 维修 V发票 清单 ")  # GS is whitespace to Python


def test_times_must_carry_a_zone(p80: TicketProfile) -> None:
    with pytest.raises(ValueError, match="timezone"):
        render_receipt_slip(
            replace(RECEIPT, printed_at=datetime(2026, 11, 23, 10, 6)), p80, SHANGHAI
        )


# --- the barcode ---


@pytest.mark.parametrize("profile_name", ["ticket-80mm", "ticket-58mm"])
def test_receipt_barcode_scans_and_fits_the_paper(profile_name: str) -> None:
    profile = load_ticket_profile(profile_name)
    _, data, module_dots = split_barcode(render_receipt_slip(RECEIPT, profile, SHANGHAI))
    assert module_dots in (2, 3)
    _, modules = code128_data(RECEIPT.receipt_number)
    assert modules * module_dots <= profile.printable_width_dots
    image = draw_like_the_printer(data, module_dots)
    assert image.width - 24 * module_dots == modules * module_dots  # the width we planned for
    [found] = zxingcpp.read_barcodes(image)
    assert found.text == RECEIPT.receipt_number
    assert found.format.name == "Code128"


def test_a_number_that_cannot_be_a_barcode_is_still_printed(p58: TicketProfile) -> None:
    for number in ("SD回执-0007", "SD" + "-A" * 40):
        data = render_receipt_slip(replace(RECEIPT, receipt_number=number), p58, SHANGHAI)
        assert GS_K_CODE128 not in data
        assert b"\x1dh" not in data
        lines = decode(data, p58.encoding).text_lines
        assert "".join(lines).count(number[:6]) == 1
        assert data.endswith(PARTIAL_CUT)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("SD20261123-0007", b"{BSD{C\x14\x1a\x0b\x17{B-{C\x00\x07"),
        ("AB123", b"{BAB123"),  # a short run of digits stays in code B
        ("12345", b"{B1{C\x17\x2d"),  # an odd run: its first digit in code B
        ("1234", b"{C\x0c\x22"),
        ("A{B", b"{BA{{B"),  # a brace is doubled
    ],
)
def test_code128_data(text: str, data: bytes) -> None:
    encoded, modules = code128_data(text)
    assert encoded == data
    image = draw_like_the_printer(encoded, 2)
    [found] = zxingcpp.read_barcodes(image)
    assert found.text == text
    assert modules * 2 == image.width - 24 * 2


@pytest.mark.parametrize("text", ["", "回执", "SD\x1b1"])
def test_code128_refuses_what_it_cannot_encode(text: str) -> None:
    with pytest.raises(ValueError, match="ASCII"):
        code128_data(text)
