"""Layouts of printed policies and endorsements: the ``printers/forms/*.toml`` files.

Standard library only (no Qt, no reportlab). A layout says where each piece of a document goes
on one kind of paper: a pre-printed, serially numbered blank form (保单/批单 印刷单证), where
only the blanks are filled in, or plain A4, where the labels and ruling are printed too. Adding a
form or moving a field is an edit of a TOML file, described in ``printers/README.md``.

Every key is declared here and checked strictly: an unknown, missing or mistyped key, an unknown
filter or a field that does not fit on the page refuses the whole file with ``FormLayoutInvalid``
naming the file and the key (``field[3].x_mm``; items are counted from 1, as in the file).

Texts are templates: ``{insured.name}`` takes a value from the document (a policy or an
endorsement as in ``docs/policy.schema.json``), ``{period.start|date_cn}`` passes it through a
filter, ``{{`` and ``}}`` are literal braces. A path the document lacks prints as nothing, and a
text whose every placeholder is empty prints as nothing at all, so ``{vehicle.tonnage}吨`` leaves
no stray 吨 on a car without a tonnage.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, cast

from counter_app.domain.errors import InvalidInput

DocumentKind = Literal["policy", "endorsement"]
Paper = Literal["preprinted", "plain"]
Align = Literal["left", "center", "right"]
Fit = Literal["shrink", "wrap"]
Symbology = Literal["qr", "code128"]
VAlign = Literal["top", "middle"]

DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("policy", "endorsement")
PAPERS: tuple[Paper, ...] = ("preprinted", "plain")
ALIGNS: tuple[Align, ...] = ("left", "center", "right")
FITS: tuple[Fit, ...] = ("shrink", "wrap")
SYMBOLOGIES: tuple[Symbology, ...] = ("qr", "code128")
VALIGNS: tuple[VAlign, ...] = ("top", "middle")
PRODUCT_NAMES: dict[str, str] = {
    "compulsory": "机动车交通事故责任强制保险",
    "commercial": "机动车商业保险",
}
ENDORSEMENT_KIND_NAMES: dict[str, str] = {
    "plate": "变更号牌号码",
    "owner": "变更被保险人/车主",
    "vehicle": "变更车辆信息",
    "cover": "变更承保险别",
    "cancellation": "退保",
}
ROW_NUMBER = "#"  # in a table column, ``{#}`` is the row's number: 1, 2, ...

MM_PER_PT = 25.4 / 72
LINE_SPACING = 1.25  # a line is this many times the font size high
DEFAULT_FONT_SIZE = 10.0
DEFAULT_MIN_SIZE = 6.0
MIN_FONT_SIZE = 3.0
MAX_FONT_SIZE = 72.0
MAX_PAGE_MM = 600.0
DEFAULT_LINE_PT = 0.5

_EPSILON = 1e-6
_FORMS = Path("printers") / "forms"
_BLANK_FORM_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_BACKGROUND_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.png$")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$")
_FILTER_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_AMOUNT = re.compile(r"^-?[0-9]{1,16}(\.[0-9]*)?$")
_MONEY_PREFIX = re.compile(r"^(-?[0-9]+\.[0-9]{2})(?![0-9])")


class FormLayoutInvalid(InvalidInput):
    """A form layout file is missing, not TOML, or breaks a rule; names the file and the key."""

    code = "printing.form_layout_invalid"


class FormDocumentMismatch(InvalidInput):
    """A document given to a layout made for another kind of document or another product."""

    code = "printing.form_document_mismatch"


class _Bad(Exception):
    """One broken rule inside a layout file, before the file's name is known to the message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.message = message


# --- filters ---

_DIGITS_CN = "零壹贰叁肆伍陆柒捌玖"
_PLACES_CN = ("", "拾", "佰", "仟")
_GROUPS_CN = ("", "万", "亿", "万亿")


def _money_parts(value: str | Decimal | int) -> tuple[bool, int, int] | None:
    """(negative, whole yuan, fen) of an amount with at most two decimals, or None."""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    text = text.strip().replace(",", "")
    if not _AMOUNT.match(text):
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    fen = amount * 100
    if fen != fen.to_integral_value():
        return None
    cents = int(fen)
    return cents < 0, abs(cents) // 100, abs(cents) % 100


