"""The collector's intake screen and follow-up list, driven by keys and wedge scans only,
against a real demo hub."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.hub.schemas import IntakeFileOut, IntakeOpenIn
from counter_app.ui.barcode import BarcodeInputFilter
from counter_app.ui.intake import IntakePanel
from counter_app.ui.intake_follow_up import FollowUpPanel
from counter_app.ui.workspaces import Session
from tests.ui.support import session_for
from tests.ui.test_barcode_filter import FAST_MS, SLOW_MS, START_MS, key_for

CLAIM = "CLM2026000777"
# Key presses of a person are this far apart; a scan's keys FAST_MS apart.
PERSON_GAP_MS = SLOW_MS


class Keyboard:
    """The collector's hands: keys to the focused widget, with timestamps the wedge filter reads.

    ``overhead`` counts what is not a document itself: scans of claim numbers, navigation,
    confirmations, corrections and printing. Typed customer data is counted in ``typed``.
    """

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.t = START_MS
        self.overhead: list[str] = []
        self.documents: list[str] = []
        self.typed = 0

    def _send(self, key: Qt.Key, text: str, modifiers: Qt.KeyboardModifier) -> None:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, modifiers, text)
            event.setTimestamp(self.t)
            QApplication.sendEvent(target, event)
            self.t += 1

    def press(self, key: Qt.Key, text: str = "", *, document: bool = False) -> None:
        """A key handled by the focused widget (Space, C, +, arrows, Enter, Delete)."""
        self.t += PERSON_GAP_MS
        self._send(key, text, Qt.KeyboardModifier.NoModifier)
        (self.documents if document else self.overhead).append(text or key.name)

    def shortcut(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key bound as a shortcut (F2, F9, Ctrl+Enter): through Qt's shortcut map."""
        self.t += PERSON_GAP_MS
        widget = QApplication.focusWidget()
        assert widget is not None
        self.qtbot.keyClick(widget, key, modifier)
        self.overhead.append(f"{modifier.name}+{key.name}" if modifier.value else key.name)

    def type(self, text: str) -> None:
        """Customer data typed by a person, slowly enough not to look like a scan."""
        for ch in text:
            self.t += PERSON_GAP_MS
            self._send(key_for(ch), ch, Qt.KeyboardModifier.NoModifier)
        self.typed += len(text)

    def scan(self, code: str, *, document: bool = False) -> None:
        """A keyboard-wedge scan: a fast burst of keys ended by Enter, to whatever has focus."""
        self.t += 10 * PERSON_GAP_MS
        for ch in code:
            self._send(key_for(ch), ch, Qt.KeyboardModifier.NoModifier)
            self.t += FAST_MS - 1
        self._send(Qt.Key.Key_Return, "\r", Qt.KeyboardModifier.NoModifier)
        (self.documents if document else self.overhead).append(code)


@pytest.fixture
def wedge(qapp: QApplication) -> Iterator[BarcodeInputFilter]:
    """The app-wide scan filter, as the program installs it."""
    scans = BarcodeInputFilter()
    qapp.installEventFilter(scans)
    yield scans
    qapp.removeEventFilter(scans)


@pytest.fixture
def sessions(hub) -> Iterator[list[Session]]:  # type: ignore[no-untyped-def]
    made: list[Session] = []
    yield made
    for session in made:
        session.tasks.wait(5000)
        session.link.shutdown()
        session.client.close()


def collector_session(hub, sessions: list[Session]) -> Session:  # type: ignore[no-untyped-def]
    session = session_for(HubClient(hub.url, "CS-INTAKE-01"), "collector")
    sessions.append(session)
    return session


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget, before_close_func=lambda w: w.session.tasks.wait(5000))
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


@pytest.fixture
def panel(qtbot: QtBot, hub, sessions: list[Session], tmp_path: Path) -> IntakePanel:  # type: ignore[no-untyped-def]
    widget = IntakePanel(collector_session(hub, sessions), receipt_folder=tmp_path / "receipts")
    show(qtbot, widget)
    qtbot.waitUntil(lambda: widget.type_box.count() == 5, timeout=5000)
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.claim_edit)
    return widget


