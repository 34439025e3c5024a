"""The back office's valuable blank forms (有价单证): what is where, the moves, the reconciliation.

``BlankFormsPanel`` lists the holdings (form type, holder, state, count, serial ranges) and makes
the moves in small dialogs: receive head office's allocation (F2), issue to a clerk (F3), take
unused forms back (F4), write off what a clerk hands back (F6), report a lost form (F7) and
count a holder's forms against the ledger (F8, the stock-take sheet printed or saved).
``ReconciliationPanel`` shows a period's lines per form type and holder, the unbalanced ones in
red, and prints or saves the signed report (日结/月结对账表).

Every hub call runs off the GUI thread; a refusal is shown in words in the dialog that made it,
with nothing typed lost. Serials are checked here with the domain's own ``FormType`` first, so a
mistyped serial is named before anything is sent.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIntValidator,
    QKeyEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.blank_forms import (
    BRANCH_STOCK,
    MAX_RANGE,
    BadRange,
    FormType,
    SerialRange,
    SerialState,
)
from counter_app.domain.errors import DomainError
from counter_app.hub.schemas import (
    AllotmentOut,
    EventOut,
    FormHolderOut,
    FormTypeOut,
    HoldingOut,
    ReconciliationLineOut,
    StockTakeOut,
)
from counter_app.ui.barcode import ScanLineEdit
from counter_app.ui.messages import QT_TRANSLATE_NOOP, Messages
from counter_app.ui.office_print import OfficePrintFailed, print_on_office_printer
from counter_app.ui.widgets import ERROR_TEXT, read_only, write_pdf_file
from counter_app.ui.widgets import panel_shortcut as _shortcut
from counter_app.ui.widgets import say as _say

if TYPE_CHECKING:  # the workspaces import these panels
    from counter_app.ui.workspaces.base import Session

GAP_BACKGROUND = "#ffcdd2"
GOOD_TEXT = "#1b5e20"
RELOAD_SETTLE_MS = 300
# A clerk's usual stack of one form type: what "Issue" offers until someone types a count.
DEFAULT_ISSUE_COUNT = 50
# Order of the states in the holdings list: where a form is in its life.
STATE_ORDER = list(SerialState)
# The separators a person types between the first and last serial of a counted bundle.
_RANGE_SPLIT = re.compile(r"[\s,，;；~～–—]+|(?<=\d)-(?=[A-Za-z\d])")

STATE_NAMES: dict[SerialState, str] = {
    SerialState.IN_STOCK: QT_TRANSLATE_NOOP("forms", "In stock"),
    SerialState.ISSUED: QT_TRANSLATE_NOOP("forms", "Issued, blank"),
    SerialState.USED: QT_TRANSLATE_NOOP("forms", "Used"),
    SerialState.VOIDED: QT_TRANSLATE_NOOP("forms", "Voided"),
    SerialState.LOST: QT_TRANSLATE_NOOP("forms", "Lost"),
    SerialState.WRITTEN_OFF: QT_TRANSLATE_NOOP("forms", "Written off"),
}
BRANCH_STOCK_NAME = QT_TRANSLATE_NOOP("forms", "Branch stock")
REFUSED_SERIAL = QT_TRANSLATE_NOOP("forms", "The first one refused: %1 (%2, %3).")
REFUSED_SERIAL_ONLY = QT_TRANSLATE_NOOP("forms", "The first one refused: %1.")
REFUSED_STATE = QT_TRANSLATE_NOOP("forms", "The first one refused is %1.")
OVERLAPPED_RANGE = QT_TRANSLATE_NOOP("forms", "The branch already has %1.")
LINE_PROBLEM = QT_TRANSLATE_NOOP("forms", "Line %1: %2")


def _t(text: str) -> str:
    return QCoreApplication.translate("forms", text)


def state_name(state: str) -> str:
    try:
        return _t(STATE_NAMES[SerialState(state)])
    except ValueError:
        return state


def span_text(first: str, last: str) -> str:
    """``JQ0000100001–JQ0000100050``; one serial alone for a range of one."""
    return first if first == last else f"{first}–{last}"


def ranges_text(ranges: Iterable[tuple[str, str]]) -> str:
    return ", ".join(span_text(first, last) for first, last in ranges)


def kind_of(out: FormTypeOut) -> FormType:
    return FormType(out.code, out.name, out.prefix, out.digits)


def parse_serial(kind: FormType, text: str) -> int:
    """The serial typed or scanned; the digits alone are enough (``100501`` is JQ0000100501)."""
    value = text.strip().upper()
    if value.isdigit() and len(value) <= kind.digits:
        return int(value)
    return kind.parse(value)


def parse_ranges(kind: FormType, text: str) -> list[SerialRange]:
    """Lines of ``first last`` (or one serial) as ranges; ``ValueError`` names the bad line."""
    found: list[SerialRange] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in _RANGE_SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        try:
            if len(parts) > 2:
                raise BadRange("a line is one serial, or a first and a last serial")
            first = parse_serial(kind, parts[0])
            found.append(SerialRange(first, parse_serial(kind, parts[-1])))
        except DomainError as error:
            raise ListLineError(number, error) from None
    return found


class Problem(Exception):
    """What is missing or wrong in a dialog, and the field to fix it in."""

    def __init__(self, text: str, where: QWidget | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.where = where


class ListLineError(ValueError):
    def __init__(self, line: int, error: DomainError) -> None:
        super().__init__(f"line {line}: {error}")
        self.line = line
        self.error = error


def reports_folder(session: Session) -> Path:
    """Where printed reports are kept, next to the workstation's settings."""
    settings_file = session.settings.path
    if settings_file is not None:
        return settings_file.parent / "forms-reports"
    return Path(tempfile.gettempdir()) / "counter-app-forms-reports"


def write_pdf(data: bytes, path: Path) -> Path:
    return write_pdf_file(data, path)


def _number(value: int) -> QTableWidgetItem:
    cell = QTableWidgetItem(str(value))
    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell


# A reload's answer: its number, form types, holdings, staff (when asked) and allotments.
_Loaded = tuple[
    int, list[FormTypeOut], list[HoldingOut], list[FormHolderOut] | None, list[AllotmentOut]
]


