"""Coverage: which criteria of a model have data in a portfolio, and the best-fitting template."""

import time

import numpy as np
import pytest
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.coverage import (
    CriterionCoverage,
    best_template,
    covered_share,
    criterion_coverage,
    fits,
)
from cutline.models.scoring.model import Criterion, ScoringModel
from cutline.models.scoring.score import Scorer
from cutline.models.scoring.templates import load_template

from tests.models.test_templates import portfolio


def test_coverage_counts_and_words():
    p = portfolio()
    assert criterion_coverage(load_template("weighted_scoring"), p) == [
        CriterionCoverage("impact", "column 'impact'", 3, 3, False, 3.0, True),
        CriterionCoverage("strategic alignment", "column 'Strategic alignment' through a value map",
                          2, 3, False, 3.0, True),
        CriterionCoverage("effort", "column 'effort'", 3, 3, False, 2.0, True),
        CriterionCoverage("risk", "column 'risk'", 2, 3, False, 1.0, True),
    ]
    (wsjf,) = criterion_coverage(load_template("wsjf"), p)
    assert wsjf.source == "formula over Business Value, Time Criticality, Risk, effort"
    assert (wsjf.valued, wsjf.blank_for_all) == (2, False)
    default = {c.name: c for c in criterion_coverage(load_template("platform_default"), p)}
    assert default["unblocking"].source == "derived: teams unblocked from dependencies"
    assert default["unblocking"].valued == 3 and not default["unblocking"].varies  # all 0
    assert default["rice"].source == "derived: RICE from reach, impact, confidence and effort"
    assert default["reliability"].blank_for_all and default["reliability"].problem == ""


def test_a_formula_through_a_value_map_says_so():
    model = ScoringModel(criteria=(Criterion("v", "formula", formula="`Priority` / effort"),))
    model = model.with_value_map("priority", {"P1": 4})
    (c,) = criterion_coverage(model, portfolio())
    assert c.source == "formula over Priority, effort (Priority through a value map)"
    assert c.valued == 2  # X P1 = 4, Z 3; Y 'Urgent' is not in this map


def test_a_missing_column_counts_as_blank_for_all():
    p = Portfolio.from_records([{"id": "A", "effort": 1}, {"id": "B", "effort": 2}])
    coverage = criterion_coverage(load_template("priority_effort"), p)
    assert coverage[0] == CriterionCoverage(
        "priority", "column 'Priority'", 0, 2, True, 3.0, False,
        "Criterion 'priority', key 'source': there is no column or derived value called 'Priority'.",
    )
    assert coverage[1].valued == 2 and not coverage[1].blank_for_all
    bad = ScoringModel(criteria=(Criterion("f", "formula", formula="reach * missing"),
                                 Criterion("t", "team")))
    assert [c.blank_for_all for c in criterion_coverage(bad, p)] == [True, True]
    assert "There is no column called 'missing'" in criterion_coverage(bad, p)[0].problem
    assert not fits(load_template("priority_effort"), p)


def test_fits_and_covered_share():
    p = portfolio()
    assert fits(load_template("weighted_scoring"), p)
    assert fits(load_template("rice"), p)
    assert not fits(load_template("platform_default"), p)  # no reliability, security or dx
    # Weighted scoring: (3 * 3/3 + 3 * 2/3 + 2 * 3/3 + 1 * 2/3) / 9 = (3 + 2 + 2 + 2/3) / 9.
    assert covered_share(load_template("weighted_scoring"), p) == pytest.approx((7 + 2 / 3) / 9)
    # A criterion with weight 0 neither needs data nor counts.
    model = ScoringModel(criteria=(Criterion("e", "effort"), Criterion("dx", "dx", weight=0)))
    assert fits(model, p) and covered_share(model, p) == 1.0
    assert not fits(ScoringModel(criteria=()), p)
    assert covered_share(model, Portfolio.from_records([])) == 0.0


def records(n, **columns):
    rng = np.random.default_rng(7)
    out = []
    for i in range(n):
        row = {"id": f"I-{i}", "team": f"t{i % 9}"}
        for name, values in columns.items():
            row[name] = values[int(rng.integers(len(values)))]
        out.append(row)
    return out


@pytest.mark.parametrize(
    "columns, extra, best",
    [
        ({"reach": [10, 50, 100], "impact": [1, 2, 3], "confidence": [0.5, 1.0], "effort": [1, 3, 8]},
         [], "rice"),
        ({"Priority": ["Highest", "Low", "P2", 1], "effort": [1, 3, 8]}, ["Priority"], "priority_effort"),
        ({"Business Value": [1, 5, 8], "Time Criticality": [1, 3, 8], "risk": [2, 5, 8],
          "effort": [1, 3, 8]}, ["Business Value", "Time Criticality"], "wsjf"),
        ({"impact": [1, 2, 3], "Strategic alignment": ["High", "Low", 3], "effort": [1, 3, 8],
          "risk": [1, 9]}, ["Strategic alignment"], "weighted_scoring"),
        ({"reliability": [1, 9], "security": [2, 8], "dx": [3, 7], "effort": [1, 3],
          "risk": [1, 9]}, [], "platform_default"),
        ({"notes": ["x", "y"]}, [], "platform_default"),  # nothing fits: a tie at 0
    ],
)
def test_best_template(columns, extra, best):
    p = Portfolio.from_records(records(40, **columns), extra_columns=extra)
    assert best_template(p) == best


def test_best_template_of_an_empty_portfolio_is_the_platform_default():
    assert best_template(Portfolio.from_records([])) == "platform_default"


def test_best_template_is_cheap_on_ten_thousand_rows():
    columns = {"Priority": ["Highest", "High", "Medium", "P2", "Must", 3, "???"],
               "effort": [1, 2, 3, 5, 8, None], "reach": [10, 100], "impact": [1, 2],
               "confidence": [0.5, 1.0], "risk": [1, 5, 9],
               "Business Value": [1, 5, 8, "High"], "Time Criticality": [1, 3]}
    p = Portfolio.from_records(records(10_000, **columns),
                               extra_columns=["Priority", "Business Value", "Time Criticality"])
    scorer = Scorer(p)
    start = time.perf_counter()
    key = best_template(p, scorer)
    elapsed = time.perf_counter() - start
    assert key in ("priority_effort", "rice", "wsjf")
    assert elapsed < 2.0, f"best_template took {elapsed:.2f} s on 10,000 rows"