def statuses(panel: IntakePanel) -> dict[str, str | None]:
    return {item.code: panel.row_status(item.code) for item in panel.rows}


def wait_status(qtbot: QtBot, panel: IntakePanel, code: str, status: str) -> None:
    qtbot.waitUntil(lambda: panel.row_status(code) == status, timeout=5000)


def test_a_full_intake_by_keys_and_scans_only(
    qtbot: QtBot, panel: IntakePanel, wedge: BarcodeInputFilter, tmp_path: Path
) -> None:
    keys = Keyboard(qtbot)

    # Open the file: scan, Enter (claim type is right), name, Enter, phone, Ctrl+Enter.
    keys.scan(CLAIM)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.type_box, timeout=5000)
    assert panel.form_box.isVisible()
    assert panel.type_box.currentData() == "vehicle_damage"
    assert panel.channel_box.currentData() == "counter"
    assert panel.relation_box.currentData() == "insured"
    assert not panel.tracking_edit.isEnabled()
    keys.press(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.name_edit
    keys.type("Zhang San")
    keys.press(Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.phone_edit
    keys.type("13800138000")
    keys.shortcut(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.file is not None, timeout=5000)
    assert panel.file is not None
    assert panel.file.claim_number == CLAIM
    assert panel.file.submitter_name == "Zhang San"
    assert QApplication.focusWidget() is panel.table
    assert panel.summary.text().startswith("Missing 7 · follow up by ")
    # What applies first; the six items for accidents, agents and rescue greyed below.
    assert [panel.row_status(i.code) for i in panel.rows].count("not_applicable") == 6
    assert panel.selected_item() is not None
    assert panel.selected_item().code == "claim_form"  # type: ignore[union-attr]

    # 1: a copy of the claim form (C) - the original is still needed.
    keys.press(Qt.Key.Key_C, "c", document=True)
    wait_status(qtbot, panel, "claim_form", "copy_only")
    # 2-5: scanned while the list has the focus; each scan ticks an original.
    for code in ("DOC-CLAIM_FORM", "DOC-POLICY", "DOC-LOSS_REPORT", "DOC-ID_CARD"):
        keys.scan(code, document=True)
        wait_status(qtbot, panel, code.removeprefix("DOC-").lower(), "received")
        assert QApplication.focusWidget() is panel.table
    assert panel.selected_item().code == "id_card"  # type: ignore[union-attr]
    # 6: down to the bank card, Space; it has three pages.
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space, " ", document=True)
    wait_status(qtbot, panel, "bank_account", "received")
    keys.press(Qt.Key.Key_Plus, "+")
    keys.press(Qt.Key.Key_Plus, "+")
    qtbot.waitUntil(lambda: pages_of(panel.file, "bank_account") == 3, timeout=5000)
    # 7: down, Space.
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space, " ", document=True)
    wait_status(qtbot, panel, "loss_confirmation", "received")
    # 8: the repair invoice's own barcode.
    keys.scan("DOC-REPAIR_INVOICE", document=True)
    qtbot.waitUntil(lambda: panel.file is not None and panel.file.complete, timeout=5000)
    assert panel.summary.text().startswith("Complete — by collector at ")
    assert len(keys.documents) == 8
    intake_overhead = list(keys.overhead)

    # The same document scanned again: a message, and nothing changes.
    before = statuses(panel)
    entries = len(panel.file.entries)
    keys.scan("DOC-POLICY")
    qtbot.waitUntil(lambda: "already ticked" in panel.message.text(), timeout=5000)
    assert "保单正本或复印件" in panel.message.text()  # the document's name, not its code
    assert statuses(panel) == before
    assert panel.file is not None
    assert len(panel.file.entries) == entries

    # A correction: Delete on the repair invoice, a reason, Enter.
    assert panel.selected_item().code == "repair_invoice"  # type: ignore[union-attr]
    keys.press(Qt.Key.Key_Delete)
    qtbot.waitUntil(
        lambda: panel.correction_dialog is not None and panel.correction_dialog.isVisible()
    )
    dialog = panel.correction_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reason)
    keys.type("wrong invoice")
    keys.press(Qt.Key.Key_Return)
    wait_status(qtbot, panel, "repair_invoice", "missing")
    assert panel.file is not None
    assert not panel.file.complete
    assert panel.summary.text().startswith("Missing 1")
    withdrawn = [e for e in panel.file.entries if e.kind == "withdrawn"]
    assert withdrawn[-1].detail["reason"] == "wrong invoice"
    assert QApplication.focusWidget() is panel.table
    keys.scan("DOC-REPAIR_INVOICE", document=True)
    qtbot.waitUntil(lambda: panel.file is not None and panel.file.complete, timeout=5000)
    assert panel.summary.text().startswith("Complete — by collector at ")

    # The receipt.
    with qtbot.waitSignal(panel.receipt_ready, timeout=15_000) as ready:
        keys.shortcut(Qt.Key.Key_F9)
    path = ready.args[0]
    assert isinstance(path, Path)
    assert path.parent == tmp_path / "receipts"
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert CLAIM in text
    assert panel.file.receipt_number in text
    # and it went to the office printer (the simulated one here), at A5
    qtbot.waitUntil(lambda: "Receipt printed (1 pages)" in panel.message.text(), timeout=5000)

    # Beyond the documents themselves: open the file (4), find rows (2), pages (2).
    assert intake_overhead == [
        CLAIM,
        "Key_Return",
        "Key_Return",
        "ControlModifier+Key_Return",
        "Key_Down",
        "+",
        "+",
        "Key_Down",
    ]
    # With the duplicate scan, the correction (Delete, Enter) and printing (F9).
    assert len(keys.overhead) == len(intake_overhead) + 4
    assert len(keys.overhead) < 15

    # F2: the next customer.
    keys.shortcut(Qt.Key.Key_F2)
    assert panel.file is None
    assert panel.claim_edit.text() == ""
    assert QApplication.focusWidget() is panel.claim_edit


