"""Scenarios side by side (compare, bump, the full-window room) and how sure the ranking is (sensitivity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cutline.app.features.comparison_room import RoomMode
from cutline.app.features.sensitivity import SensitivityFeature
from cutline.views.charts.bump_chart import BumpChart
from cutline.views.charts.rank_intervals import RankIntervals
from cutline.views.comparison_view import MAX_SCENARIOS, ComparisonView
from cutline.views.lazy_tab import LazyTab

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class ScenarioFeature:
    """Keeps the comparison and bump chart current; links their selection with the table."""

    VIEWS: ClassVar[tuple[str, ...]] = ("compare", "bump", "sensitivity", "compare-room",
                                        "compare-room-2", "compare-room-4")

    def __init__(self, window: MainWindow):
        self.window = window
        self.view = ComparisonView()
        # The two charts are built when first needed: start-up pays for neither.
        self._bump_tab, self._intervals_tab = LazyTab(BumpChart), LazyTab(RankIntervals)
        self.chosen: list[str] | None = None
        #: One more plan shown beside the scenarios in the room (e.g. the optimiser's best plan).
        self.extra_plan = None
        self.room_mode = window.feature(RoomMode)
        self.comparison = None
        window.add_chart("compare", "Compare scenarios", self.view)
        window.add_chart("bump", "Rank changes", self._bump_tab)
        window.add_chart("sensitivity", "How sure?", self._intervals_tab)
        show_sensitivity = window.views["sensitivity"]
        window.register_view("sensitivity", lambda: self._show_sensitivity(show_sensitivity))
        for name in ("compare", "bump"):
            show = window.views[name]
            window.register_view(name, lambda show=show: (show(), self.refresh()))
        for count in (None, 2, 4):
            name = "compare-room" if count is None else f"compare-room-{count}"
            window.register_view(name, lambda count=count: self._show_room(count))
        self.view.fullWindowAsked.connect(self.room_mode.toggle)
        self.view.scenariosChosen.connect(self._on_chosen)
        self.room_mode.room.scenariosChosen.connect(self._on_chosen_in_room)
        self.room_mode.entered.connect(self.refresh)
        # Leaving the room: the tab and chart behind it catch up.
        self.room_mode.left.connect(lambda: self.stale and self.refresh())
        self.view.rowSelected.connect(window.select_row)
        window.selectionChanged.connect(self.view.select)
        window.evaluated.connect(lambda _: self.refresh())
        window.scenariosChanged.connect(self._on_scenarios_changed)
        window.documentChanged.connect(lambda _: self._on_workshop())
        window.looksChanged.connect(self._on_looks)
        window.charts.currentChanged.connect(lambda _: self.stale and self.refresh())
        window.feature(SensitivityFeature).computed.connect(self._on_sensitivity)
        self.stale = True

    @property
    def bump(self) -> BumpChart:
        return self._bump_tab.content()

    @property
    def intervals(self) -> RankIntervals:
        return self._intervals_tab.content()

    def _names(self) -> list[str]:
        names = [s.name for s in self.window.document.workshop.scenarios]
        chosen = [n for n in (self.chosen or names) if n in names][:MAX_SCENARIOS]
        return chosen

    def _on_scenarios_changed(self, change) -> None:
        if change.scenarios:  # names or the current one; not another scenario's contents
            self._on_workshop()

    def _on_workshop(self) -> None:
        names = [s.name for s in self.window.document.workshop.scenarios]
        self.view.set_scenarios(names, self._names())
        self.room_mode.room.set_scenarios(names, self._names())

    def _on_looks(self) -> None:
        """A zoom or theme change: built charts take it now and redraw their items."""
        zoom = self.window.zoom()
        for tab in (self._bump_tab, self._intervals_tab):
            if tab.is_built():
                tab.content().apply_look(zoom)
        self.stale = True
        self.refresh()
        sensitivity = self.window.feature(SensitivityFeature).result
        doc = self.window.document
        if (self._intervals_tab.is_built() and sensitivity is not None and doc is not None
                and doc.evaluation is not None and len(sensitivity.funded_share) == len(doc.evaluation.ranking)):
            self.intervals.show_sensitivity(sensitivity, doc.evaluation)

    def _on_sensitivity(self, result) -> None:
        """New weight draws: the "How sure?" chart shows them against the current evaluation."""
        self.intervals.show_sensitivity(result, self.window.document.evaluation)

    def choose(self, names: list[str]) -> None:
        """Compare these scenarios (the first is the baseline), in the tab and the room."""
        self.view.set_scenarios([s.name for s in self.window.document.workshop.scenarios], names)
        self._on_chosen(names)

    def _on_chosen(self, names: list[str]) -> None:
        self.chosen = names
        self.room_mode.room.set_scenarios([s.name for s in self.window.document.workshop.scenarios], names)
        self.refresh()

    def _on_chosen_in_room(self, names: list[str]) -> None:
        self.chosen = names
        self.view.set_scenarios([s.name for s in self.window.document.workshop.scenarios], names)
        self.refresh()

    def set_extra_plan(self, plan) -> None:
        """Show `plan` (a cutline.models.scenarios.comparison.PlanColumn, or None) as a column group in the room."""
        self.extra_plan = plan
        self.refresh()

    def _show_room(self, count: int | None) -> None:
        """The room with `count` scenarios (all, up to four, when None); a screenshot makes up missing ones."""
        doc = self.window.document
        if count is not None and doc is not None:
            self.chosen = [s.name for s in doc.workshop.scenarios][:count]
            self._on_workshop()
        self.room_mode.enter()

    def refresh(self) -> None:
        doc = self.window.document
        if doc is None or doc.evaluation is None:
            return
        # Only while it is in front: a weight change must not pay for a hidden comparison.
        in_room = self.room_mode.active
        if not in_room and self.window.charts.currentWidget() not in (self.view, self._bump_tab):
            self.stale = True
            return
        self.stale = False
        from cutline.models.errors import CutlineError
        from cutline.models.scenarios.comparison import compare

        names = self._names()
        try:
            current = doc.evaluation
            evaluations = [current if n == current.scenario.name else doc.evaluate_scenario(n)
                           for n in names]
            comparison = compare(evaluations) if evaluations else None
        except CutlineError as exc:
            self.window.tell_error(exc.describe())
            return
        if comparison is None:
            return
        titles = evaluations[0].portfolio.text("title")
        if in_room:
            self.room_mode.room.show_comparison(comparison, titles, self.extra_plan)
            self.stale = True  # the tab and chart behind the room catch up when next in front
        else:
            self.view.show_comparison(comparison, titles)
            self.bump.show_comparison(comparison, titles)
        self.comparison = comparison

    def _show_sensitivity(self, bring_to_front) -> None:
        sensitivity = self.window.feature(SensitivityFeature)
        if sensitivity.result is None:
            sensitivity.run(background=False)
        bring_to_front()
