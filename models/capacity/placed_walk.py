"""The walk around a scenario's placements: each placement that still holds is funded exactly
as written, its capacity taken before the walk starts, and the walk places the rest around it.

A placement holds when its initiative is in the portfolio and not pinned out, its person-weeks
add up to the initiative's effort, its quarters are consecutive quarters of the plan within the
span limit (and by a hard due quarter), its prerequisites are placed too and finish by its first
quarter, and it fits in what the placements before it (in rank order) left. One that does not
is ignored: that initiative is walked like any other. The walk itself (C and Python) is not
changed: placed initiatives reach it as pinned out, their capacity already taken from the slot
plan, and their dependents as may start no earlier than they finish.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cutline.models.capacity.placements import Placements
from cutline.models.capacity.walk import NO_REASON, PLACED, SlotPlan, WalkResult

#: Slack for a placement's person-weeks against its effort and the room left (solver rounding).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Fixed:
    """The placements that hold, by row: first and last quarter, person-weeks per quarter (k, Q),
    and the slot plan with their capacity taken."""

    rows: np.ndarray
    start: np.ndarray
    finish: np.ndarray
    pw: np.ndarray
    plan: SlotPlan


def fixed_placements(allocator, placements: Placements, pinned_out: set[int], order: np.ndarray,
                     earliest: np.ndarray | None) -> Fixed | None:
    """The placements that hold (module docstring), or None when none does. `order` is the rank
    order (rows, best first), `earliest` per row the first quarter each may start in, or None."""
    parsed = _parsed(allocator, placements)
    if parsed is None:
        return None
    rows, start, finish, pw = parsed
    if pinned_out:  # a pin out wins
        free = ~np.isin(rows, np.fromiter(pinned_out, dtype=np.int64, count=len(pinned_out)))
        rows, start, finish, pw = rows[free], start[free], finish[free], pw[free]
    ok = _holds_alone(allocator, rows, start, finish, pw, earliest)
    rows, start, finish, pw = rows[ok], start[ok], finish[ok], pw[ok]
    rank = np.empty(allocator._n, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(allocator._n)
    by_rank = np.argsort(rank[rows], kind="stable")
    rows, start, finish, pw = rows[by_rank], start[by_rank], finish[by_rank], pw[by_rank]
    keep = np.ones(len(rows), bool)
    while True:  # dropping one for capacity may drop its dependents, which frees capacity again
        keep &= _prerequisites_placed(allocator, rows, start, finish, keep)
        fits, plan = _take_capacity(allocator, rows, pw, keep)
        if (fits == keep).all():
            break
        keep = fits
    if not keep.any():
        return None
    return Fixed(rows[keep], start[keep], finish[keep], pw[keep], plan)


def _parsed(allocator, placements: Placements):
    """(rows, start, finish, pw (k, Q)) of the placements naming an initiative of the portfolio
    in consecutive quarters of the plan, or None; kept on the allocator for the same placements
    object (a scenario keeps its object across weight changes, so the walk after each reads it once)."""
    cached = allocator._placements_read
    if cached is not None and cached[0] is placements:
        return cached[1]
    q = len(allocator.quarters)
    index = {label: k for k, label in enumerate(allocator.quarters)}
    row_of_id = allocator.portfolio.row_of_id
    seen: set[int] = set()
    rows, starts, finishes, cells, amounts = [], [], [], [], []
    for placement in placements.items:
        row = row_of_id.get(placement.ident)
        if row is None or row in seen or not placement.quarters:
            continue  # unknown, placed twice (the first counts) or empty
        at = [index.get(label, -1) for label, _ in placement.quarters]
        if min(at) < 0 or at[-1] - at[0] != len(at) - 1 or sorted(set(at)) != at:
            continue  # a quarter the plan does not have, or not consecutive
        seen.add(row)
        cells.extend(len(rows) * q + k for k in at)
        amounts.extend(max(float(a), 0.0) for _, a in placement.quarters)
        rows.append(row)
        starts.append(at[0])
        finishes.append(at[-1])
    parsed = None
    if rows:
        pw = np.zeros(len(rows) * q)
        pw[np.asarray(cells, dtype=np.int64)] = amounts
        parsed = (np.asarray(rows, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                  np.asarray(finishes, dtype=np.int64), pw.reshape(len(rows), q))
    allocator._placements_read = (placements, parsed)
    return parsed


def _holds_alone(allocator, rows, start, finish, pw, earliest) -> np.ndarray:
    """Per placement, whether it holds on its own: effort, span, due quarter, earliest start."""
    effort = allocator._effort[rows]
    total = pw.sum(axis=1)
    ok = np.isfinite(effort) & (np.abs(total - np.nan_to_num(effort)) <= TOLERANCE * np.maximum(1.0, total))
    ok &= (finish - start + 1 <= allocator._span) & (finish <= allocator._last[rows])
    if earliest is not None:
        ok &= start >= np.asarray(earliest, dtype=np.int64)[rows]
    q = len(allocator.quarters)
    slots = allocator._team_slot.reshape(-1, q)[allocator._team[rows]] if q else np.zeros((len(rows), 0))
    ok &= ~((pw > 0) & (slots < 0)).any(axis=1)  # work only where the team has capacity
    ok &= slots[np.arange(len(rows)), np.minimum(start, q - 1)] >= 0  # and it starts where it has some
    return ok


def _prerequisites_placed(allocator, rows, start, finish, keep) -> np.ndarray:
    """Per placement, whether each of its prerequisites is a kept placement finishing by its start."""
    done = np.full(allocator._n, -1, dtype=np.int64)  # per row, the finish of a kept placement
    done[rows[keep]] = finish[keep]
    indptr, indices = allocator._indptr, allocator._indices
    count = indptr[rows + 1] - indptr[rows]
    owner = np.repeat(np.arange(len(rows)), count)
    edge = np.arange(int(count.sum())) + np.repeat(indptr[rows] - np.concatenate([[0], np.cumsum(count)[:-1]]), count)
    pre = indices[edge]
    late = (done[pre] < 0) | (done[pre] > start[owner])
    ok = np.ones(len(rows), bool)
    ok[owner[late]] = False
    return ok


def _take_capacity(allocator, rows, pw, keep) -> tuple[np.ndarray, SlotPlan]:
    """Take the kept placements' person-weeks as the walk takes its own (the room of a guarded
    category is its reserve left plus the shared capacity, within its cap and the share limit);
    returns which fit and the slot plan with theirs taken. When all of them fit together (each
    within the share limit, each category within its cap, the shared part covering the rest),
    they fit in any order; else they are taken in turn and those that do not fit are left out."""
    plan = allocator._plan
    q = len(allocator.quarters)
    k, j = np.nonzero(pw * keep[:, None] > 0)
    slot = allocator._team_slot[allocator._team[rows[k]] * q + j]
    guard = allocator._guard[rows[k]]
    amount = pw[k, j]
    g_count = plan.g_count
    reserve, cap = np.asarray(plan.reserve_amount), np.asarray(plan.cap_amount)
    used = np.zeros(len(reserve))
    guarded = guard >= 0
    np.add.at(used, slot[guarded] * g_count + guard[guarded], amount[guarded])
    plain = np.bincount(slot[~guarded], weights=amount[~guarded], minlength=len(plan.shared))
    spill = np.maximum(used - reserve, 0.0).reshape(len(plan.shared), g_count).sum(axis=1) if g_count else 0.0
    shared = np.asarray(plan.shared, dtype=np.float64) - plain - spill
    together = ((amount <= np.asarray(plan.limit)[slot] + TOLERANCE).all() and (used <= cap + TOLERANCE).all()
                and (shared >= -TOLERANCE).all())
    fits = keep.copy()
    if not together:
        fits, shared, used = _in_turn(allocator, rows, pw, keep)
    # What is left, as the walk's starting state: the reserves less what the placements used of
    # them, the caps less all they used (docs/capacity.md).
    taken = replace(plan, shared=shared, reserve_amount=np.maximum(reserve - used, 0.0), cap_amount=cap - used)
    return fits, taken


def _in_turn(allocator, rows, pw, keep) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The placements taken one after another, in rank order, each only where it fits:
    (which fit, the shared part left per slot, what each guarded category used per slot)."""
    plan = allocator._plan
    shared = np.array(plan.shared, dtype=np.float64)
    used = np.zeros(len(plan.reserve_amount))
    reserve, cap, limit, g_count = plan.reserve_amount, plan.cap_amount, plan.limit, plan.g_count
    q = len(allocator.quarters)
    fits = keep.copy()
    for k in np.flatnonzero(keep).tolist():
        row = int(rows[k])
        team, g = int(allocator._team[row]), int(allocator._guard[row])
        work = [(int(allocator._team_slot[team * q + j]), float(pw[k, j])) for j in np.flatnonzero(pw[k] > 0)]
        room = []
        for s, _ in work:
            if g < 0:
                free = shared[s]
            else:
                j = s * g_count + g
                free = min(max(reserve[j] - used[j], 0.0) + shared[s], cap[j] - used[j])
            room.append(min(free, limit[s]))
        if any(amount > free + TOLERANCE for (_, amount), free in zip(work, room)):
            fits[k] = False
            continue
        for s, amount in work:
            if g < 0:
                shared[s] -= amount
                continue
            j = s * g_count + g
            before, after = used[j], used[j] + amount
            shared[s] -= max(after - reserve[j], 0.0) - max(before - reserve[j], 0.0)
            used[j] = after
    return fits, shared, used