def pages_of(file: IntakeFileOut | None, code: str) -> int:
    assert file is not None
    item = next(i for i in file.items if i.code == code)
    return sum(d.pages for d in item.documents)


def test_existing_file_opens_and_errors_keep_what_is_ticked(
    qtbot: QtBot, panel: IntakePanel, wedge: BarcodeInputFilter
) -> None:
    client = panel.session.client
    opened = client.open_intake(IntakeOpenIn(claim_number=CLAIM, claim_type="vehicle_damage"))
    client.receive_document(opened.id, "policy")
    keys = Keyboard(qtbot)

    keys.scan(CLAIM.lower())  # typed or scanned in lower case, the file is found
    qtbot.waitUntil(lambda: panel.file is not None, timeout=5000)
    assert QApplication.focusWidget() is panel.table
    assert panel.row_status("policy") == "received"
    ticked = statuses(panel)

    # Not on the list, not applicable (no traffic accident), unknown claim number.
    keys.scan("DOC-NO_SUCH_THING")
    qtbot.waitUntil(lambda: "not on this claim type" in panel.message.text(), timeout=5000)
    assert "DOC-NO_SUCH_THING" in panel.message.text()
    keys.scan("DOC-ACCIDENT_REPORT")
    qtbot.waitUntil(lambda: "does not apply" in panel.message.text(), timeout=5000)
    assert "事故认定书" in panel.message.text()
    assert statuses(panel) == ticked

    # The circumstance makes it apply: a key-driven checkbox, then the scan goes through.
    accident = next(b for b in panel.file_fact_boxes if b.property("fact") == "traffic_accident")
    accident.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is accident)
    keys.press(Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: panel.file is not None and "traffic_accident" in panel.file.facts, timeout=5000
    )
    assert panel.row_status("driving_licence") == "missing"
    # Scanned while the checkbox still has the focus: the scan finds its way all the same.
    assert QApplication.focusWidget() is accident
    keys.scan("DOC-MEDIATION_AGREEMENT")
    wait_status(qtbot, panel, "accident_liability", "received")
    assert "调解书" in panel.message.text()

    # Escape clears; a malformed claim number is refused with a message.
    keys.shortcut(Qt.Key.Key_Escape)
    assert panel.file is None
    keys.scan("12345")
    qtbot.waitUntil(lambda: "not a claim report number" in panel.message.text(), timeout=5000)
    assert panel.file is None


