"""The capacity proposal: one person-weeks figure per team for a workshop that has no capacity yet.

A dialog over plain data: it takes the quarters and, per team, (name, initiatives, asked effort,
proposed person-weeks per quarter), and hands back team -> person-weeks per quarter. The figures
are editable in place; "Set every team to" fills them all at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

POOL_LABEL = "No team (shared pool)"
MAX_PW = 100_000.0


def _spin(value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, MAX_PW)
    spin.setDecimals(1)
    spin.setSingleStep(1.0)
    spin.setSuffix(" pw")
    spin.setValue(value)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    return spin


class CapacityProposalDialog(QDialog):
    """Team -> person-weeks per quarter, prefilled; after OK, `figures()` is the result."""

    def __init__(self, *, quarters, teams, source_name: str = "", quarters_from_file: bool = False,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("capacityProposal")
        self.setWindowTitle("Set capacity for the new workshop")
        self.setMinimumWidth(640)
        self.quarters = tuple(quarters)
        self._teams = [t[0] for t in teams]
        span = self.quarters[0] if len(self.quarters) == 1 else f"{self.quarters[0]} to {self.quarters[-1]}"
        where = f"{source_name} has no Capacity sheet, so n" if source_name else "N"
        whence = "the target quarters in the file" if quarters_from_file else "the next quarters"
        intro = QLabel(
            f"<b>{where}othing can be funded until capacity is set.</b><br>"
            f"How many person-weeks can each team give per quarter, {span} ({whence})? "
            "The figures below spread each team's asked effort evenly over the quarters (and "
            "are at least its largest initiative), which would fund about everything: type what "
            "each team really has. You can change "
            "quarters and single cells later in Edit ▸ Capacity and guardrails.",
            objectName="proposalIntro")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        self.table = QTableWidget(len(teams), 4, objectName="proposalTable")
        self.table.setHorizontalHeaderLabels(["Team", "Initiatives", "Asked effort",
                                              "Person-weeks per quarter"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for row, (team, count, asked, per_quarter) in enumerate(teams):
            cells = (team or POOL_LABEL, f"{count:,}", f"{asked:g} pw")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            spin = _spin(per_quarter)
            spin.setObjectName(f"proposal_{row}")
            spin.setAccessibleName(f"Person-weeks per quarter for {team or POOL_LABEL}")
            self.table.setCellWidget(row, 3, spin)
            self.spins[team] = spin

        self.flat = _spin(max((t[3] for t in teams), default=10.0))
        self.flat.setObjectName("proposalFlat")
        self.flat_button = QPushButton("Set every team to this", objectName="proposalFlatButton")
        self.flat_button.clicked.connect(lambda: self.set_all(self.flat.value()))
        flat_row = QHBoxLayout()
        flat_row.addWidget(QLabel("Same figure for all:"))
        flat_row.addWidget(self.flat)
        flat_row.addWidget(self.flat_button)
        flat_row.addStretch(1)

        self.total = QLabel(objectName="proposalTotal")
        for spin in self.spins.values():
            spin.valueChanged.connect(self._show_total)
        self._show_total()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Set capacity")
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Not now")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(flat_row)
        layout.addWidget(self.total)
        layout.addWidget(buttons)

    # -- plain data in and out -----------------------------------------------------------------
    def figures(self) -> dict[str, float]:
        """Team (as the file spells it; "" for the pool) -> person-weeks per quarter."""
        return {team: float(spin.value()) for team, spin in self.spins.items()}

    def set_figure(self, team: str, value: float) -> None:
        self.spins[team].setValue(value)

    def set_all(self, value: float) -> None:
        for spin in self.spins.values():
            spin.setValue(value)

    def _show_total(self) -> None:
        per_quarter = sum(self.figures().values())
        self.total.setText(f"In all: {per_quarter:g} person-weeks per quarter, "
                           f"{per_quarter * len(self.quarters):g} over {len(self.quarters)} quarters.")
