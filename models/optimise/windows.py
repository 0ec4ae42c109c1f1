"""The window search of the best plan (models/optimise/solve.py, docs/capacity.md "How it is
solved", step 4): each initiative confined to a window of quarters taken from the best plan so
far, so that every answer keeps the order in time and is a plan as it stands."""

from __future__ import annotations

import time

import numpy as np
from cutline.models.optimise.plans import better_or_equal, placement_from, values_of
from cutline.models.optimise.result import OPTIMAL
from cutline.models.optimise.schedule import settle_zero_effort

#: The share of a tier's time (after the linear relaxation) for the window search; the rest
#: goes to the relaxation's bound.
WINDOW_SHARE = 0.7
#: The share of the window search's time for the quick fix-and-solve of its relaxation.
FIX_SHARE = 0.4

_DEBUG = __import__("os").environ.get("CUTLINE_OPTIMISE_DEBUG") == "1"


class WindowSearch:
    """The window search, for the search in solve.py (its problem `p`, candidates, `keep`,
    depths, fill priority, cancel and progress)."""

    def _window_search(self, members, best, end: float, stage):
        """Improve `best` by solving the programme with each initiative confined to a window of
        quarters taken from the best plan (a prerequisite's last quarter is its finish there, a
        dependent's first the latest of those), so that every answer keeps the order in time;
        again from each better plan, until no better one is found or the time is up."""
        from cutline.models.optimise.highs_run import HighsModel

        p = self.p
        while time.perf_counter() < end - max(0.05, self.lp_seconds) and not self.stop():
            lay, rows = self.build(self._windows(best))
            for r in np.flatnonzero(self.keep).tolist():
                lay.col_lo[lay.f[r]] = 1.0
            cost = np.zeros(lay.columns)
            cost[lay.f[members]] = p.score[members]
            best = self._fix_and_solve(lay, rows, cost, members, best, end, stage)
            if self.stop():
                break
            start = values_of(p, lay, *best)
            result = HighsModel(lay, rows).solve(cost, seconds=max(end - time.perf_counter(), 0.05), start=start,
                                                 stage=stage, cancel=self.stop, progress=self.progress,
                                                 started=self.started)
            if _DEBUG:
                print(f"window {stage} {result.status} obj {result.objective:.2f} "
                      f"t {time.perf_counter() - self.started:.2f}")
            if result.values is None:
                break
            placed = settle_zero_effort(p, placement_from(p, lay, result.values, self.priority))
            if not self.valid(placed) or better_or_equal(self.sums(best), self.sums(placed)):
                break  # no better plan in these windows
            best, self.best_order = placed, None
            if result.status != OPTIMAL:
                break
        return best

    def _fix_and_solve(self, lay, rows, cost, members, best, end: float, stage):
        """A quick better plan in the windows: solve their linear relaxation, keep what it funds
        whole and leave out what it does not fund at all, and let HiGHS decide the few
        initiatives in between (a small programme, solved in a fraction of the time)."""
        from cutline.models.optimise.highs_run import HighsModel

        p = self.p
        remaining = max(end - time.perf_counter(), 0.0)
        # Enough for its relaxation and a short solve after it, when the relaxation is slow.
        seconds = min(remaining, max(FIX_SHARE * remaining, 2.5 * self.lp_seconds))
        if seconds < max(0.05, 1.5 * self.lp_seconds):  # its relaxation would not finish
            return best
        began = time.perf_counter()
        integer, lay.integer = lay.integer, [0] * len(lay.integer)
        try:
            relaxed = HighsModel(lay, rows).solve(cost, seconds=seconds, start=None, cancel=self.stop)
        finally:
            lay.integer = integer
        if relaxed.values is None or relaxed.status != OPTIMAL or self.stop():
            return best
        cand = np.flatnonzero(self.cand)
        share = relaxed.values[lay.f[cand]]
        lo, hi = list(lay.col_lo), list(lay.col_hi)
        for r, v in zip(cand.tolist(), share.tolist()):
            if v >= 1 - 1e-6:
                lay.col_lo[lay.f[r]] = 1.0
            elif v <= 1e-6:
                lay.col_hi[lay.f[r]] = 0.0
        try:
            left = max(seconds - (time.perf_counter() - began), 0.05)
            result = HighsModel(lay, rows).solve(cost, seconds=left, start=None, stage=stage, cancel=self.stop,
                                                 progress=self.progress, started=self.started)
            placed = (settle_zero_effort(p, placement_from(p, lay, result.values, self.priority))
                      if result.values is not None else None)
        finally:
            lay.col_lo, lay.col_hi = lo, hi
        if _DEBUG:
            print(f"fixed {stage} {result.status} obj {result.objective:.2f} "
                  f"t {time.perf_counter() - self.started:.2f}")
        if placed is not None and self.valid(placed) and not better_or_equal(self.sums(best), self.sums(placed)):
            return placed
        return best

    def _windows(self, best) -> tuple[np.ndarray, np.ndarray]:
        """(first, last) quarter per row for the window search: a funded prerequisite must
        finish where it finishes in `best`, an unfunded one by the middle of the plan (or when
        its own prerequisites allow); a dependent starts no earlier than its prerequisites'
        last quarters; the rest keep the whole plan up to their last quarter."""
        p, q = self.p, len(self.p.quarters)
        funded, _, finish, _ = best
        owners = np.repeat(np.arange(p.n), np.diff(p.indptr))
        is_pre = np.zeros(p.n, bool)
        is_pre[p.indices[self.cand[owners]]] = True
        last = np.minimum(p.last, q - 1)
        first = np.zeros(p.n, np.int64)
        deadline = last.copy()
        middle = max((q - 1) // 2, 0)
        for r in np.argsort(self.depths, kind="stable").tolist():
            pres = p.prerequisites(r)
            if len(pres):
                first[r] = int(deadline[pres].max())
            if is_pre[r]:
                deadline[r] = finish[r] if funded[r] else max(first[r], min(int(last[r]), middle))
        return first, deadline
