"""The back office's blank forms against a real demo hub: an allocation received through its
dialog and an overlapping one refused in words, forms issued to the clerk, the clerk's used
form written off, a stock-take that finds a missing serial, and the reconciliation balanced,
its gaps in red, its report saved as a PDF and printed."""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import Settings
from counter_app.hub.schemas import ReconciliationLineOut
from counter_app.ui.forms_stock import (
    GAP_BACKGROUND,
    BlankFormsPanel,
    FormsDialog,
    LoseDialog,
    ReconciliationPanel,
    SerialSpanDialog,
    StockTakeDialog,
    WriteOffDialog,
)
from counter_app.ui.workspaces import Session
from tests.conftest import DEMO_PASSWORDS
from tests.ui.support import session_for
from tests.ui.test_pseudo_locale import clipped_texts

JQ_POLICY = "PDZA202644010000001234"
SHOTS = Path(os.environ.get("FORMS_STOCK_SHOTS", "/tmp/forms-stock-look"))
SCREEN_720 = 720


@pytest.fixture
def session(hub: Any, tmp_path: Path) -> Iterator[Session]:
    made = session_for(HubClient(hub.url, "BO-FORMS-01"), "backoffice")
    made.settings = Settings(tmp_path / "settings.json")  # reports and prints under tmp_path
    yield made
    made.tasks.wait(5000)
    made.link.shutdown()
    made.client.close()


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget, before_close_func=lambda w: w.session.tasks.wait(5000))
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()


def loaded_panel(qtbot: QtBot, session: Session) -> BlankFormsPanel:
    panel = BlankFormsPanel(session)
    show(qtbot, panel)
    qtbot.waitUntil(lambda: bool(panel.rows), timeout=10_000)
    return panel


def count_of(panel: BlankFormsPanel, form_type: str, holder: str, state: str) -> int:
    row = panel.row_of(form_type, holder, state)
    return panel.rows[row].count if row >= 0 else 0


def opened(qtbot: QtBot, panel: BlankFormsPanel, key: Qt.Key) -> FormsDialog:
    """The dialog a function key opens, with the holdings list focused as a user has it."""
    panel.table.setFocus()
    qtbot.keyClick(panel.table, key)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def enter(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def shot(widget: QWidget, name: str) -> None:
    """How it looks, for people; and no text of it cut off, nor too tall for 1280×720."""
    settle()
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))
    assert clipped_texts(widget) == []
    assert widget.minimumSizeHint().height() <= SCREEN_720 - 60, widget.minimumSizeHint()
    if widget.width() == 1280:  # a panel: it fits the smaller screen's work area too
        widget.resize(1280, SCREEN_720 - 60)
        settle()
        assert widget.grab().save(str(SHOTS / f"{name}-720.png"))
        assert clipped_texts(widget) == []
        widget.resize(1280, 800)


def background(table: QTableWidget, row: int) -> str:
    item = table.item(row, 0)
    assert item is not None
    return str(item.background().color().name())


def serial_states(hub: Any, form_type: str) -> dict[str, int]:
    with sqlite3.connect(hub.basedir.database) as raw:
        rows = raw.execute(
            "SELECT state, count(*) FROM blank_form_serial WHERE form_type = ? GROUP BY state",
            (form_type,),
        ).fetchall()
    return {state: count for state, count in rows}


