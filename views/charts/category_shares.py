"""Capacity share by category for the whole plan, against the guardrails.

Shares are of the plan's total capacity, because that is what a guardrail's reserve and cap are
shares of; the last bar is the capacity left free, so the bars add up to 100%. A dashed mark
shows a category's reserve, a solid one its cap.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from cutline.views.charts.base import TICK_PT, Chart, pen
from cutline.views.charts.legend_below import Swatch, hatch_brush
from cutline.views.palette import (
    category_colour,
    category_hex,
    ordered_categories,
    portfolio_categories,
)
from cutline.views.theme import current_theme
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

TITLE = "How does the plan split across categories?"
FREE = "Free capacity"
BAR_HEIGHT = 0.62
MARK_HEIGHT = 0.9


def _name(category: str) -> str:
    return category or "(no category)"


class CategorySharesChart(Chart):
    """One bar per category: its share of the plan's capacity, with reserve and cap marks."""

    def __init__(self, parent=None, *, zoom: float = 1.0):
        super().__init__(TITLE, parent, zoom=zoom)
        self.setObjectName("categorySharesChart")
        self.evaluation = None
        self.categories: tuple[str, ...] = ()
        self.colours = portfolio_categories(())
        self.used = np.zeros(0)     # person-weeks funded per category (then free capacity)
        self.shares = np.zeros(0)   # percent of total capacity, same order
        self.reserve = np.zeros(0)  # percent, 0 for none
        self.cap = np.zeros(0)      # percent, NaN for none
        self.total_capacity = 0.0
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.free_bar = pg.BarGraphItem(x0=[], y=[], width=[], height=BAR_HEIGHT)
        self.reserve_marks = pg.PlotDataItem(connect="pairs")
        self.cap_marks = pg.PlotDataItem(connect="pairs")
        self.labels: list[pg.TextItem] = []
        for z, item in enumerate((self.bars, self.free_bar, self.reserve_marks, self.cap_marks)):
            item.setZValue(z + 3)
            self.plot.addItem(item)
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=0.25)
        self.set_axis_labels("", "Share of the plan's capacity (%) · pw = person-weeks")
        self.add_legend_below()
        self.apply_look()

    # -- look --------------------------------------------------------------------------------
    def apply_look(self, zoom: float | None = None) -> None:
        super().apply_look(zoom)
        theme = current_theme()
        dashed = pen(theme.text, 3.0, Qt.PenStyle.CustomDashLine)
        dashed.setDashPattern([1.5, 1.5])
        self.reserve_marks.setPen(dashed)
        self.cap_marks.setPen(pen(theme.text, 4.5))
        self.free_bar.setOpts(brush=hatch_brush(theme.muted), pen=pen(theme.muted, 1.5))
        for label in self.labels:
            self._style_label(label)
        if self.evaluation is not None:
            self._refresh_legend()
            self._set_bars()

    def _style_label(self, label: pg.TextItem) -> None:
        font = QFont()
        font.setPointSizeF(TICK_PT * self.zoom)
        font.setBold(True)
        label.setFont(font)
        label.setColor(QColor(current_theme().text))

    # -- data ----------------------------------------------------------------------------------
    def set_evaluation(self, evaluation) -> None:
        """New shares, marks and labels on the existing items."""
        self.evaluation = evaluation
        self.colours = portfolio_categories(evaluation.portfolio.text("category"))
        alloc = evaluation.allocation
        guardrails = {g.category.strip().casefold(): g for g in evaluation.scenario.capacity.guardrails}
        table = alloc.used_by_category
        used = table.groupby("category", sort=False)["used"].sum() if len(table) else None
        present = set(evaluation.portfolio.text("category").tolist()) | {
            g.category for g in evaluation.scenario.capacity.guardrails}
        cats = tuple(ordered_categories(present))
        self.categories = cats
        funded = np.array([float(used.get(c, 0.0)) if used is not None else 0.0 for c in cats])
        self.total_capacity = float(alloc.utilisation["capacity"].sum()) if len(alloc.utilisation) else 0.0
        free = max(self.total_capacity - funded.sum(), 0.0)
        self.used = np.append(funded, free)
        self.shares = 100 * self.used / self.total_capacity if self.total_capacity > 0 else 0 * self.used
        rails = [guardrails.get(c.strip().casefold()) for c in cats]
        self.reserve = np.array([100 * g.reserve if g else 0.0 for g in rails])
        self.cap = np.array([100 * g.cap if g and g.cap is not None else np.nan for g in rails])
        self._set_bars()
        self._set_marks()
        self._set_labels()
        self._refresh_legend()
        top = np.nanmax(np.concatenate([self.shares, self.reserve, np.nan_to_num(self.cap), [10.0]]))
        self.plot.setXRange(0, min(top * 1.3 + 8, 110), padding=0)
        self.plot.setYRange(-0.6, len(self.used) - 0.4, padding=0)
        self.plot.getAxis("left").setTicks([[(i, name) for i, name in enumerate(self.names)], []])

    @property
    def names(self) -> list[str]:
        """Row names, top to bottom."""
        return [_name(c) for c in self.categories] + [FREE]

    def _set_bars(self) -> None:
        k = len(self.categories)
        brushes = [category_colour(c, self.colours) for c in self.categories]
        self.bars.setOpts(x0=np.zeros(k), y=np.arange(k), width=self.shares[:k], height=BAR_HEIGHT,
                          brushes=brushes, pen=pen(current_theme().base, 1.0))
        self.free_bar.setOpts(x0=[0.0], y=[float(k)], width=[self.shares[k]], height=BAR_HEIGHT)

    def _set_marks(self) -> None:
        rows = np.arange(len(self.categories), dtype=float)
        for item, values in ((self.reserve_marks, self.reserve), (self.cap_marks, self.cap)):
            shown = np.isfinite(values) & (values > 0) if item is self.reserve_marks else np.isfinite(values)
            x, y = values[shown], rows[shown]
            item.setData(x=np.repeat(x, 2),
                         y=np.column_stack([y - MARK_HEIGHT / 2, y + MARK_HEIGHT / 2]).ravel())

    def _set_labels(self) -> None:
        while len(self.labels) < len(self.used):
            label = pg.TextItem("", anchor=(0, 0.5))
            label.setZValue(8)
            self._style_label(label)
            self.plot.addItem(label)
            self.labels.append(label)
        for i, label in enumerate(self.labels):
            shown = i < len(self.used)
            label.setVisible(shown)
            if shown:
                label.setText(f"{self.shares[i]:.0f}% · {self.used[i]:g} pw")
                marks = [self.reserve[i], self.cap[i]] if i < len(self.categories) else []
                end = np.nanmax([self.shares[i], *marks])
                label.setPos(float(end) + 0.8, i)  # right of the bar and of its marks

    def _refresh_legend(self) -> None:
        theme = current_theme()
        entries = [(_name(c), Swatch("box", category_hex(c, self.colours))) for c in self.categories]
        entries.append((FREE, Swatch("box", theme.muted, outline=theme.muted, hatched=True)))
        if (self.reserve > 0).any():
            entries.append(("Reserve", Swatch("line", theme.text, dashed=True)))
        if np.isfinite(self.cap).any():
            entries.append(("Cap", Swatch("line", theme.text)))
        self.key.set_entries(entries)

    # -- hover -------------------------------------------------------------------------------
    def hover_text(self, x: float, y: float) -> str:
        row = int(np.floor(y + 0.5))
        if self.evaluation is None or not 0 <= row < len(self.used) or x < 0:
            return ""
        return self.describe(row)

    def describe(self, row: int) -> str:
        """A row's person-weeks, its shares, and its guardrail."""
        total = self.total_capacity
        if row == len(self.categories):
            return (f"{FREE}: {self.used[row]:g} person-weeks not used, "
                    f"{self.shares[row]:.0f}% of {total:g} person-weeks of capacity")
        category = self.categories[row]
        funded_total = float(self.used[:-1].sum())
        of_funded = 100 * self.used[row] / funded_total if funded_total > 0 else 0.0
        alloc, portfolio = self.evaluation.allocation, self.evaluation.portfolio
        count = int((alloc.funded & (portfolio.text("category") == category)).sum())
        rail = []
        if self.reserve[row] > 0:
            rail.append(f"reserve {self.reserve[row]:g}%")
        if np.isfinite(self.cap[row]):
            rail.append(f"cap {self.cap[row]:g}%")
        guard = ("Guardrail: " + ", ".join(rail) + " of each team's quarter") if rail else "No guardrail"
        return (f"{_name(category)}: {self.used[row]:g} person-weeks in {count} funded initiatives\n"
                f"{self.shares[row]:.0f}% of the plan's {total:g} person-weeks of capacity · "
                f"{of_funded:.0f}% of the funded effort\n{guard}")
