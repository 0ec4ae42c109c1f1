"""The cut line as a band of its own between the last funded row and the first unfunded one.

The band takes height: the first unfunded row is made taller by the band and its cells are drawn
below it, so the line and its label never cover a row's score or quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

from cutline.views.palette import CUT_LINE
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem


@dataclass(frozen=True)
class BandStyle:
    """How the band looks: the table's own, or the presentation's heavier one."""

    line_width: int = 3
    dashed: bool = True
    label: str = " cut line at #{cut} "
    filtered_label: str = " cut line of the rows shown at #{cut} "
    padding: int = 4          # pixels above and below the label box
    background: str | None = None  # None: the table's base colour

    def text(self, cut: int, filtered: bool) -> str:
        return (self.filtered_label if filtered else self.label).format(cut=cut)


NORMAL = BandStyle()


def label_font(table_font: QFont) -> QFont:
    font = QFont(table_font)
    font.setBold(True)
    return font


def band_height(table_font: QFont, style: BandStyle) -> int:
    """The band's height for the table's type: the label box and room around it."""
    return QFontMetrics(label_font(table_font)).height() + 2 + 2 * style.padding


def label_box(band: QRect, metrics: QFontMetrics, text: str) -> QRect:
    """The label at the right end of the band, inside it."""
    width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
    return QRect(band.right() - width - 16, band.center().y() - height // 2, width, height)


def paint_band(painter: QPainter, band: QRect, font: QFont, style: BandStyle, text: str,
               background: QColor) -> None:
    """The band: its own background (grid lines stop at it), a line across, the label on the right."""
    painter.save()
    painter.fillRect(band, QColor(style.background) if style.background else background)
    pen = QPen(QColor(CUT_LINE), style.line_width,
               Qt.PenStyle.DashLine if style.dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    y = band.center().y()
    painter.drawLine(band.left(), y, band.right(), y)
    painter.setFont(label_font(font))
    box = label_box(band, painter.fontMetrics(), text)
    painter.fillRect(box, QColor(CUT_LINE))
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class RowDelegate(QStyledItemDelegate):
    """Draws a cell below the band when its row carries the band (the view says how far down)."""

    def cell_option(self, option, index) -> QStyleOptionViewItem:
        offset = self.parent().band_offset(index.row())
        if not offset:
            return option
        shifted = QStyleOptionViewItem(option)
        shifted.rect = option.rect.adjusted(0, offset, 0, 0)
        return shifted

    def paint(self, painter: QPainter, option, index) -> None:
        super().paint(painter, self.cell_option(option, index), index)
