"""What breaks if we delay it (models/capacity/delay.py), worked out by hand.

Two teams, Platform and Data (and Web), 10 person-weeks each in 2027-Q1..Q3; one criterion,
`reliability` (0..10), ranks the initiatives in this order:

    id  team      effort  depends on  due      plan as it is      P1 delayed by 1     by 2
    P1  Platform    10                          Q1                Q2                  Q3
    D1  Data        10    P1                    Q1                Q2 (later)          Q3 (later)
    D2  Data        10    D1          2027-Q2   Q2                Q3 (later, late)    out: Data full in Q3
    P2  Platform    20                          Q2 -> Q3          Q1 -> Q3 (earlier)  Q1 -> Q2 (earlier)
    D3  Data        10    P2                    Q3                out: Data full      Q2 (earlier)
    W1  Web          5                          Q1                Q1                  Q1

A dependent starts no earlier than the quarter its last prerequisite finishes in. Delayed by 1,
P1 starts in Q2, so D1 (Data) waits for Q2, and D2 for Q3, after its due quarter Q2; P2 takes
Platform's Q1 (P1 left it) and Q3, finishing in Q3 as before, so D3 may start only in Q3, where
D2 has taken all of Data: D3 falls out. Delayed by 3, P1 cannot start within the plan at all.
"""

from __future__ import annotations

import numpy as np
import pytest
from cutline.models.capacity.capacity import Capacity
from cutline.models.capacity.delay import delay_effects
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import Criterion, ScoringModel

ROWS = [  # id, team, effort, depends_on, due, value
    ("P1", "Platform", 10, "", "", 10),
    ("D1", "Data", 10, "P1", "", 9),
    ("D2", "Data", 10, "D1", "2027-Q2", 8),
    ("P2", "Platform", 20, "", "", 7),
    ("D3", "Data", 10, "P2", "", 6),
    ("W1", "Web", 5, "", "", 5),
]
QUARTERS = ("2027-Q1", "2027-Q2", "2027-Q3")


def portfolio() -> Portfolio:
    return Portfolio.from_records(
        {"id": i, "title": f"Initiative {i}", "team": team, "effort": effort, "depends_on": deps,
         "quarter": due, "reliability": value}
        for i, team, effort, deps, due, value in ROWS)


def scenario() -> Scenario:
    model = ScoringModel(criteria=(Criterion("reliability", "reliability", "benefit", "scale", 1, 0, 10),), tiers=(), name="Value")
    capacity = Capacity.from_rows([(t, q, 10) for t in ("Platform", "Data", "Web") for q in QUARTERS])
    return Scenario("Plan", model, capacity)


def ids(moved) -> list[str]:
    return [m.id for m in moved]


def test_the_plan_as_it_is():
    a = Evaluator(portfolio()).evaluate(scenario()).allocation
    assert a.funded.all() and not a.late.any()
    assert [QUARTERS[q] for q in a.quarter] == ["2027-Q1", "2027-Q1", "2027-Q2", "2027-Q2", "2027-Q3", "2027-Q1"]
    assert [QUARTERS[q] for q in a.finish] == ["2027-Q1", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q3", "2027-Q1"]


def test_delay_by_one_quarter():
    effects = delay_effects(Evaluator(portfolio()), scenario(), "P1")
    d = effects.delayed
    assert (d.id, d.team, d.before_quarter, d.after_quarter, d.after_finish) == \
        ("P1", "Platform", "2027-Q1", "2027-Q2", "2027-Q2")
    assert [(m.id, m.team, m.before_quarter, m.after_quarter) for m in effects.starts_later] == \
        [("D1", "Data", "2027-Q1", "2027-Q2"), ("D2", "Data", "2027-Q2", "2027-Q3")]
    assert [(m.id, m.due_quarter, m.before_finish, m.after_finish, m.late_before, m.late_after)
            for m in effects.newly_late] == [("D2", "2027-Q2", "2027-Q2", "2027-Q3", False, True)]
    (out,) = effects.unfunded
    assert (out.id, out.team, out.before_quarter, out.after_quarter) == ("D3", "Data", "2027-Q3", None)
    assert out.reason == "needs 10 person-weeks, team Data has 0 free from 2027-Q3 to the end of the plan"
    assert [(m.id, m.before_quarter, m.after_quarter, m.after_finish) for m in effects.starts_earlier] == \
        [("P2", "2027-Q2", "2027-Q1", "2027-Q3")]
    assert effects.finishes_later == () and effects.newly_funded == ()
    assert effects.teams == ("Data",) and not effects.breaks_nothing


def test_delay_by_two_quarters():
    effects = delay_effects(portfolio(), scenario(), 0, quarters=2)  # a Portfolio and a row work too
    assert effects.delayed.after_quarter == "2027-Q3"
    assert [(m.id, m.after_quarter) for m in effects.starts_later] == [("D1", "2027-Q3")]
    assert ids(effects.unfunded) == ["D2"] and effects.unfunded[0].reason.startswith("needs 10 person-weeks, team Data")
    assert effects.newly_late == ()
    assert [(m.id, m.after_quarter, m.after_finish) for m in effects.starts_earlier] == \
        [("P2", "2027-Q1", "2027-Q2"), ("D3", "2027-Q2", "2027-Q2")]
    assert effects.teams == ("Data",)


def test_delay_past_the_plan_refuses_it_and_its_dependants():
    effects = delay_effects(portfolio(), scenario(), "P1", quarters=3)
    assert effects.delayed.after_quarter is None
    assert "cannot start before the end of the plan (after 2027-Q3)" in effects.delayed.reason
    assert ids(effects.unfunded) == ["D1", "D2"]
    assert [m.reason for m in effects.unfunded] == ["waits on P1", "waits on D1"]


def test_delaying_the_last_of_a_chain_breaks_nothing():
    effects = delay_effects(portfolio(), scenario(), "W1")
    assert effects.delayed.after_quarter == "2027-Q2"
    assert effects.breaks_nothing and effects.teams == ()
    data = effects.to_dict()
    assert data["breaks_nothing"] and data["delayed"]["after_quarter"] == "2027-Q2" and data["unfunded"] == []


def test_the_plan_is_not_changed():
    evaluator = Evaluator(portfolio())
    before = evaluator.evaluate(scenario()).allocation
    delay_effects(evaluator, scenario(), "P1")
    again = evaluator.evaluate(scenario()).allocation
    assert np.array_equal(before.quarter, again.quarter) and np.array_equal(before.funded, again.funded)


@pytest.mark.parametrize("row, quarters, message", [
    ("NOPE", 1, "no initiative 'NOPE'"),
    ("P1", 0, "whole number of quarters"),
    (99, 1, "no row 99"),
])
def test_bad_questions(row, quarters, message):
    with pytest.raises(ModelError, match=message):
        delay_effects(portfolio(), scenario(), row, quarters)


def test_an_unfunded_initiative_has_nothing_to_delay():
    s = scenario()
    s = Scenario(s.name, s.model, Capacity.from_rows([(t, q, 10) for t in ("Platform", "Data") for q in QUARTERS]))
    with pytest.raises(ModelError, match="W1 is not funded"):
        delay_effects(portfolio(), s, "W1")
