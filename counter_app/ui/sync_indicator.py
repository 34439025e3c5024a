"""The branch's replication to head office at a glance: a small mark at the right of the status bar.

Every post sees it. It asks the hub every few seconds, and as soon as the hub link is back, off
the GUI thread. A poll that fails because the hub is away says nothing: the connection banner
says that already.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from counter_app.client.hub_client import HubError
from counter_app.hub.schemas import SyncStatusOut
from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

POLL_MS = 10_000

# One colour per tone; amber as the hub banner, red as the error texts elsewhere.
STYLE = """
#syncIndicator { border-radius: 3px; padding: 1px 8px; margin: 1px 2px; }
#syncIndicator[tone="ok"] { background: #e8f5e9; color: #1b5e20; }
#syncIndicator[tone="busy"] { background: #e3f2fd; color: #0d47a1; }
#syncIndicator[tone="warning"] { background: #fff3cd; color: #5c4400; }
#syncIndicator[tone="error"] { background: #ffebee; color: #b00020; }
#syncIndicator[tone="off"] { background: #eeeeee; color: #616161; }
"""


def local_time(at: datetime, now: datetime | None = None) -> str:
    """The branch's clock time; the date too when it was not today."""
    local = at.astimezone()
    today = (now or datetime.now()).astimezone().date()
    return local.strftime("%H:%M" if local.date() == today else "%Y-%m-%d %H:%M")


class SyncIndicator(QLabel):
    """Head office sync: OK, sending, link down (amber), refused (red), or not enrolled (grey)."""

    def __init__(
        self, session: Session, poll_ms: int = POLL_MS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setStyleSheet(STYLE)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._session = session
        self.status: SyncStatusOut | None = None
        self._polling = False
        self._last_failure = ""
        # The hub gives the wait it chose at the failure, not what is left of it: count down here.
        self._retry_key: tuple[str, str, str, float] | None = None
        self._retry_at = 0.0
        self._every = QTimer(self)
        self._every.setInterval(poll_ms)
        self._every.timeout.connect(self.poll)
        self._every.start()
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._render)
        session.link.link_changed.connect(self._link_changed)
        self.setVisible(False)  # until the hub has told how it stands
        self.poll()

    def tone(self) -> str:
        return str(self.property("tone") or "")

    def retranslate(self) -> None:
        self._render()

    # --- asking the hub ---
    @Slot()
    def poll(self) -> None:
        if self._polling or not self._session.link.up:
            return  # one question at a time; while the hub is away the link probes it
        self._polling = True
        self._session.call(self._session.client.sync_status).success(self._polled).failure(
            self._poll_failed
        )

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self.poll()

    def _polled(self, status: SyncStatusOut) -> None:
        self._polling = False
        self._last_failure = ""
        self.show_status(status)

    def _poll_failed(self, error: BaseException) -> None:
        self._polling = False
        if isinstance(error, HubError) and (error.unreachable or error.needs_login):
            return  # the banner or the re-login dialog already says so
        text = str(error)
        if text != self._last_failure:  # once, not every ten seconds
            log.warning("head office sync status unavailable: %s", text)
            self._last_failure = text

    # --- showing ---
    def show_status(self, status: SyncStatusOut) -> None:
        self.status = status
        if status.state in ("offline", "refused"):
            key = (status.state, status.last_error_code, status.last_error, status.retry_in_seconds)
            now = time.monotonic()
            # A new failure, or the same one again after its wait has run out: count afresh.
            if key != self._retry_key or now >= self._retry_at:
                self._retry_key = key
                self._retry_at = now + status.retry_in_seconds
            self._countdown.start()
        else:
            self._retry_key = None
            self._countdown.stop()
        self._render()

    def retry_in(self) -> int:
        """Whole seconds until the hub tries head office again; 0: trying now."""
        return max(0, math.ceil(self._retry_at - time.monotonic()))

    @Slot()
    def _render(self) -> None:
        status = self.status
        if status is None:
            self.setVisible(False)
            return
        tone, text, tip = self._describe(status)
        if self.tone() != tone:
            self.setProperty("tone", tone)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setText(text)
        self.setToolTip(tip)
        self.setVisible(True)

    def _describe(self, status: SyncStatusOut) -> tuple[str, str, str]:
        """The tone, the words in the bar, and the tooltip."""
        waiting = str(status.waiting)
        if status.state == "not_enrolled" or not status.enrolled:
            tip = (
                self.tr("Demo data is never sent to head office.")
                if self._session.demo
                else self.tr(
                    "This branch hub is not enrolled with head office: its records stay in the "
                    "branch. Branch IT enrols it once (counter-app hub enrol)."
                )
            )
            return "off", self.tr("Not enrolled with head office (this branch only)"), tip
        if status.state in ("offline", "refused"):
            seconds = self.retry_in()
            if status.state == "refused" and status.last_error_code == "sync.upgrade_required":
                # Retrying will not help: only an upgrade of this hub will; say so in the bar.
                tone = "error"
                text = self.tr(
                    "Upgrade this hub: head office no longer takes its records · %1 to send"
                )
            elif status.last_error_code == "sync.process_ended":
                # Not the link: the hub's own sync process ended; the hub starts another.
                tone = "warning"
                text = (
                    self.tr("Sync restarting · %1 to send · in %2 s")
                    if seconds
                    else self.tr("Sync restarting · %1 to send")
                )
            elif status.state == "refused":
                tone = "error"
                text = (
                    self.tr("Head office refuses the records · %1 to send · retry in %2 s")
                    if seconds
                    else self.tr("Head office refuses the records · %1 to send · retrying")
                )
            else:
                tone = "warning"
                text = (
                    self.tr("Head office link down · %1 to send · retry in %2 s")
                    if seconds
                    else self.tr("Head office link down · %1 to send · retrying")
                )
            text = text.replace("%1", waiting).replace("%2", str(seconds))
            return tone, text, self._error_words(status) + "\n" + self._details(status)
        if status.state == "sending" or status.waiting > 0:
            return (
                "busy",
                self.tr("Syncing · %1 to send").replace("%1", waiting),
                self._details(status),
            )
        if status.last_success is None:
            text = self.tr("Head office sync OK")
        else:
            text = self.tr("Head office sync OK · %1").replace(
                "%1", local_time(status.last_success)
            )
        return "ok", text, self._details(status)

    def _error_words(self, status: SyncStatusOut) -> str:
        if not status.last_error_code:
            return status.last_error
        return self._session.messages.error_text(
            status.last_error_code, {"reason": status.last_error}, detail=status.last_error
        )

    def _details(self, status: SyncStatusOut) -> str:
        last = (
            status.last_success.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if status.last_success is not None
            else self.tr("not yet")
        )
        pulled = (
            self.tr("Reference data from head office: publication %1, checked %2")
            .replace("%1", str(status.reference_revision))
            .replace("%2", local_time(status.last_pull))
            if status.last_pull is not None
            else self.tr("Reference data from head office: not checked yet")
        )
        return (
            self.tr("Branch %1 sends its records to head office by itself.\nLast sent: %2")
            .replace("%1", status.branch_code)
            .replace("%2", last)
            + "\n"
            + pulled
        )
