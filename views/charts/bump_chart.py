"""Bump chart: ranks of the top initiatives across scenarios, each scenario with its own cut line.

A line stands out (orange, thick) only when the initiative's funding changes between scenarios
(cutline.models.scenarios.comparison.crosses_cut_line); a move that keeps it on the same side stays grey.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from cutline.models.scenarios.comparison import crosses_cut_line
from cutline.views.charts.base import Chart, pen
from cutline.views.palette import CUT_LINE, UNFUNDED
from cutline.views.theme import current_theme

TOP_N = 20
#: Half the width of a scenario's cut-line mark, in scenario columns (they are 1 apart).
CUT_HALF_WIDTH = 0.32


class BumpChart(Chart):
    """x = scenario, y = rank (1 at the top); one line per initiative of the baseline's top N."""

    def __init__(self, parent=None):
        super().__init__("Which initiatives move?", parent)
        self.set_axis_labels("Rank (1 is first)", "Scenario")
        self.plot.invertY(True)
        self._lines: list = []
        self._labels: list = []
        self._cuts: list = []         # one dashed mark per scenario, at its own cut line
        self._cut_words: list = []    # "cut #20" under each mark
        self.cut_positions: list[float | None] = []  # y of each scenario's mark (None: no cut line)
        self.set_title("Which initiatives move? (orange: funding changes)")
        self._ids = np.zeros(0, dtype=object)
        self._ranks = np.zeros((0, 0))
        self._titles = np.zeros(0, dtype=object)
        self.crosses = np.zeros(0, dtype=bool)

    def _line(self, j: int):
        """The j-th line and label, made once and reused on every refresh."""
        while len(self._lines) <= j:
            self._lines.append(self.plot.plot([], [], symbol="o", symbolSize=10))
            label = pg.TextItem("", color=current_theme().text, anchor=(0, 0.5))
            self.plot.addItem(label)
            self._labels.append(label)
        return self._lines[j], self._labels[j]

    def _cut_mark(self, i: int):
        """The i-th scenario's cut-line mark and its words, made once and reused."""
        while len(self._cuts) <= i:
            mark = self.plot.plot([], [], pen=pen(CUT_LINE, 3, Qt.PenStyle.DashLine))
            mark.setZValue(5)
            words = pg.TextItem("", color=CUT_LINE, anchor=(0.5, 0))
            self.plot.addItem(words)
            self._cuts.append(mark)
            self._cut_words.append(words)
        return self._cuts[i], self._cut_words[i]

    def show_comparison(self, comparison, titles: np.ndarray, top_n: int = TOP_N) -> None:
        s = len(comparison.names)
        rows = np.argsort(comparison.rank[0], kind="stable")[:top_n]
        self._ranks = comparison.rank[:, rows].astype(float)
        self._ids = comparison.ids[rows]
        self._titles = titles[rows]
        self.crosses = crosses_cut_line(comparison.funded[:, rows])
        x = np.arange(s, dtype=float)
        for j in range(len(rows)):
            line, label = self._line(j)
            colour = CUT_LINE if self.crosses[j] else UNFUNDED
            line.setData(x, self._ranks[:, j], pen=pen(colour, 4 if self.crosses[j] else 2),
                         symbolBrush=colour, symbolPen=None)
            line.setVisible(True)
            label.setText(str(self._ids[j]))
            label.setPos(s - 1 + 0.05, self._ranks[-1, j])
            label.setVisible(True)
        for j in range(len(rows), len(self._lines)):
            self._lines[j].setVisible(False)
            self._labels[j].setVisible(False)
        deepest = float(self._ranks.max()) if self._ranks.size else float(top_n)
        self._show_cut_lines(comparison.cut_line, deepest)
        self.plot.getAxis("bottom").setTicks([[(i, n) for i, n in enumerate(comparison.names)]])
        self.plot.setXRange(-0.45, s - 1 + 0.6)
        # Ranks are whole numbers: with a handful drawn, a tick per rank, never 0.2, 0.4 …
        self.plot.getAxis("left").setTickSpacing(*((1, 1) if deepest <= 12 else ()))

    def _show_cut_lines(self, cut_lines, deepest: float) -> None:
        """Each scenario's cut line on its own column; one below the drawn ranks sits at the bottom."""
        self.cut_positions = []
        for i, cut in enumerate(cut_lines):
            mark, words = self._cut_mark(i)
            if cut is None:
                mark.setVisible(False)
                words.setVisible(False)
                self.cut_positions.append(None)
                continue
            y = min(cut - 0.5, deepest + 0.5)
            right = i if i == len(cut_lines) - 1 else i + CUT_HALF_WIDTH  # the last column's ids sit right
            mark.setData([i - CUT_HALF_WIDTH, right], [y, y])
            words.setText(f"cut #{cut}" if cut - 0.5 <= deepest + 0.5 else f"cut #{cut} ↓")
            words.setPos(i - CUT_HALF_WIDTH, y)
            words.setAnchor((0, 0))
            mark.setVisible(True)
            words.setVisible(True)
            self.cut_positions.append(y)
        for i in range(len(cut_lines), len(self._cuts)):
            self._cuts[i].setVisible(False)
            self._cut_words[i].setVisible(False)

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
        funding = "funding changes" if self.crosses[j] else "same funding in every scenario"
        return f"{self._ids[j]} {self._titles[j]}\nrank {ranks}\n{funding}"
