"""The import dialog on tracker exports and PMs' words: the value maps, the effort unit and the
coverage panel, driven as a user would."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cutline.app.features import import_spreadsheet as import_flow
from cutline.app.features.import_spreadsheet import ImportFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_a_jira_export_says_what_it_read_and_the_unit_can_be_set(window):
    session = import_flow.start(window, EXPORTS / "jira_all_fields.csv", background=False)
    dialog = window.feature(ImportFeature).dialog
    assert dialog.summary.text().startswith("Read as a Jira export: 30 initiatives ready to import")
    assert dialog.report.item(0).text() == "ℹ Read as a Jira export."
    fields = dialog.mapping_fields()
    assert fields["Custom field (Story Points)"] == "effort" and fields["Outward issue link (Blocks)"] == "blocks"
    values = dialog.values
    assert values.unit.currentData() == "points" and values.factor.value() == 0.5
    before = session.portfolio.numeric("effort").copy()
    values.factor.setValue(1.0)                                    # 1 point = 1 person-week
    after = session.portfolio.numeric("effort")
    assert np.allclose(after[np.isfinite(after)], 2 * before[np.isfinite(before)])
    values.unit.setCurrentIndex(values.unit.findData("person-days"))  # the column was days after all
    assert values.factor.value() == 0.2 and session.mapping.conversion("effort").unit == "person-days"


def test_words_are_read_through_a_map_the_user_edits(window):
    session = import_flow.start(window, EXPORTS / "pm_sheet_words.xlsx", background=False)
    dialog = window.feature(ImportFeature).dialog
    rows = {(dialog.values.words.item(r, 0).text(), dialog.values.words.item(r, 2).text()):
            dialog.values.words.item(r, 3).text() for r in range(dialog.values.words.rowCount())}
    assert rows[("risk", "High")] == "8" and rows[("effort", "XL")] == "20"
    assert rows[("effort", "TBD")] == ""                          # found, unknown: blank until given a number
    dialog.values.set_word("risk", "High", "9")
    assert 9 in session.portfolio.numeric("risk") and 8 not in session.portfolio.numeric("risk")
    dialog.values.set_word("effort", "TBD", "3")
    assert session.report.cells_left_blank == 2                   # "?" and "XL-ish" are still unread
    dialog.set_field("Notes", None)                                # another remap keeps what the user set
    assert session.mapping.conversion("risk").words["High"] == 9


def test_the_coverage_panel_names_blank_criteria_and_offers_a_model_that_fits(window):
    session = import_flow.start(window, EXPORTS / "linear.csv", background=False)
    coverage = window.feature(ImportFeature).dialog.coverage
    keys = [coverage.template.itemData(i) for i in range(coverage.template.count())]
    assert keys[:2] == ["platform_default", "rice"] and "wsjf" in keys
    coverage.template.setCurrentIndex(keys.index("platform_default"))
    text = coverage.lines.text()
    assert "✗ reliability" in text and "no data" in text and "✓ effort" in text
    assert "score 0 for everyone" in coverage.warning.text()
    coverage.template.setCurrentIndex(keys.index("priority_effort"))
    assert session.template == "priority_effort" and "✓ priority" in coverage.lines.text().lower()


def test_accepting_starts_the_new_workshop_with_the_chosen_model(window):
    session = import_flow.start(window, EXPORTS / "linear.csv", background=False)
    coverage = window.feature(ImportFeature).dialog.coverage
    coverage.template.setCurrentIndex(coverage.template.findData("priority_effort"))
    session.accept()
    workshop = window.document.workshop
    assert len(workshop.portfolio) == 26 and workshop.mapping["tracker"] == "linear"
    model = workshop.current_scenario().model
    assert model.name == session.chosen_model().name and "priority" in model.names
    evaluation = window.document.evaluate_now() if hasattr(window.document, "evaluate_now") else None
    scores = (evaluation or window.document.evaluation).ranking.score
    assert len(set(scores.round(3).tolist())) > 3  # the words became numbers: the scores vary


def test_a_blank_model_is_named_on_opening_and_a_template_can_be_chosen(window):
    session = import_flow.start(window, EXPORTS / "linear.csv", background=False)
    coverage = window.feature(ImportFeature).dialog.coverage
    coverage.template.setCurrentIndex(coverage.template.findData("platform_default"))
    session.accept()
    assert "reliability, security, dx" in window.last_message and "Use a model template" in window.last_message
    before = window.document.workshop
    window.prompts.script("Priority and effort (fits best)")
    window.actions["use_template"].trigger()
    assert window.document.workshop.current_scenario().model.name == "Priority and effort"
    window.document.undo_stack.undo()
    assert window.document.workshop is before


def test_remapping_a_field_proposes_afresh_for_the_new_column(window):
    session = import_flow.start(window, EXPORTS / "jira_all_fields.csv", background=False)
    dialog = window.feature(ImportFeature).dialog
    dialog.values.factor.setValue(1.0)                          # the user's own factor for story points
    dialog.set_field("Custom field (Story Points)", None)
    dialog.set_field("Original Estimate", "effort")             # Jira writes it in seconds
    assert session.mapping.conversion("effort").unit == "seconds"
    seconds = pd.to_numeric(session.raw.frame["Original Estimate"], errors="coerce").to_numpy()
    row = int(np.flatnonzero(np.isfinite(seconds))[0])
    assert session.portfolio.numeric("effort")[row] == pytest.approx(seconds[row] / 144_000)


def test_a_number_a_map_cannot_hold_is_refused_with_a_message(window):
    session = import_flow.start(window, EXPORTS / "pm_sheet_words.xlsx", background=False)
    dialog = window.feature(ImportFeature).dialog
    dialog.values.set_word("risk", "High", "1e999")
    assert "High" not in session.mapping.conversion("risk").words  # read as blank, nothing raised
