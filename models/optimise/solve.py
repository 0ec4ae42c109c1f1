"""`optimise(evaluation)`: the best plan beside the walk's, within a time limit.

Steps: read the problem as the walk does; say in words what cannot hold (pins, bundles,
alternatives, floors) before any solving; start from the better of two walks (the scenario's
rank order, and most score per person-week first) when they keep the new constraints; then
per tier (each tier's funded initiatives kept while the next is maximised), or for the total at
once, solve the programme with HiGHS, turn its answer into quarters (its own, or the walk's for
exactly that set, models/optimise/schedule.py), and where the order in time fails add the
timing rows for those initiatives and solve again. Never less than the walk's plan.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np

from cutline.models.capacity.allocate import Allocator
from cutline.models.optimise.differences import compare_plans
from cutline.models.optimise.formulation import build, candidates
from cutline.models.optimise.infeasible import broken_by, elastic_problems, obvious_problems
from cutline.models.optimise.packing import Packer, capacity_ok, improve
from cutline.models.optimise.packing import state_of as _state_of
from cutline.models.optimise.plans import (
    allocation_from,
    better_or_equal,
    placement_from,
    placement_of,
    tier_sums,
    values_of,
)
from cutline.models.optimise.problem import problem_of
from cutline.models.optimise.result import CANCELLED, INFEASIBLE, OPTIMAL, TIME_LIMIT, OptimisedPlan
from cutline.models.optimise.schedule import (
    ancestors,
    depth,
    height,
    order_violations,
    settle_zero_effort,
    walk_schedules,
    without_violations,
)
from cutline.models.optimise.windows import WINDOW_SHARE, WindowSearch


def optimise(evaluation, *, time_limit: float = 10.0, respect_tiers: bool = True, cancel=None,
             progress=None, allocator: Allocator | None = None) -> OptimisedPlan:
    """The plan that maximises total score under every rule the walk respects and the
    scenario's bundles, alternatives and floors (docs/capacity.md, "The best plan").

    `time_limit` in seconds for the whole search; `cancel` a threading.Event or a callable
    returning True to stop early (the best plan so far is returned, status "cancelled");
    `progress` is called with a `highs_run.Progress` now and then, on the solver's thread.
    """
    return _Search(evaluation, time_limit, respect_tiers, cancel, progress, allocator).run()


#: Up to this many prerequisite links, every dependent gets its timing rows at once.
FULL_TIMING_EDGES = 200
#: The share of the time limit for each local search (models/optimise/packing.py).
LOCAL_SHARE = 0.05


class _Search(WindowSearch):
    def __init__(self, evaluation, time_limit, respect_tiers, cancel, progress, allocator):
        self.started = time.perf_counter()
        self.evaluation, self.time_limit, self.respect_tiers = evaluation, float(time_limit), respect_tiers
        self.stop, self.progress = _as_callable(cancel), progress
        scenario = evaluation.scenario
        self.allocator = allocator or Allocator(evaluation.portfolio, scenario.capacity, planning=scenario.planning)
        self.p = problem_of(evaluation, self.allocator)
        self.tiers = sorted(set(self.p.tier.tolist())) if respect_tiers else []
        self.walk = placement_of(evaluation.allocation, len(self.p.quarters))
        self.notes: list[str] = []

    def build(self, window=None):
        """The programme for the current timed rows (and `window`), built once per shape: the
        columns' bounds are copies, so a stage may change them."""
        key = (self.timed.tobytes(), None if window is None else (window[0].tobytes(), window[1].tobytes()))
        cache = self.__dict__.setdefault("_built", {})
        if key not in cache:
            if len(cache) > 4:
                cache.clear()
            cache[key] = build(self.p, timed=self.timed, cand=self.cand, window=window)
        lay, rows = cache[key]
        return replace(lay, col_lo=list(lay.col_lo), col_hi=list(lay.col_hi), integer=list(lay.integer)), rows

    def left(self) -> float:
        return self.time_limit - (time.perf_counter() - self.started)

    def sums(self, placement) -> tuple[float, ...]:
        funded = placement[0]
        return tier_sums(self.p, funded, self.tiers) if self.tiers else (float(self.p.score[funded].sum()),)

    def valid(self, placement) -> bool:
        """Whether a placement keeps the order in time and the pins and new constraints (the
        walk's rules on capacity hold for every placement made here)."""
        return not order_violations(self.p, placement).any() and not broken_by(self.p, placement)

    def finish(self, status, placement, gap, problems=()) -> OptimisedPlan:
        p, walk, ev = self.p, self.walk, self.evaluation
        alloc = ev.allocation if placement is walk else allocation_from(self.allocator, p, *placement, ev.ranking)
        return OptimisedPlan(
            status=status, allocation=alloc, objective=float(p.score[placement[0]].sum()),
            walk_objective=float(p.score[walk[0]].sum()), gap=float(gap),
            seconds=time.perf_counter() - self.started,
            comparison=compare_plans(p, placement, walk, ev.ranking, tiers=self.respect_tiers), respect_tiers=self.respect_tiers,
            tier_objectives=self.sums(placement) if self.tiers else (),
            walk_tier_objectives=self.sums(walk) if self.tiers else (), problems=tuple(problems),
            notes=tuple(self.notes), scenario_name=ev.scenario.name, time_limit=self.time_limit)

    def run(self) -> OptimisedPlan:
        p = self.p
        problems = obvious_problems(p)
        if problems:
            return self.finish(INFEASIBLE, self.walk, 0.0, problems)
        broken = broken_by(p, self.walk)
        if broken:
            self.notes.append(f"The walk's plan is not a candidate: it breaks {broken}.")
        best, self.best_order = None, None
        density = self._density_walk()
        for placement, order in ((self.walk, self.evaluation.ranking.order), density):
            if self.valid(placement) and (best is None or not better_or_equal(self.sums(best), self.sums(placement))):
                best, self.best_order = placement, np.asarray(order, dtype=np.int64)
        self.cand = candidates(p)
        self.depths = depth(p)
        self.heights = height(p)
        self.priority = np.lexsort((self.evaluation.ranking.rank, self.depths))  # prerequisites first
        effort = np.where(np.isfinite(p.effort), np.maximum(p.effort, 0.1), np.inf)
        self.fill_order = np.lexsort((-(p.score / effort), p.tier if self.tiers else np.zeros(p.n)))
        # A small portfolio is solved with every timing row from the start (one solve); a large
        # one gets them only where the first answers break the order in time.
        edges = int(self.cand[np.repeat(np.arange(p.n), np.diff(p.indptr))].sum())
        self.timed = np.full(p.n, edges <= FULL_TIMING_EDGES)
        self.pack_seconds = 0.0  # how long turning the last answer into quarters took
        self.lp_seconds = 0.0  # how long the linear relaxation took: what any solve needs at least
        kept: list[tuple[np.ndarray, float]] = []
        self.keep = np.zeros(p.n, bool)
        self.settled = np.zeros(p.n, bool)
        stages = [np.flatnonzero(p.tier == t) for t in self.tiers] if self.tiers else [np.arange(p.n)]
        gaps, statuses = [], []
        stages = [m[self.cand[m]] for m in stages]
        for k, members in enumerate(stages):
            if not len(members):
                continue
            if self.stop():  # cancelled: this tier is not searched, its gap is not known
                statuses.append(CANCELLED)
                gaps.append(1.0)
                break
            # An equal share of what is left for each tier still to solve (each starts with a
            # linear relaxation of the whole programme, whatever the tier's size).
            budget = self.left() / sum(1 for m in stages[k:] if len(m))
            outcome = self._stage(members, kept, best, budget, (k + 1, len(stages)))
            if outcome is None:
                words = elastic_problems(p, max(self.left(), 1.0))
                return self.finish(INFEASIBLE, self.walk, 0.0,
                                   words or ["The constraints cannot all hold together."])
            best, status, gap = outcome
            gaps.append(gap)
            statuses.append(status)
            achieved = float(p.score[members][best[0][members]].sum())
            kept.append((members, achieved))
            self.keep[members] = best[0][members]  # never given up for a lower tier
            self.settled[members] = True
        if best is None:  # nothing to fund anywhere (no candidates)
            best = self.walk
        status = OPTIMAL if all(s == OPTIMAL for s in statuses) else (
            CANCELLED if CANCELLED in statuses or self.stop() else TIME_LIMIT)
        gap = max(gaps, default=0.0)
        if gap <= 1e-6:
            gap = 0.0
        if best is not self.walk and self.valid(self.walk) and not better_or_equal(self.sums(best), self.sums(self.walk)):
            self.notes.append("The solver found nothing better than the walk's plan in the time given.")
            best = self.walk
        if best is not self.walk and status != CANCELLED:
            best = self._earlier(best)
        return self.finish(status, best, gap)

    def _earlier(self, best):
        """The same funded set placed as early as it goes, late work last: the solver's answer
        places work anywhere it fits, so a last solve (funded set fixed) minimises the quarters
        used, a late quarter counting ten times. Kept only when it has fewer late initiatives,
        or as many and earlier work."""
        from cutline.models.optimise.highs_run import HighsModel

        p = self.p
        seconds = min(self.left(), max(0.2 * self.time_limit, 0.5))
        if seconds <= 0.05:
            return best
        lay, rows = self.build()
        for r in np.flatnonzero(self.cand).tolist():
            lay.col_lo[lay.f[r]] = lay.col_hi[lay.f[r]] = float(best[0][r])
        q = len(p.quarters)
        weight = np.arange(1, q + 1, dtype=float)
        cost = np.zeros(lay.columns)
        xi, xq = np.nonzero(lay.x >= 0)
        late = xq > p.due[xi]
        cost[lay.x[xi, xq]] = -weight[xq] * np.where(late, 10.0, 1.0)
        if lay.y is not None and len(lay.y):
            gi, gq = np.nonzero(lay.y >= 0)
            cost[lay.y[gi, gq]] = -weight[gq]
        start = values_of(p, lay, *best)
        result = HighsModel(lay, rows).solve(cost, seconds=seconds, start=start, cancel=self.stop)
        if result.values is None:
            return best
        placed = settle_zero_effort(p, placement_from(p, lay, result.values, self._by_due()))
        if not self.valid(placed) or (placed[0] != best[0]).any():
            return best
        return placed if _lateness(p, placed) < _lateness(p, best) else best

    def _by_due(self) -> np.ndarray:
        """Fill order within a group: prerequisites first, then the earliest due, then rank."""
        due = np.minimum(self.p.due, len(self.p.quarters) + 1)
        return np.lexsort((self.evaluation.ranking.rank, due, self.depths))

    def _stage(self, members, kept, best, budget: float, stage):
        """Maximise the score of `members`, keeping the tiers before; returns (best placement,
        status, gap), or None when no plan exists."""
        from cutline.models.optimise.highs_run import HighsModel

        p, lay = self.p, None
        stage_end = time.perf_counter() + budget
        bound, status = float("inf"), TIME_LIMIT
        first = True
        while True:
            lay, rows = self.build()
            for r in np.flatnonzero(self.keep).tolist():
                lay.col_lo[lay.f[r]] = 1.0
            cost = np.zeros(lay.columns)
            cost[lay.f[members]] = p.score[members]
            if first and not self.timed.all():
                first = False
                found = self._lp_walk(lay, rows, cost, kept, members, best, stage_end)
                if found is None:
                    return None
                best, lp_bound = found
                bound = min(bound, lp_bound)
                if best is not None:  # most of the time to plans that keep the order by construction
                    window_end = time.perf_counter() + WINDOW_SHARE * max(stage_end - time.perf_counter(), 0.0)
                    best = self._window_search(members, best, window_end, stage)
                    got = float(p.score[members][best[0][members]].sum())
                    if got >= bound - 1e-6 * max(1.0, abs(bound)):
                        return best, OPTIMAL, 0.0
            # Leave time to turn its answer into quarters (as long as the last time).
            seconds = max(stage_end - time.perf_counter() - max(self.pack_seconds, 0.1 * budget), 0.05)
            if best is not None and seconds < self.lp_seconds:
                break  # HiGHS would not get past its first linear relaxation: stop on time
            if best is not None and self.stop():
                status = CANCELLED
                break
            model = HighsModel(lay, rows)
            start = values_of(p, lay, *best) if best is not None else None
            result = model.solve(cost, seconds=seconds, start=start, stage=stage, cancel=self.stop,
                                 progress=self.progress, started=self.started)
            if result.status == INFEASIBLE or (result.values is None and best is None and result.status == OPTIMAL):
                return None
            bound = min(bound, result.bound)
            if _DEBUG:
                print(f"stage {stage} timed {int(self.timed.sum())} rows {len(rows)} {result.status} "
                      f"obj {result.objective:.2f} bound {result.bound:.2f} t {time.perf_counter() - self.started:.2f}")
            if result.values is None:
                if best is None:
                    return None if result.status == INFEASIBLE else (self.walk, result.status, 1.0)
                break
            chosen = settle_zero_effort(p, placement_from(p, lay, result.values, self.priority))
            # The walk's own placement of the set first: on a tie it wins, so that adopting the
            # plan as a scenario (pins) reproduces it.
            packing_began = time.perf_counter()
            walked = walk_schedules(self.allocator, p, self.evaluation.ranking, chosen[0], self.fill_order,
                                    self.evaluation.scenario.overrides.pinned(), self.heights,
                                    ancestors(p, self.keep), self.best_order)
            tries = [placement for placement, _ in walked]
            orders = {id(placement): order for placement, order in walked}
            tries.append(chosen if self.valid(chosen) else without_violations(p, chosen))
            # Packing and the local search only where the answer is not a plan as it stands, or
            # not proven best.
            settled = result.status == OPTIMAL and self.valid(chosen)
            late = settled or time.perf_counter() > stage_end
            if not settled:
                tries.extend(self._packed(chosen[0], best, stage_end, rounds=1 if late else 8))
            tries = [t for t in tries if t is not None]
            top = None
            for placement in tries:
                if self.valid(placement) and (top is None or not better_or_equal(self.sums(top), self.sums(placement))):
                    top = placement
            better = self._improved(top, members, stage_end) if top is not None and not late else None
            if better is not None:
                tries.append(better)
            self.pack_seconds = time.perf_counter() - packing_began
            if _DEBUG:
                print("chosen", self.sums(chosen), "tries", [(self.sums(t), self.valid(t), int((t[0] != chosen[0]).sum())) for t in tries])
            for placement in tries:
                if self.valid(placement) and (best is None or not better_or_equal(self.sums(best), self.sums(placement))):
                    best, self.best_order = placement, orders.get(id(placement))
            got = float(p.score[members][best[0][members]].sum()) if best is not None else float("-inf")
            if result.status == OPTIMAL and got >= result.objective - 1e-6 * max(1.0, abs(result.objective)):
                return best, OPTIMAL, 0.0
            status = result.status if result.status != OPTIMAL else TIME_LIMIT
            if result.status == "cancelled" or time.perf_counter() >= stage_end - 0.05:
                break
            # The order in time failed for some: give them timing rows and solve again.
            placed = np.zeros(p.n, bool)
            for placement in tries:
                placed |= placement[0] & ~order_violations(p, placement)
            grown = (chosen[0] & ~placed) | self.timed
            if (grown == self.timed).all():
                break
            self.timed = grown
        got = float(p.score[members][best[0][members]].sum())
        gap = max(0.0, bound - got) / max(abs(got), 1e-9) if np.isfinite(bound) else 1.0
        return best, status, gap

    def _improved(self, placement, members, end: float):
        """`placement` after the local search of models/optimise/packing.py (for this stage's
        score), or None when it found nothing or broke a rule."""
        p = self.p
        self._packer()
        value = np.zeros(p.n)
        value[members] = p.score[members]
        removable = self.addable() & ~ancestors(p, self.keep) & ~p.pinned_in
        for floor in p.floors:
            removable[floor.rows] = False
        order = np.lexsort((-(p.score / np.maximum(np.nan_to_num(p.effort, nan=0.0), 0.1)),))
        deadline = min(end - 0.02, time.perf_counter() + max(0.05, LOCAL_SHARE * self.time_limit))
        # Lower tiers' work that nothing of this stage needs is set aside (it would only stand
        # in the way) and added back afterwards where it fits.
        funded = placement[0]
        in_stage = np.zeros(p.n, bool)
        in_stage[members] = True
        wanted = ancestors(p, funded & (in_stage | self.settled))
        strip = funded & ~wanted
        if strip.any():
            placement = (funded & wanted, np.where(strip, -1, placement[1]), np.where(strip, -1, placement[2]),
                         np.where(strip[:, None], 0.0, placement[3]))
        found, changed = improve(self.packer, placement, value, removable, self.addable(), order, deadline,
                                 self._clock)
        changed = changed or bool(strip.any())
        if not changed:
            return None
        found = self.packer_fill(found)
        return found if capacity_ok(p, found) and self.valid(found) else None

    def packer_fill(self, placement):
        """The lower tiers' work added where it fits (the stage's own score is not changed)."""
        packer = self.packer
        funded, start, finish, pw = placement
        packer.state = _state_of(packer, placement)
        return packer.fill((funded.copy(), start.copy(), finish.copy(), pw.copy()), self.fill_order, self.addable())

    def _clock(self) -> float:
        """The time for the local search: past any deadline once cancelled."""
        return float("inf") if self.stop() else time.perf_counter()

    def addable(self) -> np.ndarray:
        """Rows the packing may add: not of a tier already solved (its score was settled
        there), nor of a bundle or a set of alternatives."""
        self._packer()
        return self.fillable & ~self.settled

    def _packer(self):
        if not hasattr(self, "packer"):
            p = self.p
            self.packer = Packer(p)
            # More work is added only where it cannot break a bundle or a set of alternatives.
            self.fillable = self.cand.copy()
            for _, rows in p.bundles + p.alternatives:
                self.fillable[rows] = False

    def _packed(self, chosen: np.ndarray, best, end: float, rounds: int = 8) -> list:
        """Placements of the set `chosen` by list scheduling (models/optimise/packing.py): the
        higher tiers' funded work and what it needs first, then the longest chains; rows that
        fail go first in the next round; each round's room is filled with more initiatives.
        Also one with the higher tiers' work kept where `best` has it. Valid ones only."""
        p = self.p
        self._packer()
        first = ancestors(p, self.keep)
        key = (-self.heights * (p.n + 1) + self.evaluation.ranking.rank).astype(float)
        key[first] -= 1e12
        found = []
        fixed = None
        if best is not None and self.keep.any():
            held = first & best[0]
            fixed = (held, np.where(held, best[1], -1), np.where(held, best[2], -1), np.where(held[:, None], best[3], 0.0))

        def attempt(fixed_part):
            placement, failed = self.packer.run(chosen, key, fixed_part)
            if placement is not None:
                placement = self.packer.fill(placement, self.fill_order, self.addable())
                if capacity_ok(p, placement) and self.valid(placement):
                    found.append(placement)
            return failed

        for k in range(rounds):
            # With a higher tier's plan, its quarters are kept: placed afresh it rarely all fits.
            failed = attempt(fixed)
            if _DEBUG:
                lost = float(p.score[failed].sum()) if failed else 0.0
                print(f"  pack round {k}: {len(failed)} of {int(chosen.sum())} failed (score {lost:.1f})")
            if not failed or time.perf_counter() > end or self.stop():
                break
            bump = ancestors(p, np.isin(np.arange(p.n), failed)) & chosen
            key[bump] -= 1e6 * (p.n + 1)
        if fixed is not None and not rounds:
            attempt(fixed)
        return found

    def _lp_walk(self, lay, rows, cost, kept, members, best, stage_end):
        """The linear relaxation's bound, and the walk in the order of its answer (most funded
        first, then most score per person-week): often close to the bound on many initiatives.
        Returns (best placement, bound), or None when not even the relaxation has a plan."""
        from cutline.models.optimise.highs_run import HighsModel

        p = self.p
        integer, lay.integer = lay.integer, [0] * len(lay.integer)
        try:
            model = HighsModel(lay, rows)
        finally:
            lay.integer = integer
        began = time.perf_counter()
        result = model.solve(cost, seconds=max(stage_end - time.perf_counter(), 0.05), start=None,
                             cancel=self.stop)
        self.lp_seconds = time.perf_counter() - began
        if result.status == INFEASIBLE:
            return None
        if result.values is None:
            return best, float("inf")
        share = np.zeros(p.n)
        share[self.cand] = result.values[lay.f[self.cand]]
        effort = np.where(np.isfinite(p.effort), np.maximum(p.effort, 0.1), np.inf)
        keep = self.keep  # the higher tiers' funded work goes first
        in_stage = np.zeros(p.n, bool)
        in_stage[members] = True
        order = np.lexsort((-(p.score / effort), -np.where(in_stage, share, 0.0), ~in_stage, ~keep))
        placement = placement_of(self.allocator.run(order, self.evaluation.scenario.overrides.pinned() or None),
                                 len(p.quarters))
        if self.valid(placement) and (best is None or not better_or_equal(self.sums(best), self.sums(placement))):
            best, self.best_order = placement, order
        # What the relaxation funds whole, placed by list scheduling (models/optimise/packing.py).
        began = time.perf_counter()
        whole = np.zeros(p.n, bool)
        whole[self.cand] = share[self.cand] >= 1 - 1e-6
        for placement in self._packed(whole | self.keep, best, stage_end, rounds=3):
            if best is None or not better_or_equal(self.sums(best), self.sums(placement)):
                best, self.best_order = placement, None
        if _DEBUG:
            print(f"packed the relaxation's whole set: {self.sums(best) if best is not None else None} "
                  f"in {time.perf_counter() - began:.2f} s")
        if best is not None:  # the local search from it
            began = time.perf_counter()
            better = self._improved(best, members, stage_end)
            self.pack_seconds = max(self.pack_seconds, time.perf_counter() - began)
            if better is not None and not better_or_equal(self.sums(best), self.sums(better)):
                best, self.best_order = better, None
        if _DEBUG:
            got = float(p.score[members][best[0][members]].sum()) if best is not None else float("nan")
            print(f"lp bound {result.objective:.2f} walk in its order {got:.2f}")
        bound = result.objective if result.status == OPTIMAL else float("inf")
        return best, bound

    def _density_walk(self):
        """The walk again, tier by tier with the most score per person-week first, and its order."""
        p = self.p
        effort = np.where(np.isfinite(p.effort), np.maximum(p.effort, 0.1), np.inf)
        order = np.lexsort((-(p.score / effort), p.tier if self.tiers else np.zeros(p.n)))
        alloc = self.allocator.run(order, self.evaluation.scenario.overrides.pinned() or None)
        return placement_of(alloc, len(p.quarters)), order


_DEBUG = __import__("os").environ.get("CUTLINE_OPTIMISE_DEBUG") == "1"


def _lateness(p, placement) -> tuple[int, float]:
    """(late initiatives, person-weeks weighted by quarter): smaller is earlier."""
    funded, _, finish, pw = placement
    weight = np.arange(1, pw.shape[1] + 1, dtype=float)
    return int((funded & (finish > p.due)).sum()), float((pw * weight).sum())


def _as_callable(cancel):
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel
