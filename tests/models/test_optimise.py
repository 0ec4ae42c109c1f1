"""The best plan on the sample, a tracker export and hand-made cases: valid, at least the walk,
honest about time and gap, infeasibility in words, constraints stored with the scenario."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest

from cutline.app.lifecycle.loading import load_path, sample_path
from cutline.models.capacity.planning import Planning
from cutline.models.optimise import (
    Alternatives,
    Bundle,
    Floor,
    PlanConstraints,
    adopt_as_scenario,
    optimise,
)
from cutline.models.optimise.plans import better_or_equal
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Overrides, Scenario
from tests.models.optimise_checker import violations
from tests.models.test_optimise_brute import evaluation_of


@pytest.fixture(scope="module")
def sample():
    workshop = load_path(sample_path(), read_only=True).workshop
    return workshop.portfolio, workshop.current_scenario()


def tiers(evaluation, funded):
    r = evaluation.ranking
    return tuple(float(r.score[funded & (r.tier == t)].sum()) for t in sorted(set(r.tier.tolist())))


@pytest.mark.slow
def test_the_sample_is_solved_to_optimality_valid_and_at_least_the_walk(sample):
    evaluation = evaluate(*sample)
    plan = optimise(evaluation, time_limit=20)
    assert plan.status == "optimal" and plan.gap == 0.0
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []
    assert better_or_equal(tiers(evaluation, plan.funded), tiers(evaluation, evaluation.allocation.funded))
    assert plan.objective == pytest.approx(float(evaluation.ranking.score[plan.funded].sum()))
    c = plan.comparison
    walk = evaluation.allocation.funded
    ids = evaluation.portfolio.ids
    assert set(c.adds) == set(ids[plan.funded & ~walk]) and set(c.drops) == set(ids[walk & ~plan.funded])
    assert all(" to fund " in s or "also funds" in s or "drops" in s for s in c.swaps)
    assert plan.seconds < 20


@pytest.mark.slow
def test_ignoring_tiers_gives_at_least_the_total_of_the_tiered_plan(sample):
    evaluation = evaluate(*sample)
    tiered = optimise(evaluation, time_limit=20)
    total = optimise(evaluation, time_limit=20, respect_tiers=False)
    assert total.status == "optimal" and total.tier_objectives == ()
    assert total.objective >= tiered.objective - 1e-6
    assert total.objective >= total.walk_objective - 1e-6
    assert violations(evaluation.portfolio, evaluation.scenario, total.allocation) == []


def test_a_tracker_export_with_capacity(tmp_path):
    from cutline.models.capacity.capacity import Capacity, Guardrail

    loaded = load_path(__import__("pathlib").Path("tests/fixtures/exports/jira_all_fields.csv"), read_only=True)
    portfolio = loaded.workshop.portfolio
    teams = sorted(set(portfolio.text("team").tolist()))
    rows = [(t, q, 6.0) for t in teams for q in ("2027-Q1", "2027-Q2")]
    scenario = replace(loaded.workshop.current_scenario(),
                       capacity=Capacity.from_rows(rows, (Guardrail("tech-debt", reserve=0.2),)))
    evaluation = evaluate(portfolio, scenario)
    plan = optimise(evaluation, time_limit=20)
    assert plan.status == "optimal"
    assert violations(portfolio, scenario, plan.allocation) == []
    assert plan.objective >= plan.walk_objective - 1e-6 or plan.tier_objectives >= plan.walk_tier_objectives


ROWS = [  # id, team, category, effort, depends_on, due, score, tier
    ("A", "Platform", "dx", 6.0, "", "", 10.0, 1),
    ("B", "Platform", "dx", 5.0, "", "", 9.0, 1),
    ("C", "Platform", "dx", 5.0, "", "", 9.0, 1),
    ("D", "Data", "debt", 4.0, "A", "", 5.0, 1),
    ("E", "Data", "debt", np.nan, "", "", 5.0, 1),
]
CAPACITY = [("Platform", "2027-Q1", 10.0), ("Data", "2027-Q1", 4.0), ("Data", "2027-Q2", 4.0)]


def test_it_swaps_one_large_initiative_for_two_smaller_ones_and_says_so():
    evaluation = evaluation_of(ROWS, CAPACITY)
    assert evaluation.allocation.funded.tolist() == [True, False, False, True, False]
    plan = optimise(evaluation, time_limit=10)
    assert plan.funded.tolist() == [False, True, True, False, False]
    assert plan.objective == 18 and plan.walk_objective == 15
    assert plan.comparison.swaps == (
        "team Platform: drops A (6 pw, score 10) to fund B and C (10 pw, score 18)",
        "team Data: drops D (4 pw, score 5), which makes room elsewhere (a prerequisite, a shared pool or a "
        "higher tier)")


def test_a_prerequisite_is_funded_and_finishes_first():
    rows = [("P", "Platform", "dx", 10.0, "", "", 1.0, 1), ("D", "Platform", "dx", 10.0, "P", "", 30.0, 1),
            ("X", "Platform", "dx", 10.0, "", "", 20.0, 1)]
    capacity = [("Platform", q, 10.0) for q in ("2027-Q1", "2027-Q2")]
    evaluation = evaluation_of(rows, capacity, planning=Planning(4, 1.0, False))
    plan = optimise(evaluation, time_limit=10)
    assert plan.funded.tolist() == [True, True, False]  # 31 beats X alone (20)
    assert plan.finish[0] <= plan.quarter[1]
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []


def test_bundles_alternatives_and_floors_hold():
    constraints = PlanConstraints((Bundle("pair", ("A", "D")),), (Alternatives("one", ("B", "C")),),
                                  (Floor("debt", 4.0),))
    evaluation = evaluation_of(ROWS, CAPACITY, constraints=constraints)
    plan = optimise(evaluation, time_limit=10)
    assert plan.status == "optimal"
    assert plan.funded.tolist() == [True, False, False, True, False]
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []


@pytest.mark.parametrize(("pins", "constraints", "words"), [
    ((("E", True),), PlanConstraints(), "Pinned-in E cannot be funded: it has no effort estimate."),
    ((("B", True), ("C", True)), PlanConstraints((), (Alternatives("pick one", ("B", "C")),)),
     "Alternatives 'pick one' allow only one of B and C, but B and C must all be funded"),
    ((("A", True),), PlanConstraints((Bundle("Observability", ("A", "E")),)),
     "Bundle 'Observability' (with pinned-in A) includes E, which has no effort estimate."),
    ((("A", True), ("B", True)), PlanConstraints(),
     "Pinned-in A and pinned-in B need 11 pw of team Platform (A and B), but only 10 pw is there in the whole plan."),
    ((), PlanConstraints((), (), (Floor("debt", 9.0),)),
     "The floor 'debt' (at least 9 pw) cannot be met: the 'debt' initiatives that could be funded come to 4 pw."),
])
def test_infeasible_constraints_are_named_in_words(pins, constraints, words):
    evaluation = evaluation_of(ROWS, CAPACITY, pins=pins, constraints=constraints)
    plan = optimise(evaluation, time_limit=10)
    assert plan.status == "infeasible"
    assert any(words in w for w in plan.problems), plan.problems
    assert plan.allocation is evaluation.allocation  # the walk's plan stands


def test_every_problem_is_named_at_once_not_only_the_first():
    """An unfundable pin, alternatives both forced and a floor out of reach: three sentences in
    one answer, so that the PM fixes them in one go."""
    constraints = PlanConstraints((), (Alternatives("pick one", ("B", "C")),), (Floor("debt", 9.0),))
    evaluation = evaluation_of(ROWS, CAPACITY, pins=(("E", True), ("B", True), ("C", True)),
                               constraints=constraints)
    plan = optimise(evaluation, time_limit=10)
    assert plan.status == "infeasible"
    assert plan.problems[0] == "Pinned-in E cannot be funded: it has no effort estimate."
    assert any(w.startswith("Alternatives 'pick one' allow only one of B and C") for w in plan.problems[1:])
    assert any(w.startswith("The floor 'debt' (at least 9 pw) cannot be met") for w in plan.problems[1:])
    assert not any("E needs" in w or "needs 0 pw" in w for w in plan.problems)  # E is said once


def test_when_no_sentence_fits_the_fewest_constraints_to_drop_are_named():
    rows = [("D", "Data", "dx", 4.0, "", "2027-Q1", 5.0, 1), ("F", "Data", "dx", 4.0, "", "2027-Q1", 4.0, 1)]
    evaluation = evaluation_of(rows, [("Data", "2027-Q1", 4.0), ("Data", "2027-Q2", 4.0)],
                               pins=(("D", True), ("F", True)), planning=Planning(1, 1.0, True))
    plan = optimise(evaluation, time_limit=10)
    assert plan.status == "infeasible"
    assert len(plan.problems) == 1
    assert plan.problems[0].startswith("The constraints cannot all hold within the capacity with due quarters "
                                       "hard; the fewest to drop for a plan to exist: the pin on ")


def test_a_pinned_in_initiative_larger_than_its_team_can_give():
    rows = [("A", "Platform", "dx", 26.0, "", "", 10.0, 1)]
    evaluation = evaluation_of(rows, [("Platform", "2027-Q1", 10.0), ("Platform", "2027-Q2", 10.0)],
                               pins=(("A", True),), planning=Planning(2, 1.0, False))
    plan = optimise(evaluation, time_limit=5)
    assert plan.problems == ("Pinned-in A needs 26 pw, but team Platform can give it at most 20 pw in any 2 "
                             "consecutive quarters, so it does not fit.",)


def _medium():
    from benchmarks.bench_optimise import scenario_for

    return evaluate(*scenario_for(600, 12))


@pytest.mark.slow
def test_a_time_limit_stops_it_and_the_gap_is_reported():
    evaluation = _medium()
    plan = optimise(evaluation, time_limit=0.5)
    assert plan.status in ("optimal", "time limit")
    assert plan.time_limit == 0.5
    assert plan.seconds < 5
    assert plan.gap >= 0 and (plan.gap == 0) == (plan.status == "optimal")
    assert better_or_equal(plan.tier_objectives, plan.walk_tier_objectives)
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []


@pytest.mark.slow
def test_cancel_returns_the_best_so_far_and_progress_is_reported():
    evaluation = _medium()
    event, seen = threading.Event(), []

    def progress(p):
        seen.append(p)
        event.set()

    plan = optimise(evaluation, time_limit=30, cancel=event, progress=progress)
    assert plan.status in ("cancelled", "optimal")
    assert plan.seconds < 20
    assert better_or_equal(plan.tier_objectives, plan.walk_tier_objectives)
    if plan.status == "cancelled":
        assert seen and seen[0].stage >= 1 and seen[0].seconds >= 0
    stopped = optimise(evaluation, time_limit=30, cancel=lambda: True)
    assert stopped.status in ("cancelled", "optimal") and stopped.seconds < 10


def test_a_cancel_stops_it_within_a_fraction_of_a_second():
    """A cancel is seen inside the linear relaxations and between the steps, not only in
    HiGHS's branch and bound."""
    import time

    evaluation = _medium()
    event = threading.Event()
    timer = threading.Timer(0.3, event.set)
    began = time.perf_counter()
    timer.start()
    plan = optimise(evaluation, time_limit=30, cancel=event)
    timer.cancel()
    assert plan.status in ("cancelled", "optimal")
    assert time.perf_counter() - began < 1.5
    assert better_or_equal(plan.tier_objectives, plan.walk_tier_objectives)
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []


