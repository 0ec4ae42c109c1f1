"""The explain panel: contributions that add up to the score, inputs, tier, funding and dependencies."""

from __future__ import annotations

import numpy as np
import pytest

from cutline.models.words.initiative_facts import BLANK
from cutline.views.explain_panel import ExplainPanel
from tests.gui import scoring_fixtures as fx


@pytest.fixture(scope="module")
def evaluation():
    return fx.evaluation()


@pytest.fixture
def panel(qtbot):
    widget = ExplainPanel()
    qtbot.addWidget(widget)
    widget.resize(460, 1000)
    return widget


def _row(evaluation, ident):
    return evaluation.portfolio.row_of_id[ident]


def _table(panel):
    t = panel.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_nothing_shown_until_an_initiative_is(panel, evaluation):
    assert panel.explained_row() == -1 and not panel.empty.isHidden()
    panel.show_initiative(evaluation, 99)
    assert panel.explained_row() == -1


def test_contributions_add_up_to_the_score(panel, evaluation):
    for row in range(len(evaluation.ranking)):
        panel.show_initiative(evaluation, row)
        assert panel.points_total() == pytest.approx(evaluation.ranking.score[row])
        assert _table(panel)[-1] == ["Score", "", "", f"{evaluation.ranking.score[row]:.1f}"]


def test_a_chain_of_dependencies_across_teams(panel, evaluation):
    row = _row(evaluation, "P-3")  # Core's P-4 waits on it, Data's P-6 on P-4; it names Mobile
    panel.show_initiative(evaluation, row)
    assert panel.title.text() == "Shared build cache"
    assert panel.identity.text() == "P-3 · Build · developer-experience"
    rank = evaluation.ranking.rank[row]
    assert f"Rank {rank} of 12 · Score {evaluation.ranking.score[row]:.1f}" in panel.headline.text()
    assert panel.tier.text() == "Tier 2: Everything else"
    assert "does not meet tier 1" in panel.tier_reason.text()
    assert panel.unblocks.text() == "3 teams: Core, Data, Mobile."
    prerequisite = _row(evaluation, "P-5")
    assert "<b>P-5</b> Artifact store — rank " + str(evaluation.ranking.rank[prerequisite]) in panel.depends.text()
    # The table: one line per criterion, input, normalised value, points.
    lines = {line[0].split(" (")[0]: line[1:] for line in _table(panel)[:-1]}
    assert lines["dx"] == ["9", "0.90", "12.0"]  # 9 on 0..10, weight 2 of 15: 100 * 2 * 0.9 / 15
    assert lines["unblocking"] == ["3", "1.00", "20.0"]  # the most teams unblocked: minmax gives 1


def test_blank_inputs_earn_no_points_and_say_so(panel, evaluation):
    row = _row(evaluation, "P-9")
    panel.show_initiative(evaluation, row)
    lines = {line[0].split(" (")[0]: line[1:] for line in _table(panel)[:-1]}
    assert lines["reliability"] == [BLANK, "—", "0.0"]
    assert lines["rice"] == [BLANK, "—", "0.0"]
    assert panel.funding.text().startswith("Not funded")
    assert panel.depends.text() == "Nothing: it can start on its own."
    assert panel.unblocks.text() == "No other team waits on it."


def test_the_bar_has_a_segment_per_criterion_with_hover(panel, evaluation):
    row = _row(evaluation, "P-2")
    panel.show_initiative(evaluation, row)
    chart = panel.chart
    assert chart.names == evaluation.ranking.criteria
    assert np.allclose(chart.points, evaluation.ranking.contributions[row])
    assert chart.title == "What earns its points?"
    # security is the second segment: reliability gives 10 points, security 18 (9 of 10, weight 3).
    assert chart.hover_at(15, 0).startswith("security: 18.0 points")
    assert chart.hover_at(99, 0) == ""


# -- in the window (the `window` fixture of tests/gui/conftest.py: the sample, offscreen) ---------
@pytest.mark.slow
def test_selecting_an_initiative_explains_it(window):
    from cutline.app.features.scoring import ScoringFeature

    explain = window.feature(ScoringFeature).explain
    ev = window.document.evaluation
    assert explain.explained_row() == int(ev.ranking.order[0])  # rank 1 until something is chosen
    row = int(ev.ranking.order[5])
    window.select_row(row)
    assert explain.explained_row() == row
    assert explain.title.text() == ev.portfolio.value(row, "title")
    assert explain.points_total() == pytest.approx(ev.ranking.score[row])
    assert sum(float(line[3]) for line in _table(explain)[:-1]) == pytest.approx(
        ev.ranking.score[row], abs=0.05 * len(ev.ranking.criteria))
    window.show()
    window.show_view("explain")
    assert explain.isVisible()


def test_only_the_total_is_bold_when_a_criterion_is_added(panel):
    from cutline.models.scoring.model import default_model

    fewer = fx.evaluation(default_model().removing("risk"))
    panel.show_initiative(fewer, 0)
    panel.show_initiative(fx.evaluation(default_model()), 0)  # one row more: the old total is reused
    rows = panel.table.rowCount()
    bold = [[panel.table.item(r, c).font().bold() for c in range(4)] for r in range(rows)]
    assert all(not any(row) for row in bold[:-1]) and all(bold[-1])