def _group_cn(group: int) -> str:
    """One to four digits with their places, zeros inside the group read as one 零."""
    text = ""
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS_CN[digit] + _PLACES_CN[place]
    return text


def _yuan_cn(yuan: int) -> str:
    groups: list[int] = []
    while yuan:
        groups.append(yuan % 10_000)
        yuan //= 10_000
    if len(groups) > len(_GROUPS_CN):
        raise ValueError("amount too large for 人民币大写")
    text = ""
    zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = bool(text)
            continue
        # A gap of zeros before this group (a whole empty group or its own leading zeros).
        if text and (zero or group < 1000):
            text += "零"
        zero = False
        text += _group_cn(group) + _GROUPS_CN[index]
    return text


def money_cn(value: str | Decimal | int) -> str:
    """An amount in 人民币大写, as written on a cheque or a policy: 1234.56 is
    壹仟贰佰叁拾肆元伍角陆分, 10.00 壹拾元整, 0.05 伍分, -5 负伍元整.

    Zeros follow the People's Bank rules: zeros between digits read as one 零 (100010.20:
    壹拾万零壹拾元贰角整), a zero 角 before a 分 is written (10.05: 壹拾元零伍分), and 整 ends
    every amount without 分. Raises ValueError for anything that is not an amount of yuan
    with at most two decimals."""
    parts = _money_parts(value)
    if parts is None:
        raise ValueError(f"not an amount of money: {value!r}")
    negative, yuan, fen = parts
    jiao, fen = divmod(fen, 10)
    if yuan == 0 and jiao == 0 and fen == 0:
        return "零元整"
    text = _yuan_cn(yuan) + "元" if yuan else ""
    if jiao:
        text += _DIGITS_CN[jiao] + "角"
    elif fen and yuan:
        text += "零"
    text += _DIGITS_CN[fen] + "分" if fen else "整"
    return ("负" if negative else "") + text


def money(value: str) -> str:
    """1234.5 → 1,234.50; an amount followed by words (50000.00/座×4座) gets its number
    grouped; other text (新车购置价) is printed as it is."""
    parts = _money_parts(value)
    if parts is not None:
        negative, yuan, fen = parts
        return f"{'-' if negative and (yuan or fen) else ''}{yuan:,}.{fen:02d}"
    match = _MONEY_PREFIX.match(value.strip())
    if match is None:
        return value
    return money(match.group(1)) + value.strip()[match.end() :]


def date_cn(value: str) -> str:
    """2026-11-24 → 2026年11月24日 (not strftime: Chinese formats fail under some Windows
    locales); anything else is printed as it is."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return value
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def _money_cn_or_text(value: str) -> str:
    try:
        return money_cn(value)
    except ValueError:
        return value


def _absolute(value: str) -> str:
    text = value.strip()
    return text[1:] if text.startswith("-") and _money_parts(text) is not None else value


def premium_change(value: str) -> str:
    """An endorsement's premium change as the wording says it: 加收保险费人民币贰佰陆拾捌元伍角整
    (¥268.50), 退还保险费人民币…, or 保险费不变."""
    parts = _money_parts(value)
    if parts is None:
        return value
    negative, yuan, fen = parts
    if not yuan and not fen:
        return "保险费不变"
    amount = _absolute(value)
    verb = "退还" if negative else "加收"
    return f"{verb}保险费人民币{money_cn(amount)}（¥{money(amount)}）"


FILTERS: dict[str, Callable[[str], str]] = {
    "date_cn": date_cn,
    "money": money,
    "money_cn": _money_cn_or_text,
    "product": lambda value: PRODUCT_NAMES.get(value, value),
    "endorsement_kind": lambda value: ENDORSEMENT_KIND_NAMES.get(value, value),
    "upper": str.upper,
    "abs": _absolute,
    "premium_change": premium_change,
}


# --- templates ---


@dataclass(frozen=True)
class Placeholder:
    path: tuple[str, ...]
    filters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A text with ``{path|filter}`` placeholders, parsed once when the layout is loaded."""

    source: str
    parts: tuple[str | Placeholder, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(p for p in self.parts if isinstance(p, Placeholder))

    def render(self, document: Mapping[str, Any], row_number: int | None = None) -> str:
        """The text for ``document``; raises ValueError if a path leads to a list or a table."""
        out: list[str] = []
        filled = False
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            if part.path == (ROW_NUMBER,):
                value: object = row_number
            else:
                value = lookup(document, part.path)
            text = _scalar_text(value, part)
            for name in part.filters:
                text = FILTERS[name](text) if text else text
            filled = filled or bool(text)
            out.append(text)
        if self.placeholders and not filled:
            return ""
        return "".join(out)


def lookup(document: Mapping[str, Any], path: Sequence[str]) -> object:
    """The value at a dotted path (``vehicle.plate``, ``coverages.0.name``), None if absent."""
    value: object = document
    for step in path:
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit():
            index = int(step)
            value = value[index] if index < len(value) else None
        else:
            return None
        if value is None:
            return None
    return value


def _scalar_text(value: object, part: Placeholder) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str | int | Decimal):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    raise ValueError(f"{{{'.'.join(part.path)}}} is a {type(value).__name__}, not a text")


