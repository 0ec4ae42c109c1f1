"""Turning a chosen set of initiatives into quarters, and checking the order in time.

The programme solved first leaves out the rows that make a dependent start after its
prerequisites finish (a relaxation: its bound still holds). Its answer is a plan as it stands
when its own quarters keep that order; else the walk places exactly that set (pinned in, the
rest pinned out), once in rank order and once shallowest prerequisite first. Rows the walk
cannot place get the timing rows in the next solve (models/optimise/solve.py).
"""

from __future__ import annotations

import numpy as np

from models.optimise.plans import placement_of
from models.optimise.problem import EPS, Problem


def order_violations(p: Problem, placement) -> np.ndarray:
    """Funded dependents that start before a funded prerequisite finishes (bool per row)."""
    funded, start, finish, _ = placement
    owners = np.repeat(np.arange(p.n), np.diff(p.indptr))
    pres = p.indices
    both = funded[owners] & funded[pres]
    bad = both & (start[owners] < finish[pres])
    out = np.zeros(p.n, bool)
    out[owners[bad]] = True
    missing = funded[owners] & ~funded[pres]  # a dependent without its prerequisite
    out[owners[missing]] = True
    return out


def settle_zero_effort(p: Problem, placement):
    """Start each funded initiative without effort in the first quarter with a slot at or after
    its prerequisites finish (in prerequisite order), as the walk would."""
    funded, start, finish, pw = placement
    effort = np.nan_to_num(p.effort, nan=0.0)
    rows = np.flatnonzero(funded & (effort <= EPS))
    if not len(rows):
        return placement
    start, finish = start.copy(), finish.copy()
    q = len(p.quarters)
    for _ in range(len(rows)):  # enough passes for any chain among them
        moved = False
        for i in rows.tolist():
            pres = p.prerequisites(i)
            pres = pres[funded[pres]]
            lo = int(finish[pres].max()) if len(pres) else 0
            allowed = (p.team_slot[p.team[i]] >= 0) & (np.arange(q) >= lo) & (np.arange(q) <= p.last[i])
            at = int(allowed.argmax()) if allowed.any() else lo
            if at != start[i]:
                start[i] = finish[i] = at
                moved = True
        if not moved:
            break
    return funded, start, finish, pw


def depth(p: Problem) -> np.ndarray:
    """Prerequisite depth per row (0: none); rows on a cycle get the count of rows."""
    n = p.n
    out = np.zeros(n, np.int64)
    for _ in range(n):
        owners = np.repeat(np.arange(n), np.diff(p.indptr))
        new = np.zeros(n, np.int64)
        if len(owners):
            np.maximum.at(new, owners, out[p.indices] + 1)
        new = np.minimum(new, n)
        if (new == out).all():
            break
        out = new
    return out


def walk_schedules(allocator, p: Problem, ranking, funded: np.ndarray, depths: np.ndarray):
    """Placements of exactly `funded` by the walk: in rank order, then shallowest first."""
    q = len(p.quarters)
    ids = p.ids.tolist()
    pins = {ids[r]: bool(funded[r]) for r in range(p.n)}
    rank = ranking.rank
    out = []
    for order in (ranking.order, np.lexsort((rank, depths))):
        out.append(placement_of(allocator.run(np.asarray(order, dtype=np.int64), pins), q))
    return out


def ancestors(p: Problem, rows: np.ndarray) -> np.ndarray:
    """`rows` and everything they need, directly or down a chain (bool per row)."""
    seen = np.zeros(p.n, bool)
    stack = [int(r) for r in np.flatnonzero(rows)]
    seen[stack] = True
    while stack:
        r = stack.pop()
        for pre in p.prerequisites(r).tolist():
            if not seen[pre]:
                seen[pre] = True
                stack.append(pre)
    return seen
