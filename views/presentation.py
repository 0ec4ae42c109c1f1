"""The presentation look: high-contrast colours, bold type, big controls and an unmissable cut line.

A projector washes colours out and thins strokes, so the presentation view uses pure black on
white (or white on black), heavier type, thicker lines and nothing small enough to need a mouse.
"""

from __future__ import annotations

from cutline.views.cut_line_band import NORMAL, BandStyle
from cutline.views.theme import Theme
from PySide6.QtCore import QObject

#: The cut line in presentation: a solid stroke this many pixels thick (the table's own is 3, dashed).
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


#: The band in presentation: a solid stroke, a label that says what the line means, more room.
PRESENTING_BAND = BandStyle(line_width=CUT_LINE_WIDTH, dashed=False,
                            label="  CUT LINE · #{cut} is the first not funded  ",
                            filtered_label="  CUT LINE of the rows shown · #{cut} is the first not funded  ",
                            padding=6)


class CutLineEmphasis(QObject):
    """Switches the ranked table's cut-line band to the presentation's heavier look and back.

    The band is a separator of its own height between the last funded row and the next, so even
    the larger label never covers a row's cells.
    """

    def __init__(self, table, parent=None):
        super().__init__(parent)
        self.table = table
        self.active = False

    def install(self) -> None:
        if not self.active:
            self.active = True
            self.table.set_band_style(PRESENTING_BAND)

    def remove(self) -> None:
        if self.active:
            self.active = False
            self.table.set_band_style(NORMAL)

    def cut_line_y(self) -> int | None:
        """The viewport y of the cut line (the middle of its band), None when not in view."""
        band = self.table.band_rect()
        if band is None:
            return None
        y = band.center().y()
        return y if 0 <= y <= self.table.viewport().height() else None


# -- wrapping the reasons ---------------------------------------------------------------------
#: At most this many lines per row while presenting; more would show too few rows.
MAX_LINES = 3


def cell_padding(table) -> int:
    """What a cell takes from its width before the text (the style's text margins, a little slack)."""
    from PySide6.QtWidgets import QStyle

    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    return 2 * margin + 4


def lines_needed(metrics, text: str, width: int) -> int:
    """How many lines `text` wraps into at `width` pixels (words broken only where they must be)."""
    from PySide6.QtCore import QRect, Qt

    if not text:
        return 1
    flags = int(Qt.TextFlag.TextWordWrap)
    height = metrics.boundingRect(QRect(0, 0, max(1, width), 1_000_000), flags, text).height()
    return max(1, round(height / metrics.lineSpacing()))


def longest_texts(texts, count: int = 60) -> list[str]:
    """The longest few distinct texts: the ones that decide a column's width."""
    return sorted({str(t) for t in texts if t}, key=len)[-count:]


def width_for_lines(metrics, texts: list[str], lines: int, least: int, most: int) -> int | None:
    """The narrowest text width (between least and most) at which every text fits in `lines`
    lines; None when even `most` is not enough."""
    def fits(width: int) -> bool:
        return all(lines_needed(metrics, t, width) <= lines for t in texts)

    if fits(least):
        return least
    if most <= least or not fits(most):
        return None
    low, high = least, most  # fits(high), not fits(low)
    while high - low > 2:
        mid = (low + high) // 2
        low, high = (low, mid) if fits(mid) else (mid, high)
    return high


def reason_layout(metrics, texts: list[str], padding: int, least: int, space: int) -> tuple[int, int]:
    """(lines per row, column width) showing every text whole: one line when there is room,
    else the fewest lines (up to MAX_LINES) that fit within `space`, never narrower than `least`."""
    space = max(space, least)
    one_line = max((metrics.horizontalAdvance(t) for t in texts), default=0) + padding
    if one_line <= space:
        return 1, max(one_line, least)
    for lines in range(2, MAX_LINES + 1):
        width = width_for_lines(metrics, texts, lines, max(1, least - padding), space - padding)
        if width is not None:
            return lines, max(width + padding, least)
    return MAX_LINES, space
