"""The intake receipt (收单回执) in short, for the thermal ticket printer (ESC/POS).

The counterpart of the PDF receipt for counters without an office printer: what was received,
what is missing, by when, and the receipt number as a CODE128 barcode the printer draws itself
(GS k), so the customer's slip can be scanned when they come back. Text, Chinese mode, encoding
and the cut come from the queue ticket's writer in ``ticket.py``; the same receipt always gives
the same bytes.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from counter_app.domain.intake import Form, IntakeReceipt, ReceiptLine
from counter_app.printing.profiles import TicketProfile
from counter_app.printing.ticket import (
    GS,
    _escpos,
    _TicketWriter,
    clean_text,
    text_columns,
    wrap_columns,
)

_FORM_SHORT = {Form.ORIGINAL: "原", Form.COPY: "复"}
# GS k m=73 (function B): data starts with a code-set selector "{A", "{B" or "{C".
_CODE128 = GS + b"k" + bytes([73])
_CODE_B, _CODE_C = b"{B", b"{C"
# Code C packs two digits in one symbol; below four digits switching costs more than it saves.
_MIN_DIGIT_RUN = 4
_BARCODE_HEIGHT_DOTS = 80  # 10 mm at 203 dpi: tall enough for a hand scanner's sweep
_MODULE_DOTS = (3, 2)  # widest first; ESC/POS allows 2-6 dots a module
_NAME_LINES = 8  # room for any real document name; a receipt should not cut one short
_RIGHT_COLUMNS = 8  # the "原 ×12" column at the right of a received line


def code128_data(text: str) -> tuple[bytes, int]:
    """``text`` as GS k function-B CODE128 data, digit runs packed in code set C, and the
    symbol's width in modules (start, data, check and stop, without quiet zones)."""
    if not text or not text.isascii() or not text.isprintable():
        raise ValueError(f"CODE128 needs printable ASCII, not {text!r}")
    data = bytearray()
    symbols = 0
    pos = 0
    current = b""
    while pos < len(text):
        run = len(text[pos:]) - len(text[pos:].lstrip("0123456789"))
        if run >= _MIN_DIGIT_RUN:
            if run % 2:  # an odd run: its first digit goes in code B
                current, symbols = _switch(data, current, _CODE_B, symbols)
                data += text[pos].encode("ascii")
                symbols += 1
                pos += 1
                run -= 1
            current, symbols = _switch(data, current, _CODE_C, symbols)
            for i in range(pos, pos + run, 2):
                # In code C the printer takes each digit pair as one byte valued 0-99.
                data.append(int(text[i : i + 2]))
                symbols += 1
            pos += run
        else:
            current, symbols = _switch(data, current, _CODE_B, symbols)
            ch = text[pos]
            data += b"{{" if ch == "{" else ch.encode("ascii")
            symbols += 1
            pos += 1
    # The first selector is the start symbol; add the check symbol and the 13-module stop.
    return bytes(data), (symbols + 1) * 11 + 13


def _switch(data: bytearray, current: bytes, wanted: bytes, symbols: int) -> tuple[bytes, int]:
    if current == wanted:
        return current, symbols
    data += wanted
    return wanted, symbols + 1


def _item_lines(prefix: str, name: str, right: str, columns: int, encoding: str) -> list[str]:
    """A numbered item: the name wrapped under its number, ``right`` at the end of line one."""
    indent = text_columns(prefix, encoding)
    right_columns = max(_RIGHT_COLUMNS, text_columns(right, encoding)) + 1 if right else 0
    room = columns - indent - right_columns
    parts = wrap_columns(name, room, encoding, _NAME_LINES)
    lines = []
    for index, part in enumerate(parts):
        line = (prefix if index == 0 else " " * indent) + part
        if index == 0 and right:
            gap = columns - text_columns(line, encoding) - text_columns(right, encoding)
            line += " " * gap + right
        lines.append(line)
    return lines


def _received_right(line: ReceiptLine) -> str:
    form = _FORM_SHORT.get(line.form, "") if line.form is not None else ""
    return f"{form} ×{line.pages}"


