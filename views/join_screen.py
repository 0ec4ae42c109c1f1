"""The host's join screen: a QR code, the short address and its code, and who has joined so far.

The QR code is painted square by square from segno's matrix, so it stays sharp on a projector at
any size. The screen shows how far each participant is, never what they rated.
"""

from __future__ import annotations

import segno
from cutline.views.room_look import restyle, scaled_font, style_table
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: Light squares around the code, in modules: what QR readers expect.
QUIET_ZONE = 4


def big_type(label: QLabel, scale: float) -> None:
    """Bold type `scale` times the window's, through a style sheet (the panel's sheet would
    override a font set on the label)."""
    points = scaled_font(scale).pointSizeF()
    label.setStyleSheet(f"font-size: {points:.1f}pt; font-weight: 800;")


class QrCode(QWidget):
    """A QR code of one text, black on white whatever the theme (phones read it best so)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("joinQr")
        self.matrix: tuple = ()
        self.text = ""
        self.setMinimumSize(180, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_text(self, text: str) -> None:
        self.text = text
        self.matrix = tuple(tuple(bool(m) for m in row) for row in segno.make(text, error="m").matrix) if text else ()
        self.setAccessibleName(f"QR code of {text}" if text else "")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event) -> None:
        if not self.matrix:
            return
        painter = QPainter(self)
        modules = len(self.matrix) + 2 * QUIET_ZONE
        side = min(self.width(), self.height())
        unit = max(side // modules, 1)  # whole pixels per module: no blurred edges
        size = unit * modules
        left, top = (self.width() - size) // 2, (self.height() - size) // 2
        painter.fillRect(QRectF(left, top, size, size), QColor("#ffffff"))
        black = QColor("#000000")
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(left + (x + QUIET_ZONE) * unit, top + (y + QUIET_ZONE) * unit,
                                     unit, unit, black)
        painter.end()


class JoinScreen(QWidget):
    """What the host shows while the room is open; emits the host's intents."""

    removeRequested = Signal(str)   # a participant's name
    closeRequested = Signal()       # close the round (and reveal, for a rating round)
    cancelRequested = Signal()      # close the room and go back to rating on this laptop

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("joinScreen")
        self.heading = QLabel("Join from your phone or laptop", objectName="joinHeading")
        self.heading.setProperty("role", "heading")
        self.qr = QrCode()
        self.address = QLabel("", objectName="joinAddress")
        self.address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code = QLabel("", objectName="joinCode")
        self.code_caption = QLabel("Code", objectName="joinCodeCaption")
        self.steps = QLabel("", objectName="joinSteps", wordWrap=True)
        self.people = QTableWidget(0, 3, objectName="joinedTable")
        self.people.setHorizontalHeaderLabels(["Joined", "Role", "Progress"])
        self.people.verticalHeader().setVisible(False)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.people.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel("", objectName="joinSummary", wordWrap=True)
        self.problem = QLabel("", objectName="joinProblem", wordWrap=True)
        self.problem.setProperty("role", "problem")
        for label in (self.summary, self.problem):  # they may hold a participant's name: never markup
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.remove = QPushButton("Re&move participant", objectName="removeParticipant")
        self.cancel = QPushButton("Stop &sharing", objectName="stopSharing")
        self.close_round = QPushButton("&Close and reveal", objectName="closeRoom")
        self.close_round.setDefault(True)
        self._layout()
        self.apply_look()
        self.remove.clicked.connect(self._remove_current)
        self.close_round.clicked.connect(self.closeRequested)
        self.cancel.clicked.connect(self.cancelRequested)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.qr, 5)
        words = QVBoxLayout()
        words.addWidget(self.address)
        words.addWidget(self.code_caption)
        words.addWidget(self.code)
        words.addWidget(self.steps)
        words.addStretch(1)
        top.addLayout(words, 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top, 3)
        layout.addWidget(self.summary)
        layout.addWidget(self.people, 2)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.close_round)
        layout.addLayout(buttons)

    def apply_look(self, zoom: float | None = None) -> None:
        restyle(self)
        big_type(self.address, 1.5)
        big_type(self.code, 2.3)
        style_table(self.people, 1.5)

    # -- state ----------------------------------------------------------------------------------
    def set_room(self, address: str, code_shown: str, join_url: str, *, budget: bool = False,
                 idle_minutes: int = 30) -> None:
        """The address and code to show, and the full address the QR code holds."""
        self.qr.set_text(join_url)
        self.address.setText(address)
        self.code.setText(code_shown)
        what = "buy initiatives with your budget" if budget else "rate in private"
        self.steps.setText(
            f"1. Scan the code with your camera, or open the address and type the code.\n"
            f"2. Join with your name, then {what}.\n"
            f"Nobody sees anyone else's answers until the reveal. "
            f"The room closes by itself after {idle_minutes} minutes without activity.")
        self.close_round.setText("&Close the vote" if budget else "&Close and reveal")

    def set_progress(self, rows: list[tuple[str, str, str]], summary: str) -> None:
        """One row per participant: name, role, progress in words ("12 of 14 rated")."""
        chosen = self.current_name()
        self.people.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.people.setItem(r, c, item)
            if cells[0] == chosen:
                self.people.selectRow(r)
        self.summary.setText(summary)
        self.remove.setEnabled(bool(rows))

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)

    def current_name(self) -> str:
        row = self.people.currentRow()
        item = self.people.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else ""

    def _remove_current(self) -> None:
        name = self.current_name()
        if name:
            self.removeRequested.emit(name)


class JoinBadge(QFrame):
    """The join code in a corner of the presentation view: QR code, address and code."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("joinBadge")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.qr = QrCode()
        self.qr.setMinimumSize(150, 150)
        self.address = QLabel("", objectName="badgeAddress")
        self.code = QLabel("", objectName="badgeCode")
        self.summary = QLabel("", objectName="badgeSummary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.qr, 1)
        for label in (self.address, self.code, self.summary):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)

    def set_room(self, address: str, code_shown: str, join_url: str) -> None:
        self.qr.set_text(join_url)
        self.address.setText(address)
        self.code.setText(code_shown)
        big_type(self.address, 1.0)
        big_type(self.code, 1.45)

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)
