"""Turning a chosen set of initiatives into quarters, and checking the order in time.

The programme solved first leaves out the rows that make a dependent start after its
prerequisites finish (a relaxation: its bound still holds). Its answer is a plan as it stands
when its own quarters keep that order; else the walk places exactly that set (pinned in, the
rest pinned out, in rank order), or repairs it (the set first, then the rest). Rows the walk
cannot place get the timing rows in the next solve (models/optimise/solve.py).
"""

from __future__ import annotations

import numpy as np
from cutline.models.optimise.plans import placement_of
from cutline.models.optimise.problem import EPS, Problem


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


def without_violations(p: Problem, placement):
    """The placement without the dependents that start too early, and without everything that
    needs them: always a plan that keeps the order in time (it only frees capacity)."""
    funded, start, finish, pw = placement
    funded = funded.copy()
    while True:
        bad = order_violations(p, (funded, start, finish, pw)) & funded
        if not bad.any():
            break
        funded &= ~bad
    pw = np.where(funded[:, None], pw, 0.0)
    return funded, np.where(funded, start, -1), np.where(funded, finish, -1), pw


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


def height(p: Problem) -> np.ndarray:
    """Per row, the longest chain of dependents waiting on it (0: nothing needs it)."""
    n = p.n
    owners = np.repeat(np.arange(n), np.diff(p.indptr))
    out = np.zeros(n, np.int64)
    for _ in range(n):
        new = np.zeros(n, np.int64)
        if len(owners):
            np.maximum.at(new, p.indices, out[owners] + 1)
        new = np.minimum(new, n)
        if (new == out).all():
            break
        out = new
    return out


def walk_schedules(allocator, p: Problem, ranking, funded: np.ndarray, fill_order: np.ndarray,
                   scenario_pins: dict | None, heights: np.ndarray, keep: np.ndarray | None = None,
                   lead: np.ndarray | None = None):
    """Placements by the walk of exactly `funded` (it pinned in, the rest pinned out): in rank
    order, and with the longest chains of dependents first (their prerequisites then finish
    early); when neither places all of it, also a repair: the set first, then the rest in
    `fill_order`, with only the scenario's pins, so what does not fit leaves room for others.
    `keep` (a higher tier's funded set) goes first in both of the last two, in the order of
    `lead` (the order that placed it before) when given. Returns (placement, order) pairs."""
    q = len(p.quarters)
    ids = p.ids.tolist()
    pins = {ids[r]: bool(funded[r]) for r in range(p.n)}
    first = np.zeros(p.n, bool) if keep is None else keep
    chains = np.lexsort((ranking.rank, -heights, ~first))
    if lead is not None and first.any():
        chains = np.concatenate([lead[first[lead]], chains[~first[chains]]])
    out = []
    for order in (np.asarray(ranking.order, dtype=np.int64), chains):
        placed = placement_of(allocator.run(order, pins), q)
        out.append((placed, order[funded[order]]))
        if (placed[0] == funded).all():
            return out
    order = np.concatenate([chains[funded[chains]], fill_order[~funded[fill_order]]]).astype(np.int64)
    out.append((placement_of(allocator.run(order, scenario_pins or None), q), order))
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
