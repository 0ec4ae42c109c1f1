"""Two hand-built scenarios of six initiatives whose ranks and funding are worked out by hand.

Both criteria are rated 0 to 10 on a fixed scale, so a rating r normalises to r / 10 and
a score is 100 * (0.1 * reliability * w_rel + 0.1 * dx * w_dx) / (w_rel + w_dx).

    id  reliability  dx  effort  category     "Reliability" (3, 1)   "DX" (1, 3)
    A        9        1     4    reliability   70.0  rank 1  funded   30.0  rank 4
    B        7        5     4    reliability   65.0  rank 2  funded   55.0  rank 3
    C        5        7     4    dx            55.0  rank 4           65.0  rank 2  funded
    D        1        9     4    dx            30.0  rank 5           70.0  rank 1  funded
    E        1        1     2    dx            10.0  rank 6  funded   10.0  rank 6  funded
    F        8        0    20    reliability   60.0  rank 3           20.0  rank 5

One pooled quarter of 10 person-weeks: the first two initiatives of effort 4 fit (8), F
(20) never fits, and E (2) fills the rest. The cut line is rank 3 in both scenarios.
"""

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import Criterion, ScoringModel

ROWS = [
    ("A", 9, 1, 4, "reliability"),
    ("B", 7, 5, 4, "reliability"),
    ("C", 5, 7, 4, "dx"),
    ("D", 1, 9, 4, "dx"),
    ("E", 1, 1, 2, "dx"),
    ("F", 8, 0, 20, "reliability"),
]


def portfolio() -> Portfolio:
    return Portfolio.from_records(
        {"id": i, "title": f"Initiative {i}", "team": "Core", "category": cat,
         "reliability": rel, "dx": dx, "effort": effort}
        for i, rel, dx, effort, cat in ROWS
    )


def model(reliability: float, dx: float, name: str = "Hand-built") -> ScoringModel:
    return ScoringModel(
        criteria=(
            Criterion("reliability", "reliability", "benefit", "scale", reliability, 0, 10),
            Criterion("dx", "dx", "benefit", "scale", dx, 0, 10),
        ),
        tiers=(),
        name=name,
    )


def capacity() -> Capacity:
    return Capacity.from_rows([("", "2027-Q1", 10)])


def scenarios() -> tuple[Scenario, Scenario]:
    return (
        Scenario("Reliability", model(3, 1, "Reliability"), capacity()),
        Scenario("DX", model(1, 3, "DX"), capacity()),
    )