def _local(at: datetime, tz: tzinfo, what: str) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class _SlipWriter(_TicketWriter):
    """The ticket writer plus pre-laid-out lines and the printer's own CODE128."""

    def laid_out(self, lines: list[str]) -> None:
        # Already cleaned and wrapped to the paper; ``lines()`` would collapse the padding.
        for line in lines:
            self.raw(line.encode(self.encoding, errors="replace") + b"\n")

    def rule(self) -> None:
        self.style(align="left")
        self.laid_out(["-" * self.profile.chars_per_line])

    def code128(self, text: str) -> bool:
        """The barcode, centred, its text printed under it; False, and nothing sent, if ``text``
        cannot be encoded or would be wider than the paper (the number is printed above)."""
        try:
            data, modules = code128_data(text)
        except ValueError:
            return False
        dots = next(
            (d for d in _MODULE_DOTS if modules * d <= self.profile.printable_width_dots), None
        )
        if dots is None:
            return False
        constants = _escpos()["constants"]
        self.style(align="center")
        self.raw(constants.BARCODE_HEIGHT + bytes([_BARCODE_HEIGHT_DOTS]))
        self.raw(constants.BARCODE_WIDTH + bytes([dots]))
        self.raw(constants.BARCODE_FONT_A + constants.BARCODE_TXT_BLW)
        self.raw(_CODE128 + bytes([len(data)]) + data)
        return True


def render_receipt_slip(receipt: IntakeReceipt, profile: TicketProfile, tz: tzinfo) -> bytes:
    """The intake receipt as one ESC/POS job for ``profile``'s printer; times shown in ``tz``."""
    opened = _local(receipt.opened_at, tz, "opened_at")
    printed = _local(receipt.printed_at, tz, "printed_at")
    out = _SlipWriter(profile)
    columns, encoding = profile.chars_per_line, profile.encoding
    out.start()

    out.style(height=2)
    out.lines(receipt.branch_name, max_lines=2)
    out.style(width=2, height=2, bold=True)
    out.lines("收单回执", width=2)

    out.style(align="left")
    out.lines(f"回执号：{receipt.receipt_number}", max_lines=2)
    out.lines(f"报案号：{receipt.claim_number}", max_lines=2)
    out.lines(f"案件类型：{receipt.claim_type_name}", max_lines=2)
    out.lines(f"车牌号：{receipt.plate}")
    out.lines(f"收单时间：{opened}")
    out.rule()

    out.style(align="left", bold=True)
    pages = sum(line.pages for line in receipt.received)
    out.lines(f"已收单证 {len(receipt.received)} 份 共 {pages} 页")
    out.style(align="left")
    for number, line in enumerate(receipt.received, start=1):
        name = f"{line.name}（{line.note}）" if clean_text(line.note) else line.name
        out.laid_out(_item_lines(f"{number}. ", name, _received_right(line), columns, encoding))
    if not receipt.received:
        out.lines("（无）")
    out.rule()

    out.style(align="left", bold=True)
    if receipt.missing:
        out.lines(f"尚缺单证 {len(receipt.missing)} 项")
        out.style(align="left")
        for number, line in enumerate(receipt.missing, start=1):
            note = f"（{line.note}）" if clean_text(line.note) else ""
            out.laid_out(_item_lines(f"{number}. ", line.name + note, "", columns, encoding))
        if receipt.due is not None:
            due = receipt.due
            out.style(align="left", bold=True, height=2)
            out.lines(f"请于 {due.year}年{due.month:02d}月{due.day:02d}日 前补齐", max_lines=2)
    else:
        out.lines("资料已齐全")
    out.rule()
    out.lines(f"收单人：{receipt.collector}")
    out.lines(f"咨询电话：{receipt.contact_phone}", max_lines=2)
    out.lines(f"打印时间：{printed}")
    out.feed(1)
    if out.code128(clean_text(receipt.receipt_number)):
        out.feed(1)
    out.style(align="left")
    out.finish()
    return out.output
