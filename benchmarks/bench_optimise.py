"""Benchmark: the best plan (models/optimise) beside the walk.

Targets (medians on the 2-core benchmark machine): the sample (64) optimal in 0.5 s; 1,000
initiatives, 20 teams, 4 quarters, guardrails and dependencies optimal or within 0.1% in 2 s;
10,000 initiatives, 200 teams, 4 quarters within 1% in 10 s.
Run: .venv/bin/python -m benchmarks.bench_optimise [n ...]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace

from benchmarks.common import portfolio_and_scenario
from cutline.models.capacity.capacity import Capacity, Guardrail

#: Per size: teams, the time limit given to the solver (s).
SETTINGS = {64: (0, 0.5), 1_000: (20, 2.0), 10_000: (200, 10.0)}


def scenario_for(n: int, teams: int):
    """A synthetic portfolio (prerequisites on most rows) with capacity for two thirds, a
    reliability reserve of 20% and a capability cap of 50%."""
    portfolio, scenario = portfolio_and_scenario(n, teams=teams, quarters=4)
    guarded = Capacity(scenario.capacity.table, (Guardrail("reliability", reserve=0.2),
                                                 Guardrail("capability", cap=0.5)))
    return portfolio, replace(scenario, capacity=guarded)


def run(n: int, repeat: int | None = None) -> dict[str, float]:
    """Median ms of optimise() and the worst gap seen (%) for n initiatives (64: the sample)."""
    from cutline.models.optimise import optimise
    from cutline.models.scenarios.pipeline import evaluate

    teams, limit = SETTINGS.get(n, (max(1, n // 50), 2.0))
    if n == 64:
        from cutline.app.lifecycle.loading import load_path, sample_path

        workshop = load_path(sample_path(), read_only=True).workshop
        evaluation = evaluate(workshop.portfolio, workshop.current_scenario())
    else:
        evaluation = evaluate(*scenario_for(n, teams))
    times, gaps, optimal = [], [], []
    for _ in range(repeat or (5 if n in (64, 1_000) else 3 if n in SETTINGS else 1)):
        start = time.perf_counter()
        plan = optimise(evaluation, time_limit=limit)
        times.append((time.perf_counter() - start) * 1000)
        gaps.append(plan.gap * 100)
        optimal.append(plan.status == "optimal")
    return {"optimise": statistics.median(times), "optimise_gap_percent": max(gaps),
            "optimise_optimal_share": sum(optimal) / len(optimal),
            "optimise_gain_over_walk_percent": 100 * (plan.objective - plan.walk_objective)
            / max(plan.walk_objective, 1e-9)}


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [64, 1_000, 10_000]:
        result = run(size)
        print(f"{size:>6}: " + ", ".join(f"{k} {v:.3g}" for k, v in result.items()))
