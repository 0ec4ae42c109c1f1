"""Value versus effort: one point per initiative, score (or RICE) against effort in person-weeks.

Tiers differ in shape and in shade of ink (the tier palette: never a category's or a criterion's
colour, which mean other things on the same screen), unfunded initiatives are hollow, the selected one wears a ring
and its name. The scatter items are built once; each evaluation gives them new arrays.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from cutline.views.charts.base import TICK_PT, Chart, pen
from cutline.views.charts.point_cloud import PointCloud
from cutline.views.palette import tier_hex
from cutline.views.theme import current_theme

#: Symbol per tier (1 first): the shape tells tiers apart, the shade of ink backs it up.
TIER_SYMBOLS = ("o", "t", "s", "d", "h")
POINT_SIZE = 13
RING_SIZE = 30
#: How close (in pixels) the pointer must be to a point for hover and click.
PICK_PIXELS = 14
MEASURES = {
    "score": ("Which initiatives give the most score per person-week?", "Score (0 to 100)"),
    "rice": ("Which initiatives give the most RICE per person-week?", "RICE (reach × impact × confidence ÷ effort)"),
}
EFFORT_LABEL = "Effort (person-weeks)"
#: From this width (at zoom 1) the legend takes two columns.
TWO_COLUMN_WIDTH = 700


def tier_style(tier: int) -> tuple[str, str]:
    """(colour in the current theme, symbol) of a tier."""
    return tier_hex(tier), TIER_SYMBOLS[(tier - 1) % len(TIER_SYMBOLS)]


class ValueEffortChart(Chart):
    """Score or RICE against effort for every initiative; click a point to select it."""

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(MEASURES["score"][0], parent, zoom=zoom)
        self.setObjectName("valueEffortChart")
        self.measure = "score"
        self.evaluation = None
        self.selected = -1
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        self.rows = np.zeros(0, dtype=np.int64)
        self.items: dict[tuple[int, bool], PointCloud] = {}
        self._samples: dict[tuple[int, bool], pg.ScatterPlotItem] = {}  # what the legend shows
        self._legend_key: tuple = ()
        self._ranges: tuple = ()  # the axis ranges last set
        self._waiting = None  # an evaluation not drawn yet
        self._build_controls()
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.set_axis_labels(MEASURES["score"][1], EFFORT_LABEL)
        # The legend sits below the plot, so it never hides a point or the selected name.
        self.legend = pg.LegendItem(colCount=1)
        self.plot.layout.addItem(self.legend, 4, 0, 1, 3)
        self.ring = pg.ScatterPlotItem(size=RING_SIZE, symbol="o", brush=None)
        self.ring.setZValue(20)
        self.plot.addItem(self.ring)
        self.label = pg.TextItem("", anchor=(0, 1))
        self.label.setZValue(21)
        self.plot.addItem(self.label)
        # The selected name is fitted to the plot's width: again whenever that width changes.
        self.plot.getViewBox().sigResized.connect(lambda *_: self.set_selected(self.selected))
        self.apply_look()

    def _build_controls(self) -> None:
        bar = QWidget(objectName="valueEffortControls")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel("Height shows"))
        self.measure_box = QComboBox(objectName="measureBox")
        self.measure_box.addItem("Score", "score")
        self.measure_box.addItem("RICE", "rice")
        self.measure_box.currentIndexChanged.connect(
            lambda _: self.set_measure(self.measure_box.currentData()))
        row.addWidget(self.measure_box)
        self.note = QLabel(objectName="valueEffortNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)  # a narrow chart wraps the note rather than widening the window
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.note, 1)
        self.layout().insertWidget(0, bar)

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        theme = current_theme()
        self.ring.setPen(pen(theme.text, 3.0))
        self.ring.setSize(RING_SIZE * self.zoom)
        self.label.setColor(QColor(theme.text))
        self.label.fill = pg.mkBrush(QColor(theme.base).darker(100))
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        self.label.setFont(font)
        for (tier, funded), item in self.items.items():
            self._style(item, tier, funded)
            self._style(self._samples[(tier, funded)], tier, funded)

    def _style(self, item, tier: int, funded: bool) -> None:
        colour, symbol = tier_style(tier)
        item.setSymbol(symbol)
        item.setSize(POINT_SIZE * self.zoom)  # larger on a projector (presentation zoom)
        if funded:
            item.setPen(pen(current_theme().base, 1.0))
            item.setBrush(pg.mkBrush(colour))
        else:
            item.setPen(pen(colour, 2.5))
            item.setBrush(pg.mkBrush(current_theme().base))

    def _item(self, tier: int, funded: bool) -> PointCloud:
        key = (tier, funded)
        if key not in self.items:
            item = PointCloud()
            item.setZValue(10 if funded else 9)
            self._style(item, tier, funded)
            self.plot.addItem(item)
            self.items[key] = item
            # The legend draws a ScatterPlotItem's symbol; clicking it hides or shows the points.
            sample = self._samples[key] = pg.ScatterPlotItem()
            self._style(sample, tier, funded)
            sample.visibleChanged.connect(lambda: item.setVisible(sample.isVisible()))
        return self.items[key]

    # -- data ----------------------------------------------------------------------------------
    def set_measure(self, measure: str) -> None:
        """Plot score or RICE as the height."""
        self.measure = measure
        title, axis = MEASURES[measure]
        self.set_title(title)
        self.set_axis_labels(axis, EFFORT_LABEL)
        box = self.measure_box.findData(measure)
        if box != self.measure_box.currentIndex():
            self.measure_box.setCurrentIndex(box)
        if self._waiting is None and self.evaluation is not None:
            self._waiting = self.evaluation
        self._draw_waiting()

    def set_evaluation(self, evaluation) -> None:
        """Show an evaluation: at once when visible (100,000 points take a few milliseconds);
        a hidden chart catches up when it is shown."""
        self._waiting = evaluation
        if self.isVisible():
            self._draw_waiting()

    def _draw_waiting(self) -> None:
        evaluation, self._waiting = self._waiting, None
        if evaluation is not None:
            self._draw(evaluation)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_waiting()

    def _draw(self, evaluation) -> None:
        """New arrays for the existing scatter items."""
        self.evaluation = evaluation
        ranking = evaluation.ranking
        effort = evaluation.portfolio.numeric("effort")
        height = ranking.score if self.measure == "score" else ranking.rice
        shown = np.isfinite(effort) & np.isfinite(height)
        self.rows = np.flatnonzero(shown)
        self.x, self.y = effort[shown], np.asarray(height, dtype=float)[shown]
        tier, funded = ranking.tier[shown], evaluation.allocation.funded[shown]
        tiers = range(1, len(ranking.tier_names) + 1)
        for t in tiers:
            for f in (True, False):
                self._item(t, f)
        present = []
        for (t, f), item in self.items.items():
            mask = (tier == t) & (funded == f)
            item.setData(x=self.x[mask], y=self.y[mask])  # hover and click use self.rows
            if mask.any():
                present.append((t, f))
        self._refresh_legend(ranking.tier_names, present)
        hidden = len(ranking) - len(self.rows)
        what = "an effort" if self.measure == "score" else "an effort or a RICE value"
        self.note.setText(f"{hidden} without {what} not shown" if hidden else "")
        self._set_ranges()
        self.set_selected(self.selected)

    def _set_ranges(self) -> None:
        x_max = float(self.x.max()) if len(self.x) else 10.0
        if self.measure == "score":
            y_range = (0.0, 100.0, 0.03)
        else:
            y_max = float(self.y.max()) if len(self.y) else 1.0
            y_range = (0.0, max(y_max, 1e-9) * 1.3, 0.02)
        ranges = ((0.0, max(x_max, 1.0) * 1.05, 0.02), y_range)
        if ranges == self._ranges:
            return  # the same axes: leave them (and their painted ticks) alone
        self._ranges = ranges
        (x0, x1, xp), (y0, y1, yp) = ranges
        self.plot.setXRange(x0, x1, padding=xp)
        self.plot.setYRange(y0, y1, padding=yp)

    def _refresh_legend(self, tier_names: tuple[str, ...], present: list[tuple[int, bool]]) -> None:
        key = (tier_names, tuple(sorted(present)))
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        for t, f in sorted(present, key=lambda k: (k[0], not k[1])):
            name = tier_names[t - 1] if t - 1 < len(tier_names) else ""
            name = name if len(name) <= 32 else name[:31] + "…"
            self.legend.addItem(self._samples[(t, f)], f"T{t} {name}: {'funded' if f else 'not funded'}")
        self.apply_look()
        self._fit_legend()

    def set_selected(self, row: int) -> None:
        """Ring and name the initiative in portfolio row `row` (-1 for none)."""
        self.selected = row
        where = np.flatnonzero(self.rows == row) if row >= 0 else []
        if self.evaluation is None or not len(where):
            self.ring.setData(x=[], y=[])
            self.label.setText("")
            return
        i = int(where[0])
        x, y = float(self.x[i]), float(self.y[i])
        self.ring.setData(x=[x], y=[y])
        p = self.evaluation.portfolio
        title = str(p.value(row, "title"))
        # Keep the name inside the plot: to the right of the point where it fits, else to its
        # left, else on the wider side and shortened to fit.
        box = self.plot.getViewBox()
        (x0, x1), _ = box.viewRange()
        width = max(box.width(), 1.0)
        at = (x - x0) / max(x1 - x0, 1e-9) * width
        text = f"{p.ids[row]} {title[:40]}"
        self.label.setText(text)
        need = self.label.textItem.boundingRect().width()
        right_room, left_room = width - at - RING_SIZE / 2, at - RING_SIZE / 2
        left = need > right_room and left_room > right_room
        room = left_room if left else right_room
        while need > room and len(text) > len(str(p.ids[row])) + 2:
            text = text[:-2].rstrip() + "…"
            self.label.setText(text)
            need = self.label.textItem.boundingRect().width()
        self.label.setAnchor((1.0, 1.0) if left else (0.0, 1.0))
        self.label.setPos(x, y)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self) -> None:
        """As many legend columns as its widest entry allows across the chart (fewer rows leave
        the plot its height on a laptop); one keeps a narrow chart from widening the window."""
        widths = [sample.boundingRect().width() + label.item.boundingRect().width() + 16 * self.zoom
                  for sample, label in self.legend.items]
        if widths:
            columns = max(1, min(len(widths), int(self.width() // max(widths))))
        else:
            columns = 2 if self.width() >= TWO_COLUMN_WIDTH * self.zoom else 1
        if self.legend.columnCount != columns:
            self.legend.setColumnCount(columns)

    # -- hover and click ---------------------------------------------------------------------
    def nearest(self, x: float, y: float) -> int:
        """Index into the plotted points of the one nearest (x, y) within PICK_PIXELS, -1 for none."""
        if not len(self.x):
            return -1
        px, py = self._pixel_size()
        d2 = ((self.x - x) / px) ** 2 + ((self.y - y) / py) ** 2
        i = int(np.argmin(d2))
        return i if d2[i] <= PICK_PIXELS ** 2 else -1

    def _pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel (a fallback before the chart is laid out)."""
        box = self.plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        width, height = box.width(), box.height()
        px = (x1 - x0) / width if width > 1 else (x1 - x0) / 600
        py = (y1 - y0) / height if height > 1 else (y1 - y0) / 400
        return max(px, 1e-12), max(py, 1e-12)

    def hover_text(self, x: float, y: float) -> str:
        i = self.nearest(x, y)
        return "" if i < 0 else self.describe(int(self.rows[i]))

    def describe(self, row: int) -> str:
        """One initiative's name and numbers, as the hover shows them."""
        ev = self.evaluation
        p, ranking, alloc = ev.portfolio, ev.ranking, ev.allocation
        effort = float(p.numeric("effort")[row])
        score = float(ranking.score[row])
        per_week = f" · {score / effort:.1f} points per person-week" if effort > 0 else ""
        if alloc.funded[row]:
            funding = f"funded in {alloc.quarters[int(alloc.quarter[row])]}"
        else:
            funding = "not funded" + (f" ({alloc.reason[row]})" if alloc.reason[row] else "")
        rice = ranking.rice[row]
        rice_text = f" · RICE {rice:,.1f}" if rice == rice else ""
        return (f"{p.ids[row]} {p.value(row, 'title')}\n"
                f"Score {score:.1f} · effort {effort:g} person-weeks{per_week}{rice_text}\n"
                f"Rank {int(ranking.rank[row])} · tier {int(ranking.tier[row])} · {funding}")

    def row_at(self, x: float, y: float) -> int:
        i = self.nearest(x, y)
        return int(self.rows[i]) if i >= 0 else -1

    def point_of(self, row: int) -> tuple[float, float] | None:
        """Where portfolio row `row` is plotted, None when it is not."""
        where = np.flatnonzero(self.rows == row)
        return (float(self.x[where[0]]), float(self.y[where[0]])) if len(where) else None
