"""The smallest change of one weight that moves an initiative across the cut line.

Changing criterion j's weight to t moves every score along a line in t (the common
denominator sum(w) + t does not change the order), so the initiative's rank changes only
where its line crosses another initiative's line in the same tier. Each criterion and
direction (up, or down to zero) is a path of intervals between those crossings; the search
tests the funding inside the nearest NEAREST intervals of every path and at SAMPLES more
spread over the rest, nearest first over all paths, and stops at the first flip. A bisection
over the untested intervals before it, then over the weight itself down to RESOLUTION, finds
where the flip starts, and a full evaluation confirms it. docs/scenarios.md has the details.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.draw_ranking import draw_scores, rank_orders

#: Probes evaluated per batch of the nearest-first search.
BATCH = 32
#: Per criterion and direction, every one of the nearest NEAREST intervals is tested ...
NEAREST = 16
#: ... and SAMPLES more spread evenly over the rest, with bisection between samples.
SAMPLES = 16
#: Bisection stops when the bracket is this share of max(1, sum of weights).
RESOLUTION = 1e-6


@dataclass(frozen=True)
class WeightChange:
    """Setting `criterion`'s weight from `old_weight` to `new_weight` flips the initiative's funding."""

    criterion: str
    old_weight: float
    new_weight: float
    funded_before: bool

    @property
    def funded_after(self) -> bool:
        return not self.funded_before

    @property
    def change(self) -> float:
        return self.new_weight - self.old_weight


@dataclass(frozen=True)
class _Path:
    """Probes along one criterion in one direction, nearest first: the weight to try inside
    each interval between crossings, and how far that interval starts from the current weight."""

    criterion: int
    start: float
    at: np.ndarray
    distance: np.ndarray

    def before(self, index: int) -> float:
        """The probe before `index` on this path, or the current weight."""
        return float(self.at[index - 1]) if index > 0 else self.start

    def checked(self) -> np.ndarray:
        """Indices tested in the nearest-first scan: all of the first NEAREST, then SAMPLES more."""
        m = len(self.at)
        if m <= NEAREST + SAMPLES:
            return np.arange(m)
        stride = -(-(m - NEAREST) // SAMPLES)
        far = np.arange(NEAREST + stride - 1, m, stride)
        return np.unique(np.concatenate([np.arange(NEAREST), far, [m - 1]]))


def smallest_weight_change(
    portfolio: Portfolio,
    scenario: Scenario,
    row: int,
    *,
    evaluator: Evaluator | None = None,
) -> WeightChange | None:
    """The smallest single weight change that funds the initiative at `row`, or unfunds it.

    None when no weight can move it (pinned initiatives, those whose placement holds, or every
    weight leaves it on the same side of the line). Weights stay zero or more.
    """
    evaluator = evaluator or Evaluator(portfolio)
    base = evaluator.evaluate(scenario)
    n = len(base.portfolio)
    if not (isinstance(row, int | np.integer) and 0 <= row < n):
        raise ModelError(f"There is no initiative at row {row!r}; the portfolio has {n}.")
    row = int(row)
    pins = evaluator.pins_for(scenario)
    if pins and str(base.portfolio.ids[row]) in pins:
        return None  # a pin decides its funding, whatever the weights
    model = scenario.model
    weights = np.asarray(model.weights, dtype=np.float64)
    if len(weights) == 0:
        return None
    scorer = evaluator.scorer_for(scenario)
    _, normalised, _ = scorer.normalised(model)
    tier = np.asarray(scorer.tiers(model), dtype=np.int64)
    before = bool(base.allocation.funded[row])
    test = _FlipTest(base.ranking.score, normalised, weights, tier,
                     evaluator.allocator_for(scenario), pins, row, before, scenario.placements or None)
    paths = _paths(normalised, tier, weights, row)
    # The scan: (path, index) of every checked probe, nearest first over all paths.
    scan = [(p, i) for p, path in enumerate(paths) for i in path.checked().tolist()]
    scan.sort(key=lambda item: paths[item[0]].distance[item[1]])
    last_clear = [-1] * len(paths)  # per path, the furthest checked probe seen unflipped
    for start in range(0, len(scan), BATCH):
        batch = scan[start:start + BATCH]
        flipped = test(np.array([paths[p].criterion for p, _ in batch]),
                       np.array([paths[p].at[i] for p, i in batch]))
        for (p, i), hit in zip(batch, flipped.tolist(), strict=True):
            if not hit:
                last_clear[p] = max(last_clear[p], i)
                continue
            path = paths[p]
            first = test.first_flip(path, last_clear[p], i)
            low, high = test.narrow(path.criterion, path.before(first), float(path.at[first]))
            found = _confirmed(evaluator, scenario, row, before, path.criterion,
                               (high, (high + path.at[first]) / 2, path.at[first]))
            if found is not None:
                return WeightChange(model.criteria[path.criterion].name, path.start, found, before)
            last_clear[p] = max(last_clear[p], i)
    return None


class _FlipTest:
    """Whether the initiative's funding differs from `before` at given single-weight changes."""

    def __init__(self, score, normalised, weights, tier, allocator, pins, row, before, placements=None):
        self.score, self.normalised, self.weights, self.tier = score, normalised, weights, tier
        self.allocator, self.pins, self.row, self.before = allocator, pins, row, before
        self.placements = placements
        self.resolution = RESOLUTION * max(1.0, float(weights.sum()))

    def __call__(self, criteria: np.ndarray, at: np.ndarray) -> np.ndarray:
        trial = np.tile(self.weights, (len(at), 1))
        trial[np.arange(len(at)), criteria] = at
        orders = rank_orders(draw_scores(self.score, self.normalised, self.weights, trial), self.tier)
        return np.array(
            [self.allocator.funded_only(order, self.pins, self.placements)[self.row] != self.before for order in orders],
            dtype=bool,
        )

    def first_flip(self, path: _Path, clear: int, flipped: int) -> int:
        """The first flipped probe between an unflipped index `clear` and a flipped one (bisection)."""
        while flipped - clear > 1:
            mid = (clear + flipped) // 2
            if self(np.array([path.criterion]), np.array([path.at[mid]]))[0]:
                flipped = mid
            else:
                clear = mid
        return flipped

    def narrow(self, j: int, low: float, high: float) -> tuple[float, float]:
        """Bisect between an unflipped weight `low` and a flipped `high` down to the resolution."""
        for _ in range(200):  # the bracket halves each time; this bound is never reached
            if abs(high - low) <= self.resolution:
                break
            mid = (low + high) / 2
            if self(np.array([j]), np.array([mid]))[0]:
                high = mid
            else:
                low = mid
        return low, high


