"""The derived criterion source `cost_of_delay`, worked by hand as in docs/scoring.md.

    cost of delay = Business Value + Time Criticality + Risk

With no `Time Criticality` values in the file, time criticality is derived from the due quarter:
max(0, 10 - 2.5 * k), k the quarters after the earliest due quarter of the portfolio (2027-Q1):

    id  Business Value  due         k  time criticality  Risk  cost of delay
    A   8               2027-Q1     0  10                8     26
    B   5               2027-Q3     2  5                 2     12
    C   3               (none)         0                 5     8
    D   13              2028-06-30  5  0   (2028-Q2)     blank blank
    E   2               2027-Q2     1  7.5               4     13.5
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.coverage import criterion_coverage
from cutline.models.scoring.model import DERIVED_SOURCES, Criterion, ScoringModel
from cutline.models.scoring.score import Scorer, derived_time_criticality, score

EXTRA = ["Business Value", "Time Criticality"]
ROWS = [("A", 8, "2027-Q1", 8), ("B", 5, "2027-Q3", 2), ("C", 3, "", 5), ("D", 13, "2028-06-30", None),
        ("E", 2, "2027-Q2", 4)]


def portfolio(criticality=None) -> Portfolio:
    return Portfolio.from_records(
        ({"id": i, "effort": 1, "quarter": due, "risk": risk, "Business Value": bv,
          "Time Criticality": None if criticality is None else criticality[k]}
         for k, (i, bv, due, risk) in enumerate(ROWS)), extra_columns=EXTRA)


def values(a: np.ndarray) -> list:
    return [None if math.isnan(v) else v for v in a.tolist()]


def test_cost_of_delay_with_derived_time_criticality():
    assert "cost_of_delay" in DERIVED_SOURCES
    assert derived_time_criticality(["2027-Q1", "2027-Q3", "", "2028-06-30", "2027-Q2"]).tolist() == \
        [10.0, 5.0, 0.0, 0.0, 7.5]
    assert values(Scorer(portfolio()).cost_of_delay) == [26.0, 12.0, 8.0, None, 13.5]


def test_a_time_criticality_column_wins_over_the_due_quarter():
    # 5, 8, 2, 1, blank: E's blank time criticality makes its cost of delay blank, as in WSJF
    p = portfolio([5, 8, 2, 1, None])
    assert values(Scorer(p).cost_of_delay) == [21.0, 15.0, 10.0, None, None]


def test_without_business_value_it_is_blank():
    p = Portfolio.from_records([{"id": "A", "quarter": "2027-Q1", "risk": 3}])
    assert values(Scorer(p).cost_of_delay) == [None]


def test_cost_of_delay_as_a_criterion_ranks_and_is_named_in_words():
    model = ScoringModel(criteria=(Criterion("cost of delay", "cost_of_delay", "benefit", "minmax", 1),), tiers=())
    r = score(portfolio(), model)
    # minmax over 8..26: A 100, E (13.5 - 8) / 18 = 30.56, B (12 - 8) / 18 = 22.22, C 0, D blank 0
    assert r.score.tolist() == pytest.approx([100.0, 400 / 18, 0.0, 0.0, 550 / 18])
    assert [ROWS[i][0] for i in r.order.tolist()] == ["A", "E", "B", "C", "D"]
    (coverage,) = criterion_coverage(model, portfolio())
    assert coverage.source.startswith("derived: cost of delay, Business Value + Time Criticality")
    assert coverage.valued == 4


def test_wsjf_over_cost_of_delay_in_a_formula():
    model = ScoringModel(criteria=(Criterion("wsjf", "formula", "benefit", "minmax", 1,
                                             formula="cost_of_delay / effort"),), tiers=())
    r = score(portfolio(), model)
    assert values(r.raw[:, 0]) == [26.0, 12.0, 8.0, None, 13.5]


def test_the_risk_words_of_azure_devops_read_through_the_models_value_map():
    # Risk as an extra column in Azure DevOps' words; the WSJF template maps 1 - High to 8, 3 - Low to 2.
    from cutline.models.scoring.templates import load_template

    p = Portfolio.from_records(
        [{"id": "A", "effort": 2, "Business Value": 8, "Time Criticality": 3, "Risk": "1 - High"},
         {"id": "B", "effort": 1, "Business Value": 5, "Time Criticality": 1, "Risk": "3 - Low"},
         {"id": "C", "effort": 4, "Business Value": 2, "Time Criticality": 2, "Risk": 6}],
        extra_columns=["Business Value", "Time Criticality", "Risk"])
    wsjf = load_template("wsjf")
    r = score(p, wsjf)
    # (8 + 3 + 8) / 2 = 9.5, (5 + 1 + 2) / 1 = 8, (2 + 2 + 6) / 4 = 2.5
    assert values(r.raw[:, 0]) == [9.5, 8.0, 2.5]
    (coverage,) = criterion_coverage(wsjf, p)
    assert coverage.source == "formula over Business Value, Time Criticality, Risk, effort " \
                              "(Risk through a value map)"
    # A model without the map reads the words as blank, as any column without a map does.
    plain = ScoringModel(criteria=wsjf.criteria, tiers=())
    assert values(score(p, plain).raw[:, 0]) == [None, None, 2.5]


def test_the_wsjf_template_takes_time_criticality_from_due_quarters():
    from cutline.models.scoring.templates import load_template

    # Without a Time Criticality column: (Business Value + derived TC + risk) / effort, as in the table above.
    r = score(portfolio(), load_template("wsjf"))
    assert values(r.raw[:, 0]) == [26.0, 12.0, 8.0, None, 13.5]
    (coverage,) = criterion_coverage(load_template("wsjf"), portfolio())
    assert "the due quarter" in coverage.source
