"""Form layouts (``printers/forms/*.toml``): strict loading, templates and the filters, above
all 人民币大写 (``money_cn``), which is checked against hand-written cases and, with hypothesis,
read back to the amount it was made from."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.printing.form_layout import (
    FILTERS,
    FormDocumentMismatch,
    FormLayoutInvalid,
    all_layouts,
    date_cn,
    layouts_dir,
    layouts_for,
    load_layout,
    lookup,
    money,
    money_cn,
    parse_template,
    premium_change,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "resources" / "policies" / "demo.json").read_text(encoding="utf-8"))

MINIMAL = """\
kind = "form"
title = "测试保单"
document = "policy"
products = ["compulsory"]
paper = "plain"
width_mm = 100
height_mm = 50

[[field]]
text = "{insured.name}"
x_mm = 10
y_mm = 10
width_mm = 40

[[field]]
text = "被保险人"
x_mm = 10
y_mm = 20
width_mm = 20
height_mm = 6
fit = "wrap"

[[table]]
rows = "coverages"
x_mm = 10
y_mm = 30
row_height_mm = 4
max_rows = 3

[[table.column]]
text = "{name}"
x_mm = 0
width_mm = 50
"""


def write(tmp_path: Path, text: str, name: str = "test-form.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> FormLayoutInvalid:
    with pytest.raises(FormLayoutInvalid) as caught:
        load_layout(write(tmp_path, text))
    return caught.value


# --- the shipped layouts ---


def test_the_shipped_layouts_load() -> None:
    layouts = all_layouts()
    assert set(layouts) == {
        "jq-policy",
        "sy-policy",
        "endorsement",
        "jq-policy-plain",
        "sy-policy-plain",
        "endorsement-plain",
    }
    assert layouts_dir() == ROOT / "printers" / "forms"
    for name, layout in layouts.items():
        assert layout.name == name
        if layout.paper == "preprinted":
            assert layout.blank_form in {"JQ", "SY", "PD"}
            assert layout.background_path is not None
            assert layout.background_path.is_file()
        else:
            assert layout.blank_form is None
            assert layout.background is None
            assert (layout.width_mm, layout.height_mm) == (210, 297)
            assert {b.symbology for b in layout.barcodes} == {"qr", "code128"}
    assert (layouts["jq-policy"].width_mm, layouts["jq-policy"].height_mm) == (241, 140)
    assert (layouts["endorsement"].width_mm, layouts["endorsement"].height_mm) == (210, 148)
    assert (layouts["sy-policy"].blank_form, layouts["endorsement"].blank_form) == ("SY", "PD")


def test_backgrounds_are_small_palette_pngs() -> None:
    from PIL import Image

    for layout in all_layouts().values():
        if layout.background_path is None:
            continue
        assert layout.background_path.stat().st_size < 300_000
        with Image.open(layout.background_path) as image:
            assert image.mode == "P"
            # 150 dpi of the layout's page
            assert abs(image.width - layout.width_mm / 25.4 * 150) <= 1
            assert abs(image.height - layout.height_mm / 25.4 * 150) <= 1


def test_layouts_for_picks_by_document_and_product() -> None:
    names = [layout.name for layout in layouts_for("policy", "compulsory")]
    assert names == ["jq-policy", "jq-policy-plain"]  # pre-printed first
    assert [layout.name for layout in layouts_for("policy", "commercial")] == [
        "sy-policy",
        "sy-policy-plain",
    ]
    for product in ("compulsory", "commercial"):
        names = [layout.name for layout in layouts_for("endorsement", product)]
        assert names == ["endorsement", "endorsement-plain"]
    assert layouts_for("policy", "motorcycle") == []


def test_every_demo_document_has_a_preprinted_and_a_plain_layout() -> None:
    for document in DEMO["policies"] + DEMO["endorsements"]:
        kind = "endorsement" if "endorsement_number" in document else "policy"
        papers = [layout.paper for layout in layouts_for(kind, document["product"])]
        assert papers == ["preprinted", "plain"], document


def test_a_layout_refuses_the_wrong_document() -> None:
    layouts = all_layouts()
    policy, endorsement = DEMO["policies"][0], DEMO["endorsements"][0]
    assert layouts["jq-policy"].accepts(policy)
    assert not layouts["sy-policy"].accepts(policy)  # commercial layout, compulsory policy
    assert not layouts["jq-policy"].accepts(endorsement)
    with pytest.raises(FormDocumentMismatch) as caught:
        layouts["sy-policy"].check_document(policy)
    assert caught.value.code == "printing.form_document_mismatch"


# --- strict loading ---


def test_minimal_layout_loads_with_defaults(tmp_path: Path) -> None:
    layout = load_layout(write(tmp_path, MINIMAL))
    assert layout.name == "test-form"
    assert layout.font_size == 10
    first, second = layout.fields
    assert (first.align, first.fit, first.valign, first.bold) == ("left", "shrink", "middle", False)
    assert first.min_size == 6
    assert first.height_mm == pytest.approx(10 * 1.25 * 25.4 / 72)
    assert (second.fit, second.valign) == ("wrap", "top")
    assert layout.tables[0].rows == ("coverages",)
    assert layout.tables[0].title == "续表"


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('kind = "form"', 'kind = "ticket"', "kind", "must be 'form'"),
        ('paper = "plain"', 'paper = "plain"\ncolour = "red"', "colour", "unknown key"),
        ("y_mm = 10\n", "y_mm = 10\nx_pos = 1\n", "field[1].x_pos", "unknown key"),
        ("x_mm = 10\ny_mm = 10\n", "y_mm = 10\n", "field[1].x_mm", "missing"),
        ("width_mm = 100", 'width_mm = "100"', "width_mm", "must be a number"),
        ("width_mm = 40", "width_mm = true", "field[1].width_mm", "must be a number"),
        ("{insured.name}", "{insured.name|lower}", "field[1].text", "unknown filter 'lower'"),
        ("{insured.name}", "{insured..name}", "field[1].text", "not a path"),
        ("{insured.name}", "{insured.name", "field[1].text", "never closed"),
        ("{insured.name}", "{#}", "field[1].text", "only for table columns"),
        ("width_mm = 40", "width_mm = 95", "field[1]", "outside the 100 × 50 mm page"),
        ("max_rows = 3", "max_rows = 20", "table[1]", "outside the 100 × 50 mm page"),
        ("max_rows = 3", "max_rows = 0", "table[1].max_rows", "between 1 and 200"),
        ("width_mm = 50\n", "width_mm = 95\n", "table[1].column[1]", "outside"),
        ('text = "{name}"', 'text = "{name|money_cn|wrong}"', "table[1].column[1].text", "wrong"),
        ('fit = "wrap"', 'fit = "squeeze"', "field[2].fit", "must be one of shrink, wrap"),
        ("height_mm = 6\n", "", "field[2].height_mm", "fit = 'wrap' needs the height"),
        ('products = ["compulsory"]', 'products = ["motor"]', "products", "unknown product"),
        ('products = ["compulsory"]', 'products = "compulsory"', "products", "must be a list"),
        ('paper = "plain"', 'paper = "preprinted"', "blank_form", "missing"),
        ('paper = "plain"', 'paper = "plain"\nblank_form = "JQ"', "blank_form", "only for"),
        (
            "x_mm = 10\ny_mm = 10\n",
            "x_mm = 10\ny_mm = 10\nsize = 8\nmin_size = 9\n",
            "field[1].min_size",
            "must not be more than size",
        ),
        ('document = "policy"', 'document = "claim"', "document", "must be one of"),
        ('title = "测试保单"', 'title = ""', "title", "must not be empty"),
    ],
)
def test_a_broken_layout_is_refused_naming_the_key(
    tmp_path: Path, old: str, new: str, key: str, reason: str
) -> None:
    assert old in MINIMAL
    error = refusal(tmp_path, MINIMAL.replace(old, new, 1))
    assert error.code == "printing.form_layout_invalid"
    assert isinstance(error, InvalidInput)
    assert error.params["key"] == key
    assert "test-form.toml" in error.detail
    assert f"{key}:" in error.detail
    assert reason in error.detail


def test_a_preprinted_layout_checks_its_background_file(tmp_path: Path) -> None:
    preprinted = MINIMAL.replace(
        'paper = "plain"', 'paper = "preprinted"\nblank_form = "JQ"\nbackground = "scan.png"'
    )
    error = refusal(tmp_path, preprinted)
    assert error.params["key"] == "background"
    assert "backgrounds/scan.png" in error.detail
    (tmp_path / "backgrounds").mkdir()
    (tmp_path / "backgrounds" / "scan.png").write_bytes(b"png")
    layout = load_layout(write(tmp_path, preprinted))
    assert layout.background_path == tmp_path / "backgrounds" / "scan.png"
    assert layout.blank_form == "JQ"


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormLayoutInvalid, match="no form layout"):
        load_layout(tmp_path / "missing.toml")
    with pytest.raises(FormLayoutInvalid, match="cannot read"):
        load_layout(write(tmp_path, "kind = \n"))


def test_one_bad_file_refuses_the_folder(tmp_path: Path) -> None:
    for path in layouts_dir().glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(layouts_dir() / "backgrounds", tmp_path / "backgrounds")
    assert len(all_layouts(tmp_path)) == 6
    broken = (tmp_path / "jq-policy.toml").read_text(encoding="utf-8")
    (tmp_path / "jq-policy.toml").write_text(broken.replace("x_mm", "x_nn", 1), encoding="utf-8")
    with pytest.raises(FormLayoutInvalid) as caught:
        all_layouts(tmp_path)
    assert caught.value.params["key"] == "field[1].x_nn"
    assert "jq-policy.toml" in caught.value.detail


# --- templates ---


def test_template_fills_paths_and_filters() -> None:
    policy = DEMO["policies"][0]
    period = parse_template("自{period.start|date_cn}零时起至{period.end|date_cn}二十四时止")
    assert period.render(policy) == "自2026年11月24日零时起至2027年11月23日二十四时止"
    assert parse_template("{coverages.0.name}").render(policy) == "死亡伤残赔偿限额"
    assert parse_template("{coverages.9.name}").render(policy) == ""
    assert parse_template("{vehicle.seats}人").render(policy) == "5人"
    assert parse_template("{{{policy_number}}}").render(policy) == "{PDZA202644010000001234}"
    assert parse_template("{product|product}").render(policy) == "机动车交通事故责任强制保险"
    assert parse_template("{ premium_total | money_cn }").render(policy) == "玖佰伍拾元整"


def test_empty_placeholders_leave_the_whole_text_out() -> None:
    car = DEMO["policies"][0]  # no tonnage
    lorry = DEMO["policies"][2]
    template = parse_template("{vehicle.tonnage}吨")
    assert template.render(car) == ""
    assert template.render(lorry) == "4.99吨"
    assert parse_template("核定载质量").render(car) == "核定载质量"  # constant text stays
    assert parse_template("{vehicle.tonnage}/{vehicle.seats}").render(car) == "/5"


def test_row_number_only_in_columns() -> None:
    assert parse_template("{#}. {name}", row=True).render({"name": "车损险"}, 3) == "3. 车损险"
    with pytest.raises(ValueError, match="only for table columns"):
        parse_template("{#}")
    with pytest.raises(ValueError, match="lone"):
        parse_template("a } b")


def test_a_path_to_a_table_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(ValueError, match="not a text"):
        parse_template("{insured}").render(DEMO["policies"][0])


def test_lookup() -> None:
    document: dict[str, Any] = {"a": {"b": [{"c": "x"}]}, "n": 0}
    assert lookup(document, ("a", "b", "0", "c")) == "x"
    assert lookup(document, ("a", "b", "1", "c")) is None
    assert lookup(document, ("a", "x")) is None
    assert lookup(document, ("n", "x")) is None
    assert lookup(document, ("n",)) == 0


# --- filters ---


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.00", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("0.55", "伍角伍分"),
        ("1.00", "壹元整"),
        ("10.00", "壹拾元整"),
        ("10.05", "壹拾元零伍分"),
        ("15.50", "壹拾伍元伍角整"),
        ("101.00", "壹佰零壹元整"),
        ("110.00", "壹佰壹拾元整"),
        ("950.00", "玖佰伍拾元整"),
        ("1001.00", "壹仟零壹元整"),
        ("1010.00", "壹仟零壹拾元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("3190.21", "叁仟壹佰玖拾元贰角壹分"),
        ("10000.01", "壹万元零壹分"),
        ("100010.20", "壹拾万零壹拾元贰角整"),
        ("105000.00", "壹拾万伍仟元整"),
        ("1000000.00", "壹佰万元整"),
        ("1000100.00", "壹佰万零壹佰元整"),
        ("20000000.00", "贰仟万元整"),
        ("100000000.00", "壹亿元整"),
        ("100001000.00", "壹亿零壹仟元整"),
        ("101000000.00", "壹亿零壹佰万元整"),
        ("110000000.00", "壹亿壹仟万元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("-5770.19", "负伍仟柒佰柒拾元壹角玖分"),
        ("-0.05", "负伍分"),
        ("-0.00", "零元整"),
        ("1,234.50", "壹仟贰佰叁拾肆元伍角整"),
    ],
)
def test_money_cn(amount: str, words: str) -> None:
    assert money_cn(amount) == words


@pytest.mark.parametrize("bad", ["", "abc", "1.234", "1e400", "NaN", "12.3.4"])
def test_money_cn_refuses_what_is_not_an_amount(bad: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        money_cn(bad)
    assert FILTERS["money_cn"](bad) == bad  # in a template the text is printed as it is


_DIGIT = {ch: n for n, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def read_money_cn(words: str) -> int:
    """Back from 人民币大写 to fen: an independent reading, to check the writing against."""
    sign = -1 if words.startswith("负") else 1
    words = words.removeprefix("负")
    whole, _, fraction = words.rpartition("元") if "元" in words else ("", "", words)
    total = section = digit = 0
    for char in whole:
        if char in _DIGIT:
            digit = _DIGIT[char]
        elif char in _PLACE:
            section += digit * _PLACE[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {words}")
    yuan = total + section + digit
    jiao = re.search(r"(.)角", fraction)
    fen = re.search(r"(.)分", fraction)
    cents = _DIGIT[jiao.group(1)] * 10 if jiao else 0
    cents += _DIGIT[fen.group(1)] if fen else 0
    return sign * (yuan * 100 + cents)


@given(st.integers(min_value=-99_999_999_999_999, max_value=99_999_999_999_999))
def test_money_cn_reads_back_to_the_amount(cents: int) -> None:
    amount = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
    words = money_cn(amount)
    assert read_money_cn(words) == cents
    assert "零零" not in words
    assert words.endswith(("分", "整"))
    assert words.endswith("分") == (abs(cents) % 10 != 0)
    if cents:
        # 零 stands only between digits: never before a unit, never first
        assert not re.search(r"零[元万亿角分拾佰仟整]", words)
        assert not words.removeprefix("负").startswith("零")
    else:
        assert words == "零元整"
    assert money_cn(Decimal(amount)) == words


def test_money() -> None:
    assert money("1234.5") == "1,234.50"
    assert money("2000000.00") == "2,000,000.00"
    assert money("-5770.19") == "-5,770.19"
    assert money("0.00") == "0.00"
    assert money("50000.00/座×4座") == "50,000.00/座×4座"
    assert money("新车购置价") == "新车购置价"
    assert money("12345") == "12,345.00"


def test_date_cn() -> None:
    assert date_cn("2026-11-24") == "2026年11月24日"
    assert date_cn("2021-05-08") == "2021年05月08日"
    assert date_cn("2026-02-30") == "2026-02-30"  # not a date: printed as it is
    assert date_cn("明天") == "明天"


def test_name_filters() -> None:
    assert FILTERS["product"]("commercial") == "机动车商业保险"
    assert FILTERS["product"]("compulsory") == "机动车交通事故责任强制保险"
    kinds = {k: FILTERS["endorsement_kind"](k) for k in ("plate", "owner", "cancellation")}
    assert kinds == {"plate": "变更号牌号码", "owner": "变更被保险人/车主", "cancellation": "退保"}
    assert FILTERS["endorsement_kind"]("vehicle") == "变更车辆信息"
    assert FILTERS["endorsement_kind"]("cover") == "变更承保险别"
    assert FILTERS["upper"]("lsvau") == "LSVAU"
    assert FILTERS["abs"]("-5770.19") == "5770.19"
    assert FILTERS["abs"]("-abc") == "-abc"


def test_premium_change() -> None:
    assert premium_change("268.50") == "加收保险费人民币贰佰陆拾捌元伍角整（¥268.50）"
    assert premium_change("-5770.19") == "退还保险费人民币伍仟柒佰柒拾元壹角玖分（¥5,770.19）"
    assert premium_change("0.00") == "保险费不变"
