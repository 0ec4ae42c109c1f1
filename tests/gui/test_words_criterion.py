"""A column of words (Jira's Priority) becomes a criterion through a value map set in the
"+ criterion" dialog; the map is kept in the model, and undo takes it away again."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from cutline.app.features import import_spreadsheet as import_flow
from cutline.app.features.import_spreadsheet import ImportFeature
from cutline.app.features.scoring import ScoringFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_priority_words_become_a_criterion(window):
    session = import_flow.start(window, EXPORTS / "jira_all_fields.csv", background=False)
    window.feature(ImportFeature).dialog.coverage.template.setCurrentIndex(
        window.feature(ImportFeature).dialog.coverage.template.findData("platform_default"))
    session.accept()
    feature = window.feature(ScoringFeature)
    dialog = feature.ask_new_criterion()
    dialog.source.setCurrentIndex(dialog.source.findData("Priority"))
    assert dialog.is_words() and not dialog.value_map.isHidden()
    words = [(dialog.value_map.item(r, 0).text(), dialog.value_map.item(r, 1).text())
             for r in range(dialog.value_map.rowCount())]
    assert words == [("Highest", "5"), ("High", "4"), ("Medium", "3"), ("Low", "2"), ("Lowest", "1")]
    row = next(r for r in range(dialog.value_map.rowCount()) if dialog.value_map.item(r, 0).text() == "High")
    dialog.value_map.item(row, 1).setText("4.5")                  # the PM's own number
    dialog.name.setText("priority")
    before = window.document.workshop
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    model = window.document.workshop.current_scenario().model
    assert "priority" in model.names and model.criterion("priority").source == "Priority"
    assert dict(model.value_maps.for_column("Priority")) == {
        "Highest": 5, "High": 4.5, "Medium": 3, "Low": 2, "Lowest": 1}
    window.document.evaluate_now()
    ranking = window.document.evaluation.ranking
    k = ranking.criteria.index("priority")
    assert (ranking.raw[:, k] == 4.5).any() and not ranking.unrated[:, k].all()
    window.document.undo_stack.undo()
    assert window.document.workshop is before
