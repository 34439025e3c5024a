"""Draw stand-in "scans" of the pre-printed blank forms into printers/forms/backgrounds/.

We have no real scans yet, so each pre-printed form (交强险保单 JQ, 商业险保单 SY, 批单 PD) is
drawn from the small description below: its grid of boxes, the labels printed in them, the
notes and the red serial number in the corner, at 150 dpi as a real scan would be. The page
size and the serial's form code come from the layout file, so the two cannot drift apart; the
boxes must match the layout's fields by hand (look at a preview with the background on).

When a branch gets real forms, scan one at 150 dpi, save it over the PNG and check the layout
against it; this script is then no longer needed for that form.

    .venv/bin/python scripts/make_form_backgrounds.py
"""

from __future__ import annotations

import argparse
import functools
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from counter_app.printing.intake_pdf import find_cjk_font

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "printers" / "forms"
DPI = 150
PAPER = (252, 251, 246)
SERIAL_RED = (205, 35, 35)
COMPANY = "中国某某财产保险股份有限公司"

Cell = tuple[float, float, str]  # x, width, label ("" for a blank the printer fills)
Row = tuple[float, float, tuple[Cell, ...]]  # y, height, cells
Word = tuple[float, float, float, float, str, str]  # x, y, width, height, text, align
Note = tuple[float, float, float, str, float]  # x, y, width, text, size in pt


@dataclass(frozen=True)
class Artwork:
    layout: str  # the layout file (stem) this is the blank form of
    title: str
    title_y: float
    title_pt: float
    label_pt: float
    ink: tuple[int, int, int]
    rows: tuple[Row, ...]
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # x, y, width, height
    words: tuple[Word, ...] = ()  # pre-printed words outside the label cells
    notes: tuple[Note, ...] = ()
    seal: tuple[float, float, float, float, str] | None = None


JQ = Artwork(
    layout="jq-policy",
    title="机动车交通事故责任强制保险单",
    title_y=6,
    title_pt=16,
    label_pt=8,
    ink=(25, 115, 75),
    rows=(
        (20, 7, ((8, 22, "被保险人"), (30, 90, ""), (120, 25, "证件号码"), (145, 88, ""))),
        (27, 7, ((8, 22, "被保险人地址"), (30, 140, ""), (170, 20, "联系电话"), (190, 43, ""))),
        (
            34,
            7,
            (
                (8, 22, "号牌号码"),
                (30, 40, ""),
                (70, 22, "机动车种类"),
                (92, 58, ""),
                (150, 22, "使用性质"),
                (172, 61, ""),
            ),
        ),
        (
            41,
            7,
            ((8, 22, "发动机号码"), (30, 70, ""), (100, 30, "识别代码（车架号）"), (130, 103, "")),
        ),
        (
            48,
            7,
            (
                (8, 22, "厂牌型号"),
                (30, 70, ""),
                (100, 18, "核定载客"),
                (118, 20, ""),
                (138, 22, "核定载质量"),
                (160, 25, ""),
                (185, 22, "初次登记日期"),
                (207, 26, ""),
            ),
        ),
        (55, 30, ((8, 22, "责任限额"),)),
        (
            55,
            5,
            ((30, 120, "赔偿限额项目"), (150, 45, "责任限额（元）"), (195, 38, "保险费（元）")),
        ),
        (85, 7, ((8, 22, "保险费合计"), (30, 140, ""), (170, 63, ""))),
        (92, 7, ((8, 22, "保险期间"), (30, 203, ""))),
        (99, 14, ((8, 22, "代收车船税"),)),
        (
            99,
            7,
            (
                (30, 18, "纳税年度"),
                (48, 22, ""),
                (70, 18, "当年应缴"),
                (88, 30, ""),
                (118, 15, "滞纳金"),
                (133, 30, ""),
                (163, 12, "合计"),
                (175, 58, ""),
            ),
        ),
        (106, 7, ((30, 18, "税务机关"), (48, 185, ""))),
        (113, 11, ((8, 22, "特别约定"), (30, 203, ""))),
        (124, 7, ((8, 22, "争议解决方式"), (30, 90, ""), (120, 22, "签单日期"), (142, 91, ""))),
        (
            131,
            7,
            (
                (8, 22, "保险人"),
                (30, 90, ""),
                (120, 12, "地址"),
                (132, 68, ""),
                (200, 12, "电话"),
                (212, 21, ""),
            ),
        ),
    ),
    boxes=((30, 60, 120, 25), (150, 60, 45, 25), (195, 60, 38, 25)),
    words=(
        (8, 14, 18, 5.5, "保险单号：", "left"),
        (116, 48, 20.5, 7, "人", "right"),
        (160, 48, 23.5, 7, "吨", "right"),
        (31.5, 85, 22, 7, "（人民币大写）", "left"),
        (171.5, 85, 10, 7, "（¥：", "left"),
        (170, 85, 61.5, 7, "）", "right"),
    ),
)

