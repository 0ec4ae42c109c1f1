"""The capacity chart's last column: per team, the effort of its initiatives that are not funded.

Hatched bars on the column's own scale, fitted to the largest team's demand (it is often several
quarters' worth, so the quarters' scale would clip it and make 17 and 56 person-weeks look
alike), each with its number written just past its end; room for that number is kept free at the
right of the column, so a label never covers a bar.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from cutline.views.charts.base import TICK_PT, pen
from cutline.views.charts.legend_below import hatch_brush
from cutline.views.theme import current_theme
from PySide6.QtGui import QColor, QFont

#: Pixels kept free right of the longest bar for its number ("56.5 pw" in bold).
LABEL_ROOM_PIXELS = 64
GAP = 0.02  # of a column, between a bar's end and its number
TICK_PIXELS = 34  # room one tick label needs


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 5 × 10^k) giving about `ticks` ticks over `span`."""
    raw = max(span, 1e-9) / ticks
    power = 10 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


class NotFundedColumn:
    """Hatched bars and written person-weeks in the column that starts at x = `left`."""

    def __init__(self, plot: pg.PlotItem, *, pad: float, bar_height: float):
        self.plot, self.pad, self.bar_height = plot, pad, bar_height
        self.values = np.zeros(0)
        self.scale = 1.0
        self.unit = 1.0
        self.zoom = 1.0
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=bar_height)
        self.bars.setZValue(6)
        plot.addItem(self.bars)
        self.labels: list[pg.TextItem] = []

    def apply_look(self, zoom: float) -> None:
        theme = current_theme()
        self.zoom = zoom
        self.bars.setOpts(brush=hatch_brush(theme.text), pen=pen(theme.text, 1.5))
        for label in self.labels:
            self._style(label)

    def _style(self, label: pg.TextItem) -> None:
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        label.setFont(font)
        label.setColor(QColor(current_theme().text))

    def set_values(self, values: np.ndarray, left: float, column_pixels: float, every: int = 1) -> list:
        """Draw `values` (person-weeks per row) and return the column's axis ticks.

        `every` writes the number on every that-many rows only (the team names are thinned alike)."""
        self.values = values = np.asarray(values, dtype=float)
        top = float(max(values.max(), 1.0)) if len(values) else 1.0
        room = min(0.5, LABEL_ROOM_PIXELS * self.zoom / max(column_pixels, 1.0))
        length = max(1 - 2 * self.pad - room, 0.2)  # of the column, for the longest bar
        ticks = max(1, min(3, int(length * column_pixels // (TICK_PIXELS * self.zoom))))
        step = nice_step(top, ticks=ticks)
        self.scale = float(np.ceil(top / step - 1e-9) * step)
        self.unit = length / self.scale
        shown = values > 0
        rows = np.arange(len(values))
        self.bars.setOpts(x0=np.full(int(shown.sum()), left + self.pad), y=rows[shown],
                          width=values[shown] * self.unit, height=self.bar_height)
        self._set_labels(left, every)
        return [(left + self.pad + v * self.unit, f"{v:g}") for v in np.arange(0, self.scale + 1e-9, step)]

    @property
    def widths(self) -> np.ndarray:
        """Each row's bar length in chart units (0 for a team with nothing waiting)."""
        return self.values * self.unit

    def _set_labels(self, left: float, every: int) -> None:
        while len(self.labels) < len(self.values):
            label = pg.TextItem("", anchor=(0, 0.5))
            label.setZValue(9)
            self._style(label)
            self.plot.addItem(label)
            self.labels.append(label)
        for i, label in enumerate(self.labels):
            value = float(self.values[i]) if i < len(self.values) and i % every == 0 else 0.0
            label.setVisible(bool(value > 0))
            label.setText(f"{value:g} pw" if value > 0 else "")
            label.setPos(left + self.pad + value * self.unit + GAP, i)
