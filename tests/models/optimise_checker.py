"""An independent check of a plan against every rule (docs/capacity.md), written from the
docs and the raw inputs, not from models/optimise's formulation: capacity per team-quarter
(own row, else the pool), guardrails, the share limit, spans, prerequisites (funded with them,
starting no earlier than they finish, never on a cycle), pins, hard due quarters, bundles,
alternatives and floors. Returns the broken rules in words; empty for a valid plan."""

from __future__ import annotations

import numpy as np
from cutline.models.capacity.planning import due_quarters

TOL = 1e-6


def _key(text) -> str:
    text = "" if text is None else str(text).strip()
    return "*" if text in ("", "*") else text.casefold()


def violations(portfolio, scenario, allocation) -> list[str]:
    out: list[str] = []
    cap = scenario.capacity
    quarters = list(cap.quarters)
    qi = {q: k for k, q in enumerate(quarters)}
    table: dict[tuple[str, int], float] = {}
    for team, quarter, c in cap.table[["team", "quarter", "capacity"]].itertuples(index=False):
        key = (_key(team), qi[quarter])
        table[key] = table.get(key, 0.0) + float(c)
    ids = [str(i) for i in portfolio.ids.tolist()]
    row_of = {i: r for r, i in enumerate(ids)}
    teams = [_key(t) for t in portfolio.text("team").tolist()]
    cats = [str(c).strip().casefold() for c in portfolio.text("category").tolist()]
    effort = portfolio.numeric("effort")
    planning = scenario.planning
    funded = np.asarray(allocation.funded, bool)
    due, _ = due_quarters(portfolio.text("quarter"), tuple(quarters))
    guards = {g.category.strip().casefold(): g for g in cap.guardrails if g.reserve > 0 or g.cap is not None}
    use: dict[tuple[str, int], dict[str, float]] = {}
    start, finish = {}, {}
    for r in np.flatnonzero(funded).tolist():
        name = ids[r]
        e = effort[r]
        if not np.isfinite(e) or e < 0:
            out.append(f"{name} is funded without an effort estimate")
            continue
        spans = allocation.quarters_of(r)
        ks = [qi[q] for q, _ in spans]
        if not ks:
            out.append(f"{name} is funded with no quarter")
            continue
        if ks != list(range(ks[0], ks[0] + len(ks))):
            out.append(f"{name} runs over quarters that are not consecutive")
        if len(ks) > planning.max_span_quarters:
            out.append(f"{name} spans {len(ks)} quarters")
        worked = [k for (q, pw), k in zip(spans, ks) if pw > TOL]
        start[r] = worked[0] if worked else ks[0]
        finish[r] = worked[-1] if worked else ks[0]
        if abs(sum(pw for _, pw in spans) - e) > TOL * max(1.0, e):
            out.append(f"{name} has {sum(pw for _, pw in spans)} pw placed for an effort of {e}")
        if planning.hard_due_dates and due[r] != np.iinfo(np.int64).max and finish[r] > due[r]:
            out.append(f"{name} finishes after its hard due quarter")
        for (q, pw), k in zip(spans, ks):
            slot = (teams[r], k) if (teams[r], k) in table and teams[r] != "*" else ("*", k)
            if slot not in table:
                if pw > TOL or e <= TOL:
                    out.append(f"{name} works in {q} where its team has no row and there is no pool")
                continue
            if pw > planning.max_share_per_quarter * table[slot] + TOL:
                out.append(f"{name} takes {pw} of {slot}, above the share limit")
            bucket = cats[r] if cats[r] in guards else ""
            use.setdefault(slot, {}).setdefault(bucket, 0.0)
            use[slot][bucket] += pw
    for slot, by in use.items():
        c = table[slot]
        shared = c * (1 - sum(g.reserve for g in guards.values()))
        spill = by.get("", 0.0)
        for cat, g in guards.items():
            u = by.get(cat, 0.0)
            if g.cap is not None and u > g.cap * c + TOL:
                out.append(f"{cat} uses {u} of {slot}, above its cap")
            spill += max(0.0, u - g.reserve * c)
        if spill > shared + TOL * max(1.0, c):
            out.append(f"{slot} is over capacity: {spill} of the shared {shared}")
    prereqs = {}
    for r, text in enumerate(portfolio.text("depends_on").tolist()):
        names = [t.strip() for t in str(text or "").replace(";", ",").split(",") if t.strip()]
        prereqs[r] = [row_of[n] for n in names if n in row_of and row_of[n] != r]
    for r in start:
        for p in prereqs[r]:
            if not funded[p]:
                out.append(f"{ids[r]} is funded without its prerequisite {ids[p]}")
            elif p in finish and start[r] < finish[p]:
                out.append(f"{ids[r]} starts before its prerequisite {ids[p]} finishes")
    if _on_cycle(prereqs, [r for r in start]):
        out.append("a funded initiative is on a cycle of prerequisites")
    for ident, pin in scenario.overrides.pins:
        if ident in row_of and bool(funded[row_of[ident]]) != pin:
            out.append(f"{ident} is pinned {'in' if pin else 'out'} but {'not ' if pin else ''}funded")
    constraints = scenario.constraints
    for b in constraints.bundles:
        got = {bool(funded[row_of[i]]) for i in b.ids}
        if len(got) > 1:
            out.append(f"bundle {b.name} is funded in part")
    for a in constraints.alternatives:
        if sum(bool(funded[row_of[i]]) for i in a.ids) > 1:
            out.append(f"alternatives {a.name} fund more than one")
    for f in constraints.floors:
        total = 0.0
        for r in start:
            if cats[r] == f.category.strip().casefold():
                total += sum(pw for q, pw in allocation.quarters_of(r) if f.quarter is None or q == f.quarter)
        if total + TOL < f.person_weeks:
            out.append(f"floor {f.category} gets {total} of {f.person_weeks}")
    return out


def _on_cycle(prereqs: dict, rows: list[int]) -> bool:
    """Whether any of `rows` can reach itself through prerequisites."""
    for r in rows:
        seen, stack = set(), list(prereqs[r])
        while stack:
            p = stack.pop()
            if p == r:
                return True
            if p not in seen:
                seen.add(p)
                stack.extend(prereqs[p])
    return False
