"""The best plan as a mixed-integer programme (docs/capacity.md, "The best plan").

Columns: f[i] (funded, binary), x[i, q] (person-weeks of i in quarter q, continuous), for
initiatives whose timing matters u[i, q] ("started by q") and v[i, q] ("finished by q")
(binary, non-decreasing in q), and o[s, g] (what guarded category g uses of slot s's shared
part beyond its reserve). Rows are kept as triplets and handed to HiGHS in one CSR matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from cutline.models.optimise.problem import EPS, Problem

INF = float("inf")


@dataclass(eq=False)
class Layout:
    """Which column holds what; -1 where a variable does not exist."""

    f: np.ndarray                 # (n,)
    x: np.ndarray                 # (n, Q)
    u: np.ndarray                 # (n, Q)
    v: np.ndarray                 # (n, Q)
    ub: np.ndarray                # (n, Q) the most i may take in q (0: not there)
    candidate: np.ndarray         # (n,) bool: could be funded at all
    timed: np.ndarray             # (n,) bool: has u and v
    columns: int = 0
    overflow: list = field(default_factory=list)  # (column, slot, guard) of each o[s, g]
    #: Flexible rows (no timing, every quarter of their window open, the whole of a quarter
    #: open to one initiative) share per (team, guarded category, window) group one
    #: column per quarter, y[group, q]; `group` per row (-1: has its own x), `y` per group.
    group: np.ndarray | None = None
    y: np.ndarray | None = None
    group_keys: list = field(default_factory=list)
    integer: list = field(default_factory=list)
    col_lo: list = field(default_factory=list)
    col_hi: list = field(default_factory=list)


class Rows:
    """Constraint rows lo <= sum(coef * col) <= hi, gathered as triplets."""

    def __init__(self):
        self.lo, self.hi, self.start, self.cols, self.vals = [], [], [0], [], []

    def add(self, cols, vals, lo: float, hi: float) -> int:
        self.cols.extend(cols)
        self.vals.extend(vals)
        self.start.append(len(self.cols))
        self.lo.append(lo)
        self.hi.append(hi)
        return len(self.lo) - 1

    def __len__(self) -> int:
        return len(self.lo)


def candidates(p: Problem) -> np.ndarray:
    """Rows that could be funded at all: an effort estimate, not pinned out, some quarter of
    their team with room by their last quarter, no prerequisite cycle, and every prerequisite
    a candidate too (the walk refuses the others whatever the order)."""
    n, q = p.n, len(p.quarters)
    ok = np.isfinite(p.effort) & ~p.pinned_out & (p.last >= 0)
    if q:
        slot = p.team_slot[p.team]  # (n, Q)
        upto = np.arange(q)[None, :] <= p.last[:, None]
        room = (slot >= 0) & upto
        positive = np.where(slot >= 0, p.limit[np.maximum(slot, 0)], 0.0) > EPS
        ok &= np.where(p.effort > EPS, (room & positive).any(axis=1), room.any(axis=1))
    else:
        ok[:] = False
    # Kahn's order over the prerequisite graph: a row is settled once all its prerequisites
    # are; rows never settled sit on or behind a cycle.
    degree = np.diff(p.indptr).copy()
    dependants = [[] for _ in range(n)]
    for row in np.flatnonzero(degree).tolist():
        for pre in p.prerequisites(row).tolist():
            dependants[pre].append(row)
    ready = list(np.flatnonzero(degree == 0).tolist())
    settled = np.zeros(n, bool)
    while ready:
        row = ready.pop()
        settled[row] = True
        for d in dependants[row]:
            degree[d] -= 1
            if degree[d] == 0:
                ready.append(d)
            ok[d] &= ok[row]
    return ok & settled


def upper_bounds(p: Problem, candidate: np.ndarray) -> np.ndarray:
    """(n, Q): the most each candidate may take in each quarter of an empty plan (0 where
    it may take nothing: no slot, after its last quarter, or nothing open to its category)."""
    n, q = p.n, len(p.quarters)
    slot = p.team_slot[p.team] if q else np.zeros((n, 0), np.int64)
    s = np.maximum(slot, 0)
    room = p.shared[s]
    guard = p.guard[:, None].repeat(q, axis=1)
    if p.reserve.shape[1]:
        gi = np.maximum(guard, 0)
        guarded = np.minimum(p.reserve[s, gi] + p.shared[s], p.cap[s, gi])
        room = np.where(guard >= 0, guarded, room)
    ub = np.minimum(np.minimum(room, p.limit[s]), np.nan_to_num(p.effort, nan=0.0)[:, None])
    ub = np.where((slot >= 0) & (np.arange(q)[None, :] <= p.last[:, None]) & candidate[:, None], ub, 0.0)
    return np.maximum(ub, 0.0)


def build(p: Problem, *, timed: np.ndarray | None = None, span_binding: bool | None = None,
          cand: np.ndarray | None = None, window: tuple[np.ndarray, np.ndarray] | None = None
          ) -> tuple[Layout, Rows]:
    """The columns and rows of the best-plan programme (without its objective).

    `timed` (bool per row; None for all) says which dependents get the rows that make them
    start no earlier than their prerequisites finish; every dependent is funded only with its
    prerequisites. Leaving some out gives a relaxation (docs/capacity.md, "The best plan").
    `window` (first, last quarter per row) confines each initiative's work to those quarters:
    with every prerequisite's last before its dependents' first, the order in time holds in
    every answer (a restriction: its answers are plans, its bound is not the optimum's)."""
    n, q = p.n, len(p.quarters)
    cand = candidates(p) if cand is None else cand
    ub = upper_bounds(p, cand)
    win_lo = np.zeros(n, np.int64) if window is None else np.asarray(window[0], np.int64)
    win_hi = p.last.copy() if window is None else np.minimum(p.last, np.asarray(window[1], np.int64))
    if window is not None and q:
        k = np.arange(q)[None, :]
        ub = np.where((k >= win_lo[:, None]) & (k <= win_hi[:, None]), ub, 0.0)
    effort = np.nan_to_num(p.effort, nan=0.0)
    zero = effort <= EPS
    has_x = (ub > EPS) & ~zero[:, None]
    # Timing matters for a prerequisite, a dependent, and whenever the span limit can bind.
    pre_of_cand = np.zeros(n, bool)
    dependent = np.zeros(n, bool)
    owners = np.repeat(np.arange(n), np.diff(p.indptr))
    linked = cand[owners]
    with_time = linked & (True if timed is None else np.asarray(timed, bool)[owners])
    pre_of_cand[p.indices[with_time]] = True
    dependent[owners[with_time]] = True
    if span_binding is None:
        first = np.where(has_x.any(axis=1), has_x.argmax(axis=1), 0)
        lastq = np.where(has_x.any(axis=1), q - 1 - has_x[:, ::-1].argmax(axis=1), 0)
        span_binding = lastq - first + 1 > p.span
    # v ("finished by q") for a prerequisite; u ("started by q") only where a start must be
    # chosen apart from the work: the span limit, or no effort. A dependent with effort has
    # no u: its work in q is allowed only once every prerequisite has finished by q.
    has_v = cand & (pre_of_cand | span_binding)
    has_u = cand & (span_binding | (zero & (dependent | has_v)))
    lay = Layout(np.full(n, -1), np.full((n, q), -1), np.full((n, q), -1), np.full((n, q), -1), ub, cand,
                 has_u | has_v)
    # Flexible rows need no column per quarter: with a share limit of the whole quarter, any
    # per-quarter total of a group splits into its initiatives (filled in turn, models/optimise/
    # plans.py), so the group's totals are exact.
    whole_quarter = bool((p.limit >= p.slot_cap - 1e-12).all())
    by_quarter = np.zeros(n, bool)
    for floor in p.floors:
        if floor.quarter is not None:
            by_quarter[floor.rows] = True
    flexible = cand & ~zero & ~lay.timed & ~dependent & ~span_binding & ~by_quarter & has_x.any(axis=1) & whole_quarter
    has_x &= ~flexible[:, None]

    def new(count: int, lo: float, hi: float, integer: bool) -> np.ndarray:
        cols = np.arange(lay.columns, lay.columns + count)
        lay.columns += count
        lay.col_lo.extend([lo] * count)
        lay.col_hi.extend([hi] * count)
        lay.integer.extend([1 if integer else 0] * count)
        return cols

    rows_c = np.flatnonzero(cand)
    lay.f[rows_c] = new(len(rows_c), 0.0, 1.0, True)
    for i in np.flatnonzero(p.pinned_in & cand).tolist():
        lay.col_lo[lay.f[i]] = 1.0
    xi, xq = np.nonzero(has_x & cand[:, None])
    lay.x[xi, xq] = new(len(xi), 0.0, 0.0, False)
    for c, hi in zip(lay.x[xi, xq].tolist(), ub[xi, xq].tolist()):
        lay.col_hi[c] = hi
    if q:
        for flag, target in ((has_u, lay.u), (has_v, lay.v)):
            rows_t = np.flatnonzero(flag)
            if len(rows_t):
                target[rows_t] = new(len(rows_t) * q, 0.0, 1.0, True).reshape(len(rows_t), q)
    ti = np.flatnonzero(lay.timed)
    rows = Rows()
    _groups(p, lay, rows, flexible, new, effort, win_lo, win_hi)
    _effort_rows(p, lay, rows, effort)
    _timing_rows(p, lay, rows, ti, q)
    _precedence_rows(p, lay, rows, owners[linked], p.indices[linked], with_time[linked])
    _capacity_rows(p, lay, rows, new)
    _constraint_rows(p, lay, rows, effort)
    return lay, rows


def _groups(p: Problem, lay: Layout, rows: Rows, flexible: np.ndarray, new, effort, lo, hi) -> None:
    """The y columns of the flexible groups and their rows: sum_q y[g, q] = sum_i effort[i] f[i]."""
    n, q = p.n, len(p.quarters)
    lay.group = np.full(n, -1)
    members = np.flatnonzero(flexible)
    if not len(members):
        lay.y = np.zeros((0, q), np.int64)
        return
    keys = np.stack([p.team[members], p.guard[members], lo[members], hi[members]], axis=1)
    uniq, which = np.unique(keys, axis=0, return_inverse=True)
    which = np.asarray(which).reshape(-1)
    lay.group[members] = which
    lay.group_keys = [tuple(int(v) for v in k) for k in uniq]
    lay.y = np.full((len(uniq), q), -1)
    order = np.argsort(which, kind="stable")
    bounds = np.flatnonzero(np.diff(which[order])) + 1
    for g, rows_g in enumerate(np.split(members[order], bounds)):
        team, guard, first, last = lay.group_keys[g]
        room = _room(p, team, guard)
        open_q = [k for k in range(max(first, 0), min(last, q - 1) + 1) if room[k] > EPS]
        cols = new(len(open_q), 0.0, 0.0, False)
        for k, c in zip(open_q, cols.tolist()):
            lay.y[g, k] = c
            lay.col_hi[c] = float(room[k])
        rows_g = rows_g.tolist()
        rows.add(cols.tolist() + lay.f[rows_g].tolist(), [1.0] * len(cols) + [-effort[r] for r in rows_g], 0.0, 0.0)


def _room(p: Problem, team: int, guard: int) -> np.ndarray:
    """Per quarter, the most a category may take of a team's slot in an empty plan."""
    slot = p.team_slot[team]
    s = np.maximum(slot, 0)
    room = p.shared[s].copy()
    if guard >= 0:
        room = np.minimum(p.reserve[s, guard] + p.shared[s], p.cap[s, guard])
    return np.where(slot >= 0, np.minimum(room, p.limit[s]), 0.0)


def _effort_rows(p: Problem, lay: Layout, rows: Rows, effort: np.ndarray) -> None:
    """sum_q x[i, q] = effort[i] * f[i]; a candidate with effort but no quarter cannot be funded."""
    for i in np.flatnonzero(lay.candidate).tolist():
        e = effort[i]
        if e <= EPS or lay.group[i] >= 0:
            continue
        cols = [c for c in lay.x[i].tolist() if c >= 0]
        rows.add(cols + [lay.f[i]], [1.0] * len(cols) + [-e], 0.0, 0.0)


def _timing_rows(p: Problem, lay: Layout, rows: Rows, timed: np.ndarray, q: int) -> None:
    """u and v non-decreasing and ending at f, finished only once started, work only between
    start and finish, a start only in a quarter with a slot, the hard due quarter, the span.
    A missing u reads as f (started from the first quarter), a missing v as 0 until the last
    quarter (finished at the end)."""
    slot = p.team_slot[p.team] if q else None
    for i in timed.tolist():
        u, v, x, f = lay.u[i].tolist(), lay.v[i].tolist(), lay.x[i].tolist(), int(lay.f[i])
        has_u, has_v = u[0] >= 0, v[0] >= 0
        for seq, present in ((u, has_u), (v, has_v)):
            if not present:
                continue
            for k in range(q - 1):
                rows.add([seq[k], seq[k + 1]], [1.0, -1.0], -INF, 0.0)
            rows.add([seq[q - 1], f], [1.0, -1.0], 0.0, 0.0)
        last = int(p.last[i])
        for k in range(q):
            if has_u and has_v:
                rows.add([v[k], u[k]], [1.0, -1.0], -INF, 0.0)
            if x[k] >= 0 and (has_u or (has_v and k)):  # x <= ub * (u[k] - v[k-1])
                ub = float(lay.ub[i, k])
                cols, vals = [x[k], u[k] if has_u else f], [1.0, -ub]
                if k and has_v:
                    cols.append(v[k - 1])
                    vals.append(ub)
                rows.add(cols, vals, -INF, 0.0)
            if has_u and (slot[i, k] < 0 or k > last):  # no start here
                if k:
                    rows.add([u[k], u[k - 1]], [1.0, -1.0], -INF, 0.0)
                else:
                    lay.col_hi[u[0]] = 0.0
        if last < q - 1:
            for seq, present in ((u, has_u), (v, has_v)):
                if present:
                    rows.add([seq[last], f], [1.0, -1.0], 0.0, 0.0)
        if has_u and has_v and p.span < q:  # quarters from start to finish: sum u - sum v[:-1]
            rows.add(u + v[:-1], [1.0] * q + [-1.0] * (q - 1), -INF, float(p.span))


def _precedence_rows(p: Problem, lay: Layout, rows: Rows, dependents, prerequisites, timed) -> None:
    """A dependent only with its prerequisite (f[i] <= f[p]) and, when timed, starting no
    earlier than it finishes: u[i, q] <= v[p, q], or without u, x[i, q] <= ub * v[p, q]."""
    for i, pre, in_time in zip(dependents.tolist(), prerequisites.tolist(), timed.tolist()):
        if not lay.candidate[pre]:
            continue
        rows.add([int(lay.f[i]), int(lay.f[pre])], [1.0, -1.0], -INF, 0.0)
        if not in_time:
            continue
        vp = lay.v[pre].tolist()
        if lay.u[i, 0] >= 0:
            for ui, v in zip(lay.u[i].tolist(), vp):
                rows.add([ui, v], [1.0, -1.0], -INF, 0.0)
            continue
        for k, x in enumerate(lay.x[i].tolist()):
            if x >= 0:
                rows.add([x, vp[k]], [1.0, -float(lay.ub[i, k])], -INF, 0.0)


def _capacity_rows(p: Problem, lay: Layout, rows: Rows, new) -> None:
    """Per slot: each guarded category within its cap, and what spills past its reserve plus
    the unguarded work within the shared part (the walk's rules, docs/capacity.md)."""
    xi, xq = np.nonzero(lay.x >= 0)
    gi, gq = np.nonzero(lay.y >= 0)
    if not len(xi) and not len(gi):
        return
    keys = np.array(lay.group_keys, dtype=np.int64).reshape(-1, 4)
    slot = np.concatenate([p.team_slot[p.team[xi], xq], p.team_slot[keys[gi, 0], gq]]).astype(np.int64)
    guard = np.concatenate([p.guard[xi], keys[gi, 1]]).astype(np.int64)
    cols = np.concatenate([lay.x[xi, xq], lay.y[gi, gq]]).astype(np.int64)
    g_count = p.reserve.shape[1]
    key = slot * (g_count + 1) + guard + 1
    order = np.argsort(key, kind="stable")
    key, cols = key[order], cols[order]
    bounds = np.flatnonzero(np.diff(key)) + 1
    groups = np.split(cols, bounds)
    keys = key[np.concatenate([[0], bounds])] if len(key) else key
    shared: dict[int, tuple[list, list]] = {}
    for k, members in zip(keys.tolist(), groups):
        s, g = divmod(k, g_count + 1)
        g -= 1
        members = members.tolist()
        terms = shared.setdefault(s, ([], []))
        if g < 0:
            terms[0].extend(members)
            terms[1].extend([1.0] * len(members))
            continue
        cap = float(p.cap[s, g])
        if np.isfinite(cap):
            rows.add(members, [1.0] * len(members), -INF, cap)
        o = int(new(1, 0.0, INF, False)[0])
        lay.overflow.append((o, s, g))
        rows.add(members + [o], [1.0] * len(members) + [-1.0], -INF, float(p.reserve[s, g]))
        terms[0].append(o)
        terms[1].append(1.0)
    for s, (cs, vs) in shared.items():
        rows.add(cs, vs, -INF, float(p.shared[s]))


def _constraint_rows(p: Problem, lay: Layout, rows: Rows, effort: np.ndarray) -> None:
    """Bundles (all or none), alternatives (at most one), floors (at least N person-weeks)."""
    for _, members in p.bundles:
        if not lay.candidate[members].all():  # one cannot be funded: none of them is
            for c in lay.f[members].tolist():
                if c >= 0:
                    lay.col_hi[c] = 0.0
            continue
        fs = lay.f[members].tolist()
        for a, b in zip(fs, fs[1:]):
            rows.add([a, b], [1.0, -1.0], 0.0, 0.0)
    for _, members in p.alternatives:
        fs = [c for c in lay.f[members].tolist() if c >= 0]
        if len(fs) > 1:
            rows.add(fs, [1.0] * len(fs), -INF, 1.0)
    for floor in p.floors:
        members = floor.rows[lay.candidate[floor.rows]]
        if floor.quarter is None:
            cols, vals = lay.f[members].tolist(), effort[members].tolist()
        else:
            xs = lay.x[members, floor.quarter]
            cols, vals = xs[xs >= 0].tolist(), [1.0] * int((xs >= 0).sum())
        rows.add(cols, vals, floor.person_weeks, INF)
