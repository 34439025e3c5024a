"""The clerk's printing desk against a real demo hub: a policy printed on the next numbered form
and confirmed, a misprint voided with the manager's approval and printed on the next form, a
failed print retried on the same form, a broken policy file refused with every error, and the
preview at the form's real size. The printer is the simulated one: a PDF in ``printed/``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import FORM_PRINTER, Settings
from counter_app.ui import policy_print
from counter_app.ui.office_print import OfficePrintFailed
from counter_app.ui.policy_print import PolicyPrintPanel
from counter_app.ui.workspaces import Session
from tests.conftest import DEMO_PASSWORDS
from tests.ui.support import session_for

PRINTER = "Form-Printer-Sim"  # not installed anywhere: simulated devices print it to a PDF
JQ_POLICY = "PDZA202644010000001234"
MM = 72 / 25.4  # points per millimetre
WAIT_MS = 10_000


@pytest.fixture
def clerk(hub, tmp_path: Path) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    session = session_for(HubClient(hub.url, "CS-ISSUE-01"), "clerk")
    session.settings = Settings(tmp_path / "ws" / "settings.json")
    session.settings.set(FORM_PRINTER, PRINTER)
    yield session
    session.tasks.wait(5000)
    session.link.shutdown()
    session.client.close()


@pytest.fixture
def panel(qtbot: QtBot, clerk: Session) -> PolicyPrintPanel:
    widget = PolicyPrintPanel(clerk)
    qtbot.addWidget(widget, before_close_func=lambda w: w.session.tasks.wait(5000))
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    qtbot.waitUntil(lambda: len(widget.documents) == 9, timeout=WAIT_MS)
    return widget


def open_document(qtbot: QtBot, panel: PolicyPrintPanel, number: str) -> None:
    """Scanned, as at the counter: the document opens with its preview and its next form."""
    assert panel.accept_scan(number)
    qtbot.waitUntil(
        lambda: (
            panel.document is not None
            and panel.document.number == number
            and panel.chosen_layout() is not None
        ),
        timeout=WAIT_MS,
    )
    layout = panel.chosen_layout()
    assert layout is not None
    if layout.blank_form:
        qtbot.waitUntil(lambda: panel.next_form is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=WAIT_MS)


def press_print(qtbot: QtBot, panel: PolicyPrintPanel) -> None:
    # After a question closes the panel's window is active again, as at the counter.
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    panel.results.setFocus()
    qtbot.keyClick(panel.results, Qt.Key.Key_F9)


def wait_question(qtbot: QtBot, panel: PolicyPrintPanel) -> policy_print.PrintedQuestion:
    qtbot.waitUntil(lambda: panel.printed_question is not None, timeout=WAIT_MS)
    question = panel.printed_question
    assert question is not None
    qtbot.waitExposed(question)
    return question


def job_state(panel: PolicyPrintPanel, serial: str) -> str | None:
    return next((j.state for j in panel.jobs if j.serial == serial), None)


def ledger(hub: Any, serial: int) -> tuple[str, str, str]:  # state, holder, policy number
    with sqlite3.connect(hub.basedir.database) as db:
        row = db.execute(
            "SELECT state, holder, policy_number FROM blank_form_serial "
            "WHERE form_type = 'JQ' AND serial = ?",
            (serial,),
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def printed_pdf(clerk: Session, name: str) -> Path:
    assert clerk.settings.path is not None
    return clerk.settings.path.parent / "printed" / name


def test_a_policy_is_printed_on_the_next_form_and_confirmed(
    qtbot: QtBot, hub: Any, panel: PolicyPrintPanel, clerk: Session
) -> None:
    open_document(qtbot, panel, JQ_POLICY)
    assert panel.layout_name == "jq-policy"  # the pre-printed form comes first
    assert "JQ0000100001" in panel.form_hint.text()
    assert "on top of the printer's stack" in panel.form_hint.text()

    press_print(qtbot, panel)
    question = wait_question(qtbot, panel)
    assert question.text() == "Did form JQ0000100001 come out right?"
    # Not printed until the clerk says so: the form waits for the answer.
    assert ledger(hub, 100001)[0] == "issued"
    assert clerk.client.print_jobs()[0].state == "to_confirm"
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: job_state(panel, "JQ0000100001") == "printed", timeout=WAIT_MS)
    assert ledger(hub, 100001) == ("used", "clerk", JQ_POLICY)
    assert "JQ0000100001 is used for" in panel.message.text()
    qtbot.waitUntil(
        lambda: panel.document is not None and panel.document.printed_at is not None,
        timeout=WAIT_MS,
    )
    out = printed_pdf(clerk, f"{JQ_POLICY}-JQ0000100001-1.pdf")
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) == pytest.approx(241 * MM, abs=2)  # no fit-to-page
    assert float(page.mediabox.height) == pytest.approx(140 * MM, abs=2)
    assert "/XObject" in page["/Resources"]  # the fields were drawn

    # Printed once: F9 again is a reprint and asks why; without a reason nothing happens.
    qtbot.waitUntil(lambda: "JQ0000100002" in panel.form_hint.text(), timeout=WAIT_MS)
    press_print(qtbot, panel)
    qtbot.waitUntil(lambda: panel.reprint_dialog is not None, timeout=WAIT_MS)
    dialog = panel.reprint_dialog
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    assert not ok.isEnabled()  # the reason is required
    dialog.reject()
    qtbot.waitUntil(lambda: panel.reprint_dialog is None)
    assert "a reprint needs its reason" in panel.message.text()
    assert len(clerk.client.print_jobs()) == 1


def test_a_misprint_is_voided_with_the_managers_approval_and_printed_on_the_next_form(
    qtbot: QtBot, hub: Any, panel: PolicyPrintPanel, clerk: Session
) -> None:
    open_document(qtbot, panel, JQ_POLICY)
    press_print(qtbot, panel)
    question = wait_question(qtbot, panel)
    qtbot.mouseClick(question.misprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.misprint_dialog is not None, timeout=WAIT_MS)
    dialog = panel.misprint_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.supervisor.isVisible()
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.reason.setEditText("Printed out of place")
    qtbot.keyClicks(dialog.supervisor, "manager")

    # A wrong password: said in the dialog, which stays open; nothing is voided.
    qtbot.keyClicks(dialog.password, "not-the-password")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Nothing was voided" in dialog.message.text(), timeout=WAIT_MS)
    assert "username or password is wrong" in dialog.message.text()
    assert dialog.isVisible()
    assert panel.misprint_dialog is dialog
    assert dialog.password.text() == ""
    assert ledger(hub, 100001)[0] == "issued"

    qtbot.keyClicks(dialog.password, DEMO_PASSWORDS["manager"])
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: panel.again_question is not None, timeout=WAIT_MS)
    assert ledger(hub, 100001)[0] == "voided"
    again = panel.again_question
    assert again is not None
    assert again.text() == "Print again on the next form JQ0000100002?"
    again.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[union-attr]

    question = wait_question(qtbot, panel)
    assert question.job.serial == "JQ0000100002"
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job_state(panel, "JQ0000100002") == "printed", timeout=WAIT_MS)
    assert ledger(hub, 100002) == ("used", "clerk", JQ_POLICY)
    assert job_state(panel, "JQ0000100001") == "misprinted"
    reprint = next(j for j in panel.jobs if j.serial == "JQ0000100002")
    spoiled = next(j for j in panel.jobs if j.serial == "JQ0000100001")
    assert reprint.reprint_of == spoiled.id
    assert printed_pdf(clerk, f"{JQ_POLICY}-JQ0000100002-1.pdf").is_file()


def test_a_failed_print_keeps_its_form_and_retry_prints_on_it(
    qtbot: QtBot,
    hub: Any,
    panel: PolicyPrintPanel,
    clerk: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_print = policy_print.print_pdf
    attempts: list[str] = []

    def jammed_once(source: Path, printer: Any) -> int:
        attempts.append(source.name)
        if len(attempts) == 1:
            raise OfficePrintFailed("paper jam", printer=PRINTER)
        return real_print(source, printer)

    monkeypatch.setattr(policy_print, "print_pdf", jammed_once)
    open_document(qtbot, panel, JQ_POLICY)
    press_print(qtbot, panel)
    qtbot.waitUntil(lambda: job_state(panel, "JQ0000100001") == "failed", timeout=WAIT_MS)
    failed = next(j for j in panel.jobs if j.serial == "JQ0000100001")
    assert "paper jam" in failed.error
    assert "press Retry" in panel.message.text()
    assert panel.printed_question is None  # nothing to confirm
    assert not panel.busy_bar.isVisible()
    assert ledger(hub, 100001)[0] == "issued"
    # The form is still on top of the stack: a new print waits until the job is settled.
    qtbot.waitUntil(lambda: "still held" in panel.form_hint.text(), timeout=WAIT_MS)

    panel.select_job(failed.id)
    assert panel.retry_button.isEnabled()
    assert panel.misprint_button.isEnabled()
    assert not panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.retry_button, Qt.MouseButton.LeftButton)
    question = wait_question(qtbot, panel)
    assert question.job.serial == "JQ0000100001"  # the same form
    assert question.job.attempts == 2
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job_state(panel, "JQ0000100001") == "printed", timeout=WAIT_MS)
    assert ledger(hub, 100001) == ("used", "clerk", JQ_POLICY)
    assert len(attempts) == 2
    assert printed_pdf(clerk, f"{JQ_POLICY}-JQ0000100001-2.pdf").is_file()


def test_answering_later_leaves_the_job_to_confirm_in_the_queue(
    qtbot: QtBot, hub: Any, panel: PolicyPrintPanel
) -> None:
    open_document(qtbot, panel, "EDAA202644010000000101")  # an endorsement: the PD form
    assert panel.layout_name == "endorsement"
    assert "PD0000300001" in panel.form_hint.text()
    press_print(qtbot, panel)
    question = wait_question(qtbot, panel)
    qtbot.mouseClick(question.later_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job_state(panel, "PD0000300001") == "to_confirm", timeout=WAIT_MS)
    assert panel.queue.item(0, 0).text() == "Awaiting confirmation"
    # The form left the stack: the next print goes on the next one.
    qtbot.waitUntil(lambda: "PD0000300002" in panel.form_hint.text(), timeout=WAIT_MS)
    job = next(j for j in panel.jobs if j.serial == "PD0000300001")
    panel.select_job(job.id)
    assert panel.confirm_button.isEnabled()
    assert not panel.cancel_button.isEnabled()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job_state(panel, "PD0000300001") == "printed", timeout=WAIT_MS)


def _broken_file(tmp_path: Path) -> Path:
    batch = json.loads(
        (Path(__file__).parents[2] / "resources" / "policies" / "demo.json").read_text("utf-8")
    )
    new = json.loads(json.dumps(batch["policies"][0]))
    new["policy_number"] = "PDZA202644010000009999"
    del new["vehicle"]["plate"]  # required
    batch["policies"].append(new)
    batch["policies"][1]["product"] = "motorbike"  # enum
    batch["policies"][0]["vehicle"]["vin"] = "NOT-A-VIN"  # pattern
    path = tmp_path / "core-export.json"
    path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_broken_policy_file_lists_every_error_and_imports_nothing(
    qtbot: QtBot, panel: PolicyPrintPanel, clerk: Session, tmp_path: Path
) -> None:
    panel.import_file(_broken_file(tmp_path))
    qtbot.waitUntil(
        lambda: panel.import_report is not None and panel.import_report.isVisible(),
        timeout=WAIT_MS,
    )
    report = panel.import_report
    assert report is not None
    assert report.refused_file
    rows = dict(report.rows())
    assert rows["policies[4].vehicle.plate"] == "Missing: policies[4].vehicle.plate"
    assert rows["policies[0].vehicle.vin"] == "Wrong format: policies[0].vehicle.vin = NOT-A-VIN"
    assert rows["policies[1].product"].startswith("policies[1].product: motorbike is not one of")
    assert "nothing was imported: 3 errors" in report.summary.text()
    assert report.table.rowCount() == 3
    assert clerk.client.policy_documents("PDZA202644010000009999") == []
    assert "nothing was imported" in panel.message.text()
    report.close()

    not_json = tmp_path / "half.json"
    not_json.write_text('{"format": ', encoding="utf-8")
    panel.import_file(not_json)
    qtbot.waitUntil(lambda: report.isVisible() and "half.json" in report.summary.text())
    assert report.rows() == [("(file)", "Not a JSON file (line:column 1:12)")]
    report.close()

    # The same demo file again: every document unchanged.
    panel.import_file(Path(__file__).parents[2] / "resources" / "policies" / "demo.json")
    qtbot.waitUntil(lambda: report.isVisible() and not report.refused_file, timeout=WAIT_MS)
    assert "0 added, 0 updated, 9 unchanged, 0 refused" in report.summary.text()


def test_the_preview_is_the_real_size_of_the_form(qtbot: QtBot, panel: PolicyPrintPanel) -> None:
    open_document(qtbot, panel, JQ_POLICY)
    size = panel.preview.pixmap().deviceIndependentSize()
    assert size.width() == pytest.approx(241 / 25.4 * panel.preview.logicalDpiX(), abs=2)
    assert size.height() == pytest.approx(140 / 25.4 * panel.preview.logicalDpiY(), abs=2)
    assert panel.preview.page_mm() == pytest.approx((241, 140), abs=0.1)

    panel.fit_box.setChecked(True)
    fitted = panel.preview.pixmap().deviceIndependentSize()
    room = panel.preview.viewport().size()
    assert fitted.width() <= room.width()
    assert fitted.height() <= room.height()
    assert fitted.width() / fitted.height() == pytest.approx(241 / 140, rel=0.02)

    panel.fit_box.setChecked(False)
    panel.choose_layout("jq-policy-plain")  # plain A4: the preview follows the paper
    qtbot.waitUntil(
        lambda: panel.preview.page_mm() == pytest.approx((210, 297), abs=0.5), timeout=WAIT_MS
    )
    assert "plain paper" in panel.form_hint.text()


def test_saving_the_fields_as_pdf(qtbot: QtBot, panel: PolicyPrintPanel, tmp_path: Path) -> None:
    open_document(qtbot, panel, JQ_POLICY)
    target = tmp_path / "out" / "policy.pdf"
    target.parent.mkdir()
    panel.save_pdf(target)
    qtbot.waitUntil(lambda: "Saved at" in panel.message.text(), timeout=WAIT_MS)
    page = PdfReader(target).pages[0]
    assert float(page.mediabox.width) == pytest.approx(241 * MM, abs=2)


def test_continuation_pages_go_to_the_office_printer_not_the_next_form(
    qtbot: QtBot, hub: Any, panel: PolicyPrintPanel, clerk: Session
) -> None:
    import json

    from counter_app.config.resources import demo_policies_file

    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    policy = batch["policies"][1]
    policy["policy_number"] = "PDAA202644010000009999"
    policy["coverages"] += [
        {"code": f"X{n}", "name": f"附加险第{n}项", "limit": "1000.00", "premium": "1.00"}
        for n in range(14)
    ]
    total = sum(float(c["premium"]) for c in policy["coverages"])
    policy["premium_total"] = f"{total:.2f}"
    batch["policies"], batch["endorsements"] = [policy], []
    clerk.client.import_policies(json.dumps(batch).encode())
    panel.reload()
    open_document(qtbot, panel, policy["policy_number"])
    assert panel.layout_name == "sy-policy"

    with qtbot.waitSignal(panel.attachment_printed, timeout=WAIT_MS) as printed:
        press_print(qtbot, panel)
    question = wait_question(qtbot, panel)
    attachment = PdfReader(printed.args[0])  # the simulated office printer's output
    job = clerk.client.print_jobs()[0]
    assert job.attachment_pages >= 1
    assert len(attachment.pages) == job.attachment_pages
    form = PdfReader(printed_pdf(clerk, f"{policy['policy_number']}-SY0000200001-1.pdf"))
    assert len(form.pages) == 1  # the numbered form got its page, nothing more
    qtbot.mouseClick(question.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job_state(panel, "SY0000200001") == "printed", timeout=WAIT_MS)


def test_the_clerk_workspace_opens_on_policy_printing(qtbot: QtBot, clerk: Session) -> None:
    from counter_app.ui.workspaces.posts import ClerkWorkspace

    workspace = ClerkWorkspace(clerk)
    qtbot.addWidget(workspace, before_close_func=lambda w: w.session.tasks.wait(5000))
    workspace.resize(1280, 720)
    workspace.show()
    qtbot.waitExposed(workspace)
    tabs = workspace.post_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Policy printing",
        "Calling",
        "Services and printers",
    ]
    tabs.setCurrentWidget(workspace.calling)
    workspace.handle_scan(JQ_POLICY)  # scanned with no scan field focused
    assert tabs.currentWidget() is workspace.printing
    qtbot.waitUntil(
        lambda: (
            workspace.printing.document is not None
            and workspace.printing.document.number == JQ_POLICY
        ),
        timeout=WAIT_MS,
    )
    workspace.grab().save("/tmp/clerk-workspace.png")


def test_a_blank_form_spoiled_before_printing_is_voided_with_a_supervisor(
    qtbot: QtBot, hub: Any, panel: PolicyPrintPanel
) -> None:
    open_document(qtbot, panel, JQ_POLICY)
    assert "JQ0000100001" in panel.form_hint.text()
    panel.void_blank()
    dialog = panel.void_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.serial.text() == "JQ0000100001"  # the form on top, offered
    dialog.reason.setEditText("装纸时撕破")
    dialog.supervisor.setText("manager")
    dialog.password.setText("wrong password")
    dialog.submit()
    qtbot.waitUntil(lambda: "wrong" in dialog.message.text(), timeout=WAIT_MS)
    assert ledger(hub, 100001)[0] == "issued"  # nothing voided
    assert dialog.isVisible()
    dialog.password.setText(DEMO_PASSWORDS["manager"])
    with qtbot.waitSignal(dialog.voided, timeout=WAIT_MS):
        dialog.submit()
    assert ledger(hub, 100001)[0] == "voided"
    qtbot.waitUntil(lambda: "JQ0000100002" in panel.form_hint.text(), timeout=WAIT_MS)