def test_courier_needs_a_tracking_number(
    qtbot: QtBot, panel: IntakePanel, wedge: BarcodeInputFilter
) -> None:
    keys = Keyboard(qtbot)
    keys.scan(CLAIM)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.type_box, timeout=5000)
    panel.channel_box.setFocus()
    keys.press(Qt.Key.Key_Down)  # counter -> courier
    assert panel.channel_box.currentData() == "courier"
    assert panel.tracking_edit.isEnabled()
    keys.shortcut(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "tracking number" in panel.message.text()
    assert QApplication.focusWidget() is panel.tracking_edit
    keys.type("SF1234567890")
    keys.press(Qt.Key.Key_Return)  # tracking -> relation
    keys.press(Qt.Key.Key_Return)  # the last field: open
    qtbot.waitUntil(lambda: panel.file is not None, timeout=5000)
    assert panel.file is not None
    assert panel.file.channel == "courier"
    assert panel.file.tracking_number == "SF1234567890"


@pytest.fixture
def follow_up(qtbot: QtBot, hub, sessions: list[Session]) -> FollowUpPanel:  # type: ignore[no-untyped-def]
    widget = FollowUpPanel(collector_session(hub, sessions))
    show(qtbot, widget)
    return widget


def test_follow_up_lists_overdue_first_and_logs_a_contact(
    qtbot: QtBot, hub, follow_up: FollowUpPanel, wedge: BarcodeInputFilter
) -> None:
    client = follow_up.session.client
    desk = hub.context.intake
    real_clock = desk.clock
    # Opened ten days ago, so its follow-up date has passed; then one opened today.
    desk.clock = lambda: real_clock() - timedelta(days=10)
    try:
        old = client.open_intake(
            IntakeOpenIn(
                claim_number="CLM2026000101",
                claim_type="theft",
                submitter_name="李四",
                submitter_phone="13900139000",
                plate="粤B12345",
            )
        )
    finally:
        desk.clock = real_clock
    new = client.open_intake(
        IntakeOpenIn(claim_number="CLM2026000202", claim_type="quick", submitter_name="王五")
    )
    keys = Keyboard(qtbot)

    keys.shortcut(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(follow_up.files) == 2, timeout=5000)
    assert [f.id for f in follow_up.files] == [old.id, new.id]
    assert follow_up.files[0].overdue
    assert follow_up.table.item(0, 1).text() == "CLM2026000101"
    assert follow_up.table.item(0, 0).background().color().name() == "#ffcdd2"
    assert follow_up.table.item(1, 0).background().style() == Qt.BrushStyle.NoBrush
    assert follow_up.summary.text() == "2 files lack documents, 1 of them overdue"

    # F6 on the overdue file: reached by phone, comes back in two days.
    follow_up.table.setFocus()
    follow_up.table.setCurrentCell(0, 0)
    keys.shortcut(Qt.Key.Key_F6)
    qtbot.waitUntil(
        lambda: follow_up.contact_dialog is not None and follow_up.contact_dialog.isVisible()
    )
    dialog = follow_up.contact_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.method)
    expected_due = dialog.next_due.date().toPython()
    keys.press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.outcome
    keys.press(Qt.Key.Key_Tab)
    keys.type("will bring the invoice")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Contact logged" in follow_up.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: not follow_up.files[0].overdue, timeout=5000)
    logged = client.intake_file(old.id)
    contact = next(e for e in logged.entries if e.kind == "contact")
    assert contact.detail == {
        "method": "phone",
        "outcome": "reached",
        "note": "will bring the invoice",
        "due": expected_due.isoformat(),
    }
    assert logged.due == expected_due
    # Not overdue any more, and still first: its new date comes before the other file's.
    assert [f.id for f in follow_up.files] == [old.id, new.id]
    assert follow_up.files[0].due is not None
    assert follow_up.files[1].due is not None
    assert follow_up.files[0].due < follow_up.files[1].due

    # Search by plate; Enter on the row asks for the file to be opened.
    follow_up.search.setFocus()
    keys.type("粤B1")
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(follow_up.files) == 1, timeout=5000)
    assert follow_up.files[0].id == old.id
    assert QApplication.focusWidget() is follow_up.table
    with qtbot.waitSignal(follow_up.file_chosen, timeout=2000) as chosen:
        keys.press(Qt.Key.Key_Return)
    assert chosen.args == [old.id]
    assert isinstance(chosen.args[0], uuid.UUID)
    assert datetime.now(UTC) > old.opened_at


