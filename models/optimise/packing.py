"""Quarters for a chosen set of initiatives by list scheduling (docs/capacity.md, "How it is
solved"): the relaxation's answers pick a set without the order in time; this places exactly
that set where it can, prerequisites first (the longest chains of dependents first, then the
most constrained), each as early as its prerequisites allow, within every slot's capacity,
reserves, caps and share limit, its span and its last quarter. What cannot be placed is
dropped (with what needs it), the rows that failed go first in the next round, and the room
left is filled with more initiatives, most score per person-week first.

Every placement made here is checked against the capacity rules (`capacity_ok`) before use.
"""

from __future__ import annotations

import heapq

import numpy as np
from cutline.models.optimise.problem import EPS, Problem


class Packer:
    """The figures of the problem as Python lists (the loops below are per initiative)."""

    def __init__(self, p: Problem):
        self.p = p
        n, q = p.n, len(p.quarters)
        self.n, self.q = n, q
        self.slot = (p.team_slot[p.team] if q else np.zeros((n, 0), np.int64)).tolist()
        self.shared = p.shared.tolist()
        self.reserve = p.reserve.tolist()
        self.cap = p.cap.tolist()
        self.limit = p.limit.tolist()
        self.g = p.reserve.shape[1]
        self.effort = np.nan_to_num(p.effort, nan=0.0).tolist()
        self.guard = p.guard.tolist()
        self.last = np.minimum(p.last, q - 1).tolist()
        self.span = int(p.span)
        ptr, idx = p.indptr.tolist(), p.indices.tolist()
        self.pres = [idx[ptr[r]:ptr[r + 1]] for r in range(n)]
        self.deps = [[] for _ in range(n)]
        for r in range(n):
            for pre in self.pres[r]:
                self.deps[pre].append(r)

    def inherited(self, key: np.ndarray, heights: np.ndarray) -> np.ndarray:
        """`key` with each prerequisite taking the smallest key of what needs it (a
        prerequisite is wanted as early as its most wanted dependent)."""
        out = key.astype(float).tolist()
        for r in np.argsort(heights, kind="stable").tolist():  # dependents before prerequisites
            kr = out[r]
            for pre in self.pres[r]:
                if kr < out[pre]:
                    out[pre] = kr
        return np.asarray(out)

    # -- one schedule -------------------------------------------------------------------
    def run(self, chosen: np.ndarray, key: np.ndarray, fixed=None):
        """Place the rows of `chosen` (bool per row) in `key` order (smaller first) among those
        whose prerequisites are placed; `fixed` (funded, start, finish, pw) rows keep their
        quarters. Returns (funded, start, finish, pw) and the rows that failed."""
        n, q = self.n, self.q
        state = _State(self)
        funded = np.zeros(n, bool)
        start, finish = np.full(n, -1, np.int64), np.full(n, -1, np.int64)
        pw = np.zeros((n, q))
        placed = [False] * n
        fin = [-1] * n
        if fixed is not None:
            f_funded, f_start, f_finish, f_pw = fixed
            for r in np.flatnonzero(f_funded).tolist():
                for k in range(q):
                    amount = float(f_pw[r, k])
                    if amount > 0:
                        s = self.slot[r][k]
                        if s < 0:
                            return None, []
                        state.take(s, self.guard[r], amount)
                pw[r] = f_pw[r]
                funded[r], start[r], finish[r] = True, f_start[r], f_finish[r]
                placed[r], fin[r] = True, int(f_finish[r])
        want = chosen.tolist()
        keyl = key.tolist()
        waiting = [0] * n
        heap = []
        failed = []
        dead = [False] * n
        for r in np.flatnonzero(chosen).tolist():
            if placed[r]:
                continue
            for pre in self.pres[r]:
                if not want[pre] and not placed[pre]:
                    dead[r] = True
                elif not placed[pre]:
                    waiting[r] += 1
            if not dead[r] and not waiting[r]:
                heapq.heappush(heap, (keyl[r], -max((fin[pre] for pre in self.pres[r]), default=0), r))
        while heap:
            _, _, r = heapq.heappop(heap)
            release = max((fin[pre] for pre in self.pres[r]), default=0)
            got = self.place(state, r, max(release, 0), pw)
            if got is None:
                failed.append(r)
                continue
            placed[r], fin[r] = True, got[1]
            funded[r], start[r], finish[r] = True, got[0], got[1]
            for d in self.deps[r]:
                if want[d] and not placed[d] and not dead[d]:
                    waiting[d] -= 1
                    if waiting[d] == 0:  # the latest release first among equals: it has the least room
                        heapq.heappush(heap, (keyl[d], -max(fin[pre] for pre in self.pres[d]), d))
        self.state = state
        return (funded, start, finish, pw), failed

    def place(self, state, r: int, release: int, pw: np.ndarray):
        """Put row r in the first quarters from `release` where it fits; (start, finish) or None."""
        e, g, last, slot = self.effort[r], self.guard[r], self.last[r], self.slot[r]
        if e <= EPS:
            for k in range(release, last + 1):
                if slot[k] >= 0:
                    return k, k
            return None
        for k0 in range(release, last + 1):
            s0 = slot[k0]
            if s0 < 0 or min(state.room(s0, g), self.limit[s0]) <= EPS:
                continue
            need, takes = e, []
            end = min(k0 + self.span, last + 1)
            for k in range(k0, end):
                s = slot[k]
                if s < 0:
                    break
                t = min(need, state.room(s, g), self.limit[s])
                if t > EPS:
                    takes.append((k, s, t))
                    need -= t
                    if need <= EPS:
                        break
            if need <= 1e-9:
                if need > 0:  # rounding: the last take gets the rest
                    k, s, t = takes[-1]
                    takes[-1] = (k, s, t + need)
                for k, s, t in takes:
                    state.take(s, g, t)
                    pw[r, k] = t
                return takes[0][0], takes[-1][0]
            if end > last:  # a later start only has fewer quarters
                return None
        return None

    def fill(self, placement, rows: np.ndarray, allowed: np.ndarray):
        """Add the rows (in the order given) that fit in the room left by the last `run`,
        when every prerequisite is funded; `allowed` bool per row (candidates not refused)."""
        funded, start, finish, pw = placement
        state = self.state
        for _ in range(2):
            added = False
            for r in rows.tolist():
                if funded[r] or not allowed[r]:
                    continue
                pres = self.pres[r]
                if any(not funded[pre] for pre in pres):
                    continue
                release = max((int(finish[pre]) for pre in pres), default=0)
                got = self.place(state, r, max(release, 0), pw)
                if got is not None:
                    funded[r], start[r], finish[r] = True, got[0], got[1]
                    added = True
            if not added:
                break
        return funded, start, finish, pw