def test_adopting_the_plan_as_a_scenario_reproduces_its_funded_set():
    evaluation = evaluation_of(ROWS, CAPACITY)
    plan = optimise(evaluation, time_limit=10)
    adopted = adopt_as_scenario(plan, evaluation, "Best")
    assert adopted.reproduces and adopted.scenario.name == "Best"
    pins = adopted.scenario.overrides.pinned()
    assert pins == {"B": True, "C": True, "A": False, "D": False}


def test_constraints_are_stored_with_the_scenario_and_older_scenarios_open_unchanged(tmp_path):
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    workshop = load_path(sample_path(), read_only=True).workshop
    base = workshop.current_scenario()
    assert "constraints" not in base.to_dict()
    assert Scenario.from_dict(base.to_dict()) == base
    constraints = PlanConstraints((Bundle("Observability", ("PLT-112", "PLT-117")),),
                                  (Alternatives("Mesh", ("PLT-143", "PLT-148")),), (Floor("tech-debt", 20.0, "2027-Q1"),))
    changed = replace(base, constraints=constraints, overrides=Overrides(pins=(("PLT-101", True),)))
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, Workshop(workshop.portfolio, (changed,), changed.name)).close()
    reopened = WorkshopFile.open(path)
    try:
        assert reopened.workshop.current_scenario().constraints == constraints
    finally:
        reopened.close()
    assert changed.without_initiatives(["PLT-112"]).constraints.bundles == ()
