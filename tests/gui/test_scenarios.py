"""Scenarios in the window: duplicate, change a weight in the copy, see the comparison follow."""

import numpy as np
import pytest

from cutline.app.document import intents
from cutline.app.features.scenarios import ScenarioFeature
from cutline.app.features.sensitivity import SensitivityFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def test_duplicate_change_weight_and_compare(window, qtbot):
    doc = window.document
    feature = window.feature(ScenarioFeature)
    window.show_view("compare")
    intents.duplicate_scenario(doc, "Security heavy")
    assert doc.workshop.current == "Security heavy"
    feature.chosen = ["Default", "Security heavy"]
    feature.refresh()
    assert not feature.comparison.rank_change[1].any()          # a copy changes nothing yet
    assert feature.comparison.kendall_tau[1] == 1.0

    intents.set_weight(doc, "security", 10)
    intents.set_weight(doc, "reliability", 0)
    comparison = feature.comparison
    assert comparison.names == ("Default", "Security heavy")
    assert comparison.rank_change[1].any()                      # the comparison followed the edit
    assert comparison.kendall_tau[1] < 1.0
    visible = [lst for lst in window.findChildren(type(feature.view.lists[0])) if lst.isVisible()]
    assert len(visible) == 2
    assert "Security heavy" in visible[1].title.text()

    row = int(np.argmax(comparison.rank_change[1] != 0))
    visible[1].rowSelected.emit(row)                             # rows are linked across lists
    assert window.selected_row() == row

    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert not feature.comparison.rank_change[1].any()


def test_sensitivity_fills_the_table_and_chart(window):
    from cutline.app.features import sensitivity as sensitivity_flow

    sensitivity_flow.run(window, background=False, draws=100)
    s = window.feature(SensitivityFeature).result
    assert len(s.funded_share) == len(window.document.evaluation.ranking)
    model = window.table_model
    col = model.column_of("sens_share")
    assert model.index(0, col).data().endswith("%")
    assert window.feature(ScenarioFeature).intervals.hover_at(0, 1)


def test_the_scenario_charts_follow_a_zoom_change(window):
    from cutline.app.features import sensitivity as sensitivity_flow

    window.show_view("bump")
    sensitivity_flow.run(window, background=False, draws=50)
    feature = window.feature(ScenarioFeature)
    before = window.zoom()
    try:
        window.set_zoom(before * 1.5)
        assert feature.bump.zoom == pytest.approx(before * 1.5)
        assert feature.intervals.zoom == pytest.approx(before * 1.5)
    finally:
        window.set_zoom(before)
