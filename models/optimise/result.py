"""What the optimiser hands back: the best plan, how sure it is, and how it differs from the walk."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cutline.models.capacity.allocation import Allocation

OPTIMAL, TIME_LIMIT, CANCELLED, INFEASIBLE = "optimal", "time limit", "cancelled", "infeasible"


@dataclass(frozen=True)
class PlanComparison:
    """The best plan beside the walk's: who it adds and drops, and the swaps in words."""

    adds: tuple[str, ...]
    drops: tuple[str, ...]
    swaps: tuple[str, ...]
    plan_score: float
    walk_score: float
    plan_person_weeks: float
    walk_person_weeks: float

    def to_dict(self) -> dict:
        return {"adds": list(self.adds), "drops": list(self.drops), "swaps": list(self.swaps),
                "plan_score": self.plan_score, "walk_score": self.walk_score,
                "plan_person_weeks": self.plan_person_weeks, "walk_person_weeks": self.walk_person_weeks}


@dataclass(frozen=True, eq=False)
class OptimisedPlan:
    """The best plan for one scenario.

    `allocation` has the walk's placement fields (funded, quarter, finish, span_ptr /
    span_quarter / span_pw, utilisation, late, ...), so every view that draws a walk draws this.
    `objective` is the plan's total score and `walk_objective` the walk's; with tiers respected,
    `tier_objectives` are the per-tier totals (tier 1 first) that were maximised in turn. `gap`
    is the proven relative gap, (bound - objective) / objective, 0 when optimal (the largest of
    the tiers' gaps). `status` is "optimal", "time limit", "cancelled" or "infeasible"; for
    "infeasible", `problems` says in words which constraints cannot hold together, and the
    allocation is the walk's. `notes` are other remarks (the walk's plan breaks a bundle, the
    solver's plan was no better than the walk's, ...). `time_limit` is the limit it was given
    (None when not known).
    """

    status: str
    allocation: Allocation
    objective: float
    walk_objective: float
    gap: float
    seconds: float
    comparison: PlanComparison
    respect_tiers: bool = True
    tier_objectives: tuple[float, ...] = ()
    walk_tier_objectives: tuple[float, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    scenario_name: str = ""
    time_limit: float | None = None

    @property
    def ended_early(self) -> bool:
        """Not proven optimal, yet stopped well before its time limit: the search had nothing
        more to try (every relaxation it could solve was solved), not run out of time."""
        if self.status != TIME_LIMIT or not self.time_limit:
            return False
        return self.seconds < self.time_limit - max(0.25, 0.05 * self.time_limit)

    @property
    def funded(self) -> np.ndarray:
        return self.allocation.funded

    @property
    def quarter(self) -> np.ndarray:
        return self.allocation.quarter

    @property
    def finish(self) -> np.ndarray:
        return self.allocation.finish

    @property
    def feasible(self) -> bool:
        return self.status != INFEASIBLE