def test_an_allocation_is_received_and_an_overlapping_one_refused_in_words(
    qtbot: QtBot, session: Session, hub: Any
) -> None:
    panel = loaded_panel(qtbot, session)
    assert count_of(panel, "JQ", "", "in_stock") == 450
    assert count_of(panel, "JQ", "clerk", "issued") == 50
    shot(panel, "holdings")

    dialog = opened(qtbot, panel, Qt.Key.Key_F2)
    assert isinstance(dialog, SerialSpanDialog)
    dialog.choose_kind("JQ")
    # A mistyped serial is named before anything is sent.
    qtbot.keyClicks(dialog.first_edit, "JQ12")
    qtbot.keyClicks(dialog.count_edit, "100")
    assert "JQ12 is not a serial" in dialog.summary.text()
    # The count fills in the last serial; the summary says how many before anything is sent.
    retype(qtbot, dialog.first_edit, "JQ0000100501")
    assert dialog.last_edit.text() == "JQ0000100600"
    assert dialog.summary.text() == "100 forms: JQ0000100501–JQ0000100600"
    shot(dialog, "receive-dialog")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000) as moved:
        enter(qtbot, dialog.count_edit)
    assert moved.args == ["100 forms received into the branch stock: JQ0000100501–JQ0000100600."]
    qtbot.waitUntil(lambda: count_of(panel, "JQ", "", "in_stock") == 550, timeout=10_000)
    stock = panel.rows[panel.row_of("JQ", "", "in_stock")]
    assert stock.ranges == [("JQ0000100051", "JQ0000100600")]
    assert panel.table.item(panel.row_of("JQ", "", "in_stock"), 4).text() == (  # type: ignore[union-attr]
        "JQ0000100051–JQ0000100600"
    )

    # Overlapping what the branch already has: refused in words, the dialog keeps the input.
    dialog = opened(qtbot, panel, Qt.Key.Key_F2)
    assert isinstance(dialog, SerialSpanDialog)
    dialog.choose_kind("JQ")
    qtbot.keyClicks(dialog.first_edit, "100590")  # the digits alone are a serial too
    enter(qtbot, dialog.first_edit)  # not complete yet: Enter goes on to the count
    assert dialog.focusWidget() is dialog.count_edit
    qtbot.keyClicks(dialog.count_edit, "20")
    assert dialog.last_edit.text() == "JQ0000100609"
    enter(qtbot, dialog.count_edit)
    expected = session.messages.error_text("forms.range_overlaps")
    qtbot.waitUntil(lambda: dialog.message.text().startswith(expected), timeout=10_000)
    assert "JQ0000100501–JQ0000100600" in dialog.message.text()  # the range it ran into
    assert dialog.isVisible()
    assert dialog.first_edit.text() == "100590"
    shot(dialog, "receive-refused")
    dialog.reject()
    qtbot.waitUntil(lambda: panel.dialog is None)
    assert serial_states(hub, "JQ") == {"in_stock": 550, "issued": 50}


def test_forms_are_issued_to_the_clerk_from_the_next_in_stock(
    qtbot: QtBot, session: Session
) -> None:
    panel = loaded_panel(qtbot, session)
    panel.table.setCurrentCell(panel.row_of("JQ", "clerk", "issued"), 0)
    dialog = opened(qtbot, panel, Qt.Key.Key_F3)
    assert isinstance(dialog, SerialSpanDialog)
    assert dialog.clerk_box is not None
    assert dialog.clerk_box.holder() == "clerk"
    # The next serials in stock are offered; the clerk's usual stack until a count is typed.
    assert (dialog.first_edit.text(), dialog.count_edit.text()) == ("JQ0000100051", "50")
    retype(qtbot, dialog.count_edit, "10")
    assert dialog.last_edit.text() == "JQ0000100060"
    shot(dialog, "issue-dialog")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000):
        enter(qtbot, dialog.count_edit)
    qtbot.waitUntil(lambda: count_of(panel, "JQ", "clerk", "issued") == 60, timeout=10_000)
    assert count_of(panel, "JQ", "", "in_stock") == 440
    assert (
        "10 forms issued to 张伟: JQ0000100051–JQ0000100060." in panel.message.text()
    )  # the name, from /api/forms/holders

    # Taking them back offers the clerk's unused tail.
    panel.table.setCurrentCell(panel.row_of("JQ", "clerk", "issued"), 0)
    dialog = opened(qtbot, panel, Qt.Key.Key_F4)
    assert isinstance(dialog, SerialSpanDialog)
    assert (dialog.first_edit.text(), dialog.last_edit.text()) == ("JQ0000100001", "JQ0000100060")
    retype(qtbot, dialog.first_edit, "JQ0000100056")
    assert dialog.count_edit.text() == "5"
    shot(dialog, "take-back-dialog")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000):
        enter(qtbot, dialog.last_edit)
    qtbot.waitUntil(lambda: count_of(panel, "JQ", "clerk", "issued") == 55, timeout=10_000)

    # A form lost at the clerk's desk: the serial, Enter, what happened, Enter.
    dialog = opened(qtbot, panel, Qt.Key.Key_F7)
    assert isinstance(dialog, LoseDialog)
    qtbot.keyClicks(dialog.serial_edit, "JQ0000100055")
    assert dialog.where.text() == "JQ0000100055 is with 张伟: Issued, blank."
    enter(qtbot, dialog.serial_edit)
    assert dialog.focusWidget() is dialog.reason_edit
    dialog.reason_edit.setText("客户带走未归还")  # typed through the input method
    shot(dialog, "lose-dialog")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000) as moved:
        enter(qtbot, dialog.reason_edit)
    assert moved.args == ["JQ0000100055 recorded as lost."]
    qtbot.waitUntil(lambda: count_of(panel, "JQ", "clerk", "lost") == 1, timeout=10_000)
    assert count_of(panel, "JQ", "clerk", "issued") == 54


