"""Undo and redo swap in the very Workshop objects; one slider drag is one step (no window)."""

import numpy as np

from cutline.app.document import intents


def test_undo_and_redo_restore_the_exact_workshop_and_its_scores(document):
    before = document.workshop
    scores_before = document.evaluation.ranking.score.copy()
    intents.set_weight(document, "security", 6)
    after = document.workshop
    scores_after = document.evaluation.ranking.score.copy()
    assert not np.array_equal(scores_before, scores_after)

    document.undo_stack.undo()
    assert document.workshop is before
    np.testing.assert_array_equal(document.evaluation.ranking.score, scores_before)
    document.undo_stack.redo()
    assert document.workshop is after
    np.testing.assert_array_equal(document.evaluation.ranking.score, scores_after)


def test_a_chain_of_changes_undoes_back_to_the_start(document):
    states = [document.workshop]
    intents.set_weight(document, "dx", 4)
    states.append(document.workshop)
    intents.switch_scenario(document, document.workshop.scenario_names[1])
    states.append(document.workshop)
    intents.set_pin(document, document.workshop.portfolio.ids[3], False)
    states.append(document.workshop)
    assert document.undo_stack.count() == 3
    for expected in reversed(states[:-1]):
        document.undo_stack.undo()
        assert document.workshop is expected
    assert not document.undo_stack.canUndo()
    for expected in states[1:]:
        document.undo_stack.redo()
        assert document.workshop is expected


def test_moves_of_one_slider_merge_into_one_step_until_the_gesture_ends(document):
    before = document.workshop
    for weight in (2.5, 3, 3.5, 4):
        intents.set_weight(document, "dx", weight)
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Weight of dx 2 → 4"
    document.end_gesture()
    intents.set_weight(document, "dx", 5)  # a new drag: a step of its own
    assert document.undo_stack.count() == 2
    assert document.undo_stack.undoText() == "Weight of dx 4 → 5"
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.workshop is before


def test_moves_of_two_sliders_are_two_steps(document):
    intents.set_weight(document, "dx", 3)
    intents.set_weight(document, "risk", 2)
    intents.set_weight(document, "risk", 3)
    texts = [document.undo_stack.text(i) for i in range(document.undo_stack.count())]
    assert texts == ["Weight of dx 2 → 3", "Weight of risk 1 → 3"]


def test_a_merged_drag_is_one_entry_in_the_decision_log(filed_document):
    doc = filed_document
    logged = len(doc.journal())
    for weight in (3, 4, 5):
        intents.set_weight(doc, "dx", weight)
    doc.end_gesture()
    entries = doc.journal()[logged:]
    assert [(e.kind, e.summary, e.scenario) for e in entries] == [
        ("weight", "Weight of dx 2 → 5", doc.workshop.current)]
    doc.undo_stack.undo()
    undone = doc.journal()[logged + 1:]
    assert [e.summary for e in undone] == ["Undid: Weight of dx 2 → 5"]
    assert doc.workshop.current_scenario().model.criterion("dx").weight == 2


def test_the_file_keeps_the_state_undo_returned_to(filed_document, sample_file):
    from cutline.models.workshop.file import WorkshopFile

    doc = filed_document
    before = doc.workshop
    intents.set_weight(doc, "reliability", 7)
    doc.undo_stack.undo()
    reopened = WorkshopFile.open(sample_file.path, read_only=True)
    try:
        assert reopened.workshop.equals(before)
    finally:
        reopened.close()


def test_after_undo_and_redo_of_a_drag_the_next_move_is_a_step_and_an_entry_of_its_own(
        filed_document):
    doc = filed_document
    for weight in (3, 4):
        intents.set_weight(doc, "dx", weight)
    doc.end_gesture()
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    logged = len(doc.journal())
    intents.set_weight(doc, "dx", 6)  # the same slider again, a new drag
    assert doc.undo_stack.count() == 2 and doc.undo_stack.undoText() == "Weight of dx 4 → 6"
    assert [e.summary for e in doc.journal()[logged:]] == ["Weight of dx 4 → 6"]
    assert doc.journal()[logged - 1].summary == "Weight of dx 2 → 4"  # the redo, unchanged
