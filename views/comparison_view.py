"""The comparison view: two to four scenarios side by side with a summary of what changed."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cutline.models.words.funding import cut_line_words
from cutline.views.comparison_lists import ScenarioList
from cutline.views.hotkeys import COMPARE

MAX_SCENARIOS = 4


class ComparisonView(QWidget):
    """Shows a Comparison; emits which scenarios the PM ticked and which initiative is selected."""

    scenariosChosen = Signal(list)
    rowSelected = Signal(int)
    fullWindowAsked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("comparisonView")
        # The chart area shares the window with docks: never let this view widen the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self.picker = QListWidget(objectName="comparePicker")
        self.picker.setMaximumWidth(220)
        self.picker.itemChanged.connect(self._on_ticked)
        self.summary = QLabel(objectName="compareSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lists_row = QHBoxLayout()
        self.lists: list[ScenarioList] = []
        left = QVBoxLayout()
        heading = QLabel("Compare (the first is\nthe baseline; up to 4)")
        heading.setProperty("role", "heading")
        left.addWidget(heading)
        left.addWidget(self.picker, 1)
        self.full_window = QPushButton(f"Full window ({COMPARE})", objectName="compareFullWindow")
        self.full_window.setToolTip("The scenarios as columns in the whole window, readable from the back of the room")
        self.full_window.clicked.connect(self.fullWindowAsked)
        left.addWidget(self.full_window)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addLayout(self.lists_row, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, 240)

    def set_scenarios(self, names: list[str], chosen: list[str]) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.picker.addItem(item)
        self.picker.blockSignals(False)

    def chosen(self) -> list[str]:
        return [self.picker.item(i).text() for i in range(self.picker.count())
                if self.picker.item(i).checkState() == Qt.CheckState.Checked][:MAX_SCENARIOS]

    def _on_ticked(self, _item) -> None:
        self.scenariosChosen.emit(self.chosen())

    def show_comparison(self, comparison, titles: np.ndarray) -> None:
        """Fill one list per scenario and the summary."""
        while len(self.lists) < len(comparison.names):
            lst = ScenarioList()
            lst.rowSelected.connect(self._on_row)
            self.lists.append(lst)
            self.lists_row.addWidget(lst)
        for i, lst in enumerate(self.lists):
            lst.setVisible(i < len(comparison.names))
            if i < len(comparison.names):
                words = cut_line_words(len(comparison.ids), int(comparison.funded[i].sum()),
                                       comparison.cut_line[i])
                lst.title.setText(f"{comparison.names[i]} · {words}")
                lst.model.set_data(comparison, i, titles)
                lst.table.setColumnHidden(2, i == 0)  # the baseline changes against nothing
        self.summary.setText(summary_html(comparison, self.picker.count()))

    def select(self, row: int) -> None:
        for lst in self.lists:
            if lst.isVisible():
                lst.select(row)

    def _on_row(self, row: int) -> None:
        self.select(row)
        self.rowSelected.emit(row)


def summary_html(comparison, scenarios: int = 2) -> str:
    """What the comparison says; with one scenario ticked, how to get a second (of `scenarios`
    in the workshop: tick one, or make one when there is no other)."""
    names = comparison.names
    if len(names) < 2:
        if scenarios < 2:
            return ("There is one scenario. <b>New scenario</b> (Ctrl+Shift+N) makes a copy to change "
                    "(other weights or capacity) and compare with this one.")
        return "Tick a second scenario to compare it with the first."
    parts = []
    for i in range(1, len(names)):
        moved = int((comparison.rank_change[i] != 0).sum())
        parts.append(f"<b>{names[i]}</b> vs {names[0]}: {moved} initiatives move, Kendall's tau "
                     f"{comparison.kendall_tau[i]:.2f}, funded sets overlap {comparison.funded_overlap[i]:.0%}")
    changes = comparison.funding_changes
    listed = ", ".join(changes[:12]) + (f" and {len(changes) - 12} more" if len(changes) > 12 else "")
    parts.append(f"<b>Funding changes:</b> {listed or 'none'}")
    cap = comparison.capacity_by_category
    if len(cap):
        table = cap.pivot_table(index="category", columns="scenario", values="used", aggfunc="sum")
        rows = "; ".join(f"{cat} " + " / ".join(f"{table.loc[cat, n]:g}" for n in names if n in table.columns)
                         for cat in table.index)
        parts.append(f"<b>Capacity used by category (pw, per scenario):</b> {rows}")
    return "<br>".join(parts)
