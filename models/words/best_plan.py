"""The best plan in words, for the room's summary: how sure it is, what it scores, what it changes.

Plain formatting of an OptimisedPlan (models/optimise/result.py); nothing is computed here that
the optimiser did not hand back.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Ids named one by one in "adds ..." before "and N more".
NAMED_IDS = 12


@dataclass(frozen=True)
class PlanWords:
    """The summary's parts: a headline, figure lines, swap sentences, problems and remarks."""

    headline: str
    figures: tuple[str, ...] = ()
    swaps: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    has_plan: bool = True  # False when no plan exists (infeasible): no column, nothing to adopt


def sureness(status: str, gap: float) -> str:
    """"optimal" or "within 0.4% of the best possible"."""
    if status == "optimal" or gap <= 0:
        return "optimal"
    if gap != gap or gap >= 1.0:  # the optimiser reports 1 when it has no bound yet
        return "with no proof yet of how close it is to the best possible"
    return f"within {_percent(gap)} of the best possible"


def _percent(gap: float) -> str:
    value = gap * 100
    return f"{value:.1f}%" if value >= 0.1 else "0.1%" if value > 0.05 else f"{value:.2f}%"


def _ids(ids: tuple[str, ...]) -> str:
    named = ", ".join(ids[:NAMED_IDS])
    return named if len(ids) <= NAMED_IDS else f"{named} and {len(ids) - NAMED_IDS} more"


def describe(plan, scenario: str, time_limit: float | None = None) -> PlanWords:
    """What the room says about `plan`, the best plan for scenario `scenario`."""
    seconds = f"{plan.seconds:.1f} s"
    if plan.status == "infeasible":
        return PlanWords(f"No best plan for {scenario}: its constraints cannot all hold ({seconds}). "
                         f"The walk's plan stands.", problems=tuple(plan.problems),
                         notes=tuple(plan.notes), has_plan=False)
    sure = sureness(plan.status, plan.gap)
    if plan.status == "cancelled":
        headline = f"Cancelled after {seconds}: the best plan found so far for {scenario}, {sure}."
        if plan.comparison.plan_score <= plan.comparison.walk_score and not (plan.comparison.adds
                                                                                 or plan.comparison.drops):
            headline = f"Cancelled after {seconds}: nothing better than the walk's plan found so far for {scenario}."
    elif plan.status == "time limit":
        time_limit = time_limit or getattr(plan, "time_limit", None)
        limit = f" ({time_limit:g} s)" if time_limit else ""
        if getattr(plan, "ended_early", False):
            headline = (f"Best plan for {scenario}: {sure}, {seconds}; the search had nothing more to try "
                        f"before the time limit{limit}.")
        else:
            headline = f"Best plan for {scenario}: {sure} when the time limit{limit} ran out, {seconds}."
    else:
        headline = f"Best plan for {scenario}: optimal (proven), {seconds}."
    c = plan.comparison
    diff = c.plan_score - c.walk_score
    figures = [f"Total score {c.plan_score:.1f} against the walk's {c.walk_score:.1f} ({diff:+.1f}); "
               f"person-weeks used {c.plan_person_weeks:g} against the walk's {c.walk_person_weeks:g}."]
    if plan.respect_tiers and len(plan.tier_objectives) > 1:
        tiers = ", ".join(f"tier {k} {mine:.1f} (walk {walk:.1f})" for k, (mine, walk) in
                          enumerate(zip(plan.tier_objectives, plan.walk_tier_objectives), start=1))
        figures.append(f"Tier by tier, tier 1 first: {tiers}.")
    if c.adds or c.drops:
        figures.append(f"It adds {len(c.adds)}: {_ids(c.adds) or 'none'}. "
                       f"It drops {len(c.drops)}: {_ids(c.drops) or 'none'}.")
    else:
        figures.append("It funds the same initiatives as the walk: the walk's plan is already the best.")
    return PlanWords(headline, tuple(figures), tuple(c.swaps), notes=tuple(plan.notes))


def progress_words(stage: int, stages: int, best: float, bound: float, seconds: float, limit: float) -> str:
    """One progress line: "Tier 1 of 2 · within 3.2% of the best possible · 2.1 of 10 s"."""
    parts = [f"Tier {stage} of {stages}" if stages > 1 else "Searching"]
    if best == best and bound == bound and best > 0:
        gap = max(0.0, (bound - best) / abs(best))
        parts.append(f"score {best:.1f}, {sureness('', gap) if gap > 1e-9 else 'proven best so far'}")
    parts.append(f"{seconds:.1f} of {limit:g} s")
    return " · ".join(parts)