def _paths(normalised: np.ndarray, tier: np.ndarray, weights: np.ndarray, row: int) -> list[_Path]:
    """For each criterion, the paths up and (if the weight is above zero) down."""
    same = tier == tier[row]
    same[row] = False
    numerators = normalised @ weights
    paths = []
    for j, w in enumerate(weights.tolist()):
        rest = numerators - normalised[:, j] * w  # everything but criterion j
        slope = normalised[row, j] - normalised[same, j]
        gap = rest[same] - rest[row]
        moving = slope != 0
        crossings = gap[moving] / slope[moving]
        crossings = crossings[np.isfinite(crossings)]
        paths.append(_up(j, w, crossings[crossings >= w]))
        if w > 0:
            paths.append(_down(j, w, crossings[(crossings <= w) & (crossings >= 0)]))
    return paths


def _up(j: int, w: float, crossings: np.ndarray) -> _Path:
    """Above the current weight: the middle of each interval, and one point past the last crossing."""
    points = np.unique(np.append(crossings, w))  # ascending, starts at w
    beyond = points[-1] + max(1.0, points[-1])
    return _Path(j, w, np.append((points[:-1] + points[1:]) / 2, beyond), points - w)


def _down(j: int, w: float, crossings: np.ndarray) -> _Path:
    """Below the current weight: the middle of each interval, and zero itself."""
    points = np.unique(np.concatenate([crossings, [0.0, w]]))[::-1]  # descending, w to 0
    return _Path(j, w, np.append((points[:-1] + points[1:]) / 2, 0.0), w - points)


def _confirmed(evaluator: Evaluator, scenario: Scenario, row: int, before: bool,
               j: int, candidates) -> float | None:
    """The first candidate weight at which a full evaluation shows the funding flipped."""
    for weight in candidates:
        weight = max(0.0, float(weight))
        criteria = tuple(
            replace(c, weight=weight) if i == j else c for i, c in enumerate(scenario.model.criteria)
        )
        trial = replace(scenario, model=replace(scenario.model, criteria=criteria))
        if bool(evaluator.evaluate(trial).allocation.funded[row]) != before:
            return weight
    return None
