"""The document on its own: a change is one step, evaluation stays current, a re-import that
drops pinned initiatives keeps every scenario evaluating (no window)."""

from dataclasses import replace

import numpy as np
import pytest

from cutline.app.document import intents
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator


def _without_rows(portfolio: Portfolio, rows: list[int]) -> Portfolio:
    """The portfolio a re-imported export would give without those initiatives."""
    keep = np.setdiff1d(np.arange(len(portfolio)), rows)
    frame = portfolio.frame.iloc[keep].reset_index(drop=True)
    return Portfolio.from_frame(frame, extra_columns=portfolio.extra_columns,
                                source_rows=portfolio.source_rows[keep], sheet=portfolio.sheet)


def _pin_in_two_scenarios(doc, ident: str) -> None:
    first, second = doc.workshop.scenario_names[:2]
    intents.set_pin(doc, ident, True)
    intents.switch_scenario(doc, second)
    intents.set_pin(doc, ident, False)
    scenario = doc.workshop.current_scenario()
    with_input = replace(scenario, overrides=scenario.overrides.with_input(ident, "effort", 1.0))
    doc.change(doc.workshop.with_scenario(with_input), f"Effort of {ident} → 1", kind="override")
    intents.switch_scenario(doc, first)


def test_a_stale_pin_is_what_breaks_evaluation(document):
    """The hazard replace_portfolio guards against: a pin naming an initiative not there."""
    ident = document.workshop.portfolio.ids[0]
    intents.set_pin(document, ident, True)
    smaller = _without_rows(document.workshop.portfolio, [0])
    with pytest.raises(ModelError):
        Evaluator(smaller).evaluate(document.workshop.current_scenario())


def test_a_reimport_without_a_pinned_initiative_keeps_evaluating_and_drops_the_pin(document):
    doc = document
    ident, title = doc.workshop.portfolio.ids[0], doc.workshop.portfolio.text("title")[0]
    kept_ident = doc.workshop.portfolio.ids[5]
    intents.set_pin(doc, kept_ident, True)  # a pin of an initiative still there stays
    _pin_in_two_scenarios(doc, ident)
    pinned = doc.workshop
    steps = doc.undo_stack.count()

    smaller = _without_rows(pinned.portfolio, [0])
    result = intents.replace_portfolio(doc, smaller, source="/exports/Q3 export.xlsx")

    after = doc.workshop
    assert after.portfolio is smaller and doc.undo_stack.count() == steps + 1
    assert result.gone == ((ident, title),) and result.added == 0
    first, second = after.scenario_names[:2]
    assert result.dropped == ((first, f"pin of {ident}"), (second, f"pin of {ident}"),
                              (second, f"effort override of {ident}"))
    assert after.scenario(first).overrides.pinned() == {kept_ident: True}
    assert after.scenario(second).overrides.pinned() == {}
    assert after.scenario(second).overrides.inputs == ()
    assert doc.undo_stack.undoText() == (
        "Imported 63 initiatives from Q3 export.xlsx (1 no longer there; dropped 3 of their pins "
        "and overrides)")
    # Every scenario evaluates over the new initiatives, the shown one included.
    assert len(doc.evaluation.ranking) == len(smaller) == 63
    assert doc.evaluation.portfolio is smaller
    for name in after.scenario_names:
        evaluation = doc.evaluate_scenario(name)
        assert len(evaluation.ranking) == 63
    assert doc.evaluation.allocation.funded[list(smaller.ids).index(kept_ident)]

    doc.undo_stack.undo()  # the old initiatives and their pins come back together
    assert doc.workshop is pinned
    assert len(doc.evaluation.ranking) == 64
    assert doc.evaluation.allocation.funded[0]


def test_a_reimport_that_keeps_every_initiative_drops_nothing(document):
    doc = document
    ident = doc.workshop.portfolio.ids[2]
    intents.set_pin(doc, ident, False)
    scenarios = doc.workshop.scenarios
    updated = doc.workshop.portfolio.with_values({(2, "dx"): 10.0})
    result = intents.replace_portfolio(doc, updated)
    assert (result.gone, result.added, result.dropped) == ((), 0, ())
    assert doc.workshop.scenarios == scenarios
    assert doc.undo_stack.undoText() == "Imported 64 initiatives from a spreadsheet"
    k = doc.evaluation.ranking.criteria.index("dx")
    assert doc.evaluation.ranking.raw[2, k] == 10.0


def test_a_change_to_the_same_workshop_pushes_no_step(document):
    document.change(document.workshop, "Nothing", kind="weight")
    assert document.undo_stack.count() == 0


def test_evaluate_scenario_reads_any_scenario_by_name(document):
    names = document.workshop.scenario_names
    weights = {n: document.evaluate_scenario(n).scenario.model.criterion("reliability").weight
               for n in names}
    assert weights == {"Default": 3, "Reliability push": 5, "Unblock first, lean quarter": 3}
    assert document.workshop.current == "Default"  # reading another scenario switches nothing


def test_a_large_portfolio_is_evaluated_in_the_background_to_the_same_result(document):
    at_once = document.evaluation
    document.background_rows = 1  # the sample's 64 initiatives count as large
    intents.set_weight(document, "dx", 4)
    intents.set_weight(document, "dx", 2)  # back to the start while the first job runs
    assert document.evaluation is at_once  # nothing was evaluated on this thread
    document.wait_idle()
    assert document.evaluation is not at_once  # computed anew, by the worker
    np.testing.assert_array_equal(document.evaluation.ranking.score, at_once.ranking.score)
    assert document.evaluation.scenario.model.criterion("dx").weight == 2


def test_a_read_only_workshop_takes_no_change(qapp, sample_file):
    from cutline.app.document.workshop_document import WorkshopDocument
    from cutline.models.workshop.file import WorkshopFile

    read_only = WorkshopFile.open(sample_file.path, read_only=True)
    try:
        doc = WorkshopDocument(read_only.workshop, read_only)
        before = doc.workshop
        intents.set_weight(doc, "dx", 5)
        intents.duplicate_scenario(doc, "Copy")
        assert doc.read_only and doc.workshop is before and doc.undo_stack.count() == 0
    finally:
        read_only.close()
