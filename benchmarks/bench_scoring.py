"""Scoring benchmark: score and rank, re-rank after a weight change, and teams unblocked.

Targets on the reference machine: score + rank 10,000 initiatives under 20 ms and 100,000
under 200 ms; teams unblocked for 100,000 initiatives with 2-3 prerequisites each and 200
teams under 150 ms (10,000 under 15 ms); a re-rank after a weight change much less than a
full score. Run it as `python -m benchmarks.bench_scoring [N ...]`.

Measured on the reference machine (2 shared cores, median wall-clock ms, other work running):

    n         score_rank  teams_unblocked  dependency_graph  rerank_weight_change
    10,000    22-24       6-8              8-10              1.1
    100,000   200-230     60-80            80-105            12-13

With the CPU time of the process instead of wall clock (less disturbed by other work), a
cold score + rank takes about 13 ms for 10,000 and 150 ms for 100,000 initiatives. Most of a
cold score is reading `depends_on` (one hash of every id and listed id) and walking the
graph for teams unblocked; a weight change skips both.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from cutline.models.portfolio.dependencies import DependencyGraph, teams_unblocked
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import default_model
from cutline.models.scoring.score import Scorer

from benchmarks.common import median_ms

TEAMS = 200
CATEGORIES = np.array(["feature", "reliability", "security", "tech debt", "dx"], dtype=object)


def synthetic_portfolio(n: int, seed: int = 4) -> Portfolio:
    """n initiatives over 200 teams, every input filled (some blanks), 2-3 earlier prerequisites each."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"I-{i + 1}" for i in range(n)], dtype=object)
    prerequisites = np.minimum(rng.integers(2, 4, n), np.arange(n))  # row 0 has none
    edge_row = np.repeat(np.arange(n), prerequisites)
    edge_to = (rng.random(edge_row.size) * edge_row).astype(np.int64)  # any earlier row
    cuts = np.cumsum(prerequisites)[:-1]
    depends_on = [", ".join(group) for group in np.split(ids[edge_to], cuts)]

    def rating() -> np.ndarray:
        values = rng.integers(0, 11, n).astype(float)
        values[rng.random(n) < 0.05] = np.nan  # some blanks
        return values

    frame = pd.DataFrame({
        "id": ids,
        "title": [f"Initiative {i + 1}" for i in range(n)],
        "team": np.array([f"team-{t}" for t in range(TEAMS)], dtype=object)[rng.integers(0, TEAMS, n)],
        "category": CATEGORIES[rng.integers(0, len(CATEGORIES), n)],
        "reach": rng.integers(0, 5000, n).astype(float),
        "impact": rng.choice([0.25, 0.5, 1, 2, 3], n),
        "confidence": rng.choice([0.5, 0.8, 1.0], n),
        "effort": rng.integers(0, 40, n).astype(float),
        "risk": rating(),
        "reliability": rating(),
        "security": rating(),
        "dx": rating(),
        "depends_on": depends_on,
        "unblocks": np.where(rng.random(n) < 0.1, "team-1, team-2", ""),
    })
    return Portfolio.from_frame(frame)



def run(n: int) -> dict[str, float]:
    """Median milliseconds for each step on a synthetic portfolio of n initiatives."""
    portfolio = synthetic_portfolio(n)
    model = default_model()
    repeats = 7 if n >= 50_000 else 21
    graph = DependencyGraph.from_portfolio(portfolio)
    warm = Scorer(portfolio)
    warm.rank(model)
    reweighted = [model.with_weight("dx", w) for w in (1, 2, 3, 4, 5)]
    turn = iter(range(10**9))
    return {
        # From a portfolio to a Ranking with nothing cached: graph, derived values, all of it.
        "score_rank": median_ms(lambda: Scorer(portfolio).rank(model), repeat=repeats, warmup=0),
        "teams_unblocked": median_ms(lambda: teams_unblocked(portfolio, graph), repeat=repeats, warmup=0),
        "dependency_graph": median_ms(lambda: DependencyGraph.from_portfolio(portfolio), repeat=repeats, warmup=0),
        # What a weight slider costs: the scorer already holds every column and tier.
        "rerank_weight_change": median_ms(
            lambda: warm.rank(reweighted[next(turn) % len(reweighted)]), repeat=repeats * 3, warmup=0
        ),
    }


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [10_000, 100_000]:
        result = run(size)
        print(f"n={size:>7,}: " + "  ".join(f"{k} {v:.1f} ms" for k, v in result.items()))
