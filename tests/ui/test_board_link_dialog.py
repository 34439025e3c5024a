"""The board-link dialog against a real demo hub: make an address for a TV, its QR, revoke it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.client.hub_client import HubClient
from counter_app.ui.board_link_dialog import QUIET_ZONE, BoardLinkDialog, is_loopback, qr_matrix
from tests.ui.support import OFFSCREEN_NOISE, session_for

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
WAIT_MS = 10_000


def open_dialog(qtbot, client: HubClient, username: str) -> BoardLinkDialog:  # type: ignore[no-untyped-def]
    dialog = BoardLinkDialog(session_for(client, username))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def painted_matrix(dialog: BoardLinkDialog) -> list[list[bool]]:
    """Read the QR code back from the widget's pixels, one sample at each module's centre."""
    image = dialog.qr.grab().toImage()
    size = len(dialog.qr.matrix)
    rows = []
    for r in range(size):
        row = []
        for c in range(size):
            centre = dialog.qr.module_rect(r, c).center()
            row.append(image.pixelColor(int(centre.x()), int(centre.y())).lightness() < 128)
        rows.append(row)
    return rows


def test_a_guide_makes_an_address_for_a_tv_and_revokes_it(
    qtbot,  # type: ignore[no-untyped-def]
    hub_client: HubClient,
    tmp_path: Path,
) -> None:
    dialog = open_dialog(qtbot, hub_client, "guide")
    assert dialog.loopback_warning.isVisibleTo(dialog)  # the test hub is on 127.0.0.1
    assert not dialog.link_box.isVisibleTo(dialog)

    # Typed by an input method in real life; QTest cannot type CJK key events.
    dialog.label.setText("大厅电视")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.url.toPlainText() != "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)

    url = dialog.url.toPlainText()
    assert url.startswith(hub_client.base_url + "/board?key=")
    assert dialog.link_box.isVisibleTo(dialog)
    assert dialog.table.item(0, 0).text() == "大厅电视"
    assert dialog.table.item(0, 2).text() == "guide"
    key = url.split("key=", 1)[1]
    board = httpx.get(f"{hub_client.base_url}/api/board/snapshot", params={"key": key})
    assert board.status_code == 200

    # The code on screen is the address: every module painted as the encoder made it.
    assert dialog.qr.matrix == qr_matrix(url)
    assert painted_matrix(dialog) == dialog.qr.matrix
    assert dialog.qr.module_rect(0, 0).left() >= QUIET_ZONE * dialog.qr.module_rect(0, 0).width()

    dialog.copy_button.click()
    assert QApplication.clipboard().text() == url

    dialog.grab().save(str(tmp_path / "board-link-dialog.png"))

    dialog.table.selectRow(0)
    assert dialog.revoke_button.isEnabled()
    qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text() == "Revoked", timeout=WAIT_MS)
    assert not dialog.revoke_button.isEnabled()
    refused = httpx.get(f"{hub_client.base_url}/api/board/snapshot", params={"key": key})
    assert refused.status_code == 401


def test_a_clerk_is_told_the_post_may_not_link_screens(qtbot, hub_client: HubClient) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, hub_client, "clerk")
    qtbot.waitUntil(lambda: dialog.status.text() != "", timeout=WAIT_MS)
    listing_error = dialog.status.text()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.create_button.isEnabled, timeout=WAIT_MS)
    assert dialog.url.toPlainText() == ""
    assert not dialog.link_box.isVisibleTo(dialog)
    assert dialog.status.text() == listing_error  # the same refusal, in words
    assert "auth.forbidden" not in dialog.status.text()


def test_an_empty_name_is_refused_before_asking_the_hub(qtbot, hub_client: HubClient) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, hub_client, "manager")
    dialog.label.clear()
    dialog.create_button.click()
    assert dialog.status.text() == "Give the screen a name first."
    assert dialog.create_button.isEnabled()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8710", True),
        ("http://localhost:8710", True),
        ("http://[::1]:8710", True),
        ("http://192.168.1.20:8710", False),
        ("http://hub.branch.lan:8710", False),
    ],
)
def test_loopback_addresses_are_recognised(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback
