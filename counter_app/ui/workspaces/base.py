"""What every role workspace gets, and the shape it must have."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from counter_app.client.hub_client import HubClient, HubError
from counter_app.config.settings import Settings
from counter_app.domain.roles import Role
from counter_app.hub.schemas import EventOut, LoginResponse, ReferenceOut
from counter_app.ui.hub_link import HubLink
from counter_app.ui.messages import Messages
from counter_app.ui.tasks import Op, TaskRunner

T = TypeVar("T")


@dataclass
class Session:
    """The logged-in staff member at this workstation and the tools to reach the hub."""

    client: HubClient
    tasks: TaskRunner
    link: HubLink
    messages: Messages
    login: LoginResponse
    demo: bool
    # This workstation's settings (window number, ticket printer, call key); none in some tests.
    settings: Settings = field(default_factory=lambda: Settings(None))

    def call(self, work: Callable[[], T]) -> Op[T]:
        """A hub call off the GUI thread; link state follows its outcome."""
        return self._track(self.tasks.run(work))

    def _track(self, op: Op[T]) -> Op[T]:
        return op.success(lambda _r: self.link.report_ok()).failure(self.link.report)


class Workspace(QWidget):
    """One tab of the main window, for one role."""

    role: Role

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def title(self) -> str:
        return self.session.messages.role_tab(self.role)

    def show_reference(self, reference: ReferenceOut) -> None:
        """New reference data arrived (at login and whenever head office publishes)."""

    def handle_event(self, event: EventOut) -> None:
        """An event pushed by the hub."""

    def handle_scan(self, code: str) -> None:
        """A barcode scanned while no scan field had the focus (that field took it itself)."""

    def retranslate(self) -> None:
        """Set every text again after the language changed."""

    @Slot(object)
    def show_error(self, error: BaseException) -> None:
        if isinstance(error, HubError) and (error.unreachable or error.needs_login):
            return  # the banner or the re-login dialog already says so; one message is enough
        QMessageBox.warning(
            self, self.tr("Could not complete"), self.session.messages.describe(error)
        )
