"""A small plan made by hand for the roadmap tests: a chain A → B → C across lanes and quarters,
a spanning initiative, and work unrelated to the chain."""

from __future__ import annotations

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Scenario

from tests.models import test_export_cases as case

QUARTERS = ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
RECORDS = [
    {"id": "A", "title": "Replace the message broker with a managed cluster", "team": "Core",
     "layer": "infrastructure", "category": "reliability", "reliability": 9, "effort": 10},
    {"id": "B", "title": "Event schema registry", "team": "Core", "layer": "core services",
     "category": "capability", "reliability": 6, "effort": 3, "depends_on": "A"},
    {"id": "C", "title": "Self-serve event subscriptions", "team": "Edge", "layer": "enabling capabilities",
     "category": "developer-experience", "reliability": 5, "effort": 4, "depends_on": "B"},
    {"id": "D", "title": "Rotate TLS certificates", "team": "Edge", "layer": "infrastructure",
     "category": "security", "reliability": 8, "effort": 2},
    {"id": "E", "title": "Retire the old build farm", "team": "Core", "layer": "infrastructure",
     "category": "tech-debt", "reliability": 3, "effort": 2},
    {"id": "F", "title": "Tracing for batch jobs", "team": "Edge", "layer": "core services",
     "category": "reliability", "reliability": 7, "effort": 3, "depends_on": "D"},
]


def chain_case(layers: bool = True):
    """Evaluated by Cutline itself with 6 pw per team and quarter (without the layer column
    when `layers` is false)."""
    capacity = Capacity.from_rows([(team, q, 6) for team in ("Core", "Edge") for q in QUARTERS])
    records = RECORDS if layers else [{k: v for k, v in r.items() if k != "layer"} for r in RECORDS]
    portfolio = Portfolio.from_records(records, sheet="Initiatives")
    return evaluate(portfolio, Scenario("Hand-made", case.model(), capacity))
