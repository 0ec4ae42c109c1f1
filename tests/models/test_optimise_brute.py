"""The best plan on small random portfolios: it passes the independent checker, equals the
brute-force optimum (whole quarters: every initiative in one quarter or none, all tried), and
is never worse than the walk."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from cutline.models.capacity.allocate import allocate
from cutline.models.capacity.capacity import Capacity, Guardrail
from cutline.models.capacity.planning import Planning
from cutline.models.optimise import Alternatives, Bundle, Floor, PlanConstraints, optimise
from cutline.models.optimise.plans import better_or_equal
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluation
from cutline.models.scenarios.scenario import Overrides, Scenario
from cutline.models.scoring.ranking import Ranking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.models.optimise_checker import violations

QUARTERS = ("2027-Q1", "2027-Q2", "2027-Q3")


def evaluation_of(rows, capacity_rows, guardrails=(), pins=(), constraints=PlanConstraints(),
                  planning=Planning(1, 1.0, False)) -> Evaluation:
    """An Evaluation from plain rows (id, team, category, effort, depends_on, due, score, tier)."""
    frame = pd.DataFrame(rows, columns=["id", "team", "category", "effort", "depends_on", "quarter", "score", "tier"])
    portfolio = Portfolio.from_frame(frame[["id", "team", "category", "effort", "depends_on", "quarter"]])
    score, tier = frame["score"].to_numpy(float), frame["tier"].to_numpy(np.int64)
    order = np.lexsort((np.arange(len(frame)), -score, tier))
    n = len(frame)
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(1, n + 1)
    z, e = np.zeros(n), np.zeros((n, 0))
    ranking = Ranking((), e, e, e, np.zeros((n, 0), bool), score, tier, ("first", "rest"), order, rank, z, z,
                      np.zeros(n, bool))
    capacity = Capacity.from_rows(capacity_rows, tuple(guardrails))
    scenario = Scenario("S", capacity=capacity, overrides=Overrides(pins=tuple(pins)), planning=planning,
                        constraints=constraints)
    allocation = allocate(portfolio, ranking, capacity, pins=dict(pins) or None, planning=planning)
    return Evaluation(scenario, portfolio, ranking, allocation)


@st.composite
def small_cases(draw):
    n = draw(st.integers(1, 5))
    q = draw(st.integers(1, 2))
    teams = ["A", "B"][: draw(st.integers(1, 2))]
    rows = []
    for i in range(n):
        prereqs = [f"I{j}" for j in range(n) if j != i and draw(st.integers(0, 5)) == 0]
        effort = draw(st.sampled_from([np.nan, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.5]))
        due = draw(st.sampled_from(["", "", *QUARTERS[:q], "2026-Q4"]))
        rows.append((f"I{i}", draw(st.sampled_from(teams + [""])), draw(st.sampled_from(["debt", "cap", "dx"])),
                     effort, ", ".join(prereqs), due, float(draw(st.integers(0, 20))), draw(st.integers(1, 2))))
    capacity_rows = []
    for k in range(q):
        for t in teams + ["*"]:
            if draw(st.integers(0, 3)):
                capacity_rows.append((t, QUARTERS[k], float(draw(st.integers(0, 8)))))
    if not capacity_rows:
        capacity_rows.append(("*", QUARTERS[0], 4.0))
    guardrails = []
    if draw(st.booleans()):
        guardrails.append(Guardrail("debt", reserve=draw(st.sampled_from([0.0, 0.25, 0.5]))))
    if draw(st.booleans()):
        guardrails.append(Guardrail("cap", cap=draw(st.sampled_from([0.25, 0.5]))))
    ids = [r[0] for r in rows]
    pins = []
    for ident in ids:
        pick = draw(st.integers(0, 9))
        if pick == 0:
            pins.append((ident, True))
        elif pick == 1:
            pins.append((ident, False))
    bundles, alternatives, floors = [], [], []
    if n >= 2 and draw(st.booleans()):
        bundles.append(Bundle("b", tuple(draw(st.permutations(ids))[:2])))
    if n >= 2 and draw(st.booleans()):
        alternatives.append(Alternatives("a", tuple(draw(st.permutations(ids))[:2])))
    if draw(st.integers(0, 3)) == 0:
        floors.append(Floor("dx", float(draw(st.integers(0, 6))), draw(st.sampled_from([None, capacity_rows[0][1]]))))
    planning = Planning(1, 1.0, draw(st.booleans()))
    return rows, capacity_rows, guardrails, pins, PlanConstraints(tuple(bundles), tuple(alternatives), tuple(floors)), planning


def brute_force(evaluation) -> tuple[float, ...] | None:
    """The best tier sums over every whole-quarter plan that passes the checker (None: none does)."""
    from cutline.models.capacity.allocation import Allocation

    p, scenario = evaluation.portfolio, evaluation.scenario
    n, q = len(p), len(scenario.capacity.quarters)
    effort = np.nan_to_num(p.numeric("effort"), nan=0.0)
    score, tier = evaluation.ranking.score, evaluation.ranking.tier
    best = None
    empty = pd.DataFrame()
    can = np.isfinite(p.numeric("effort")) & (p.numeric("effort") >= 0)
    for choice in itertools.product(range(-1, q), repeat=n):
        quarter = np.array(choice, dtype=np.int64)
        if ((quarter >= 0) & ~can).any():
            continue
        funded = quarter >= 0
        ptr = np.concatenate([[0], np.cumsum(funded)]).astype(np.int64)
        alloc = Allocation(scenario.capacity.quarters, funded, quarter, np.full(n, "", object), np.full(n, -1),
                           None, empty, empty, finish=quarter.copy(), span_ptr=ptr,
                           span_quarter=quarter[funded], span_pw=effort[funded])
        if violations(p, scenario, alloc):
            continue
        sums = tuple(float(score[funded & (tier == t)].sum()) for t in (1, 2))
        if best is None or not better_or_equal(best, sums):
            best = sums
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases())
def test_the_best_plan_is_valid_optimal_and_never_worse_than_the_walk(case):
    rows, capacity_rows, guardrails, pins, constraints, planning = case
    evaluation = evaluation_of(rows, capacity_rows, guardrails, pins, constraints, planning)
    plan = optimise(evaluation, time_limit=20)
    best = brute_force(evaluation)
    if best is None:
        assert plan.status == "infeasible", plan
        assert plan.problems and all(isinstance(w, str) and w for w in plan.problems)
        return
    assert plan.status == "optimal", (plan.status, plan.problems)
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []
    sums = tuple(float(evaluation.ranking.score[plan.funded & (evaluation.ranking.tier == t)].sum()) for t in (1, 2))
    assert np.allclose(sums, best, atol=1e-6), (sums, best)
    walk_ok = not violations(evaluation.portfolio, evaluation.scenario, evaluation.allocation)
    if walk_ok:
        walk = tuple(float(evaluation.ranking.score[evaluation.allocation.funded & (evaluation.ranking.tier == t)].sum())
                     for t in (1, 2))
        assert better_or_equal(sums, walk)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases())
def test_the_large_portfolio_path_gives_valid_plans_no_worse_than_the_walk(case):
    """The relaxation, the walk's placements and the window search (used above 200 prerequisite
    links) on small cases: every plan passes the checker, and a proven optimum is the optimum."""
    from unittest import mock

    from cutline.models.optimise import solve

    rows, capacity_rows, guardrails, pins, constraints, planning = case
    evaluation = evaluation_of(rows, capacity_rows, guardrails, pins, constraints, planning)
    with mock.patch.object(solve, "FULL_TIMING_EDGES", -1):
        plan = optimise(evaluation, time_limit=20)
    best = brute_force(evaluation)
    if best is None:
        assert plan.status == "infeasible"
        return
    assert plan.status != "infeasible", plan.problems
    assert violations(evaluation.portfolio, evaluation.scenario, plan.allocation) == []
    r = evaluation.ranking
    sums = tuple(float(r.score[plan.funded & (r.tier == t)].sum()) for t in (1, 2))
    assert better_or_equal(best, sums)
    if plan.status == "optimal":
        assert np.allclose(sums, best, atol=1e-6), (sums, best)
    if not violations(evaluation.portfolio, evaluation.scenario, evaluation.allocation):
        walk = tuple(float(r.score[evaluation.allocation.funded & (r.tier == t)].sum()) for t in (1, 2))
        assert better_or_equal(sums, walk)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_cases(), st.integers(0, 2**16))
def test_packing_and_the_local_search_keep_every_rule_of_the_walk(case, seed):
    """The list scheduling and the local search of models/optimise/packing.py, on random sets,
    orders and values: what they place passes the independent checker (pins, bundles,
    alternatives and floors aside: those are checked where their plans are used), and their
    own capacity check agrees."""
    import time

    from cutline.models.capacity.allocate import Allocator
    from cutline.models.optimise.formulation import candidates
    from cutline.models.optimise.packing import Packer, capacity_ok, improve
    from cutline.models.optimise.plans import allocation_from
    from cutline.models.optimise.problem import problem_of
    from cutline.models.optimise.schedule import order_violations

    rows, capacity_rows, guardrails, pins, constraints, planning = case
    evaluation = evaluation_of(rows, capacity_rows, guardrails, pins, constraints, planning)
    scenario = evaluation.scenario
    allocator = Allocator(evaluation.portfolio, scenario.capacity, planning=scenario.planning)
    p = problem_of(evaluation, allocator)
    cand = candidates(p)
    rng = np.random.default_rng(seed)
    packer = Packer(p)
    placed, _ = packer.run(cand & (rng.random(p.n) < 0.7), rng.random(p.n))
    placed = packer.fill(placed, rng.permutation(p.n), cand)
    better, _ = improve(packer, placed, rng.random(p.n) * 10, cand, cand, rng.permutation(p.n),
                        time.perf_counter() + 0.02, time.perf_counter, seed)
    for placement in (placed, better):
        assert capacity_ok(p, placement)
        assert not order_violations(p, placement).any()
        allocation = allocation_from(allocator, p, *placement, evaluation.ranking)
        broken = [v for v in violations(evaluation.portfolio, scenario, allocation)
                  if not any(w in v for w in ("pinned", "bundle", "alternatives", "floor"))]
        assert broken == []
