"""Painting the roadmap with QPainter: the same code draws the screen, a PNG and an SVG.

`RoadmapPicture` turns a plan (models/roadmap/plan.py) into pixels for one width: each lane
under a band with its name, one column per quarter across the whole width, a box per initiative with its id and title in two lines,
late work dashed with a due tick, and the selection's chain of dependencies routed in the gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from cutline.models.roadmap.plan import LANE_GAP, RoadmapPlan
from cutline.models.roadmap.routes import Lattice, chain_routes
from cutline.models.words.plans import LATE_MARK
from cutline.views.charts.contributions import text_colour_on
from cutline.views.palette import category_colour
from cutline.views.theme import Theme

#: Type sizes in points before the window's zoom: a projector at the back of a room.
BOX_PT = 12.5
LANE_PT = 13
QUARTER_PT = 13
#: Gaps around every box, in pixels before zoom: the lines run in them, arrowheads fit in them.
INSET_X = 10
INSET_Y = 6
ARROW = 10
#: Boxes outside the selection's chain: their fill this share of the way to the background, their
#: words in the colour that reads on that fill (text faded with the box was hard to read).
DIMMED = 0.55
#: A slot narrower than this shows too little of a title: one box per quarter then.
MIN_SLOT = 190


@dataclass(frozen=True)
class BoxText:
    """What a box says: `mark` (⚠ when late) and id in bold, then the title over two lines."""

    mark_id: str
    first: str
    second: str

    @property
    def text(self) -> str:
        return " ".join(t for t in (self.mark_id, self.first, self.second) if t)


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _line_pen(colour: QColor, width: float) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.MiterJoin)


def two_lines(mark_id: str, title: str, bold: QFontMetricsF, plain: QFontMetricsF, width: float) -> BoxText:
    """The id (never split) and as many title words as fit after it; the rest on a second line,
    elided with … when it is still too long."""
    space = plain.horizontalAdvance(" ")
    if bold.horizontalAdvance(mark_id) > width:
        return BoxText(bold.elidedText(mark_id, Qt.TextElideMode.ElideRight, width), "", "")
    room = width - bold.horizontalAdvance(mark_id) - space
    words = title.split()
    taken = 0
    while taken < len(words) and plain.horizontalAdvance(" ".join(words[:taken + 1])) <= room:
        taken += 1
    rest = " ".join(words[taken:])
    return BoxText(mark_id, " ".join(words[:taken]), plain.elidedText(rest, Qt.TextElideMode.ElideRight, width))


class RoadmapPicture:
    """Pixel geometry and painting of one plan at one width (body coordinates start at 0, 0)."""

    def __init__(self, evaluation, plan: RoadmapPlan, width: float, theme: Theme, zoom: float = 1.0,
                 lane_word: str = "layer", id_prefix: str = ""):
        self.evaluation, self.plan, self.theme, self.zoom = evaluation, plan, theme, zoom
        self.width = max(float(width), 200.0)
        self.lane_word, self.id_prefix = lane_word, id_prefix
        self.box_font, self.id_font = _font(BOX_PT * zoom), _font(BOX_PT * zoom, True)
        self.lane_font, self.quarter_font = _font(LANE_PT * zoom, True), _font(QUARTER_PT * zoom, True)
        plain, bold = QFontMetricsF(self.box_font), QFontMetricsF(self.id_font)
        self.line_h = max(plain.height(), bold.height())
        self.inset_x, self.inset_y = INSET_X * zoom, INSET_Y * zoom
        self.row_px = 2 * self.line_h + 8 * zoom + 2 * self.inset_y
        self.label_w = 2 * zoom  # the lanes' names sit in bands above them, not in a column
        self.quarter_px = (self.width - self.label_w - 4 * zoom) / plan.quarters
        self.height = plan.height * self.row_px + 2 * zoom
        self.selected = -1
        self.routes: list[tuple[int, int, list[tuple[float, float]]]] = []
        self.chain_size = 0  # dependencies in the selection's chain (more than drawn when huge)
        self.in_chain = np.zeros(0, dtype=np.int64)
        self._lattice: Lattice | None = None
        self._metrics = (plain, bold)
        self._edges = (plan.x0, plan.width, plan.top)  # the plan works them out on each call
        self._texts: dict[int, BoxText] = {}  # worked out when a box is first painted
        self._late = np.asarray(evaluation.allocation.late, dtype=bool)
        self._titles = evaluation.portfolio.text("title")

    # -- geometry -----------------------------------------------------------------------------
    def x(self, quarters: float) -> float:
        return self.label_w + quarters * self.quarter_px

    def y(self, rows: float) -> float:
        return rows * self.row_px

    def box_rect(self, box: int) -> QRectF:
        x0, width, top = self._edges
        return QRectF(self.x(float(x0[box])) + self.inset_x, self.y(float(top[box])) + self.inset_y,
                      float(width[box]) * self.quarter_px - 2 * self.inset_x, self.row_px - 2 * self.inset_y)

    def box_at(self, x: float, y: float) -> int:
        """The box under pixel (x, y), -1 for none."""
        p = self.plan
        if not len(p.rows):
            return -1
        left = self.label_w + p.x0 * self.quarter_px + self.inset_x
        right = left + p.width * self.quarter_px - 2 * self.inset_x
        top = p.top * self.row_px + self.inset_y
        hits = np.flatnonzero((x >= left) & (x <= right) & (y >= top) & (y <= top + self.row_px - 2 * self.inset_y))
        return int(hits[0]) if len(hits) else -1

    def text_of(self, box: int) -> BoxText:
        """What box `box` says, fitted to its width (worked out once)."""
        if box not in self._texts:
            p, portfolio = self.plan, self.evaluation.portfolio
            row = int(p.rows[box])
            mark_id = (f"{LATE_MARK} " if self._late[row] else "") + str(portfolio.ids[row])[len(self.id_prefix):]
            width = float(p.width[box]) * self.quarter_px - 2 * self.inset_x - 12 * self.zoom
            self._texts[box] = two_lines(mark_id, str(self._titles[row]), *self._metrics[::-1], width)
        return self._texts[box]

    @property
    def texts(self) -> list[BoxText]:
        """What every box says, in box order."""
        return [self.text_of(b) for b in range(len(self.plan.rows))]

    # -- selection ----------------------------------------------------------------------------
    def select(self, box: int) -> None:
        """Draw `box`'s chain (nothing for -1) and dim the boxes outside it."""
        self.selected = box
        self.chain_size = 0
        if box < 0:
            self.routes, self.in_chain = [], np.zeros(0, dtype=np.int64)
            return
        self._lattice = self._lattice or Lattice(self.plan, self._name_channels())
        self.routes, self.chain_size = chain_routes(self.plan, box, self._lattice)
        drawn = {b for a, c, _ in self.routes for b in (a, c)}
        self.in_chain = np.array(sorted(drawn), dtype=np.int64)

    def _lane_name(self, lane: int) -> str:
        return self.plan.lanes[lane] or f"(no {self.lane_word})"

    def _name_rect(self, lane: int) -> QRectF:
        top = self.y(float(self.plan.lane_top[lane]) - LANE_GAP)
        width = QFontMetricsF(self.lane_font).horizontalAdvance(self._lane_name(lane)) + 16 * self.zoom
        return QRectF(self.label_w + 6 * self.zoom, top, width, LANE_GAP * self.row_px)

    def _name_channels(self) -> dict[int, int]:
        """Per lane, the channels whose lines would cross its name in the band above it."""
        slot = self.quarter_px / self.plan.columns
        return {lane: int((self._name_rect(lane).right() - self.label_w) // slot) + 1
                for lane in range(len(self.plan.lanes))}

    def segments(self) -> list[list[QPointF]]:
        """Every drawn dependency as pixel points, box edge to box edge."""
        lines = []
        for a, b, bends in self.routes:
            ra, rb = self.box_rect(a), self.box_rect(b)
            points = [QPointF(ra.right(), self.y(bends[0][1]))]
            points += [QPointF(self.x(bx), self.y(by)) for bx, by in bends]
            points.append(QPointF(rb.left(), self.y(bends[-1][1])))
            lines.append(points)
        return lines

    # -- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, clip: QRectF | None = None) -> None:
        """Lanes, quarter lines, boxes, late marks and the selection's chain."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        clip = clip or QRectF(0, 0, self.width, self.height)
        self._paint_lanes(painter)
        self._paint_boxes(painter, clip)
        self._paint_chain(painter, clip)

    def header_height(self) -> float:
        return QFontMetricsF(self.quarter_font).height() + 10 * self.zoom

    def paint_quarters(self, painter: QPainter) -> None:
        """The quarter names over their columns."""
        t, h = self.theme, self.header_height()
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(QColor(t.text))
        painter.setFont(self.quarter_font)
        names = self.evaluation.allocation.quarters
        for q in range(self.plan.quarters):
            name = str(names[q]) if q < len(names) else ""
            painter.drawText(QRectF(self.x(q), 0, self.quarter_px, h), Qt.AlignmentFlag.AlignCenter, name)

    def _paint_lanes(self, painter: QPainter) -> None:
        """Alternating lane bands, the quarter lines, and each lane's name over them."""
        t, p = self.theme, self.plan
        right = self.x(p.quarters)
        fills = [QColor(t.alternate if i % 2 == 0 else t.base) for i in range(len(p.lanes))]
        for i, fill in enumerate(fills):
            top, bottom = self.y(float(p.lane_top[i]) - LANE_GAP), self.y(float(p.lane_top[i] + p.lane_rows[i]))
            painter.fillRect(QRectF(0, top, right, bottom - top), fill)
            painter.fillRect(QRectF(0, top, right, 2 * self.zoom), QColor(t.grid))
        painter.setPen(QPen(QColor(t.grid), 1.5 * self.zoom))
        for q in range(p.quarters + 1):
            painter.drawLine(QLineF(self.x(q), 0, self.x(q), self.height))
        painter.setFont(self.lane_font)
        for i, fill in enumerate(fills):  # a long name stays whole across a quarter line
            rect = self._name_rect(i)
            painter.fillRect(rect.adjusted(-4 * self.zoom, 3 * self.zoom, -8 * self.zoom, 0), fill)
            painter.setPen(QColor(t.text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self._lane_name(i))

    def _paint_boxes(self, painter: QPainter, clip: QRectF) -> None:
        p, t = self.plan, self.theme
        ev = self.evaluation
        cats = ev.portfolio.text("category")
        late = np.asarray(ev.allocation.late, dtype=bool)
        due = np.asarray(ev.allocation.due, dtype=np.int64)
        dim = set(range(len(p.rows))) - set(self.in_chain.tolist()) if len(self.in_chain) else set()
        tops = self._edges[2] * self.row_px
        showing = np.flatnonzero((tops < clip.bottom()) & (tops + self.row_px > clip.top()))
        for b in showing.tolist():  # only the boxes in view: thousands scroll smoothly
            row = int(p.rows[b])
            rect = self.box_rect(b)
            fill = category_colour(cats[row])
            if b in dim:  # out of the selected chain: a faded fill, its words still at full contrast
                fill = _faded(QColor(fill), QColor(t.base), DIMMED)
            painter.setPen(QPen(QColor(t.base), 1.5 * self.zoom))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 4 * self.zoom, 4 * self.zoom)
            self._paint_text(painter, rect, self.text_of(b), text_colour_on(fill))
            if late[row]:
                self._paint_late(painter, rect, int(due[row]))
        if self.selected >= 0:
            ring = QPen(QColor(t.text), 3.5 * self.zoom)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            grow = 3.5 * self.zoom
            painter.drawRoundedRect(self.box_rect(self.selected).adjusted(-grow, -grow, grow, grow), 6, 6)

    def _paint_text(self, painter: QPainter, rect: QRectF, text: BoxText, colour: QColor) -> None:
        pad = 6 * self.zoom
        inner = rect.adjusted(pad, 0, -pad, 0)
        top = rect.center().y() - (self.line_h if text.second else self.line_h / 2)
        painter.setPen(colour)
        painter.setFont(self.id_font)
        first = QRectF(inner.left(), top, inner.width(), self.line_h)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if not text.second and not text.first:  # the id alone: centred in the box
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, text.mark_id)
            return
        painter.drawText(first, flags, text.mark_id)
        advance = QFontMetricsF(self.id_font).horizontalAdvance(text.mark_id + " ")
        painter.setFont(self.box_font)
        painter.drawText(first.adjusted(advance, 0, 0, 0), flags, text.first)
        painter.drawText(QRectF(inner.left(), top + self.line_h, inner.width(), self.line_h), flags, text.second)

    def _paint_late(self, painter: QPainter, rect: QRectF, due: int) -> None:
        """A dashed outline, and ticks on the top and bottom edges where the due quarter ends."""
        t = self.theme
        dashed = QPen(QColor(t.text), 2.5 * self.zoom, Qt.PenStyle.DashLine)
        painter.setPen(dashed)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        grow = 1.5 * self.zoom
        painter.drawRoundedRect(rect.adjusted(-grow, -grow, grow, grow), 4, 4)
        if 0 <= due < self.plan.quarters:
            x = min(max(self.x(due + 1), rect.left()), rect.right())
            tick = self.inset_y
            painter.setPen(QPen(QColor(t.text), 5 * self.zoom, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            painter.drawLine(QLineF(x, rect.top() - tick, x, rect.top() + tick))
            painter.drawLine(QLineF(x, rect.bottom() - tick, x, rect.bottom() + tick))

    def _paint_chain(self, painter: QPainter, clip: QRectF) -> None:
        """Each line with a halo of the background (where lines cross, the later one shows on
        top), and a filled arrowhead whose tip touches the waiting box."""
        if not self.routes:
            return
        t = self.theme
        halo = QColor(t.base)
        line = QColor(t.text)
        near = clip.adjusted(-20, -20, 20, 20)
        for points in self.segments():
            path = QPainterPath(points[0])
            for pt in points[1:]:
                path.lineTo(pt)
            if not path.boundingRect().intersects(near):
                continue
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(_line_pen(halo, 6 * self.zoom))
            painter.drawPath(path)
            painter.setPen(_line_pen(line, 2.5 * self.zoom))
            painter.drawPath(path)
            tip = points[-1]
            head = ARROW * self.zoom
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(line)
            painter.drawPolygon(QPolygonF([tip, QPointF(tip.x() - head, tip.y() - head * 0.55),
                                           QPointF(tip.x() - head, tip.y() + head * 0.55)]))


def columns_for(width: float, quarters: int, zoom: float, needed: int) -> int:
    """Boxes side by side in a quarter: only when each still has room for a readable title."""
    slot = width / max(quarters, 1)
    return int(max(1, min(slot // (MIN_SLOT * zoom), max(needed, 1))))


def _faded(colour: QColor, base: QColor, share: float) -> QColor:
    """`colour` mixed with the background, `share` of the way: how a card out of the chain looks."""
    pairs = ((colour.red(), base.red()), (colour.green(), base.green()), (colour.blue(), base.blue()))
    return QColor(*(round(a + (b - a) * share) for a, b in pairs))
