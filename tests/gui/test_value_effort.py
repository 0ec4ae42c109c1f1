"""The value-versus-effort chart: points by tier and funding, hover names, the selected ring, clicks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from cutline.models.scoring.model import default_model
from cutline.views.charts.value_effort import ValueEffortChart
from tests.gui import scoring_fixtures as fx


@pytest.fixture
def chart(qtbot):
    widget = ValueEffortChart()
    qtbot.addWidget(widget)
    widget.resize(900, 520)
    widget.show()
    widget.set_evaluation(fx.evaluation())
    qtbot.waitExposed(widget)
    return widget


def test_one_point_per_initiative_by_tier_and_funding(chart):
    ev = chart.evaluation
    assert len(chart.rows) == len(ev.ranking)  # every fixture initiative has an effort
    shown = {key: len(item.data) for key, item in chart.items.items()}
    funded = ev.allocation.funded
    assert shown[(1, True)] == int(((ev.ranking.tier == 1) & funded).sum())
    assert shown[(2, False)] == int(((ev.ranking.tier == 2) & ~funded).sum())
    assert sum(shown.values()) == len(ev.ranking)
    assert chart.items[(1, True)].opts["symbol"] != chart.items[(2, True)].opts["symbol"]
    hollow = chart.items[(2, False)].opts["brush"].color()
    assert hollow != chart.items[(2, True)].opts["brush"].color()
    assert chart.title == "Which initiatives give the most score per person-week?"


def test_hover_names_the_initiative_with_its_numbers(chart):
    ev = chart.evaluation
    row = ev.portfolio.row_of_id["P-7"]
    x, y = chart.point_of(row)
    text = chart.hover_at(x, y)
    assert text.startswith("P-7 Audit log export\n")
    assert f"Score {ev.ranking.score[row]:.1f} · effort 2 person-weeks" in text
    assert f"Rank {ev.ranking.rank[row]}" in text
    assert chart.hover_at(x + 5, 100) == ""


def test_a_new_evaluation_updates_the_same_items(chart):
    items = dict(chart.items)
    model = default_model().with_weights({"reliability": 0, "security": 0})
    ev = fx.evaluation(model)
    chart.set_evaluation(ev)
    assert all(chart.items[k] is item for k, item in items.items())
    row = ev.portfolio.row_of_id["P-3"]
    assert chart.point_of(row)[1] == pytest.approx(ev.ranking.score[row])


def test_the_selected_initiative_wears_a_ring_and_its_name(chart):
    row = chart.evaluation.portfolio.row_of_id["P-4"]
    chart.set_selected(row)
    ring = chart.ring.data
    assert len(ring) == 1 and (ring["x"][0], ring["y"][0]) == chart.point_of(row)
    assert chart.label.textItem.toPlainText() == "P-4 Self-service environments"
    chart.set_selected(-1)
    assert len(chart.ring.data) == 0 and chart.label.textItem.toPlainText() == ""


def test_rice_as_the_height(chart):
    chart.measure_box.setCurrentIndex(chart.measure_box.findData("rice"))
    assert chart.title == "Which initiatives give the most RICE per person-week?"
    assert len(chart.rows) == 11  # P-9 has no RICE
    assert chart.note.text() == "1 without an effort or a RICE value not shown"


def _click(chart, x, y):
    box = chart.plot.getViewBox()
    scene = box.mapViewToScene(QPointF(x, y))
    view = chart.plot_widget
    pos = QPointF(view.mapFromScene(scene))
    for kind in (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseButtonRelease):
        event = QMouseEvent(kind, pos, view.viewport().mapToGlobal(pos), Qt.MouseButton.LeftButton,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view.viewport(), event)


def test_clicking_a_point_asks_to_select_it(chart, qtbot):
    row = chart.evaluation.portfolio.row_of_id["P-8"]
    with qtbot.waitSignal(chart.initiativeClicked, timeout=2000) as signal:
        _click(chart, *chart.point_of(row))
    assert signal.args == [row]


# -- in the window (the `window` fixture of tests/gui/conftest.py: the sample, offscreen) ---------
@pytest.mark.slow
def test_the_matrix_in_the_window(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    chart = window.feature(ScoringFeature).chart
    window.show_view("matrix")
    qtbot.waitExposed(chart)
    ev = window.document.evaluation
    row = int(ev.ranking.order[3])
    x, y = chart.point_of(row)
    assert chart.hover_at(x, y).startswith(f"{ev.portfolio.ids[row]} {ev.portfolio.value(row, 'title')}")
    _click(chart, x, y)
    assert window.selected_row() == row
    assert np.array_equal(chart.ring.data["x"], [x])


def test_a_hidden_chart_draws_when_shown(qtbot):
    widget = ValueEffortChart()
    qtbot.addWidget(widget)
    widget.set_evaluation(fx.evaluation())
    assert widget.evaluation is None  # nothing drawn while nobody looks
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.evaluation is not None and len(widget.rows) == 12


def test_a_burst_of_evaluations_is_drawn_as_it_comes(chart):
    later = [fx.evaluation(default_model().with_weight("dx", w)) for w in (4, 6, 8)]
    for ev in later:
        chart.set_evaluation(ev)
        assert chart.evaluation is ev


def test_the_legend_hides_and_shows_its_points(chart):
    sample, item = chart._samples[(1, True)], chart.items[(1, True)]
    sample.setVisible(False)  # what clicking the legend entry does
    assert not item.isVisible()
    sample.setVisible(True)
    assert item.isVisible()



def test_points_and_legend_grow_with_the_zoom(chart):
    item = chart.items[(1, True)]
    size = item.opts["size"]
    chart.apply_look(2.0)
    assert item.opts["size"] == pytest.approx(2 * size)
    labels = [label.item.toHtml() for _, label in chart.legend.items]
    assert labels and all("22pt" in html for html in labels)


def test_a_narrow_chart_wraps_its_title_and_keeps_the_whole_plot_in_view(chart, qtbot):
    """At 1366x768 beside both docks the chart is about 660 px wide: the question goes on two
    lines instead of running off the edge, and the plot is no wider than its view."""
    assert chart.title_lines() == [chart.title]  # 900 px: one line
    chart.resize(600, 420)
    qtbot.waitUntil(lambda: len(chart.title_lines()) == 2)
    first, second = chart.title_lines()
    assert f"{first} {second}" == chart.title
    assert chart.plot.titleLabel.item.boundingRect().width() <= chart.plot_widget.width()
    qtbot.waitUntil(lambda: chart.plot.geometry().width() <= chart.plot_widget.width() + 1)
    chart.resize(900, 520)
    qtbot.waitUntil(lambda: chart.title_lines() == [chart.title])


def test_the_selected_name_stays_inside_the_plot(chart, qtbot):
    chart.resize(600, 420)
    qtbot.wait(10)
    box = chart.plot.getViewBox()
    named = 0
    for row in range(len(chart.evaluation.ranking)):
        chart.set_selected(row)
        if not chart.label.toPlainText():
            continue
        named += 1
        rect = chart.label.mapRectToScene(chart.label.boundingRect())
        view = box.mapRectToScene(box.boundingRect())
        assert rect.left() >= view.left() - 1 and rect.right() <= view.right() + 1, chart.label.toPlainText()
    assert named >= len(chart.evaluation.ranking) // 2
