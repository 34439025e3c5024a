"""The rating pad (服务评价器): faces the customer at a window after their ticket is finished.

Four big buttons (or keys 1-4). No answer before the countdown ends is recorded as ``none``:
never counted as satisfied. A rating that cannot reach the hub is kept and sent again when the
link is back, so none is lost.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.client.hub_client import HubError
from counter_app.config.settings import RATING_SECONDS
from counter_app.hub.schemas import TicketOut

if TYPE_CHECKING:
    from counter_app.ui.workspaces.base import Session

log = logging.getLogger(__name__)

SCORES = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
REASONS = ("waiting", "attitude", "expertise", "process", "other")


class RatingPad(QWidget):
    rated = Signal(str, str)  # ticket id, score

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPad")
        self.session = session
        self.seconds = session.settings.get(RATING_SECONDS)
        self.ticket: TicketOut | None = None
        self._left = 0
        self._unsent: list[tuple[uuid.UUID, str, str]] = []
        self._sending = False

        self.pages = QStackedWidget()
        # Idle page: a welcome.
        self.welcome = QLabel()
        self.welcome.setObjectName("padWelcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        # Question page.
        question_page = QWidget()
        self.question = QLabel()
        self.question.setObjectName("padQuestion")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.question.setWordWrap(True)
        self.score_buttons: dict[str, QPushButton] = {}
        scores = QGridLayout()
        for index, score in enumerate(SCORES):
            button = QPushButton()
            button.setObjectName(f"score_{score}")
            button.setMinimumHeight(72)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _c=False, s=score: self.choose(s))
            scores.addWidget(button, index // 2, index % 2)
            self.score_buttons[score] = button
        self.countdown = QLabel()
        self.countdown.setObjectName("padCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        question_layout = QVBoxLayout(question_page)
        question_layout.addWidget(self.question)
        question_layout.addLayout(scores, 1)
        question_layout.addWidget(self.countdown)
        # Reasons page, after "dissatisfied".
        reasons_page = QWidget()
        self.reason_title = QLabel()
        self.reason_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason_title.setWordWrap(True)
        self.reason_buttons: dict[str, QPushButton] = {}
        reasons = QGridLayout()
        for index, reason in enumerate(REASONS):
            button = QPushButton()
            button.setObjectName(f"reason_{reason}")
            button.setCheckable(True)
            button.setMinimumHeight(48)
            reasons.addWidget(button, index // 2, index % 2)
            self.reason_buttons[reason] = button
        self.submit = QPushButton()
        self.submit.setObjectName("padSubmit")
        self.submit.setMinimumHeight(56)
        self.submit.clicked.connect(self._submit_dissatisfied)
        reasons_layout = QVBoxLayout(reasons_page)
        reasons_layout.addWidget(self.reason_title)
        reasons_layout.addLayout(reasons, 1)
        submit_row = QHBoxLayout()
        submit_row.addStretch(1)
        submit_row.addWidget(self.submit)
        reasons_layout.addLayout(submit_row)
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(question_page)
        self.pages.addWidget(reasons_page)
        self.status = QLabel()
        self.status.setObjectName("padStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)

        for index, score in enumerate(SCORES):
            key = QShortcut(QKeySequence(str(index + 1)), self)
            key.activated.connect(lambda s=score: self._key_score(s))
        QShortcut(QKeySequence(Qt.Key.Key_Return), self).activated.connect(self._key_submit)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._count_down)
        session.link.link_changed.connect(self._link_changed)
        big = QFont(self.font())
        big.setPointSize(max(16, big.pointSize() * 2))
        for label in (self.welcome, self.question, self.reason_title):
            label.setFont(big)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Rating pad"))
        self.welcome.setText(self.tr("Welcome. Thank you for your visit."))
        titles = {
            "very_satisfied": self.tr("Very satisfied (1)"),
            "satisfied": self.tr("Satisfied (2)"),
            "neutral": self.tr("Neutral (3)"),
            "dissatisfied": self.tr("Dissatisfied (4)"),
        }
        for score, button in self.score_buttons.items():
            button.setText(titles[score])
        reasons = {
            "waiting": self.tr("Waited too long"),
            "attitude": self.tr("Attitude"),
            "expertise": self.tr("Not professional"),
            "process": self.tr("Too complicated"),
            "other": self.tr("Other"),
        }
        for reason, button in self.reason_buttons.items():
            button.setText(reasons[reason])
        self.reason_title.setText(self.tr("Sorry. What went wrong? (optional)"))
        self.submit.setText(self.tr("Send"))
        self._show_question()

    # --- asking ---
    def ask(self, ticket: TicketOut) -> None:
        """A customer's ticket was finished: ask them to rate it."""
        if self.ticket is not None and self.ticket.id == ticket.id:
            return
        if any(p[0] == ticket.id for p in self._unsent):
            return  # already answered; only waiting to reach the hub
        if self.ticket is not None:
            self._record("none", "")  # the previous customer left without rating
        self.ticket = ticket
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self._left = self.seconds
        self._show_question()
        self.pages.setCurrentIndex(1)
        self._timer.start()

    def _show_question(self) -> None:
        number = self.ticket.number if self.ticket else ""
        self.question.setText(
            self.tr("How satisfied are you with the service for ticket %1?").replace("%1", number)
        )
        self.countdown.setText(
            self.tr("%1 s").replace("%1", str(self._left)) if self.ticket else ""
        )

    def _count_down(self) -> None:
        self._left -= 1
        if self._left <= 0:
            if self.pages.currentIndex() == 2:
                # They said "dissatisfied" and then walked away from the reasons: still a rating.
                self._submit_dissatisfied()
            else:
                self._record("none", "")
            return
        self.countdown.setText(self.tr("%1 s").replace("%1", str(self._left)))

    def _key_score(self, score: str) -> None:
        if self.pages.currentIndex() == 1:
            self.choose(score)

    def _key_submit(self) -> None:
        if self.pages.currentIndex() == 2:
            self._submit_dissatisfied()

    def choose(self, score: str) -> None:
        if self.ticket is None:
            return
        if score == "dissatisfied":
            self._left = self.seconds  # time to pick the reasons
            self.pages.setCurrentIndex(2)
            return
        self._record(score, "")

    def _submit_dissatisfied(self) -> None:
        reasons = ",".join(r for r, b in self.reason_buttons.items() if b.isChecked())
        self._record("dissatisfied", reasons)

    def _record(self, score: str, reason: str) -> None:
        ticket = self.ticket
        if ticket is None:
            return
        self.ticket = None
        self._timer.stop()
        self.pages.setCurrentIndex(0)
        self._unsent.append((ticket.id, score, reason))
        self._send_next()

    # --- sending: one at a time, in order, kept until the hub has it ---
    def _send_next(self) -> None:
        if self._sending or not self._unsent:
            return
        self._sending = True
        ticket_id, score, reason = self._unsent[0]
        client = self.session.client
        self.session.call(lambda: client.rate_ticket(ticket_id, score, reason)).success(
            self._sent
        ).failure(self._send_failed)

    def _sent(self, _result: object) -> None:
        self._sending = False
        ticket_id, score, _reason = self._unsent.pop(0)
        self.status.setText("")
        self.rated.emit(str(ticket_id), score)  # only once the hub has recorded it
        self._send_next()

    def _send_failed(self, error: BaseException) -> None:
        self._sending = False
        retry = isinstance(error, HubError) and (
            error.unreachable or error.needs_login or error.code.startswith("storage.")
        )
        if retry:
            # Kept, and sent again when the link is back (or after the re-login).
            self.status.setText(self.tr("Saved; will be sent when the hub is back."))
            return
        dropped = self._unsent.pop(0)
        log.warning("rating for %s refused: %s", dropped[0], error)
        self.status.setText(self.session.messages.describe(error))
        self._send_next()

    @Slot(bool)
    def _link_changed(self, up: bool) -> None:
        if up:
            self._send_next()

    def pending(self) -> int:
        return len(self._unsent)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ticket is not None:
            self._record("none", "")
        self._timer.stop()
        super().closeEvent(event)
