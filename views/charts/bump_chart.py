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
        super().__init__("Which initiatives move between scenarios?", parent)
        self.set_axis_labels("Rank (1 is first)", "Scenario")
        self.plot.invertY(True)
        self._lines: list = []
        self._labels: list = []
        self._ids = np.zeros(0, dtype=object)
        self._ranks = np.zeros((0, 0))
        self._titles = np.zeros(0, dtype=object)

    def show_comparison(self, comparison, titles: np.ndarray, top_n: int = TOP_N) -> None:
        for item in self._lines + self._labels:
            self.plot.removeItem(item)
        self._lines, self._labels = [], []
        s = len(comparison.names)
        baseline = comparison.rank[0]
        rows = np.argsort(baseline, kind="stable")[:top_n]
        self._rows = rows
        self._ranks = comparison.rank[:, rows].astype(float)
        self._ids = comparison.ids[rows]
        self._titles = titles[rows]
        x = np.arange(s, dtype=float)
        for j, row in enumerate(rows):
            crosses = bool(comparison.funded[:, row].any() and not comparison.funded[:, row].all())
            colour = CUT_LINE if crosses else UNFUNDED
            width = 4 if crosses else 2
            line = self.plot.plot(x, self._ranks[:, j], pen=pen(colour, width),
                                  symbol="o", symbolSize=10, symbolBrush=colour, symbolPen=None)
            self._lines.append(line)
            label = pg.TextItem(str(self._ids[j]), color=current_theme().text, anchor=(0, 0.5))
            label.setPos(s - 1 + 0.05, self._ranks[-1, j])
            self.plot.addItem(label)
            self._labels.append(label)
        cut = comparison.cut_line[0]
        if cut is not None and cut <= top_n:
            line = pg.InfiniteLine(pos=cut - 0.5, angle=0, pen=pen(CUT_LINE, 2, Qt.PenStyle.DashLine))
            self.plot.addItem(line)
            self._lines.append(line)
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, n) for i, n in enumerate(comparison.names)]])
        self.plot.setXRange(-0.2, s - 1 + 0.6)
        self.set_title("Which initiatives move? (orange: crosses the cut line)")

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
