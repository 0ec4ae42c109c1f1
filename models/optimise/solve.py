"""`optimise(evaluation)`: the best plan beside the walk's, within a time limit.

Steps: read the problem as the walk does; say in words what cannot hold (pins, bundles,
alternatives, floors) before any solving; build the programme; start the solver from the
better of two walks (the scenario's rank order, and best score per person-week first) when
they keep the new constraints; maximise tier by tier (each tier's achieved score is kept while
the next is maximised) or the total at once; never return less than the walk's plan.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from models.allocate import Allocator
from models.optimise.differences import compare_plans
from models.optimise.formulation import build
from models.optimise.infeasible import broken_by, elastic_problems, obvious_problems
from models.optimise.plans import allocation_from, better_or_equal, placement_from, placement_of, tier_sums, values_of
from models.optimise.problem import problem_of
from models.optimise.result import CANCELLED, INFEASIBLE, OPTIMAL, TIME_LIMIT, OptimisedPlan


def optimise(evaluation, *, time_limit: float = 10.0, respect_tiers: bool = True, cancel=None,
             progress=None, allocator: Allocator | None = None) -> OptimisedPlan:
    """The plan that maximises total score under every rule the walk respects and the
    scenario's bundles, alternatives and floors (docs/capacity.md, "The best plan").

    `time_limit` in seconds for the whole search; `cancel` a threading.Event or a callable
    returning True to stop early (the best plan so far is returned, status "cancelled");
    `progress` is called with a `highs_run.Progress` now and then, on the solver's thread.
    """
    started = time.perf_counter()
    stop = _as_callable(cancel)
    scenario = evaluation.scenario
    allocator = allocator or Allocator(evaluation.portfolio, scenario.capacity, planning=scenario.planning)
    p = problem_of(evaluation, allocator)
    q = len(p.quarters)
    tiers = sorted(set(p.tier.tolist())) if respect_tiers else []
    walk = placement_of(evaluation.allocation, q)
    walk_sums = _sums(p, walk[0], tiers)

    def finish(status, placement, sums, gap, problems=(), notes=()):
        funded = placement[0]
        alloc = evaluation.allocation if placement is walk else allocation_from(
            allocator, p, *placement, evaluation.ranking)
        return OptimisedPlan(
            status=status, allocation=alloc, objective=float(p.score[funded].sum()),
            walk_objective=float(p.score[walk[0]].sum()), gap=float(gap),
            seconds=time.perf_counter() - started,
            comparison=compare_plans(p, placement, walk, evaluation.ranking),
            respect_tiers=respect_tiers, tier_objectives=sums if respect_tiers else (),
            walk_tier_objectives=walk_sums if respect_tiers else (), problems=tuple(problems),
            notes=tuple(notes), scenario_name=scenario.name)

    problems = obvious_problems(p)
    if problems:
        return finish(INFEASIBLE, walk, walk_sums, 0.0, problems)
    lay, rows = build(p)
    notes = []
    start, start_sums = None, None
    for label, placement in (("the walk", walk), ("by score per person-week", _density_walk(allocator, evaluation, p, q))):
        broken = broken_by(p, placement)
        values = None if broken else values_of(p, lay, *placement)
        if label == "the walk" and broken:
            notes.append(f"The walk's plan is not a candidate: it breaks {broken}.")
        if values is not None:
            sums = _sums(p, placement[0], tiers)
            if start is None or not better_or_equal(start_sums, sums):
                start, start_sums = values, sums
    walk_ok = not broken_by(p, walk) and values_of(p, lay, *walk) is not None

    from models.optimise.highs_run import HighsModel

    model = HighsModel(lay, rows)
    stages = [np.flatnonzero(p.tier == t) for t in tiers] if respect_tiers else [np.arange(p.n)]
    cost = np.zeros(lay.columns)
    gaps, statuses, values = [], [], start
    for k, members in enumerate(stages):
        members = members[lay.candidate[members]]
        cost[:] = 0.0
        cost[lay.f[members]] = p.score[members]
        left = time_limit - (time.perf_counter() - started)
        budget = left / (len(stages) - k) if k < len(stages) - 1 else left
        if not len(members):
            continue
        if left <= 0 or stop():
            gaps.append(_upper_gap(p, members, values, lay))
            statuses.append(CANCELLED if stop() else TIME_LIMIT)
            continue
        result = model.solve(cost, seconds=budget, start=values, stage=(k + 1, len(stages)),
                             cancel=stop, progress=progress, started=started)
        if result.status == INFEASIBLE or result.values is None and values is None:
            words = elastic_problems(p, max(time_limit - (time.perf_counter() - started), 1.0))
            return finish(INFEASIBLE, walk, walk_sums, 0.0, words or ["The constraints cannot all hold together."])
        if result.values is not None:
            values = result.values
        achieved = float(p.score[members] @ (values[lay.f[members]] > 0.5))
        gap = max(0.0, result.bound - achieved) / max(abs(achieved), 1e-9) if np.isfinite(result.bound) else 1.0
        gaps.append(0.0 if result.status == OPTIMAL else gap)
        statuses.append(result.status)
        if k < len(stages) - 1:  # keep this tier's score while the next is maximised
            model.add_at_least(lay.f[members], p.score[members], achieved - 1e-6 * max(1.0, abs(achieved)))
    status = OPTIMAL if all(s == OPTIMAL for s in statuses) else (
        CANCELLED if CANCELLED in statuses else TIME_LIMIT)
    gap = max(gaps, default=0.0)
    if gap <= 1e-6:
        gap, status = 0.0, OPTIMAL if status == OPTIMAL else status
    placement = placement_from(p, lay, values)
    sums = _sums(p, placement[0], tiers)
    if walk_ok and not better_or_equal(sums, walk_sums):
        notes.append("The solver's plan was not better than the walk's, so this is the walk's plan.")
        return finish(status, walk, walk_sums, gap, (), notes)
    return finish(status, placement, sums, gap, (), notes)


def _sums(p, funded, tiers) -> tuple[float, ...]:
    return tier_sums(p, funded, tiers) if tiers else (float(p.score[funded].sum()),)


def _upper_gap(p, members, values, lay) -> float:
    """Without a bound from the solver: the relative distance to funding every candidate."""
    if values is None:
        return 1.0
    got = float(p.score[members] @ (values[lay.f[members]] > 0.5))
    return max(0.0, float(p.score[members].sum()) - got) / max(abs(got), 1e-9)


def _density_walk(allocator, evaluation, p, q):
    """The walk again, tier by tier with the most score per person-week first."""
    effort = np.where(np.isfinite(p.effort), np.maximum(p.effort, 0.1), np.inf)
    density = p.score / effort
    order = np.lexsort((-density, p.tier))
    alloc = allocator.run(order, evaluation.scenario.overrides.pinned() or None)
    return placement_of(alloc, q)


def _as_callable(cancel):
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel
