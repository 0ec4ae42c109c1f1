"""Benchmark: sensitivity draws, re-evaluation after a weight change, comparison, smallest change.

Target: 1,000 draws over 1,000 initiatives in under 2 s (2,000 ms).
Run: .venv/bin/python -m benchmarks.bench_sensitivity [n] [draws]
"""

from __future__ import annotations

import sys
from dataclasses import replace

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.comparison import compare
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scenarios.sensitivity import sensitivity, smallest_weight_change
from cutline.models.scoring.model import default_model

from benchmarks.common import median_ms
from benchmarks.generate import synthetic_capacity, synthetic_frame

TARGET_MS = 2000.0



def workshop(n: int, seed: int = 0) -> tuple[Portfolio, Scenario]:
    """A generated portfolio (about 50 initiatives per team) and the default scenario over 4 quarters."""
    frame = synthetic_frame(n, teams=max(1, n // 50), seed=seed)
    portfolio = Portfolio.from_frame(frame, extra_columns=("Jira key", "Sponsor"))
    capacity = Capacity.from_rows(synthetic_capacity(frame, quarters=4).itertuples(index=False))
    return portfolio, Scenario("Default", default_model(), capacity)


def run(n: int = 1000, draws: int = 1000) -> dict[str, float]:
    """Median milliseconds of a sensitivity run, a re-evaluation, a comparison and a smallest change."""
    portfolio, scenario = workshop(n)
    evaluator = Evaluator(portfolio)
    base = evaluator.evaluate(scenario)  # warms the caches, as the open workshop has
    weights = [replace(scenario, model=scenario.model.with_weight("dx", w)) for w in (1.5, 2.5, 3.0, 2.0)]
    cycle = iter(weights * 10)
    row = _row_at_a_team_cut(portfolio, base)
    return {
        "sensitivity": median_ms(
            lambda: sensitivity(portfolio, scenario, draws=draws, evaluator=evaluator),
            repeat=3, warmup=0),
        "reevaluate": median_ms(lambda: evaluator.evaluate(next(cycle)), repeat=9, warmup=0),
        "compare_4": median_ms(lambda: compare([evaluator.evaluate(s) for s in weights]), repeat=3, warmup=0),
        "smallest_weight_change": median_ms(
            lambda: smallest_weight_change(portfolio, scenario, row, evaluator=evaluator),
            repeat=3, warmup=0),
    }


def _row_at_a_team_cut(portfolio: Portfolio, base) -> int:
    """The first unfunded initiative of the top-ranked team: close to its team's cut line."""
    order, funded = base.ranking.order, base.allocation.funded
    team = portfolio.text("team")
    mine = order[team[order] == team[order[0]]]
    unfunded = mine[~funded[mine]]
    return int(unfunded[0] if len(unfunded) else mine[-1])


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sizes = args[:1] or [1_000, 10_000]
    draws = args[1] if len(args) > 1 else 1000
    for size in sizes:
        result = run(size, draws)
        line = ", ".join(f"{k} {v:.1f}" for k, v in result.items())
        mark = ""
        if size == 1_000 and draws == 1000:
            met = result["sensitivity"] < TARGET_MS
            mark = f" (target sensitivity < {TARGET_MS:.0f} ms: " + ("met" if met else "MISSED") + ")"
        print(f"n={size:>7,} draws={draws}: {line}{mark}")
