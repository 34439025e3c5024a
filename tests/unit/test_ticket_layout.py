"""Queue-ticket layout: ESC/POS bytes, read back with the preview decoder, and golden files.

The golden files ``tests/golden/ticket-80mm.bin`` and ``ticket-58mm.bin`` are compared byte for
byte. They depend on the renderer, python-escpos, Pillow/FreeType and the font
``/usr/share/fonts/truetype/wqy/wqy-microhei.ttc`` (Debian: fonts-wqy-microhei). After an
intended change, regenerate them and look at the previews before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_ticket_layout.py

Regenerating also writes ``ticket-80mm.png`` / ``ticket-58mm.png`` next to the .bin files.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageOps

from counter_app.printing.escpos_preview import (
    Cut,
    EscposDecodeError,
    EscposPreview,
    QrCode,
    RasterImage,
    TextLine,
    decode,
    render_png,
)
from counter_app.printing.profiles import (
    PrinterProfileError,
    TicketProfile,
    load_ticket_profile,
    printers_dir,
)
from counter_app.printing.ticket import (
    CJK_FONT,
    TicketSlip,
    clean_text,
    number_font_path,
    render_number_image,
    render_ticket,
    text_columns,
    wrap_columns,
)

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
SHANGHAI = ZoneInfo("Asia/Shanghai")

SLIP = TicketSlip(
    branch_name="演示分公司客服中心",
    service_name="出单/批改",
    number="A023",
    people_ahead=5,
    estimated_wait_minutes=12,
    issued_at=datetime(2026, 5, 12, 1, 30, 59, tzinfo=UTC),
    ticket_id="0196c3a2-7b1e-7c3d-9f00-1234567890ab",
    priority_label="老年人优先",
    notice="请留意叫号，过号请到前台重新取号",
)
# The 58 mm golden covers the other branches: wrapping, no wait estimate, no priority, reprint.
SLIP_58 = replace(
    SLIP,
    branch_name="中国演示财产保险股份有限公司演示市分公司客户服务中心",
    service_name="理赔单证",
    number="C105",
    people_ahead=0,
    estimated_wait_minutes=None,
    priority_label=None,
    reprint=True,
)


@pytest.fixture(scope="module")
def p80() -> TicketProfile:
    return load_ticket_profile("ticket-80mm")


@pytest.fixture(scope="module")
def p58() -> TicketProfile:
    return load_ticket_profile("ticket-58mm")


def render(slip: TicketSlip, profile: TicketProfile) -> EscposPreview:
    return decode(render_ticket(slip, profile, SHANGHAI), profile.encoding)


# --- golden files ---


@pytest.mark.parametrize(
    ("profile_name", "slip"), [("ticket-80mm", SLIP), ("ticket-58mm", SLIP_58)], ids=["80", "58"]
)
def test_ticket_matches_golden_file(profile_name: str, slip: TicketSlip) -> None:
    assert number_font_path() == CJK_FONT, "the golden tickets need fonts-wqy-microhei"
    profile = load_ticket_profile(profile_name)
    data = render_ticket(slip, profile, SHANGHAI)
    golden = GOLDEN / f"{profile_name}.bin"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
        preview = render_png(decode(data, profile.encoding), profile.printable_width_dots)
        preview.save(golden.with_suffix(".png"))
    expected = golden.read_bytes()
    assert len(data) == len(expected)
    assert data == expected, f"{golden.name} differs; see the module docstring to regenerate"


def test_same_slip_same_bytes_whatever_zone_the_time_came_in(p80: TicketProfile) -> None:
    first = render_ticket(SLIP, p80, SHANGHAI)
    local = replace(SLIP, issued_at=SLIP.issued_at.astimezone(timezone(timedelta(hours=8))))
    assert render_ticket(local, p80, SHANGHAI) == first
    assert render_ticket(SLIP, p80, SHANGHAI) == first
    later = replace(SLIP, issued_at=SLIP.issued_at + timedelta(minutes=1))
    assert render_ticket(later, p80, SHANGHAI) != first


# --- content, read back from the bytes ---


def test_ticket_says_everything_in_order(p80: TicketProfile) -> None:
    preview = render(SLIP, p80)
    assert preview.text_lines == [
        "演示分公司客服中心",
        "出单/批改",
        " 老年人优先 ",
        "您前面还有 5 人",
        "预计等候约 12 分钟",
        "取号时间 2026-05-12 09:30",
        "请留意叫号，过号请到前台重新取号",
    ]
    kinds = [type(b).__name__ for b in preview.blocks if type(b).__name__ != "Feed"]
    assert kinds == ["TextLine"] * 2 + ["RasterImage"] + ["TextLine"] * 4 + [
        "QrCode",
        "TextLine",
        "Cut",
    ]
    branch, service, priority = preview.lines[:3]
    assert (branch.align, branch.width, branch.height) == ("center", 1, 2)
    assert (service.width, service.height, service.bold) == (2, 2, True)
    assert priority.inverted
    assert priority.bold
    assert preview.qr_codes == [QrCode(SLIP.ticket_id, p80.qr_module_dots, "M", "center")]
    assert preview.cuts == [Cut(partial=True)]
    assert "补打" not in "".join(preview.text_lines)


def test_chinese_is_sent_as_gb18030_in_chinese_mode(p80: TicketProfile) -> None:
    data = render_ticket(SLIP, p80, SHANGHAI)
    assert data.startswith(b"\x1b@\x1c&")  # init, then FS & (Chinese mode)
    for text in (SLIP.branch_name, SLIP.service_name, SLIP.notice, "您前面还有"):
        assert text.encode("gb18030") in data
        assert text.encode("utf-8") not in data
    # python-escpos's own text path would have turned these into "?" and code-page switches.
    assert b"\x1bt" not in data
    assert not any("?" in line or "\ufffd" in line for line in decode(data).text_lines)


def test_big_number_is_the_sharp_raster_image(p80: TicketProfile, p58: TicketProfile) -> None:
    for profile in (p80, p58):
        [image] = render(SLIP, profile).images
        assert image.size == (profile.printable_width_dots, profile.number_height_dots)
        expected = render_number_image(
            SLIP.number, profile.printable_width_dots, profile.number_height_dots
        )
        assert image.tobytes() == expected.tobytes()
        # Pure black and white, with a blank margin all round: nothing clipped at the edges.
        grey = image.convert("L")
        assert {value for _, value in grey.getcolors() or []} == {0, 255}
        left, top, right, bottom = ImageOps.invert(grey).getbbox() or (0, 0, 0, 0)
        assert left > 0
        assert top > 0
        assert right < image.width
        assert bottom < image.height
        # Large: at least 3/4 of the paper wide or of the band high.
        assert (right - left) > 0.75 * image.width or (bottom - top) > 0.75 * image.height


def test_number_image_differs_per_number() -> None:
    a = render_number_image("A023", 576, 192)
    b = render_number_image("A028", 576, 192)
    assert a.size == b.size
    assert a.tobytes() != b.tobytes()
    long = render_number_image("VIP-88888", 384, 136)
    assert ImageOps.invert(long.convert("L")).getbbox() is not None
    with pytest.raises(ValueError, match="empty"):
        render_number_image(" \x1b ", 384, 136)


def test_58mm_wraps_long_names_and_marks_reprints(p58: TicketProfile) -> None:
    preview = render(SLIP_58, p58)
    lines = preview.text_lines
    assert lines[0] + lines[1] == "中国演示财产保险股份有限公司演示市分公司客户服务中心"
    assert "您前面还有 0 人" in lines
    assert not any("预计等候" in line for line in lines)
    assert not any(line.inverted for line in preview.lines[:-1])
    last = preview.lines[-1]
    assert last.text == " 补打 "
    assert last.inverted
    assert last.width == 2
    assert preview.cuts == [Cut(partial=True)]


@pytest.mark.parametrize("profile_name", ["ticket-80mm", "ticket-58mm"])
def test_no_line_is_wider_than_the_paper(profile_name: str) -> None:
    profile = load_ticket_profile(profile_name)
    long = "很长的名字" * 30 + "ABC DEF " * 10
    slip = replace(
        SLIP,
        branch_name=long,
        service_name=long,
        priority_label=long,
        notice=long,
        people_ahead=123456,
        estimated_wait_minutes=99999,
        reprint=True,
    )
    preview = render(slip, profile)
    assert preview.lines
    for line in preview.lines:
        assert line.columns <= profile.chars_per_line, line
    branch, service = preview.lines[0:2], preview.lines[2:4]
    for first, second in (branch, service):  # two lines each, then cut short
        assert first.text.startswith("很长的名字")
        assert not first.text.endswith("…")
        assert second.text.endswith("…")
    assert len([line for line in preview.lines if line.height == 2 and line.width == 1]) == 4


def test_control_characters_in_names_never_reach_the_printer(p80: TicketProfile) -> None:
    slip = replace(
        SLIP, branch_name="演示\x1b@\x1dV\x00分公司\n客服中心", service_name="出单\t批改"
    )
    preview = render(slip, p80)  # the strict decoder would refuse a stray ESC or GS
    assert preview.text_lines[:2] == ["演示@ V分公司 客服中心", "出单 批改"]


def test_slip_checks(p80: TicketProfile) -> None:
    with pytest.raises(ValueError, match="timezone"):
        render_ticket(replace(SLIP, issued_at=datetime(2026, 5, 12, 9, 30)), p80, SHANGHAI)
    with pytest.raises(ValueError, match="people_ahead"):
        render_ticket(replace(SLIP, people_ahead=-1), p80, SHANGHAI)
    with pytest.raises(ValueError, match="ticket_id"):
        render_ticket(replace(SLIP, ticket_id=""), p80, SHANGHAI)


def test_wrap_counts_cjk_as_two_columns() -> None:
    assert text_columns("A023 出单", "gb18030") == 9
    assert wrap_columns("出单批改ABC", 6, "gb18030", 3) == ["出单批", "改ABC"]
    assert wrap_columns("一二三四五六七八", 6, "gb18030", 2) == ["一二三", "四五…"]
    assert wrap_columns("ab cd", 2, "gb18030", 3) == ["ab", "cd"]
    assert wrap_columns("", 10, "gb18030", 1) == [""]
    assert clean_text("  a\u200b\x00b \r\n c  ") == "ab c"


def test_preview_png_shows_the_ticket(p80: TicketProfile, tmp_path: Path) -> None:
    preview = render(SLIP, p80)
    png = render_png(preview, p80.printable_width_dots)
    path = tmp_path / "ticket.png"
    png.save(path)
    with Image.open(path) as saved:
        assert saved.width == p80.printable_width_dots + 32
        assert saved.height > p80.number_height_dots + 400
        # The big number is pasted in unchanged.
        assert ImageOps.invert(saved.convert("L")).getbbox() is not None


# --- the decoder itself ---


def test_decoder_reads_what_it_is_given() -> None:
    data = (
        b"\x1b@\x1c&\x1ba\x02\x1d!\x11\x1bE\x01"
        + "补打".encode("gb18030")
        + b"\n\x1d(k\x08\x001P0abcde\x1d(k\x03\x001Q0"
        + b"\x1dv0\x00\x01\x00\x02\x00\x80\x01"
        + b"\x1dVA\x03"
    )
    preview = decode(data)
    assert preview.blocks[0] == TextLine("补打", "right", 2, 2, True, False)
    assert preview.qr_payloads == ["abcde"]
    assert isinstance(preview.blocks[2], RasterImage)
    assert preview.images[0].size == (8, 2)
    assert preview.images[0].getpixel((0, 0)) == 0  # the set bit is a black dot
    assert preview.images[0].getpixel((7, 1)) == 0
    assert preview.images[0].getpixel((1, 0)) == 255
    assert preview.cuts == [Cut(partial=False)]


@pytest.mark.parametrize(
    "data",
    [b"\x1b\x99", b"\x07", b"\x1dv0\x00\x10\x00\x10\x00", b"text without a line feed", b"\x1d("],
    ids=["unknown", "bell", "short-image", "unfinished", "truncated"],
)
def test_decoder_refuses_what_it_does_not_know(data: bytes) -> None:
    with pytest.raises(EscposDecodeError):
        decode(data)


# --- profiles ---


def test_profiles_load_from_the_printers_folder(p80: TicketProfile, p58: TicketProfile) -> None:
    assert (printers_dir() / "profiles" / "ticket-80mm.toml").is_file()
    assert (p80.printable_width_dots, p80.chars_per_line, p80.encoding) == (576, 48, "gb18030")
    assert (p58.printable_width_dots, p58.chars_per_line, p58.cut) == (384, 32, "partial")
    assert p80.title == "80毫米热敏票据打印机"


GOOD = """kind = "ticket"
title = "t"
paper_width_mm = 58
printable_width_dots = 384
dpi = 203
encoding = "gb18030"
chars_per_line = 32
cut = "full"
"""


def test_optional_profile_keys_have_defaults(tmp_path: Path) -> None:
    (tmp_path / "mini.toml").write_text(GOOD, encoding="utf-8")
    profile = load_ticket_profile("mini", tmp_path)
    assert (profile.name, profile.cut, profile.qr_module_dots, profile.feed_lines) == (
        "mini",
        "full",
        6,
        6,
    )


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("missing", None, "file not found"),
        ("../etc", GOOD, "bad profile name"),
        ("broken", "kind = ", "Invalid"),
        ("office", GOOD.replace('"ticket"', '"office"'), "kind"),
        ("typo", GOOD + "chars_per_lin = 3\n", "undeclared keys: chars_per_lin"),
        ("nocut", GOOD.replace('cut = "full"\n', ""), "missing keys: cut"),
        ("enc", GOOD.replace("gb18030", "klingon"), "unknown encoding"),
        ("odd", GOOD.replace("384", "380"), "multiple of 8"),
        ("wide", GOOD.replace("384", "800"), "wider than the paper"),
        ("cols", GOOD.replace("= 32", "= 40"), "does not fit"),
        ("neg", GOOD.replace("203", "-203"), "positive"),
        ("bool", GOOD.replace("203", "true"), "positive"),
        ("cutx", GOOD.replace('"full"', '"half"'), "cut must be"),
    ],
)
def test_bad_profiles_are_refused(tmp_path: Path, name: str, text: str | None, reason: str) -> None:
    if text is not None and "/" not in name:
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PrinterProfileError) as info:
        load_ticket_profile(name, tmp_path)
    assert info.value.code == "printing.profile_invalid"
    assert info.value.params["profile"] == name
    assert reason in info.value.params["reason"]


def test_office_profile_is_not_a_ticket_profile() -> None:
    with pytest.raises(PrinterProfileError, match="not 'ticket'"):
        load_ticket_profile("office-a4")
