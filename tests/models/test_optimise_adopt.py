"""Adopting the best plan as a scenario reproduces it: the new scenario's walk funds exactly the
plan's set, in the plan's quarters, and scores its objective; placements that no longer hold
are walked like any other initiative; placements are kept in the workshop file."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cutline.app.lifecycle.loading import load_path, sample_path
from cutline.models.capacity.allocate import allocate
from cutline.models.capacity.placements import Placement, Placements
from cutline.models.capacity.planning import Planning
from cutline.models.optimise import adopt_as_scenario, optimise
from cutline.models.optimise.adopt import placements_of
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Scenario
from tests.models.optimise_checker import violations
from tests.models.test_optimise_brute import evaluation_of, small_cases


def assert_reproduces(plan, allocation, score) -> None:
    """The allocation funds the plan's set from and to the plan's quarters, with the same
    person-weeks per team and quarter, and its total score is the plan's objective."""
    funded = plan.funded
    assert (allocation.funded == funded).all()
    assert (allocation.quarter[funded] == plan.quarter[funded]).all()
    assert (allocation.finish[funded] == plan.finish[funded]).all()
    assert np.allclose(allocation.utilisation["used"], plan.allocation.utilisation["used"], atol=1e-6)
    assert float(np.nan_to_num(score)[allocation.funded].sum()) == pytest.approx(plan.objective, abs=1e-6)


@pytest.fixture(scope="module")
def sample():
    workshop = load_path(sample_path(), read_only=True).workshop
    evaluation = evaluate(workshop.portfolio, workshop.current_scenario())
    return workshop, evaluation, optimise(evaluation, time_limit=10)


def test_on_the_sample_the_adopted_scenario_funds_the_plan_in_its_quarters(sample):
    workshop, evaluation, plan = sample
    adopted = adopt_as_scenario(plan, evaluation, "Best")
    assert adopted.reproduces and adopted.scenario.name == "Best"
    after = evaluate(workshop.portfolio, adopted.scenario)
    assert_reproduces(plan, after.allocation, after.ranking.score)
    assert violations(after.portfolio, after.scenario, after.allocation) == []
    # The walk alone cannot place the sample's best set: the plan's own quarters are kept.
    assert len(adopted.scenario.placements) == int(plan.funded.sum())
    assert f"keeps the best plan's quarters for the {int(plan.funded.sum())} initiatives" in adopted.words


def test_the_placements_are_kept_in_the_workshop_file_and_older_scenarios_have_none(sample, tmp_path):
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    workshop, evaluation, plan = sample
    base = workshop.current_scenario()
    assert "placements" not in base.to_dict() and Scenario.from_dict(base.to_dict()) == base
    assert Scenario.from_dict({k: v for k, v in base.to_dict().items() if k != "placements"}).placements == Placements()
    adopted = adopt_as_scenario(plan, evaluation, "Best").scenario
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, Workshop(workshop.portfolio, (base, adopted), adopted.name)).close()
    reopened = WorkshopFile.open(path)
    try:
        assert reopened.workshop.current_scenario() == adopted
        after = evaluate(reopened.workshop.portfolio, reopened.workshop.current_scenario())
    finally:
        reopened.close()
    assert_reproduces(plan, after.allocation, after.ranking.score)
    first = adopted.placements.items[0].ident
    assert first not in adopted.without_initiatives([first]).placements.by_id()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=small_cases(), span=st.integers(1, 2))
def test_on_small_random_portfolios_the_adopted_walk_is_the_plan(case, span):
    rows, capacity_rows, guardrails, pins, constraints, planning = case
    evaluation = evaluation_of(rows, capacity_rows, guardrails, pins, constraints, replace(planning, max_span_quarters=span))
    plan = optimise(evaluation, time_limit=5)
    assume(plan.feasible)  # an infeasible set of constraints has no plan to adopt
    adopted = adopt_as_scenario(plan, evaluation).scenario
    allocation = allocate(evaluation.portfolio, evaluation.ranking, adopted.capacity,
                          pins=adopted.overrides.pinned() or None, planning=adopted.planning,
                          placements=adopted.placements or None)
    assert_reproduces(plan, allocation, evaluation.ranking.score)
    # Pins alone often do on portfolios this small: the placements alone must reproduce it too.
    ids = evaluation.portfolio.ids.astype(str)
    out = {**dict(pins), **{ids[r]: False for r in np.flatnonzero(~plan.funded)}}
    allocation = allocate(evaluation.portfolio, evaluation.ranking, adopted.capacity, pins=out or None,
                          planning=adopted.planning, placements=placements_of(plan, evaluation.portfolio))
    assert_reproduces(plan, allocation, evaluation.ranking.score)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n, teams, span, hard", [(40, 3, 1, False), (120, 4, 2, True), (200, 5, 4, False)])
def test_on_random_portfolios_with_guardrails_spans_and_due_dates(seed, n, teams, span, hard):
    from benchmarks.common import portfolio_and_scenario
    from cutline.models.capacity.capacity import Capacity, Guardrail

    portfolio, scenario = portfolio_and_scenario(n, teams=teams, quarters=4, seed=seed)
    guardrails = (Guardrail("reliability", reserve=0.2), Guardrail("capability", cap=0.5))
    scenario = replace(scenario, capacity=Capacity(scenario.capacity.table, guardrails),
                       planning=Planning(span, 1.0, hard))
    evaluation = evaluate(portfolio, scenario)
    plan = optimise(evaluation, time_limit=1)
    adopted = adopt_as_scenario(plan, evaluation)
    assert adopted.reproduces
    after = evaluate(portfolio, adopted.scenario)
    assert_reproduces(plan, after.allocation, after.ranking.score)
    assert violations(after.portfolio, after.scenario, after.allocation) == []


