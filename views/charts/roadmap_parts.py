"""The roadmap's painted strips: quarter names on top, the scrolling lanes, the legend below.

Each strip paints from the chart's current `RoadmapPicture`, so what is on screen and what is
saved as an image come from the same code (`paint_whole`).
"""

from __future__ import annotations

from cutline.views.charts.legend_below import Swatch
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

LEGEND_PT = 12
TITLE_PT = 15
NOTE_PT = 12


class RoadmapKey:
    """The legend's entries as (name, Swatch), in order."""

    def __init__(self):
        self._entries: list[tuple[str, Swatch]] = []

    def set_entries(self, entries: list[tuple[str, Swatch]]) -> None:
        self._entries = list(entries)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self._entries]


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def legend_layout(key: RoadmapKey, width: float, zoom: float) -> tuple[list[tuple[QRectF, str, Swatch]], float]:
    """Where each legend entry goes when they flow left to right over `width`; and the height."""
    metrics = QFontMetricsF(_font(LEGEND_PT * zoom))
    swatch, gap, line = 26 * zoom, 22 * zoom, metrics.height() + 10 * zoom
    x, y, placed = 6 * zoom, 4 * zoom, []
    for name, s in key._entries:
        w = swatch + 8 * zoom + metrics.horizontalAdvance(name)
        if x + w > width and x > 6 * zoom:
            x, y = 6 * zoom, y + line
        placed.append((QRectF(x, y, w, line), name, s))
        x += w + gap
    return placed, (y + line + 4 * zoom if placed else 0.0)


def paint_legend(painter: QPainter, key: RoadmapKey, width: float, zoom: float, text: QColor) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(_font(LEGEND_PT * zoom))
    for rect, name, s in legend_layout(key, width, zoom)[0]:
        box = QRectF(rect.left(), rect.center().y() - 9 * zoom, 26 * zoom, 18 * zoom)
        _paint_swatch(painter, s, box, zoom)
        painter.setPen(text)
        painter.drawText(rect.adjusted(34 * zoom, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, name)


def _paint_swatch(painter: QPainter, s: Swatch, box: QRectF, zoom: float) -> None:
    stroke = QPen(QColor(s.outline or s.colour), 2.5 * zoom,
                  Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
    if s.kind == "line":
        painter.setPen(QPen(QColor(s.colour), 5 * zoom))
        painter.drawLine(QPointF(box.center().x(), box.top()), QPointF(box.center().x(), box.bottom()))
    elif s.kind == "arrow":
        y = box.center().y()
        painter.setPen(QPen(QColor(s.colour), 2.5 * zoom))
        painter.drawLine(QPointF(box.left(), y), QPointF(box.right() - 8 * zoom, y))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(s.colour))
        painter.drawPolygon(QPolygonF([QPointF(box.right(), y), QPointF(box.right() - 10 * zoom, y - 6 * zoom),
                                       QPointF(box.right() - 10 * zoom, y + 6 * zoom)]))
    else:
        painter.setPen(stroke if s.outline else Qt.PenStyle.NoPen)
        painter.setBrush(Qt.BrushStyle.NoBrush if s.hollow else QColor(s.colour))
        painter.drawRoundedRect(box, 3, 3)


def paint_whole(painter: QPainter, chart, width: float) -> float:
    """Title, note, quarter names, every lane and the legend, top to bottom; the height used."""
    picture, zoom, theme = chart.picture, chart.zoom, chart.theme
    text = QColor(theme.text)
    painter.fillRect(QRectF(0, 0, width, whole_height(chart, width)), QColor(theme.base))
    painter.setPen(text)
    title = _font(TITLE_PT * zoom, True)
    painter.setFont(title)
    h = QFontMetricsF(title).height() + 8 * zoom
    painter.drawText(QRectF(0, 0, width, h), Qt.AlignmentFlag.AlignCenter, chart.title)
    y = h
    note = chart.note.text()
    if note:
        painter.setFont(_font(NOTE_PT * zoom))
        rect = painter.boundingRect(QRectF(6 * zoom, y, width - 12 * zoom, 1000), Qt.TextFlag.TextWordWrap, note)
        painter.drawText(rect, Qt.TextFlag.TextWordWrap, note)
        y += rect.height() + 6 * zoom
    if picture is not None:
        painter.save()
        painter.translate(0, y)
        picture.paint_quarters(painter)
        painter.translate(0, picture.header_height())
        picture.paint(painter)
        painter.restore()
        y += picture.header_height() + picture.height
    painter.save()
    painter.translate(0, y)
    paint_legend(painter, chart.key, width, zoom, text)
    painter.restore()
    return y + legend_layout(chart.key, width, zoom)[1]


def whole_height(chart, width: float) -> float:
    zoom, picture = chart.zoom, chart.picture
    title = QFontMetricsF(_font(TITLE_PT * zoom, True)).height() + 8 * zoom
    note = 0.0
    if chart.note.text():
        metrics = QFontMetricsF(_font(NOTE_PT * zoom))
        note = metrics.boundingRect(QRectF(0, 0, width - 12 * zoom, 1000), Qt.TextFlag.TextWordWrap,
                                    chart.note.text()).height() + 6 * zoom
    body = picture.header_height() + picture.height if picture is not None else 0.0
    return title + note + body + legend_layout(chart.key, width, zoom)[1]


class QuarterStrip(QWidget):
    """The quarter names, fixed above the scrolling lanes."""

    def __init__(self, chart):
        super().__init__(objectName="roadmapQuarters")
        self.chart = chart
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        picture = self.chart.picture
        return QSize(400, int(picture.header_height()) if picture is not None else 30)

    def paintEvent(self, event) -> None:
        if self.chart.picture is None:
            return
        painter = QPainter(self)
        try:
            self.chart.picture.paint_quarters(painter)
        finally:  # a painter left open on an error would take the process down
            painter.end()


class LanesCanvas(QWidget):
    """The lanes and boxes, as tall as they need to be (the scroll area scrolls them)."""

    resized = Signal()

    def __init__(self, chart):
        super().__init__(objectName="roadmapLanes")
        self.chart = chart
        self.setMouseTracking(True)

    def paintEvent(self, event) -> None:
        picture = self.chart.picture
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), QColor(self.chart.theme.base))
            if picture is not None:
                picture.paint(painter, QRectF(event.rect()))
            elif self.chart.empty_text:
                painter.setPen(QColor(self.chart.theme.text))
                painter.setFont(_font(NOTE_PT * self.chart.zoom))
                painter.drawText(QRectF(self.rect()).adjusted(20, 20, -20, -20),
                                 Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.chart.empty_text)
        finally:
            painter.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.resized.emit()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.chart.hover_at(event.pos().x(), event.pos().y())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event) -> None:
        over = self.chart.row_at(event.position().x(), event.position().y()) >= 0
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.chart.click_at(event.position().x(), event.position().y())
        super().mousePressEvent(event)


class LegendStrip(QWidget):
    """The legend under the lanes, as many rows as its width needs."""

    def __init__(self, chart):
        super().__init__(objectName="roadmapLegend")
        self.chart = chart
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def refit(self) -> None:
        self.setFixedHeight(int(legend_layout(self.chart.key, max(self.width(), 200), self.chart.zoom)[1]) + 2)
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.refit()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        try:
            paint_legend(painter, self.chart.key, self.width(), self.chart.zoom, QColor(self.chart.theme.text))
        finally:
            painter.end()
