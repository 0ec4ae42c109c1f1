"""How sure is the ranking? 5th to 95th percentile of rank per initiative over weight draws."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from cutline.views.charts.base import Chart, pen
from cutline.views.palette import CUT_LINE, FUNDED, UNFUNDED

TOP_N = 20


def rows_to_show(sensitivity, evaluation, top_n: int = TOP_N) -> np.ndarray:
    """The portfolio rows to draw, in rank order: every initiative whose funding flips (the ones
    the message says to discuss; the nearest the cut line when there are more than `top_n`), then
    the ranks nearest the cut line (the top of the list when there is none) up to `top_n`."""
    order = np.asarray(evaluation.ranking.order)
    cut = evaluation.allocation.cut_line
    centre = (cut - 1) if cut is not None else 0  # the position in `order` of the first not funded
    distance = np.abs(np.arange(len(order)) - centre)
    flips = np.asarray(sensitivity.flips, dtype=bool)[order]
    # Flippers first, then by distance from the cut line, then by rank: one stable sort.
    pick = np.lexsort((np.arange(len(order)), distance, ~flips))[:top_n]
    return order[np.sort(pick)]


class RankIntervals(Chart):
    """Horizontal bars from rank p5 to p95 around the cut line, with the median as a dot.

    Initiatives whose funding flips often are drawn in the cut-line colour and marked "discuss".
    """

    def __init__(self, parent=None):
        super().__init__("How sure is the ranking? (rank range over weight draws)", parent)
        self.set_axis_labels("Initiative (by current rank)", "Rank, 5th to 95th percentile")
        self.plot.invertY(True)
        self.bars = pg.ErrorBarItem(x=np.zeros(0), y=np.zeros(0), beam=0.25)
        self.dots = pg.ScatterPlotItem(size=11)
        self.plot.addItem(self.bars)
        self.plot.addItem(self.dots)
        self._cut = pg.InfiniteLine(angle=90, pen=pen(CUT_LINE, 2, Qt.PenStyle.DashLine))
        self.plot.addItem(self._cut)
        self._info: list[str] = []
        self._empty = pg.TextItem("Run Scenario > How sure is the ranking? (Ctrl+Shift+R)", anchor=(0.5, 0.5))
        self.plot.addItem(self._empty)
        self._empty.setPos(0.5, 0.5)

    def show_sensitivity(self, sensitivity, evaluation, top_n: int = TOP_N) -> None:
        self._empty.setVisible(False)
        rows = rows_to_show(sensitivity, evaluation, top_n)
        y = np.arange(1, len(rows) + 1, dtype=float)
        lo = sensitivity.rank_p5[rows].astype(float)
        hi = sensitivity.rank_p95[rows].astype(float)
        mid = sensitivity.median_rank[rows].astype(float)
        flips = sensitivity.flips[rows]
        self.plot.invertY(False)
        self.plot.getViewBox().invertX(False)
        # Rank runs along x; one row per initiative on y (top ranked at the top).
        self.bars.setData(x=(lo + hi) / 2, y=y, width=hi - lo, height=np.zeros_like(y),
                          pen=pen(UNFUNDED, 3))
        brushes = [pg.mkBrush(CUT_LINE if f else FUNDED) for f in flips]
        self.dots.setData(x=mid, y=y, brush=brushes, pen=None)
        self.plot.invertY(True)
        ids = evaluation.portfolio.ids
        titles = evaluation.portfolio.text("title")
        share = sensitivity.funded_share
        self._info = [f"{ids[r]} {titles[r]}: rank {int(sensitivity.rank_p5[r])}–{int(sensitivity.rank_p95[r])}, "
                      f"funded in {share[r]:.0%} of draws" + (" — discuss" if f else "")
                      for r, f in zip(rows, flips)]
        ticks = [(i + 1, f"{ids[r]}{' ⚑' if f else ''}") for i, (r, f) in enumerate(zip(rows, flips))]
        self.plot.getAxis("left").setTicks([ticks])
        cut = evaluation.allocation.cut_line
        self._cut.setVisible(cut is not None)
        if cut is not None:
            self._cut.setPos(cut - 0.5)
        self.set_axis_labels("Initiative (⚑ funding flips: discuss)", "Rank, 5th to 95th percentile")
        self.plot.autoRange()

    def hover_text(self, x: float, y: float) -> str:
        i = int(round(y)) - 1
        return self._info[i] if 0 <= i < len(self._info) else ""
