"""A dozen initiatives across four teams, with a dependency chain, blanks and a tier crossing."""

from __future__ import annotations

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Scenario

#: id, title, team, category, reach, impact, confidence, effort, risk, reliability, security, dx,
#: depends_on, unblocks
ROWS = [
    ("P-1", "Retry budget for the job queue", "Core", "reliability", 400, 2, 0.8, 6, 3, 9, 4, 5, "", ""),
    ("P-2", "Rotate service credentials", "Security", "security", 300, 3, 0.9, 4, 2, 5, 9, 3, "", ""),
    ("P-3", "Shared build cache", "Build", "developer-experience", 900, 2, 0.7, 8, 4, 3, 2, 9, "P-5", "Mobile"),
    ("P-4", "Self-service environments", "Core", "unblocking", 600, 3, 0.6, 10, 5, 4, 3, 8, "P-3", ""),
    ("P-5", "Artifact store", "Build", "capability", 200, 1, 0.5, 5, 6, 5, 5, 4, "", ""),
    ("P-6", "Query insights", "Data", "capability", 150, 2, 0.5, 3, 2, 2, 1, 6, "P-4", ""),
    ("P-7", "Audit log export", "Security", "security", 80, 1, 0.9, 2, 1, 4, 8, 2, "", ""),
    ("P-8", "Flaky test quarantine", "Build", "developer-experience", 700, 2, 0.8, 4, 2, 3, 1, 8, "", ""),
    ("P-9", "Blank ratings", "Data", "tech-debt", None, None, None, 7, None, None, None, None, "", ""),
    ("P-10", "Cost dashboards", "Data", "capability", 250, 1, 0.6, 6, 3, 2, 1, 4, "", ""),
    ("P-11", "Secrets scanner", "Security", "security", 500, 2, 0.8, 5, 3, 6, 7, 3, "", ""),
    ("P-12", "Schema registry", "Core", "capability", 350, 2, 0.7, 9, 6, 4, 2, 5, "P-6", ""),
]
FIELDS = ("id", "title", "team", "category", "reach", "impact", "confidence", "effort", "risk",
          "reliability", "security", "dx", "depends_on", "unblocks")


def portfolio() -> Portfolio:
    return Portfolio.from_records(dict(zip(FIELDS, row)) for row in ROWS)


def scenario(model=None) -> Scenario:
    capacity = Capacity.from_rows([("", "2025-Q1", 20), ("", "2025-Q2", 15)])
    return Scenario("Default", capacity=capacity) if model is None else Scenario(
        "Default", model=model, capacity=capacity)


def evaluation(model=None):
    return evaluate(portfolio(), scenario(model))
