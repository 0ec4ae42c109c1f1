"""Hand-built evaluations for the export tests, with every number worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from cutline.models.capacity.allocation import Allocation
from cutline.models.capacity.capacity import Capacity, Guardrail
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluation, evaluate
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import Criterion, ScoringModel, Tier
from cutline.models.scoring.ranking import Ranking

TIER_NAMES = ("Reliability and security first", "Everything else")
RECORDS = [
    {"id": "I-1", "title": "Harden database failover", "team": "Core", "category": "reliability",
     "reliability": 9, "effort": 4, "confidence": 0.8, "reach": 1200, "Jira key": "PLAT-1",
     "Budget": 1200.5, "Due": dt.date(2027, 3, 31)},
    {"id": "I-2", "title": '=HYPERLINK("http://evil.example","click")', "team": "Core",
     "category": "capability", "reliability": 2, "effort": 2, "confidence": 0.5,
     "notes": "+44 20 7946 0000", "Jira key": "-PLAT-2", "Budget": -1200.5},
    {"id": "I-3", "title": "-5 flaky tests", "team": "Edge", "category": "security",
     "reliability": 8, "effort": 8, "Jira key": "@SUM(A1)", "Budget": "\tTabbed"},
    {"id": "I-4", "title": "@mention bot", "team": "Edge", "category": "developer-experience",
     "effort": 6, "notes": "line one\r\nline two", "Jira key": "_x0041_ literal", "Budget": None},
    {"id": "I-5", "title": "Retire old CI", "team": "Core", "category": "tech-debt",
     "reliability": 5, "effort": 10, "depends_on": "I-1", "Jira key": "PLAT-5", "Budget": 0},
]
EXTRAS = ("Jira key", "Budget", "Due")
#: Worked by hand: reliability scale 0..10 (weight 3, share 0.75), effort cost minmax 2..10
#: (weight 1, share 0.25). I-4 has no reliability rating, so it gets 0 there.
NORMALISED = np.array([[0.9, 0.75], [0.2, 1.0], [0.8, 0.25], [0.0, 0.5], [0.5, 0.0]])
CONTRIBUTIONS = np.array([[67.5, 18.75], [15.0, 25.0], [60.0, 6.25], [0.0, 12.5], [37.5, 0.0]])
SCORES = np.array([86.25, 40.0, 66.25, 12.5, 37.5])
ORDER = np.array([0, 2, 1, 4, 3])  # tier 1 (I-1, I-3) first, then by score
RANK = np.array([1, 3, 2, 5, 4])


def model(weights=(3.0, 1.0)) -> ScoringModel:
    return ScoringModel(
        criteria=(
            Criterion("reliability", "reliability", "benefit", "scale", weights[0], 0, 10),
            Criterion("effort", "effort", "cost", "minmax", weights[1]),
        ),
        tiers=(Tier(TIER_NAMES[0], "category in ('reliability', 'security')"),),
        name="Platform",
        description="Reliability first, then small work.",
    )


def capacity() -> Capacity:
    return Capacity.from_rows(
        [("Core", "2027-Q1", 6), ("Core", "2027-Q2", 10), ("Edge", "2027-Q1", 8), ("Edge", "2027-Q2", 5)],
        (Guardrail("reliability", reserve=0.2), Guardrail("tech-debt", cap=0.5)),
    )


def portfolio(records=RECORDS, extras=EXTRAS) -> Portfolio:
    return Portfolio.from_records(records, extra_columns=extras, sheet="Initiatives")


def ranking() -> Ranking:
    tier = np.array([1, 2, 1, 2, 2])
    raw = np.array([[9, 4], [2, 2], [8, 8], [np.nan, 6], [5, 10]], dtype=float)
    return Ranking(
        criteria=("reliability", "effort"), raw=raw, normalised=NORMALISED.copy(),
        contributions=CONTRIBUTIONS.copy(), unrated=np.isnan(raw), score=SCORES.copy(),
        tier=tier, tier_names=TIER_NAMES, order=ORDER.copy(), rank=RANK.copy(),
        rice=np.full(5, np.nan), teams_unblocked=np.zeros(5), waits_on_lower=np.zeros(5, bool),
    )


def allocation() -> Allocation:
    """I-1 and I-3 funded in Q1; I-2 not (rank 3: the cut line); I-5 funded in Q2; I-4 not."""
    return Allocation(
        quarters=("2027-Q1", "2027-Q2"),
        funded=np.array([True, False, True, False, True]),
        quarter=np.array([0, -1, 0, -1, 1]),
        reason=np.array(["", "no capacity left in Core", "", "no capacity left in Edge", ""], dtype=object),
        pulled_in_by=np.array([-1, -1, -1, -1, 0]),
        cut_line=3,
        utilisation=pd.DataFrame({
            "team": pd.Series(["Core", "Core", "Edge", "Edge"], dtype=object),
            "quarter": pd.Series(["2027-Q1", "2027-Q2", "2027-Q1", "2027-Q2"], dtype=object),
            "capacity": [6.0, 10.0, 8.0, 5.0], "used": [4.0, 10.0, 8.0, 0.0], "free": [2.0, 0.0, 0.0, 5.0],
        }),
        used_by_category=pd.DataFrame({
            "team": pd.Series(["Core", "Core", "Edge"], dtype=object),
            "quarter": pd.Series(["2027-Q1", "2027-Q2", "2027-Q1"], dtype=object),
            "category": pd.Series(["reliability", "tech-debt", "security"], dtype=object),
            "used": [4.0, 10.0, 8.0],
        }),
    )


def evaluation(name: str = "Baseline", **changes) -> Evaluation:
    """The hand-worked evaluation; keyword arguments replace its parts."""
    parts = {"portfolio": portfolio(), "ranking": ranking(), "allocation": allocation()}
    parts.update(changes)
    return Evaluation(Scenario(name, model(), capacity()), **parts)


def scored(name: str = "Scored", weights=(3.0, 1.0)) -> Evaluation:
    """The same portfolio scored and allocated by Cutline itself."""
    return evaluate(portfolio(), Scenario(name, model(weights), capacity()))


@dataclass(frozen=True)
class Decision:
    time: str
    kind: str
    scenario: str
    summary: str
    old: object
    new: object


DECISIONS = (
    Decision("2027-01-12T10:15:00", "weight", "Baseline", "Raised reliability", 2, 3),
    Decision("2027-01-12T10:20:00+00:00", "pin", "Baseline", "=cmd|' /C calc'!A0", None, "in"),
)


def test_cutline_scores_the_case_as_worked_by_hand():
    ranking = scored().ranking
    assert np.allclose(ranking.normalised, NORMALISED)
    assert np.allclose(ranking.contributions, CONTRIBUTIONS)
    assert np.allclose(ranking.score, SCORES)
    assert list(ranking.order) == list(ORDER)


def test_hand_numbers_add_up():
    """The hand-worked points add up to the scores, and points = 100 × normalised × share."""
    assert np.allclose(CONTRIBUTIONS.sum(axis=1), SCORES)
    assert np.allclose(100 * NORMALISED * np.array([0.75, 0.25]), CONTRIBUTIONS)
    assert list(np.argsort(RANK)) == list(ORDER)
