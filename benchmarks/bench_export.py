"""Benchmark: export the roadmap workbook (and the CSV) of a scored, allocated portfolio.

Targets: 10,000 initiatives in under 3 s, 100,000 in under 30 s.
Run: .venv/bin/python -m benchmarks.bench_export [n]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import median_ms, portfolio_and_scenario


def run(n: int) -> dict[str, float]:
    """Median milliseconds of exporting n initiatives: workbook, workbook with live formulas, CSV."""
    from cutline.models.export import export_csv, export_roadmap
    from cutline.models.scenarios.pipeline import Evaluator

    portfolio, scenario = portfolio_and_scenario(n)
    evaluation = Evaluator(portfolio).evaluate(scenario)
    repeat, warmup = (3, 1) if n <= 20_000 else (3, 0)
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv = Path(folder) / "roadmap.xlsx", Path(folder) / "ranked.csv"
        return {
            "export_xlsx": median_ms(lambda: export_roadmap(xlsx, [evaluation]), repeat, warmup),
            "export_xlsx_live": median_ms(
                lambda: export_roadmap(xlsx, [evaluation], live_formulas=True), repeat, warmup),
            "export_csv": median_ms(lambda: export_csv(csv, evaluation), repeat, warmup),
            "file_mb": xlsx.stat().st_size / 2**20,
        }


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for key, value in run(size).items():
        print(f"{key}: {value:,.1f}")
