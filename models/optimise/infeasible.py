"""Why a set of constraints cannot hold, in words that name them, never a solver status.

`obvious_problems` finds the common cases with their figures before any solving (a pinned-in
initiative that cannot be funded or is too large, alternatives that are both forced, pinned-in
work or a forced bundle that needs more of a team than it has, a floor above what its category
could ever get). When the solver still finds no plan, `elastic_problems` solves the same
programme with every pin, bundle, set of alternatives and floor allowed to be dropped, dropping
as few as it can, and names those.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cutline.models.optimise.formulation import INF, build, candidates, upper_bounds
from cutline.models.optimise.problem import EPS, Problem


def _pw(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} pw"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def why_not(p: Problem, row: int, cand: np.ndarray, depth: int = 0) -> str:
    """Why a row can never be funded, in words ("has no effort estimate", ...)."""
    q = len(p.quarters)
    if p.pinned_out[row]:
        return "is pinned out"
    if not np.isfinite(p.effort[row]):
        return "has no effort estimate"
    if p.last[row] < 0:
        return f"is due before the plan's first quarter {p.quarters[0]} (due quarters are hard)"
    slots = p.team_slot[p.team[row]][: p.last[row] + 1] if q else np.zeros(0, np.int64)
    if not (slots >= 0).any() or (p.effort[row] > EPS and not (p.limit[slots[slots >= 0]] > EPS).any()):
        by = "" if p.last[row] >= q - 1 else " by its due quarter"
        return f"has no capacity: team {p.team_labels[p.team[row]]} has no row or pool{by}"
    for pre in p.prerequisites(row).tolist():
        if not cand[pre]:
            if depth > 3:
                return f"needs {p.name(pre)}, which cannot be funded"
            return f"needs {p.name(pre)}, which {why_not(p, pre, cand, depth + 1)}"
    return "is in a cycle of prerequisites"


def _best_window(p: Problem, ub: np.ndarray, row: int) -> float:
    q, w = ub.shape[1], p.span
    return max((float(ub[row, s:s + w].sum()) for s in range(max(q - w + 1, 1))), default=0.0)


def _forced(p: Problem) -> tuple[np.ndarray, dict[int, str]]:
    """Rows every plan must fund (pinned in, bundled with one, or a prerequisite of one), and
    for each the words saying why."""
    why: dict[int, str] = {int(r): f"pinned-in {p.name(r)}" for r in np.flatnonzero(p.pinned_in)}
    changed = True
    while changed:
        changed = False
        for name, members in p.bundles:
            reasons = [why[int(m)] for m in members if int(m) in why]
            if reasons:
                for m in members.tolist():
                    if m not in why:
                        why[m] = f"bundle '{name}' (with {reasons[0]})"
                        changed = True
        for row in list(why):
            for pre in p.prerequisites(row).tolist():
                if pre not in why:
                    why[pre] = why[row]
                    changed = True
    forced = np.zeros(p.n, bool)
    forced[list(why)] = True
    return forced, why


def obvious_problems(p: Problem) -> list[str]:
    """The plain infeasibilities, each a sentence naming the constraints and the figures."""
    cand = candidates(p)
    ub = upper_bounds(p, cand)
    out: list[str] = []
    forced, why = _forced(p)
    for row in np.flatnonzero(forced & ~cand).tolist():
        source = why[row]
        if source == f"pinned-in {p.name(row)}":
            out.append(f"Pinned-in {p.name(row)} cannot be funded: it {why_not(p, row, cand)}.")
        elif source.startswith("bundle"):
            out.append(f"{source[0].upper()}{source[1:]} includes {p.name(row)}, which "
                       f"{why_not(p, row, cand)}.")
    # Every other problem is said too, so that one read names them all; the rows just named
    # are left out of the figures below (saying they do not fit would repeat why).
    fundable = forced & cand
    effort = np.nan_to_num(p.effort, nan=0.0)
    for row in np.flatnonzero(fundable).tolist():
        most = _best_window(p, ub, row)
        if effort[row] > most + 1e-6:
            team = p.team_labels[p.team[row]]
            window = "any quarter" if p.span == 1 else f"any {p.span} consecutive quarters"
            by = " by its due quarter" if p.last[row] < len(p.quarters) - 1 else ""
            subject = why[row] if why[row] != f"pinned-in {p.name(row)}" else f"Pinned-in {p.name(row)}"
            subject = subject[0].upper() + subject[1:]
            who = "" if subject.endswith(p.name(row)) else f" needs {p.name(row)}, which"
            out.append(f"{subject}{who} needs {_pw(effort[row])}, but team {team} can give it at most "
                       f"{_pw(most)} in {window}{by}, so it does not fit.")
    for name, members in p.alternatives:
        both = [p.name(m) for m in members.tolist() if forced[m]]
        if len(both) > 1:
            out.append(f"Alternatives '{name}' allow only one of {_names([p.name(m) for m in members])}, "
                       f"but {_names(both)} must all be funded ({'; '.join(why[m] for m in members if forced[m])}).")
    out += _team_totals(p, fundable, why, effort)
    out += _floors(p, cand, ub, effort)
    return out


def _team_totals(p: Problem, forced, why, effort) -> list[str]:
    out = []
    q = len(p.quarters)
    for t in np.unique(p.team[forced]).tolist():
        rows = np.flatnonzero(forced & (p.team == t))
        if len(rows) < 2:  # one alone that does not fit is said above
            continue
        need = float(effort[rows].sum())
        slots = p.team_slot[t][p.team_slot[t] >= 0] if q else np.zeros(0, np.int64)
        have = float(np.minimum(p.slot_cap[slots], p.limit[slots] * max(len(rows), 1)).sum())
        if need > have + 1e-6:
            sources = list(dict.fromkeys(why[r] for r in rows.tolist()))
            out.append(f"{_names(sources)[0].upper()}{_names(sources)[1:]} need {_pw(need)} of team "
                       f"{p.team_labels[t]} ({_names([p.name(r) for r in rows.tolist()])}), "
                       f"but only {_pw(have)} is there in the whole plan.")
    return out


def _floors(p: Problem, cand, ub, effort) -> list[str]:
    out = []
    for floor in p.floors:
        rows = floor.rows[cand[floor.rows]]
        if floor.quarter is None:
            could = float(effort[rows].sum())
        else:
            could = float(ub[rows, floor.quarter].sum())
        if could + 1e-6 < floor.person_weeks:
            where = "" if floor.quarter is None else f" in {p.quarters[floor.quarter]}"
            out.append(f"The {floor.label} cannot be met: the '{floor.category}' initiatives that could be "
                       f"funded{where} come to {_pw(could)}.")
    return out


def broken_by(p: Problem, placement) -> str:
    """Which pins, bundles, alternatives or floors a plan breaks, in words ("" for none)."""
    funded, _, _, pw = placement
    out = [f"pinned-in {p.name(r)} (not funded)" for r in np.flatnonzero(p.pinned_in & ~funded)]
    for name, members in p.bundles:
        f = funded[members]
        if f.any() and not f.all():
            out.append(f"bundle '{name}' (funds {_names([p.name(m) for m in members[f]])} but not "
                       f"{_names([p.name(m) for m in members[~f]])})")
    for name, members in p.alternatives:
        if funded[members].sum() > 1:
            out.append(f"alternatives '{name}' (funds {_names([p.name(m) for m in members[funded[members]]])})")
    for floor in p.floors:
        got = float(pw[floor.rows].sum() if floor.quarter is None else pw[floor.rows, floor.quarter].sum())
        if got + 1e-6 < floor.person_weeks:
            out.append(f"the {floor.label} (funds {_pw(got)})")
    return "; ".join(out)


def elastic_problems(p: Problem, seconds: float) -> list[str]:
    """The fewest pins, bundles, alternatives and floors to drop for a plan to exist, named."""
    from cutline.models.optimise.highs_run import HighsModel

    bare = replace(p, pinned_in=np.zeros(p.n, bool), bundles=[], alternatives=[], floors=[])
    lay, rows = build(bare)
    labels: list[tuple[int, str]] = []

    def relax(label: str) -> int:
        col = lay.columns
        lay.columns += 1
        lay.col_lo.append(0.0)
        lay.col_hi.append(1.0)
        lay.integer.append(1)
        labels.append((col, label))
        return col

    effort = np.nan_to_num(p.effort, nan=0.0)
    for row in np.flatnonzero(p.pinned_in).tolist():
        r = relax(f"the pin on {p.name(row)}")
        if lay.f[row] >= 0:
            rows.add([lay.f[row], r], [1.0, 1.0], 1.0, INF)
        else:
            lay.col_lo[r] = 1.0
    for name, members in p.bundles:
        r = relax(f"bundle '{name}'")
        fs = lay.f[members].tolist()
        if min(fs) < 0:
            fs = [c for c in fs if c >= 0]
            for c in fs:  # either none is funded, or the bundle is dropped
                rows.add([c, r], [1.0, -1.0], -INF, 0.0)
        for a, b in zip(fs, fs[1:]):
            rows.add([a, b, r], [1.0, -1.0, -1.0], -INF, 0.0)
            rows.add([b, a, r], [1.0, -1.0, -1.0], -INF, 0.0)
    for name, members in p.alternatives:
        fs = [c for c in lay.f[members].tolist() if c >= 0]
        if len(fs) > 1:
            r = relax(f"alternatives '{name}'")
            rows.add(fs + [r], [1.0] * len(fs) + [-(len(fs) - 1.0)], -INF, 1.0)
    for floor in p.floors:
        r = relax(f"the {floor.label}")
        members = floor.rows[lay.candidate[floor.rows]]
        if floor.quarter is None:
            cols, vals = lay.f[members].tolist(), effort[members].tolist()
        else:
            xs = lay.x[members, floor.quarter]
            cols, vals = xs[xs >= 0].tolist(), [1.0] * int((xs >= 0).sum())
        rows.add(cols + [r], vals + [floor.person_weeks], floor.person_weeks, INF)
    if not labels:
        return []
    model = HighsModel(lay, rows)
    cost = np.zeros(lay.columns)
    cost[[c for c, _ in labels]] = -1.0  # maximise minus the number dropped
    result = model.solve(cost, seconds=seconds, start=None)
    if result.values is None:
        return []
    dropped = [label for c, label in labels if result.values[c] > 0.5]
    if not dropped:
        return []
    due = " with due quarters hard" if p.hard_due else ""
    return [f"The constraints cannot all hold within the capacity{due}; the fewest to drop for a plan "
            f"to exist: {_names(dropped)}."]
