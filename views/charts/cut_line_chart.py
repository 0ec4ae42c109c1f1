"""The cut line: cumulative effort of the ranked list against the plan's total capacity.

Funded stretches are a solid line with filled points, unfunded ones a dashed line with hollow
points, so they differ by more than colour. The cut line is a labelled vertical line. Work funded
below it (in a team's leftover capacity, or pulled in as a prerequisite) has a ringed point, so
the dots right of the line are not mistaken for a misplaced line.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from cutline.models.words.cut_line import below_reason
from cutline.views.charts.base import TICK_PT, Chart, pen
from cutline.views.charts.legend_below import Swatch
from cutline.views.palette import CUT_LINE, FUNDED, UNFUNDED
from cutline.views.theme import current_theme

#: Capacity, not money: and the cut line falls where a team's own capacity runs out, which can be
#: well before the plan's total (the line the curve is drawn against).
TITLE = "Where does the capacity run out?"
#: Above this many initiatives the points are left out: they would merge into a smear.
POINTS_UP_TO = 300
POINT_SIZE = 10
#: The curve is drawn through at most this many points (a pixel holds many ranks beyond that);
#: hover still reads every rank.
CURVE_POINTS = 4000
#: How close (in pixels) the pointer must be to the curve for a hover.
PICK_PIXELS = 16


def unfunded_colour() -> str:
    """Grey that stays visible on both themes."""
    return "#9A9A9A" if current_theme().name == "dark" else UNFUNDED


def curve(cumulative: np.ndarray, funded: np.ndarray, most: int = CURVE_POINTS):
    """(x, y, funded per segment) of the curve from the origin: segment k leads to rank k + 1 and
    takes that initiative's funding. Past `most` ranks, each segment spans a run of ranks and is
    funded when most of them are."""
    n = len(cumulative)
    if n <= most:
        return (np.arange(n + 1, dtype=float), np.concatenate([[0.0], cumulative]), funded.astype(bool))
    ends = np.unique(np.linspace(1, n, most).round().astype(np.int64))  # 1-based ranks
    starts = np.concatenate([[0], ends[:-1]])
    share = np.add.reduceat(funded.astype(float), starts) / (ends - starts)
    return (np.concatenate([[0.0], ends.astype(float)]), np.concatenate([[0.0], cumulative[ends - 1]]),
            share >= 0.5)


class CutLineChart(Chart):
    """Cumulative person-weeks by rank, the total capacity, and where the cut line falls."""

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(TITLE, parent, zoom=zoom)
        self.setObjectName("cutLineChart")
        self.evaluation = None
        self.rank_x = np.zeros(0)
        self.cumulative = np.zeros(0)
        self.rows = np.zeros(0, dtype=np.int64)   # portfolio row at each rank
        self.total_capacity = 0.0
        self.funded_line = pg.PlotDataItem()
        self.unfunded_line = pg.PlotDataItem()
        self.funded_points = pg.ScatterPlotItem(size=POINT_SIZE, symbol="o")
        self.unfunded_points = pg.ScatterPlotItem(size=POINT_SIZE, symbol="o")
        self.below_points = pg.ScatterPlotItem(size=POINT_SIZE + 5, symbol="o")
        self.below_count = 0
        self.capacity_line = pg.InfiniteLine(angle=0, movable=False, label="",
                                             labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)]})
        self.cut = pg.InfiniteLine(angle=90, movable=False, label="",
                                   labelOpts={"position": 0.94, "anchors": [(-0.06, 0.5), (-0.06, 0.5)]})
        items = (self.capacity_line, self.unfunded_line, self.funded_line, self.unfunded_points,
                 self.funded_points, self.below_points, self.cut)
        for z, item in enumerate(items):
            item.setZValue(z + 2)
            self.plot.addItem(item)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.set_axis_labels("Cumulative effort (person-weeks)", "Rank (1 is funded first)")
        self.add_legend_below()
        self.apply_look()

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        theme = current_theme()
        grey = unfunded_colour()
        self.funded_line.setPen(pen(FUNDED, 3.5))
        self.unfunded_line.setPen(pen(grey, 3.0, Qt.PenStyle.DashLine))
        self.funded_points.setPen(pen(theme.base, 1.0))
        self.funded_points.setBrush(pg.mkBrush(FUNDED))
        self.unfunded_points.setPen(pen(grey, 2.0))
        self.unfunded_points.setBrush(pg.mkBrush(theme.base))
        self.below_points.setPen(pen(theme.text, 2.5))
        self.below_points.setBrush(pg.mkBrush(FUNDED))
        self.capacity_line.setPen(pen(theme.text, 2.0, Qt.PenStyle.DashLine))
        self.cut.setPen(pen(CUT_LINE, 3.0))
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        for line, colour in ((self.capacity_line, theme.text), (self.cut, CUT_LINE)):
            line.label.setColor(QColor(colour))
            line.label.fill = pg.mkBrush(QColor(theme.base))
            line.label.setFont(font)
        self._set_key()

    def _set_key(self) -> None:
        theme, grey = current_theme(), unfunded_colour()
        below = [("Funded below the cut line", Swatch("dot", FUNDED, outline=theme.text))] if self.below_count else []
        self.key.set_entries([
            ("Funded", Swatch("line", FUNDED, dot="filled")),
            *below,
            ("Not funded", Swatch("line", grey, outline=theme.base, dashed=True, dot="hollow")),
            ("Total capacity", Swatch("line", theme.text, dashed=True)),
            ("Cut line", Swatch("line", CUT_LINE)),
        ])

    # -- data ----------------------------------------------------------------------------------
    def set_evaluation(self, evaluation) -> None:
        """New arrays for the existing curves, points and lines."""
        self.evaluation = evaluation
        ranking, alloc = evaluation.ranking, evaluation.allocation
        self.rows = np.asarray(ranking.order, dtype=np.int64)
        effort = np.nan_to_num(evaluation.portfolio.numeric("effort")[self.rows])
        funded = alloc.funded[self.rows]
        n = len(self.rows)
        self.rank_x = np.arange(1, n + 1, dtype=float)
        self.cumulative = np.cumsum(effort)
        x, y, solid = curve(self.cumulative, funded)
        self.funded_line.setData(x=x, y=y, connect=np.append(solid, False))
        self.unfunded_line.setData(x=x, y=y, connect=np.append(~solid, False))
        show = n <= POINTS_UP_TO
        below = funded & (self.rank_x > alloc.cut_line) if alloc.cut_line is not None else np.zeros(n, bool)
        self.below_count = int(below.sum())
        self.funded_points.setData(x=self.rank_x[funded & ~below & show],
                                   y=self.cumulative[funded & ~below & show])
        self.below_points.setData(x=self.rank_x[below & show], y=self.cumulative[below & show])
        self._set_key()
        self.unfunded_points.setData(x=self.rank_x[~funded & show], y=self.cumulative[~funded & show])
        self.total_capacity = float(alloc.utilisation["capacity"].sum()) if len(alloc.utilisation) else 0.0
        self.capacity_line.setValue(self.total_capacity)
        self.capacity_line.label.setFormat(f"total capacity {self.total_capacity:,.0f} person-weeks")
        self._set_cut(alloc.cut_line)
        top = max(float(self.cumulative[-1]) if n else 0.0, self.total_capacity, 1.0)
        self.plot.setXRange(0, max(n, 1) + 0.5, padding=0.01)
        # Ranks are whole numbers: with a handful of them, a tick per rank, never 0.2, 0.4 …
        bottom = self.plot.getAxis("bottom")
        if n <= 12:
            bottom.setTickSpacing(major=1, minor=1)
        else:
            bottom.setTickSpacing()  # pyqtgraph's own spacing again
        self.plot.setYRange(0, top * 1.08, padding=0)

    def _set_cut(self, cut_line: int | None) -> None:
        self.cut.setVisible(cut_line is not None)
        if cut_line is None:
            self.cut.label.setFormat("")
            return
        self.cut.setValue(cut_line - 0.5)  # between the last funded rank and the first that is not
        self.cut.label.setFormat(f"cut line #{cut_line}")
        self.cut.label.setVisible(True)

    @property
    def cut_label(self) -> str:
        """The cut line's label as shown, "" when everything is funded."""
        return self.cut.label.format if self.cut.isVisible() else ""

    # -- hover and click ---------------------------------------------------------------------
    def nearest(self, x: float, y: float) -> int:
        """The rank (0-based position) nearest (x, y) within PICK_PIXELS, -1 for none."""
        n = len(self.rank_x)
        if not n:
            return -1
        box = self.plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        px = (x1 - x0) / max(box.width(), 1.0) if box.width() > 1 else (x1 - x0) / 600
        py = (y1 - y0) / max(box.height(), 1.0) if box.height() > 1 else (y1 - y0) / 400
        lo, hi = max(int(np.floor(x - PICK_PIXELS * px)) - 1, 0), min(int(np.ceil(x + PICK_PIXELS * px)), n)
        if lo >= hi:
            return -1
        d2 = ((self.rank_x[lo:hi] - x) / px) ** 2 + ((self.cumulative[lo:hi] - y) / py) ** 2
        i = int(np.argmin(d2))
        return lo + i if d2[i] <= PICK_PIXELS ** 2 else -1

    def hover_text(self, x: float, y: float) -> str:
        i = self.nearest(x, y)
        return "" if i < 0 else self.describe(i)

    def describe(self, position: int) -> str:
        """The initiative at a rank position, its effort and the running total against capacity."""
        ev = self.evaluation
        row = int(self.rows[position])
        p, alloc = ev.portfolio, ev.allocation
        effort = p.numeric("effort")[row]
        size = f"effort {effort:g} person-weeks" if np.isfinite(effort) else "no effort estimate"
        if alloc.funded[row]:
            funding = f"funded in {alloc.quarters[int(alloc.quarter[row])]}"
            if alloc.cut_line is not None and position + 1 > alloc.cut_line:
                funding += f", {below_reason(ev, row)}"
        else:
            funding = "not funded" + (f": {alloc.reason[row]}" if alloc.reason[row] else "")
        return (f"#{position + 1} {p.ids[row]} {p.value(row, 'title')}\n"
                f"{size} · {self.cumulative[position]:,.0f} of {self.total_capacity:,.0f} "
                f"person-weeks so far\n{funding}")

    def point_of(self, row: int) -> tuple[float, float] | None:
        """Where portfolio row `row` sits on the curve."""
        where = np.flatnonzero(self.rows == row)
        return (float(self.rank_x[where[0]]), float(self.cumulative[where[0]])) if len(where) else None

    def row_at(self, x: float, y: float) -> int:
        i = self.nearest(x, y)
        return int(self.rows[i]) if i >= 0 else -1