_DEBUG = __import__("os").environ.get("CUTLINE_OPTIMISE_DEBUG") == "1"
_STATS = [0, 0, 0]


class _State:
    """Per slot: what each guarded category uses, and what spills onto the shared part."""

    def __init__(self, packer: Packer):
        slots = len(packer.shared)
        self.k = packer
        self.used = [[0.0] * packer.g for _ in range(slots)]
        self.spill = [0.0] * slots  # unguarded work plus guarded work beyond its reserve

    def room(self, s: int, g: int) -> float:
        k = self.k
        free = k.shared[s] - self.spill[s]
        if g < 0:
            return max(free, 0.0)
        used = self.used[s][g]
        return max(min(k.cap[s][g] - used, max(k.reserve[s][g] - used, 0.0) + free), 0.0)

    def take(self, s: int, g: int, amount: float) -> None:
        if g < 0:
            self.spill[s] += amount
            return
        r = self.k.reserve[s][g]
        before = max(self.used[s][g] - r, 0.0)
        self.used[s][g] += amount
        self.spill[s] += max(self.used[s][g] - r, 0.0) - before


def state_of(packer: Packer, placement) -> _State:
    """The slots' use by a placement."""
    funded, _, _, pw = placement
    state = _State(packer)
    for r in np.flatnonzero(funded).tolist():
        for k in np.flatnonzero(pw[r] > 0).tolist():
            state.take(packer.slot[r][k], packer.guard[r], float(pw[r, k]))
    return state


