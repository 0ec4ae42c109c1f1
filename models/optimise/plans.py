"""Plans as arrays: from a walk's Allocation to solver values, from solver values to an
Allocation, and the sums (score per tier, person-weeks) that compare them."""

from __future__ import annotations

import numpy as np
from cutline.models.capacity.allocate import Allocator
from cutline.models.capacity.allocation import Allocation
from cutline.models.optimise.formulation import Layout
from cutline.models.optimise.problem import EPS, Problem


def placement_of(allocation: Allocation, q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(funded, start, finish, pw (n, Q)) of an allocation."""
    n = len(allocation.funded)
    pw = np.zeros((n, q))
    rows = np.repeat(np.arange(n), np.diff(allocation.span_ptr))
    np.add.at(pw, (rows, allocation.span_quarter), allocation.span_pw)
    return allocation.funded.copy(), allocation.quarter.copy(), allocation.finish.copy(), pw


def values_of(p: Problem, lay: Layout, funded, start, finish, pw) -> np.ndarray | None:
    """The solver's column values for a placement, or None when it funds a row the programme
    cannot fund (pinned out, no estimate, ...)."""
    if (funded & ~lay.candidate).any():
        return None
    q = len(p.quarters)
    values = np.zeros(lay.columns)
    rows = np.flatnonzero(lay.candidate)
    values[lay.f[rows]] = funded[rows]
    has = lay.x >= 0
    flexible = lay.group >= 0
    if ((pw > EPS) & ~has & ~flexible[:, None]).any():
        return None
    values[lay.x[has]] = pw[has]
    if flexible.any():
        totals = np.zeros(lay.y.shape)
        np.add.at(totals, lay.group[flexible], pw[flexible])
        if (totals[lay.y < 0] > EPS).any():
            return None
        values[lay.y[lay.y >= 0]] = totals[lay.y >= 0]
    k = np.arange(q)[None, :]
    for target, when in ((lay.u, start), (lay.v, finish)):
        rows = np.flatnonzero(target[:, 0] >= 0) if q else np.zeros(0, np.int64)
        values[target[rows]] = (funded[rows, None] & (k >= when[rows, None])).astype(float)
    if lay.overflow:
        used = {}
        xi, xq = np.nonzero(has)
        slot = p.team_slot[p.team[xi], xq]
        for s, g, amount in zip(slot.tolist(), p.guard[xi].tolist(), pw[xi, xq].tolist()):
            used[(s, g)] = used.get((s, g), 0.0) + amount
        for col, s, g in lay.overflow:
            values[col] = max(0.0, used.get((s, g), 0.0) - float(p.reserve[s, g]))
    return values


def placement_from(p: Problem, lay: Layout, values: np.ndarray, priority: np.ndarray | None = None):
    """(funded, start, finish, pw) from the solver's values: start and finish are the first
    and last quarter with work (for no effort, the quarter it starts by). A flexible group's
    quarters are filled by its initiatives in turn, in `priority` order (rows, first first)."""
    n, q = p.n, len(p.quarters)
    funded = np.zeros(n, bool)
    rows = np.flatnonzero(lay.candidate)
    funded[rows] = values[lay.f[rows]] > 0.5
    pw = np.zeros((n, q))
    has = lay.x >= 0
    pw[has] = np.maximum(values[lay.x[has]], 0.0)
    pw[~funded] = 0.0
    _fill_groups(p, lay, values, funded, pw, np.arange(n) if priority is None else priority)
    pw[pw <= EPS] = 0.0
    work = pw > 0
    start = np.where(work.any(axis=1), work.argmax(axis=1), -1)
    finish = np.where(work.any(axis=1), q - 1 - work[:, ::-1].argmax(axis=1), -1)
    for i in np.flatnonzero(funded & ~work.any(axis=1)).tolist():  # no effort: where it starts
        if lay.u[i, 0] >= 0:
            start[i] = int((values[lay.u[i]] > 0.5).argmax())
        else:
            allowed = (p.team_slot[p.team[i]] >= 0) & (np.arange(q) <= p.last[i])
            start[i] = int(allowed.argmax())
        finish[i] = start[i]
    start[~funded] = finish[~funded] = -1
    return funded, start, finish, pw


def _fill_groups(p: Problem, lay: Layout, values, funded, pw, priority) -> None:
    """Each flexible group's per-quarter totals split into its funded initiatives, one after
    another (each takes what is left of the current quarter, then moves on), so each runs
    over consecutive quarters and none takes more of a quarter than the group has there."""
    if lay.y is None or not len(lay.y):
        return
    q = len(p.quarters)
    effort = np.nan_to_num(p.effort, nan=0.0)
    left = np.where(lay.y >= 0, np.maximum(values[np.maximum(lay.y, 0)], 0.0), 0.0)
    members = [r for r in np.asarray(priority).tolist() if lay.group[r] >= 0 and funded[r]]
    at = np.zeros(len(left), np.int64)
    for r in members:
        g = lay.group[r]
        need = effort[r]
        k = at[g]
        while need > EPS and k < q:
            take = min(need, left[g, k])
            if take > EPS:
                pw[r, k] += take
                left[g, k] -= take
                need -= take
            if left[g, k] <= EPS:
                k += 1
        if need > EPS:  # rounding in the solver's totals: the last quarter used takes it
            last = int(np.flatnonzero(pw[r] > 0)[-1]) if (pw[r] > 0).any() else int(max(k - 1, 0))
            pw[r, last] += need
        at[g] = k


def allocation_from(allocator: Allocator, p: Problem, funded, start, finish, pw, ranking,
                    reasons: np.ndarray | None = None) -> Allocation:
    """An Allocation for a placement, with the walk's tables (utilisation per team-quarter and
    per category) built by the allocator that defines them."""
    n = p.n
    length = np.where(funded, finish - start + 1, 0)
    span_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(length, out=span_ptr[1:])
    step = np.arange(span_ptr[-1], dtype=np.int64) - np.repeat(span_ptr[:-1], length)
    span_quarter = np.repeat(start, length) + step
    entry_row = np.repeat(np.arange(n, dtype=np.int64), length)
    span_pw = pw[entry_row, span_quarter] if len(entry_row) else np.zeros(0)
    entry_slot = p.team_slot[p.team[entry_row], span_quarter] if len(entry_row) else np.zeros(0, np.int64)
    order = ranking.order
    unfunded = order[~funded[order]]
    if reasons is None:
        reasons = np.where(funded, "", "not in the best plan").astype(object)
    return Allocation(
        quarters=p.quarters, funded=funded, quarter=np.where(funded, start, -1).astype(np.int64),
        reason=reasons, pulled_in_by=np.full(n, -1, dtype=np.int64),
        cut_line=int(ranking.rank[unfunded[0]]) if len(unfunded) else None,
        utilisation=allocator._utilisation(entry_slot, span_pw),
        used_by_category=allocator._used_by_category(entry_slot, entry_row, span_pw),
        finish=np.where(funded, finish, -1).astype(np.int64), span_ptr=span_ptr,
        span_quarter=span_quarter.astype(np.int64), span_pw=np.asarray(span_pw, dtype=float),
        due=p.due, due_quarter=allocator.due_quarter, late=funded & (finish > p.due),
    )


def tier_sums(p: Problem, funded: np.ndarray, tiers: list[int]) -> tuple[float, ...]:
    """Total score of the funded rows in each tier, in the order given."""
    return tuple(float(p.score[funded & (p.tier == t)].sum()) for t in tiers)


def better_or_equal(a: tuple[float, ...], b: tuple[float, ...], tol: float = 1e-6) -> bool:
    """Whether score sums `a` are lexicographically at least `b` (within a small tolerance)."""
    for x, y in zip(a, b):
        scale = tol * max(1.0, abs(x), abs(y))
        if x > y + scale:
            return True
        if x < y - scale:
            return False
    return True
