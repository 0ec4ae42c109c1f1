"""In the window the cut line says what it means: every row funded below it says why, the
status line counts them, and with one team shown the line is that team's own."""

import numpy as np
from cutline.models.words.cut_line import funded_below
from cutline.views.status_line import summary_text
from PySide6.QtCore import Qt


def test_rows_funded_below_the_line_say_why_and_are_counted(window):
    ev = window.document.evaluation
    model = window.table_model
    below = np.flatnonzero(funded_below(ev.ranking, ev.allocation))
    assert below.size  # the sample funds small initiatives in leftover capacity
    column = model.column_of("funding")
    for row in below[:5]:
        text = model.data(model.index(model.view_row(int(row)), column), Qt.ItemDataRole.DisplayRole)
        first = ev.allocation.quarters[int(ev.allocation.quarter[row])]
        assert "below the cut line" in text and text.removeprefix("⚠ late ").startswith(first)  # late: word first
    words = summary_text(window.document, ev)
    assert f"cut line at #{ev.allocation.cut_line}, {below.size} funded below it" in words


def test_with_one_team_shown_the_line_is_that_team_s_own(window):
    ev = window.document.evaluation
    model = window.table_model
    teams = ev.portfolio.text("team")
    team = teams[int(ev.ranking.order[ev.allocation.cut_line - 1])]  # the team of the first unfunded
    other = next(t for t in dict.fromkeys(teams.tolist()) if t != team)
    model.set_filter(teams == other)
    assert model.is_filtered()
    rows = np.flatnonzero(teams == other)
    order = ev.ranking.order[np.isin(ev.ranking.order, rows)]
    first_unfunded = next((int(r) for r in order if not ev.allocation.funded[r]), None)
    expected = None if first_unfunded is None else int(ev.ranking.rank[first_unfunded])
    assert model.cut_line() == expected and expected != ev.allocation.cut_line
    model.set_filter(None)
    assert model.cut_line() == ev.allocation.cut_line


def test_the_cut_line_chart_rings_work_funded_below_the_line(qtbot):
    from cutline.models.scenarios.pipeline import Evaluator
    from cutline.views.charts.cut_line_chart import CutLineChart

    from tests.models import scenarios_hand_built as hand

    ev = Evaluator(hand.portfolio()).evaluate(hand.scenarios()[0])  # E (rank 6) funded below #3
    chart = CutLineChart()
    qtbot.addWidget(chart)
    chart.set_evaluation(ev)
    ringed = chart.below_points.getData()[0].tolist()
    plain = chart.funded_points.getData()[0].tolist()
    assert ringed == [6.0] and plain == [1.0, 2.0]
    assert chart.cut_label == "cut line #3"
    assert "Funded below the cut line" in [label for label, _ in chart.key._entries]
    assert chart.describe(5).endswith("below the cut line, in the leftover capacity of the shared pool")
