"""The best plan: the funded set (and when each runs) that maximises total score within every
rule the walk respects, beside the walk's plan, never in its place. docs/capacity.md, "The best
plan", states the formulation.

Importing this package is light (no solver): `optimise` loads HiGHS when first called.
"""

from __future__ import annotations

from cutline.models.optimise.constraints import (
    Alternatives,
    Bundle,
    Floor,
    PlanConstraintError,
    PlanConstraints,
)

__all__ = ["Alternatives", "Bundle", "Floor", "PlanConstraints", "PlanConstraintError", "optimise",
           "adopt_as_scenario"]


def optimise(evaluation, *, time_limit: float = 10.0, respect_tiers: bool = True, cancel=None, progress=None,
             allocator=None):
    """The best plan for an evaluated scenario (cutline.models.optimise.solve.optimise)."""
    from cutline.models.optimise.solve import optimise as run

    return run(evaluation, time_limit=time_limit, respect_tiers=respect_tiers, cancel=cancel, progress=progress,
               allocator=allocator)


def adopt_as_scenario(plan, evaluation, name: str | None = None):
    """A new scenario whose walk funds the plan's set (cutline.models.optimise.adopt.adopt_as_scenario)."""
    from cutline.models.optimise.adopt import adopt_as_scenario as adopt

    return adopt(plan, evaluation, name)