def parse_template(source: str, *, row: bool = False) -> Template:
    """Parse a template; raises ValueError naming the bad placeholder. ``row``: a table
    column's text, where ``{#}`` (the row number) is allowed."""
    parts: list[str | Placeholder] = []
    literal: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        pair = source[index : index + 2]
        if pair in ("{{", "}}"):
            literal.append(char)
            index += 2
            continue
        if char == "}":
            raise ValueError(f"a lone '}}' at character {index + 1} (write '}}}}' for a brace)")
        if char != "{":
            literal.append(char)
            index += 1
            continue
        end = source.find("}", index)
        if end < 0:
            raise ValueError(f"'{{' at character {index + 1} is never closed")
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(_placeholder(source[index + 1 : end], row))
        index = end + 1
    if literal:
        parts.append("".join(literal))
    return Template(source, tuple(parts))


def _placeholder(inner: str, row: bool) -> Placeholder:
    path, *filters = (piece.strip() for piece in inner.split("|"))
    if path == ROW_NUMBER:
        if not row:
            raise ValueError("{#} (the row number) is only for table columns")
    elif not _PATH.match(path):
        raise ValueError(f"{{{inner}}} is not a path like insured.name or coverages.0.limit")
    for name in filters:
        if name not in FILTERS:
            known = ", ".join(sorted(FILTERS))
            raise ValueError(f"unknown filter {name!r} in {{{inner}}} (known: {known})")
    return Placeholder(tuple(path.split(".")), tuple(filters))


# --- the layout model ---


@dataclass(frozen=True)
class TextField:
    key: str  # where it is in the file, for messages and reports: "field[3]"
    text: Template
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float  # the box; one line of ``size`` when the file does not say
    size: float
    min_size: float
    align: Align
    valign: VAlign
    fit: Fit
    bold: bool
    title: str  # heading of the rest of a wrapped text that continues on a 附页


@dataclass(frozen=True)
class TableColumn:
    key: str
    text: Template
    x_mm: float  # from the table's left edge
    width_mm: float
    align: Align
    size: float
    min_size: float
    title: str  # the column's heading on a continuation page (附页)


@dataclass(frozen=True)
class Table:
    key: str
    rows: tuple[str, ...]  # path of the list in the document
    x_mm: float
    y_mm: float
    row_height_mm: float
    max_rows: int
    size: float
    title: str  # the heading of its part of a continuation page
    columns: tuple[TableColumn, ...]

    @property
    def right_mm(self) -> float:
        return max(c.x_mm + c.width_mm for c in self.columns)

    @property
    def left_mm(self) -> float:
        return min(c.x_mm for c in self.columns)


@dataclass(frozen=True)
class Barcode:
    key: str
    text: Template
    symbology: Symbology
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class Line:
    key: str
    x1_mm: float
    y1_mm: float
    x2_mm: float
    y2_mm: float
    line_width_pt: float


@dataclass(frozen=True)
class Box:
    key: str
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    line_width_pt: float


