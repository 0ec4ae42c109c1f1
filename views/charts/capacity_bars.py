"""Capacity by team and quarter: one row per team, one column per quarter, plus a "not funded" column.

Each cell holds a horizontal bar of the effort placed there, stacked by category, a thick line at
the team's capacity and a dashed outline for what is free. The last column shows, hatched, the
effort of the team's initiatives that did not fit: the demand over capacity, on its own scale
(views/charts/not_funded_column.py). A grid of small bars
reads better than 32 grouped columns in the chart area, and keeps team names horizontal.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from cutline.models.capacity.grid import CapacityGrid, capacity_grid
from cutline.views.charts.base import TICK_PT, Chart, pen
from cutline.views.charts.legend_below import Swatch, hatch_brush
from cutline.views.charts.not_funded_column import NotFundedColumn, nice_step
from cutline.views.palette import category_colour, category_hex, portfolio_categories
from cutline.views.theme import current_theme
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

TITLE = "Which teams are over capacity, quarter by quarter?"
PAD = 0.06          # of a column, either side of its bar
BAR_HEIGHT = 0.62   # of a row
MARK_HEIGHT = 0.86  # the capacity line stands out above and below its bar
NOT_FUNDED = "Not funded"
NO_CAPACITY = "No capacity set"
AXIS_LABEL = "Person-weeks per quarter · not funded: person-weeks in all"
NO_CAPACITY_LABEL = "No capacity set: Edit > Capacity sets it per team and quarter"
#: Room a team name or a tick label needs, in pixels; denser ones are thinned out.
LABEL_PIXELS = 20
TICK_PIXELS = 34
#: Initiatives named in a hover before "and N more".
HOVER_LINES = 8


def category_name(category: str) -> str:
    return category or "(no category)"


class CapacityBarsChart(Chart):
    """Used effort by category against capacity for every team and quarter."""

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(TITLE, parent, zoom=zoom)
        self.setObjectName("capacityBarsChart")
        self.evaluation = None
        self.grid: CapacityGrid | None = None
        self.colours = portfolio_categories(())
        self.stacks: dict[str, pg.BarGraphItem] = {}
        self.free = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.over = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.marks = pg.PlotDataItem(connect="pairs")
        self.separators = pg.PlotDataItem(connect="pairs")
        self.waiting = NotFundedColumn(self.plot, pad=PAD, bar_height=BAR_HEIGHT)
        for item, z in ((self.separators, 1), (self.free, 4), (self.over, 6), (self.marks, 8)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.plot.invertY(True)
        self.plot.showAxis("top")
        self.set_axis_labels("", AXIS_LABEL)
        self.no_capacity = pg.TextItem(NO_CAPACITY, anchor=(0.5, 0.5))
        self.no_capacity.setZValue(10)
        self.no_capacity.setVisible(False)
        self.plot.addItem(self.no_capacity)
        self.add_legend_below()
        self.plot.getViewBox().sigResized.connect(lambda *_: self._set_labels())
        self.apply_look()

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        theme = current_theme()
        top = self.plot.getAxis("top")
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        top.setStyle(tickFont=font)
        top.setTextPen(QColor(theme.text))
        top.setPen(pen(theme.muted, 1.0))
        self.free.setOpts(brush=QColor(0, 0, 0, 0), pen=pen(theme.muted, 1.5, Qt.PenStyle.DashLine))
        self.over.setOpts(brush=hatch_brush(theme.text), pen=pen(theme.text, 1.5))
        self.marks.setPen(pen(theme.text, 4.0))
        self.separators.setPen(pen(theme.grid, 1.5))
        for category, item in self.stacks.items():
            item.setOpts(brush=category_colour(category, self.colours), pen=pen(theme.base, 1.0))
        self.waiting.apply_look(self.zoom)
        self._style_label(self.no_capacity)
        big = self.no_capacity.textItem.font()
        big.setPointSizeF(TICK_PT * 1.6 * self.zoom)
        self.no_capacity.setFont(big)
        if self.grid is not None:
            self._refresh_legend()

    def _style_label(self, label: pg.TextItem) -> None:
        theme = current_theme()
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        label.setColor(QColor(theme.text))
        label.fill = pg.mkBrush(QColor(theme.base))
        label.setFont(font)

    # -- data ----------------------------------------------------------------------------------
    def set_evaluation(self, evaluation) -> None:
        """New arrays for the existing bars, lines and labels."""
        self.evaluation = evaluation
        self.colours = portfolio_categories(evaluation.portfolio.text("category"))
        self.grid = grid = capacity_grid(evaluation)
        rows, quarters = grid.capacity.shape
        unit = (1 - 2 * PAD) / grid.scale
        r, q = np.indices((rows, quarters))
        start = q + PAD
        left = start.astype(float)
        for c, category in enumerate(grid.categories):
            width = grid.by_category[:, :, c] * unit
            shown = width > 0
            self._stack(category).setOpts(x0=left[shown], y=r[shown], width=width[shown],
                                          height=BAR_HEIGHT)
            left = left + width
        for category, item in self.stacks.items():
            if category not in grid.categories:
                item.setOpts(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self._set_capacity_items(grid, start, r, unit)
        self._set_labels()
        self._refresh_legend()
        self._show_no_capacity(grid)
        self.plot.setXRange(0, quarters + 1, padding=0)
        self.plot.setYRange(-0.5, max(rows, 1) - 0.5, padding=0.02)

    @property
    def has_capacity(self) -> bool:
        """Whether any team has capacity in any quarter."""
        return self.grid is not None and bool(np.isfinite(self.grid.capacity).any())

    def _show_no_capacity(self, grid: CapacityGrid) -> None:
        """With no capacity at all the quarter columns say so, instead of an empty 0-to-1 axis."""
        missing = not self.has_capacity
        self.no_capacity.setVisible(missing and bool(grid.quarters))
        self.set_axis_labels("", NO_CAPACITY_LABEL if missing else AXIS_LABEL)
        if missing:
            self.no_capacity.setPos(len(grid.quarters) / 2, (max(len(grid.teams), 1) - 1) / 2)

    def _stack(self, category: str) -> pg.BarGraphItem:
        if category not in self.stacks:
            item = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT,
                                   brush=category_colour(category, self.colours),
                                   pen=pen(current_theme().base, 1.0))
            item.setZValue(5)
            self.plot.addItem(item)
            self.stacks[category] = item
        return self.stacks[category]

    def _set_capacity_items(self, grid: CapacityGrid, start, r, unit: float) -> None:
        """Free outlines, capacity lines, and hatching for overflow and the not-funded column."""
        cap, used = grid.capacity, grid.used
        has = np.isfinite(cap)
        free = has & (cap > used)
        self.free.setOpts(x0=(start + used * unit)[free], y=r[free], width=((cap - used) * unit)[free],
                          height=BAR_HEIGHT)
        over = has & (used > cap)
        quarters = cap.shape[1]
        rows = np.arange(cap.shape[0])
        self.over.setOpts(x0=(start + cap * unit)[over], y=r[over], width=((used - cap) * unit)[over],
                          height=BAR_HEIGHT)
        x = (start + np.nan_to_num(cap) * unit)[has]
        y = r[has].astype(float)
        self.marks.setData(x=np.repeat(x, 2), y=np.column_stack([y - MARK_HEIGHT / 2, y + MARK_HEIGHT / 2]).ravel())
        cols = np.arange(1, quarters + 1, dtype=float)
        top, bottom = -0.5, max(len(rows), 1) - 0.5
        self.separators.setData(x=np.repeat(cols, 2), y=np.tile([top, bottom], len(cols)))

    def _pixels(self) -> tuple[float, float]:
        """Pixels per column and per row (a guess before the chart is laid out)."""
        box, grid = self.plot.getViewBox(), self.grid
        width = box.width() if box.width() > 50 else 560.0
        height = box.height() if box.height() > 50 else 280.0
        return width / (len(grid.quarters) + 1), height / max(len(grid.teams), 1)

    def _set_labels(self) -> None:
        """Axis ticks and not-funded numbers, as many as the chart's size leaves room for."""
        grid = self.grid
        if grid is None:
            return
        col_px, row_px = self._pixels()
        every = max(1, int(np.ceil(LABEL_PIXELS / row_px)))  # a team name every `every` rows
        quarters = len(grid.quarters)
        names = list(grid.quarters) + [NOT_FUNDED]
        self.plot.getAxis("top").setTicks([[(j + 0.5, name) for j, name in enumerate(names)], []])
        self.plot.getAxis("left").setTicks([[(i, name) for i, name in enumerate(grid.teams)][::every], []])
        unit = (1 - 2 * PAD) / grid.scale
        step = nice_step(grid.scale, ticks=max(1, min(4, int(col_px // TICK_PIXELS))))
        values = np.arange(0, grid.scale + 1e-9, step)
        ticks = [(j + PAD + v * unit, f"{v:g}") for j in range(quarters) for v in values]
        if not self.has_capacity:
            ticks = []  # the quarter columns hold no bars: no scale for them
        ticks += self.waiting.set_values(grid.not_funded, quarters, col_px, every)
        self.plot.getAxis("bottom").setTicks([ticks, []])

    def _refresh_legend(self) -> None:
        theme = current_theme()
        grid = self.grid
        entries = [(category_name(c), Swatch("box", category_hex(c, self.colours))) for c in grid.categories]
        entries += [("Capacity", Swatch("line", theme.text)),
                    ("Free", Swatch("box", theme.base, outline=theme.muted, dashed=True, hollow=True)),
                    ("Not funded", Swatch("box", theme.text, outline=theme.text,
                                                           hatched=True))]
        self.key.set_entries(entries)

    # -- hover -------------------------------------------------------------------------------
    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) under data point (x, y); column len(quarters) is "not funded"."""
        if self.grid is None:
            return None
        row, col = int(np.floor(y + 0.5)), int(np.floor(x))
        if 0 <= row < len(self.grid.teams) and 0 <= col <= len(self.grid.quarters):
            return row, col
        return None

    def cell_centre(self, row: int, col: int) -> tuple[float, float]:
        return col + 0.5, float(row)

    def hover_text(self, x: float, y: float) -> str:
        cell = self.cell_at(x, y)
        if cell is None:
            return ""
        row, col = cell
        if col == len(self.grid.quarters):
            return self._not_funded_text(row)
        return self._cell_text(row, col)

    def _cell_text(self, row: int, col: int) -> str:
        grid = self.grid
        team, quarter = grid.teams[row], grid.quarters[col]
        cap, used = grid.capacity[row, col], grid.used[row, col]
        if not np.isfinite(cap):
            return f"{team} · {quarter}\nNo capacity row for this quarter."
        if used > cap:
            state = f"over capacity by {used - cap:g}"
        else:
            state = f"free {cap - used:g}"
        rows, pws = grid.placed(row, col)
        here = dict(zip(rows.tolist(), pws.tolist()))
        lines = [f"{team} · {quarter}",
                 f"Capacity {cap:g} person-weeks · used {used:g} · {state}"]
        return "\n".join(lines + self._initiative_lines(rows, lambda i: self._category_of(i),
                                                         size=lambda i: self._share_here(i, here[i])))

    def _share_here(self, row: int, pw: float) -> str:
        """"10 pw" for work wholly here; "10 of 26 pw (2027-Q1 → Q3)" for a share of a span;
        "work waits here (…)" in a quarter of its span where it takes nothing."""
        from cutline.models.words.plans import person_weeks, span_text

        alloc = self.evaluation.allocation
        effort = self.evaluation.portfolio.numeric("effort")[row]
        first, finish = int(alloc.quarter[row]), int(alloc.finish[row])
        if finish <= first:
            return f"{effort:g} pw" if np.isfinite(effort) else f"{person_weeks(pw)} pw"
        span = span_text(alloc.quarters[first], alloc.quarters[finish])
        if not pw:
            return f"work waits here ({span})"
        return f"{person_weeks(pw)} of {effort:g} pw ({span})"

    def _not_funded_text(self, row: int) -> str:
        grid, alloc = self.grid, self.evaluation.allocation
        rows = np.flatnonzero((grid.row_of == row) & ~alloc.funded)
        head = f"{grid.teams[row]} · not funded: {grid.not_funded[row]:g} person-weeks"
        if not len(rows):
            return f"{grid.teams[row]} · everything is funded"
        return "\n".join([head] + self._initiative_lines(rows, lambda i: str(alloc.reason[i])))

    def _category_of(self, row: int) -> str:
        return category_name(str(self.evaluation.portfolio.value(row, "category")))

    def _initiative_lines(self, rows: np.ndarray, note, size=None) -> list[str]:
        """One line per initiative, best ranked first: id, title, effort (or `size(row)`) and a note."""
        ev = self.evaluation
        rows = rows[np.argsort(ev.ranking.rank[rows], kind="stable")]
        effort = ev.portfolio.numeric("effort")
        lines = []
        for i in rows[:HOVER_LINES].tolist():
            if size is not None:
                size_text = size(i)
            else:
                size_text = f"{effort[i]:g} pw" if np.isfinite(effort[i]) else "no estimate"
            title = str(ev.portfolio.value(i, "title"))[:48]
            lines.append(f"#{int(ev.ranking.rank[i])} {ev.portfolio.ids[i]} {title} — {size_text}, {note(i)}")
        if len(rows) > HOVER_LINES:
            lines.append(f"… and {len(rows) - HOVER_LINES} more")
        return lines
