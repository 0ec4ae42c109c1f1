"""The result of a budget vote beside the ranking: what the room bought, with each initiative's rank now."""

from __future__ import annotations

from cutline.models.rating.budget_vote import VOTES_COLUMN, BudgetResult
from cutline.views.room_look import restyle, style_table
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Initiative", "Price", "Bought", "Share", "Rank")
TIPS = ("", "Its effort", "How many participants bought it (hover for who)", "Of the participants",
        "Its rank in the current ranking")


class BudgetResultView(QWidget):
    """The vote's results, the most bought first; `useRequested` asks for the votes column."""

    useRequested = Signal()
    restartRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("budgetResult")
        self.heading = QLabel("What the room bought", objectName="budgetHeading")
        self.heading.setProperty("role", "heading")
        self.note = QLabel("", objectName="budgetNote", wordWrap=True)
        self.table = QTableWidget(0, len(COLUMNS), objectName="budgetTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, tip in enumerate(TIPS):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
            if column:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.state = QLabel("", objectName="budgetState", wordWrap=True)
        self.use = QPushButton(f"&Use as the '{VOTES_COLUMN}' input", objectName="useVotes")
        self.use.setToolTip(f"Adds a '{VOTES_COLUMN}' column (how many bought each initiative) that a "
                            f"criterion can read with source = \"{VOTES_COLUMN}\"; Undo takes it back")
        self.restart = QPushButton("&New round", objectName="budgetRestart")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restart)
        buttons.addStretch(1)
        buttons.addWidget(self.use)
        layout.addLayout(buttons)
        self.apply_look()
        self.use.clicked.connect(self.useRequested)
        self.restart.clicked.connect(self.restartRequested)

    def apply_look(self, zoom: float | None = None) -> None:
        restyle(self)
        style_table(self.table, 1.5)

    def set_results(self, results: list[BudgetResult], titles: dict[str, str], ranks: dict[str, str],
                    participants: int, budget: float) -> None:
        self.note.setText(f"{participants} participant{'s' * (participants != 1)} spent up to "
                          f"{budget:g} each; an initiative's price is its effort.")
        self.table.setRowCount(len(results))
        for r, result in enumerate(results):
            cells = (f"{result.ident}  {titles.get(result.ident, '')}", f"{result.price:g}",
                     f"{result.votes}", f"{result.share:.0%}", ranks.get(result.ident, ""))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 2:
                    item.setToolTip(", ".join(result.buyers) or "nobody")
                self.table.setItem(r, c, item)
        self.set_applied(False)

    def set_applied(self, applied: bool, text: str = "") -> None:
        self.use.setEnabled(not applied)
        self.state.setText(text)