@dataclass(frozen=True)
class FormLayout:
    """One ``printers/forms/<name>.toml``. Positions are mm from the page's top-left corner."""

    name: str
    path: Path
    title: str
    document: DocumentKind
    products: tuple[str, ...]
    paper: Paper
    blank_form: str | None  # the blank-form type a pre-printed print uses up (JQ, SY, PD)
    background: str | None  # file in printers/forms/backgrounds/: the scan, for previews
    width_mm: float
    height_mm: float
    font_size: float
    fields: tuple[TextField, ...]
    tables: tuple[Table, ...]
    barcodes: tuple[Barcode, ...]
    lines: tuple[Line, ...]
    boxes: tuple[Box, ...]

    @property
    def background_path(self) -> Path | None:
        if self.background is None:
            return None
        return self.path.parent / "backgrounds" / self.background

    def accepts(self, document: Mapping[str, Any]) -> bool:
        return document_kind(document) == self.document and document.get("product") in self.products

    def check_document(self, document: Mapping[str, Any]) -> None:
        """Refuse a document this layout is not for (it would waste a numbered blank form)."""
        if not self.accepts(document):
            raise FormDocumentMismatch(
                f"layout {self.name} prints a {self.document} of {', '.join(self.products)}",
                layout=self.name,
                document=document_kind(document) or "",
                product=str(document.get("product", "")),
            )


def document_kind(document: Mapping[str, Any]) -> DocumentKind | None:
    """An endorsement has an endorsement number; a policy has a policy number and none."""
    if "endorsement_number" in document:
        return "endorsement"
    if "policy_number" in document:
        return "policy"
    return None


# --- reading the files ---

_TOP_KEYS = frozenset(
    {
        "kind",
        "title",
        "document",
        "products",
        "paper",
        "blank_form",
        "background",
        "width_mm",
        "height_mm",
        "font_size",
        "field",
        "table",
        "barcode",
        "line",
        "box",
    }
)
_FIELD_KEYS = frozenset(
    {
        "text",
        "x_mm",
        "y_mm",
        "width_mm",
        "height_mm",
        "size",
        "min_size",
        "align",
        "valign",
        "fit",
        "bold",
        "title",
    }
)
_TABLE_KEYS = frozenset(
    {"rows", "x_mm", "y_mm", "row_height_mm", "max_rows", "size", "title", "column"}
)
_COLUMN_KEYS = frozenset({"text", "x_mm", "width_mm", "align", "size", "min_size", "title"})
_BARCODE_KEYS = frozenset({"text", "symbology", "x_mm", "y_mm", "width_mm", "height_mm"})
_LINE_KEYS = frozenset({"x1_mm", "y1_mm", "x2_mm", "y2_mm", "line_width_pt"})
_BOX_KEYS = frozenset({"x_mm", "y_mm", "width_mm", "height_mm", "line_width_pt"})


def layouts_dir() -> Path:
    """``printers/forms``: beside the package in a source tree, inside it when frozen."""
    package = Path(__file__).resolve().parent.parent
    candidates = [root / _FORMS for root in (package.parent, package)]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"form layouts folder not found: {candidates[0]}")


