"""The best plan's swaps in words: a swap that scores less says which tier gains (tiers first)."""

from types import SimpleNamespace

import numpy as np
from cutline.models.optimise.differences import _why_less


def problem(scores, tiers):
    return SimpleNamespace(score=np.array(scores, dtype=float), tier=np.array(tiers))


def test_a_swap_that_scores_less_names_the_tier_it_gains():
    # drops rows 0 (T1, 33.3) and 1 (T2, 28.8); funds 2 (T1, 36.7) and 3 (T2, 16.5): 62.1 -> 53.2
    p = problem([33.3, 28.8, 36.7, 16.5], [1, 2, 1, 2])
    assert _why_less(p, [0, 1], [2, 3]) == "; more tier-1 score: 36.7 against 33.3"


def test_a_swap_that_scores_more_needs_no_reason():
    p = problem([10, 30], [1, 1])
    assert _why_less(p, [0], [1]) == ""


def test_no_tier_reason_when_the_first_tier_that_differs_loses():
    p = problem([10, 30, 25], [1, 2, 1])  # drops T1 10 and T2 30 for T1 25: tier 1 gains
    assert _why_less(p, [0, 1], [2]) == "; more tier-1 score: 25 against 10"
    p = problem([30, 5], [1, 1])  # same tier, less score: not a tier's doing
    assert _why_less(p, [0], [1]) == ""


def test_when_no_pins_reproduce_the_plan_the_best_scoring_pins_are_kept():
    # On the sample the best plan needs its own quarters: no pins make the walk fund its set.
    from cutline.app.loading import load_path, sample_path
    from cutline.models.optimise import adopt_as_scenario, optimise
    from cutline.models.optimise.adopt import _tier_totals
    from cutline.models.scenarios.pipeline import evaluate

    workshop = load_path(sample_path(), read_only=True).workshop
    ev = evaluate(workshop.portfolio, workshop.current_scenario())
    plan = optimise(ev, time_limit=5)
    adopted = adopt_as_scenario(plan, ev, "Best")
    if adopted.reproduces:
        return  # a faster solver may find a plan the walk can place; nothing to choose then
    assert "scores best" in adopted.words and "own quarters" in adopted.words
    ids = ev.portfolio.ids.astype(str)
    every = {i: bool(f) for i, f in zip(ids.tolist(), np.asarray(plan.funded).tolist())}
    all_pinned = evaluate(workshop.portfolio, _pinned(ev.scenario, every))
    kept = evaluate(workshop.portfolio, adopted.scenario)
    assert _tier_totals(ev, kept.allocation.funded) >= _tier_totals(ev, all_pinned.allocation.funded)


def _pinned(scenario, pins):
    from dataclasses import replace

    return replace(scenario, overrides=replace(scenario.overrides, pins=tuple(pins.items())))
