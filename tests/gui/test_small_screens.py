"""What a laptop's window shows: whole ranks on chart axes with no SI prefix, the score in view
beside the title, the # column kept in view when an initiative is selected, and the How sure?
chart drawing the initiatives it tells the room to discuss."""

import numpy as np

from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.comparison import compare
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario


def _one():
    portfolio = Portfolio.from_records([{"id": "A-1", "title": "Rotate root CA", "team": "Identity", "effort": 3}])
    return Evaluator(portfolio).evaluate(Scenario("Default"))


def _ticks(axis, low, high):
    """The major tick values the axis would draw over [low, high] at 400 px."""
    return [v for v in axis.tickValues(low, high, 400)[0][1]]


def test_one_initiative_has_a_tick_at_rank_1_and_none_between(qtbot):
    from cutline.views.charts.cut_line_chart import CutLineChart

    chart = CutLineChart()
    qtbot.addWidget(chart)
    chart.set_evaluation(_one())
    bottom = chart.plot.getAxis("bottom")
    assert all(float(v).is_integer() for v in _ticks(bottom, 0, 1.5))
    assert not bottom.autoSIPrefix and not chart.plot.getAxis("left").autoSIPrefix


def test_a_comparison_of_one_scenario_has_whole_ranks_and_no_unit_prefix(qtbot):
    from cutline.views.charts.bump_chart import BumpChart

    chart = BumpChart()
    qtbot.addWidget(chart)
    ev = _one()
    chart.show_comparison(compare([ev]), np.array(["Rotate root CA"], dtype=object))
    left = chart.plot.getAxis("left")
    assert all(float(v).is_integer() for v in _ticks(left, 0.5, 1.0))
    assert not chart.plot.getAxis("bottom").autoSIPrefix  # it read "Scenario (x0.001)"


def _sample_table(qtbot, width: int):
    """The ranked table on the sample, shown `width` pixels wide; (table, model)."""
    from cutline.app.lifecycle.loading import load_path, sample_path
    from cutline.views.ranked_table import RankedTable
    from cutline.views.ranked_table_model import RankedTableModel

    workshop = load_path(sample_path(), read_only=True).workshop
    model = RankedTableModel()
    table = RankedTable(model)
    qtbot.addWidget(table)
    model.set_evaluation(Evaluator(workshop.portfolio).evaluate(workshop.current_scenario()))
    table.resize(width, 300)
    table.show()
    qtbot.waitExposed(table)
    return table, model


def test_selecting_an_initiative_keeps_the_rank_column_in_view(qtbot):
    table, model = _sample_table(qtbot, 500)  # narrower than the columns: the title runs off the right
    table.select_row(int(model.portfolio_row(30)))
    assert table.horizontalScrollBar().value() == 0  # it scrolled sideways to the title
    assert table.selected_row() == model.portfolio_row(30)


def test_how_sure_draws_every_initiative_whose_funding_flips_and_those_nearest_the_cut_line():
    from types import SimpleNamespace

    from cutline.views.charts.rank_intervals import rows_to_show

    order = np.arange(60)[::-1].copy()  # row 59 ranks first
    flips = np.zeros(60, dtype=bool)
    flips[[order[19], order[56]]] = True  # ranks 20 and 57 flip
    evaluation = SimpleNamespace(ranking=SimpleNamespace(order=order), allocation=SimpleNamespace(cut_line=30))
    rows = rows_to_show(SimpleNamespace(flips=flips), evaluation, top_n=6)
    ranks = [int(np.flatnonzero(order == r)[0]) + 1 for r in rows]
    assert ranks == [20, 28, 29, 30, 31, 57]  # both flippers, then the nearest the line, in rank order
    evaluation.allocation.cut_line = None  # everything funded: the top of the list
    assert len(rows_to_show(SimpleNamespace(flips=np.zeros(60, bool)), evaluation, top_n=4)) == 4


def test_a_narrow_table_narrows_the_title_so_the_score_stays_in_view_until_the_user_sizes_it(qtbot):
    from cutline.views.ranked_table import MIN_TITLE, TITLE_WIDTH

    table, model = _sample_table(qtbot, 700)
    score, title = model.column_of("score"), model.column_of("title")
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(score) + table.columnWidth(score) <= table.viewport().width()
    assert MIN_TITLE <= table.columnWidth(title) < TITLE_WIDTH
    table.resize(1400, 300)
    qtbot.wait(1)
    assert table.columnWidth(title) == TITLE_WIDTH  # room again: the whole width
    header.resizeSection(title, 300)  # the user drags its edge: kept from now on
    table.resize(700, 300)
    qtbot.wait(1)
    assert table.columnWidth(title) == 300


def test_the_comparison_with_one_scenario_says_how_to_make_a_second():
    from types import SimpleNamespace

    from cutline.views.comparison_view import summary_html

    one = SimpleNamespace(names=("Default",))
    assert "New scenario" in summary_html(one, scenarios=1)
    assert summary_html(one, scenarios=3).startswith("Tick a second scenario")


def test_the_compare_tab_says_changes_in_the_rooms_words(qtbot):
    from cutline.views.comparison_view import ComparisonView
    from tests.models import scenarios_hand_built as hand

    portfolio = hand.portfolio()
    evaluator = Evaluator(portfolio)
    comparison = compare([evaluator.evaluate(s) for s in hand.scenarios()])
    view = ComparisonView()
    qtbot.addWidget(view)
    view.show_comparison(comparison, portfolio.text("title"))
    words = set()
    for lst in view.lists[1:len(comparison.names)]:
        words |= {lst.model.data(lst.model.index(r, 2)) for r in range(len(comparison.ids))}
    assert {"loses funding", "newly funded"} & words and any(w.startswith(("▲", "▼")) for w in words if w)
    assert not any(w.startswith(("up ", "down ", "dropped")) for w in words if w)
    assert view.lists[0].table.isColumnHidden(2) and not view.lists[1].table.isColumnHidden(2)


def test_the_rating_panel_at_1366_keeps_its_start_button_within_reach(window, qtbot):
    """Clipped by a laptop's dock, the Start button was past the window's edge; the panel now
    scrolls, and --view rate opens it wide, as Workshop > Rate does."""
    from cutline.app.features.rating import RatingSession

    window.resize(1366, 768)
    rating = window.feature(RatingSession)
    window.views["rate"]()
    qtbot.waitUntil(lambda: rating.dock.isVisible() and rating.dock.width() >= 0.5 * window.width())
    scroller = rating.dock.widget()
    scroller.ensureWidgetVisible(rating.setup.start)
    start = rating.setup.start
    corner = start.mapTo(scroller.viewport(), start.rect().bottomRight())
    assert scroller.viewport().rect().contains(corner)


def test_the_change_column_is_measured_again_when_the_type_grows(qtbot):
    from PySide6.QtGui import QFont

    from cutline.views.comparison_lists import ScenarioList

    lst = ScenarioList()
    qtbot.addWidget(lst)
    before = lst.table.columnWidth(2)
    bigger = QFont(lst.table.font())
    bigger.setPointSizeF(bigger.pointSizeF() * 1.6)
    lst.table.setFont(bigger)
    assert lst.table.columnWidth(2) > before * 1.3