def _walk_with(placements, rows=None, capacity=None, pins=()):
    """The allocation of a two-team portfolio (A, then B which needs A) with these placements."""
    rows = rows or [("A", "T", "debt", 4.0, "", "", 10.0, 1), ("B", "T", "debt", 4.0, "A", "", 9.0, 1),
                    ("C", "U", "dx", 6.0, "", "", 8.0, 1)]
    capacity = capacity or [("T", "2027-Q1", 8.0), ("T", "2027-Q2", 8.0), ("U", "2027-Q1", 4.0),
                            ("U", "2027-Q2", 4.0)]
    ev = evaluation_of(rows, capacity, pins=pins, planning=Planning(2, 1.0, False))
    return allocate(ev.portfolio, ev.ranking, ev.scenario.capacity, pins=dict(pins) or None,
                    planning=ev.scenario.planning, placements=Placements(tuple(placements)))


def test_a_placed_prerequisite_holds_its_dependents_back_to_its_quarter():
    a = _walk_with([Placement("A", (("2027-Q2", 4.0),))])
    assert a.funded.tolist() == [True, True, True]
    assert a.quarter.tolist() == [1, 1, 0] and a.finish.tolist() == [1, 1, 1]  # B walked: from Q2
    assert a.reason.tolist() == ["", "", ""]


@pytest.mark.parametrize("placement", [
    Placement("C", (("2027-Q1", 6.0),)),                        # more than its team has in Q1
    Placement("C", (("2027-Q1", 2.0), ("2027-Q2", 2.0))),       # not its effort (6)
    Placement("C", (("2027-Q3", 6.0),)),                        # a quarter the plan does not have
    Placement("C", (("2027-Q1", 4.0), ("2027-Q1", 2.0))),       # quarters not consecutive
    Placement("X", (("2027-Q1", 4.0),)),                        # no such initiative
])
def test_a_placement_that_does_not_hold_is_walked_like_any_other(placement):
    a = _walk_with([placement])
    assert a.funded[2] and (a.quarter[2], a.finish[2]) == (0, 1)           # as early as it fits
    assert (a.utilisation["used"] <= a.utilisation["capacity"] + 1e-9).all()


def test_a_dependent_placed_before_its_prerequisite_is_walked_and_a_pin_out_wins():
    a = _walk_with([Placement("B", (("2027-Q1", 4.0),)), Placement("A", (("2027-Q2", 4.0),))])
    assert (a.quarter[:2].tolist(), a.funded[:2].all()) == ([1, 1], True)   # B not before A
    a = _walk_with([Placement("A", (("2027-Q2", 4.0),))], pins=(("A", False),))
    assert not a.funded[0] and a.reason[0] == "pinned out" and a.reason[1] == "waits on A"


def test_the_compiled_and_the_python_walk_agree_around_placements(sample, monkeypatch):
    from cutline.models.capacity import walk as allocation_walk

    workshop, evaluation, plan = sample
    adopted = adopt_as_scenario(plan, evaluation, "Best").scenario
    compiled = evaluate(workshop.portfolio, adopted).allocation
    if not allocation_walk.compiled_walk_available():
        pytest.skip("the compiled walk is not built")
    monkeypatch.setenv("CUTLINE_PYTHON_WALK", "1")
    python = evaluate(workshop.portfolio, adopted).allocation
    for name in ("funded", "quarter", "finish", "span_pw", "pulled_in_by"):
        assert np.array_equal(getattr(compiled, name), getattr(python, name)), name
    assert compiled.reason.tolist() == python.reason.tolist()


def test_placements_that_do_not_fit_together_are_kept_in_rank_order():
    rows = [("X", "U", "dx", 4.0, "", "", 10.0, 1), ("Y", "U", "dx", 4.0, "", "", 5.0, 1)]
    capacity = [("U", "2027-Q1", 4.0), ("U", "2027-Q2", 4.0)]
    both = [Placement("Y", (("2027-Q1", 4.0),)), Placement("X", (("2027-Q1", 4.0),))]
    a = _walk_with(both, rows, capacity)
    assert a.funded.all() and a.quarter.tolist() == [0, 1]   # X keeps Q1, Y is walked to Q2
    assert (a.utilisation["used"] <= a.utilisation["capacity"] + 1e-9).all()


def test_no_weight_unfunds_a_placed_initiative_but_weights_still_move_the_rest(sample):
    """A placement that holds decides its initiative's funding, as a pin does: the smallest
    weight change finds none for it, and the sensitivity draws never flip it."""
    from cutline.models.scenarios.sensitivity import sensitivity, smallest_weight_change

    workshop, evaluation, plan = sample
    scenario = adopt_as_scenario(plan, evaluation, "Best").scenario
    ids = [str(i) for i in workshop.portfolio.ids]
    placed = [ids.index(i) for i in scenario.placements.by_id()]
    for row in placed[:6]:
        assert smallest_weight_change(workshop.portfolio, scenario, row) is None
    result = sensitivity(workshop.portfolio, scenario, draws=200, spread=0.5, seed=1)
    assert not result.flips[placed].any()
    # Without the placements the same initiatives are the walk's to fund, and some move.
    bare = replace(scenario, placements=Placements(()))
    assert any(smallest_weight_change(workshop.portfolio, bare, row) is not None for row in placed)
