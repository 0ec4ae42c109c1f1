"""Scenario > Plan constraints…: the bundles, alternatives and floors the best plan must keep.

Takes the scenario's PlanConstraints and the workshop's ids, categories and quarters; hands back
new PlanConstraints. Ids are typed or taken from the table's selection, and checked: an unknown
id is named in words, never silently dropped.
"""

from __future__ import annotations

import re

from cutline.models.optimise import (
    Alternatives,
    Bundle,
    Floor,
    PlanConstraintError,
    PlanConstraints,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

WHOLE_PLAN = "the whole plan"
#: Unknown ids named one by one before "and N more".
NAMED = 8


def split_ids(text: str) -> list[str]:
    """Ids as a PM types them: separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", text.strip()) if part]


def group_label(kind: str, group) -> str:
    if kind == "floor":
        where = f" in {group.quarter}" if group.quarter else " over the whole plan"
        return f"{group.category}: at least {group.person_weeks:g} pw{where}"
    rule = "all or none" if kind == "bundle" else "at most one"
    return f"{group.name} ({rule}): {', '.join(group.ids)}"


class _GroupEditor(QGroupBox):
    """A list of named groups of ids (bundles, or alternatives) with add and remove."""

    def __init__(self, title: str, kind: str, hint: str, dialog: PlanConstraintsDialog):
        super().__init__(title)
        self.kind, self.dialog = kind, dialog
        self.setObjectName(f"{kind}Editor")
        self.items: list = []
        self.list = QListWidget(objectName=f"{kind}List")
        self.name = QLineEdit(objectName=f"{kind}Name", placeholderText="name")
        self.ids = QLineEdit(objectName=f"{kind}Ids", placeholderText="ids, e.g. PLT-133, PLT-135")
        self.take = QPushButton("+ selected", objectName=f"{kind}TakeSelected")
        self.take.setToolTip("Add the initiative selected in the table")
        self.take.setEnabled(bool(dialog.selected_id))
        self.take.clicked.connect(self._take_selected)
        self.add = QPushButton("Add", objectName=f"{kind}Add")
        self.add.clicked.connect(lambda: self.add_group(self.name.text(), self.ids.text()))
        self.remove = QPushButton("Remove", objectName=f"{kind}Remove")
        self.remove.clicked.connect(self.remove_current)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.ids, 3)
        row.addWidget(self.take)
        row.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(hint, wordWrap=True))
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)

    def set_groups(self, groups) -> None:
        self.items = list(groups)
        self.list.clear()
        self.list.addItems([group_label(self.kind, g) for g in self.items])

    def _take_selected(self) -> None:
        ids = split_ids(self.ids.text())
        if self.dialog.selected_id and self.dialog.selected_id not in ids:
            self.ids.setText(", ".join([*ids, self.dialog.selected_id]))

    def add_group(self, name: str, ids_text: str) -> bool:
        ids = self.dialog.check_ids(split_ids(ids_text))
        if ids is None:
            return False
        kind = Bundle if self.kind == "bundle" else Alternatives
        try:
            group = kind(name.strip() or f"{self.kind} {len(self.items) + 1}", tuple(ids))
        except PlanConstraintError as exc:
            return self.dialog.say(str(exc))
        self.set_groups([*self.items, group])
        self.name.clear()
        self.ids.clear()
        return self.dialog.say("")

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            self.set_groups(self.items[:row] + self.items[row + 1:])


class _FloorEditor(QGroupBox):
    """Floors: a category, person-weeks, and the whole plan or one quarter."""

    def __init__(self, dialog: PlanConstraintsDialog):
        super().__init__("Floors: at least this much work of a category")
        self.kind, self.dialog = "floor", dialog
        self.setObjectName("floorEditor")
        self.items: list[Floor] = []
        self.list = QListWidget(objectName="floorList")
        self.category = QComboBox(objectName="floorCategory", editable=True)
        self.category.addItems(dialog.categories)
        self.person_weeks = QDoubleSpinBox(objectName="floorPersonWeeks", decimals=1, maximum=100_000.0)
        self.person_weeks.setSuffix(" pw")
        self.quarter = QComboBox(objectName="floorQuarter")
        self.quarter.addItems([WHOLE_PLAN, *dialog.quarters])
        self.add = QPushButton("Add", objectName="floorAdd")
        self.add.clicked.connect(lambda: self.add_floor(self.category.currentText(), self.person_weeks.value(),
                                                        self.quarter.currentText()))
        self.remove = QPushButton("Remove", objectName="floorRemove")
        self.remove.clicked.connect(self.remove_current)
        row = QHBoxLayout()
        row.addWidget(self.category, 2)
        row.addWidget(QLabel("at least"))
        row.addWidget(self.person_weeks, 1)
        row.addWidget(QLabel("in"))
        row.addWidget(self.quarter, 1)
        row.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)

    def set_groups(self, floors) -> None:
        self.items = list(floors)
        self.list.clear()
        self.list.addItems([group_label("floor", f) for f in self.items])

    def add_floor(self, category: str, person_weeks: float, quarter: str | None = None) -> bool:
        known = {c.casefold(): c for c in self.dialog.categories}
        category = category.strip()
        if category.casefold() not in known:
            listed = ", ".join(self.dialog.categories) or "none"
            return self.dialog.say(f"No initiative has the category '{category}'. Categories here: {listed}.")
        if person_weeks <= 0:
            return self.dialog.say("A floor needs some person-weeks: more than 0.")
        where = None if quarter in (None, "", WHOLE_PLAN) else quarter
        try:
            floor = Floor(known[category.casefold()], float(person_weeks), where)
        except PlanConstraintError as exc:
            return self.dialog.say(str(exc))
        self.set_groups([*self.items, floor])
        return self.dialog.say("")

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            self.set_groups(self.items[:row] + self.items[row + 1:])


class PlanConstraintsDialog(QDialog):
    """Edits one scenario's PlanConstraints; `constraints()` is the result."""

    def __init__(self, constraints: PlanConstraints, *, ids, categories, quarters, selected_id: str | None = None,
                 scenario: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("planConstraints")
        self.setWindowTitle(f"Plan constraints — scenario {scenario}" if scenario else "Plan constraints")
        self.known = {str(i).casefold(): str(i) for i in ids}
        self.categories = [str(c) for c in categories]
        self.quarters = [str(q) for q in quarters]
        self.selected_id = selected_id
        intro = QLabel("Only the best plan (Scenario > Find the best plan…) keeps these; the ranked "
                       "plan's walk does not change.", wordWrap=True)
        self.message = QLabel(objectName="constraintsMessage", wordWrap=True)
        self.message.setProperty("role", "error")
        bold = self.message.font()
        bold.setBold(True)  # a problem reads at a glance, in any theme
        self.message.setFont(bold)
        self.message.hide()
        self.bundles = _GroupEditor("Bundles: funded all together or not at all", "bundle",
                                    "Name the bundle and list its initiatives.", self)
        self.alternatives = _GroupEditor("Alternatives: at most one of them is funded", "alternatives",
                                         "Name the choice and list the initiatives it is between.", self)
        self.floors = _FloorEditor(self)
        self.bundles.set_groups(constraints.bundles)
        self.alternatives.set_groups(constraints.alternatives)
        self.floors.set_groups(constraints.floors)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(self.bundles, 0, 0)
        grid.addWidget(self.alternatives, 0, 1)
        grid.addWidget(self.floors, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def check_ids(self, ids: list[str]) -> list[str] | None:
        """The ids as the workshop spells them, or None (and a message naming the unknown ones)."""
        unknown = [i for i in ids if i.casefold() not in self.known]
        if unknown:
            named = ", ".join(unknown[:NAMED]) + (f" and {len(unknown) - NAMED} more" if len(unknown) > NAMED else "")
            noun = "is not an initiative" if len(unknown) == 1 else "are not initiatives"
            self.say(f"{named} {noun} of this workshop: use ids from the ID column.")
            return None
        return [self.known[i.casefold()] for i in ids]

    def say(self, text: str) -> bool:
        """Show a problem (or clear it with ""); True when there is none."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        return not text

    def constraints(self) -> PlanConstraints:
        return PlanConstraints(tuple(self.bundles.items), tuple(self.alternatives.items), tuple(self.floors.items))
