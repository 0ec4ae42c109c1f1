"""Type for the room: the rating panels read from the back of a meeting room, at any zoom."""

from __future__ import annotations

from cutline.views.palette import CUT_LINE
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

#: Tables in the rating panels are this much larger than the window's type (zoom included)...
TABLE_SCALE = 1.35
#: ...their buttons, boxes and labels this much, and their headings this much.
PANEL_SCALE = 1.15
HEADING_SCALE = 1.7


def scaled_font(scale: float, bold: bool = False) -> QFont:
    """The application's font (the window's zoom is already in it) scaled for the room."""
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    return font


def room_style() -> str:
    """A style sheet for a rating panel: larger controls, big headings, problems in vermillion.

    Fonts go through a style sheet because, under the application's style sheet, a font set
    on a panel does not reach its buttons and labels.
    """
    pt = QApplication.font().pointSizeF()
    return f"""
    QPushButton, QLabel, QComboBox, QCheckBox, QAbstractSpinBox, QLineEdit, QListWidget {{
        font-size: {pt * PANEL_SCALE:.1f}pt; }}
    QPushButton {{ padding: 6px 14px; }}
    QLabel[role="heading"] {{ font-size: {pt * HEADING_SCALE:.1f}pt; font-weight: 700; }}
    QLabel[role="problem"] {{ color: {CUT_LINE}; font-weight: 700; }}
    """


def restyle(widget) -> None:
    """Give a rating panel the room's style sheet, only when it changed (re-styling is slow)."""
    sheet = room_style()
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def style_table(table, row_factor: float = 1.75) -> None:
    """Large type in a rating table, bold headers, rows tall enough for it."""
    table.setFont(scaled_font(TABLE_SCALE))
    table.horizontalHeader().setFont(scaled_font(TABLE_SCALE, bold=True))
    table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().height() * row_factor))
