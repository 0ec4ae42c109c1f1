"""Benchmark: lay out, select and paint the roadmap of about 1,000 funded initiatives.

Target: the layout (models/roadmap/plan.py, and the chart's whole re-layout with its box titles)
under 100 ms at 1,000 funded initiatives.
Run: .venv/bin/python -m benchmarks.bench_roadmap [n] (n initiatives, about two thirds funded)
"""

from __future__ import annotations

import os
import sys

from benchmarks.common import median_ms, portfolio_and_scenario


def run(n: int, teams: int = 20) -> dict[str, float]:
    """Median milliseconds of the roadmap's steps for n initiatives over `teams` teams."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cutline.models.portfolio.dependencies import DependencyGraph
    from cutline.models.roadmap.plan import plan_roadmap
    from cutline.models.scenarios.pipeline import Evaluator
    from cutline.views.charts.roadmap_lanes import RoadmapChart
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    portfolio, scenario = portfolio_and_scenario(n, teams=teams)
    evaluation = Evaluator(portfolio).evaluate(scenario)
    graph = DependencyGraph.from_portfolio(portfolio)
    chart = RoadmapChart()
    chart.resize(1000, 700)
    chart.show()
    app.processEvents()
    chart.set_evaluation(evaluation)
    row = chart.first_with_chain()

    def paint(clip=None) -> None:
        image = QImage(int(chart.picture.width), 700, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        chart.picture.paint(painter, clip)  # every box (as an export does) or those in view
        painter.end()

    results = {
        "funded": float(len(chart.layout_.rows)),
        "plan_by_layer_ms": median_ms(lambda: plan_roadmap(evaluation, "layer", 1, graph)),
        "plan_by_team_ms": median_ms(lambda: plan_roadmap(evaluation, "team", 1, graph)),
        "chart_relayout_ms": median_ms(chart._relayout),
        "select_chain_ms": median_ms(lambda: chart.set_selected(row)),
        "chain_lines": float(len(chart.picture.routes)),
        "paint_in_view_ms": median_ms(lambda: paint(QRectF(0, 0, chart.picture.width, 700))),
        "paint_all_ms": median_ms(paint, repeat=3),
    }
    chart.close()
    return results


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_500
    for key, value in run(size).items():
        print(f"{key}: {value:,.1f}")