def load_layout(path: Path) -> FormLayout:
    """Read and check one layout file; raises FormLayoutInvalid naming the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FormLayoutInvalid(f"no form layout {path}", file=str(path), key="") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormLayoutInvalid(
            f"cannot read form layout {path}: {exc}", file=str(path), key=""
        ) from exc
    try:
        return _layout(path, data)
    except _Bad as exc:
        raise FormLayoutInvalid(
            f"form layout {path.name}: {exc}", file=str(path), key=exc.key, reason=exc.message
        ) from exc


def all_layouts(directory: Path | None = None) -> dict[str, FormLayout]:
    """Every layout in the folder by file name without ``.toml``; one bad file refuses all."""
    folder = directory if directory is not None else layouts_dir()
    return {path.stem: load_layout(path) for path in sorted(folder.glob("*.toml"))}


def layouts_for(
    document_kind: str, product: str, directory: Path | None = None
) -> list[FormLayout]:
    """The layouts that print this kind of document of this product: pre-printed forms first."""
    found = [
        layout
        for layout in all_layouts(directory).values()
        if layout.document == document_kind and product in layout.products
    ]
    return sorted(found, key=lambda layout: (PAPERS.index(layout.paper), layout.name))


class _Section:
    """One TOML table of the file: takes its keys one by one, knowing where it is."""

    def __init__(self, data: object, where: str, allowed: frozenset[str]) -> None:
        if not isinstance(data, dict):
            raise _Bad(where, f"must be a table, not {_type(data)}")
        self.data = cast(dict[str, Any], data)
        self.where = where
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            raise _Bad(self.key(unknown[0]), "unknown key (a typo?)")

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def value(self, name: str, default: object) -> object:
        if name in self.data:
            return self.data[name]
        if default is _REQUIRED:
            raise _Bad(self.key(name), "missing")
        return default

    def text(self, name: str, default: object = None) -> str:
        value = self.value(name, _REQUIRED if default is None else default)
        if not isinstance(value, str):
            raise _Bad(self.key(name), f"must be a text, not {_type(value)}")
        return value

    def optional_text(self, name: str) -> str | None:
        if name not in self.data:
            return None
        return self.text(name)

    def choice(self, name: str, allowed: Sequence[str], default: str | None = None) -> str:
        value = self.text(name, default)
        if value not in allowed:
            raise _Bad(self.key(name), f"must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def number(
        self,
        name: str,
        default: float | None = None,
        *,
        low: float = 0.0,
        high: float = MAX_PAGE_MM,
        positive: bool = False,
    ) -> float:
        value = self.value(name, _REQUIRED if default is None else default)
        # bool is an int subclass; ``true`` for a position is a typo, not 1.
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _Bad(self.key(name), f"must be a number, not {_type(value)}")
        number = float(value)
        if not math.isfinite(number) or number < low or number > high:
            raise _Bad(self.key(name), f"must be between {low:g} and {high:g}, not {value!r}")
        if positive and number <= 0:
            raise _Bad(self.key(name), f"must be more than 0, not {value!r}")
        return number

    def whole(self, name: str, *, low: int, high: int) -> int:
        value = self.value(name, _REQUIRED)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Bad(self.key(name), f"must be a whole number, not {_type(value)}")
        if not low <= value <= high:
            raise _Bad(self.key(name), f"must be between {low} and {high}, not {value}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.value(name, default)
        if not isinstance(value, bool):
            raise _Bad(self.key(name), f"must be true or false, not {_type(value)}")
        return value

    def template(self, name: str, *, row: bool = False) -> Template:
        source = self.text(name)
        try:
            return parse_template(source, row=row)
        except ValueError as exc:
            raise _Bad(self.key(name), str(exc)) from exc

    def items(self, name: str) -> list[object]:
        value = self.data.get(name, [])
        if not isinstance(value, list):
            raise _Bad(self.key(name), f"must be a list of tables ([[{name}]]), not {_type(value)}")
        return value


_REQUIRED = object()


def _type(value: object) -> str:
    names = {str: "a text", bool: "true/false", int: "a number", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _layout(path: Path, data: dict[str, Any]) -> FormLayout:
    top = _Section(data, "", _TOP_KEYS)
    if top.text("kind") != "form":
        raise _Bad("kind", f"must be 'form', not {data['kind']!r}")
    title = top.text("title").strip()
    if not title:
        raise _Bad("title", "must not be empty")
    document = cast(DocumentKind, top.choice("document", DOCUMENT_KINDS))
    products = _products(top)
    paper = cast(Paper, top.choice("paper", PAPERS))
    blank_form = top.optional_text("blank_form")
    background = top.optional_text("background")
    if paper == "preprinted":
        if blank_form is None:
            raise _Bad("blank_form", "missing (a pre-printed form uses up a numbered blank form)")
        if not _BLANK_FORM_CODE.match(blank_form):
            raise _Bad("blank_form", f"must be a form type code like JQ, not {blank_form!r}")
        if background is not None:
            _check_background(path, background)
    else:
        for name, value in (("blank_form", blank_form), ("background", background)):
            if value is not None:
                raise _Bad(name, "only for paper = 'preprinted'")
    page = (
        top.number("width_mm", positive=True, low=10),
        top.number("height_mm", positive=True, low=10),
    )
    font_size = top.number("font_size", DEFAULT_FONT_SIZE, low=MIN_FONT_SIZE, high=MAX_FONT_SIZE)
    fields = tuple(
        _field(raw, f"field[{n}]", font_size, page) for n, raw in enumerate(top.items("field"), 1)
    )
    tables = tuple(
        _table(raw, f"table[{n}]", font_size, page) for n, raw in enumerate(top.items("table"), 1)
    )
    barcodes = tuple(
        _barcode(raw, f"barcode[{n}]", page) for n, raw in enumerate(top.items("barcode"), 1)
    )
    lines = tuple(_line(raw, f"line[{n}]", page) for n, raw in enumerate(top.items("line"), 1))
    boxes = tuple(_box(raw, f"box[{n}]", page) for n, raw in enumerate(top.items("box"), 1))
    if not (fields or tables or barcodes):
        raise _Bad("field", "a form needs at least one [[field]], [[table]] or [[barcode]]")
    return FormLayout(
        name=path.stem,
        path=path,
        title=title,
        document=document,
        products=products,
        paper=paper,
        blank_form=blank_form,
        background=background,
        width_mm=page[0],
        height_mm=page[1],
        font_size=font_size,
        fields=fields,
        tables=tables,
        barcodes=barcodes,
        lines=lines,
        boxes=boxes,
    )


def _products(top: _Section) -> tuple[str, ...]:
    value = top.value("products", _REQUIRED)
    if not isinstance(value, list) or not value:
        raise _Bad("products", f'must be a list like ["compulsory"], not {_type(value)}')
    for item in value:
        if item not in PRODUCT_NAMES:
            known = ", ".join(PRODUCT_NAMES)
            raise _Bad("products", f"unknown product {item!r} (known: {known})")
    if len(set(value)) != len(value):
        raise _Bad("products", "a product is named twice")
    return tuple(value)


def _check_background(path: Path, name: str) -> None:
    if not _BACKGROUND_NAME.match(name):
        raise _Bad("background", f"must be a .png file name in backgrounds/, not {name!r}")
    if not (path.parent / "backgrounds" / name).is_file():
        raise _Bad("background", f"no file backgrounds/{name} beside the layout")


def _inside(key: str, page: tuple[float, float], x: float, y: float, w: float, h: float) -> None:
    if x + w > page[0] + _EPSILON or y + h > page[1] + _EPSILON:
        raise _Bad(
            key,
            f"reaches {x + w:g} × {y + h:g} mm, outside the {page[0]:g} × {page[1]:g} mm page",
        )


def _sizes(section: _Section, default: float) -> tuple[float, float]:
    size = section.number("size", default, low=MIN_FONT_SIZE, high=MAX_FONT_SIZE)
    min_size = section.number(
        "min_size", min(DEFAULT_MIN_SIZE, size), low=MIN_FONT_SIZE, high=MAX_FONT_SIZE
    )
    if min_size > size:
        raise _Bad(section.key("min_size"), f"must not be more than size ({size:g})")
    return size, min_size


def line_height_mm(size: float) -> float:
    """The height of one line of ``size`` pt text, in mm."""
    return size * LINE_SPACING * MM_PER_PT


def _field(raw: object, where: str, font_size: float, page: tuple[float, float]) -> TextField:
    s = _Section(raw, where, _FIELD_KEYS)
    text = s.template("text")
    x, y = s.number("x_mm"), s.number("y_mm")
    width = s.number("width_mm", positive=True)
    size, min_size = _sizes(s, font_size)
    fit = cast(Fit, s.choice("fit", FITS, "shrink"))
    if fit == "wrap" and "height_mm" not in s.data:
        raise _Bad(s.key("height_mm"), "missing (fit = 'wrap' needs the height to wrap into)")
    height = s.number("height_mm", line_height_mm(size), positive=True)
    if height + _EPSILON < line_height_mm(min_size) * (1 if fit == "wrap" else 0.8):
        raise _Bad(s.key("height_mm"), f"too low for one line of {min_size:g} pt text")
    _inside(where, page, x, y, width, height)
    return TextField(
        key=where,
        text=text,
        x_mm=x,
        y_mm=y,
        width_mm=width,
        height_mm=height,
        size=size,
        min_size=min_size,
        align=cast(Align, s.choice("align", ALIGNS, "left")),
        valign=cast(VAlign, s.choice("valign", VALIGNS, "top" if fit == "wrap" else "middle")),
        fit=fit,
        bold=s.flag("bold", False),
        title=s.text("title", "续前页").strip() or "续前页",
    )


def _table(raw: object, where: str, font_size: float, page: tuple[float, float]) -> Table:
    s = _Section(raw, where, _TABLE_KEYS)
    rows = s.text("rows")
    if not _PATH.match(rows):
        raise _Bad(s.key("rows"), f"must be a path like coverages, not {rows!r}")
    size = s.number("size", font_size, low=MIN_FONT_SIZE, high=MAX_FONT_SIZE)
    raw_columns = s.items("column")
    if not raw_columns:
        raise _Bad(s.key("column"), "missing (a table needs at least one [[table.column]])")
    columns = tuple(_column(c, f"{where}.column[{n}]", size) for n, c in enumerate(raw_columns, 1))
    table = Table(
        key=where,
        rows=tuple(rows.split(".")),
        x_mm=s.number("x_mm"),
        y_mm=s.number("y_mm"),
        row_height_mm=s.number("row_height_mm", positive=True),
        max_rows=s.whole("max_rows", low=1, high=200),
        size=size,
        title=s.text("title", "续表").strip() or "续表",
        columns=columns,
    )
    smallest = min(c.min_size for c in columns)
    if table.row_height_mm + _EPSILON < line_height_mm(smallest) * 0.8:
        raise _Bad(s.key("row_height_mm"), f"too low for a line of {smallest:g} pt text")
    for column in columns:
        _inside(column.key, page, table.x_mm + column.x_mm, table.y_mm, column.width_mm, 0)
    _inside(where, page, table.x_mm, table.y_mm, 0, table.row_height_mm * table.max_rows)
    return table


def _column(raw: object, where: str, size: float) -> TableColumn:
    s = _Section(raw, where, _COLUMN_KEYS)
    text = s.template("text", row=True)
    own_size, min_size = _sizes(s, size)
    return TableColumn(
        key=where,
        text=text,
        x_mm=s.number("x_mm"),
        width_mm=s.number("width_mm", positive=True),
        align=cast(Align, s.choice("align", ALIGNS, "left")),
        size=own_size,
        min_size=min_size,
        title=s.text("title", "").strip(),
    )


def _barcode(raw: object, where: str, page: tuple[float, float]) -> Barcode:
    s = _Section(raw, where, _BARCODE_KEYS)
    barcode = Barcode(
        key=where,
        text=s.template("text"),
        symbology=cast(Symbology, s.choice("symbology", SYMBOLOGIES)),
        x_mm=s.number("x_mm"),
        y_mm=s.number("y_mm"),
        width_mm=s.number("width_mm", positive=True),
        height_mm=s.number("height_mm", positive=True),
    )
    if barcode.symbology == "qr" and min(barcode.width_mm, barcode.height_mm) < 10:
        raise _Bad(where, "a QR code needs a box of at least 10 × 10 mm")
    _inside(where, page, barcode.x_mm, barcode.y_mm, barcode.width_mm, barcode.height_mm)
    return barcode


def _line_width(s: _Section) -> float:
    return s.number("line_width_pt", DEFAULT_LINE_PT, low=0.1, high=5)


def _line(raw: object, where: str, page: tuple[float, float]) -> Line:
    s = _Section(raw, where, _LINE_KEYS)
    line = Line(
        key=where,
        x1_mm=s.number("x1_mm"),
        y1_mm=s.number("y1_mm"),
        x2_mm=s.number("x2_mm"),
        y2_mm=s.number("y2_mm"),
        line_width_pt=_line_width(s),
    )
    _inside(where, page, max(line.x1_mm, line.x2_mm), max(line.y1_mm, line.y2_mm), 0, 0)
    return line


def _box(raw: object, where: str, page: tuple[float, float]) -> Box:
    s = _Section(raw, where, _BOX_KEYS)
    box = Box(
        key=where,
        x_mm=s.number("x_mm"),
        y_mm=s.number("y_mm"),
        width_mm=s.number("width_mm", positive=True),
        height_mm=s.number("height_mm", positive=True),
        line_width_pt=_line_width(s),
    )
    _inside(where, page, box.x_mm, box.y_mm, box.width_mm, box.height_mm)
    return box
