"""The best plan beside the walk's, in words: what it adds and drops, and the swaps per team
("drops PLT-174 (26 pw, score 26) to fund PLT-133 and PLT-135 (17 pw, score 70)")."""

from __future__ import annotations

import numpy as np
from cutline.models.optimise.problem import Problem
from cutline.models.optimise.result import PlanComparison


def compare_plans(p: Problem, plan, walk, ranking, tiers: bool = True) -> PlanComparison:
    """Adds, drops and swaps of `plan` against `walk` (both (funded, start, finish, pw)); with
    `tiers` (the tiers were respected) a swap that scores less says which tier gains."""
    funded, walk_funded = plan[0], walk[0]
    rank = ranking.rank
    adds = sorted(np.flatnonzero(funded & ~walk_funded).tolist(), key=lambda r: rank[r])
    drops = sorted(np.flatnonzero(walk_funded & ~funded).tolist(), key=lambda r: rank[r])
    effort = np.nan_to_num(p.effort, nan=0.0)
    swaps = []
    teams = list(dict.fromkeys(int(p.team[r]) for r in drops + adds))
    for t in teams:
        out = [r for r in drops if p.team[r] == t]
        inn = [r for r in adds if p.team[r] == t]
        team = f"team {p.team_labels[t]}"
        if out and inn:
            swaps.append(f"{team}: drops {_group(p, out, effort)} to fund {_group(p, inn, effort)}"
                         f"{_why_less(p, out, inn) if tiers else ''}")
        elif inn:
            swaps.append(f"{team}: also funds {_group(p, inn, effort)}")
        else:
            swaps.append(f"{team}: drops {_group(p, out, effort)}, which makes room elsewhere "
                         "(a prerequisite, a shared pool or a higher tier)")
    return PlanComparison(
        adds=tuple(str(p.ids[r]) for r in adds), drops=tuple(str(p.ids[r]) for r in drops),
        swaps=tuple(swaps), plan_score=float(p.score[funded].sum()),
        walk_score=float(p.score[walk_funded].sum()),
        plan_person_weeks=float(plan[3].sum()), walk_person_weeks=float(walk[3].sum()))


def _why_less(p: Problem, out: list[int], inn: list[int]) -> str:
    """Why a swap that scores less is made, when a higher tier explains it: tiers come first
    (docs/capacity.md), so "; more tier-1 score: 36.7 against 33.3"; "" otherwise."""
    if p.score[inn].sum() >= p.score[out].sum():
        return ""
    for tier in sorted(set(p.tier[out].tolist()) | set(p.tier[inn].tolist())):
        gained, lost = p.score[inn][p.tier[inn] == tier].sum(), p.score[out][p.tier[out] == tier].sum()
        if abs(gained - lost) > 1e-9:
            if gained > lost:
                return f"; more tier-{tier} score: {_num(gained)} against {_num(lost)}"
            return ""
    return ""


def _group(p: Problem, rows: list[int], effort: np.ndarray) -> str:
    """ "PLT-133 and PLT-135 (17 pw, score 70)"; past four ids, "and N more"."""
    ids = [str(p.ids[r]) for r in rows]
    shown = ids if len(ids) <= 4 else ids[:3] + [f"{len(ids) - 3} more"]
    names = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"{names} ({_num(effort[rows].sum())} pw, score {_num(p.score[rows].sum())})"


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
