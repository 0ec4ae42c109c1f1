"""Shared by the benchmarks: timing medians and building synthetic portfolios and scenarios."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

from benchmarks.generate import synthetic_capacity, synthetic_frame


def median_ms(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """The median wall time of `fn` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def portfolio_and_scenario(n: int, *, teams: int = 200, quarters: int = 4, seed: int = 0):
    """A synthetic Portfolio of n initiatives and a default Scenario with capacity for two thirds."""
    from cutline.models.capacity.capacity import Capacity
    from cutline.models.portfolio.portfolio import CANONICAL_FIELDS, Portfolio
    from cutline.models.scenarios.scenario import Scenario

    frame = synthetic_frame(n, teams=teams, seed=seed)
    extra = [c for c in frame.columns if c not in CANONICAL_FIELDS]
    portfolio = Portfolio.from_frame(frame, extra_columns=extra)
    cap = synthetic_capacity(frame, quarters=quarters)
    capacity = Capacity.from_rows(cap[["team", "quarter", "capacity"]].itertuples(index=False))
    return portfolio, Scenario("Default", capacity=capacity)
