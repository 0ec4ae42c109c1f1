"""The rank-changes chart: each scenario's own cut line, and orange only where funding changes."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from cutline.models.scenarios.comparison import compare
from cutline.views.charts.bump_chart import CUT_HALF_WIDTH, BumpChart
from cutline.views.palette import CUT_LINE


def _evaluation(name, order, funded, cut_line):
    ids = np.array(["A", "B", "C", "D", "E"], dtype=object)
    order = np.asarray(order)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    return SimpleNamespace(
        scenario=SimpleNamespace(name=name),
        portfolio=SimpleNamespace(ids=ids),
        ranking=SimpleNamespace(order=order, rank=rank, score=np.linspace(90, 10, len(order))),
        allocation=SimpleNamespace(funded=np.asarray(funded, dtype=bool), cut_line=cut_line,
                                   used_by_category=pd.DataFrame({"category": [], "used": []})))


@pytest.fixture
def chart(qtbot):
    # B is #2 everywhere and funded everywhere; Lean funds nothing above it (its cut line is at #1).
    comparison = compare([
        _evaluation("Now", [0, 1, 2, 3, 4], [True, True, True, False, False], cut_line=4),
        _evaluation("Push", [0, 1, 3, 2, 4], [True, True, False, True, False], cut_line=3),
        _evaluation("Lean", [0, 1, 2, 3, 4], [False, True, False, False, False], cut_line=1),
    ])
    chart = BumpChart()
    qtbot.addWidget(chart)
    chart.show_comparison(comparison, np.array(["a", "b", "c", "d", "e"], dtype=object))
    return chart


def test_each_scenario_draws_its_own_cut_line_on_its_own_column(chart):
    assert chart.cut_positions == [3.5, 2.5, 0.5]
    for i, y in enumerate(chart.cut_positions):
        xs, ys = chart._cuts[i].getData()
        assert chart._cuts[i].isVisible()
        assert xs[0] == pytest.approx(i - CUT_HALF_WIDTH)      # on its own column, not across all
        assert i - 0.5 < xs[-1] <= i + CUT_HALF_WIDTH
        assert list(ys) == [y, y]
        assert chart._cut_words[i].toPlainText() == f"cut #{[4, 3, 1][i]}"


def test_orange_only_where_funding_changes(chart):
    # Rows in the baseline's order: A (funded, not in Lean), B (funded everywhere), C, D, E (never).
    assert chart.crosses.tolist() == [True, False, True, True, False]
    b = list(chart._ids).index("B")
    assert chart._lines[b].opts["pen"].color().name().upper() != CUT_LINE.upper()
    a = list(chart._ids).index("A")
    assert chart._lines[a].opts["pen"].color().name().upper() == CUT_LINE.upper()
    assert "same funding in every scenario" in chart.hover_text(1, 2)


def test_a_cut_line_below_the_drawn_ranks_sits_at_the_bottom_with_an_arrow(qtbot):
    comparison = compare([_evaluation("Now", [0, 1, 2, 3, 4], [True] * 5, cut_line=None),
                          _evaluation("Deep", [0, 1, 2, 3, 4], [True] * 5, cut_line=40)])
    chart = BumpChart()
    qtbot.addWidget(chart)
    chart.show_comparison(comparison, np.array(list("abcde"), dtype=object))
    assert chart.cut_positions == [None, 5.5]
    assert not chart._cuts[0].isVisible()
    assert chart._cut_words[1].toPlainText() == "cut #40 ↓"