def walk_inputs(fixed: Fixed, position: np.ndarray, ptr, ind, first, out, earliest):
    """The walk's inputs (by rank position) with the placements taken out: they are pinned out,
    their dependents lose the edge to them and may start no earlier than they finish."""
    n = len(position)
    at = position[fixed.rows]
    placed = np.zeros(n, bool)
    placed[at] = True
    finish = np.full(n, -1, dtype=np.int64)
    finish[at] = fixed.finish
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    drop = placed[ind]
    if drop.any():
        earliest = np.zeros(n, dtype=np.int64) if earliest is None or not len(earliest) else earliest.copy()
        np.maximum.at(earliest, owner[drop], finish[ind[drop]])
        ind = ind[~drop]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(owner[~drop], minlength=n))]).astype(np.int64)
    first = np.asarray([f for f in np.asarray(first).tolist() if not placed[f]], dtype=np.int64)
    out = np.concatenate([np.asarray(out, dtype=np.int64), at]).astype(np.int64)
    return ptr, ind, first, out, earliest


def merge(result: WalkResult, fixed: Fixed, position: np.ndarray, span: int) -> None:
    """Write the placements into the walk's result, by rank position, as funded."""
    at = position[fixed.rows]
    result.status[at], result.reason[at] = PLACED, NO_REASON
    result.start[at], result.finish[at] = fixed.start, fixed.finish
    result.pulled[at] = result.waits_on[at] = result.lo[at] = -1
    result.have[at] = 0.0
    cells = (at[:, None] * span + np.arange(span)[None, :]).ravel()
    result.placed[cells] = 0.0
    length = fixed.finish - fixed.start + 1
    which = np.repeat(np.arange(len(at)), length)
    step = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
    result.placed[at[which] * span + step] = fixed.pw[which, fixed.start[which] + step]