def test_everything_the_clerk_used_is_written_off(qtbot: QtBot, session: Session, hub: Any) -> None:
    clerk = HubClient(hub.url, "clerk-ws")
    try:
        clerk.login("clerk", DEMO_PASSWORDS["clerk"])
        job = clerk.create_print_job(JQ_POLICY, "jq-policy", "模拟针式打印机")
        job = clerk.print_job_step(job.id, "sending", "模拟针式打印机")
        job = clerk.print_job_step(job.id, "sent")
        clerk.print_job_step(job.id, "confirm")
    finally:
        clerk.close()
    panel = loaded_panel(qtbot, session)
    assert count_of(panel, "JQ", "clerk", "used") == 1
    panel.table.setCurrentCell(panel.row_of("JQ", "clerk", "used"), 0)

    dialog = opened(qtbot, panel, Qt.Key.Key_F6)
    assert isinstance(dialog, WriteOffDialog)
    assert dialog.clerk_box.holder() == "clerk"
    assert dialog.kind() is not None
    assert dialog.everything_button.isChecked()
    assert "(1 forms)" in dialog.everything_button.text()
    shot(dialog, "write-off-dialog")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000) as moved:
        dialog.submit()
    assert moved.args == ["1 JQ forms of 张伟 written off."]
    qtbot.waitUntil(lambda: panel.row_of("JQ", "clerk", "used") < 0, timeout=10_000)
    assert count_of(panel, "JQ", "clerk", "issued") == 49
    assert serial_states(hub, "JQ")["written_off"] == 1

    # Listed serials: one that is still blank is refused, in words, with where it is.
    dialog = opened(qtbot, panel, Qt.Key.Key_F6)
    assert isinstance(dialog, WriteOffDialog)
    dialog.clerk_box.choose("clerk")
    dialog.choose_kind("JQ")
    qtbot.keyClicks(dialog.serials.scan_edit, "JQ0000100002")
    enter(qtbot, dialog.serials.scan_edit)
    assert dialog.listed_button.isChecked()
    assert dialog.serials.lines.toPlainText() == "JQ0000100002"
    enter(qtbot, dialog.serials.scan_edit)  # on the empty field: send
    expected = session.messages.error_text("forms.invalid_move")
    qtbot.waitUntil(lambda: dialog.message.text().startswith(expected), timeout=10_000)
    assert dialog.message.text().endswith("The first one refused is Issued, blank.")
    dialog.reject()


