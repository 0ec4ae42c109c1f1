"""Filters over the ranked table: team, category, tier, funding and a search box."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

ALL = "All"


class FilterBar(QWidget):
    """Emits a boolean mask over portfolio rows whenever a filter changes."""

    maskChanged = Signal(object)  # np.ndarray[bool] or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(placeholderText="Search title, id, team, notes…", clearButtonEnabled=True)
        self.search.setObjectName("search")
        self.team = QComboBox(objectName="teamFilter")
        self.category = QComboBox(objectName="categoryFilter")
        self.tier = QComboBox(objectName="tierFilter")
        self.funding = QComboBox(objectName="fundingFilter")
        self.funding.addItems([ALL, "Funded", "Not funded"])
        for combo in (self.team, self.category, self.tier, self.funding):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(3)  # "All": the bar fits a 1366 px window beside both docks
        self.search.setMinimumWidth(80)
        for label, widget in (("Team", self.team), ("Category", self.category), ("Tier", self.tier),
                              ("Funding", self.funding)):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addWidget(self.search, 1)
        self._evaluation = None
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _: self._debounce.start())
        for combo in (self.team, self.category, self.tier, self.funding):
            combo.currentIndexChanged.connect(lambda _: self._emit())

    def set_evaluation(self, evaluation) -> None:
        """Refresh the choices from a new evaluation, keeping the current ones when still there."""
        self._evaluation = evaluation
        portfolio = evaluation.portfolio
        self._refill(self.team, sorted(set(portfolio.text("team").tolist()) - {""}))
        self._refill(self.category, sorted(set(portfolio.text("category").tolist()) - {""}))
        names = evaluation.ranking.tier_names
        self._refill(self.tier, [f"T{i + 1} {name}" for i, name in enumerate(names)])
        self._emit()

    def _refill(self, combo: QComboBox, items: list[str]) -> None:
        current = combo.currentText()
        wanted = [ALL] + items
        if [combo.itemText(i) for i in range(combo.count())] == wanted:
            return
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(wanted)
        combo.setCurrentIndex(max(0, combo.findText(current)))
        combo.blockSignals(False)

    def active(self) -> bool:
        return bool(self.search.text().strip()) or any(
            c.currentIndex() > 0 for c in (self.team, self.category, self.tier, self.funding))

    def mask(self) -> np.ndarray | None:
        ev = self._evaluation
        if ev is None or not self.active():
            return None
        p = ev.portfolio
        mask = np.ones(len(p), dtype=bool)
        if self.team.currentIndex() > 0:
            mask &= p.text("team") == self.team.currentText()
        if self.category.currentIndex() > 0:
            mask &= p.text("category") == self.category.currentText()
        if self.tier.currentIndex() > 0:
            mask &= ev.ranking.tier == self.tier.currentIndex()
        if self.funding.currentIndex() > 0:
            mask &= ev.allocation.funded == (self.funding.currentIndex() == 1)
        needle = self.search.text().strip().lower()
        if needle:
            hay = (p.text("title").astype(str) + " " + p.text("id").astype(str) + " "
                   + p.text("team").astype(str) + " " + p.text("notes").astype(str))
            mask &= np.char.find(np.char.lower(hay.astype(str)), needle) >= 0
        return mask

    def _emit(self) -> None:
        self.maskChanged.emit(self.mask())
