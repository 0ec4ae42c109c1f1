"""The comparison in full window: in and out restores the window; ids and titles stay readable."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QDockWidget

from cutline.app.features import comparison_room
from cutline.app.features.scenarios import ScenarioFeature
from cutline.app.staging.comparison_demo import add_demo_scenarios
from cutline.models.scenarios.comparison import PlanColumn, compare
from cutline.views.comparison_room import ComparisonRoom
from cutline.views.comparison_room_model import ID_COLUMN, TITLE_COLUMN

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def _layout(window) -> dict:
    """Everything entering the room may change and leaving must put back."""
    return {"state": bytes(window.saveState()), "geometry": window.geometry(),
            "sizes": window.splitter.sizes(), "centre": window.centralWidget(),
            "docks": {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)},
            "charts": window.charts.currentIndex()}


def test_entering_and_leaving_puts_the_window_back(window, qtbot):
    window.splitter.setSizes([500, 300])
    dock = window.findChild(QDockWidget, "dock_explain")
    dock.hide()  # a dock the PM had closed stays closed
    qtbot.wait(10)
    before = _layout(window)
    assert any(before["docks"].values())

    window.actions["compare"].trigger()
    assert comparison_room.is_in_room(window)
    assert window.actions["compare"].isChecked() and window.actions["compare_room"].isChecked()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert isinstance(window.centralWidget(), ComparisonRoom)
    assert window.centralWidget().model.rowCount() == len(window.document.evaluation.ranking)

    qtbot.keyClick(window, Qt.Key.Key_Escape)   # one key returns
    assert not comparison_room.is_in_room(window)
    qtbot.wait(10)
    assert _layout(window) == before
    assert not window.actions["compare"].isChecked()

    window.actions["compare_room"].trigger()     # the View menu's item toggles both ways
    assert comparison_room.is_in_room(window)
    window.actions["compare_room"].trigger()
    qtbot.wait(10)
    assert _layout(window) == before


def test_four_scenarios_at_1366_keep_ids_and_titles_readable(window, qtbot):
    window.setFixedSize(QSize(1366, 768))
    add_demo_scenarios(window.document, 4)
    window.show_view("compare-room-4")
    qtbot.wait(20)
    room = window.centralWidget()
    assert [g.name for g in room.model.groups] == [s.name for s in window.document.workshop.scenarios][:4]
    _assert_readable(room)


def _assert_readable(room, *, every_plan_on_screen: bool = True) -> None:
    """Every id whole; titles at least the minimum; every plan's columns on screen (if asked)."""
    model = room.model
    bold = QFont(room.names.font())
    bold.setBold(True)
    widest_id = max(QFontMetrics(bold).horizontalAdvance(i) for i in model.ids)
    assert room.names.columnWidth(ID_COLUMN) >= widest_id + 8
    assert room.names.columnWidth(TITLE_COLUMN) >= QFontMetrics(room.names.font()).averageCharWidth() * 24
    assert room.names.isVisible() and room.names.viewport().width() >= (
        room.names.columnWidth(ID_COLUMN) + room.names.columnWidth(TITLE_COLUMN))
    last = model.groups[-1].last
    right_edge = room.plans.columnViewportPosition(last) + room.plans.columnWidth(last)
    if every_plan_on_screen:
        assert right_edge <= room.plans.viewport().width()   # no plan hides behind a sideways scroll
        assert room.plans.horizontalScrollBar().maximum() == 0
    else:  # the plans scroll sideways; the names never do, and the rows stay level
        assert room.names.horizontalScrollBar().maximum() == 0
        assert room.names.viewport().height() == room.plans.viewport().height()
    tip = model.index(0, TITLE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == model.titles[0]                          # the full title, however it is elided


def _hand_built(scenarios: int = 4, n: int = 40):
    """Long tracker ids (PLATFORM-10000...) and long titles, not the sample."""
    rng = np.random.default_rng(7)
    ids = np.array([f"PLATFORM-{10000 + i}" for i in range(n)], dtype=object)
    used = pd.DataFrame({"team": [], "quarter": [], "category": [], "used": []})
    evaluations = []
    for s in range(scenarios):
        order = np.arange(n) if s == 0 else rng.permutation(n)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(1, n + 1)
        funded = rank <= 20 - 3 * s
        evaluations.append(SimpleNamespace(
            scenario=SimpleNamespace(name=f"Scenario number {s + 1}"),
            portfolio=SimpleNamespace(ids=ids),
            ranking=SimpleNamespace(order=order, rank=rank, score=rng.uniform(10, 99, n)),
            allocation=SimpleNamespace(funded=funded, cut_line=int(funded.sum()) + 1, used_by_category=used)))
    titles = np.array([f"A long initiative title that goes on and on, number {i}" for i in range(n)], dtype=object)
    return compare(evaluations), titles


def test_long_ids_and_a_best_plan_column_fit_at_1366(qtbot):
    comparison, titles = _hand_built()
    room = ComparisonRoom()
    qtbot.addWidget(room)
    room.resize(1366, 700)
    room.show()
    room.show_comparison(comparison, titles)
    qtbot.wait(10)
    # Ids twice as long as the sample's and 4 scenarios: the plans may scroll sideways, never the names.
    _assert_readable(room, every_plan_on_screen=False)
    bar = room.plans.verticalScrollBar()
    bar.setValue(bar.maximum())                        # the two halves scroll as one
    assert room.names.verticalScrollBar().value() == bar.maximum() > 0
    assert room.names.rowAt(0) == room.plans.rowAt(0)
    # The optimiser's slot: one more column group with its own funded mask, no ranks of its own.
    funded = np.zeros(len(comparison.ids), dtype=bool)
    funded[[0, 1, 25]] = True
    room.show_comparison(comparison, titles, PlanColumn("Best plan", funded, None, 212.0))
    group = room.model.groups[-1]
    assert (group.name, group.is_extra) == ("Best plan", True)
    assert "score total 212" in group.words
    kinds = [room.model.kind(c) for c in range(group.first, group.last + 1)]
    assert kinds == ["rank", "funded", "change"]
    row_25 = room.model.view_row(25)
    assert room.model.index(row_25, group.first + 2).data() == "newly funded"
    assert room.model.index(row_25, group.first).data() == "—"
    assert room.model.funding_differs(row_25)
    # Ids and titles stay whole; the plans scroll sideways under their band if they must.
    bold = QFont(room.names.font())
    bold.setBold(True)
    assert room.names.columnWidth(ID_COLUMN) >= QFontMetrics(bold).horizontalAdvance("PLATFORM-10039")


def test_the_room_follows_the_window_selection_and_reports_its_own(window, qtbot):
    window.actions["compare"].trigger()
    room = window.centralWidget()
    row = int(window.document.evaluation.ranking.order[5])
    window.select_row(row)
    assert room.model.row_of(room.names.currentIndex().row()) == row
    other = int(window.document.evaluation.ranking.order[2])
    with qtbot.waitSignal(room.rowSelected) as signal:
        room.names.setCurrentIndex(room.model.index(room.model.view_row(other), TITLE_COLUMN))
    assert signal.args == [other]
    assert window.selected_row() == other


def test_a_weight_change_in_the_room_updates_it(window, qtbot):
    from cutline.app.document import intents

    window.actions["compare"].trigger()
    room = window.centralWidget()
    before = room.model.texts(room.model.groups[0].first + 2)[:]
    intents.set_weight(window.document, "effort", 9)
    qtbot.wait(10)
    assert room.model.texts(room.model.groups[0].first + 2) != before


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_room_reads_in_both_themes(window, qtbot, theme):
    window.set_theme(theme)
    try:
        window.actions["compare"].trigger()
        room = window.centralWidget()
        changes = [c for c in range(room.model.columnCount()) if room.model.kind(c) == "change"]
        rows = [r for r in range(room.model.rowCount()) if room.model.index(r, changes[0]).data()]
        assert rows, "the sample's scenarios differ"
        brush = room.model.index(rows[0], changes[0]).data(Qt.ItemDataRole.ForegroundRole)
        background = QColor(room.names.palette().color(QPalette.ColorRole.Base))
        assert abs(brush.color().lightness() - background.lightness()) > 90  # change words stand out
    finally:
        window.set_theme("light")


def test_the_room_chooses_its_scenarios_and_the_tab_agrees(window, qtbot):
    window.actions["compare"].trigger()
    room = window.centralWidget()
    names = [s.name for s in window.document.workshop.scenarios]
    assert [b.text() for b in room.picks] == [f"✔ {n}" for n in names]
    assert all(b.isChecked() for b in room.picks)
    room.picks[1].setChecked(False)                      # leave out the second scenario
    assert [g.name for g in room.model.groups] == [names[0], names[2]]
    assert window.feature(ScenarioFeature).view.chosen() == [names[0], names[2]]
    assert room.picks[1].text() == f"+ {names[1]}"
    room.picks[2].setChecked(False)                      # one left: the room says what to do
    assert "tick a second scenario" in room.summary.text()
    window.feature(ScenarioFeature).view.picker.item(1).setCheckState(Qt.CheckState.Checked)  # the tab's picker
    assert [b.isChecked() for b in room.picks] == [True, True, False]
    assert [g.name for g in room.model.groups] == names[:2]
    qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_the_room_stays_readable_at_projector_zoom(window, qtbot):
    window.setFixedSize(QSize(1366, 768))
    window.show_view("compare-room")
    before = window.zoom()
    try:
        window.set_zoom(before * 1.6)
        qtbot.wait(20)
        room = window.centralWidget()
        assert room.names.font().pointSizeF() > 11 * before * 1.5  # the room's type grew with the zoom
        assert room.heading.font().bold() and room.heading.font().pointSizeF() > room.names.font().pointSizeF()
        _assert_readable(room, every_plan_on_screen=False)
    finally:
        window.set_zoom(before)


def test_the_widest_of_many_ids_is_found_without_measuring_each(qtbot):
    from cutline.views.comparison_room import _widest

    room = ComparisonRoom()
    qtbot.addWidget(room)
    metrics = QFontMetrics(room.font())
    # 5,000 narrow ids with more characters, and one short but wide one.
    ids = [f"iil-{i:07d}" for i in range(5000)] + ["WMWM-1"]
    exact = max(metrics.horizontalAdvance(t) for t in ids)
    assert exact <= _widest(ids, metrics) <= exact + 4


def test_presenting_from_the_room_leaves_the_room_first(window, qtbot):
    # One full-window view at a time: F11 in the room presents the ranking; Esc then leaves it.
    from cutline.app.features import presentation

    window.actions["compare"].trigger()
    assert comparison_room.is_in_room(window)
    window.actions["presentation"].trigger()
    assert presentation.is_presenting(window) and not comparison_room.is_in_room(window)
    assert not window.actions["compare"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not presentation.is_presenting(window) and not comparison_room.is_in_room(window)
