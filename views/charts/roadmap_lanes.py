"""The layered roadmap: every funded initiative as a box on a quarter timeline, in swim lanes.

Lanes are the platform's layers (infrastructure, core services, enabling capabilities) or its
teams; boxes carry the initiative's id and its category's colour; arrows run from each
prerequisite to what waits on it. The items are built once and take new arrays each time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainterPath, QPolygonF, QTransform
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from models.dependencies import DependencyGraph
from models.plan_words import LATE_MARK, late_text, quarters_list, span_text
from views.charts.base import Chart, pen
from views.charts.contributions import text_colour_on
from views.charts.legend_below import Swatch
from views.charts.roadmap_layout import (
    BOX_HEIGHT,
    LAYERS,
    PAD,
    RoadmapLayout,
    most_in_a_cell,
    roadmap_layout,
)
from views.palette import (
    CATEGORY_COLOURS,
    OTHER_CATEGORY,
    category_colour,
    ordered_categories,
)
from views.theme import current_theme

TITLE = "What ships when?"
LANES = {"layer": ("By layer", "Layer"), "team": ("By team", "Team")}
#: More boxes than this carry no id label and no arrows (too small and too many to read, and slow
#: to draw); hover still names every box.
LABELS_UP_TO = 300
ARROW_PIXELS = 13
LABEL_PT = 10


def _arrow_path(degrees: float) -> QPainterPath:
    """A filled triangle pointing along `degrees` (0 is right, y grows downwards), within ±0.5."""
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(0.5, 0), QPointF(-0.5, -0.42), QPointF(-0.5, 0.42)]))
    path.closeSubpath()
    return QTransform().rotate(degrees).map(path)


def _common_prefix(ids: list[str]) -> str:
    """The prefix every id shares, up to and including its last separator ("PLT-"), or ""."""
    if len(ids) < 2:
        return ""
    first, last = min(ids), max(ids)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    shared = first[:n]
    cut = max(shared.rfind(c) for c in "-_. /:")
    return shared[:cut + 1] if cut >= 0 else ""


class RoadmapChart(Chart):
    """Funded initiatives by quarter in lanes by layer or team, with dependency arrows."""

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(TITLE, parent, zoom=zoom)
        self.setObjectName("roadmapChart")
        self.evaluation = None
        self.by = "layer"
        self.layout_: RoadmapLayout | None = None
        self.selected = -1
        self.id_prefix = ""
        self._labels_font = QFont()
        self._graph: tuple[object, DependencyGraph] | None = None
        self._arrow_paths: dict[int, QPainterPath] = {}
        self.bands = pg.BarGraphItem(x0=[], y=[], width=[], height=[])
        self.separators = pg.PlotDataItem(connect="pairs")
        self.boxes: dict[str, pg.BarGraphItem] = {}  # one per category: one brush draws fast
        self.arrows = pg.PlotDataItem(connect="pairs")
        self.heads = pg.ScatterPlotItem(size=ARROW_PIXELS, pxMode=True)
        self.ring = pg.BarGraphItem(x0=[], y=[], width=[], height=BOX_HEIGHT + 0.16)
        # Late work: a dashed outline round the box and a bar at the end of its due quarter.
        self.late = pg.BarGraphItem(x0=[], y=[], width=[], height=BOX_HEIGHT + 0.1)
        self.due_marks = pg.PlotDataItem(connect="pairs")
        self.labels: list[pg.TextItem] = []
        # Lines under the boxes keep the ids readable; the heads sit on top where they arrive.
        for z, item in zip((0, 1, 2, 4, 5, 3.5, 3.6),
                           (self.bands, self.separators, self.arrows, self.heads, self.ring, self.late,
                            self.due_marks)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.plot.invertY(True)
        self._build_controls()
        self.set_axis_labels(LANES["layer"][1], "Quarter (one box per funded initiative)")
        self.add_legend_below()
        self.plot.getViewBox().sigResized.connect(self._on_resized)
        self.apply_look()

    def _build_controls(self) -> None:
        bar = QWidget(objectName="roadmapControls")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(QLabel("Swim lanes"))
        self.lanes_box = QComboBox(objectName="lanesBox")
        for key, (text, _) in LANES.items():
            self.lanes_box.addItem(text, key)
        self.lanes_box.currentIndexChanged.connect(lambda _: self.set_lanes(self.lanes_box.currentData()))
        row.addWidget(self.lanes_box)
        self.note = QLabel(objectName="roadmapNote")
        self.note.setProperty("role", "muted")
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.note, 1)  # takes the rest of the row, and never widens the chart
        self.layout().insertWidget(0, bar)

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        theme = current_theme()
        self.separators.setPen(pen(theme.grid, 2.0))
        arrow = QColor(theme.text)
        arrow.setAlpha(200)
        self.arrows.setPen(pen(arrow, 2.0))
        self.heads.setPen(pen(arrow, 1.0))
        self.heads.setBrush(pg.mkBrush(arrow))
        self.ring.setOpts(brush=QColor(0, 0, 0, 0), pen=pen(theme.text, 4.0))
        self.late.setOpts(brush=QColor(0, 0, 0, 0), pen=pen(theme.text, 2.5, Qt.PenStyle.DashLine))
        self.due_marks.setPen(pen(theme.text, 5.0))
        for category, item in self.boxes.items():
            item.setOpts(brush=category_colour(category), pen=pen(theme.base, 1.5))
        if self.evaluation is not None:
            self._relayout()

    def _label_font(self) -> QFont:
        font = QFont()
        font.setPointSizeF(LABEL_PT * self.zoom)
        font.setBold(True)
        return font

    # -- data ----------------------------------------------------------------------------------
    def set_lanes(self, by: str) -> None:
        """Swim lanes by "layer" or by "team"."""
        self.by = by
        index = self.lanes_box.findData(by)
        if index != self.lanes_box.currentIndex():
            self.lanes_box.setCurrentIndex(index)
        self.set_axis_labels(LANES[by][1], "Quarter (one box per funded initiative)")
        if self.evaluation is not None:
            self._relayout()

    def set_evaluation(self, evaluation) -> None:
        """Lay the funded initiatives out again and hand the items their new arrays."""
        self.evaluation = evaluation
        portfolio = evaluation.portfolio
        if self._graph is None or self._graph[0] is not portfolio:
            self._graph = (portfolio, DependencyGraph.from_portfolio(portfolio))
        self._relayout()

    def columns(self) -> int:
        """Boxes side by side in a quarter: as many as fit their id labels, no more than needed."""
        return self._fit()[0]

    def _fit(self) -> tuple[int, str]:
        """(columns, prefix left off the ids): a common prefix such as "PLT-" goes when the
        full ids would leave the boxes too narrow to sit side by side."""
        ev = self.evaluation
        quarters = max(len(ev.allocation.quarters), 1)
        box = self.plot.getViewBox()
        room = (box.width() if box.width() > 50 else 600.0) / quarters * (1 - 2 * PAD)
        needed = most_in_a_cell(ev, self.by) or 1
        metrics = QFontMetricsF(self._label_font())
        ids = sorted({str(i) for i in ev.portfolio.ids[:20000]}, key=len)[-20:]  # the longest
        prefix = _common_prefix(ids)
        best = (1, "")
        for cut in ("", prefix) if prefix else ("",):
            longest = max((metrics.horizontalAdvance(i[len(cut):]) for i in ids), default=40.0)
            fit = max(1, min(int(room // (longest + 14)), needed))
            if fit > best[0]:
                best = (fit, cut)
        return best

    def _relayout(self) -> None:
        ev = self.evaluation
        first = LAYERS if self.by == "layer" else ev.scenario.capacity.teams
        columns, self.id_prefix = self._fit()
        self.layout_ = lay = roadmap_layout(ev, self.by, columns, self._graph[1], first)
        self._set_lanes(lay, max(len(ev.allocation.quarters), 1))
        cats = ev.portfolio.text("category")[lay.rows]
        codes, present = pd.factorize(cats)
        present = [str(c) for c in present.tolist()]
        # Thousands of boxes are specks: outlines would only cost drawing time.
        outline = pen(current_theme().base, 1.5) if len(lay.rows) <= LABELS_UP_TO else pg.mkPen(None)
        for category in set(present) | set(self.boxes):
            mine = codes == present.index(category) if category in present else np.zeros(len(codes), bool)
            self._box_item(category).setOpts(x0=lay.x0[mine], y=lay.y[mine], width=lay.width[mine],
                                             height=BOX_HEIGHT, pen=outline)
        self._set_labels(lay, cats)
        self._set_arrows()
        late = self._set_late(lay)
        self._set_legend(cats, late)
        self.set_selected(self.selected)
        hidden = len(ev.ranking) - len(lay.rows)
        note = [f"{len(lay.rows)} funded, {hidden} not funded (not shown)" if hidden else ""]
        if self.id_prefix:
            note.append(f"ids without {self.id_prefix!r}")
        if late:
            note.append(f"{late} late")
        if len(lay.rows) > LABELS_UP_TO:
            note.append(f"ids and arrows above {LABELS_UP_TO} boxes left out; hover names each")
        self.note.setText(" · ".join(n for n in note if n))

    def _box_item(self, category: str) -> pg.BarGraphItem:
        if category not in self.boxes:
            item = pg.BarGraphItem(x0=[], y=[], width=0.1, height=BOX_HEIGHT, brush=category_colour(category),
                                   pen=pen(current_theme().base, 1.5))
            item.setZValue(3)
            self.plot.addItem(item)
            self.boxes[category] = item
        return self.boxes[category]

    def _set_lanes(self, lay: RoadmapLayout, quarters: int) -> None:
        theme = current_theme()
        k = len(lay.lanes)
        centres = lay.lane_top + lay.lane_rows / 2
        brushes = [QColor(theme.alternate if i % 2 == 0 else theme.base) for i in range(k)]
        self.bands.setOpts(x0=np.zeros(k), y=centres, width=np.full(k, float(quarters)),
                           height=lay.lane_rows + 0.3, brushes=brushes, pen=pen(theme.grid, 1.0))
        names = [name or f"(no {self.by})" for name in lay.lanes]
        self.plot.getAxis("left").setTicks([[(float(c), n) for c, n in zip(centres, names)], []])
        quarters_named = self.evaluation.allocation.quarters
        self.plot.getAxis("bottom").setTicks([[(q + 0.5, name) for q, name in enumerate(quarters_named)], []])
        cols = np.arange(1, quarters, dtype=float)
        self.separators.setData(x=np.repeat(cols, 2), y=np.tile([-0.3, lay.height + 0.3], len(cols)))
        self.plot.setXRange(0, quarters, padding=0.005)
        self.plot.setYRange(-0.3, lay.height + 0.3, padding=0)

    def _set_labels(self, lay: RoadmapLayout, cats: np.ndarray) -> None:
        count = len(lay.rows) if len(lay.rows) <= LABELS_UP_TO else 0
        font = self._label_font()
        while len(self.labels) < count:
            label = pg.TextItem("", anchor=(0.5, 0.5))
            label.setZValue(10)
            label.setFont(font)
            self.plot.addItem(label)
            self.labels.append(label)
        if font != self._labels_font:  # setFont re-lays every label out: only on a zoom change
            self._labels_font = font
            for label in self.labels:
                label.setFont(font)
        ids = self.evaluation.portfolio.ids
        for i, label in enumerate(self.labels):
            label.setVisible(i < count)
            if i < count:
                label.setText(str(ids[lay.rows[i]])[len(self.id_prefix):])
                label.setColor(text_colour_on(category_colour(cats[i])))
                label.setPos(float(lay.x0[i] + lay.width[i] / 2), float(lay.y[i]))

    def _set_arrows(self) -> None:
        """Lines from each prerequisite to what waits on it, heads at the end.

        Side by side, they join the right edge to the left edge; when the boxes share a column
        (the same quarter), they join the bottom of one to the top of the other.
        """
        lay = self.layout_
        a, b = lay.arrow_from, lay.arrow_to
        if len(lay.rows) > LABELS_UP_TO:
            a, b = a[:0], b[:0]
        half_h = BOX_HEIGHT / 2
        end_a = lay.x0[a] + lay.width[a]
        beside = lay.x0[b] >= end_a
        down = np.where(lay.y[b] >= lay.y[a], 1.0, -1.0)
        # One above the other: straight down where both boxes are (a span and a box in one of its
        # quarters), else from centre to centre.
        lo, hi = np.maximum(lay.x0[a], lay.x0[b]), np.minimum(end_a, lay.x0[b] + lay.width[b])
        overlap = hi > lo
        sx = np.where(beside, end_a, np.where(overlap, (lo + hi) / 2, lay.x0[a] + lay.width[a] / 2))
        sy = np.where(beside, lay.y[a], lay.y[a] + down * half_h)
        tx = np.where(beside, lay.x0[b], np.where(overlap, (lo + hi) / 2, lay.x0[b] + lay.width[b] / 2))
        ty = np.where(beside, lay.y[b], lay.y[b] - down * half_h)
        self.arrows.setData(x=np.column_stack([sx, tx]).ravel(), y=np.column_stack([sy, ty]).ravel())
        box = self.plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        px = (x1 - x0) / (box.width() if box.width() > 50 else 600.0)
        py = (y1 - y0) / (box.height() if box.height() > 50 else 300.0)
        angle = np.arctan2((ty - sy) / py, (tx - sx) / px)  # y grows downwards on screen too
        back = ARROW_PIXELS / 2
        hx, hy = tx - np.cos(angle) * back * px, ty - np.sin(angle) * back * py
        self.heads.setData(x=hx, y=hy, symbol=[self._arrow(d) for d in np.degrees(angle).tolist()])

    def _arrow(self, degrees: float) -> QPainterPath:
        key = int(round(degrees / 5.0)) * 5 % 360
        if key not in self._arrow_paths:
            self._arrow_paths[key] = _arrow_path(key)
        return self._arrow_paths[key]

    def _set_late(self, lay: RoadmapLayout) -> int:
        """Outline every late box, and mark the end of its due quarter on its row (when the due
        quarter is in the plan); the number of late boxes."""
        alloc = self.evaluation.allocation
        late = np.flatnonzero(np.asarray(alloc.late, dtype=bool)[lay.rows])
        self.late.setOpts(x0=lay.x0[late] - 0.005, y=lay.y[late], width=lay.width[late] + 0.01)
        due = np.asarray(alloc.due, dtype=np.int64)[lay.rows[late]]
        marked = late[(due >= 0) & (due < len(alloc.quarters))]
        x = np.asarray(alloc.due, dtype=np.int64)[lay.rows[marked]] + 1.0
        y = lay.y[marked]
        half = BOX_HEIGHT / 2 + 0.12
        self.due_marks.setData(x=np.repeat(x, 2), y=np.column_stack([y - half, y + half]).ravel())
        return len(late)

    def _set_legend(self, cats: np.ndarray, late: int = 0) -> None:
        theme = current_theme()
        present = ordered_categories(set(cats.tolist()))
        entries = [(c or "(no category)", Swatch("box", CATEGORY_COLOURS.get(c.strip().lower(), OTHER_CATEGORY)))
                   for c in present]
        entries.append(("Depends on", Swatch("arrow", theme.text)))
        if late:
            entries.append((f"{LATE_MARK} Late", Swatch("box", theme.base, outline=theme.text, dashed=True,
                                                       hollow=True)))
            entries.append(("Due by", Swatch("line", theme.text)))
        self.key.set_entries(entries)

    def _on_resized(self) -> None:
        """Re-fit the boxes to the new width; arrowheads follow the new pixel scale."""
        if self.evaluation is None:
            return
        if self.layout_ is None or self.columns() != self.layout_.columns:
            self._relayout()
        else:
            self._set_arrows()

    # -- selection, hover and click ----------------------------------------------------------
    def set_selected(self, row: int) -> None:
        """Ring the box of portfolio row `row` (none when it is not funded, or -1)."""
        self.selected = row
        lay = self.layout_
        where = np.flatnonzero(lay.rows == row) if lay is not None and row >= 0 else []
        if not len(where):
            self.ring.setOpts(x0=[], y=[], width=[])
            return
        i = int(where[0])
        self.ring.setOpts(x0=[lay.x0[i] - 0.01], y=[lay.y[i]], width=[lay.width[i] + 0.02])

    def box_of(self, row: int) -> tuple[float, float] | None:
        """The centre of portfolio row `row`'s box, None when it has none."""
        lay = self.layout_
        where = np.flatnonzero(lay.rows == row) if lay is not None else []
        if not len(where):
            return None
        i = int(where[0])
        return float(lay.x0[i] + lay.width[i] / 2), float(lay.y[i])

    def hover_text(self, x: float, y: float) -> str:
        if self.layout_ is None:
            return ""
        i = self.layout_.box_at(x, y)
        return "" if i < 0 else self.describe(int(self.layout_.rows[i]))

    def describe(self, row: int) -> str:
        """An initiative's title, where it sits, its size, and what it waits on."""
        ev = self.evaluation
        p, alloc = ev.portfolio, ev.allocation
        effort = p.numeric("effort")[row]
        parts = [str(p.value(row, f)) for f in ("team", "category", "layer") if p.value(row, f)]
        first, finish = int(alloc.quarter[row]), max(int(alloc.finish[row]), int(alloc.quarter[row]))
        lines = [f"{p.ids[row]} {p.value(row, 'title')}", " · ".join(parts),
                 f"Funded in {span_text(alloc.quarters[first], alloc.quarters[finish])} · {effort:g} "
                 f"person-weeks · rank #{int(ev.ranking.rank[row])}"]
        if finish > first:
            lines.append(quarters_list(alloc, row))
        if alloc.late[row]:
            lines.append(f"{LATE_MARK} {late_text(str(alloc.due_quarter[row]))}: it finishes in "
                         f"{alloc.quarters[finish]}")
        elif alloc.due_quarter[row]:
            lines.append(f"Due {alloc.due_quarter[row]}: on time")
        waits = self._graph[1].prerequisites_of(row)
        if len(waits):
            lines.append("Waits on " + ", ".join(str(p.ids[w]) for w in waits[:6]))
        if alloc.pulled_in_by[row] >= 0:
            lines.append(f"Pulled in by {p.ids[int(alloc.pulled_in_by[row])]}")
        return "\n".join(lines)

    def row_at(self, x: float, y: float) -> int:
        if self.layout_ is None:
            return -1
        i = self.layout_.box_at(x, y)
        return int(self.layout_.rows[i]) if i >= 0 else -1