def test_a_stock_take_shows_the_missing_serial_and_saves_its_sheet(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    panel = loaded_panel(qtbot, session)
    panel.table.setCurrentCell(panel.row_of("JQ", "clerk", "issued"), 0)
    dialog = opened(qtbot, panel, Qt.Key.Key_F8)
    assert isinstance(dialog, StockTakeDialog)
    assert (dialog.holder_box.holder(), dialog.kind().code) == ("clerk", "JQ")  # type: ignore[union-attr]
    # Bundles typed as "first last"; forms scanned one by one extend the line they continue.
    scan = dialog.counted.scan_edit
    qtbot.keyClicks(scan, "JQ0000100001 JQ0000100047")
    enter(qtbot, scan)
    for serial in ("JQ0000100048", "JQ0000100049"):
        qtbot.keyClicks(scan, serial)
        enter(qtbot, scan)
    assert dialog.counted.lines.toPlainText() == "JQ0000100001 JQ0000100049"
    assert dialog.counted.count_label.text() == "49 forms in 1 lines"
    with qtbot.waitSignal(dialog.compared, timeout=10_000) as compared:
        enter(qtbot, scan)
    assert compared.args[0].missing == [("JQ0000100050", "JQ0000100050")]
    assert "1 ranges missing" in dialog.outcome.text()
    cells = [dialog.table.item(0, c).text() for c in range(4)]  # type: ignore[union-attr]
    assert cells == ["Missing (账有实无)", "JQ0000100050", "JQ0000100050", "1"]
    shot(dialog, "stock-take-dialog")

    sheet = tmp_path / "sheet.pdf"
    with qtbot.waitSignal(dialog.sheet_saved, timeout=10_000):
        dialog.save_sheet(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")
    assert "JQ0000100050" in "".join(p.extract_text() for p in PdfReader(sheet).pages)

    # Counted exactly: it matches.
    dialog.counted.lines.setPlainText("JQ0000100001 JQ0000100050")
    with qtbot.waitSignal(dialog.compared, timeout=10_000) as compared:
        dialog.submit()
    assert compared.args[0].matches
    assert dialog.outcome.text().startswith("Matches")
    dialog.reject()


def test_the_reconciliation_balances_shows_gaps_and_saves_its_report(
    qtbot: QtBot, session: Session, tmp_path: Path
) -> None:
    panel = ReconciliationPanel(session)
    show(qtbot, panel)
    qtbot.waitUntil(lambda: panel.first is not None, timeout=10_000)
    assert panel.first == panel.last
    assert panel.lines, "the demo's allocations and issues are today's moves"
    assert panel.unbalanced() == []
    assert "Balanced" in panel.status.text()
    clerk = panel.lines[panel.row_of("JQ", "clerk")]
    assert (clerk.received, clerk.closing, clerk.gap) == (50, 50, 0)
    shot(panel, "reconciliation")

    # The report of the period shown, saved through the file dialog.
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.save_dialog is not None and panel.save_dialog.isVisible())
    assert panel.save_dialog is not None
    target = tmp_path / "report.pdf"
    panel.save_dialog.selectFile(str(target))
    with qtbot.waitSignal(panel.report_saved, timeout=15_000):
        panel.save_dialog.accept()
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert "对账" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)

    # Printed at actual size (the simulated office printer writes a PDF).
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    panel.table.setFocus()
    with qtbot.waitSignal(panel.report_printed, timeout=15_000) as printed:
        qtbot.keyClick(panel.table, Qt.Key.Key_F9)
    assert Path(printed.args[0]).read_bytes().startswith(b"%PDF")
    assert "printed on" in panel.message.text()

    # A line that does not add up is red, and the status says how many.
    good = panel.lines[0]
    bad = ReconciliationLineOut(
        **{**good.model_dump(), "holder": "clerk", "form_type": "SY", "closing": 47, "gap": 3}
    )
    panel.show_lines([good, bad])
    row = panel.row_of("SY", "clerk")
    assert background(panel.table, row) == GAP_BACKGROUND
    assert background(panel.table, panel.row_of(good.form_type, good.holder)) != GAP_BACKGROUND
    assert panel.status.text().endswith("1 line does not balance")
    shot(panel, "reconciliation-gap")

    # Another period: a month, capped at today.
    today = panel.first
    assert today is not None
    panel.set_period("month", date(today.year, today.month, 1))
    qtbot.waitUntil(lambda: panel.first == today.replace(day=1), timeout=10_000)
    assert panel.last == today
    assert panel.from_edit.isVisible()
    assert not panel.to_edit.isVisible()
    panel.set_period("custom", today - timedelta(days=3), today)
    qtbot.waitUntil(lambda: panel.first == today - timedelta(days=3), timeout=10_000)
    assert panel.to_edit.isVisible()
    shot(panel, "reconciliation-custom")


