"""The presentation look: high-contrast colours, bold type, big controls and an unmissable cut line.

A projector washes colours out and thins strokes, so the presentation view uses pure black on
white (or white on black), heavier type, thicker lines and nothing small enough to need a mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from views.palette import CUT_LINE
from views.theme import Theme

#: The cut line in presentation: a solid stroke this many pixels thick (the table's own is 3).
CUT_LINE_WIDTH = 7
#: The heading above the list, in points before the zoom.
HEADING_PT = 17
#: Colours per theme: (text, background, alternate rows, grid lines).
CONTRAST = {
    "light": ("#000000", "#FFFFFF", "#E9EEF4", "#8A9099"),
    "dark": ("#FFFFFF", "#000000", "#1C1F24", "#6F757D"),
}


def presentation_style(theme: Theme, zoom: float = 1.0) -> str:
    """A style sheet for the presenting window, on top of the theme's own (type already zoomed)."""
    text, base, alternate, grid = CONTRAST.get(theme.name, CONTRAST["light"])
    heading_pt = HEADING_PT * zoom
    return f"""
    QMainWindow, QSplitter, QTabWidget, QWidget#presentationCentre {{ background: {base}; }}
    QLabel#rankingHeading {{ color: {text}; font-size: {heading_pt:.0f}pt; font-weight: 800; padding: 6px 2px; }}
    QTableView#rankedTable {{ color: {text}; background: {base}; alternate-background-color: {alternate};
        gridline-color: {grid}; font-weight: 600; border: 2px solid {grid};
        selection-background-color: {theme.highlight}; selection-color: #FFFFFF; }}
    QTableView#rankedTable QHeaderView::section {{ color: {text}; background: {base}; font-weight: 800;
        padding: 8px 10px; border: none; border-bottom: 3px solid {text}; }}
    QScrollBar:vertical {{ width: 24px; }}
    QScrollBar:horizontal {{ height: 24px; }}
    QTabBar::tab {{ padding: 10px 24px; font-weight: 700; color: {text}; }}
    QTabBar::tab:selected {{ border-bottom: 4px solid {theme.highlight}; }}
    """


class CutLineEmphasis(QObject):
    """Paints the ranked table's cut line thicker and labelled larger, over the table's own.

    It filters the table viewport's paint events: the table paints itself first, then the
    emphasis is drawn on top, so the table's code stays as it is.
    """

    def __init__(self, table, parent=None):
        super().__init__(parent)
        self.table = table
        self.active = False

    def install(self) -> None:
        if not self.active:
            self.table.viewport().installEventFilter(self)
            self.active = True
            self.table.viewport().update()

    def remove(self) -> None:
        if self.active:
            self.table.viewport().removeEventFilter(self)
            self.active = False
            self.table.viewport().update()

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.Paint or watched is not self.table.viewport():
            return False
        self.table.paintEvent(event)
        self._paint()
        return True

    def cut_line_y(self) -> int | None:
        """The viewport y of the cut line (top of the first unfunded row), None when not shown."""
        model = self.table.model()
        ev = model.evaluation
        cut = model.cut_line() if ev is not None else None
        if cut is None or not model.sorted_by_rank():
            return None
        pos = model.view_row(int(ev.ranking.order[cut - 1]))
        if pos < 0:
            return None
        y = self.table.rowViewportPosition(pos)
        return y if -CUT_LINE_WIDTH <= y <= self.table.viewport().height() else None

    def _paint(self) -> None:
        y = self.cut_line_y()
        if y is None:
            return
        cut = self.table.model().cut_line()
        viewport = self.table.viewport()
        painter = QPainter(viewport)
        painter.setPen(QPen(QColor(CUT_LINE), CUT_LINE_WIDTH))
        painter.drawLine(0, y, viewport.width(), y)
        font = QFont(self.table.font())
        font.setBold(True)
        painter.setFont(font)
        label = f"  CUT LINE · #{cut} is the first not funded  "
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(label), metrics.height() + 6
        box = QRect(viewport.width() - width - 16, y - height // 2, width, height)
        painter.fillRect(box, QColor(CUT_LINE))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
