"""The evaluation pipeline: scenario -> ranking -> allocation, overrides, caches."""

from dataclasses import replace

import numpy as np
import pytest
from cutline.models.capacity.capacity import Capacity
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.comparison import DROPPED_BELOW, NEW_ABOVE, compare
from cutline.models.scenarios.pipeline import (
    Evaluation,
    Evaluator,
    apply_inputs,
    evaluate,
    without_unknown,
)
from cutline.models.scenarios.scenario import Overrides, Scenario
from hypothesis import given
from hypothesis import strategies as st

from tests.models import scenarios_hand_built as hb


def _by_id(portfolio, values):
    return dict(zip(portfolio.ids.tolist(), np.asarray(values).tolist(), strict=True))


def test_hand_built_scenarios_rank_and_fund_as_worked_out():
    p = hb.portfolio()
    reliability, dx = hb.scenarios()
    a, b = evaluate(p, reliability), evaluate(p, dx)
    assert isinstance(a, Evaluation) and a.scenario is reliability
    assert _by_id(p, a.ranking.score) == pytest.approx(
        {"A": 70, "B": 65, "C": 55, "D": 30, "E": 10, "F": 60})
    assert _by_id(p, b.ranking.score) == pytest.approx(
        {"A": 30, "B": 55, "C": 65, "D": 70, "E": 10, "F": 20})
    assert _by_id(p, a.ranking.rank) == {"A": 1, "B": 2, "F": 3, "C": 4, "D": 5, "E": 6}
    assert _by_id(p, b.ranking.rank) == {"D": 1, "C": 2, "B": 3, "A": 4, "F": 5, "E": 6}
    assert _by_id(p, a.allocation.funded) == {
        "A": True, "B": True, "C": False, "D": False, "E": True, "F": False}
    assert _by_id(p, b.allocation.funded) == {
        "A": False, "B": False, "C": True, "D": True, "E": True, "F": False}
    assert a.allocation.cut_line == 3 and b.allocation.cut_line == 3


def test_hand_built_comparison():
    p = hb.portfolio()
    ev = Evaluator(p)
    c = compare([ev.evaluate(s) for s in hb.scenarios()])
    assert c.names == ("Reliability", "DX")
    assert _by_id(p, c.rank_change[1]) == {"A": -3, "B": -1, "C": 2, "D": 4, "E": 0, "F": -2}
    assert _by_id(p, c.change_label[1]) == {
        "A": DROPPED_BELOW, "B": DROPPED_BELOW, "C": NEW_ABOVE, "D": NEW_ABOVE,
        "E": "", "F": "down 2"}
    assert c.funding_changes == ("A", "B", "C", "D")  # in the baseline's rank order
    # By baseline rank (A B F C D E) the DX ranks are 4 3 5 2 1 6: 8 discordant pairs of 15.
    assert c.kendall_tau[1] == pytest.approx((15 - 2 * 8) / 15)
    assert c.funded_overlap.tolist() == pytest.approx([1.0, 1 / 5])  # {A,B,E} vs {C,D,E}
    assert c.cut_line == (3, 3)
    used = {(s, k): u for s, k, u in c.capacity_by_category.itertuples(index=False)}
    assert used == {("Reliability", "dx"): 2.0, ("Reliability", "reliability"): 8.0,
                    ("DX", "dx"): 10.0, ("DX", "reliability"): 0.0}


def test_input_override_applies_to_its_scenario_only():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    # C rated 10 for reliability: (3 * 1.0 + 0.7) / 4 = 92.5, first, and funded.
    changed = replace(reliability, overrides=Overrides().with_input("C", "reliability", 10))
    ev = Evaluator(p)
    result = ev.evaluate(changed)
    assert result.portfolio.value(2, "reliability") == 10.0
    assert p.value(2, "reliability") == 5.0
    assert result.ranking.score[2] == pytest.approx(92.5)
    assert result.ranking.rank[2] == 1
    assert _by_id(p, result.allocation.funded) == {
        "A": True, "B": False, "C": True, "D": False, "E": True, "F": False}
    assert ev.evaluate(reliability).ranking.rank[2] == 4


def test_blank_and_text_overrides():
    p = hb.portfolio()
    overrides = Overrides(inputs=(("A", "effort", ""), ("B", "team", "Edge"), ("C", "dx", "3.5")))
    q = apply_inputs(p, overrides)
    assert np.isnan(q.value(0, "effort"))
    assert q.value(1, "team") == "Edge"
    assert q.value(2, "dx") == 3.5


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ((("Z", "dx", 3),), "initiative 'Z', which is not in the portfolio"),
        ((("A", "colour", 3),), "no such column"),
        ((("A", "id", "A2"),), "no such column that a scenario may change"),
        ((("A", "dx", "lots"),), "not a number"),
        ((("A", "dx", float("inf")),), "not a number"),
    ],
)
def test_bad_input_overrides_raise_model_error(inputs, message):
    p = hb.portfolio()
    scenario = replace(hb.scenarios()[0], overrides=Overrides(inputs=inputs))
    with pytest.raises(ModelError, match=message) as caught:
        evaluate(p, scenario)
    assert "Reliability" in str(caught.value)


