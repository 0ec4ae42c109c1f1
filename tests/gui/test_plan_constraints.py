"""Scenario > Plan constraints…: bundles, alternatives and floors edited, checked in words, saved
as one undoable step, and still there after the workshop file is saved and opened again."""

from __future__ import annotations

import pytest

from cutline.app.features import plan_constraints as plan_constraints_flow
from cutline.app.lifecycle import saving
from cutline.app.window import handlers as file_actions
from cutline.models.optimise import Alternatives, Bundle, Floor, PlanConstraints
from cutline.views.plan_constraints_dialog import PlanConstraintsDialog, split_ids

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def _open_editor(window) -> PlanConstraintsDialog:
    window.actions["plan_constraints"].trigger()
    shown = [d for d in window.findChildren(PlanConstraintsDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_ids_are_typed_or_taken_from_the_selection_and_unknown_ones_are_named(window, qtbot):
    ids = window.document.workshop.portfolio.ids.tolist()
    window.select_row(3)
    dialog = _open_editor(window)
    editor = dialog.bundles
    editor.name.setText("Observability")
    editor.ids.setText(f"{ids[0].lower()}, PLT-999  NOPE")
    editor.add.click()
    assert dialog.message.isVisible()
    assert dialog.message.text() == "PLT-999, NOPE are not initiatives of this workshop: use ids from the ID column."
    assert editor.items == []
    editor.ids.setText(ids[0].lower())                    # typed in lower case: the workshop's spelling is kept
    editor.take.click()                                   # + the initiative selected in the table
    assert split_ids(editor.ids.text()) == [ids[0].lower(), ids[3]]
    editor.add.click()
    assert not dialog.message.isVisible()
    assert editor.items == [Bundle("Observability", (ids[0], ids[3]))]
    assert editor.list.item(0).text() == f"Observability (all or none): {ids[0]}, {ids[3]}"
    editor.ids.setText(ids[5])
    editor.add.click()                                    # one initiative is not a bundle
    assert "at least two initiatives" in dialog.message.text()


def test_a_floor_needs_a_known_category(window, qtbot):
    dialog = _open_editor(window)
    floors = dialog.floors
    assert not floors.add_floor("astrology", 10)
    assert dialog.message.text().startswith("No initiative has the category 'astrology'. Categories here:")
    category = dialog.categories[0]
    assert floors.add_floor(category.upper(), 12, dialog.quarters[1])
    assert floors.items == [Floor(category, 12.0, dialog.quarters[1])]


def test_saved_as_one_undoable_step_and_kept_through_save_and_reopen(window, qtbot, tmp_path):
    target = tmp_path / "Constraints.cutline"
    saving.save_to(window, target)
    doc = window.document
    ids = doc.workshop.portfolio.ids.tolist()
    funded_before = doc.evaluation.allocation.funded.copy()
    dialog = _open_editor(window)
    dialog.bundles.add_group("Mesh rollout", f"{ids[1]}, {ids[2]}")
    dialog.alternatives.name.setText("Queue")
    dialog.alternatives.ids.setText(f"{ids[4]} {ids[6]}")
    dialog.alternatives.add.click()
    category = dialog.categories[0]
    dialog.floors.category.setCurrentText(category)
    dialog.floors.person_weeks.setValue(8)
    dialog.floors.quarter.setCurrentText(dialog.quarters[0])
    dialog.floors.add.click()
    dialog.accept()
    wanted = PlanConstraints((Bundle("Mesh rollout", (ids[1], ids[2])),), (Alternatives("Queue", (ids[4], ids[6])),),
                             (Floor(category, 8.0, dialog.quarters[0]),))
    scenario = doc.workshop.current_scenario()
    assert scenario.constraints == wanted
    assert (doc.evaluation.allocation.funded == funded_before).all()     # the walk ignores them
    step = doc.undo_stack.undoText()
    assert step.startswith(f"Plan constraints of {scenario.name}: added bundle Mesh rollout (all or none)")
    assert f"added floor {category}: at least 8 pw in {dialog.quarters[0]}" in step
    assert any(e.summary == step and e.kind == "constraints" for e in doc.journal())
    doc.undo_stack.undo()
    assert not doc.workshop.current_scenario().constraints
    doc.undo_stack.redo()
    assert doc.workshop.current_scenario().constraints == wanted

    window.prompts.script(*[None] * 5)
    window.actions["open_sample"].trigger()              # another workshop: this one is closed
    assert window.document is not doc and not window.document.workshop.current_scenario().constraints
    file_actions.open_path(window, target)
    assert window.document.path == target and not window.document.read_only
    assert window.document.workshop.current_scenario().constraints == wanted
    window.prompts.answers.clear()
    reopened = _open_editor(window)
    assert [reopened.bundles.list.item(i).text() for i in range(reopened.bundles.list.count())] == [
        f"Mesh rollout (all or none): {ids[1]}, {ids[2]}"]
    assert reopened.alternatives.items == list(wanted.alternatives)
    reopened.floors.list.setCurrentRow(0)
    reopened.floors.remove.click()
    reopened.accept()
    assert window.document.workshop.current_scenario().constraints.floors == ()
    assert "removed floor" in window.document.undo_stack.undoText()


def test_cancel_and_unchanged_change_nothing(window, qtbot):
    doc = window.document
    depth = doc.undo_stack.count()
    dialog = _open_editor(window)
    dialog.reject()
    dialog = _open_editor(window)
    dialog.accept()
    assert doc.undo_stack.count() == depth and window.last_message == "Plan constraints unchanged."


def test_plan_constraints_change_words():
    before = PlanConstraints()
    after = PlanConstraints(alternatives=(Alternatives("Pick", ("A", "B")),))
    assert plan_constraints_flow.change_words(before, after) == "added alternatives Pick (at most one): A, B"
    assert plan_constraints_flow.change_words(after, before) == "removed alternatives Pick (at most one): A, B"
