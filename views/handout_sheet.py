"""The handout's drawing surface: a PDF page measured in points, its fonts, and text that fits.

Every handout page is drawn through a Sheet, in points (1/72 inch) from the top left of the
printable area, so the page code reads like a layout and never deals with the PDF's resolution.
Type is at least 9 pt: the handout is read on paper.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen

#: Type sizes in points.
BODY_PT = 9.5
SMALL_PT = 9.0
HEADING_PT = 15.0
HEADER_PT = 10.5

INK = QColor("#000000")
MUTED = QColor("#4D4D4D")   # unfunded rows and notes: grey enough to tell apart, dark enough to read
RULE = QColor("#BFBFBF")
SHADE = QColor("#F2F2F2")
WHITE = QColor("#FFFFFF")

Align = Qt.AlignmentFlag
LEFT = Align.AlignLeft | Align.AlignVCenter
RIGHT = Align.AlignRight | Align.AlignVCenter
CENTRE = Align.AlignHCenter | Align.AlignVCenter


def tint(colour: QColor, share: float) -> QColor:
    """`colour` mixed with white: `share` of the colour (a pale fill that black text reads on)."""
    c = QColor(colour)
    return QColor(round(255 - (255 - c.red()) * share), round(255 - (255 - c.green()) * share),
                  round(255 - (255 - c.blue()) * share))


def _pieces(text: str) -> list[str]:
    """Words, with a hyphenated word also breakable after its hyphens ("developer-", "experience").
    A piece that continues its word without a space ends with NO_SPACE, which `_joined` removes."""
    return [m.group(0) + (NO_SPACE if m.group(1) else "")
            for m in re.finditer(r"([^\s-]*-+)(?=[^\s-])|\S+", text)]


def _joined(pieces: list[str]) -> str:
    """Pieces back into text: a space between words, none inside a word broken at a hyphen."""
    out = " ".join(pieces)
    return out.replace(NO_SPACE + " ", "").replace(NO_SPACE, "")


NO_SPACE = "\x00"


class Sheet:
    """A painter on a paged device, with sizes in points and fonts measured on that device."""

    def __init__(self, painter: QPainter, device, width_pt: float, height_pt: float):
        self.painter = painter
        self.device = device
        self.u = device.logicalDpiX() / 72.0   # device units per point
        self.width = width_pt
        self.height = height_pt
        self._fonts: dict[tuple, QFont] = {}
        self._metrics: dict[tuple, QFontMetricsF] = {}

    # -- fonts and measuring -----------------------------------------------------------------
    def font(self, size: float = BODY_PT, *, bold: bool = False, italic: bool = False) -> QFont:
        key = (size, bold, italic)
        found = self._fonts.get(key)
        if found is None:
            found = QFont()
            found.setPointSizeF(size)
            found.setBold(bold)
            found.setItalic(italic)
            # No "fi"/"fl" ligatures: a reader searching or copying the PDF finds "fields" as typed.
            found.setFeature(QFont.Tag.fromString("liga"), 0)
            self._fonts[key] = found
        return found

    def _metrics_of(self, font: QFont) -> QFontMetricsF:
        key = (font.pointSizeF(), font.bold(), font.italic())
        found = self._metrics.get(key)
        if found is None:
            found = self._metrics[key] = QFontMetricsF(font, self.device)
        return found

    def text_width(self, text: str, font: QFont) -> float:
        return self._metrics_of(font).horizontalAdvance(text) / self.u

    def line_height(self, font: QFont) -> float:
        return self._metrics_of(font).height() / self.u

    def elided(self, text: str, font: QFont, width: float) -> str:
        """`text` on one line of `width` points, cut with "…" when it is longer."""
        text = " ".join(str(text).split())
        return self._metrics_of(font).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width) * self.u)

    def wrapped(self, text: str, font: QFont, width: float, max_lines: int = 2) -> list[str]:
        """`text` broken at spaces into at most `max_lines` lines of `width` points; the last
        line is cut with "…" when the text does not fit. A word longer than a line is cut too."""
        words = _pieces(str(text))
        lines: list[str] = []
        while words and len(lines) < max_lines:
            if len(lines) == max_lines - 1:
                lines.append(self.elided(_joined(words), font, width))
                break
            line = [words.pop(0)]
            while words and self.text_width(_joined(line + words[:1]), font) <= width:
                line.append(words.pop(0))
            lines.append(self.elided(_joined(line), font, width))
        return lines or [""]

    # -- drawing -----------------------------------------------------------------------------
    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        u = self.u
        return QRectF(x * u, y * u, w * u, h * u)

    def text(self, x: float, y: float, w: float, h: float, text: str, font: QFont, *,
             colour: QColor = INK, align=LEFT, elide: bool = True) -> None:
        """One line of text in a box, cut with "…" to the box's width when `elide`."""
        p = self.painter
        p.setFont(font)
        p.setPen(QPen(colour))
        shown = self.elided(text, font, w) if elide else str(text)
        p.drawText(self.rect(x, y, w, h), int(align), shown)

    def lines(self, x: float, y: float, w: float, lines: list[str], font: QFont, *,
              colour: QColor = INK, align=LEFT) -> float:
        """Lines of text top-down from `y`; returns the height used in points."""
        step = self.line_height(font)
        for i, line in enumerate(lines):
            self.text(x, y + i * step, w, step, line, font, colour=colour, align=align)
        return step * len(lines)

    def fill(self, x: float, y: float, w: float, h: float, colour: QColor) -> None:
        self.painter.fillRect(self.rect(x, y, w, h), QBrush(colour))

    def box(self, x: float, y: float, w: float, h: float, *, fill: QColor | None = None,
            outline: QColor | None = None, width: float = 0.75, style=Qt.PenStyle.SolidLine) -> None:
        p = self.painter
        p.setPen(QPen(outline, width * self.u, style) if outline is not None else Qt.PenStyle.NoPen)
        p.setBrush(QBrush(fill) if fill is not None else Qt.BrushStyle.NoBrush)
        p.drawRect(self.rect(x, y, w, h))

    def rule(self, x1: float, y1: float, x2: float, y2: float, colour: QColor = RULE,
             width: float = 0.75, style=Qt.PenStyle.SolidLine) -> None:
        p = self.painter
        p.setPen(QPen(colour, width * self.u, style))
        p.drawLine(QPointF(x1 * self.u, y1 * self.u), QPointF(x2 * self.u, y2 * self.u))

    def swatch(self, x: float, y: float, size: float, colour: QColor) -> None:
        """A small square of a category's colour, outlined so pale colours show on white."""
        self.box(x, y, size, size, fill=colour, outline=QColor("#333333"), width=0.5)

    def category_legend(self, x: float, y: float, right: float, bottom: float, categories,
                        font: QFont, step: float = 13.0) -> tuple[float, float]:
        """A swatch and name per category from (x, y), onto the next line at `right`, stopping at
        `bottom`; returns where the next entry would go."""
        from cutline.views.palette import category_colour

        for category in categories:
            label = category or "no category"
            need = 12 + self.text_width(label, font) + 12
            if x + need > right and x > 0:
                x, y = 0.0, y + step
            if y + 12 > bottom:
                break
            self.swatch(x, y + 2, 8, category_colour(category))
            self.text(x + 12, y, need, 12, label, font)
            x += need
        return x, y
