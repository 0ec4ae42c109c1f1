"""A legend laid out under a chart's axis, so it never covers the data, and its swatches.

The capacity charts are dense (every team, every quarter); a legend floating inside the plot
would hide bars, so it takes its own row of the plot's layout instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

#: The row under the bottom axis in a PlotItem's grid layout (title 0, top axis 1, plot 2, axis 3).
LEGEND_ROW = 4
SWATCH_PIXELS = 22


@dataclass(frozen=True)
class Swatch:
    """How one legend entry looks: a filled box, a line, or a marker."""

    kind: str                       # "box", "line", "dot" or "arrow"
    colour: str                     # fill for box and dot, stroke for line and arrow
    outline: str | None = None      # box and dot outline; None for none
    dashed: bool = False
    hatched: bool = False
    hollow: bool = False
    dot: str | None = None          # on a line: "filled" or "hollow" point in its middle


def hatch_brush(colour) -> QBrush:
    """Diagonal hatching: marks "not funded" by pattern as well as colour."""
    return QBrush(QColor(colour), Qt.BrushStyle.BDiagPattern)


class SwatchSample(ItemSample):
    """Paints a Swatch; clicking it does nothing (the charts have no series to hide)."""

    def __init__(self, swatch: Swatch):
        super().__init__(None)
        self.swatch = swatch
        self.setFixedWidth(SWATCH_PIXELS + 4)
        self.setFixedHeight(SWATCH_PIXELS)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, SWATCH_PIXELS + 4, SWATCH_PIXELS)

    def paint(self, p: QPainter, *args) -> None:
        s, size = self.swatch, SWATCH_PIXELS
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        stroke = QPen(QColor(s.outline or s.colour), 2.0)
        stroke.setCosmetic(True)
        if s.dashed:
            stroke.setStyle(Qt.PenStyle.DashLine)
        if s.kind == "line":
            stroke.setColor(QColor(s.colour))
            stroke.setWidthF(3.0)
            p.setPen(stroke)
            p.drawLine(QPointF(1, size / 2), QPointF(size + 2, size / 2))
            if s.dot:
                p.setPen(QPen(QColor(s.colour), 2.0))
                p.setBrush(QColor(s.colour) if s.dot == "filled" else QColor(s.outline or "#FFFFFF"))
                p.drawEllipse(QPointF(size / 2 + 1, size / 2), 5, 5)
            return
        if s.kind == "arrow":
            stroke.setColor(QColor(s.colour))
            p.setPen(stroke)
            p.drawLine(QPointF(1, size / 2), QPointF(size - 6, size / 2))
            p.setBrush(QColor(s.colour))
            p.drawPolygon(QPolygonF([QPointF(size + 2, size / 2), QPointF(size - 8, size / 2 - 6),
                                     QPointF(size - 8, size / 2 + 6)]))
            return
        p.setPen(stroke if s.outline or s.hollow else Qt.PenStyle.NoPen)
        brush = hatch_brush(s.colour) if s.hatched else QBrush(QColor(s.colour))
        p.setBrush(Qt.BrushStyle.NoBrush if s.hollow else brush)
        box = QRectF(3, 3, size - 4, size - 6)
        if s.kind == "dot":
            p.drawEllipse(box.center(), size / 2 - 5, size / 2 - 5)
        else:
            p.drawRect(box)

    def mouseClickEvent(self, event) -> None:
        event.accept()


def _title_across(plot: pg.PlotItem) -> None:
    """Let the title use the whole width, not only the plot's column (long questions fit)."""
    plot.layout.removeItem(plot.titleLabel)
    plot.layout.addItem(plot.titleLabel, 0, 0, 1, 3)


class LegendBelow(QObject):
    """Owns a LegendItem in the plot's layout; entries are rebuilt only when they change.

    It takes as many columns as fit the chart's width, so a narrow chart never gets wider
    than its window (a wide legend would push the plot's right edge out of sight).
    """

    def __init__(self, plot: pg.PlotItem, widget: QWidget):
        super().__init__(widget)
        self.item = pg.LegendItem(colCount=1, horSpacing=14)
        plot.layout.addItem(self.item, LEGEND_ROW, 0, 1, 3)
        _title_across(plot)
        self.widget = widget
        self._entries: tuple = ()
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """The most columns whose widest entries, column by column, fit the widget's width."""
        items = self.item.items
        if not items:
            return
        widths = [sample.width() + label.item.boundingRect().width() + self.item.layout.horizontalSpacing() * 2 + 8
                  for sample, label in items]
        room = self.widget.width() - 30
        columns = 1
        for k in range(len(widths), 1, -1):
            if sum(max(widths[c::k]) for c in range(k)) <= room:
                columns = k
                break
        self.item.setColumnCount(columns)

    def set_entries(self, entries: list[tuple[str, Swatch]]) -> None:
        """Show these (name, swatch) entries in order."""
        key = tuple(entries)
        if key == self._entries:
            return
        self._entries = key
        self.item.clear()
        for name, swatch in entries:
            self.item.addItem(SwatchSample(swatch), name)
        self.fit()

    @property
    def names(self) -> list[str]:
        """The names the legend shows, in order."""
        return [name for name, _ in self._entries]

    def restyle(self) -> None:
        """Redraw the swatches after a theme change (their colours come from the entries)."""
        entries, self._entries = self._entries, ()
        self.set_entries(list(entries))
