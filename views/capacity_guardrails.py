"""The guardrails table of the capacity editor: category, reserve % and cap % per row.

It checks what was typed as the user types, and marks the cell that breaks a rule (a share that
is not a number, outside 0 to 100%, a reserve above its cap, reserves adding up past 100%).
"""

from __future__ import annotations

import re

from cutline.models.capacity.capacity import Guardrail
from cutline.models.capacity.tables import validate_guardrails
from cutline.models.errors import CapacityError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Category", "Reserve %", "Cap %")
CATEGORY, RESERVE, CAP = range(3)


def error_colours() -> tuple[QColor, QColor]:
    """(text, cell background) for a mistake, readable on the light and the dark theme."""
    from cutline.views.theme import current_theme

    if current_theme().name == "dark":
        return QColor("#FF9E80"), QColor("#5A2A1E")
    return QColor("#B3261E"), QColor("#FCE4E1")


def percent_text(share: float | None) -> str:
    return "" if share is None else f"{share * 100:g}"


def parse_percent(text: str) -> float | None:
    """A share from "20", "20%" or "12.5 %"; None when blank; ValueError when not a number."""
    text = re.sub(r"\s*%\s*$", "", text.strip())
    return None if text == "" else float(text) / 100


class GuardrailTable(QWidget):
    """Edits guardrails as rows; `guardrails()` is valid whenever `problem` is ""."""

    changed = Signal()

    def __init__(self, guardrails: tuple[Guardrail, ...], categories: tuple[str, ...] = (), parent=None):
        super().__init__(parent)
        self.categories = categories
        self.problem = ""
        self.problem_cell: tuple[int, int] | None = None
        self.table = QTableWidget(0, len(COLUMNS), objectName="guardrailTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CATEGORY, QHeaderView.ResizeMode.Stretch)
        for col in (RESERVE, CAP):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(120)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton("Add guardrail", objectName="addGuardrail")
        self.remove_button = QPushButton("Remove guardrail", objectName="removeGuardrail")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.message = QLabel(objectName="guardrailMessage", wordWrap=True)
        self.message.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        for g in guardrails:
            self._append(g.category, percent_text(g.reserve or None), percent_text(g.cap))
        self.table.itemChanged.connect(lambda _: self.check())
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.check()

    def _append(self, category: str, reserve: str, cap: str) -> None:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate((category, reserve, cap)):
            item = QTableWidgetItem(text)
            if col != CATEGORY:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        self.table.blockSignals(False)

    def add_row(self) -> None:
        """A new row for the first category without a guardrail, ready to type a reserve."""
        taken = {self._text(r, CATEGORY).casefold() for r in range(self.table.rowCount())}
        free = next((c for c in self.categories if c.casefold() not in taken), "")
        self._append(free, "", "")
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, RESERVE if free else CATEGORY)
        self.check()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.check()

    def set_cell(self, row: int, col: int, text: str) -> None:
        """Type `text` into a cell, as the user would."""
        self.table.item(row, col).setText(text)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    # -- checking ------------------------------------------------------------------------------
    def _parsed(self) -> tuple[list[Guardrail], tuple[int, int, str] | None]:
        """The rows as guardrails, or the first cell that is not a share."""
        out = []
        for row in range(self.table.rowCount()):
            category = self._text(row, CATEGORY)
            shares = {}
            for col, label in ((RESERVE, "reserve"), (CAP, "cap")):
                try:
                    shares[label] = parse_percent(self._text(row, col))
                except ValueError:
                    return out, (row, col, f"The {label} {self._text(row, col)!r} of "
                                           f"{category or 'this row'} is not a percentage. Type a number "
                                           "such as 20.")
            out.append(Guardrail(category, shares["reserve"] or 0.0, shares["cap"]))
        return out, None

    def _first_broken(self, guardrails: list[Guardrail]) -> tuple[int, int, str] | None:
        """The row at which the guardrails stop being valid, and the cell to blame."""
        for row in range(len(guardrails)):
            try:
                validate_guardrails(guardrails[:row + 1])
            except CapacityError as exc:
                column = {"reserve": RESERVE, "cap": CAP}.get(exc.location.column or "", CATEGORY)
                if "above its cap" in exc.message:
                    column = RESERVE
                return row, column, f"{exc.message} {exc.hint}".strip()
        return None

    def check(self) -> str:
        """Mark the first mistake (cell and message); "" when the guardrails are valid."""
        guardrails, broken = self._parsed()
        if broken is None:
            broken = self._first_broken(guardrails)
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for col in range(len(COLUMNS)):
                item = self.table.item(row, col)
                item.setData(Qt.ItemDataRole.BackgroundRole, None)
                item.setToolTip("")
        text, background = error_colours()
        if broken is not None:
            row, col, message = broken
            item = self.table.item(row, col)
            item.setBackground(background)
            item.setToolTip(message)
        self.table.blockSignals(False)
        self.problem = "" if broken is None else broken[2]
        self.problem_cell = None if broken is None else broken[:2]
        self.message.setText(self.problem)
        self.message.setStyleSheet(f"color: {text.name()}; font-weight: 600;")
        self.message.setVisible(bool(self.problem))
        self.changed.emit()
        return self.problem

    def guardrails(self) -> tuple[Guardrail, ...]:
        """The guardrails as typed; call only when `problem` is ""."""
        return tuple(self._parsed()[0])

    def show_problem(self) -> None:
        """Put the cursor on the cell that is wrong."""
        if self.problem_cell is not None:
            self.table.setCurrentCell(*self.problem_cell)
            self.table.setFocus()