@dataclass(frozen=True)
class FormsBook:
    """What the panel last loaded: the form types, who holds what, who is who."""

    kinds: tuple[FormType, ...] = ()
    holdings: tuple[HoldingOut, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # username → display name
    printers: tuple[str, ...] = ()  # staff who print on blank forms, when the hub says
    allotments: tuple[AllotmentOut, ...] = ()  # head office's, not received yet, oldest first

    def allotment(self, code: str) -> AllotmentOut | None:
        """The oldest allotment of this form type still to receive."""
        return next((a for a in self.allotments if a.form_type == code), None)

    def kind(self, code: str) -> FormType | None:
        return next((k for k in self.kinds if k.code == code), None)

    def holder_name(self, holder: str) -> str:
        if holder == BRANCH_STOCK:
            return _t(BRANCH_STOCK_NAME)
        return self.names.get(holder, holder)

    def holder_label(self, holder: str) -> str:
        """``张伟 (clerk)`` in a list to choose from: the name people know, the username to type."""
        name = self.names.get(holder)
        return f"{name} ({holder})" if name and name != holder else holder

    def clerks(self) -> list[str]:
        """Everyone who may be given forms: the printing staff and anyone holding some now."""
        seen = dict.fromkeys(self.printers)
        seen.update(dict.fromkeys(h.holder for h in self.holdings if h.holder != BRANCH_STOCK))
        return sorted(seen, key=lambda u: (self.holder_label(u).lower(), u))

    def ranges(self, code: str, holder: str, state: SerialState) -> list[SerialRange]:
        kind = self.kind(code)
        if kind is None:
            return []
        return sorted(
            SerialRange(kind.parse(first), kind.parse(last))
            for h in self.holdings
            if h.form_type == code and h.holder == holder and h.state == state.value
            for first, last in h.ranges
        )

    def count(self, code: str, holder: str, states: Iterable[SerialState]) -> int:
        wanted = {s.value for s in states}
        return sum(
            h.count
            for h in self.holdings
            if h.form_type == code and h.holder == holder and h.state in wanted
        )

    def where(self, kind: FormType, serial: int) -> HoldingOut | None:
        for holding in self.holdings:
            if holding.form_type != kind.code:
                continue
            for first, last in holding.ranges:
                if kind.parse(first) <= serial <= kind.parse(last):
                    return holding
        return None


def refusal_words(
    session: Session, error: BaseException, kind: FormType | None, book: FormsBook
) -> str:
    """The refusal in words, its serials written as printed and its holder by name."""
    code = getattr(error, "code", None)
    if not isinstance(code, str):
        return session.messages.describe(error)
    params = dict(getattr(error, "params", {}) or {})
    if kind is not None:
        for key in ("serial", "first", "last", "other_first", "other_last"):
            value = params.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                params[key] = kind.format(value)
    text = session.messages.error_text(code, params, getattr(error, "detail", str(error)))
    serial, state = params.get("serial"), params.get("state")
    if code == "forms.invalid_move" and serial is not None and state is not None:
        text += " " + (
            _t(REFUSED_SERIAL)
            .replace("%1", str(serial))
            .replace("%2", state_name(str(state)))
            .replace("%3", book.holder_name(str(params.get("holder", ""))))
        )
    elif code == "forms.invalid_move" and serial is not None:
        text += " " + _t(REFUSED_SERIAL_ONLY).replace("%1", str(serial))
    elif code == "forms.invalid_move" and state is not None:
        text += " " + _t(REFUSED_STATE).replace("%1", state_name(str(state)))
    elif code == "forms.range_overlaps" and "other_first" in params:
        other = span_text(str(params["other_first"]), str(params.get("other_last", "")))
        text += " " + _t(OVERLAPPED_RANGE).replace("%1", other)
    return text


# --- small widgets the dialogs share ---


class HolderBox(QComboBox):
    """A clerk (or the branch stock) chosen from the list, or a username typed."""

    def __init__(self, book: FormsBook, with_stock: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(16)
        line = self.lineEdit()
        if line is not None:
            line.setMaxLength(64)
        if with_stock:
            self.addItem(book.holder_name(BRANCH_STOCK), BRANCH_STOCK)
        for username in book.clerks():
            self.addItem(book.holder_label(username), username)

    def holder(self) -> str | None:
        """The chosen holder's username ("" for the branch stock); None when nothing is typed."""
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return str(self.itemData(index))
        return text.lower() or None

    def choose(self, holder: str) -> None:
        index = self.findData(holder)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(holder)


class SerialListEdit(QWidget):
    """Serials as lines (``first last``, or one serial), typed, or scanned one form at a time:
    a scan next to the last line's range extends it, so a bundle scanned in order is one line."""

    changed = Signal()

    def __init__(self, messages: Messages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = messages
        self.kind: FormType | None = None
        self.scan_edit = ScanLineEdit()
        self.scan_edit.setObjectName("formsListScan")
        self.scan_edit.setMaxLength(90)
        self.lines = QPlainTextEdit()
        self.lines.setObjectName("formsListLines")
        self.lines.setTabChangesFocus(True)
        self.lines.setMinimumHeight(110)
        self.count_label = QLabel()
        self.count_label.setObjectName("formsListCount")
        self.count_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan_edit)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.count_label)
        self.scan_edit.code_scanned.connect(self.add)
        self.lines.textChanged.connect(self._lines_changed)
        self.setFocusProxy(self.scan_edit)
        self.retranslate()

    def retranslate(self) -> None:
        self.scan_edit.setPlaceholderText(
            self.tr("Scan a form, or type a serial or “first last”, then Enter")
        )
        self.lines.setPlaceholderText(self.tr("One line per bundle: first serial, last serial"))
        self._lines_changed()

    @Slot(str)
    def add(self, text: str) -> bool:
        """One serial or ``first last`` onto the list; False (and said) when it is not one."""
        kind = self.kind
        if kind is None or not text.strip():
            return False
        try:
            spans = parse_ranges(kind, text.strip().splitlines()[0])
        except ListLineError as problem:
            self._show_count(problem.error)
            self.scan_edit.selectAll()
            return False
        if not spans:
            return False
        span = spans[0]
        lines = [line for line in self.lines.toPlainText().splitlines() if line.strip()]
        if lines and span.first == span.last:
            try:
                before = parse_ranges(kind, lines[-1])
            except ListLineError:
                before = []
            if before and before[0].last + 1 == span.first:
                lines[-1] = f"{kind.format(before[0].first)} {kind.format(span.last)}"
                self._set_lines(lines)
                return True
        lines.append(
            kind.format(span.first)
            if span.first == span.last
            else f"{kind.format(span.first)} {kind.format(span.last)}"
        )
        self._set_lines(lines)
        return True

    def _set_lines(self, lines: list[str]) -> None:
        self.lines.setPlainText("\n".join(lines))
        self.lines.moveCursor(QTextCursor.MoveOperation.End)
        self.scan_edit.clear()

    def ranges(self) -> list[SerialRange]:
        """The list as ranges; ``ListLineError`` for a line that is not serials of the kind."""
        if self.kind is None:
            return []
        return parse_ranges(self.kind, self.lines.toPlainText())

    def clear(self) -> None:
        self.lines.clear()
        self.scan_edit.clear()

    def set_kind(self, kind: FormType | None) -> None:
        """The form type the serials are of; the count is checked against it again."""
        if kind != self.kind:
            self.kind = kind
            self._show_count(None)

    @Slot()
    def _lines_changed(self) -> None:
        self._show_count(None)
        self.changed.emit()

    def _show_count(self, problem: DomainError | None) -> None:
        if problem is not None:
            self.count_label.setText(self._messages_describe(problem))
            self.count_label.setStyleSheet(f"color: {ERROR_TEXT};")
            return
        try:
            spans = self.ranges()
        except ListLineError as bad:
            self.count_label.setText(
                _t(LINE_PROBLEM)
                .replace("%1", str(bad.line))
                .replace("%2", self._messages_describe(bad.error))
            )
            self.count_label.setStyleSheet(f"color: {ERROR_TEXT};")
            return
        self.count_label.setStyleSheet("")
        self.count_label.setText(
            self.tr("%1 forms in %2 lines")
            .replace("%1", str(sum(s.count for s in spans)))
            .replace("%2", str(len(spans)))
        )

    def _messages_describe(self, error: DomainError) -> str:
        return self.messages.error_text(error.code, error.params, error.detail)


# --- the dialogs ---


def _listed(dialog: FormsDialog, serials: SerialListEdit) -> list[SerialRange]:
    """The list's ranges; ``Problem`` names the line that is not serials of the type."""
    try:
        return serials.ranges()
    except ListLineError as bad:
        words = refusal_words(dialog.session, bad.error, dialog.kind(), dialog.book)
        text = _t(LINE_PROBLEM).replace("%1", str(bad.line)).replace("%2", words)
        raise Problem(text, serials.lines) from None


class FormsDialog(QDialog):
    """What every move's dialog shares: a form type, a message line, OK sends, Enter goes on.

    Enter in a field sends when everything needed is there, and otherwise goes to the next
    field; a refusal stays in the dialog with everything typed kept.

    Each move's dialog gives ``check`` (raise ``Problem`` for what is still missing or wrong)
    and ``send`` (the hub call, once ``check`` passes)."""

    check: Callable[[], None]
    send: Callable[[], None]

    moved = Signal(str)  # the move was made: what happened, in words

    def __init__(
        self, session: Session, book: FormsBook, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.session = session
        self.book = book
        self._sending = False
        self._words: Callable[[int], str] = str
        self.type_box = QComboBox()
        self.type_box.setObjectName(f"{name}Type")
        for kind in book.kinds:
            self.type_box.addItem(f"{kind.name} ({kind.code})", kind.code)
        self.message = QLabel()
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.labels: dict[QWidget, QLabel] = {}
        self._chain: list[QWidget] = []
        self.setMinimumWidth(560)

    def _row(self, widget: QWidget) -> QLabel:
        label = QLabel()
        label.setBuddy(widget)
        self.labels[widget] = label
        self.form.addRow(label, widget)
        self._chain.append(widget)
        widget.installEventFilter(self)
        return label

    def _finish_layout(self, *extra: QWidget) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def kind(self) -> FormType | None:
        return self.book.kind(str(self.type_box.currentData() or ""))

    def choose_kind(self, code: str) -> None:
        index = self.type_box.findData(code)
        if index >= 0:
            self.type_box.setCurrentIndex(index)

    def retranslate(self) -> None:
        """Set every text again after the language changed."""

    def problem(self) -> Problem | None:
        try:
            self.check()
        except Problem as found:
            return found
        return None

    def _invalid(self, error: DomainError, where: QWidget | None) -> Problem:
        return Problem(refusal_words(self.session, error, self.kind(), self.book), where)

    @Slot()
    def submit(self) -> None:
        if self._sending:
            return
        found = self.problem()
        if found is not None:
            _say(self.message, found.text, True)
            if found.where is not None:
                self._focus(found.where)
            return
        self.send()

    def _call(self, work: Callable[[], int], words: Callable[[int], str]) -> None:
        self._sending = True
        self._words = words
        self._set_ok_enabled(False)
        _say(self.message, self.tr("Saving..."))
        # Bound methods: an answer arriving after the dialog was closed is dropped.
        self.session.call(work).success(self._done).failure(self._refused)

    def _done(self, moved: int) -> None:
        self._sending = False
        self._set_ok_enabled(True)
        self.moved.emit(self._words(moved))
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._sending = False
        self._set_ok_enabled(True)
        _say(self.message, refusal_words(self.session, error, self.kind(), self.book), True)
        # The serials are what a refusal is usually about.
        edits = [w for w in self._chain if isinstance(w, QLineEdit)]
        if edits:
            self._focus(edits[0])

    def _set_ok_enabled(self, enabled: bool) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(enabled)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def _enter(self, watched: QWidget) -> None:
        if self.problem() is None:
            self.submit()
            return
        chain = self._chain
        at = chain.index(watched) if watched in chain else -1
        self._focus(chain[(at + 1) % len(chain)])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if isinstance(watched, QPlainTextEdit) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return False  # a new line in a list; Ctrl+Enter sends
        if isinstance(watched, QWidget):
            self._enter(watched)
            return True
        return False


class SerialSpanDialog(FormsDialog):
    """A range of one form type for a receive, an issue or a take-back.

    Typing a count fills in the last serial from the first; typing the last serial counts."""

    def __init__(
        self,
        session: Session,
        book: FormsBook,
        move: str,  # "receive", "issue" or "take_back"
        parent: QWidget | None = None,
        clerk: str = "",
        form_type: str = "",
    ) -> None:
        name = {"receive": "receiveDialog", "issue": "issueDialog", "take_back": "takeBackDialog"}
        super().__init__(session, book, name[move], parent)
        self.move_kind = move
        # Whether the last serial was given (typed, scanned, the clerk's top) or follows the count.
        self._last_given = move == "take_back"
        self.clerk_box: HolderBox | None = None
        self.first_edit = ScanLineEdit()
        self.first_edit.setObjectName(f"{self.objectName()}First")
        self.first_edit.setMaxLength(40)
        self.count_edit = QLineEdit()
        self.count_edit.setObjectName(f"{self.objectName()}Count")
        self.count_edit.setValidator(QIntValidator(1, MAX_RANGE, self.count_edit))
        self.count_edit.setMaxLength(6)
        self.last_edit = ScanLineEdit()
        self.last_edit.setObjectName(f"{self.objectName()}Last")
        self.last_edit.setMaxLength(40)
        self.summary = QLabel()
        self.summary.setObjectName(f"{self.objectName()}Summary")
        self.summary.setWordWrap(True)
        big = QFont(self.summary.font())
        big.setPointSize(max(12, int(big.pointSize() * 1.25)))
        big.setBold(True)
        self.summary.setFont(big)

        self._row(self.type_box)
        if move != "receive":
            self.clerk_box = HolderBox(book, with_stock=False)
            self.clerk_box.setObjectName(f"{self.objectName()}Clerk")
            self._row(self.clerk_box)
        self._row(self.first_edit)
        self._row(self.count_edit)
        self._row(self.last_edit)
        self._finish_layout(self.summary)

        self.first_edit.textEdited.connect(self._first_edited)
        self.count_edit.textEdited.connect(self._count_edited)
        self.last_edit.textEdited.connect(self._last_edited)
        self.first_edit.code_scanned.connect(self._first_scanned)
        self.last_edit.code_scanned.connect(self._last_scanned)
        if form_type:
            self.choose_kind(form_type)
        if self.clerk_box is not None:
            if clerk:
                self.clerk_box.choose(clerk)
            elif self.clerk_box.count():
                self.clerk_box.setCurrentIndex(0)
            self.clerk_box.currentIndexChanged.connect(self._defaults)
        self.type_box.currentIndexChanged.connect(self._defaults)
        self.retranslate()
        self._defaults()
        self._focus(self.first_edit if self.first_edit.text() == "" else self.count_edit)

    def retranslate(self) -> None:
        titles = {
            "receive": self.tr("Receive an allocation from head office"),
            "issue": self.tr("Issue forms to a clerk"),
            "take_back": self.tr("Take unused forms back into stock"),
        }
        self.setWindowTitle(titles[self.move_kind])
        self.labels[self.type_box].setText(self.tr("Form type:"))
        if self.clerk_box is not None:
            self.labels[self.clerk_box].setText(self.tr("Clerk:"))
        self.labels[self.first_edit].setText(self.tr("First serial:"))
        self.labels[self.count_edit].setText(self.tr("Count:"))
        self.labels[self.last_edit].setText(self.tr("Last serial:"))
        self.count_edit.setPlaceholderText(self.tr("Fills in the last serial"))
        self._show_example()
        self._update_summary()

    def _show_example(self) -> None:
        kind = self.kind()
        example = kind.format(1) if kind is not None else ""
        for edit in (self.first_edit, self.last_edit):
            edit.setPlaceholderText(self.tr("Scan or type, e.g. %1").replace("%1", example))

    # --- defaults: the next forms in stock, or the clerk's unused ones ---
    @Slot()
    def _defaults(self) -> None:
        kind = self.kind()
        self._show_example()
        if kind is not None and self.move_kind == "receive":
            # Head office's allotment, published down: receiving it is checking the boxes.
            allotted = self.book.allotment(kind.code)
            if allotted is not None:
                self._set_span(kind.parse(allotted.first), kind.parse(allotted.last))
                _say(
                    self.message,
                    self.tr("Allotted by head office: %1 (%2 forms) %3")
                    .replace("%1", span_text(allotted.first, allotted.last))
                    .replace("%2", f"{allotted.count:,}")
                    .replace("%3", allotted.note)
                    .strip(),
                    False,
                )
                return
        if kind is None or self.move_kind == "receive":
            self._update_summary()
            return
        if self.move_kind == "issue":
            stock = self.book.ranges(kind.code, BRANCH_STOCK, SerialState.IN_STOCK)
            if not stock:
                self._set_span(None, None)
                return
            first = stock[0]
            self._set_span(first.first, first.first + min(DEFAULT_ISSUE_COUNT, first.count) - 1)
            return
        clerk = self.clerk_box.holder() if self.clerk_box is not None else None
        held = self.book.ranges(kind.code, clerk or "", SerialState.ISSUED) if clerk else []
        # The unused tail of the clerk's stack: the forms on top are used first.
        if held:
            self._set_span(held[-1].first, held[-1].last)
        else:
            self._set_span(None, None)

    def _set_span(self, first: int | None, last: int | None) -> None:
        kind = self.kind()
        if kind is None or first is None or last is None:
            self.first_edit.clear()
            self.count_edit.clear()
            self.last_edit.clear()
        else:
            self.first_edit.setText(kind.format(first))
            self.count_edit.setText(str(last - first + 1))
            self.last_edit.setText(kind.format(last))
        self._update_summary()

    # --- the three fields keep each other right ---
    def _serial(self, edit: QLineEdit) -> int | None:
        kind = self.kind()
        if kind is None or not edit.text().strip():
            return None
        try:
            return parse_serial(kind, edit.text())
        except DomainError:
            return None

    def _count(self) -> int | None:
        text = self.count_edit.text().strip()
        return int(text) if text.isdigit() and 0 < int(text) <= MAX_RANGE else None

    def _fill_last(self) -> None:
        kind, first, count = self.kind(), self._serial(self.first_edit), self._count()
        if kind is not None and first is not None and count is not None:
            last = first + count - 1
            if last < 10**kind.digits:
                self.last_edit.setText(kind.format(last))

    def _fill_count(self) -> None:
        first, last = self._serial(self.first_edit), self._serial(self.last_edit)
        if first is not None and last is not None and 0 < last - first + 1 <= MAX_RANGE:
            self.count_edit.setText(str(last - first + 1))

    @Slot(str)
    def _first_edited(self, _text: str) -> None:
        # A new first serial keeps whichever of count and last serial was given.
        if self._last_given or self._count() is None:
            self._fill_count()
        else:
            self._fill_last()
        self._update_summary()

    @Slot(str)
    def _count_edited(self, _text: str) -> None:
        self._last_given = False
        self._fill_last()
        self._update_summary()

    @Slot(str)
    def _last_edited(self, _text: str) -> None:
        self._last_given = bool(self.last_edit.text().strip())
        self._fill_count()
        self._update_summary()

    @Slot(str)
    def _first_scanned(self, code: str) -> None:
        # A scanned first serial leaves the count (or the last serial) to give.
        self._first_edited(code)
        self._focus(self.last_edit if self._last_given else self.count_edit)

    @Slot(str)
    def _last_scanned(self, code: str) -> None:
        self._last_edited(code)
        self._enter(self.last_edit)

    def span(self) -> tuple[FormType, SerialRange]:
        """The range typed; ``Problem`` says what is wrong with it and where."""
        kind = self.kind()
        if kind is None:
            raise Problem(self.tr("Choose the form type."), self.type_box)
        if self.clerk_box is not None and not self.clerk_box.holder():
            raise Problem(self.tr("Choose the clerk."), self.clerk_box)
        if not self.first_edit.text().strip():
            raise Problem(self.tr("Scan or type the first serial."), self.first_edit)
        try:
            first = parse_serial(kind, self.first_edit.text())
        except DomainError as error:
            raise self._invalid(error, self.first_edit) from None
        if not self.last_edit.text().strip():
            raise Problem(
                self.tr("Type the count, or scan or type the last serial."), self.count_edit
            )
        try:
            last = parse_serial(kind, self.last_edit.text())
        except DomainError as error:
            raise self._invalid(error, self.last_edit) from None
        try:
            return kind, SerialRange(first, last)
        except DomainError as error:
            raise self._invalid(error, self.last_edit) from None

    def check(self) -> None:
        self.span()

    def _update_summary(self) -> None:
        try:
            kind, span = self.span()
        except Problem as found:
            self.summary.setText(found.text if self.first_edit.text().strip() else "")
            self.summary.setStyleSheet(f"color: {ERROR_TEXT};")
            return
        self.summary.setText(
            self.tr("%1 forms: %2")
            .replace("%1", f"{span.count:,}")
            .replace("%2", span_text(kind.format(span.first), kind.format(span.last)))
        )
        self.summary.setStyleSheet("")

    def send(self) -> None:
        kind, span = self.span()
        first, last = kind.format(span.first), kind.format(span.last)
        client, code = self.session.client, kind.code
        clerk = (self.clerk_box.holder() if self.clerk_box is not None else None) or ""
        who = self.book.holder_name(clerk)
        shown = span_text(first, last)
        if self.move_kind == "receive":
            self._call(
                lambda: client.receive_forms(code, first, last),
                lambda n: (
                    self.tr("%1 forms received into the branch stock: %2.")
                    .replace("%1", str(n))
                    .replace("%2", shown)
                ),
            )
        elif self.move_kind == "issue":
            self._call(
                lambda: client.issue_forms(code, first, last, clerk),
                lambda n: (
                    self.tr("%1 forms issued to %2: %3.")
                    .replace("%1", str(n))
                    .replace("%2", who)
                    .replace("%3", shown)
                ),
            )
        else:
            self._call(
                lambda: client.take_back_forms(code, first, last, clerk),
                lambda n: (
                    self.tr("%1 forms taken back from %2: %3.")
                    .replace("%1", str(n))
                    .replace("%2", who)
                    .replace("%3", shown)
                ),
            )


class WriteOffDialog(FormsDialog):
    """回销: what a clerk hands back, used and voided forms, all at once or serial by serial."""

    def __init__(
        self,
        session: Session,
        book: FormsBook,
        parent: QWidget | None = None,
        clerk: str = "",
        form_type: str = "",
    ) -> None:
        super().__init__(session, book, "writeOffDialog", parent)
        self.clerk_box = HolderBox(book, with_stock=False)
        self.clerk_box.setObjectName("writeOffDialogClerk")
        self.everything_button = QRadioButton()
        self.everything_button.setObjectName("writeOffEverything")
        self.listed_button = QRadioButton()
        self.listed_button.setObjectName("writeOffListed")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.everything_button)
        self.choice.addButton(self.listed_button)
        self.everything_button.setChecked(True)
        self.serials = SerialListEdit(session.messages)
        self.serials.setObjectName("writeOffSerials")
        self._row(self.clerk_box)
        self._row(self.type_box)
        self.form.addRow(self.everything_button)
        self.form.addRow(self.listed_button)
        self.form.addRow(self.serials)
        self.serials.scan_edit.installEventFilter(self)
        self.serials.lines.installEventFilter(self)
        self._finish_layout()
        if clerk:
            self.clerk_box.choose(clerk)
        if form_type:
            self.choose_kind(form_type)
        self.clerk_box.currentIndexChanged.connect(self._update)
        self.clerk_box.editTextChanged.connect(self._update)
        self.type_box.currentIndexChanged.connect(self._update)
        self.listed_button.toggled.connect(self._update)
        self.serials.changed.connect(self._serials_typed)
        self.retranslate()
        self._update()
        self._focus(self.clerk_box)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Write off returned forms"))
        self.labels[self.clerk_box].setText(self.tr("Clerk:"))
        self.labels[self.type_box].setText(self.tr("Form type:"))
        self.listed_button.setText(self.tr("Only these serials (scan each form handed back):"))
        self.serials.retranslate()
        self._update()

    @Slot()
    def _serials_typed(self) -> None:
        if self.serials.lines.toPlainText().strip() and not self.listed_button.isChecked():
            self.listed_button.setChecked(True)

    @Slot()
    def _update(self) -> None:
        kind, clerk = self.kind(), self.clerk_box.holder()
        self.serials.set_kind(kind)
        used = (
            self.book.count(kind.code, clerk, (SerialState.USED, SerialState.VOIDED))
            if kind is not None and clerk
            else 0
        )
        self.everything_button.setText(
            self.tr("Everything used and voided they hold (%1 forms)").replace("%1", str(used))
        )

    def check(self) -> None:
        if self.kind() is None:
            raise Problem(self.tr("Choose the form type."), self.type_box)
        if not self.clerk_box.holder():
            raise Problem(self.tr("Choose the clerk."), self.clerk_box)
        if self.everything_button.isChecked():
            return
        spans = _listed(self, self.serials)
        if not spans:
            raise Problem(self.tr("Scan or type the serials handed back."), self.serials.scan_edit)
        if sum(s.count for s in spans) > MAX_RANGE:
            raise Problem(self.session.messages.error_text("forms.bad_range"), self.serials.lines)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the scan field with a serial adds it; on the empty field it sends.
        if (
            watched is self.serials.scan_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.serials.scan_edit.text().strip()
        ):
            self.serials.add(self.serials.scan_edit.text())
            return True
        return super().eventFilter(watched, event)

    def send(self) -> None:
        kind = self.kind()
        clerk = self.clerk_box.holder()
        assert kind is not None
        assert clerk
        client, code, who = self.session.client, kind.code, self.book.holder_name(clerk)
        serials: list[str] | None = None
        if self.listed_button.isChecked():
            serials = [kind.format(s) for span in self.serials.ranges() for s in span]

        def words(n: int) -> str:
            return (
                self.tr("%1 %2 forms of %3 written off.")
                .replace("%1", str(n))
                .replace("%2", kind.code)
                .replace("%3", who)
            )

        self._call(lambda: client.write_off_forms(code, clerk, serials), words)

    def _done(self, moved: int) -> None:
        if moved == 0:
            # Nothing moved: say so here rather than close as if it had.
            self._sending = False
            self._set_ok_enabled(True)
            _say(self.message, self.tr("Nothing to write off: they hold no used or voided forms."))
            return
        super()._done(moved)


class LoseDialog(FormsDialog):
    """遗失: one form reported lost, with what happened."""

    def __init__(
        self,
        session: Session,
        book: FormsBook,
        parent: QWidget | None = None,
        form_type: str = "",
        serial: str = "",
    ) -> None:
        super().__init__(session, book, "loseDialog", parent)
        self.serial_edit = ScanLineEdit()
        self.serial_edit.setObjectName("loseDialogSerial")
        self.serial_edit.setMaxLength(40)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("loseDialogReason")
        self.reason_edit.setMaxLength(200)
        self.where = QLabel()
        self.where.setObjectName("loseDialogWhere")
        self.where.setWordWrap(True)
        self._row(self.type_box)
        self._row(self.serial_edit)
        self._row(self.reason_edit)
        self._finish_layout(self.where)
        if form_type:
            self.choose_kind(form_type)
        self.serial_edit.setText(serial)
        self.type_box.currentIndexChanged.connect(self._update)
        self.serial_edit.textChanged.connect(self._update)
        self.serial_edit.code_scanned.connect(lambda _code: self._focus(self.reason_edit))
        self.retranslate()
        self._focus(self.serial_edit)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Report a lost form"))
        self.labels[self.type_box].setText(self.tr("Form type:"))
        self.labels[self.serial_edit].setText(self.tr("Serial:"))
        self.labels[self.reason_edit].setText(self.tr("What happened:"))
        self.serial_edit.setPlaceholderText(self.tr("Scan or type the serial"))
        self._update()

    @Slot()
    def _update(self) -> None:
        kind = self.kind()
        text = self.serial_edit.text().strip()
        if kind is None or not text:
            self.where.setText("")
            return
        try:
            serial = parse_serial(kind, text)
        except DomainError:
            self.where.setText("")
            return
        holding = self.book.where(kind, serial)
        self.where.setText(
            self.tr("%1 is with %2: %3.")
            .replace("%1", kind.format(serial))
            .replace("%2", self.book.holder_name(holding.holder))
            .replace("%3", state_name(holding.state))
            if holding is not None
            else self.tr("%1 is not in the list of forms on hand.").replace(
                "%1", kind.format(serial)
            )
        )

    def check(self) -> None:
        kind = self.kind()
        if kind is None:
            raise Problem(self.tr("Choose the form type."), self.type_box)
        if not self.serial_edit.text().strip():
            raise Problem(self.tr("Scan or type the serial of the lost form."), self.serial_edit)
        try:
            parse_serial(kind, self.serial_edit.text())
        except DomainError as error:
            raise self._invalid(error, self.serial_edit) from None
        if not self.reason_edit.text().strip():
            raise Problem(self.tr("Say what happened to the form."), self.reason_edit)

    def send(self) -> None:
        kind = self.kind()
        assert kind is not None
        serial = kind.format(parse_serial(kind, self.serial_edit.text()))
        reason = self.reason_edit.text().strip()
        client, code = self.session.client, kind.code
        self._call(
            lambda: client.lose_form(code, serial, reason),
            lambda _n: self.tr("%1 recorded as lost.").replace("%1", serial),
        )


class StockTakeDialog(FormsDialog):
    """盘点: the forms a holder physically has, counted as bundles, against the ledger.

    Compare (Enter) shows 账有实无 (in the ledger, not counted) and 实有账无 (counted, not in the
    ledger); the sheet is printed or saved for signing. Nothing in the ledger changes."""

    sheet_saved = Signal(object)  # Path
    compared = Signal(object)  # StockTakeOut

    def __init__(
        self,
        session: Session,
        book: FormsBook,
        parent: QWidget | None = None,
        holder: str = BRANCH_STOCK,
        form_type: str = "",
    ) -> None:
        super().__init__(session, book, "stockTakeDialog", parent)
        self.comparison: StockTakeOut | None = None
        self.save_dialog: QFileDialog | None = None
        self.holder_box = HolderBox(book, with_stock=True)
        self.holder_box.setObjectName("stockTakeDialogHolder")
        self.holder_box.choose(holder)
        self.counted = SerialListEdit(session.messages)
        self.counted.setObjectName("stockTakeCounted")
        self.outcome = QLabel()
        self.outcome.setObjectName("stockTakeOutcome")
        self.outcome.setWordWrap(True)
        self.table = read_only(QTableWidget(0, 4))
        self.table.setObjectName("stockTakeDifferences")
        self.table.setMinimumHeight(120)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.print_button = QPushButton()
        self.print_button.setObjectName("stockTakePrint")
        self.save_button = QPushButton()
        self.save_button.setObjectName("stockTakeSave")
        self.buttons.clear()
        self.compare_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        assert self.compare_button is not None
        self.compare_button.setObjectName("stockTakeCompare")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self._row(self.holder_box)
        self._row(self.type_box)
        self.counted_label = QLabel()
        self.counted_label.setBuddy(self.counted.scan_edit)
        self.form.addRow(self.counted_label, self.counted)
        self.counted.scan_edit.installEventFilter(self)
        self.counted.lines.installEventFilter(self)
        self._chain.append(self.counted.scan_edit)
        self._finish_layout(self.outcome, self.table)
        if form_type:
            self.choose_kind(form_type)
        self.type_box.currentIndexChanged.connect(self._changed)
        self.holder_box.currentIndexChanged.connect(self._changed)
        self.counted.changed.connect(self._changed)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.ask_save_path)
        self.setMinimumWidth(640)
        self.retranslate()
        self._changed()
        self._focus(self.counted.scan_edit)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Stock-take"))
        self.labels[self.holder_box].setText(self.tr("Holder:"))
        self.labels[self.type_box].setText(self.tr("Form type:"))
        self.counted_label.setText(self.tr("Counted:"))
        if self.compare_button is not None:
            self.compare_button.setText(self.tr("Compare (Enter)"))
        self.print_button.setText(self.tr("Print sheet"))
        self.save_button.setText(self.tr("Save sheet PDF..."))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Difference"), self.tr("From"), self.tr("To"), self.tr("Forms")]
        )
        self.counted.retranslate()
        self._show_result()

    @Slot()
    def _changed(self) -> None:
        self.counted.set_kind(self.kind())
        self.comparison = None
        self._show_result()

    def request(self) -> tuple[str, str, list[tuple[str, str]]]:
        kind = self.kind()
        assert kind is not None
        holder = self.holder_box.holder() or ""
        spans = self.counted.ranges()
        return kind.code, holder, [(kind.format(s.first), kind.format(s.last)) for s in spans]

    def check(self) -> None:
        if self.kind() is None:
            raise Problem(self.tr("Choose the form type."), self.type_box)
        if self.holder_box.holder() is None:
            raise Problem(self.tr("Choose the holder."), self.holder_box)
        _listed(self, self.counted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.counted.scan_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.counted.scan_edit.text().strip()
        ):
            self.counted.add(self.counted.scan_edit.text())
            return True
        return super().eventFilter(watched, event)

    def _enter(self, watched: QWidget) -> None:
        self.submit()  # every field can be left as it is: the compare says what is missing

    def send(self) -> None:
        form_type, holder, counted = self.request()
        client = self.session.client
        self._sending = True
        _say(self.message, self.tr("Comparing..."))
        self.session.call(lambda: client.stock_take(form_type, holder, counted)).success(
            self._compared
        ).failure(self._refused)

    def _compared(self, result: StockTakeOut) -> None:
        self._sending = False
        self.comparison = result
        _say(self.message, "")
        self._show_result()
        self.compared.emit(result)

    def _show_result(self) -> None:
        result = self.comparison
        for button in (self.print_button, self.save_button):
            button.setEnabled(result is not None)
        if result is None:
            kind, holder = self.kind(), self.holder_box.holder()
            blank = (SerialState.IN_STOCK, SerialState.ISSUED)
            held = self.book.count(kind.code, holder, blank) if kind and holder is not None else 0
            self.outcome.setText(
                self.tr(
                    "The ledger says %1 holds %2 blank forms of this type. "
                    "Count them, then Compare."
                )
                .replace("%1", self.book.holder_name(holder or ""))
                .replace("%2", str(held))
            )
            self.outcome.setStyleSheet("")
            self.table.setRowCount(0)
            return
        holder = self.book.holder_name(self.holder_box.holder() or "")
        if result.matches:
            self.outcome.setText(
                self.tr("Matches: %1 has exactly the forms the ledger says.").replace("%1", holder)
            )
            self.outcome.setStyleSheet(f"color: {GOOD_TEXT}; font-weight: bold;")
        else:
            self.outcome.setText(
                self.tr("Does not match: %1 ranges missing, %2 ranges not in the ledger.")
                .replace("%1", str(len(result.missing)))
                .replace("%2", str(len(result.unexpected)))
            )
            self.outcome.setStyleSheet(f"color: {ERROR_TEXT}; font-weight: bold;")
        kind = self.kind()
        rows = [(self.tr("Missing (账有实无)"), span) for span in result.missing] + [
            (self.tr("Unexpected (实有账无)"), span) for span in result.unexpected
        ]
        self.table.setRowCount(len(rows))
        for row, (what, (first, last)) in enumerate(rows):
            count = (
                parse_serial(kind, last) - parse_serial(kind, first) + 1 if kind is not None else 0
            )
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(first))
            self.table.setItem(row, 2, QTableWidgetItem(last))
            self.table.setItem(row, 3, _number(count))

    # --- the sheet ---
    def _sheet_name(self) -> str:
        kind = self.kind()
        holder = self.holder_box.holder() or "stock"
        return f"stock-take-{kind.code if kind else 'forms'}-{holder}-{date.today().isoformat()}"

    @Slot()
    def print_sheet(self) -> None:
        path = reports_folder(self.session) / f"{self._sheet_name()}.pdf"
        self._write_sheet(path, print_it=True)

    @Slot()
    def ask_save_path(self) -> None:
        dialog = QFileDialog(self, self.tr("Save the stock-take sheet"))
        dialog.setObjectName("stockTakeSaveDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(reports_folder(self.session) / f"{self._sheet_name()}.pdf"))
        dialog.fileSelected.connect(lambda chosen: self.save_sheet(Path(chosen)))
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()

    def save_sheet(self, path: Path) -> None:
        self._write_sheet(path, print_it=False)

    def _write_sheet(self, path: Path, print_it: bool) -> None:
        found = self.problem()
        if found is not None:
            _say(self.message, found.text, True)
            return
        form_type, holder, counted = self.request()
        client = self.session.client
        _say(self.message, self.tr("Writing the sheet..."))

        def work() -> tuple[Path, bool]:
            return write_pdf(client.stock_take_pdf(form_type, holder, counted), path), print_it

        self.session.call(work).success(self._sheet_written).failure(self._refused)

    def _sheet_written(self, reply: tuple[Path, bool]) -> None:
        path, print_it = reply
        self.sheet_saved.emit(path)
        if not print_it:
            _say(self.message, self.tr("Sheet saved at %1.").replace("%1", str(path)))
            return
        try:
            printed = print_on_office_printer(path, self.session.settings)
        except OfficePrintFailed as error:
            _say(
                self.message,
                self.tr("The sheet is saved at %1 but was not printed: %2")
                .replace("%1", str(path))
                .replace("%2", self.session.messages.describe(error)),
                True,
            )
            return
        _say(self.message, self.tr("Sheet printed on %1.").replace("%1", printed.printer))


# --- the holdings ---


class BlankFormsPanel(QWidget):
    """Every blank form on hand by type, holder and state, with the moves that change it."""

    forms_moved = Signal(str)  # a move was made here: what happened, in words

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blankFormsPanel")
        self.session = session
        self.book = FormsBook()
        self.rows: list[HoldingOut] = []  # the holdings shown, in the table's order
        self.dialog: FormsDialog | None = None
        self._staff: list[FormHolderOut] | None = None  # None: not asked yet
        self._staff_asked = False
        self._reloads = 0

        self.type_label = QLabel()
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("formsTypeFilter")
        self.type_label.setBuddy(self.type_filter)
        self.holder_label = QLabel()
        self.holder_filter = QComboBox()
        self.holder_filter.setObjectName("formsHolderFilter")
        self.holder_filter.setMinimumContentsLength(12)
        self.holder_label.setBuddy(self.holder_filter)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("formsRefresh")
        top = QHBoxLayout()
        top.addWidget(self.type_label)
        top.addWidget(self.type_filter)
        top.addWidget(self.holder_label)
        top.addWidget(self.holder_filter)
        top.addStretch(1)
        top.addWidget(self.refresh_button)

        self.summary = QLabel()
        self.summary.setObjectName("formsSummary")
        self.summary.setWordWrap(True)
        self.table = read_only(QTableWidget(0, 5))
        self.table.setObjectName("formsHoldings")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)

        self.receive_button = QPushButton()
        self.receive_button.setObjectName("formsReceive")
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("formsIssue")
        self.take_back_button = QPushButton()
        self.take_back_button.setObjectName("formsTakeBack")
        self.write_off_button = QPushButton()
        self.write_off_button.setObjectName("formsWriteOff")
        self.lose_button = QPushButton()
        self.lose_button.setObjectName("formsLose")
        self.stock_take_button = QPushButton()
        self.stock_take_button.setObjectName("formsStockTake")
        actions = QVBoxLayout()
        for button in self.action_buttons():
            actions.addWidget(button)
        actions.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(actions)

        self.message = QLabel()
        self.message.setObjectName("formsMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        self.setFocusProxy(self.table)

        self.refresh_button.clicked.connect(self.reload)
        self.receive_button.clicked.connect(self.receive)
        self.issue_button.clicked.connect(self.issue)
        self.take_back_button.clicked.connect(self.take_back)
        self.write_off_button.clicked.connect(self.write_off)
        self.lose_button.clicked.connect(self.report_lost)
        self.stock_take_button.clicked.connect(self.stock_take)
        self.type_filter.currentIndexChanged.connect(self._show)
        self.holder_filter.currentIndexChanged.connect(self._show)
        self._shortcuts = [
            _shortcut(self, "F2", self.receive),
            _shortcut(self, "F3", self.issue),
            _shortcut(self, "F4", self.take_back),
            _shortcut(self, "F5", self.reload),
            _shortcut(self, "F6", self.write_off),
            _shortcut(self, "F7", self.report_lost),
            _shortcut(self, "F8", self.stock_take),
        ]
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(RELOAD_SETTLE_MS)
        self._debounce.timeout.connect(self.reload)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self.reload()

    def action_buttons(self) -> list[QPushButton]:
        return [
            self.receive_button,
            self.issue_button,
            self.take_back_button,
            self.write_off_button,
            self.lose_button,
            self.stock_take_button,
        ]

    def retranslate(self) -> None:
        self.type_label.setText(self.tr("Form type:"))
        self.holder_label.setText(self.tr("Holder:"))
        self.refresh_button.setText(self.tr("Refresh (F5)"))
        self.receive_button.setText(self.tr("Receive allocation... (F2)"))
        self.issue_button.setText(self.tr("Issue to clerk... (F3)"))
        self.take_back_button.setText(self.tr("Take back... (F4)"))
        self.write_off_button.setText(self.tr("Write off returned... (F6)"))
        self.lose_button.setText(self.tr("Report lost... (F7)"))
        self.stock_take_button.setText(self.tr("Stock-take... (F8)"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Form type"),
                self.tr("Holder"),
                self.tr("State"),
                self.tr("Count"),
                self.tr("Serials"),
            ]
        )
        if self.dialog is not None and hasattr(self.dialog, "retranslate"):
            self.dialog.retranslate()
        self._fill_filters()
        self._show()

    # --- loading ---
    @Slot()
    def reload(self) -> None:
        client = self.session.client
        self._reloads += 1
        asked, want_staff = self._reloads, not self._staff_asked

        def work() -> _Loaded:
            staff = client.form_holders() if want_staff else None
            allotted = client.form_allotments()
            return asked, client.form_types(), client.form_holdings(), staff, allotted

        self.session.call(work).success(self._loaded).failure(self._failed)

    def _loaded(self, reply: _Loaded) -> None:
        asked, kinds, holdings, staff, allotted = reply
        if staff is not None:
            self._staff, self._staff_asked = staff, True
        if asked != self._reloads:
            return  # a newer reload is on its way
        members = self._staff or []
        self.book = FormsBook(
            kinds=tuple(kind_of(k) for k in kinds),
            holdings=tuple(holdings),
            names={m.username: m.display_name for m in members},
            printers=tuple(m.username for m in members),
            allotments=tuple(allotted),
        )
        self._fill_filters()
        self._show()

    def handle_event(self, event: EventOut) -> None:
        if event.event.startswith(("forms.", "printing.")):
            self._debounce.start()
        elif event.event == "staff.changed":
            self._staff_asked = False
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    # --- showing ---
    def _fill_filters(self) -> None:
        chosen_type = self.type_filter.currentData()
        chosen_holder = self.holder_filter.currentData()
        for box in (self.type_filter, self.holder_filter):
            box.blockSignals(True)
            box.clear()
        self.type_filter.addItem(self.tr("All form types"), None)
        for kind in self.book.kinds:
            self.type_filter.addItem(f"{kind.name} ({kind.code})", kind.code)
        self.holder_filter.addItem(self.tr("All holders"), None)
        self.holder_filter.addItem(self.book.holder_name(BRANCH_STOCK), BRANCH_STOCK)
        for username in self.book.clerks():
            self.holder_filter.addItem(self.book.holder_label(username), username)
        for box, chosen in ((self.type_filter, chosen_type), (self.holder_filter, chosen_holder)):
            index = box.findData(chosen) if chosen is not None else 0
            box.setCurrentIndex(max(0, index))
            box.blockSignals(False)

    def filters(self) -> tuple[str | None, str | None]:
        """The form type and holder shown; None for all."""
        kind, holder = self.type_filter.currentData(), self.holder_filter.currentData()
        return (
            str(kind) if kind is not None else None,
            str(holder) if holder is not None else None,
        )

    def set_filters(self, form_type: str | None, holder: str | None) -> None:
        """Show one form type and holder (None: all); one not in the lists shows all."""
        for box, chosen in ((self.type_filter, form_type), (self.holder_filter, holder)):
            box.setCurrentIndex(0 if chosen is None else max(0, box.findData(chosen)))

    @Slot()
    def _show(self) -> None:
        chosen = self.selected()
        kind_filter, holder_filter = self.filters()
        codes = [k.code for k in self.book.kinds]
        self.rows = sorted(
            (
                h
                for h in self.book.holdings
                if (kind_filter is None or h.form_type == kind_filter)
                and (holder_filter is None or h.holder == holder_filter)
            ),
            key=lambda h: (
                codes.index(h.form_type) if h.form_type in codes else len(codes),
                h.holder != BRANCH_STOCK,
                self.book.holder_name(h.holder),
                STATE_ORDER.index(SerialState(h.state)),
            ),
        )
        self.table.setRowCount(len(self.rows))
        for row, holding in enumerate(self.rows):
            kind = self.book.kind(holding.form_type)
            serials = ranges_text(holding.ranges)
            values = [
                kind.name if kind is not None else holding.form_type,
                self.book.holder_name(holding.holder),
                state_name(holding.state),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
            self.table.setItem(row, 3, _number(holding.count))
            cell = QTableWidgetItem(serials)
            cell.setToolTip(serials.replace(", ", "\n"))
            self.table.setItem(row, 4, cell)
            holder_cell = self.table.item(row, 1)
            if holder_cell is not None and holding.holder:
                holder_cell.setToolTip(holding.holder)
        if chosen is not None:
            self._select(chosen.form_type, chosen.holder, chosen.state)
        self._show_summary()

    def _show_summary(self) -> None:
        def total(*states: SerialState) -> int:
            wanted = {s.value for s in states}
            kind_filter, holder_filter = self.filters()
            return sum(
                h.count
                for h in self.book.holdings
                if h.state in wanted
                and (kind_filter is None or h.form_type == kind_filter)
                and (holder_filter is None or h.holder == holder_filter)
            )

        self.summary.setText(
            self.tr(
                "%1 blank forms in the branch stock, %2 blank with clerks, "
                "%3 used or voided not yet written off, %4 lost"
            )
            .replace("%1", str(total(SerialState.IN_STOCK)))
            .replace("%2", str(total(SerialState.ISSUED)))
            .replace("%3", str(total(SerialState.USED, SerialState.VOIDED)))
            .replace("%4", str(total(SerialState.LOST)))
        )

    def selected(self) -> HoldingOut | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, form_type: str, holder: str, state: str) -> int:
        """The table row of a form type, holder and state (a ``SerialState`` value); -1: none."""
        return next(
            (
                r
                for r, h in enumerate(self.rows)
                if (h.form_type, h.holder, h.state) == (form_type, holder, state)
            ),
            -1,
        )

    def _select(self, form_type: str, holder: str, state: str) -> None:
        row = self.row_of(form_type, holder, state)
        if row >= 0:
            self.table.setCurrentCell(row, 0)

    # --- a scanned form ---
    def accept_scan(self, code: str) -> bool:
        """A serial scanned while the panel shows: its row is selected and where it is said."""
        for kind in self.book.kinds:
            try:
                serial = kind.parse(code)
            except DomainError:
                continue
            holding = self.book.where(kind, serial)
            if holding is None:
                _say(
                    self.message,
                    self.tr("%1 is not on hand: never received, or written off.").replace(
                        "%1", kind.format(serial)
                    ),
                    True,
                )
                return True
            self.set_filters(None, None)
            self._select(holding.form_type, holding.holder, holding.state)
            _say(
                self.message,
                self.tr("%1 is with %2: %3.")
                .replace("%1", kind.format(serial))
                .replace("%2", self.book.holder_name(holding.holder))
                .replace("%3", state_name(holding.state)),
            )
            return True
        return False

    # --- the moves ---
    def _context(self) -> tuple[str, str]:
        """The form type and clerk the dialogs start with: the selected row's, or the filters'."""
        holding = self.selected()
        kind_filter, holder_filter = self.filters()
        form_type = holding.form_type if holding else kind_filter or ""
        holder = holding.holder if holding else holder_filter or ""
        return form_type, holder

    def _open(self, dialog: FormsDialog) -> None:
        dialog.moved.connect(self._moved)
        dialog.finished.connect(self._dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _may_open(self) -> bool:
        if self.dialog is not None:
            return False
        if not self.book.kinds:
            _say(self.message, self.tr("The form types are not loaded yet; press F5."), True)
            return False
        return True

    @Slot()
    def receive(self) -> None:
        if self._may_open():
            self._open(
                SerialSpanDialog(
                    self.session, self.book, "receive", self, form_type=self._context()[0]
                )
            )

    @Slot()
    def issue(self) -> None:
        if self._may_open():
            form_type, holder = self._context()
            self._open(SerialSpanDialog(self.session, self.book, "issue", self, holder, form_type))

    @Slot()
    def take_back(self) -> None:
        if self._may_open():
            form_type, holder = self._context()
            self._open(
                SerialSpanDialog(self.session, self.book, "take_back", self, holder, form_type)
            )

    @Slot()
    def write_off(self) -> None:
        if self._may_open():
            form_type, holder = self._context()
            self._open(WriteOffDialog(self.session, self.book, self, holder, form_type))

    @Slot()
    def report_lost(self) -> None:
        if self._may_open():
            self._open(LoseDialog(self.session, self.book, self, self._context()[0]))

    @Slot()
    def stock_take(self) -> None:
        if self._may_open():
            form_type, holder = self._context()
            self._open(StockTakeDialog(self.session, self.book, self, holder, form_type))

    def _moved(self, words: str) -> None:
        _say(self.message, words)
        self.forms_moved.emit(words)
        self.reload()

    @Slot(int)
    def _dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        # So the next key works without a mouse click.
        self.window().activateWindow()
        self.table.setFocus()

    def _failed(self, error: BaseException) -> None:
        _say(self.message, refusal_words(self.session, error, None, self.book), True)


# --- the reconciliation report ---


class ReconciliationPanel(QWidget):
    """A period's lines per form type and holder; a line that does not balance is red."""

    report_saved = Signal(object)  # Path: the report PDF was written
    report_printed = Signal(object)  # Path

    PERIODS = ("today", "day", "this_month", "month", "custom")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reconciliationPanel")
        self.session = session
        self.lines: list[ReconciliationLineOut] = []
        self.kinds: dict[str, FormType] = {}
        self.names: dict[str, str] = {}
        self.first: date | None = None  # the period shown
        self.last: date | None = None
        self.save_dialog: QFileDialog | None = None
        self._staff_asked = False
        self._reloads = 0

        self.period_label = QLabel()
        self.period_box = QComboBox()
        self.period_box.setObjectName("reconciliationPeriod")
        for period in self.PERIODS:
            self.period_box.addItem("", period)
        self.period_label.setBuddy(self.period_box)
        today = QDate.currentDate()
        self.from_label = QLabel()
        self.from_edit = QDateEdit(today)
        self.from_edit.setObjectName("reconciliationFrom")
        self.to_label = QLabel()
        self.to_edit = QDateEdit(today)
        self.to_edit.setObjectName("reconciliationTo")
        for label, edit in ((self.from_label, self.from_edit), (self.to_label, self.to_edit)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMaximumDate(today.addDays(1))
            label.setBuddy(edit)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("reconciliationRefresh")
        self.print_button = QPushButton()
        self.print_button.setObjectName("reconciliationPrint")
        self.save_button = QPushButton()
        self.save_button.setObjectName("reconciliationSave")
        top = QHBoxLayout()
        for widget in (
            self.period_label,
            self.period_box,
            self.from_label,
            self.from_edit,
            self.to_label,
            self.to_edit,
            self.refresh_button,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.save_button)

        self.status = QLabel()
        self.status.setObjectName("reconciliationStatus")
        self.status.setWordWrap(True)
        bold = QFont(self.status.font())
        bold.setPointSize(max(11, int(bold.pointSize() * 1.15)))
        bold.setBold(True)
        self.status.setFont(bold)
        self.table = read_only(QTableWidget(0, 11))
        self.table.setObjectName("reconciliationLines")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # The figures share the width evenly, so the columns line up as on the printed report.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel()
        self.hint.setObjectName("reconciliationHint")
        self.hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("reconciliationMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        self.setFocusProxy(self.table)

        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.from_edit.dateChanged.connect(self._dates_changed)
        self.to_edit.dateChanged.connect(self._dates_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.ask_save_path)
        self._shortcuts = [
            _shortcut(self, "F5", self.reload),
            _shortcut(self, "F9", self.print_report),
            _shortcut(self, "Ctrl+S", self.ask_save_path),
        ]
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        # Counting a period is heavier than a list; a burst of moves needs one recount.
        self._debounce.setInterval(5 * RELOAD_SETTLE_MS)
        self._debounce.timeout.connect(self.reload)
        session.link.link_changed.connect(self._link_changed)
        self.retranslate()
        self._period_changed()

    def retranslate(self) -> None:
        names = {
            "today": self.tr("Today"),
            "day": self.tr("A day"),
            "this_month": self.tr("This month"),
            "month": self.tr("A month"),
            "custom": self.tr("From – to"),
        }
        for index, period in enumerate(self.PERIODS):
            self.period_box.setItemText(index, names[period])
        self.period_label.setText(self.tr("Period:"))
        self.to_label.setText(self.tr("to"))
        self.refresh_button.setText(self.tr("Show (F5)"))
        self.print_button.setText(self.tr("Print report (F9)"))
        self.save_button.setText(self.tr("Save PDF..."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Form type"),
                self.tr("Holder"),
                self.tr("Opening"),
                self.tr("Received"),
                self.tr("Used"),
                self.tr("Voided"),
                self.tr("Lost"),
                self.tr("Returned"),
                self.tr("Closing"),
                self.tr("Gap"),
                self.tr("Misprints"),
            ]
        )
        self.hint.setText(
            self.tr(
                "Opening + received − used − voided − lost − returned = closing; the gap is "
                "what does not add up. Misprints are used forms voided afterwards, outside the "
                "balance."
            )
        )
        self._period_changed_texts()
        self._show()

    # --- the period ---
    def period(self) -> str:
        return str(self.period_box.currentData())

    def set_period(self, period: str, first: date | None = None, last: date | None = None) -> None:
        """Choose a period (one of ``PERIODS``) and its dates, and show it."""
        self.period_box.blockSignals(True)
        self.period_box.setCurrentIndex(self.PERIODS.index(period))
        self.period_box.blockSignals(False)
        for edit, day in ((self.from_edit, first), (self.to_edit, last)):
            if day is not None:
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self._period_changed()

    def _period_changed_texts(self) -> None:
        period = self.period()
        self.from_label.setText(
            self.tr("Month:")
            if period == "month"
            else self.tr("Day:")
            if period == "day"
            else self.tr("From:")
        )

    @Slot()
    def _period_changed(self) -> None:
        period = self.period()
        self.from_edit.setDisplayFormat("yyyy-MM" if period == "month" else "yyyy-MM-dd")
        for widget in (self.from_label, self.from_edit):
            widget.setVisible(period in ("day", "month", "custom"))
        for widget in (self.to_label, self.to_edit):
            widget.setVisible(period == "custom")
        self._period_changed_texts()
        self.reload()

    @Slot()
    def _dates_changed(self) -> None:
        self.reload()

    @staticmethod
    def span_of(period: str, today: date, start: date, end: date) -> tuple[date, date]:
        """The first and last day of a period; never past the branch's today."""
        if period == "today":
            return today, today
        if period == "day":
            return start, start
        if period == "this_month":
            return today.replace(day=1), today
        if period == "month":
            first = start.replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
            return first, min(following - timedelta(days=1), today)
        return min(start, end), min(max(start, end), today)

    # --- loading ---
    @Slot()
    def reload(self) -> None:
        client, period = self.session.client, self.period()
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(start, date)
        assert isinstance(end, date)
        self._reloads += 1
        asked, want_staff = self._reloads, not self._staff_asked
        span_of = self.span_of

        def work() -> tuple[
            int, date, date, list[ReconciliationLineOut], list[FormTypeOut], dict[str, str] | None
        ]:
            today = date.fromisoformat(client.queue().business_day)
            first, last = span_of(period, today, start, end)
            names: dict[str, str] | None = None
            if want_staff:
                names = {m.username: m.display_name for m in client.form_holders()}
            kinds = client.form_types()
            return asked, first, last, client.reconciliation(first, last), kinds, names

        self.session.call(work).success(self._loaded).failure(self._failed)

    def _loaded(
        self,
        reply: tuple[
            int, date, date, list[ReconciliationLineOut], list[FormTypeOut], dict[str, str] | None
        ],
    ) -> None:
        asked, first, last, lines, kinds, names = reply
        if names is not None:
            self.names, self._staff_asked = names, True
        if asked != self._reloads:
            return  # the answer for a period chosen before
        self.kinds = {k.code: kind_of(k) for k in kinds}
        self.first, self.last = first, last
        _say(self.message, "")
        self.show_lines(lines)

    def handle_event(self, event: EventOut) -> None:
        # Only a period that runs to today moves; an earlier one is history.
        if event.event.startswith(("forms.", "printing.")) and self.period() in (
            "today",
            "this_month",
            "month",
            "custom",
        ):
            self._debounce.start()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.reload()

    # --- showing ---
    def show_lines(self, lines: list[ReconciliationLineOut]) -> None:
        """The lines in the table, the unbalanced ones in red, and the status above them."""
        codes = list(self.kinds)
        self.lines = sorted(
            lines,
            key=lambda line: (
                codes.index(line.form_type) if line.form_type in codes else len(codes),
                line.holder != BRANCH_STOCK,
                self.holder_name(line.holder),
            ),
        )
        self._show()

    def holder_name(self, holder: str) -> str:
        if holder == BRANCH_STOCK:
            return _t(BRANCH_STOCK_NAME)
        return self.names.get(holder, holder)

    def unbalanced(self) -> list[ReconciliationLineOut]:
        return [line for line in self.lines if line.gap != 0]

    def _show(self) -> None:
        self.table.setRowCount(len(self.lines))
        red = QBrush(QColor(GAP_BACKGROUND))
        for row, line in enumerate(self.lines):
            kind = self.kinds.get(line.form_type)
            self.table.setItem(
                row, 0, QTableWidgetItem(kind.name if kind is not None else line.form_type)
            )
            self.table.setItem(row, 1, QTableWidgetItem(self.holder_name(line.holder)))
            figures = [
                line.opening,
                line.received,
                line.used,
                line.voided,
                line.lost,
                line.returned,
                line.closing,
                line.gap,
                line.misprints,
            ]
            for column, value in enumerate(figures, start=2):
                self.table.setItem(row, column, _number(value))
            if line.gap != 0:
                for column in range(self.table.columnCount()):
                    cell = self.table.item(row, column)
                    if cell is not None:
                        cell.setBackground(red)
                gap = self.table.item(row, 9)
                if gap is not None:
                    font = QFont(gap.font())
                    font.setBold(True)
                    gap.setFont(font)
        has_period = self.first is not None and self.last is not None
        for button in (self.print_button, self.save_button):
            button.setEnabled(has_period)
        self._show_status()

    def _show_status(self) -> None:
        if self.first is None or self.last is None:
            self.status.setText(self.tr("Loading..."))
            self.status.setStyleSheet("")
            return
        period = (
            self.first.isoformat()
            if self.first == self.last
            else f"{self.first.isoformat()} – {self.last.isoformat()}"
        )
        wrong = len(self.unbalanced())
        if wrong == 0:
            text = self.tr("%1: Balanced (%2 lines)").replace("%2", str(len(self.lines)))
            self.status.setStyleSheet(f"color: {GOOD_TEXT};")
        elif wrong == 1:
            text = self.tr("%1: 1 line does not balance")
            self.status.setStyleSheet(f"color: {ERROR_TEXT};")
        else:
            text = self.tr("%1: %2 lines do not balance").replace("%2", str(wrong))
            self.status.setStyleSheet(f"color: {ERROR_TEXT};")
        self.status.setText(text.replace("%1", period))

    def row_of(self, form_type: str, holder: str) -> int:
        return next(
            (
                r
                for r, line in enumerate(self.lines)
                if (line.form_type, line.holder) == (form_type, holder)
            ),
            -1,
        )

    # --- the report ---
    def _report_name(self) -> str:
        assert self.first is not None
        assert self.last is not None
        if self.first == self.last:
            return f"forms-{self.first.isoformat()}"
        return f"forms-{self.first.isoformat()}-{self.last.isoformat()}"

    @Slot()
    def print_report(self) -> None:
        """The signed report on the office printer at actual size, kept as a PDF too."""
        if self.first is None or self.last is None:
            return
        path = reports_folder(self.session) / f"{self._report_name()}.pdf"
        self._write(path, print_it=True)

    @Slot()
    def ask_save_path(self) -> None:
        if self.first is None or self.last is None or self.save_dialog is not None:
            return
        dialog = QFileDialog(self, self.tr("Save the reconciliation report"))
        dialog.setObjectName("reconciliationSaveDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF files (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(reports_folder(self.session) / f"{self._report_name()}.pdf"))
        dialog.fileSelected.connect(lambda chosen: self.save_pdf(Path(chosen)))
        dialog.finished.connect(self._save_dialog_finished)
        self.save_dialog = dialog
        dialog.open()

    @Slot(int)
    def _save_dialog_finished(self, _result: int) -> None:
        dialog, self.save_dialog = self.save_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def save_pdf(self, path: Path) -> None:
        """The report of the period shown, written to ``path``."""
        self._write(path, print_it=False)

    def _write(self, path: Path, print_it: bool) -> None:
        first, last = self.first, self.last
        if first is None or last is None:
            return
        client = self.session.client
        _say(self.message, self.tr("Writing the report..."))

        def work() -> tuple[Path, bool]:
            return write_pdf(client.reconciliation_pdf(first, last), path), print_it

        self.session.call(work).success(self._written).failure(self._failed)

    def _written(self, reply: tuple[Path, bool]) -> None:
        path, print_it = reply
        self.report_saved.emit(path)
        if not print_it:
            _say(self.message, self.tr("Report saved at %1.").replace("%1", str(path)))
            return
        try:
            printed = print_on_office_printer(path, self.session.settings)
        except OfficePrintFailed as error:
            # The PDF is kept: printing again (F9) is the retry.
            _say(
                self.message,
                self.tr("The report is saved at %1 but was not printed: %2 Press F9 to retry.")
                .replace("%1", str(path))
                .replace("%2", self.session.messages.describe(error)),
                True,
            )
            return
        self.report_printed.emit(path)
        _say(
            self.message,
            self.tr("Report printed on %1 (saved at %2); sign it and file it.")
            .replace("%1", printed.printer)
            .replace("%2", str(path)),
        )

    def _failed(self, error: BaseException) -> None:
        _say(self.message, self.session.messages.describe(error), True)
