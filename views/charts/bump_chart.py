"""Bump chart: ranks of the top initiatives across scenarios; lines that cross the cut line stand out."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from views.charts.base import Chart, pen
from views.palette import CUT_LINE, UNFUNDED
from views.theme import current_theme

TOP_N = 20


class BumpChart(Chart):
    """x = scenario, y = rank (1 at the top); one line per initiative of the baseline's top N."""

    def __init__(self, parent=None):
        super().__init__("Which initiatives move?", parent)
        self.set_axis_labels("Rank (1 is first)", "Scenario")
        self.plot.invertY(True)
        self._lines: list = []
        self._labels: list = []
        self._cut = pg.InfiniteLine(pos=0, angle=0, pen=pen(CUT_LINE, 2, Qt.PenStyle.DashLine))
        self.plot.addItem(self._cut)
        self._cut.setVisible(False)
        self.set_title("Which initiatives move? (orange: crosses the cut line)")
        self._ids = np.zeros(0, dtype=object)
        self._ranks = np.zeros((0, 0))
        self._titles = np.zeros(0, dtype=object)

    def _line(self, j: int):
        """The j-th line and label, made once and reused on every refresh."""
        while len(self._lines) <= j:
            self._lines.append(self.plot.plot([], [], symbol="o", symbolSize=10))
            label = pg.TextItem("", color=current_theme().text, anchor=(0, 0.5))
            self.plot.addItem(label)
            self._labels.append(label)
        return self._lines[j], self._labels[j]

    def show_comparison(self, comparison, titles: np.ndarray, top_n: int = TOP_N) -> None:
        s = len(comparison.names)
        rows = np.argsort(comparison.rank[0], kind="stable")[:top_n]
        self._ranks = comparison.rank[:, rows].astype(float)
        self._ids = comparison.ids[rows]
        self._titles = titles[rows]
        funded = comparison.funded[:, rows]
        crosses = funded.any(axis=0) & ~funded.all(axis=0)
        x = np.arange(s, dtype=float)
        for j in range(len(rows)):
            line, label = self._line(j)
            colour = CUT_LINE if crosses[j] else UNFUNDED
            line.setData(x, self._ranks[:, j], pen=pen(colour, 4 if crosses[j] else 2),
                         symbolBrush=colour, symbolPen=None)
            line.setVisible(True)
            label.setText(str(self._ids[j]))
            label.setPos(s - 1 + 0.05, self._ranks[-1, j])
            label.setVisible(True)
        for j in range(len(rows), len(self._lines)):
            self._lines[j].setVisible(False)
            self._labels[j].setVisible(False)
        cut = comparison.cut_line[0]
        self._cut.setVisible(cut is not None and cut <= top_n)
        if cut is not None:
            self._cut.setPos(cut - 0.5)
        self.plot.getAxis("bottom").setTicks([[(i, n) for i, n in enumerate(comparison.names)]])
        self.plot.setXRange(-0.2, s - 1 + 0.6)

    def hover_text(self, x: float, y: float) -> str:
        if not len(self._ids):
            return ""
        col = int(round(x))
        if not 0 <= col < self._ranks.shape[0]:
            return ""
        j = int(np.argmin(np.abs(self._ranks[col] - y)))
        if abs(self._ranks[col, j] - y) > 0.6:
            return ""
        ranks = " → ".join(f"#{int(r)}" for r in self._ranks[:, j])
        return f"{self._ids[j]} {self._titles[j]}\nrank {ranks}"