SY = Artwork(
    layout="sy-policy",
    title="机动车商业保险保险单",
    title_y=10,
    title_pt=18,
    label_pt=9,
    ink=(25, 95, 140),
    rows=(
        (30, 8, ((10, 24, "投保人"), (34, 76, ""), (110, 24, "证件号码"), (134, 66, ""))),
        (38, 8, ((10, 24, "被保险人"), (34, 76, ""), (110, 24, "证件号码"), (134, 66, ""))),
        (46, 8, ((10, 24, "证件类型"), (34, 76, ""), (110, 24, "联系电话"), (134, 66, ""))),
        (54, 8, ((10, 24, "被保险人地址"), (34, 166, ""))),
        (62, 8, ((10, 24, "号牌号码"), (34, 46, ""), (80, 24, "厂牌型号"), (104, 96, ""))),
        (70, 8, ((10, 24, "车辆识别代码"), (34, 76, ""), (110, 24, "发动机号"), (134, 66, ""))),
        (
            78,
            8,
            (
                (10, 24, "机动车种类"),
                (34, 46, ""),
                (80, 24, "使用性质"),
                (104, 40, ""),
                (144, 22, "核定载客"),
                (166, 34, ""),
            ),
        ),
        (
            86,
            8,
            (
                (10, 24, "初次登记日期"),
                (34, 46, ""),
                (80, 24, "排量"),
                (104, 40, ""),
                (144, 22, "核定载质量"),
                (166, 34, ""),
            ),
        ),
        (
            96,
            7,
            (
                (10, 92, "承保险种"),
                (102, 50, "保险金额/责任限额（元）"),
                (152, 20, "免赔"),
                (172, 28, "保险费（元）"),
            ),
        ),
        (
            153,
            8,
            ((10, 40, "保险费合计（人民币大写）"), (50, 100, ""), (150, 10, "¥"), (160, 40, "")),
        ),
        (161, 8, ((10, 24, "保险期间"), (34, 166, ""))),
        (169, 48, ((10, 24, "特别约定"), (34, 166, ""))),
        (217, 8, ((10, 24, "争议解决方式"), (34, 76, ""), (110, 24, "签单日期"), (134, 66, ""))),
        (225, 8, ((10, 24, "保险人"), (34, 166, ""))),
        (233, 8, ((10, 24, "保险人地址"), (34, 96, ""), (130, 20, "客服电话"), (150, 50, ""))),
    ),
    boxes=((10, 103, 92, 50), (102, 103, 50, 50), (152, 103, 20, 50), (172, 103, 28, 50)),
    words=(
        (10, 22, 20, 6, "保险单号：", "left"),
        (166, 78, 32.5, 8, "人", "right"),
        (166, 86, 32.5, 8, "吨", "right"),
    ),
    notes=(
        (10, 247, 135, "重要提示", 8.5),
        (10, 252, 135, "1. 本保险合同由保险条款、投保单、保险单、批单和特别约定组成。", 7.5),
        (
            10,
            256.5,
            135,
            "2. 收到本保险单后，请立即核对，如有不符或疏漏，请在 48 小时内通知保险人并办理"
            "变更或补充手续。",
            7.5,
        ),
        (
            10,
            261,
            135,
            "3. 请详细阅读承保险种对应的保险条款，特别是责任免除、投保人被保险人义务、赔偿处理"
            "等内容。",
            7.5,
        ),
        (
            10,
            265.5,
            135,
            "4. 被保险机动车转让、改装、加装或改变使用性质等导致危险程度显著增加的，应及时通知"
            "保险人。",
            7.5,
        ),
    ),
    seal=(150, 247, 50, 32, "保险人签章"),
)

