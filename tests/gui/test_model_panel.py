"""The model panel and the "+ criterion" dialog: alone, and driving a real window through its intents."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from cutline.models.scoring.model import Criterion, default_model
from cutline.views.criterion_dialog import CriterionDialog
from cutline.views.criterion_row import COALESCE_MS
from cutline.views.model_panel import ModelPanel
from tests.gui.closing import close_discarding

COLUMNS = ("reach", "impact", "confidence", "effort", "risk", "reliability", "security", "dx")


@pytest.fixture
def panel(qtbot):
    widget = ModelPanel()
    qtbot.addWidget(widget)
    widget.show_model(default_model())
    return widget


def test_a_row_per_criterion_with_its_share_direction_and_scale(panel):
    assert tuple(panel.rows) == default_model().names
    dx = panel.rows["dx"]
    assert dx.spin.value() == 2 and dx.slider.value() == 4  # steps of 0.5
    assert dx.share_label.text() == "13%"  # 2 of 15
    assert dx.direction.currentData() == "benefit"
    assert dx.normalisation.currentData() == "scale" and not dx.bounds.isHidden()
    assert (dx.low.value(), dx.high.value()) == (0, 10)
    assert panel.rows["rice"].bounds.isHidden()  # min to max has no low and high
    assert panel.rows["effort"].direction.currentData() == "cost"
    assert panel.rows["unblocking"].source_label.text() == "derived: teams unblocked"


def test_tiers_show_their_condition_in_words(panel):
    assert panel.tiers_check.isChecked()
    tier = panel.tier_rows[0]
    assert tier.check.text() == "Tier 1: Reliability and security first"
    assert tier.condition.text() == ("When category is reliability or security, or reliability is 8 "
                                     "or more, or security is 8 or more.")
    assert panel.rest.text() == "Tier 2: everything else."


def test_a_burst_of_slider_moves_reaches_the_model_as_one_change(panel, qtbot):
    seen = []
    panel.weightChanged.connect(lambda name, weight: seen.append((name, weight)))
    row = panel.rows["dx"]
    for steps in (5, 6, 7, 8, 9):
        row.slider.setValue(steps)
    assert row.spin.value() == 4.5  # the number follows the slider at once
    qtbot.waitUntil(lambda: bool(seen), timeout=COALESCE_MS * 20)
    assert seen == [("dx", 4.5)]


@pytest.mark.slow
def test_the_spin_box_moves_the_slider_and_sends_at_once(panel):
    seen = []
    panel.weightChanged.connect(lambda name, weight: seen.append((name, weight)))
    panel.rows["risk"].spin.setValue(7.5)
    assert panel.rows["risk"].slider.value() == 15
    assert seen == [("risk", 7.5)]


def test_showing_a_model_emits_nothing_and_keeps_the_rows(panel):
    seen = []
    for signal in (panel.weightChanged, panel.criterionChanged, panel.tiersEnabledChanged,
                   panel.tierEnabledChanged):
        signal.connect(lambda *args: seen.append(args))
    rows = dict(panel.rows)
    model = default_model().with_weight("dx", 6).with_criterion("risk", direction="benefit")
    panel.show_model(model)
    assert seen == []
    assert panel.rows == rows  # same widgets: a slider being dragged is not rebuilt
    assert panel.rows["dx"].spin.value() == 6 and panel.rows["dx"].share_label.text() == "32%"
    assert panel.rows["risk"].direction.currentData() == "benefit"


def test_direction_normalisation_and_removal_are_asked_for(panel, qtbot):
    seen = []
    panel.criterionChanged.connect(lambda name, changes: seen.append((name, changes)))
    removed = []
    panel.removeRequested.connect(removed.append)
    row = panel.rows["rice"]
    row.direction.setCurrentIndex(row.direction.findData("cost"))
    row.direction.activated.emit(row.direction.currentIndex())
    row.normalisation.setCurrentIndex(row.normalisation.findData("scale"))
    row.normalisation.activated.emit(row.normalisation.currentIndex())
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    assert seen == [("rice", {"direction": "cost"}),
                    ("rice", {"normalisation": "scale", "low": 0.0, "high": 10.0})]
    assert removed == ["rice"]


@pytest.mark.slow
def test_new_criteria_rebuild_the_rows(panel):
    model = default_model().adding(Criterion("value", "formula", formula="reach / effort"))
    panel.show_model(model)
    assert tuple(panel.rows) == model.names
    assert panel.rows["value"].source_label.text() == "formula: reach / effort"


def test_read_only_disables_editing(panel):
    panel.show_model(default_model(), editable=False)
    assert not panel.rows["dx"].slider.isEnabled() and not panel.add_button.isEnabled()


# -- the dialog ---------------------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot):
    widget = CriterionDialog(COLUMNS, default_model().names)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_a_bad_formula_is_pointed_at_as_it_is_typed(dialog, qtbot):
    dialog.source.setCurrentIndex(dialog.source.findData("formula"))
    qtbot.keyClicks(dialog.name, "value per week")
    qtbot.keyClicks(dialog.formula, "reach * (impact + ) / effort")
    lines = dialog.problem.text().splitlines()
    assert "found ')'" in lines[0]
    assert lines[2].index("^") - 2 == "reach * (impact + ) / effort".index(")")
    assert not _ok(dialog).isEnabled()
    dialog.formula.clear()
    qtbot.keyClicks(dialog.formula, "reach * impact / effrt")
    assert "no column called 'effrt'" in dialog.problem.text()
    assert dialog.problem.text().splitlines()[2].index("^") - 2 == len("reach * impact / ")
    dialog.formula.setText("reach * impact / effort")
    assert dialog.problem.text() == "" and _ok(dialog).isEnabled()


def test_names_must_be_new(dialog, qtbot):
    qtbot.keyClicks(dialog.name, "DX")
    assert not _ok(dialog).isEnabled()
    assert "already exists" in _ok(dialog).toolTip()


def test_the_dialog_gives_the_criterion_entered(dialog, qtbot):
    qtbot.keyClicks(dialog.name, "value")
    dialog.source.setCurrentIndex(dialog.source.findData("formula"))
    dialog.formula.setText("max(reach, 1) * impact / effort")
    dialog.normalisation.setCurrentIndex(dialog.normalisation.findData("rank"))
    dialog.weight.setValue(2.5)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == CriterionDialog.DialogCode.Accepted
    assert dialog.criterion() == Criterion("value", "formula", "benefit", "rank", 2.5,
                                           formula="max(reach, 1) * impact / effort")


# -- in the window: one offscreen window on the sample for this module; each test undoes its steps --
@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    from tests.gui.windows import scripted_window

    win = scripted_window(tmp_path_factory.mktemp("shot"))
    win.show()
    yield win
    close_discarding(win)
    win.deleteLater()


@pytest.fixture
def window(shared_window):
    yield shared_window
    shared_window.document.undo_stack.setIndex(0)


def _ranks(win):
    return win.document.evaluation.ranking.rank.copy()


def _table_order(win):
    model = win.table_model
    return [model.portfolio_row(r) for r in range(model.rowCount())]


@pytest.mark.slow
def test_moving_a_weight_re_ranks_and_one_undo_restores_the_ranking(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    panel = window.feature(ScoringFeature).panel
    stack = window.document.undo_stack
    before, order_before, steps = _ranks(window), _table_order(window), stack.count()
    row = panel.rows["unblocking"]
    for value in range(7, 21):  # a drag from 3 to 10
        row.slider.setValue(value)
    qtbot.waitUntil(lambda: window.document.workshop.current_scenario().model.criterion("unblocking").weight == 10)
    assert not np.array_equal(_ranks(window), before)
    assert _table_order(window) != order_before  # the table shows the new order
    assert stack.count() == steps + 1
    stack.undo()
    assert np.array_equal(_ranks(window), before)
    assert _table_order(window) == order_before
    assert row.spin.value() == 3 and row.slider.value() == 6  # the panel followed the undo
    assert stack.count() == steps + 1 and stack.index() == steps


@pytest.mark.slow
def test_editing_a_cell_changes_the_score(window):
    model = window.table_model
    ev = window.document.evaluation
    row = int(ev.ranking.order[-1])  # the last initiative: a better dx rating moves it up
    position = model.view_row(row)
    dx = model.index(position, model.column_of("dx"))
    old = float(ev.ranking.score[row])
    model.setData(dx, "10")
    after = window.document.evaluation
    assert after.portfolio.numeric("dx")[row] == 10
    assert after.ranking.score[row] > old


@pytest.mark.slow
def test_adding_a_formula_criterion_through_the_dialog(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    feature = window.feature(ScoringFeature)
    qtbot.mouseClick(feature.panel.add_button, Qt.MouseButton.LeftButton)
    dialog = feature.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.name, "value per week")
    dialog.source.setCurrentIndex(dialog.source.findData("formula"))
    qtbot.keyClicks(dialog.formula, "reach * impact / effort")
    dialog.weight.setValue(4)
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    model = window.document.workshop.current_scenario().model
    assert model.names[-1] == "value per week"
    assert model.criterion("value per week").formula == "reach * impact / effort"
    assert "value per week" in feature.panel.rows
    assert window.document.evaluation.ranking.criteria[-1] == "value per week"
    window.document.undo_stack.undo()
    assert "value per week" not in feature.panel.rows


@pytest.mark.slow
def test_tiers_off_ranks_by_score_alone_and_one_undo_restores(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    panel = window.feature(ScoringFeature).panel
    before = _ranks(window)
    box = panel.tiers_check
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on its box
    ev = window.document.evaluation
    assert not window.document.workshop.current_scenario().model.tiers_enabled
    assert set(ev.ranking.tier.tolist()) == {1}
    assert np.array_equal(ev.ranking.order, np.argsort(-ev.ranking.score, kind="stable"))
    assert not panel.tier_rows[0].check.isEnabled()
    assert panel.rest.text() == "Tiers are off: initiatives rank by score alone."
    window.document.undo_stack.undo()
    assert np.array_equal(_ranks(window), before) and panel.tiers_check.isChecked()
    tier = panel.tier_rows[0].check
    qtbot.mouseClick(tier, Qt.MouseButton.LeftButton, pos=QPoint(8, tier.height() // 2))
    assert not window.document.workshop.current_scenario().model.tiers[0].enabled
    assert set(window.document.evaluation.ranking.tier.tolist()) == {1}
    window.document.undo_stack.undo()
    assert np.array_equal(_ranks(window), before) and panel.tier_rows[0].check.isChecked()


@pytest.mark.slow
def test_renaming_a_criterion_and_refusing_a_taken_name(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    panel = window.feature(ScoringFeature).panel
    window.prompts.script("teams unblocked")
    qtbot.mouseDClick(panel.rows["unblocking"].name_label, Qt.MouseButton.LeftButton)
    model = window.document.workshop.current_scenario().model
    assert "teams unblocked" in model.names and "unblocking" not in model.names
    assert "teams unblocked" in panel.rows
    steps = window.document.undo_stack.count()
    window.prompts.script("dx")
    qtbot.mouseDClick(panel.rows["rice"].name_label, Qt.MouseButton.LeftButton)
    assert window.document.undo_stack.count() == steps  # refused, nothing changed
    assert "Two criteria are called 'dx'" in window.last_message
    window.prompts.answers.clear()


def _drag(row, values) -> None:
    row.slider.setSliderDown(True)  # pressed: what a mouse drag does
    for value in values:
        row.slider.setValue(value)
    row.slider.setSliderDown(False)  # let go: emits sliderReleased


@pytest.mark.slow
def test_two_drags_of_one_slider_are_two_undo_steps(window, qtbot):
    from cutline.app.features.scoring import ScoringFeature

    row = window.feature(ScoringFeature).panel.rows["dx"]
    stack = window.document.undo_stack
    steps = stack.index()  # earlier tests may have left undone steps, which a push drops
    weight = lambda: window.document.workshop.current_scenario().model.criterion("dx").weight  # noqa: E731
    _drag(row, range(5, 9))
    qtbot.waitUntil(lambda: weight() == 4)
    _drag(row, range(9, 13))
    qtbot.waitUntil(lambda: weight() == 6)
    assert stack.count() == stack.index() == steps + 2
    assert [stack.text(i) for i in (steps, steps + 1)] == ["Weight of dx 2 → 4", "Weight of dx 4 → 6"]
    assert [e.summary for e in window.document.journal()[-2:]] == ["Weight of dx 2 → 4", "Weight of dx 4 → 6"]
    stack.undo()
    assert weight() == 4
    stack.undo()
    assert weight() == 2


@pytest.mark.slow
def test_after_undo_and_redo_of_a_drag_the_next_change_gets_its_own_log_entry(window, qtbot):
    from cutline.app.document import intents
    from cutline.app.features.scoring import ScoringFeature

    row = window.feature(ScoringFeature).panel.rows["dx"]
    doc = window.document
    weight = lambda: doc.workshop.current_scenario().model.criterion("dx").weight  # noqa: E731
    _drag(row, [row.slider.value() + 2])
    qtbot.waitUntil(lambda: doc.undo_stack.canUndo())
    after_drag = weight()
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    entries = len(doc.journal())
    intents.set_weight(doc, "dx", after_drag + 1)
    assert len(doc.journal()) == entries + 1
    assert doc.journal()[-2].summary == doc.undo_stack.text(doc.undo_stack.index() - 2)
