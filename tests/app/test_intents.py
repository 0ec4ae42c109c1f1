"""Each intent changes exactly what it says, as one undo step in the PM's words (no window)."""

import numpy as np
import pytest

from cutline.app.document import intents


def _undo_texts(doc) -> list[str]:
    stack = doc.undo_stack
    return [stack.text(i) for i in range(stack.count())]


def _other_scenarios_unchanged(before, after) -> None:
    for scenario in before.scenarios:
        if scenario.name != before.current:
            assert after.scenario(scenario.name) is scenario


def test_a_weight_changes_that_weight_of_the_current_scenario_only(document):
    before = document.workshop
    model = before.current_scenario().model
    intents.set_weight(document, "dx", 5)
    after = document.workshop
    assert after.current_scenario().model.criterion("dx").weight == 5
    for criterion in model.criteria:
        if criterion.name != "dx":
            assert after.current_scenario().model.criterion(criterion.name) == criterion
    assert after.portfolio is before.portfolio and after.current == before.current
    _other_scenarios_unchanged(before, after)
    assert _undo_texts(document) == ["Weight of dx 2 → 5"]
    # The evaluation shown is of the new weight, not of the old one.
    assert document.evaluation.scenario.model.criterion("dx").weight == 5


def test_the_same_weight_again_is_no_step(document):
    before = document.workshop
    intents.set_weight(document, "dx", 2)
    assert document.workshop is before and document.undo_stack.count() == 0


def test_a_cell_changes_that_one_cell(document):
    before = document.workshop
    portfolio = before.portfolio
    assert (portfolio.ids[0], portfolio.value(0, "dx")) == ("PLT-101", 3.0)
    new = 1.0
    intents.set_cell(document, 0, "dx", "1")
    after = document.workshop.portfolio
    assert after.value(0, "dx") == new
    changed = [(r, c) for c in portfolio.columns for r in range(len(portfolio))
               if not _same(portfolio.value(r, c), after.value(r, c))]
    assert changed == [(0, "dx")]
    assert document.workshop.scenarios == before.scenarios
    assert _undo_texts(document) == ["dx of PLT-101 3.0 → 1.0"]
    k = document.evaluation.ranking.criteria.index("dx")
    assert document.evaluation.ranking.raw[0, k] == new


def _same(a, b) -> bool:
    return a == b or (a != a and b != b)  # NaN is the same blank


def test_a_pin_changes_that_scenarios_overrides_and_the_funding(document):
    before = document.workshop
    allocation = document.evaluation.allocation
    row = int(np.flatnonzero(~allocation.funded)[0])  # an initiative the plan does not fund
    ident = before.portfolio.ids[row]
    intents.set_pin(document, ident, True)
    after = document.workshop
    assert after.current_scenario().overrides.pinned() == {ident: True}
    assert after.portfolio is before.portfolio
    _other_scenarios_unchanged(before, after)
    assert _undo_texts(document) == [f"Pinned in {ident} in scenario {before.current}"]
    assert document.evaluation.allocation.funded[row]
    intents.set_pin(document, ident, None)
    assert document.workshop.current_scenario().overrides.pinned() == {}
    assert not document.evaluation.allocation.funded[row]


def test_switching_scenario_changes_only_which_one_is_current(document):
    before = document.workshop
    target = before.scenario_names[1]
    intents.switch_scenario(document, target)
    after = document.workshop
    assert after.current == target
    assert after.scenarios == before.scenarios and after.portfolio is before.portfolio
    assert document.evaluation.scenario is after.scenario(target)
    intents.switch_scenario(document, target)  # already there: no step
    assert _undo_texts(document) == [f"Switched to scenario {target}"]


def test_duplicate_rename_and_delete_a_scenario(document):
    before = document.workshop
    intents.duplicate_scenario(document, "Copy")
    assert document.workshop.scenario_names == before.scenario_names + ("Copy",)
    assert document.workshop.current == "Copy"
    copied = document.workshop.scenario("Copy")
    original = before.current_scenario()
    assert (copied.model, copied.capacity, copied.overrides) == (
        original.model, original.capacity, original.overrides)
    intents.rename_scenario(document, "Copy", "Lean")
    assert document.workshop.scenario_names == before.scenario_names + ("Lean",)
    assert document.workshop.current == "Lean"
    intents.delete_scenario(document, before.scenario_names[1])  # a scenario not shown
    first, deleted, third = before.scenario_names
    assert document.workshop.scenario_names == (first, third, "Lean")
    assert _undo_texts(document) == [
        f"New scenario Copy (from {before.current})",
        "Renamed scenario Copy → Lean",
        f"Deleted scenario {deleted}",
    ]


def test_tiers_off_changes_the_model_and_then_no_step_for_the_same(document):
    model = document.workshop.current_scenario().model
    intents.set_tiers_enabled(document, not model.tiers_enabled)
    after = document.workshop.current_scenario().model
    assert after.tiers_enabled is (not model.tiers_enabled)
    assert after.criteria == model.criteria
    intents.set_tiers_enabled(document, not model.tiers_enabled)
    assert document.undo_stack.count() == 1


def test_a_cell_that_does_not_fit_changes_nothing(document):
    from cutline.models.portfolio.cell_edits import CellValueError

    before = document.workshop
    with pytest.raises(CellValueError):
        intents.set_cell(document, 0, "dx", "lots")
    assert document.workshop is before and document.undo_stack.count() == 0