PD = Artwork(
    layout="endorsement",
    title="机动车辆保险批单",
    title_y=8,
    title_pt=16,
    label_pt=8.5,
    ink=(175, 60, 45),
    rows=(
        (19, 7, ((10, 20, "批单号"), (30, 75, ""), (105, 20, "保险单号"), (125, 75, ""))),
        (26, 7, ((10, 20, "被保险人"), (30, 75, ""), (105, 20, "号牌号码"), (125, 75, ""))),
        (33, 7, ((10, 20, "险种"), (30, 75, ""), (105, 20, "批改类型"), (125, 75, ""))),
        (40, 6, ((10, 50, "批改项目"), (60, 70, "变更前"), (130, 70, "变更后"))),
        (66, 7, ((10, 20, "保险费变化"), (30, 170, ""))),
        (73, 40, ((10, 20, "批文"), (30, 170, ""))),
        (113, 7, ((10, 20, "生效日期"), (30, 75, ""), (105, 20, "签发日期"), (125, 75, ""))),
    ),
    boxes=((10, 46, 50, 20), (60, 46, 70, 20), (130, 46, 70, 20)),
    notes=(
        (10, 124, 135, "本批单是保险合同的组成部分，与保险单具有同等法律效力。", 7.5),
        (10, 128, 135, "批改内容以本批单为准，未经批改的其他内容仍以原保险单为准。", 7.5),
    ),
    seal=(150, 122, 50, 20, "保险人签章"),
)

ARTWORKS = (JQ, SY, PD)


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


@functools.cache
def font(pt: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(find_cjk_font()), max(1, round(pt / 72 * DPI)), index=0)


def text_in(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    text: str,
    pt: float,
    ink: tuple[int, int, int],
    align: str = "center",
) -> None:
    """One line inside the box (mm), vertically centred, smaller if it would not fit."""
    x, y, width, height = box
    size = pt
    face = font(size)
    while draw.textlength(text, font=face) > px(width) and size > 4:
        size -= 0.25
        face = font(size)
    middle = px(y + height / 2)
    if align == "left":
        draw.text((px(x), middle), text, font=face, fill=ink, anchor="lm")
    elif align == "right":
        draw.text((px(x + width), middle), text, font=face, fill=ink, anchor="rm")
    else:
        draw.text((px(x + width / 2), middle), text, font=face, fill=ink, anchor="mm")


def note(draw: ImageDraw.ImageDraw, item: Note, ink: tuple[int, int, int]) -> None:
    x, y, width, text, pt = item
    face = font(pt)
    line, top = "", y
    for char in text:
        if draw.textlength(line + char, font=face) > px(width):
            draw.text((px(x), px(top)), line, font=face, fill=ink)
            line, top = char, top + pt * 1.35 * 25.4 / 72
        else:
            line += char
    draw.text((px(x), px(top)), line, font=face, fill=ink)


def rect(draw: ImageDraw.ImageDraw, x: float, y: float, w: float, h: float, ink: object) -> None:
    draw.rectangle((px(x), px(y), px(x + w), px(y + h)), outline=ink, width=2)  # type: ignore[arg-type]


def draw_form(art: Artwork, layout: dict[str, object]) -> Image.Image:
    width, height = float(layout["width_mm"]), float(layout["height_mm"])  # type: ignore[arg-type]
    image = Image.new("RGB", (px(width), px(height)), PAPER)
    draw = ImageDraw.Draw(image)
    ink = art.ink
    text_in(draw, (8, art.title_y - 4.5, 80, 4), COMPANY, 8, ink, "left")
    draw.ellipse(
        (px(3.2), px(art.title_y - 4.7), px(7.2), px(art.title_y - 0.7)), outline=ink, width=2
    )
    text_in(draw, (0, art.title_y, width, 7), art.title, art.title_pt, ink)
    serial = f"No. {layout['blank_form']}{1:010d}"
    text_in(draw, (width - 70, art.title_y - 4.5, 62, 6), serial, 11, SERIAL_RED, "right")
    for y, row_height, cells in art.rows:
        for x, cell_width, label in cells:
            rect(draw, x, y, cell_width, row_height, ink)
            if label:
                text_in(draw, (x + 0.8, y, cell_width - 1.6, row_height), label, art.label_pt, ink)
    for x, y, w, h in art.boxes:
        rect(draw, x, y, w, h, ink)
    for x, y, w, h, text, align in art.words:
        text_in(draw, (x, y, w, h), text, art.label_pt, ink, align)
    for item in art.notes:
        note(draw, item, ink)
    if art.seal is not None:
        x, y, w, h, label = art.seal
        rect(draw, x, y, w, h, ink)
        text_in(draw, (x, y + h - 6, w, 5), label, 8, ink)
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FORMS / "backgrounds")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for art in ARTWORKS:
        layout = tomllib.loads((FORMS / f"{art.layout}.toml").read_text(encoding="utf-8"))
        image = draw_form(art, layout)
        # A palette of a few inks keeps the file small; the scan only guides the eye.
        small = image.quantize(colors=16, method=Image.Quantize.MEDIANCUT)
        target = args.out / str(layout["background"])
        small.save(target, optimize=True, dpi=(DPI, DPI))
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
