"""Re-score, re-rank and re-allocate after one weight change (the live path of a workshop)."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.common import median_ms, portfolio_and_scenario


def run(n: int) -> dict[str, float]:
    from cutline.models.scenarios.pipeline import Evaluator

    portfolio, scenario = portfolio_and_scenario(n)
    evaluator = Evaluator(portfolio)
    evaluator.evaluate(scenario)  # caches what a weight change does not touch
    weights = iter(range(10**9))

    def weight_change():
        w = 1 + next(weights) % 7
        evaluator.evaluate(replace(scenario, model=scenario.model.with_weight("dx", w)))

    return {"reevaluate": median_ms(weight_change, repeat=7)}
