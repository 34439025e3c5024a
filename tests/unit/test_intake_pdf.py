"""The intake post's PDFs, read back the way a person or a scanner would.

Text comes back through poppler's ``pdftotext``, fonts through ``pdffonts``, and the barcodes are
decoded with zxing-cpp from page images made by ``pdftoppm -r 200`` (about what an office
scanner or a phone camera sees).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from counter_app.domain.intake import (
    Channel,
    Form,
    HandoverLine,
    HandoverList,
    IntakeReceipt,
    ReceiptLine,
    document_barcode,
)
from counter_app.printing.intake_pdf import (
    CjkFontMissing,
    find_cjk_font,
    render_checklist_card_pdf,
    render_handover_pdf,
    render_receipt_pdf,
)
from tests.tools import require_poppler

SHANGHAI = ZoneInfo("Asia/Shanghai")

RECEIVED = (
    ReceiptLine("机动车辆保险索赔申请书", Form.ORIGINAL, 2),
    ReceiptLine("被保险人身份证", Form.COPY, 1),
    ReceiptLine("驾驶证", Form.COPY, 1),
    ReceiptLine("行驶证", Form.COPY, 1),
    ReceiptLine("交通事故认定书", Form.ORIGINAL, 3),
    ReceiptLine("维修发票", Form.ORIGINAL, 2),
    ReceiptLine("维修清单<A&B>", Form.ORIGINAL, 4),  # markup characters print as they are
    ReceiptLine("银行卡", Form.COPY, 1, note="尾号1234"),
)
MISSING = (
    ReceiptLine("事故现场照片", None),
    ReceiptLine("被保险人身份证原件", None, note="需原件"),
    ReceiptLine("赔款收据", None),
    ReceiptLine("权益转让书", None),
)
RECEIPT = IntakeReceipt(
    receipt_number="SD20261123-0007",
    claim_number="RDAA202611230000001234",
    claim_type_name="车辆损失险（单车事故）",
    branch_name="中国演示财产保险股份有限公司演示市分公司客户服务中心",
    contact_phone="95500",
    opened_at=datetime(2026, 11, 23, 2, 5, tzinfo=UTC),
    collector="李娜",
    submitter="张*",
    submitter_phone="138****5678",
    plate="沪A·12345",
    channel=Channel.COURIER,
    received=RECEIVED,
    missing=MISSING,
    due=date(2026, 11, 30),
    printed_at=datetime(2026, 11, 23, 2, 6, tzinfo=UTC),
)
# 60 characters, no spaces: it can only wrap between characters.
LONG_NAME = "机动车交通事故责任强制保险第三者人身伤亡医疗费用原始票据及明细清单" * 2
LONG_NAME = LONG_NAME[:60]
HANDOVER = HandoverList(
    batch_number="JJ20261123-03",
    branch_name="演示分公司客服中心",
    created_at=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
    created_by="王强",
    files=tuple(
        HandoverLine(
            claim_number=f"RDAA2026112300000012{i:02d}",
            receipt_number=f"SD20261123-{i:04d}",
            claim_type_name="车辆损失险" if i % 2 else "三者人伤（含医疗费用票据）",
            plate=f"沪A·1234{i % 10}",
            documents=8 + i % 3,
            pages=20 + i,
        )
        for i in range(1, 6)
    ),
)
CARD_DOCUMENTS = (
    ("claim_form", "机动车辆保险索赔申请书"),
    ("id_card", "被保险人身份证"),
    ("driver_license", "驾驶证"),
    ("accident_certificate", "交通事故认定书"),
    ("repair_invoice", "维修发票"),
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


def text_of(data: bytes, tmp_path: Path) -> str:
    return run(["pdftotext", "-enc", "UTF-8"], data, tmp_path)


def squeezed(text: str) -> str:
    """Text without any whitespace: pdftotext breaks wrapped names into several lines."""
    return re.sub(r"\s+", "", text)


def barcodes_on_page(data: bytes, tmp_path: Path, page: int = 1) -> dict[str, str]:
    """Decoded value -> format name, for every barcode on ``page`` rendered at 200 dpi."""
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(data)
    prefix = tmp_path / "scan"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    [png] = sorted(tmp_path.glob("scan-*.png"))
    with Image.open(png) as image:
        found = zxingcpp.read_barcodes(image)
    png.unlink()
    return {b.text: b.format.name for b in found}


def page_count(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def assert_fonts_embedded(data: bytes, tmp_path: Path) -> None:
    rows = run(["pdffonts"], data, tmp_path).splitlines()[2:]
    assert rows, "the PDF uses no font at all"
    for row in rows:
        emb = row.split()[-5]  # name type encoding emb sub uni object ID
        assert emb == "yes", f"font not embedded: {row}"
    assert all("WenQuanYi" in row for row in rows), rows


def assert_words_inside_page(data: bytes, tmp_path: Path) -> None:
    """No word runs into the page margin: nothing overflows its table column off the page."""
    html = run(["pdftotext", "-bbox", "-enc", "UTF-8"], data, tmp_path)
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert right_edges
    assert max(right_edges) <= width - 30, "text reaches into the right margin"
    assert min(float(x) for x in re.findall(r'xMin="([\d.]+)"', html)) >= 30


# --- the receipt ---


@pytest.mark.parametrize("page", ["A5", "A4"])
def test_receipt_says_everything(page: str, tmp_path: Path) -> None:
    data = render_receipt_pdf(RECEIPT, SHANGHAI, page)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    text = text_of(data, tmp_path)
    flat = squeezed(text)
    for expected in (
        "机动车辆保险索赔单证收单回执",
        RECEIPT.branch_name,
        RECEIPT.receipt_number,
        RECEIPT.claim_number,
        RECEIPT.claim_type_name,
        RECEIPT.plate,
        "张*",
        "138****5678",
        "快递/邮寄",
        "2026-11-2310:05",  # opened, in Shanghai time
        "李娜",
        "已收单证",
        "尚缺单证",
        "请于2026年11月30日前补齐",
        "咨询电话：95500",
        "2026-11-2310:06",  # printed
        "维修清单<A&B>",
        "尾号1234",
        "需原件",
    ):
        assert squeezed(expected) in flat, expected
    for line in RECEIVED + MISSING:
        assert line.name in flat, line.name
    assert flat.count("复印件") >= 4  # the column header and three copies
    assert "资料已齐全" not in flat
    assert page_count(data) == 1
    assert_fonts_embedded(data, tmp_path)
    assert_words_inside_page(data, tmp_path)


@pytest.mark.parametrize("page", ["A5", "A4"])
def test_receipt_and_claim_numbers_scan_back(page: str, tmp_path: Path) -> None:
    data = render_receipt_pdf(RECEIPT, SHANGHAI, page)  # type: ignore[arg-type]
    found = barcodes_on_page(data, tmp_path)
    assert found.get(RECEIPT.receipt_number) == "Code128"
    assert found.get(RECEIPT.claim_number) == "Code128"


def test_receipt_page_sizes(tmp_path: Path) -> None:
    a5 = PdfReader(BytesIO(render_receipt_pdf(RECEIPT, SHANGHAI))).pages[0].mediabox
    a4 = PdfReader(BytesIO(render_receipt_pdf(RECEIPT, SHANGHAI, "A4"))).pages[0].mediabox
    assert (round(float(a5.width)), round(float(a5.height))) == (420, 595)
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    with pytest.raises(ValueError, match="A4 or A5"):
        render_receipt_pdf(RECEIPT, SHANGHAI, "Letter")  # type: ignore[arg-type]


def test_complete_file_says_so(tmp_path: Path) -> None:
    done = replace(RECEIPT, missing=(), due=date(2026, 11, 30), channel=Channel.REPAIR_SHOP)
    flat = squeezed(text_of(render_receipt_pdf(done, SHANGHAI), tmp_path))
    assert "资料已齐全" in flat
    assert "请于" not in flat
    assert "代理维修厂" in flat


def test_nothing_received_yet(tmp_path: Path) -> None:
    data = render_receipt_pdf(replace(RECEIPT, received=()), SHANGHAI)
    flat = squeezed(text_of(data, tmp_path))
    assert "已收单证（0份，共0页）" in flat
    assert "（无）" in flat
    assert_fonts_embedded(data, tmp_path)  # the empty cells too are set in the CJK font


def test_missing_without_due_date_has_no_due_line(tmp_path: Path) -> None:
    flat = squeezed(text_of(render_receipt_pdf(replace(RECEIPT, due=None), SHANGHAI), tmp_path))
    assert "请于" not in flat
    assert "事故现场照片" in flat


def test_long_names_wrap_and_many_items_continue_on_more_pages(tmp_path: Path) -> None:
    missing = tuple(
        ReceiptLine(
            f"补充材料第{i:02d}项" + ("说明" * 12 if i % 9 == 0 else ""), None, note="需原件"
        )
        for i in range(1, 41)
    )
    receipt = replace(
        RECEIPT,
        received=(ReceiptLine(LONG_NAME, Form.ORIGINAL, 12), *RECEIVED),
        missing=(ReceiptLine(LONG_NAME[::-1], None, note=LONG_NAME[:20]), *missing),
    )
    assert len(LONG_NAME) == 60
    data = render_receipt_pdf(receipt, SHANGHAI)
    assert page_count(data) > 1
    text = text_of(data, tmp_path)
    flat = squeezed(text)
    for line in (*receipt.received, *receipt.missing):
        assert line.name in flat, line.name
    assert LONG_NAME[:20] in flat
    # The long name was wrapped inside its column, not set on one line running off the page.
    assert not any(LONG_NAME in line for line in text.splitlines())
    assert "第2页/共" in flat  # the footer numbers the pages
    # The table's header is repeated on the following pages.
    assert flat.count("单证名称") > 2
    assert_fonts_embedded(data, tmp_path)
    assert_words_inside_page(data, tmp_path)
    found = barcodes_on_page(data, tmp_path)
    assert RECEIPT.receipt_number in found
    assert RECEIPT.claim_number in found


def test_times_must_carry_a_zone() -> None:
    naive = replace(RECEIPT, opened_at=datetime(2026, 11, 23, 10, 5))
    with pytest.raises(ValueError, match="timezone"):
        render_receipt_pdf(naive, SHANGHAI)


# --- the handover list ---


def test_handover_list(tmp_path: Path) -> None:
    data = render_handover_pdf(HANDOVER, SHANGHAI)
    flat = squeezed(text_of(data, tmp_path))
    for expected in ("理赔单证交接清单", HANDOVER.batch_number, HANDOVER.branch_name, "王强"):
        assert expected in flat
    assert "2026-11-2316:00" in flat
    for line in HANDOVER.files:
        assert line.claim_number in flat
        assert line.receipt_number in flat
        assert squeezed(line.claim_type_name) in flat
        assert line.plate in flat
    total_documents = sum(f.documents for f in HANDOVER.files)
    total_pages = sum(f.pages for f in HANDOVER.files)
    layout = run(["pdftotext", "-layout", "-enc", "UTF-8"], data, tmp_path)
    [totals] = [line for line in layout.splitlines() if "合计" in line]
    assert totals.split()[-4:] == ["5", "件", str(total_documents), str(total_pages)]
    for signature in ("移交人：", "接收人：", "日期："):
        assert signature in flat
    assert_fonts_embedded(data, tmp_path)
    assert_words_inside_page(data, tmp_path)
    found = barcodes_on_page(data, tmp_path)
    assert found.get(HANDOVER.batch_number) == "Code128"
    # The small per-row codes are a convenience; most should read at 200 dpi.
    rows = [f.claim_number for f in HANDOVER.files if f.claim_number in found]
    assert len(rows) >= len(HANDOVER.files) - 1


def test_long_handover_list_runs_over_pages(tmp_path: Path) -> None:
    files = tuple(
        replace(HANDOVER.files[0], claim_number=f"RDAA20261123000000{i:04d}") for i in range(60)
    )
    data = render_handover_pdf(replace(HANDOVER, files=files), SHANGHAI)
    assert page_count(data) > 2
    flat = squeezed(text_of(data, tmp_path))
    assert all(f.claim_number in flat for f in files)
    assert "移交人：" in flat
    assert HANDOVER.batch_number in barcodes_on_page(data, tmp_path)


# --- the checklist card ---


def test_checklist_card_scans_to_document_codes(tmp_path: Path) -> None:
    data = render_checklist_card_pdf("车辆损失险 单证清单卡", CARD_DOCUMENTS)
    flat = squeezed(text_of(data, tmp_path))
    assert "车辆损失险单证清单卡" in flat
    for code, name in CARD_DOCUMENTS:
        assert name in flat
        assert document_barcode(code) in flat
    found = barcodes_on_page(data, tmp_path)
    assert {document_barcode(code) for code, _ in CARD_DOCUMENTS} <= set(found)
    assert document_barcode("claim_form") == "DOC-CLAIM_FORM"
    assert_fonts_embedded(data, tmp_path)
    assert_words_inside_page(data, tmp_path)


def test_checklist_card_with_short_codes_and_long_ones(tmp_path: Path) -> None:
    short = [("x_ray", "影像检查报告"), ("id_card", "身份证")]
    long = [("medical_records_and_invoices_of_the_injured", "伤者医疗费用票据及病历")]
    for documents in (short, short + long):
        data = render_checklist_card_pdf("清单卡", documents)
        found = barcodes_on_page(data, tmp_path)
        assert {document_barcode(code) for code, _ in documents} <= set(found)
        assert_words_inside_page(data, tmp_path)


# --- the font ---


def test_font_is_found_and_a_missing_one_is_a_clear_error(tmp_path: Path) -> None:
    assert find_cjk_font().suffix in (".ttc", ".ttf")
    nowhere = (tmp_path / "none.ttc", tmp_path / "also-none.ttf")
    with pytest.raises(CjkFontMissing) as info:
        find_cjk_font(nowhere)
    assert info.value.code == "printing.font_missing"
    assert info.value.http_status == 503
    assert info.value.params["searched"] == [str(p) for p in nowhere]
