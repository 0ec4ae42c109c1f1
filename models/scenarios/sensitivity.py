"""How robust the ranking is: rank and funding under many weight sets drawn around the current one."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scenarios.weight_change import WeightChange, smallest_weight_change
from cutline.models.scoring.draw_ranking import draw_scores, rank_orders

__all__ = [
    "FLIP_HIGH", "FLIP_LOW", "Cancelled", "Sensitivity", "WeightChange",
    "rank_orders", "sensitivity", "smallest_weight_change",
]

#: An initiative "flips" when it is funded in more than FLIP_LOW and less than FLIP_HIGH of draws.
FLIP_LOW = 0.1
FLIP_HIGH = 0.9
#: Scores held at once per chunk of draws (initiatives x draws); bounds memory and sets progress steps.
CHUNK_CELLS = 1_000_000
#: The most draws in one run (docs/scenarios.md): 1,000 already give each share to about ±1.6%.
MAX_DRAWS = 100_000
#: The most memory the ranks of every draw may take (draws x initiatives x 2 or 4 bytes).
MAX_RANK_BYTES = 512 * 1024**2


class Cancelled(Exception):
    """The sensitivity run was cancelled before it finished."""


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Per initiative (portfolio row order): how often it is funded and where it ranks across draws."""

    funded_share: np.ndarray  # (n,) float64: share of draws in which it is funded, 0..1
    rank_p5: np.ndarray       # (n,) int64: 5th percentile of its rank (the better end)
    rank_p95: np.ndarray      # (n,) int64: 95th percentile of its rank (the worse end)
    median_rank: np.ndarray   # (n,) int64: 50th percentile of its rank
    flips: np.ndarray         # (n,) bool: FLIP_LOW < funded_share < FLIP_HIGH
    draws: int
    spread: float
    seed: int

    def __len__(self) -> int:
        return len(self.funded_share)


def sensitivity(
    portfolio: Portfolio,
    scenario: Scenario,
    *,
    draws: int = 1000,
    spread: float = 0.25,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    evaluator: Evaluator | None = None,
) -> Sensitivity:
    """Re-rank and re-allocate under `draws` weight sets, each weight times a factor in [1-spread, 1+spread].

    Pass the workshop's `evaluator` to reuse its cached scorer and allocator. `progress(done,
    total)` is called after each chunk of draws; `cancelled()` is polled before each chunk and
    a True answer raises Cancelled.
    """
    draws, spread, seed = _checked(draws, spread, seed)
    evaluator = evaluator or Evaluator(portfolio)
    base = evaluator.evaluate(scenario)
    n = len(base.portfolio)
    _check_memory(draws, n)
    model = scenario.model
    _, normalised, _ = evaluator.scorer_for(scenario).normalised(model)
    tier = np.asarray(evaluator.scorer_for(scenario).tiers(model), dtype=np.int64)
    allocator = evaluator.allocator_for(scenario)
    pins = evaluator.pins_for(scenario)
    weights = np.asarray(model.weights, dtype=np.float64)
    factors = np.random.default_rng(seed).uniform(1.0 - spread, 1.0 + spread, size=(draws, len(weights)))
    drawn = weights * factors

    funded_count = np.zeros(n, dtype=np.int64)
    ranks = np.empty((draws, n), dtype=np.uint16 if n < 65_535 else np.int32)
    positions = np.arange(1, n + 1, dtype=ranks.dtype)
    chunk = max(1, min(draws, CHUNK_CELLS // max(n, 1), math.ceil(draws / 20)))
    for start in range(0, draws, chunk):
        if cancelled is not None and cancelled():
            raise Cancelled(f"Sensitivity run cancelled after {start} of {draws} draws.")
        stop = min(start + chunk, draws)
        scores = draw_scores(base.ranking.score, normalised, weights, drawn[start:stop])
        orders = rank_orders(scores, tier)
        np.put_along_axis(ranks[start:stop], orders, positions[None, :], axis=1)
        for order in orders:
            funded_count += allocator.funded_only(order, pins)
        if progress is not None:
            progress(stop, draws)

    share = funded_count / draws
    p5, p50, p95 = _percentiles(ranks, (5, 50, 95))
    return Sensitivity(
        funded_share=share,
        rank_p5=p5,
        rank_p95=p95,
        median_rank=p50,
        flips=(share > FLIP_LOW) & (share < FLIP_HIGH),
        draws=draws,
        spread=spread,
        seed=seed,
    )


def rank_bytes(draws: int, n: int) -> int:
    """The memory the ranks of `draws` draws over `n` initiatives take."""
    return draws * n * (2 if n < 65_535 else 4)


def _check_memory(draws: int, n: int) -> None:
    """ModelError, before anything is allocated, when the draws' ranks would pass MAX_RANK_BYTES."""
    if rank_bytes(draws, n) <= MAX_RANK_BYTES:
        return
    most = max(1, MAX_RANK_BYTES // max(1, rank_bytes(1, n)))
    raise ModelError(
        f"{draws:,} draws over {n:,} initiatives would need {_memory(rank_bytes(draws, n))} "
        f"for their ranks; the limit is {_memory(MAX_RANK_BYTES)}.",
        hint=f"Use at most {most:,} draws for this portfolio.",
    )


def _memory(size: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}".replace(".0 ", " ")
    return f"{max(1, round(size / 1024)):,} KiB"


def _percentiles(ranks: np.ndarray, percents: tuple[int, ...]) -> list[np.ndarray]:
    """Per column, the p-th percentile as the smallest rank reached in at least p% of draws."""
    draws, n = ranks.shape
    if n == 0:
        return [np.zeros(0, dtype=np.int64) for _ in percents]
    # Inverted CDF, in integers: the value at sorted position ceil(p * draws / 100) - 1.
    kth = [max(0, -(-p * draws // 100) - 1) for p in percents]
    parted = np.partition(ranks, sorted(set(kth)), axis=0)
    return [parted[k].astype(np.int64) for k in kth]


def _checked(draws: object, spread: object, seed: object) -> tuple[int, float, int]:
    """Validated settings of a run; ModelError with what to type instead."""
    try:
        count, share, start = int(draws), float(spread), int(seed)
    except (TypeError, ValueError):
        raise ModelError(
            f"Sensitivity needs whole numbers of draws and seed and a spread number, not {draws!r}, {seed!r}, {spread!r}."
        ) from None
    if count != draws or count < 1:
        raise ModelError(f"The number of draws must be a whole number of at least 1, not {draws!r}.")
    if count > MAX_DRAWS:
        raise ModelError(
            f"The number of draws must be at most {MAX_DRAWS:,}, not {count:,}.",
            hint="1,000 draws (the default) give each funded share to about ±1.6%; "
            "10,000 to about ±0.5%.",
        )
    if not (math.isfinite(share) and 0.0 <= share <= 1.0):
        raise ModelError(
            f"The spread must be between 0 and 1 (0% to 100%), not {spread!r}.",
            hint="0.25 multiplies each weight by a factor between 0.75 and 1.25.",
        )
    if start < 0:
        raise ModelError(f"The seed must be zero or a positive whole number, not {seed!r}.")
    return count, share, start
