"""The capacity feature: its chart tabs (capacity, cut line, category shares, roadmap), one row
each in `CHARTS`.

A chart is built the first time its tab is needed (start-up builds none of them), redraws when it
is in front, and otherwise only notes that it is behind and catches up when shown, so a weight
change at 100,000 initiatives pays for the chart in front, not all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEvent, QObject

from cutline.views.charts.capacity_bars import CapacityBarsChart
from cutline.views.charts.category_shares import CategorySharesChart
from cutline.views.charts.cut_line_chart import CutLineChart
from cutline.views.charts.roadmap_lanes import RoadmapChart
from cutline.views.lazy_tab import LazyTab

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: (view name, tab title, chart class), in tab order.
CHARTS = (
    ("capacity", "Capacity", CapacityBarsChart),
    ("cutline", "Cut line", CutLineChart),
    ("shares", "Category shares", CategorySharesChart),
    ("roadmap", "Roadmap", RoadmapChart),
)


#: Charts where clicking an initiative selects it in the table.
CLICKABLE = ("cutline", "roadmap")


class LazyCharts(Mapping):
    """The feature's charts by view name; reading one builds it (iterating does not)."""

    def __init__(self, tabs: dict[str, LazyTab]):
        self.tabs = tabs

    def __getitem__(self, name: str):
        return self.tabs[name].content()

    def __iter__(self) -> Iterator[str]:
        return iter(self.tabs)

    def __len__(self) -> int:
        return len(self.tabs)

    def built(self) -> dict[str, object]:
        return {name: tab.content() for name, tab in self.tabs.items() if tab.is_built()}


class CapacityFeature(QObject):
    """Keeps the capacity charts in step with the window's evaluation, look and selection."""

    VIEWS: ClassVar[tuple[str, ...]] = tuple(name for name, _, _ in CHARTS)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.setObjectName("capacityFeature")
        self.window = window
        self.evaluation = None
        self._behind: set[str] = set()
        tabs = {}
        for name, title, cls in CHARTS:
            tabs[name] = tab = LazyTab(lambda name=name, cls=cls: self._make(name, cls))
            tab.installEventFilter(self)
            window.add_chart(name, title, tab)
        self.tabs = tabs
        self.charts = LazyCharts(tabs)
        show_roadmap = window.views["roadmap"]
        window.register_view("roadmap", lambda: self._show_roadmap(show_roadmap))
        window.evaluated.connect(self.on_evaluated)
        window.looksChanged.connect(self.on_looks_changed)
        window.selectionChanged.connect(self.on_selected)
        window.charts.currentChanged.connect(lambda _: self.catch_up())

    def _make(self, name: str, cls):
        chart = cls(zoom=self.window.zoom())
        if name in CLICKABLE:
            chart.initiativeClicked.connect(self.window.select_row)
        return chart

    def _show_roadmap(self, show) -> None:
        """Bring the roadmap to the front; a screenshot selects an initiative with a chain of
        dependencies (when the current one has none), so the picture shows one drawn."""
        show()

    def on_evaluated(self, evaluation) -> None:
        self.evaluation = evaluation
        self._behind = set(self.charts)
        self.catch_up()

    def showing(self, name: str) -> bool:
        """Whether a chart is in front: on screen, or the current tab of a window not yet shown."""
        tab = self.tabs[name]
        return tab.isVisible() or self.window.charts.currentWidget() is tab

    def catch_up(self) -> None:
        """Redraw the charts that are showing and behind the latest evaluation."""
        if self.evaluation is None:
            return
        for name in list(self._behind):
            if self.showing(name):
                self.refresh(name)

    def refresh(self, name: str) -> None:
        """Give one chart the latest evaluation now, shown or not."""
        chart = self.charts[name]
        chart.set_evaluation(self.evaluation)
        if hasattr(chart, "set_selected"):
            chart.set_selected(self.window.selected_row())
        self._behind.discard(name)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show:
            for name, tab in self.tabs.items():
                if tab is watched and name in self._behind and self.evaluation is not None:
                    self.refresh(name)
        return False

    def on_looks_changed(self) -> None:
        zoom = self.window.zoom()
        for chart in self.charts.built().values():  # the others get the look when they are built
            chart.apply_look(zoom)

    def on_selected(self, row: int) -> None:
        for name in ("roadmap",):
            if name not in self._behind and self.tabs[name].is_built():
                self.charts[name].set_selected(row)

