"""The guide's ticket dispenser, driven by keys against a real demo hub and the simulated printer.

The ticket is saved before it is printed: with the printer out of paper the ticket still exists
in the queue, the guide sees the fault, and a reprint (audited) prints it once paper is back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import KIOSK_PRINTER, Settings
from counter_app.devices.ticket_printer import FakeTicketPrinter, fake_ticket_printer
from counter_app.printing.escpos_preview import decode
from counter_app.ui.kiosk import KioskPanel
from tests.ui.support import session_for

PRINTER = "fake:kiosk-test"


@pytest.fixture
def printer() -> Iterator[FakeTicketPrinter]:
    fake = fake_ticket_printer(PRINTER)
    fake.reset()
    yield fake
    fake.reset()


@pytest.fixture
def kiosk(qtbot: QtBot, hub, printer: FakeTicketPrinter) -> Iterator[KioskPanel]:  # type: ignore[no-untyped-def]
    settings = Settings(None)
    settings.set(KIOSK_PRINTER, PRINTER)
    client = HubClient(hub.url, "kiosk-1")
    session = session_for(client, "guide")
    session.settings = settings
    panel = KioskPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.service_buttons) == 5, timeout=5000)
    qtbot.waitUntil(lambda: panel.printer_state() == "ok", timeout=5000)
    panel.activateWindow()
    panel.setFocus()
    yield panel
    panel.shutdown()
    session.tasks.wait()
    client.close()


def test_number_key_issues_and_prints_a_ticket(
    qtbot: QtBot, kiosk: KioskPanel, printer: FakeTicketPrinter
) -> None:
    issued: list[object] = []
    kiosk.ticket_issued.connect(issued.append)
    qtbot.keyClick(kiosk, Qt.Key.Key_2)  # B 理赔单证
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.rows and kiosk.rows[0].printed, timeout=5000)
    ticket = kiosk.rows[0].ticket
    assert ticket.number == "B001"
    assert len(issued) == 1
    preview = decode(printer.jobs[0])
    text = "\n".join(preview.text_lines)
    assert "理赔单证" in text
    assert "演示分公司客服中心" in text
    assert preview.qr_payloads == [str(ticket.id)]
    assert "补打" not in text
    # The hub knows the ticket was printed.
    assert kiosk.session.client.ticket(ticket.id).print_count == 1


def test_priority_key_then_service(qtbot: QtBot, kiosk: KioskPanel) -> None:
    qtbot.keyClick(kiosk, Qt.Key.Key_F6)  # elderly
    assert kiosk.priority() == "elderly"
    qtbot.keyClick(kiosk, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: len(kiosk.rows) == 1, timeout=5000)
    assert kiosk.rows[0].ticket.priority is not None
    assert kiosk.rows[0].ticket.priority.value == "elderly"
    assert kiosk.priority() is None  # back to normal for the next customer


def test_paper_out_keeps_the_ticket_and_reprint_prints_it(
    qtbot: QtBot, kiosk: KioskPanel, printer: FakeTicketPrinter
) -> None:
    printer.paper_out = True
    qtbot.keyClick(kiosk, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: bool(kiosk.rows) and bool(kiosk.rows[0].problem), timeout=5000)
    row = kiosk.rows[0]
    assert not row.printed
    assert printer.jobs == []
    assert kiosk.printer_state() == "device.printer_paper_out"
    assert row.ticket.number in kiosk.message.text()
    # The ticket is in the queue all the same.
    client = kiosk.session.client
    assert client.ticket(row.ticket.id).state.value == "waiting"
    assert client.queue().services[0].waiting == 1

    printer.paper_out = False
    kiosk.recent.selectRow(0)
    assert kiosk.reprint_button.isEnabled()
    qtbot.mouseClick(kiosk.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.rows[0].printed, timeout=5000)
    assert "补打" in "\n".join(decode(printer.jobs[0]).text_lines)
    assert kiosk.printer_state() == "ok"
    manager = HubClient(client.base_url, "audit-reader")
    manager.login("manager", "manager1234")
    reprints = [e for e in manager.audit() if e.action == "queue.reprint"]
    manager.close()
    assert [e.subject for e in reprints] == [row.ticket.number]


def test_double_press_issues_one_ticket(qtbot: QtBot, kiosk: KioskPanel) -> None:
    qtbot.keyClick(kiosk, Qt.Key.Key_3)
    qtbot.keyClick(kiosk, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: len(kiosk.rows) == 1, timeout=5000)
    qtbot.wait(300)
    assert len(kiosk.rows) == 1
    assert kiosk.session.client.queue().issued_today == 1


def test_appointment_check_in_by_scan(qtbot: QtBot, kiosk: KioskPanel) -> None:
    manager = HubClient(kiosk.session.client.base_url, "booking")
    manager.login("manager", "manager1234")
    booking = manager.book_appointment(
        "V", "王先生", "13800000000", datetime.now(UTC) + timedelta(minutes=30)
    )
    manager.close()
    kiosk.checkin_code.accept_scan(booking.code)
    qtbot.waitUntil(lambda: len(kiosk.rows) == 1, timeout=5000)
    assert kiosk.rows[0].ticket.service == "V"
    assert kiosk.checkin_code.text() == ""
    issued_message = kiosk.message.text()
    kiosk.checkin_code.setText(booking.code)
    qtbot.keyClick(kiosk.checkin_code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.message.text() != issued_message, timeout=5000)
    expected = kiosk.session.messages.error_text(
        "queue.appointment_used", {"appointment": booking.code}
    )
    assert kiosk.message.text() == expected
    assert len(kiosk.rows) == 1


def test_unknown_appointment_is_a_clear_message(qtbot: QtBot, kiosk: KioskPanel) -> None:
    kiosk.checkin_code.setText("999999x")
    qtbot.keyClick(kiosk.checkin_code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.message.text() != "", timeout=5000)
    assert "999999x" in kiosk.message.text() or "appointment" in kiosk.message.text().lower()
    assert kiosk.rows == []