def test_pins():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    # A pinned out frees room for C (rank 4); D pinned in is funded first.
    pinned = replace(reliability, overrides=Overrides().with_pin("A", False).with_pin("D", True))
    result = evaluate(p, pinned)
    assert _by_id(p, result.allocation.funded) == {
        "A": False, "B": True, "C": False, "D": True, "E": True, "F": False}
    assert result.allocation.reason[0] == "pinned out"
    unknown = replace(reliability, overrides=Overrides().with_pin("Z", True))
    with pytest.raises(ModelError, match="pins initiative 'Z'"):
        evaluate(p, unknown)


def test_without_unknown_drops_stale_overrides():
    p = hb.portfolio()
    stale = Overrides(pins=(("A", True), ("Z", False)),
                      inputs=(("B", "dx", 2), ("Y", "dx", 1), ("C", "colour", 1)))
    kept = without_unknown(p, stale)
    assert kept.pins == (("A", True),)
    assert kept.inputs == (("B", "dx", 2),)


def test_evaluator_reuses_scorer_and_allocator_after_a_weight_change():
    p = hb.portfolio()
    reliability, dx = hb.scenarios()
    ev = Evaluator(p)
    first = ev.evaluate(reliability)
    scorer, allocator = ev.scorer_for(reliability), ev.allocator_for(reliability)
    heavier = replace(reliability, model=reliability.model.with_weight("dx", 5))
    second = ev.evaluate(heavier)
    assert ev.scorer_for(heavier) is scorer
    assert ev.allocator_for(heavier) is allocator
    assert ev.allocator_for(dx) is allocator  # same capacity, equal by value
    assert ev.portfolio_for(heavier) is p  # no input overrides: the portfolio itself
    assert not np.array_equal(first.ranking.score, second.ranking.score)
    # The cached path gives exactly what a fresh evaluation gives.
    fresh = evaluate(p, heavier)
    assert np.array_equal(fresh.ranking.order, second.ranking.order)
    assert np.array_equal(fresh.allocation.funded, second.allocation.funded)


def test_capacity_change_builds_a_new_allocator():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    ev = Evaluator(p)
    ev.evaluate(reliability)
    roomy = replace(reliability, capacity=type(reliability.capacity).from_rows([("", "2027-Q1", 100)]))
    assert ev.allocator_for(roomy) is not ev.allocator_for(reliability)
    assert ev.evaluate(roomy).allocation.funded.all()


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(1, 6)),
                min_size=1, max_size=15),
       st.integers(0, 4), st.integers(0, 4))
def test_a_scenario_compared_with_itself_shows_no_change(rows, w_rel, w_dx):
    portfolio = Portfolio.from_records(
        {"id": f"I-{k}", "team": "Core", "category": "dx" if k % 2 else "reliability",
         "reliability": r, "dx": d, "effort": e}
        for k, (r, d, e) in enumerate(rows))
    scenario = Scenario("Same", hb.model(w_rel, w_dx), Capacity.from_rows([("", "Q1", 9)]))
    copy = replace(scenario, name="Copy")
    c = compare([evaluate(portfolio, scenario), Evaluator(portfolio).evaluate(copy)])
    assert (c.rank_change == 0).all() and (c.change_label == "").all()
    assert c.funding_changes == ()
    assert c.kendall_tau.tolist() == [1.0, 1.0]
    assert c.funded_overlap.tolist() == [1.0, 1.0]
    assert c.cut_line[0] == c.cut_line[1]
    by_scenario = c.capacity_by_category.groupby("scenario", sort=False)["used"].apply(list)
    assert by_scenario["Same"] == by_scenario["Copy"]


def test_pinning_out_shows_as_dropped_below_the_line():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    pinned = replace(reliability, name="Without A", overrides=Overrides().with_pin("A", False))
    ev = Evaluator(p)
    c = compare([ev.evaluate(reliability), ev.evaluate(pinned)])
    # A keeps rank 1 but is not funded; C (4 weeks) takes its room.
    assert _by_id(p, c.change_label[1]) == {
        "A": DROPPED_BELOW, "B": "", "C": NEW_ABOVE, "D": "", "E": "", "F": ""}
    assert c.funding_changes == ("A", "C")
    assert c.kendall_tau[1] == 1.0
    assert c.cut_line == (3, 1)