def capacity_ok(p: Problem, placement, tol: float = 1e-6) -> bool:
    """Whether a placement keeps every slot's capacity, reserves, caps and share limit, each
    initiative's effort, span (consecutive quarters) and last quarter."""
    funded, start, finish, pw = placement
    q = len(p.quarters)
    if not q:
        return not funded.any()
    slot = p.team_slot[p.team]
    effort = np.nan_to_num(p.effort, nan=0.0)
    rows = np.flatnonzero(funded)
    if not np.allclose(pw[rows].sum(axis=1), effort[rows], atol=tol, rtol=tol):
        return False
    if (pw[~funded] > tol).any() or (funded & (finish > p.last)).any():
        return False
    k = np.arange(q)[None, :]
    inside = (k >= start[:, None]) & (k <= finish[:, None])
    if (pw[rows] > tol)[~inside[rows]].any() or (funded & ((start < 0) | (finish - start + 1 > p.span))).any():
        return False
    if ((slot < 0) & inside & funded[:, None]).any():
        return False
    s = np.maximum(slot, 0)
    if (pw > p.limit[s] + tol).any():
        return False
    slots, g = p.reserve.shape
    used = np.zeros((slots, g + 1))
    np.add.at(used, (s.ravel(), (p.guard[:, None].repeat(q, axis=1) + 1).ravel()), pw.ravel())
    spill = used[:, 0] + np.maximum(used[:, 1:] - p.reserve, 0.0).sum(axis=1)
    scale = tol * np.maximum(1.0, p.slot_cap)
    return bool((used[:, 1:] <= p.cap + scale[:, None]).all() and (spill <= p.shared + scale).all())


