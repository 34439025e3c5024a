"""The intake back room against a real demo hub: handover by keys, the signed list scanned back,
archive; pickups overdue first, made through the dialog, closed as failed; productivity."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDateTime, Qt, QTranslator
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.hub.schemas import IntakeFileOut, IntakeOpenIn, PickupIn, PickupOut
from counter_app.ui.barcode import BarcodeInputFilter
from counter_app.ui.intake_office import (
    OVERDUE_BACKGROUND,
    HandoverPanel,
    PickupPanel,
    ProductivityPanel,
)
from counter_app.ui.workspaces import Session
from tests.conftest import DEMO_PASSWORDS
from tests.ui.support import session_for
from tests.ui.test_barcode_filter import FAST_MS, SLOW_MS, START_MS, press_enter, type_text
from tests.ui.test_pseudo_locale import clipped_texts

CLAIM_A = "RDAA2026320100000501"
CLAIM_B = "RDAA2026320100000502"
SHOTS = Path(os.environ.get("INTAKE_OFFICE_SHOTS", "/tmp/intake-office-look"))


@pytest.fixture
def wedge(qapp: QApplication) -> Iterator[BarcodeInputFilter]:
    """The app-wide scan filter, as the program installs it."""
    scans = BarcodeInputFilter()
    qapp.installEventFilter(scans)
    yield scans
    qapp.removeEventFilter(scans)


@pytest.fixture
def session(hub) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    made = session_for(HubClient(hub.url, "CS-OFFICE-01"), "collector")
    yield made
    made.tasks.wait(5000)
    made.link.shutdown()
    made.client.close()


@pytest.fixture
def desk(hub) -> Iterator[HubClient]:  # type: ignore[no-untyped-def]
    """Another collector's counter, where the files and pickups of a test are made."""
    client = HubClient(hub.url, "CS-OFFICE-02")
    client.login("collector", DEMO_PASSWORDS["collector"])
    yield client
    client.close()


