"""Adopting the best plan as a scenario: pins that make the walk fund exactly its set.

`adopt_as_scenario` tries the fewest pins first, pinning in what the plan adds to the walk's
and pinning out what it drops; when the walk then funds a different set (capacity freed or
taken moves others across the line), it pins in the whole funded set and pins out the rest.
It says whether the walk reproduces the plan's funded set; the quarters are the walk's own
(each as early as it fits), which may differ from the optimiser's placement. When no set of
pins makes the walk fund exactly the plan's set (the plan needs its own quarters), the pins
whose walk scores best (tier by tier, tier 1 first) are kept, and the words say so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from cutline.models.capacity.allocate import Allocator
from cutline.models.scenarios.scenario import Scenario


@dataclass(frozen=True)
class AdoptedPlan:
    """The new scenario, whether its walk funds exactly the plan's set, and in words how."""

    scenario: Scenario
    reproduces: bool
    words: str


def adopt_as_scenario(plan, evaluation, name: str | None = None, *, allocator: Allocator | None = None) -> AdoptedPlan:
    """A copy of the evaluated scenario, named `name` (default "<scenario> (best plan)"), with
    pins so that its walk funds the plan's set."""
    base = evaluation.scenario
    ids = evaluation.portfolio.ids.astype(str)
    funded, walk = np.asarray(plan.funded, bool), np.asarray(evaluation.allocation.funded, bool)
    allocator = allocator or Allocator(evaluation.portfolio, base.capacity, planning=base.planning)
    name = name or f"{base.name} (best plan)"
    old = base.overrides.pinned()
    minimal = dict(old)
    minimal.update({ids[r]: True for r in np.flatnonzero(funded & ~walk)})
    minimal.update({ids[r]: False for r in np.flatnonzero(walk & ~funded)})
    full = {ident: bool(f) for ident, f in zip(ids.tolist(), funded.tolist())}
    only_in = dict(old)
    only_in.update({ids[r]: True for r in np.flatnonzero(funded)})
    order, rank = evaluation.ranking.order, evaluation.ranking.rank
    tried = []
    for pins, how in ((minimal, "pins in the initiatives it adds and pins out those it drops"),
                      (full, "pins in every initiative it funds and pins out the rest"),
                      (only_in, "pins in every initiative it funds")):
        got = allocator.run(order, pins, rank=rank).funded
        if (got == funded).all():
            overrides = replace(base.overrides, pins=tuple(pins.items()))
            return AdoptedPlan(replace(base, name=name, overrides=overrides), True, f"The new scenario {how}.")
        tried.append((_tier_totals(evaluation, got), pins, how))
    totals, pins, how = max(tried, key=lambda t: t[0])
    overrides = replace(base.overrides, pins=tuple(pins.items()))
    return AdoptedPlan(replace(base, name=name, overrides=overrides), False,
                       f"The new scenario {how}, the pins whose walk scores best, but the walk places "
                       "initiatives one at a time, each as early as it fits, and cannot fund exactly the "
                       "plan's set: the best plan's own quarters are needed for that.")


def _tier_totals(evaluation, funded: np.ndarray) -> tuple[float, ...]:
    """The funded score per tier, tier 1 first: compared as a tuple, better tiers first."""
    tier, score = evaluation.ranking.tier, np.nan_to_num(evaluation.ranking.score)
    return tuple(float(score[funded & (tier == t)].sum()) for t in sorted(set(tier.tolist())))