def test_short_receipt_on_the_ticket_printer_survives_paper_out(
    qtbot: QtBot,
    panel: IntakePanel,
    hub,
    wedge: BarcodeInputFilter,  # type: ignore[no-untyped-def]
) -> None:
    from counter_app.devices.ticket_printer import fake_ticket_printer

    client = HubClient(hub.url, "CS-INTAKE-02")
    client.login("collector", "collector1234")
    opened = client.open_intake(IntakeOpenIn(claim_number=CLAIM, claim_type="quick"))
    client.close()
    printer = fake_ticket_printer("fake:")
    printer.reset()
    keys = Keyboard(qtbot)
    keys.scan(CLAIM)
    qtbot.waitUntil(lambda: panel.file is not None and panel.file.id == opened.id, timeout=5000)

    printer.paper_out = True
    keys.shortcut(Qt.Key.Key_F9, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "was not printed" in panel.message.text(), timeout=5000)
    assert "Shift+F9" in panel.message.text()
    assert printer.jobs == []

    printer.paper_out = False  # paper loaded: the same key again is the retry
    with qtbot.waitSignal(panel.slip_printed, timeout=5000):
        keys.shortcut(Qt.Key.Key_F9, Qt.KeyboardModifier.ShiftModifier)
    job = printer.last_job
    assert job is not None
    assert job.startswith(b"\x1b@")
    assert "收单回执".encode("gb18030") in job
    assert CLAIM.encode("ascii") in job
    assert "快赔单".encode("gb18030") in job  # a missing document of the quick claim
    printer.reset()


def test_checklist_card_prints_the_claim_types_barcodes(
    qtbot: QtBot, panel: IntakePanel, wedge: BarcodeInputFilter
) -> None:
    keys = Keyboard(qtbot)
    keys.scan(CLAIM)  # a new file's form: its claim type decides the card
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.type_box, timeout=5000)
    with qtbot.waitSignal(panel.card_printed, timeout=15_000) as printed:
        keys.shortcut(Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)
    path = printed.args[0]
    text = "".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", "")
    assert "维修发票" in text  # vehicle damage's own document
    assert "DOC-REPAIR_INVOICE" in text
    assert "printed on" in panel.message.text()


def test_a_text_message_reminder_is_copied_and_logged(
    qtbot: QtBot, follow_up: FollowUpPanel, wedge: BarcodeInputFilter
) -> None:
    client = follow_up.session.client
    opened = client.open_intake(IntakeOpenIn(claim_number="CLM2026000303", claim_type="quick"))
    keys = Keyboard(qtbot)
    keys.shortcut(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(follow_up.files) == 1, timeout=5000)
    follow_up.table.setFocus()
    follow_up.table.setCurrentCell(0, 0)
    keys.shortcut(Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: follow_up.contact_dialog is not None, timeout=5000)
    dialog = follow_up.contact_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.copy_button.isEnabled, timeout=5000)
    text = dialog.reminder.toPlainText()
    assert "CLM2026000303" in text
    assert "尚缺：快赔单（一张纸）" in text  # what the quick claim still lacks, in words
    assert "咨询电话：95500" in text
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.method)
    keys.shortcut(
        Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QApplication.clipboard().text() == text
    assert dialog.method.currentData() == "sms"
    assert dialog.outcome.currentData() == "sent"
    dialog.accept()
    qtbot.waitUntil(lambda: "Contact logged" in follow_up.message.text(), timeout=5000)
    contact = next(e for e in client.intake_file(opened.id).entries if e.kind == "contact")
    assert contact.detail["method"] == "sms"
    assert contact.detail["outcome"] == "sent"
    assert contact.detail["note"] == text
