"""Link a waiting-area TV to the hub's web board: make a display key, show its address and QR.

The TV's browser opens ``<hub>/board?key=...``. The key lets that one screen read the board and
nothing else, so no staff password is ever typed on a TV; a lost or replaced screen's key is
revoked here. The hub keeps only the key's hash: the address is shown once, when it is made.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import qrcode
from PySide6.QtCore import QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.hub.schemas import BoardKeyCreated, BoardKeyOut
from counter_app.ui.workspaces.base import Session

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` as rows of dark (True) and light modules, without a border."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class QrCodeView(QWidget):
    """Paints a QR matrix with square modules and a white quiet zone, scaled to fit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = []
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(260, 260)

    def set_matrix(self, matrix: list[list[bool]]) -> None:
        self.matrix = matrix
        self.update()

    def module_rect(self, row: int, column: int) -> QRectF:
        """Where the module at (row, column) is painted, in widget coordinates."""
        side, left, top = self._geometry()
        return QRectF(left + column * side, top + row * side, side, side)

    def _geometry(self) -> tuple[float, float, float]:
        count = len(self.matrix) + 2 * QUIET_ZONE
        # Whole pixels per module, so every module is equally sharp on the screen and in a photo.
        side = float(max(1, min(self.width(), self.height()) // max(count, 1)))
        left = (self.width() - side * len(self.matrix)) / 2
        top = (self.height() - side * len(self.matrix)) / 2
        return side, left, top

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        dark = QColor("black")
        for r, row in enumerate(self.matrix):
            for c, on in enumerate(row):
                if on:
                    painter.fillRect(self.module_rect(r, c), dark)
        painter.end()


class BoardLinkDialog(QDialog):
    """Make a board address for one TV, show it as text and QR code; list and revoke keys."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardLinkDialog")
        self.setWindowTitle(self.tr("Waiting-area board on a TV"))
        self._session = session
        self._keys: list[BoardKeyOut] = []

        intro = QLabel(
            self.tr(
                "Open this address in the browser of the waiting-area TV, or scan the code with "
                "it. The address lets that screen show the board and nothing else; no staff "
                "password is needed on the TV."
            )
        )
        intro.setWordWrap(True)

        self.loopback_warning = QLabel(
            self.tr(
                "The hub answers on this computer only (%1): a TV cannot reach this address. "
                "Run the hub on the branch network to use a TV."
            ).replace("%1", session.client.base_url)
        )
        self.loopback_warning.setObjectName("loopbackWarning")
        self.loopback_warning.setWordWrap(True)
        self.loopback_warning.setStyleSheet("color: #b71c1c;")
        self.loopback_warning.setVisible(is_loopback(session.client.base_url))

        self.label = QLineEdit(self.tr("Waiting-area TV"))
        self.label.setObjectName("screenName")
        self.label.setMaxLength(64)
        self.create_button = QPushButton(self.tr("Create address"))
        self.create_button.setObjectName("createBoardKey")
        self.create_button.clicked.connect(self._create)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("Screen name:")))
        name_row.addWidget(self.label, 1)
        name_row.addWidget(self.create_button)

        self.qr = QrCodeView()
        self.qr.setObjectName("boardQr")
        # The whole address stays visible (wrapped anywhere: it has no spaces) and selectable.
        self.url = QPlainTextEdit()
        self.url.setObjectName("boardUrl")
        self.url.setReadOnly(True)
        self.url.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.url.setMinimumWidth(380)
        self.url.setFixedHeight(self.url.fontMetrics().lineSpacing() * 3 + 14)
        self.copy_button = QPushButton(self.tr("Copy address"))
        self.copy_button.setObjectName("copyBoardUrl")
        self.copy_button.clicked.connect(self._copy)
        once = QLabel(
            self.tr(
                "The address is shown only now: the hub keeps no copy of its key. If the TV is "
                "lost or replaced, revoke its address below."
            )
        )
        once.setWordWrap(True)
        url_column = QVBoxLayout()
        url_column.addWidget(QLabel(self.tr("Address for the TV:")))
        url_column.addWidget(self.url)
        url_column.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignLeft)
        url_column.addWidget(once)
        url_column.addStretch(1)
        result_row = QHBoxLayout()
        result_row.addWidget(self.qr)
        result_row.addLayout(url_column, 1)
        self.link_box = QWidget()
        self.link_box.setObjectName("boardResult")
        self.link_box.setLayout(result_row)
        self.link_box.setVisible(False)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("boardKeys")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Screen"), self.tr("Created"), self.tr("By"), self.tr("State")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.revoke_button = QPushButton(self.tr("Revoke address"))
        self.revoke_button.setObjectName("revokeBoardKey")
        self.revoke_button.setEnabled(False)
        self.revoke_button.clicked.connect(self._revoke)

        self.status = QLabel()
        self.status.setObjectName("boardStatus")
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.loopback_warning)
        layout.addLayout(name_row)
        layout.addWidget(self.link_box)
        layout.addWidget(QLabel(self.tr("Screens linked to this hub:")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 620)
        self._refresh()

    # --- hub calls ---
    def _refresh(self) -> None:
        self._session.call(self._session.client.board_keys).success(self._show_keys).failure(
            self._show_error
        )

    @Slot()
    def _create(self) -> None:
        label = self.label.text().strip()
        if not label:
            self.status.setText(self.tr("Give the screen a name first."))
            return
        self.create_button.setEnabled(False)
        self.status.clear()
        client = self._session.client
        self._session.call(lambda: client.create_board_key(label)).success(
            self._show_created
        ).failure(self._create_failed)

    @Slot()
    def _revoke(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._keys):
            return
        key_id = self._keys[row].id
        client = self._session.client
        self.revoke_button.setEnabled(False)
        self._session.call(lambda: client.revoke_board_key(key_id)).success(
            lambda _view: self._refresh()
        ).failure(self._show_error)

    # --- results ---
    def board_url(self, created: BoardKeyCreated) -> str:
        return self._session.client.base_url + created.url_path

    def _show_created(self, created: BoardKeyCreated) -> None:
        url = self.board_url(created)
        self.url.setPlainText(url)
        self.qr.set_matrix(qr_matrix(url))
        self.link_box.setVisible(True)
        self.create_button.setEnabled(True)
        self.status.setText(
            self.tr("Address created for \u201c%1\u201d.").replace("%1", created.label)
        )
        self._refresh()

    def _create_failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self._show_error(error)

    def _show_keys(self, keys: list[BoardKeyOut]) -> None:
        self._keys = keys
        self.table.setRowCount(len(keys))
        for row, key in enumerate(keys):
            state = self.tr("Revoked") if key.revoked_at else self.tr("In use")
            cells = (
                key.label,
                key.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                key.created_by,
                state,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def _show_error(self, error: BaseException) -> None:
        self.status.setText(self._session.messages.describe(error))

    @Slot()
    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        selected = bool(self.table.selectedItems()) and 0 <= row < len(self._keys)
        self.revoke_button.setEnabled(selected and self._keys[row].revoked_at is None)

    @Slot()
    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url.toPlainText())
