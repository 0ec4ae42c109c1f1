"""Adopting the best plan as a scenario whose walk funds exactly its set, in its quarters.

`adopt_as_scenario` tries pins alone first (pinning in what the plan adds to the walk's and
pinning out what it drops, then the whole set): kept when the walk then funds exactly the
plan's set in the plan's quarters. Otherwise (the walk places initiatives one at a time, each
as early as it fits, and the plan needs its own quarters) the new scenario keeps the plan's
placements (models/capacity/placements.py), quarters and person-weeks, which the walk funds first and
exactly; what the walk would add in what is left over is pinned out, so that the new scenario
funds the plan's set and scores the plan's objective.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cutline.models.capacity.allocate import Allocator
from cutline.models.capacity.placements import Placement, Placements
from cutline.models.optimise.plans import placement_of
from cutline.models.scenarios.scenario import Scenario

#: Rounds of pinning out what the walk adds around the placements, before pinning out all the rest.
ROUNDS = 4


@dataclass(frozen=True)
class AdoptedPlan:
    """The new scenario, whether its walk reproduces the plan (its set, in its quarters), and
    in words how."""

    scenario: Scenario
    reproduces: bool
    words: str


def adopt_as_scenario(plan, evaluation, name: str | None = None, *,
                      allocator: Allocator | None = None) -> AdoptedPlan:
    """A copy of the evaluated scenario, named `name` (default "<scenario> (best plan)"), whose
    walk funds the plan's set in the plan's quarters."""
    base = evaluation.scenario
    ids = evaluation.portfolio.ids.astype(str)
    funded, walk = np.asarray(plan.funded, bool), np.asarray(evaluation.allocation.funded, bool)
    allocator = allocator or Allocator(evaluation.portfolio, base.capacity, planning=base.planning)
    name = name or f"{base.name} (best plan)"
    order, rank = evaluation.ranking.order, evaluation.ranking.rank
    old = base.overrides.pinned()
    minimal = dict(old)
    minimal.update({ids[r]: True for r in np.flatnonzero(funded & ~walk)})
    minimal.update({ids[r]: False for r in np.flatnonzero(walk & ~funded)})
    full = {ident: bool(f) for ident, f in zip(ids.tolist(), funded.tolist())}

    def scenario_with(pins: dict, placements: Placements) -> Scenario:
        overrides = replace(base.overrides, pins=tuple(pins.items()))
        return replace(base, name=name, overrides=overrides, placements=placements)

    for pins, how in ((minimal, "pins in the initiatives it adds and pins out those it drops"),
                      (full, "pins in every initiative it funds and pins out the rest")):
        if _same(allocator.run(order, pins, rank=rank, placements=base.placements or None), plan):
            return AdoptedPlan(scenario_with(pins, base.placements), True,
                               f"The new scenario {how}; its walk places them in the plan's quarters.")
    placements = placements_of(plan, evaluation.portfolio)
    pins = dict(old)  # the plan keeps them: its pins in are funded, its pins out are not
    extra, rest = np.zeros(len(funded), bool), False
    for _ in range(ROUNDS):  # pinning out what the walk adds frees room that others may take
        got = allocator.run(order, pins or None, rank=rank, placements=placements)
        more = got.funded & ~funded
        if not more.any():
            break
        extra |= more
        pins.update({ids[r]: False for r in np.flatnonzero(more)})
    else:
        rest = True
        pins.update({ids[r]: False for r in np.flatnonzero(~funded)})
        got = allocator.run(order, pins, rank=rank, placements=placements)
    reproduces = _same(got, plan)
    words = (f"The new scenario keeps the best plan's quarters for the {int(funded.sum())} initiatives it "
             "funds, which its walk places first and exactly as planned")
    words += (", and pins out the rest." if rest else
              f", and pins out {int(extra.sum())} the walk would add in what is left over." if extra.any() else ".")
    if not reproduces:
        words += " Some placements do not hold (docs/capacity.md), so the walk places those itself."
    return AdoptedPlan(scenario_with(pins, placements), reproduces, words)


def placements_of(plan, portfolio) -> Placements:
    """The plan's funded initiatives, each with its quarters and person-weeks (the last quarter
    takes the solver's rounding, so that they add up to the effort exactly)."""
    allocation = plan.allocation
    quarters = allocation.quarters
    _, start, finish, pw = placement_of(allocation, len(quarters))
    ids, effort = portfolio.ids.astype(str), portfolio.numeric("effort")
    items = []
    for row in np.flatnonzero(np.asarray(plan.funded, bool)).tolist():
        s, f = int(start[row]), int(finish[row])
        if np.isfinite(effort[row]) and f > s:
            pw[row, f] = effort[row] - pw[row, s:f].sum()
        elif np.isfinite(effort[row]):
            pw[row, s] = effort[row]
        items.append(Placement(str(ids[row]), tuple((str(quarters[k]), float(pw[row, k])) for k in range(s, f + 1))))
    return Placements(tuple(items))


def _same(allocation, plan) -> bool:
    """Whether an allocation funds exactly the plan's set, each from and to the plan's quarters."""
    funded = np.asarray(plan.funded, bool)
    return bool((allocation.funded == funded).all() and (allocation.quarter[funded] == plan.quarter[funded]).all()
                and (allocation.finish[funded] == plan.finish[funded]).all())