@pytest.fixture
def manager(hub: Any) -> Iterator[Session]:
    made = session_for(HubClient(hub.url, "MGR-FORMS-01"), "manager")
    yield made
    made.tasks.wait(5000)
    made.link.shutdown()
    made.client.close()


def test_the_manager_sees_holders_by_name_and_chooses_among_the_printing_staff(
    qtbot: QtBot, manager: Session
) -> None:
    panel = loaded_panel(qtbot, manager)
    row = panel.row_of("JQ", "clerk", "issued")
    assert panel.table.item(row, 1).text() == "张伟"  # type: ignore[union-attr]
    dialog = opened(qtbot, panel, Qt.Key.Key_F3)
    assert isinstance(dialog, SerialSpanDialog)
    assert dialog.clerk_box is not None
    choices = [dialog.clerk_box.itemText(i) for i in range(dialog.clerk_box.count())]
    assert choices == ["刘洋 (channel)", "张伟 (clerk)", "赵敏 (manager)"]
    dialog.reject()


def test_the_back_office_workspace_opens_on_its_blank_forms(qtbot: QtBot, session: Session) -> None:
    from counter_app.ui.workspaces.posts import BackofficeWorkspace

    workspace = BackofficeWorkspace(session)
    show(qtbot, workspace)
    tabs = workspace.post_tabs
    assert tabs.currentWidget() is workspace.forms
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Blank forms",
        "Reconciliation",
        "Services and printers",
    ]
    qtbot.waitUntil(lambda: bool(workspace.forms.rows), timeout=10_000)
    tabs.setCurrentWidget(workspace.reconciliation)
    workspace.handle_scan("JQ0000100055")  # a serial scanned anywhere: where is that form?
    assert tabs.currentWidget() is workspace.forms
    qtbot.waitUntil(lambda: "JQ0000100055" in workspace.forms.message.text(), timeout=10_000)
    workspace.grab().save(str(SHOTS / "backoffice-workspace.png"))


def test_head_offices_allotment_is_offered_by_the_receive_dialog_until_received(
    qtbot: QtBot, session: Session, hub: Any
) -> None:
    from counter_app.storage.database import Store
    from counter_app.storage.models import FormAllotment

    # as a pull from head office leaves it (sync/reference.py)
    store = Store.open(hub.basedir.database)
    with store.write() as db:
        db.add(FormAllotment(form_type="JQ", first=100_601, last=100_800, note="十二月份"))
    store.dispose()
    panel = loaded_panel(qtbot, session)
    qtbot.waitUntil(lambda: bool(panel.book.allotments), timeout=10_000)

    dialog = opened(qtbot, panel, Qt.Key.Key_F2)
    assert isinstance(dialog, SerialSpanDialog)
    dialog.choose_kind("JQ")
    assert (dialog.first_edit.text(), dialog.last_edit.text()) == ("JQ0000100601", "JQ0000100800")
    assert dialog.message.text() == (
        "Allotted by head office: JQ0000100601–JQ0000100800 (200 forms) 十二月份"
    )
    shot(dialog, "receive-allotment")
    with qtbot.waitSignal(panel.forms_moved, timeout=10_000):
        enter(qtbot, dialog.count_edit)
    qtbot.waitUntil(lambda: not panel.book.allotments, timeout=10_000)
    assert serial_states(hub, "JQ") == {"in_stock": 650, "issued": 50}
