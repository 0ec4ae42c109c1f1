"""The capacity editor: person-weeks per team and quarter, and guardrails per category.

A dialog over plain data: it takes a Capacity and hands back a Capacity. A mistake (a number
below zero, text that is not a number, a blank quarter name, guardrails over 100%) is shown in
words under the place it was made, its cell is marked, and OK refuses until it is fixed.
"""

from __future__ import annotations

import re

from cutline.models.capacity.capacity import POOL, Capacity
from cutline.models.capacity.edits import (
    adding_quarter,
    adding_team,
    removing_quarter,
    removing_team,
    with_capacity,
    with_team_capacity,
)
from cutline.models.capacity.planning import Planning
from cutline.models.capacity.tables import capacity_warnings, team_key
from cutline.models.errors import CapacityError
from cutline.views.capacity_guardrails import GuardrailTable, error_colours
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

ALL_QUARTERS = "All quarters"
POOL_NAME = "Shared pool"


def number_text(value: float) -> str:
    return f"{value:g}"


def _typed_number(text: str) -> str:
    """What was typed, without a trailing unit ("12 pw" is 12)."""
    return re.sub(r"\s*(pw|person-weeks?)\s*$", "", text.strip(), flags=re.IGNORECASE)


class CapacityEditor(QDialog):
    """Edit a Capacity; after OK, `capacity()` is the result."""

    def __init__(self, capacity: Capacity, *, categories: tuple[str, ...] = (), portfolio=None,
                 planning: Planning | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("capacityEditor")
        self.setWindowTitle("Capacity and guardrails")
        self.setMinimumSize(960, 700)
        self.resize(1060, 880)
        self.portfolio = portfolio
        self._capacity = Capacity(capacity.table.copy(), capacity.guardrails)
        self._teams: list[str] = []       # team of each grid row (POOL for the pool)
        self._quarters: list[str] = []    # quarter of each grid column after the first
        #: (team key, quarter or ALL_QUARTERS) -> (text typed, message) for cells not taken.
        self.cell_errors: dict[tuple[str, str], tuple[str, str]] = {}
        self._build(categories)
        self._set_planning(planning or Planning())
        self._fill_grid()

    # -- building ------------------------------------------------------------------------------
    def _build(self, categories: tuple[str, ...]) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel("Capacity in person-weeks, per team and quarter")
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        help_text = QLabel("Type a number in a cell; a blank cell means the team has no capacity of its own "
                           f"that quarter. Type in “{ALL_QUARTERS}” to give a team one number for every quarter.",
                           wordWrap=True)
        help_text.setProperty("role", "muted")
        layout.addWidget(help_text)
        self.grid = QTableWidget(objectName="capacityGrid")
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.horizontalHeader().setMinimumSectionSize(130)
        self.grid.setMinimumHeight(240)
        self.grid.itemChanged.connect(self._on_cell_changed)
        layout.addWidget(self.grid, 1)
        self.grid_message = self._message_label("capacityMessage")
        layout.addWidget(self.grid_message)
        below = QHBoxLayout()
        left = QVBoxLayout()
        for row in self._build_add_rows():
            left.addLayout(row)
        self.add_message = self._message_label("addMessage")
        left.addWidget(self.add_message)
        self.warnings = QLabel(objectName="capacityWarnings", wordWrap=True)
        self.warnings.setProperty("role", "muted")
        left.addWidget(self.warnings)
        left.addStretch(1)
        right = QVBoxLayout()
        rails = QLabel("Guardrails: a reserve only that category may use, and a cap it may not exceed, "
                       "as shares of each team's capacity in each quarter", wordWrap=True)
        rails.setProperty("role", "muted")
        right.addWidget(rails)
        self.guardrails = GuardrailTable(self._capacity.guardrails, categories)
        right.addWidget(self.guardrails, 1)
        below.addLayout(left, 1)
        below.addSpacing(16)
        below.addLayout(right, 1)
        layout.addLayout(below, 0)
        layout.addLayout(self._build_planning())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("capacityOk")
        for button in self.buttons.buttons():
            button.setAutoDefault(False)  # Enter in a field adds it; it does not close the dialog
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _build_add_rows(self) -> list[QHBoxLayout]:
        """Team controls on one line, quarter controls on the next."""
        self.team_name = QLineEdit(objectName="newTeam", placeholderText="New team's name")
        self.add_team_button = QPushButton("Add team", objectName="addTeam")
        self.remove_team_button = QPushButton("Remove team", objectName="removeTeam")
        self.add_pool_button = QPushButton("Add shared pool", objectName="addPool")
        self.add_pool_button.setToolTip("Capacity any team may use in a quarter where it has none of its own.")
        self.quarter_name = QLineEdit(objectName="newQuarter", placeholderText="New quarter, such as 2027-Q1")
        self.add_quarter_button = QPushButton("Add quarter", objectName="addQuarter")
        self.add_quarter_button.setToolTip("A new quarter starts with each team's capacity of the last quarter.")
        self.remove_quarter_button = QPushButton("Remove quarter", objectName="removeQuarter")
        rows = []
        for widgets in ((self.team_name, self.add_team_button), (self.quarter_name, self.add_quarter_button),
                        (self.remove_team_button, self.remove_quarter_button, self.add_pool_button)):
            row = QHBoxLayout()
            for widget in widgets:
                if isinstance(widget, QPushButton):
                    widget.setAutoDefault(False)
                row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
            rows.append(row)
        rows[-1].addStretch(1)
        self.team_name.returnPressed.connect(self.add_team)
        self.add_team_button.clicked.connect(self.add_team)
        self.quarter_name.returnPressed.connect(self.add_quarter)
        self.add_quarter_button.clicked.connect(self.add_quarter)
        self.remove_team_button.clicked.connect(self.remove_team)
        self.remove_quarter_button.clicked.connect(self.remove_quarter)
        self.add_pool_button.clicked.connect(self.add_pool)
        return rows

    def _build_planning(self) -> QVBoxLayout:
        """How work runs over quarters: the longest span, the largest share of a team-quarter,
        and whether due quarters are hard (docs/capacity.md)."""
        box = QVBoxLayout()
        heading = QLabel("Planning: how work runs over quarters")
        heading.setProperty("role", "heading")
        box.addWidget(heading)
        self.span_box = QSpinBox(objectName="planningSpan", minimum=1, maximum=12)
        self.span_box.setToolTip("1 places every initiative whole in one quarter.")
        self.share_box = QSpinBox(objectName="planningShare", minimum=1, maximum=100, suffix="%")
        self.share_box.setToolTip("So that one large initiative cannot take all of a team's quarter.")
        self.span_box.setAccessibleName("Most quarters one initiative may span")
        self.share_box.setAccessibleName("Most of a team's quarter one initiative may take")
        self.hard_box = QCheckBox("Due quarters are hard", objectName="planningHard")
        self.hard_box.setToolTip("Place an initiative with a due quarter so that it finishes by then, "
                                 "or refuse it with the reason; otherwise it is only marked late.")
        row = QHBoxLayout()
        for widget in (QLabel("One initiative may span up to"), self.span_box, QLabel("quarters"),
                       QLabel("and take at most"), self.share_box, QLabel("of a team's quarter")):
            row.addWidget(widget)
        row.addSpacing(16)
        row.addWidget(self.hard_box)
        row.addStretch(1)
        box.addLayout(row)
        return box

    def _set_planning(self, planning: Planning) -> None:
        self._planning = planning
        self.span_box.setValue(planning.max_span_quarters)
        self.share_box.setValue(round(planning.max_share_per_quarter * 100))
        self.hard_box.setChecked(planning.hard_due_dates)

    def planning(self) -> Planning:
        """The planning as edited; the share as given unless its whole percent was changed."""
        before = self._planning
        share = self.share_box.value() / 100
        if self.share_box.value() == round(before.max_share_per_quarter * 100):
            share = before.max_share_per_quarter  # 33.3% shown as 33% stays 33.3%
        return Planning(self.span_box.value(), share, self.hard_box.isChecked())

    def _message_label(self, name: str) -> QLabel:
        label = QLabel(objectName=name, wordWrap=True)
        label.setVisible(False)
        return label

    @staticmethod
    def _say(label: QLabel, text: str) -> None:
        colour, _ = error_colours()
        label.setStyleSheet(f"color: {colour.name()}; font-weight: 600;")
        label.setText(text)
        label.setVisible(bool(text))

    # -- the grid ------------------------------------------------------------------------------
    def _fill_grid(self) -> None:
        """Show the working capacity, keeping any cell the user typed wrongly as typed."""
        cap = self._capacity
        self._teams = list(cap.teams) + ([POOL] if (cap.table["team"] == POOL).any() else [])
        self._quarters = list(cap.quarters)
        values = {(team_key(t), q): float(c) for t, q, c in
                  cap.table[["team", "quarter", "capacity"]].itertuples(index=False)}
        grid = self.grid
        grid.blockSignals(True)
        grid.clear()
        grid.setRowCount(len(self._teams))
        grid.setColumnCount(len(self._quarters) + 1)
        grid.setHorizontalHeaderLabels([ALL_QUARTERS] + self._quarters)
        grid.setVerticalHeaderLabels([t if t != POOL else POOL_NAME for t in self._teams])
        _, background = error_colours()
        for r, team in enumerate(self._teams):
            row_values = [values.get((team_key(team), q)) for q in self._quarters]
            same = len(set(row_values)) == 1 and row_values[0] is not None
            for c, key in enumerate([ALL_QUARTERS] + self._quarters):
                value = (row_values[0] if same else None) if c == 0 else row_values[c - 1]
                item = QTableWidgetItem("" if value is None else number_text(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                bad = self.cell_errors.get((team_key(team), key))
                if bad is not None:
                    item.setText(bad[0])
                    item.setBackground(background)
                    item.setToolTip(bad[1])
                grid.setItem(r, c, item)
        grid.blockSignals(False)
        self._refresh_messages()

    def cell(self, team: str, quarter: str | None = None) -> tuple[int, int]:
        """(row, column) of a team's cell in a quarter (None for "All quarters")."""
        row = [team_key(t) for t in self._teams].index(team_key(team))
        return row, 0 if quarter is None else self._quarters.index(quarter) + 1

    def type_into(self, team: str, quarter: str | None, text: str) -> None:
        """Type `text` into a team's cell, as the user would."""
        self.grid.item(*self.cell(team, quarter)).setText(text)

    def _on_cell_changed(self, item: QTableWidgetItem) -> None:
        team, col = self._teams[item.row()], item.column()
        quarter = ALL_QUARTERS if col == 0 else self._quarters[col - 1]
        text = item.text().strip()
        where = f"{team if team != POOL else POOL_NAME}, {quarter}"
        self.cell_errors.pop((team_key(team), quarter), None)
        try:
            if col == 0:
                if text:
                    self._capacity = with_team_capacity(self._capacity, team, _typed_number(text))
                    for q in self._quarters:
                        self.cell_errors.pop((team_key(team), q), None)
            elif text:
                self._capacity = with_capacity(self._capacity, team, quarter, _typed_number(text))
            else:
                self._capacity = self._without_cell(team, quarter)
        except CapacityError as exc:
            self.cell_errors[(team_key(team), quarter)] = (text, f"{where}: {exc.message} {exc.hint}".strip())
        self._fill_grid()

    def _without_cell(self, team: str, quarter: str) -> Capacity:
        table = self._capacity.table
        keep = ~((table["team"].map(team_key) == team_key(team)) & (table["quarter"] == quarter))
        return Capacity(table[keep].reset_index(drop=True), self._capacity.guardrails)

    def _refresh_messages(self) -> None:
        first = next(iter(self.cell_errors.values()), None)
        self._say(self.grid_message, "" if first is None else first[1])
        if self.portfolio is not None:
            self.warnings.setText("\n".join(capacity_warnings(self.portfolio, self._capacity)))

    # -- adding and removing -------------------------------------------------------------------
    def _change(self, make, field: QLineEdit | None = None) -> bool:
        """Apply an edit that may raise CapacityError; the message goes under the add row."""
        try:
            self._capacity = make()
        except CapacityError as exc:
            self._say(self.add_message, f"{exc.message} {exc.hint}".strip())
            if field is not None:
                field.setFocus()
                field.selectAll()
            return False
        self._say(self.add_message, "")
        self._fill_grid()
        return True

    def add_team(self) -> None:
        name = self.team_name.text()
        if self._change(lambda: adding_team(self._capacity, name, 0), self.team_name):
            self.team_name.clear()
            self.grid.setCurrentCell(self.cell(name.strip())[0], 0)

    def add_quarter(self) -> None:
        name = self.quarter_name.text()
        if self._change(lambda: self._with_new_quarter(name), self.quarter_name):
            self.quarter_name.clear()

    def _with_new_quarter(self, name: str) -> Capacity:
        last = self._quarters[-1] if self._quarters else None
        out = adding_quarter(self._capacity, name, 0)
        if last is not None:
            table = self._capacity.table
            for team, value in table[table["quarter"] == last][["team", "capacity"]].itertuples(index=False):
                out = with_capacity(out, team, name.strip(), float(value))
        return out

    def add_pool(self) -> None:
        if not self._quarters:
            self._say(self.add_message, "Add a quarter first: the pool needs quarters to hold capacity.")
            return
        if (self._capacity.table["team"] == POOL).any():
            self._say(self.add_message, "There is already a shared pool.")
            return
        self._change(lambda: with_team_capacity(self._capacity, POOL, 0))

    def remove_team(self) -> None:
        row = self.grid.currentRow()
        if row < 0:
            self._say(self.add_message, "Select a team's row first.")
            return
        team = self._teams[row]
        self.cell_errors = {k: v for k, v in self.cell_errors.items() if k[0] != team_key(team)}
        self._change(lambda: removing_team(self._capacity, team if team != POOL else "*"))

    def remove_quarter(self) -> None:
        col = self.grid.currentColumn()
        if col < 1:
            self._say(self.add_message, "Select a cell in the quarter's column first.")
            return
        quarter = self._quarters[col - 1]
        self.cell_errors = {k: v for k, v in self.cell_errors.items() if k[1] != quarter}
        self._change(lambda: removing_quarter(self._capacity, quarter))

    # -- the result ----------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What must be fixed before OK applies: one message per mistake."""
        out = [message for _, message in self.cell_errors.values()]
        if self.guardrails.problem:
            out.append(self.guardrails.problem)
        return out

    def try_accept(self) -> bool:
        """Accept when nothing is wrong; otherwise point at the first mistake and stay open."""
        if self.cell_errors:
            (key, quarter), _ = next(iter(self.cell_errors.items()))
            team = next(t for t in self._teams if team_key(t) == key)
            self.grid.setCurrentCell(*self.cell(team, None if quarter == ALL_QUARTERS else quarter))
            self.grid.setFocus()
            self._refresh_messages()
            return False
        if self.guardrails.check():
            self.guardrails.show_problem()
            return False
        self.accept()
        return True

    def capacity(self) -> Capacity:
        """The capacity as edited, with its guardrails."""
        return Capacity(self._capacity.table.reset_index(drop=True), self.guardrails.guardrails())