def complete_file(client: HubClient, claim_number: str) -> IntakeFileOut:
    """A quick claim with every missing document received: complete, ready to hand over."""
    file = client.open_intake(
        IntakeOpenIn(
            claim_number=claim_number, claim_type="quick", plate="苏A0" + claim_number[-4:]
        )
    )
    for item in file.items:
        if item.status in ("missing", "copy_only"):
            code = item.alternatives[0].code if item.alternatives else item.code
            file = client.receive_document(file.id, code, "original")
    assert file.status == "complete", [(i.code, i.status) for i in file.items]
    return file


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget, before_close_func=lambda w: w.session.tasks.wait(5000))
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    """A key to whatever has the focus; bound keys (F8, Ins) go through Qt's shortcut map."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def background(table: QTableWidget, row: int) -> str:
    item = table.item(row, 0)
    assert item is not None
    return str(item.background().color().name())


def shot(widget: QWidget, name: str) -> None:
    """The panel as it looks, for people; and no text of it cut off."""
    for _ in range(3):
        QApplication.processEvents()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))
    assert clipped_texts(widget) == []


def test_hand_over_by_keys_confirm_by_scan_and_archive(
    qtbot: QtBot,
    session: Session,
    desk: HubClient,
    wedge: BarcodeInputFilter,
    tmp_path: Path,
) -> None:
    for claim in (CLAIM_A, CLAIM_B):
        complete_file(desk, claim)
    lists = tmp_path / "lists"
    panel = HandoverPanel(session, lists)
    show(qtbot, panel)
    qtbot.waitUntil(lambda: len(panel.files) == 2, timeout=5000)
    assert {f.claim_number for f in panel.files} == {CLAIM_A, CLAIM_B}
    focus(qtbot, panel.table)
    assert not panel.hand_over_button.isEnabled()  # nothing ticked yet

    # Space ticks the selected file, Down, Space the next one; Ctrl+A unticks all and ticks all.
    panel.table.setCurrentCell(0, 0)
    press(qtbot, Qt.Key.Key_Space)
    assert panel.is_checked(panel.files[0].claim_number)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    assert panel.is_checked(CLAIM_A)
    assert panel.is_checked(CLAIM_B)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert not panel.checked
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(panel.checked) == 2
    item = panel.table.item(0, 0)
    assert item is not None
    assert item.checkState() == Qt.CheckState.Checked
    shot(panel, "handover-ticked")

    # F8: one batch, its list saved as a PDF with both claims and the batch number.
    with qtbot.waitSignal(panel.handover_printed, timeout=10_000) as printed:
        press(qtbot, Qt.Key.Key_F8)
    path = Path(printed.args[0])
    assert panel.batch is not None
    number = panel.batch.number
    assert number.startswith("JJ")
    assert path == lists / f"{number}.pdf"
    assert panel.batch_label.text() == number
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for expected in (CLAIM_A, CLAIM_B, number):
        assert expected in text
    qtbot.waitUntil(lambda: all(f.status == "handed_over" for f in panel.files), timeout=5000)
    assert not panel.checked
    assert not panel.hand_over_button.isEnabled()

    # The signed list comes back: its barcode scanned into the confirm field.
    focus(qtbot, panel.confirm_edit)
    with qtbot.waitSignal(panel.handover_confirmed, timeout=5000) as confirmed:
        press_enter(type_text(number, START_MS, FAST_MS) + FAST_MS)
    assert confirmed.args[0].number == number
    assert confirmed.args[0].confirmed_by == "collector"
    assert number in panel.confirmed_label.text()
    assert "collector" in panel.confirmed_label.text()
    assert desk.handover(number).confirmed_at is not None
    # A wrong batch number says so, next to the field; scanned while the list has the focus.
    focus(qtbot, panel.table)
    press_enter(type_text("JJ20000101-999", START_MS + 10_000, FAST_MS) + FAST_MS)
    qtbot.waitUntil(lambda: "JJ20000101-999" in panel.confirmed_label.text(), timeout=5000)
    assert "no handover batch" in panel.confirmed_label.text().lower()
    assert QApplication.focusWidget() is panel.confirm_edit
    shot(panel, "handover-confirmed")

    # F7 on a handed-over file: the archive place, then Enter.
    focus(qtbot, panel.table)
    row = next(r for r, f in enumerate(panel.files) if f.claim_number == CLAIM_A)
    panel.table.setCurrentCell(row, 0)
    press(qtbot, Qt.Key.Key_F7)
    dialog = panel.archive_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit)
    # Typed by a person, key by key: the scan filter must not take it for a scan.
    typed = type_text("Cabinet 3 / Box B-12", START_MS + 20_000, SLOW_MS)
    with qtbot.waitSignal(panel.file_archived, timeout=5000) as archived:
        press_enter(typed + SLOW_MS)
    assert archived.args[0].claim_number == CLAIM_A
    assert archived.args[0].archive_location == "Cabinet 3 / Box B-12"
    assert desk.intake_file_by_claim(CLAIM_A).status == "archived"
    qtbot.waitUntil(lambda: [f.claim_number for f in panel.files] == [CLAIM_B], timeout=5000)
    assert QApplication.focusWidget() is panel.table


def test_pickups_overdue_first_made_through_the_dialog_and_closed_failed(
    qtbot: QtBot, session: Session, desk: HubClient
) -> None:
    now = datetime.now(UTC)
    later = desk.create_pickup(
        PickupIn(
            claim_number=CLAIM_A,
            contact_name="张三",
            contact_phone="13900002222",
            address="南京市玄武区北京东路 2 号",
            window_start=now + timedelta(hours=3),
            window_end=now + timedelta(hours=5),
        )
    )
    late = desk.create_pickup(
        PickupIn(
            claim_number=CLAIM_B,
            contact_name="李四",
            contact_phone="13900001111",
            address="南京市鼓楼区中山路 1 号",
            window_start=now - timedelta(hours=3),
            window_end=now - timedelta(hours=1),
            documents=["维修发票", "身份证"],
            assigned_to="collector",
        )
    )
    panel = PickupPanel(session)
    show(qtbot, panel)
    qtbot.waitUntil(lambda: len(panel.pickups) == 2, timeout=5000)
    assert [p.id for p in panel.pickups] == [late.id, later.id]
    assert background(panel.table, 0) == QColor(OVERDUE_BACKGROUND).name()
    assert background(panel.table, 1) != QColor(OVERDUE_BACKGROUND).name()
    state = panel.table.item(0, 6)
    assert state is not None
    assert state.text() == "Assigned, overdue"
    window = panel.table.item(0, 4)
    assert window is not None
    start, end = late.window_start.astimezone(), late.window_end.astimezone()
    assert window.text() in (
        f"{start:%m-%d %H:%M}–{end:%H:%M}",
        f"{start:%m-%d %H:%M}–{end:%m-%d %H:%M}",
    )
    assert "维修发票, 身份证" in panel.detail.text()

    # Ins: the dialog; a bad phone is refused, the dialog stays with everything typed.
    focus(qtbot, panel.table)
    press(qtbot, Qt.Key.Key_Insert)
    dialog = panel.pickup_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.claim_edit)
    typed = {
        dialog.claim_edit: "rdaa2026320100000503",
        dialog.name_edit: "Wang Wu",
        dialog.phone_edit: "call me",
        dialog.address_edit: "Zhongshan Road 3, Nanjing",
        dialog.documents_edit: "Repair invoice, ID card",
    }
    for edit, text in typed.items():
        qtbot.keyClicks(edit, text)
    start_at = dialog.start_edit.dateTime()
    assert abs(start_at.secsTo(QDateTime.currentDateTime())) < 120
    assert start_at.secsTo(dialog.end_edit.dateTime()) == 2 * 3600
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Phone" in dialog.message.text(), timeout=5000)
    assert dialog.isVisible()
    assert {edit: edit.text() for edit in typed} == typed
    assert QApplication.focusWidget() is dialog.phone_edit
    shot(dialog, "pickup-dialog-refused")

    # The window ends before it starts: refused too, naming the end.
    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "13700003333")
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-3600))
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "Until" in dialog.message.text(), timeout=5000)
    assert dialog.isVisible()
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(2 * 3600))
    with qtbot.waitSignal(panel.pickup_changed, timeout=5000) as made:
        dialog.buttons.accepted.emit()
    created: PickupOut = made.args[0]
    assert created.claim_number == "RDAA2026320100000503"
    assert created.documents == ["Repair invoice", "ID card"]
    assert created.state == "open"
    qtbot.waitUntil(lambda: panel.pickup_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: len(panel.pickups) == 3, timeout=5000)
    assert panel.pickups[0].id == late.id  # still first: the only overdue one

    # F4 assigns the new one.
    panel.table.setCurrentCell(panel.row_of(created.id), 0)
    press(qtbot, Qt.Key.Key_F4)
    assign = panel.assign_dialog
    assert assign is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is assign.edit)
    assign.edit.clear()
    qtbot.keyClicks(assign.edit, "nobody")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "nobody" in panel.message.text(), timeout=5000)
    press(qtbot, Qt.Key.Key_F4)
    assign = panel.assign_dialog
    assert assign is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is assign.edit)
    assign.edit.setText("collector")
    with qtbot.waitSignal(panel.pickup_changed, timeout=5000):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.pickups[panel.row_of(created.id)].state == "assigned")
    shot(panel, "pickups")

    # F11 on the overdue one: why it failed, Enter; it leaves the open list.
    panel.table.setCurrentCell(panel.row_of(late.id), 0)
    press(qtbot, Qt.Key.Key_F11)
    reason = panel.reason_dialog
    assert reason is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reason.edit)
    qtbot.keyClicks(reason.edit, "Nobody at home")
    with qtbot.waitSignal(panel.pickup_changed, timeout=5000) as closed:
        press(qtbot, Qt.Key.Key_Return)
    assert closed.args[0].state == "failed"
    qtbot.waitUntil(lambda: panel.row_of(late.id) < 0, timeout=5000)
    failed = next(p for p in desk.pickups(include_closed=True) if p.id == late.id)
    assert failed.outcome == "Nobody at home"
    # F10: done.
    panel.table.setCurrentCell(panel.row_of(later.id), 0)
    with qtbot.waitSignal(panel.pickup_changed, timeout=5000) as done:
        press(qtbot, Qt.Key.Key_F10)
    assert done.args[0].state == "done"
    qtbot.waitUntil(lambda: [p.id for p in panel.pickups] == [created.id], timeout=5000)


@pytest.fixture(params=["en", "zh_CN"])
def language(
    request: pytest.FixtureRequest,
    qapp: QApplication,
    zh_qm: Path,
    install_translation: Callable[[Path], QTranslator],
    app_font: str,
) -> str:
    if request.param == "zh_CN":
        install_translation(zh_qm)
    return str(request.param)


def test_productivity_and_the_panels_look(
    qtbot: QtBot, session: Session, desk: HubClient, tmp_path: Path, language: str
) -> None:
    for claim in (CLAIM_A, CLAIM_B):
        complete_file(desk, claim)
    now = datetime.now(UTC)
    desk.create_pickup(
        PickupIn(
            claim_number=CLAIM_A,
            contact_name="张三",
            contact_phone="13900002222",
            address="南京市玄武区北京东路 2 号 华夏大厦 15 楼",
            window_start=now - timedelta(hours=3),
            window_end=now - timedelta(hours=1),
            documents=["维修发票"],
        )
    )
    panel = ProductivityPanel(session)
    show(qtbot, panel)
    qtbot.waitUntil(lambda: panel.row_of("collector") >= 0, timeout=5000)
    row = panel.row_of("collector")
    files = panel.table.item(row, 1)
    assert files is not None
    assert int(files.text()) >= 2
    share = panel.table.item(row, 2)
    assert share is not None
    assert share.text() == f"{panel.rows[row].percent_of_norm}%"
    assert background(panel.table, row) != QColor(OVERDUE_BACKGROUND).name()
    assert panel.rows[row].files < panel.rows[row].norm  # so the row is amber
    assert background(panel.table, row) == QColor("#ffe0b2").name()
    # Yesterday nobody worked: the table empties.
    panel.day_edit.setDate(panel.day_edit.date().addDays(-1))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=5000)
    panel.day_edit.setDate(panel.day_edit.date().addDays(1))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    shot(panel, f"productivity-{language}")

    handover = HandoverPanel(session, tmp_path)
    show(qtbot, handover)
    qtbot.waitUntil(lambda: len(handover.files) == 2, timeout=5000)
    shot(handover, f"handover-{language}")
    pickups = PickupPanel(session)
    show(qtbot, pickups)
    qtbot.waitUntil(lambda: len(pickups.pickups) == 1, timeout=5000)
    shot(pickups, f"pickups-{language}")