def improve(packer: Packer, placement, value: np.ndarray, removable: np.ndarray, addable: np.ndarray,
            order: np.ndarray, deadline: float, clock, seed: int = 0):
    """Local search on a plan, each step keeping every rule: add an initiative with whatever
    it needs that is not funded yet (each as early as its prerequisites allow), where each does
    not fit giving up one or two funded initiatives of its team that nothing funded needs,
    as long as what is given up is worth less than what is added (`value` per row, the
    stage's score). `removable`, `addable`: bool per row; `order`: the rows tried for adding,
    first first. Returns the placement (a copy) and whether it changed."""
    p = packer.p
    funded, start, finish, pw = (a.copy() for a in placement)
    state = _State(packer)
    n, q = packer.n, packer.q
    slot, guard = packer.slot, packer.guard
    for r in np.flatnonzero(funded).tolist():
        for k in range(q):
            if pw[r, k] > 0:
                state.take(slot[r][k], guard[r], float(pw[r, k]))
    val = value.tolist()
    team = p.team.tolist()
    rem, add_ok = removable.tolist(), addable.tolist()
    need = [0] * n  # funded dependents per row
    for r in np.flatnonzero(funded).tolist():
        for pre in packer.pres[r]:
            need[pre] += 1
    by_team: dict[int, set] = {}
    for r in np.flatnonzero(funded & removable).tolist():
        by_team.setdefault(team[r], set()).add(r)

    log: list = [None]  # while a perturbation is tried: row -> its quarters before

    def note(r):
        if log[0] is not None and r not in log[0]:
            log[0][r] = pw[r].copy()

    def drop(r):
        note(r)
        saved = (pw[r].copy(), start[r], finish[r])
        for k in range(q):
            if pw[r, k] > 0:
                state.take(slot[r][k], guard[r], -float(pw[r, k]))
        pw[r] = 0.0
        funded[r] = False
        return saved

    def restore(r, saved):
        note(r)
        pw[r], start[r], finish[r] = saved
        funded[r] = True
        for k in range(q):
            if pw[r, k] > 0:
                state.take(slot[r][k], guard[r], float(pw[r, k]))

    def put(j) -> bool:
        pres = packer.pres[j]
        if any(not funded[pre] for pre in pres):  # never without its prerequisites
            return False
        note(j)
        release = max((int(finish[pre]) for pre in pres), default=0)
        got = packer.place(state, j, max(release, 0), pw)
        if got is None:
            return False
        funded[j], start[j], finish[j] = True, got[0], got[1]
        for pre in pres:
            need[pre] += 1
        if rem[j]:
            by_team.setdefault(team[j], set()).add(j)
        return True

    def forget(r):  # after drop(r): r is out for good
        by_team.get(team[r], set()).discard(r)
        for pre in packer.pres[r]:
            need[pre] -= 1

    def missing(j) -> list | None:
        """j and its prerequisites not funded yet, prerequisites first; None if one cannot be added."""
        out, seen, stack = [], {j}, [(j, False)]
        while stack:
            r, done = stack.pop()
            if done:
                out.append(r)
                continue
            if not add_ok[r]:
                return None
            stack.append((r, True))
            for pre in packer.pres[r]:
                if not funded[pre] and pre not in seen:
                    seen.add(pre)
                    stack.append((pre, False))
        return out

    def attempt(j) -> bool:
        group = missing(j)
        if group is None or len(group) > 8:
            return False
        members = set(group)
        budget = sum(val[m] for m in group)
        if budget <= 1e-9:
            return False
        placed, dropped, lost = [], [], 0.0
        for m in group:
            if put(m):
                placed.append(m)
                continue
            release = max((int(finish[pre]) for pre in packer.pres[m]), default=0)
            leaves = [r for r in by_team.get(team[m], ()) if need[r] == 0 and funded[r]
                      and r not in members and val[r] < budget - lost - 1e-9 and finish[r] >= release]
            # the least worth per person-week first, then the most work in the quarters open to m
            leaves.sort(key=lambda r: (val[r] / max(packer.effort[r], 0.1), -float(pw[r, release:].sum())))
            ok = False
            for r in leaves[:16]:
                if val[r] >= budget - lost - 1e-9:
                    continue
                saved = drop(r)
                dropped.append((r, saved))
                lost += val[r]
                if put(m):
                    ok = True
                    break
            if not ok:
                for r in reversed(placed):
                    drop(r)
                    forget(r)
                for r, saved in reversed(dropped):
                    restore(r, saved)
                return False
            placed.append(m)
        for r, _ in dropped:
            forget(r)
        return True

    changed, tries = False, 0
    rows = [r for r in order.tolist() if add_ok[r] and val[r] > 0]
    improved = True
    while improved and clock() < deadline:
        improved = False
        for j in rows:
            if funded[j]:
                continue
            tries += 1
            if tries % 32 == 0 and clock() >= deadline:
                break
            if attempt(j):
                improved = changed = True
    # Then perturb and repair: give up a few of one team's initiatives at random, add the
    # team's others in order, keep it when the stage's score does not fall.
    by_rows: dict[int, list] = {}
    for r in rows:
        by_rows.setdefault(team[r], []).append(r)
    teams = [t for t in by_rows if by_team.get(t)]
    rng = np.random.default_rng(seed)
    total = float(value[funded].sum())
    best_total = total
    idle = 0  # tries since the last gain: stop when many in a row found nothing
    while teams and clock() < deadline and idle < 50 * len(teams) + 200:
        idle += 1
        t = teams[int(rng.integers(len(teams)))]
        leaves = [r for r in by_team.get(t, ()) if funded[r] and need[r] == 0]
        if not leaves:
            continue
        saved_rows = log[0] = {}
        snapshot = (funded.copy(), start.copy(), finish.copy(), [u[:] for u in state.used], state.spill[:], need[:])
        given = rng.choice(leaves, size=min(len(leaves), int(rng.integers(1, 4))), replace=False).tolist()
        for r in given:
            drop(r)
            forget(r)
        before = total
        for j in by_rows[t]:
            if not funded[j]:
                attempt(j)
        for j in given:  # what was given up may fit again
            if not funded[j] and not any(not funded[pre] for pre in packer.pres[j]):
                put(j)
        log[0] = None
        total = float(value[funded].sum())
        if _DEBUG:
            _STATS[0] += 1
            _STATS[1] += total >= before - 1e-9
            _STATS[2] += total > before + 1e-9
        if total >= before - 1e-9:
            for r in saved_rows:
                if funded[r] and rem[r]:
                    by_team.setdefault(team[r], set()).add(r)
            if total > best_total + 1e-9:
                best_total = total
                changed = True
                idle = 0
            continue
        # undo: the rows touched get their old quarters back
        funded[:], start[:], finish[:] = snapshot[0], snapshot[1], snapshot[2]
        state.used, state.spill, need[:] = snapshot[3], snapshot[4], snapshot[5]
        for r, row in saved_rows.items():
            pw[r] = row
            if funded[r] and rem[r]:
                by_team.setdefault(team[r], set()).add(r)
        total = before
    start = np.where(funded, start, -1)
    finish = np.where(funded, finish, -1)
    return (funded, start, finish, pw), changed
