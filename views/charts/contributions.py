"""One initiative's score as a stacked horizontal bar: one segment per criterion, labelled with its points."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from cutline.views.charts.base import TICK_PT, Chart, pen
from cutline.views.palette import criterion_colour
from cutline.views.theme import current_theme
from PySide6.QtGui import QColor, QFont

#: From this width (at zoom 1) the legend takes three columns, else two.
THREE_COLUMN_WIDTH = 380
BAR_Y = 0.0
BAR_HEIGHT = 0.8
#: Segments narrower than this many pixels carry no label (the table below has every number).
LABEL_MIN_PIXELS = 30


__all__ = ["ContributionsChart", "criterion_colour", "text_colour_on"]


def segment_pen():
    """Criteria are pale tints: an outline keeps each segment, and the bar, visible on white."""
    theme = current_theme()
    return pen(theme.muted if theme.name == "light" else theme.base, 1.5)


def text_colour_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on `colour`."""
    luminance = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    return QColor("#000000" if luminance > 0.55 else "#FFFFFF")


class ContributionsChart(Chart):
    """Where an initiative's points come from; the bar's length is its score (0 to 100)."""

    def __init__(self, parent=None, *, zoom: float = 1.0, legend: bool = True):
        """`legend=False` where a table beside the chart already names the colours."""
        super().__init__("What earns its points?", parent, zoom=zoom)
        self.setObjectName("contributionsChart")
        self.names: tuple[str, ...] = ()
        self.points = np.zeros(0)
        self.normalised = np.zeros(0)
        self.weights = np.zeros(0)
        self._bars: list[pg.BarGraphItem] = []
        self._labels: list[pg.TextItem] = []
        self.plot.getAxis("left").setTicks([[]])
        self.plot.getAxis("left").setWidth(8)
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        self.set_axis_labels("", "Points (they add up to the score)")
        self.plot.setXRange(0, 100, padding=0.02)
        if legend:
            self.plot.setYRange(-2.6, 0.5, padding=0)  # the bar on top, the legend below it
            self.add_legend(columns=3)
            self.legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(6, -4))
        else:
            self.plot.setYRange(-0.5, 0.5, padding=0)

    def set_contributions(self, names, points, normalised=None, weights=None) -> None:
        """Show one initiative: criterion names and their points (NaN counts as 0)."""
        names = tuple(names)
        points = np.nan_to_num(np.asarray(points, dtype=float))
        if names != self.names:
            self._rebuild(names)
        self.points = points
        self.normalised = np.asarray(normalised if normalised is not None else np.full(len(names), np.nan))
        self.weights = np.asarray(weights if weights is not None else np.full(len(names), np.nan))
        starts = np.concatenate(([0.0], np.cumsum(points)[:-1])) if len(points) else points
        for bar, label, x0, width in zip(self._bars, self._labels, starts, points):
            bar.setOpts(x0=[x0], width=[width], y=[BAR_Y], height=BAR_HEIGHT)
            label.setPos(x0 + width / 2, BAR_Y)
        self.plot.setXRange(0, 100, padding=0.02)
        self._label_segments()

    def _label_segments(self) -> None:
        """Points on every segment wide enough to hold them at the chart's current width."""
        box = self.plot.getViewBox()
        width = box.width() if box.width() > 1 else 380.0
        min_points = LABEL_MIN_PIXELS * self.zoom * 104.0 / width
        for label, points in zip(self._labels, self.points):
            label.setText(f"{points:.0f}" if points >= min_points else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._label_segments()
        columns = 3 if self.width() >= THREE_COLUMN_WIDTH * self.zoom else 2
        if self.legend is not None and self.legend.columnCount != columns:
            self.legend.setColumnCount(columns)

    def _rebuild(self, names: tuple[str, ...]) -> None:
        for item in (*self._bars, *self._labels):
            self.plot.removeItem(item)
        if self.legend is not None:
            self.legend.clear()
        self._bars, self._labels = [], []
        for i, name in enumerate(names):
            colour = criterion_colour(i)
            bar = pg.BarGraphItem(x0=[0], width=[0], y=[BAR_Y], height=BAR_HEIGHT,
                                  brush=colour, pen=segment_pen(), name=name)
            self.plot.addItem(bar)
            label = pg.TextItem("", color=text_colour_on(colour), anchor=(0.5, 0.5))
            label.setFont(self._label_font())
            self.plot.addItem(label)
            self._bars.append(bar)
            self._labels.append(label)
        self.names = names

    def _label_font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        return font

    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        for i, (bar, label) in enumerate(zip(self._bars, self._labels)):
            colour = criterion_colour(i)
            bar.setOpts(brush=colour, pen=segment_pen())
            label.setColor(text_colour_on(colour))
            label.setFont(self._label_font())

    def segment_at(self, x: float) -> int:
        """The criterion whose segment covers x points, -1 for none."""
        if not len(self.points):
            return -1
        ends = np.cumsum(self.points)
        i = int(np.searchsorted(ends, x, side="right"))
        return i if 0 <= x and i < len(self.points) and self.points[i] > 0 else -1

    def hover_text(self, x: float, y: float) -> str:
        if abs(y - BAR_Y) > BAR_HEIGHT / 2:
            return ""
        i = self.segment_at(x)
        if i < 0:
            return ""
        text = f"{self.names[i]}: {self.points[i]:.1f} points"
        n, w = self.normalised[i], self.weights[i]
        if n == n and w == w:
            text += f"\nnormalised {n:.2f} × weight {w:g}"
        return text
