"""The layered roadmap: every funded initiative as a titled box across the quarters it runs in.

Lanes are the platform's layers (infrastructure, core services, enabling capabilities; the
dependency depth when no layer is named) or its teams, each tall enough to read from the back of
a room; with many boxes the lanes scroll instead of shrinking. Dependencies are drawn only for
the selected initiative's chain, routed in the gaps between boxes. The layout is Qt-free
(models/roadmap/plan.py, models/roadmap/routes.py); views/charts/roadmap_paint.py paints it, for
the screen and for PNG and SVG files alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cutline.models.colours import ordered_categories
from cutline.models.portfolio.dependencies import DependencyGraph
from cutline.models.roadmap.plan import LAYERS, RoadmapPlan, most_in_a_cell, plan_roadmap
from cutline.models.words.plans import LATE_MARK, late_text, quarters_list, span_text
from cutline.views.charts.legend_below import Swatch
from cutline.views.charts.roadmap_paint import RoadmapPicture, columns_for
from cutline.views.charts.roadmap_parts import (
    LanesCanvas,
    LegendStrip,
    QuarterStrip,
    RoadmapKey,
    paint_whole,
    whole_height,
)
from cutline.views.palette import category_colour
from cutline.views.theme import current_theme

TITLE = "What ships when?"
LANES = {"layer": ("By layer", "Layer"), "team": ("By team", "Team")}
SAVE_TEXT = "Save roadmap as image…"
IMAGE_FILTERS = "PNG image (*.png);;SVG image (*.svg)"


def common_prefix(ids) -> str:
    """The prefix every id shares up to and including its last separator ("PLT-"), or "";
    boxes then show "101" for PLT-101 and keep their room for the title."""
    ids = [str(i) for i in ids]
    if len(ids) < 2:
        return ""
    first, last = min(ids), max(ids)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    shared = first[:n]
    cut = max(shared.rfind(c) for c in "-_. /:")
    return shared[:cut + 1] if cut >= 0 else ""


class RoadmapChart(QWidget):
    """Funded initiatives by quarter in lanes by layer or team; the selection's chain of
    dependencies drawn between them."""

    initiativeClicked = Signal(int)  # portfolio row of the box clicked
    exportAsked = Signal(int)        # "Save roadmap as image" at this scale: whoever answers asks the path
    EXPORT_TITLE = "Save roadmap as image"
    EXPORT_FILTERS = IMAGE_FILTERS

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(parent)
        self.setObjectName("roadmapChart")
        self.zoom = zoom
        self.evaluation = None
        self.by = "layer"
        self.selected = -1
        self.layout_: RoadmapPlan | None = None
        self.picture: RoadmapPicture | None = None
        self.key = RoadmapKey()
        self.empty_text = ""
        self.id_prefix = ""
        self._graph: tuple[object, DependencyGraph, str] | None = None  # portfolio, graph, id prefix
        self._build()
        self.apply_look()

    @property
    def title(self) -> str:
        return TITLE

    @property
    def theme(self):
        return current_theme()

    def _build(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(2)
        bar = QHBoxLayout()
        self.heading = QLabel(TITLE, objectName="roadmapTitle")
        bar.addWidget(self.heading)
        bar.addStretch(1)
        bar.addWidget(QLabel("Swim lanes"))
        self.lanes_box = QComboBox(objectName="lanesBox")
        for key, (text, _) in LANES.items():
            self.lanes_box.addItem(text, key)
        self.lanes_box.currentIndexChanged.connect(lambda _: self.set_lanes(self.lanes_box.currentData()))
        bar.addWidget(self.lanes_box)
        self.save_button = QPushButton(SAVE_TEXT, objectName="roadmapSave")
        self.save_button.clicked.connect(lambda: self.exportAsked.emit(1))
        bar.addWidget(self.save_button)
        column.addLayout(bar)
        self.note = QLabel(objectName="roadmapNote", wordWrap=True)
        column.addWidget(self.note)
        self.quarters = QuarterStrip(self)
        column.addWidget(self.quarters)
        self.canvas = LanesCanvas(self)
        self.canvas.resized.connect(self._on_resized)
        self.scroll = QScrollArea(objectName="roadmapScroll", widgetResizable=True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        column.addWidget(self.scroll, 1)
        self.legend = LegendStrip(self)
        column.addWidget(self.legend)
        for text, scale in ((SAVE_TEXT, 1), ("Save roadmap as PNG at 2x…", 2)):
            action = QAction(text, self)
            action.triggered.connect(lambda checked=False, s=scale: self.exportAsked.emit(s))
            self.canvas.addAction(action)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        """Theme colours and type sizes (call again after a theme or zoom change)."""
        if zoom is not None:
            self.zoom = zoom
        theme = self.theme
        self.heading.setStyleSheet(f"font-weight: 700; font-size: {15 * self.zoom:.0f}pt; color: {theme.text};")
        self.note.setStyleSheet(f"color: {theme.text};")
        if self.evaluation is not None:
            self._relayout()
        self.update()

    # -- data --------------------------------------------------------------------------------
    def set_lanes(self, by: str) -> None:
        """Swim lanes by "layer" or by "team"."""
        self.by = by
        index = self.lanes_box.findData(by)
        if index != self.lanes_box.currentIndex():
            self.lanes_box.setCurrentIndex(index)
        if self.evaluation is not None:
            self._relayout()

    def set_evaluation(self, evaluation) -> None:
        """Lay the funded initiatives out again for a new evaluation."""
        self.evaluation = evaluation
        portfolio = evaluation.portfolio
        if self._graph is None or self._graph[0] is not portfolio:
            self._graph = (portfolio, DependencyGraph.from_portfolio(portfolio), common_prefix(portfolio.ids))
        self._relayout()

    def _width(self) -> float:
        width = self.canvas.width()
        return float(width if width > 200 and self.canvas.isVisible() else max(self.width() - 30, 640))

    def _relayout(self) -> None:
        ev = self.evaluation
        first = LAYERS if self.by == "layer" else tuple(ev.scenario.capacity.teams)
        width = self._width()
        quarters = max(len(ev.allocation.quarters), 1)
        columns = columns_for(width, quarters, self.zoom, most_in_a_cell(ev, self.by))
        self.layout_ = plan = plan_roadmap(ev, self.by, columns, self._graph[1], first)
        self.id_prefix = self._graph[2]
        self.picture = RoadmapPicture(ev, plan, width, self.theme, self.zoom, self.by, self.id_prefix) \
            if len(plan.rows) else None
        self.empty_text = "" if len(plan.rows) else (
            "Nothing is funded yet, so nothing ships. Set each team's capacity per quarter "
            "(Edit › Capacity and guardrails…) and the funded initiatives appear here.")
        self.canvas.setMinimumHeight(int(self.picture.height) + 1 if self.picture else 0)
        self._set_legend(plan)
        self.set_selected(self.selected)
        self.quarters.updateGeometry()
        self.quarters.setFixedHeight(self.quarters.sizeHint().height())
        self.quarters.update()
        self.legend.refit()

    def _set_note(self, plan: RoadmapPlan) -> None:
        ev = self.evaluation
        funded = len(plan.rows)
        hidden = len(ev.ranking) - funded
        late = int(np.asarray(ev.allocation.late, dtype=bool)[plan.rows].sum())
        parts = [f"{funded:,} funded" + (f" ({hidden:,} not funded, not shown)" if hidden else "")]
        if late:
            parts.append(f"{late:,} late")
        if self.id_prefix and funded:
            parts.append(f"ids without {self.id_prefix!r}")
        picture = self.picture
        if picture is not None and picture.chain_size > len(picture.routes):
            parts.append(f"its chain has {picture.chain_size:,} dependencies: only the {len(picture.routes)} "
                         "it has itself are drawn")
        self.note.setText(" · ".join(parts))

    def _set_legend(self, plan: RoadmapPlan) -> None:
        theme = self.theme
        cats = self.evaluation.portfolio.text("category")[plan.rows]
        entries = [(c or "(no category)", Swatch("box", category_colour(c).name().upper()))
                   for c in ordered_categories(set(cats.tolist()))]
        if np.asarray(self.evaluation.allocation.late, dtype=bool)[plan.rows].any():
            entries.append((f"{LATE_MARK} Late", Swatch("box", theme.base, outline=theme.text, dashed=True, hollow=True)))
            entries.append(("Due by", Swatch("line", theme.text)))
        entries.append(("Waits on (drawn for the selected initiative)", Swatch("arrow", theme.text)))
        self.key.set_entries(entries)

    def _on_resized(self) -> None:
        """A new width re-fits the titles (and maybe the boxes side by side in a quarter)."""
        if self.evaluation is not None and (self.picture is None or abs(self.picture.width - self._width()) > 1):
            self._relayout()

    # -- selection, hover and click ----------------------------------------------------------
    def set_selected(self, row: int) -> None:
        """Ring portfolio row `row`'s box and draw its chain (nothing when it has no box)."""
        moved, self.selected = row != self.selected, row
        if self.picture is not None:
            box = self.layout_.box_of_row(row)
            self.picture.select(box)
            if box >= 0 and moved:  # a new selection comes into view; a redraw keeps the scroll
                rect = self.picture.box_rect(box)
                self.scroll.ensureVisible(int(rect.center().x()), int(rect.center().y()),
                                          0, int(self.picture.row_px))
        if self.layout_ is not None:
            self._set_note(self.layout_)
        self.canvas.update()

    def has_chain(self) -> bool:
        """Whether the selection has dependencies drawn."""
        return self.picture is not None and bool(self.picture.routes)

    def first_with_chain(self) -> int:
        """The best ranked funded initiative that waits on, or is waited on by, another funded
        one (-1 for none): what a screenshot selects to show a chain."""
        plan = self.layout_
        if plan is None or not len(plan.arrow_from):
            return -1
        return int(plan.rows[min(int(plan.arrow_from.min()), int(plan.arrow_to.min()))])

    def box_of(self, row: int) -> tuple[float, float] | None:
        """The pixel centre of portfolio row `row`'s box on the lanes, None when it has none."""
        box = self.layout_.box_of_row(row) if self.layout_ is not None else -1
        if box < 0 or self.picture is None:
            return None
        centre = self.picture.box_rect(box).center()
        return centre.x(), centre.y()

    def row_at(self, x: float, y: float) -> int:
        if self.picture is None:
            return -1
        box = self.picture.box_at(x, y)
        return int(self.layout_.rows[box]) if box >= 0 else -1

    def hover_at(self, x: float, y: float) -> str:
        """The tooltip at pixel (x, y) of the lanes."""
        row = self.row_at(x, y)
        return self.describe(row) if row >= 0 else ""

    def click_at(self, x: float, y: float) -> None:
        row = self.row_at(x, y)
        if row >= 0:
            self.set_selected(row)
            self.initiativeClicked.emit(row)

    def describe(self, row: int) -> str:
        """An initiative's title, team, score, effort, quarters, due quarter, and what it waits on."""
        ev = self.evaluation
        p, alloc = ev.portfolio, ev.allocation
        parts = [str(p.value(row, f)) for f in ("team", "category", "layer") if p.value(row, f)]
        first, finish = int(alloc.quarter[row]), max(int(alloc.finish[row]), int(alloc.quarter[row]))
        lines = [f"{p.ids[row]} {p.value(row, 'title')}", " · ".join(parts),
                 f"Score {float(ev.ranking.score[row]):.1f} · rank #{int(ev.ranking.rank[row])} · "
                 f"{p.numeric('effort')[row]:g} person-weeks",
                 f"Funded in {span_text(alloc.quarters[first], alloc.quarters[finish])}"]
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

    # -- export ------------------------------------------------------------------------------
    def _export_width(self) -> int:
        return int(self.picture.width if self.picture is not None else self._width())

    def export_png(self, path: str | Path, scale: int = 1) -> Path:
        """The whole roadmap (every lane, not only the part scrolled into view) as a PNG."""
        width = self._export_width()
        height = int(np.ceil(whole_height(self, width)))
        image = QImage(QSize(width * scale, height * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor(self.theme.base))
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            paint_whole(painter, self, width)
        finally:
            painter.end()
        path = Path(path)
        if not image.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return path

    def export_svg(self, path: str | Path) -> Path:
        """The whole roadmap as an SVG drawing (text stays text, lines stay sharp at any size)."""
        from PySide6.QtSvg import QSvgGenerator

        width = self._export_width()
        height = int(np.ceil(whole_height(self, width)))
        path = Path(path)
        svg = QSvgGenerator()
        svg.setFileName(str(path))
        svg.setSize(QSize(width, height))
        svg.setViewBox(QRect(0, 0, width, height))
        svg.setTitle(TITLE)
        painter = QPainter()
        if not painter.begin(svg):
            raise OSError(f"could not write {path}")
        try:
            paint_whole(painter, self, width)
        finally:
            painter.end()
        if not path.exists() or path.stat().st_size == 0:
            raise OSError(f"could not write {path}")
        return path

    def export_image(self, path: str | Path, scale: int = 1) -> Path:
        """PNG or SVG, by the file's extension."""
        path = Path(path)
        return self.export_svg(path) if path.suffix.lower() == ".svg" else self.export_png(path, scale)

    def export_name(self) -> str:
        """The file name a save dialog suggests."""
        return "What ships when.png"

    def export_chosen(self, path: str | Path, chosen_filter: str, scale: int = 1) -> Path:
        """Write the image to the path a save dialog gave, PNG or SVG as its extension or the
        filter chosen says (raises OSError when it cannot)."""
        path = Path(path)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + (".svg" if "svg" in chosen_filter.lower() else ".png"))
        return self.export_image(path, scale)

