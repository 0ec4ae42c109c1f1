"""Benchmark: allocate a synthetic portfolio across teams and quarters.

Target: 10,000 initiatives, 20 teams, 8 quarters in under 100 ms.
Run: .venv/bin/python -m benchmarks.bench_allocation [n]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from cutline.models.capacity.allocate import Allocator, allocate
from cutline.models.capacity.capacity import Capacity, Guardrail
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.ranking import Ranking

from benchmarks.common import median_ms

CATEGORIES = ("reliability", "unblocking", "dx", "capability")
TARGET_MS = 100.0


def synthetic(n: int, teams: int, quarters: int, seed: int = 7):
    """A portfolio about twice as large as capacity, with dependencies, guardrails and a ranking."""
    rng = np.random.default_rng(seed)
    team_names = np.array([f"team-{t:02d}" for t in range(teams)], dtype=object)
    effort = np.round(rng.lognormal(1.5, 0.8, n), 1)
    effort[rng.random(n) < 0.02] = np.nan
    frame = pd.DataFrame({
        "id": [f"I-{i}" for i in range(n)],
        "team": team_names[rng.integers(0, teams, n)],
        "category": np.array(CATEGORIES, dtype=object)[rng.integers(0, len(CATEGORIES), n)],
        "effort": effort,
    })
    portfolio = Portfolio.from_frame(frame)
    # About a third of the initiatives depend on one to three earlier ones (so no cycles).
    counts = np.where(rng.random(n) < 0.33, rng.integers(1, 4, n), 0)
    counts[0] = 0
    indptr = np.concatenate([[0], np.cumsum(counts)])
    owners = np.repeat(np.arange(n), counts)
    indices = (rng.random(len(owners)) * owners).astype(np.int64)
    # Capacity for about half the total effort, spread evenly over teams and quarters.
    per_slot = np.nansum(effort) / 2 / (teams * quarters)
    rows = [(t, f"Q{q + 1}", per_slot) for q in range(quarters) for t in team_names]
    capacity = Capacity.from_rows(
        rows, (Guardrail("reliability", reserve=0.2), Guardrail("capability", cap=0.5)))
    return portfolio, capacity, (indptr, indices), ranking_of(rng.permutation(n))


def ranking_of(order: np.ndarray) -> Ranking:
    """A Ranking with just the order and ranks filled in."""
    n = len(order)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    zeros, empty = np.zeros(n), np.zeros((n, 0))
    return Ranking((), empty, empty, empty, np.zeros((n, 0), bool), zeros, np.ones(n, np.int64),
                   ("all",), order.astype(np.int64), rank, zeros, zeros, np.zeros(n, bool))



def run(n: int, teams: int = 20, quarters: int = 8) -> dict[str, float]:
    """Median milliseconds of allocate(), of its set-up, of the walk, and of funded_only()."""
    portfolio, capacity, csr, ranking = synthetic(n, teams, quarters)
    repeat = 15 if n <= 20_000 else 5
    allocator = Allocator(portfolio, capacity, csr)
    return {
        "allocate": median_ms(lambda: allocate(portfolio, ranking, capacity, prerequisites=csr), repeat=repeat, warmup=0),
        "setup": median_ms(lambda: Allocator(portfolio, capacity, csr), repeat=repeat, warmup=0),
        "run": median_ms(lambda: allocator.run(ranking.order, rank=ranking.rank), repeat=repeat, warmup=0),
        "funded_only": median_ms(lambda: allocator.funded_only(ranking.order), repeat=repeat, warmup=0),
    }


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    for size in sizes:
        result = run(size)
        line = ", ".join(f"{k} {v:.2f}" for k, v in result.items())
        mark = "" if size != 10_000 else (" (target < 100 ms: " + ("met" if result["allocate"] < TARGET_MS else "MISSED") + ")")
        print(f"n={size:>7,}: {line}{mark}")
