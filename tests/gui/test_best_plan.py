"""The best plan from the window: found in the background, shown beside the walk in the room with
its words, cancelled, infeasible in words, and adopted as a new scenario (one undoable step)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton

from cutline.app.features import best_plan as best_plan_flow
from cutline.app.features import comparison_room
from cutline.app.features import plan_constraints as plan_constraints_flow
from cutline.models.optimise import Bundle, Floor, PlanConstraints
from cutline.views.best_plan_options import BestPlanOptions
from tests.gui.closing import close_discarding

WAIT = 60_000


def _found(window, qtbot):
    feature = window.feature(best_plan_flow.BestPlanFeature)
    qtbot.waitUntil(lambda: feature.found is not None and feature.run is None, timeout=WAIT)
    return feature.found


def _options(seconds: float, respect_tiers: bool):
    """Fill the options dialog as a person would, then press OK."""
    def fill(dialog: BestPlanOptions) -> int:
        dialog.seconds.setValue(seconds)
        dialog.tiers.setChecked(respect_tiers)
        return dialog.DialogCode.Accepted
    return fill


def _room(window):
    return window.feature(comparison_room.RoomMode).room


@pytest.mark.slow
def test_the_action_finds_the_best_plan_and_the_room_shows_it_beside_the_walk(window, qtbot):
    window.prompts.script_dialog(_options(5.0, True))     # the options: 5 s, tiers respected
    window.actions["best_plan"].trigger()
    run = window.feature(best_plan_flow.BestPlanFeature).run
    assert run is not None and run.dialog.isVisible()   # the GUI thread is free while it runs
    found = _found(window, qtbot)
    plan = found.plan
    assert plan.status == "optimal" and not run.dialog.isVisible()
    assert window.settings.get("best_plan/time_limit") == 5.0   # remembered for next time
    assert comparison_room.is_in_room(window)
    room = _room(window)
    groups = room.model.groups
    assert [g.name for g in groups] == [window.document.workshop.current, best_plan_flow.COLUMN_NAME]
    assert groups[-1].is_extra
    funded = room.model.texts(groups[-1].first + 1)
    assert funded.count("✔") == int(plan.funded.sum())
    text = room.best_plan.text()
    assert "optimal (proven)" in text
    c = plan.comparison
    assert f"Total score {c.plan_score:.1f} against the walk's {c.walk_score:.1f}" in text
    assert f"person-weeks used {c.plan_person_weeks:g}" in text
    assert c.swaps and all(swap in text for swap in c.swaps)
    assert all(ident in text for ident in c.adds + c.drops)
    assert room.best_plan.adopt.isEnabled()


def test_the_options_dialog_hands_back_what_was_set(qtbot):
    dialog = BestPlanOptions(10.0, True, "Default")
    qtbot.addWidget(dialog)
    dialog.seconds.setValue(42)
    dialog.tiers.setChecked(False)
    assert (dialog.time_limit(), dialog.respect_tiers()) == (42.0, False)


def test_cancelling_the_options_dialog_runs_nothing(window):
    window.prompts.script_dialog(lambda dialog: dialog.DialogCode.Rejected)
    assert best_plan_flow.find_best_plan(window) is None          # cancelled: nothing runs
    assert isinstance(window.prompts.dialogs[-1], BestPlanOptions)
    assert getattr(window, "best_plan_run", None) is None


@pytest.mark.slow
def test_cancel_stops_the_search_and_keeps_the_best_found_so_far(window, qtbot):
    run = best_plan_flow.start(window, time_limit=120)
    run.dialog.findChild(QPushButton).click()            # the progress dialog's Cancel button
    assert run.cancel_event.is_set() and "Cancelling" in run.dialog.labelText()
    found = _found(window, qtbot)
    assert found.plan.status == "cancelled" and found.plan.seconds < 30
    text = _room(window).best_plan.text()
    assert text.startswith("Cancelled after") and "best plan found so far" in text
    assert _room(window).model.groups[-1].name == best_plan_flow.COLUMN_NAME


@pytest.mark.slow
def test_progress_reaches_the_dialog_in_words(window, qtbot):
    run = best_plan_flow.start(window, time_limit=5)
    seen = []
    run.reports.reported.connect(lambda p: seen.append(run.dialog.labelText()))
    _found(window, qtbot)
    assert seen and all(" of 5 s" in words for words in seen)


@pytest.mark.slow
def test_infeasible_constraints_show_the_problems_and_no_column(window, qtbot):
    doc = window.document
    big = 100_000.0                                      # far more than every team can give
    category = doc.workshop.portfolio.text("category").tolist()[0]
    plan_constraints_flow.apply_constraints(window, PlanConstraints(floors=(Floor(category, big),)))
    best_plan_flow.start(window, time_limit=5)
    found = _found(window, qtbot)
    assert found.plan.status == "infeasible" and found.plan.problems
    room = _room(window)
    text = room.best_plan.text()
    assert "cannot all hold" in text and "walk's plan stands" in text
    assert all(problem in text for problem in found.plan.problems)
    assert not any(g.is_extra for g in room.model.groups)
    assert room.best_plan.adopt.isHidden()


@pytest.mark.slow
def test_adopting_adds_a_scenario_that_reproduces_the_plan_and_undo_removes_it(window, qtbot):
    doc = window.document
    base = doc.workshop.current
    best_plan_flow.start(window, time_limit=5)
    found = _found(window, qtbot)
    window.prompts.script("Best plan")
    _room(window).best_plan.adopt.click()
    assert doc.workshop.current == "Best plan"
    adopted = doc.workshop.current_scenario()
    assert adopted.placements or adopted.overrides.pinned()
    assert doc.workshop.scenario(base) is found.scenario             # the ranked plan is untouched
    words = window.last_message
    assert "Scenario Best plan added and made current" in words
    walk, plan = doc.evaluation.allocation, found.plan
    assert (walk.funded == plan.funded).all()                          # the plan, in its quarters
    assert (walk.quarter[plan.funded] == plan.quarter[plan.funded]).all()
    score = float(doc.evaluation.ranking.score[walk.funded].sum())
    assert score == pytest.approx(plan.objective)
    assert f"It reproduces the best plan: its walk funds exactly the best plan's initiatives, in the best " \
           f"plan's quarters, for a total score of {plan.objective:.1f}." in words
    assert words in _room(window).best_plan.text()
    assert doc.undo_stack.undoText().startswith("New scenario Best plan from the best plan of")
    assert [g.name for g in _room(window).model.groups][:2] == [base, "Best plan"]
    doc.undo_stack.undo()
    assert "Best plan" not in doc.workshop.scenario_names and doc.workshop.current == base
    window.prompts.script(None)                              # asked again, cancelled: nothing added
    assert best_plan_flow.adopt(window) is None
    assert "Best plan" not in doc.workshop.scenario_names


@pytest.mark.slow
def test_a_changed_scenario_makes_the_plan_stale_and_undo_fresh_again(window, qtbot):
    from cutline.app.document import intents

    best_plan_flow.start(window, time_limit=5)
    _found(window, qtbot)
    band = _room(window).best_plan
    doc = window.document
    criterion = doc.workshop.current_scenario().model.criteria[0].name
    intents.set_weight(doc, criterion, 9.5)
    assert not band.adopt.isEnabled() and "has changed since" in band.text()
    doc.undo_stack.undo()
    assert band.adopt.isEnabled() and "has changed since" not in band.text()


@pytest.mark.slow
@pytest.mark.parametrize("size", [QSize(1366, 768), QSize(1600, 1000)])
def test_the_best_plan_view_keeps_ids_titles_and_swaps_readable(window, qtbot, size):
    window.setFixedSize(size)
    window.show_view("best-plan")
    qtbot.wait(20)
    room = _room(window)
    band = room.best_plan
    assert band.isVisible() and band.body.wordWrap()
    inner = band.scroll.widget()
    assert inner.width() <= band.scroll.viewport().width()          # wrapped, never cut sideways
    assert band.scroll.verticalScrollBar().maximum() == 0            # every swap on screen
    from tests.gui.test_comparison_room import _assert_readable

    _assert_readable(room)
    widest = max(room.names.fontMetrics().horizontalAdvance(t) for t in room.model.titles)
    assert room.names.columnWidth(1) >= widest                        # titles whole beside one scenario


@pytest.mark.slow
def test_bundle_constraint_is_kept_by_the_plan(window, qtbot):
    doc = window.document
    ids = doc.workshop.portfolio.ids.tolist()
    walk = doc.evaluation.allocation.funded
    outside = [ids[r] for r in range(len(ids)) if not walk[r]][:1]
    inside = [ids[r] for r in range(len(ids)) if walk[r]][:1]
    plan_constraints_flow.apply_constraints(window, PlanConstraints(bundles=(Bundle("Pair", (*inside, *outside)),)))
    best_plan_flow.start(window, time_limit=5)
    found = _found(window, qtbot)
    rows = [ids.index(i) for i in (*inside, *outside)]
    assert found.plan.funded[rows[0]] == found.plan.funded[rows[1]]


@pytest.mark.slow
def test_hide_puts_the_column_and_the_band_away(window, qtbot):
    best_plan_flow.start(window, time_limit=5)
    _found(window, qtbot)
    room = _room(window)
    room.best_plan.hide_button.click()
    assert window.feature(best_plan_flow.BestPlanFeature).found is None and room.best_plan.isHidden()
    assert not any(g.is_extra for g in room.model.groups)


@pytest.mark.slow
def test_a_plan_found_for_initiatives_no_longer_there_is_not_shown(window, qtbot):
    run = best_plan_flow.start(window, time_limit=5)
    window.prompts.script(*[None] * 5)
    window.actions["open_sample"].trigger()             # another workshop while it searches
    qtbot.waitUntil(lambda: run.finished, timeout=WAIT)
    assert window.feature(best_plan_flow.BestPlanFeature).found is None
    assert "changed while the best plan was being found" in window.last_message
    window.prompts.answers.clear()


@pytest.mark.slow
def test_closing_the_window_stops_the_search(window, qtbot):
    run = best_plan_flow.start(window, time_limit=300)
    close_discarding(window)
    assert run.cancel_event.is_set()
    qtbot.waitUntil(lambda: run.finished, timeout=WAIT)
