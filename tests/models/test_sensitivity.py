"""Sensitivity of the ranking to the weights, and the smallest weight change that crosses the line."""

from dataclasses import replace

import numpy as np
import pytest
from cutline.models.capacity.capacity import Capacity
from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator, evaluate
from cutline.models.scenarios.scenario import Overrides, Scenario
from cutline.models.scenarios.sensitivity import (
    FLIP_HIGH,
    FLIP_LOW,
    Cancelled,
    sensitivity,
    smallest_weight_change,
)
from cutline.models.scoring.draw_ranking import draw_scores, rank_orders
from cutline.models.scoring.model import default_model
from cutline.models.scoring.score import rank_order
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import synthetic_capacity, synthetic_frame
from tests.models import scenarios_hand_built as hb


@pytest.fixture(scope="module")
def synthetic():
    """300 generated initiatives with the default model (tiers, RICE, unblocking) and capacity."""
    frame = synthetic_frame(300, teams=6, seed=4)
    portfolio = Portfolio.from_frame(frame, extra_columns=("Jira key", "Sponsor"))
    capacity = Capacity.from_rows(synthetic_capacity(frame, quarters=2).itertuples(index=False))
    return portfolio, Scenario("Default", default_model(), capacity)


# -- ranking many weight sets ------------------------------------------------------------------
def test_rank_orders_match_plain_ranking_including_ties():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 5, (20, 50)).astype(float)  # many exact ties
    tiers = rng.integers(1, 4, 50)
    orders = rank_orders(scores, tiers)
    for d in range(len(scores)):
        assert np.array_equal(orders[d], rank_order(tiers, scores[d]))


def test_draw_scores_equal_the_plain_formula():
    rng = np.random.default_rng(2)
    normalised = rng.random((40, 5))
    weights = np.array([3.0, 0.0, 2.0, 1.0, 0.5])
    plain = 100 * normalised @ weights / weights.sum()
    drawn = weights * rng.uniform(0.5, 1.5, (8, 5))
    got = draw_scores(plain, normalised, weights, drawn)
    expected = 100 * drawn @ normalised.T / drawn.sum(axis=1)[:, None]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # The current weights give the plain scores to the last bit.
    assert np.array_equal(draw_scores(plain, normalised, weights, weights[None, :])[0], plain)
    assert (draw_scores(plain, normalised, weights, np.zeros((1, 5))) == 0).all()


# -- sensitivity -------------------------------------------------------------------------------
def test_spread_zero_is_the_plain_allocation(synthetic):
    portfolio, scenario = synthetic
    plain = evaluate(portfolio, scenario)
    result = sensitivity(portfolio, scenario, draws=7, spread=0.0)
    assert set(np.unique(result.funded_share)) <= {0.0, 1.0}
    assert np.array_equal(result.funded_share == 1.0, plain.allocation.funded)
    for ranks in (result.rank_p5, result.median_rank, result.rank_p95):
        assert np.array_equal(ranks, plain.ranking.rank)
    assert not result.flips.any()


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(1, 6)),
                min_size=1, max_size=12),
       st.integers(0, 5), st.integers(0, 5))
def test_spread_zero_is_the_plain_allocation_with_ties(rows, w_rel, w_dx):
    """Small portfolios with many equal scores: tie-breaking must match plain ranking."""
    portfolio = Portfolio.from_records(
        {"id": f"I-{k}", "team": "Core", "reliability": r, "dx": d, "effort": e}
        for k, (r, d, e) in enumerate(rows))
    scenario = Scenario("S", hb.model(w_rel, w_dx), Capacity.from_rows([("", "Q1", 8)]))
    plain = evaluate(portfolio, scenario)
    result = sensitivity(portfolio, scenario, draws=3, spread=0.0)
    assert np.array_equal(result.funded_share == 1.0, plain.allocation.funded)
    assert np.array_equal(result.median_rank, plain.ranking.rank)


def test_hand_built_spread(synthetic):
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    result = sensitivity(p, reliability, draws=400, spread=0.25, seed=3)
    share = dict(zip(p.ids.tolist(), result.funded_share.tolist(), strict=True))
    # Weights 3 +- 25% and 1 +- 25% never lift C or D above A and B; E always fits, F never.
    assert share == {"A": 1.0, "B": 1.0, "C": 0.0, "D": 0.0, "E": 1.0, "F": 0.0}
    # A stays first in most draws (B passes it only when rel < 2 dx, about 2% of draws).
    assert result.median_rank[0] == 1 and result.median_rank[1] == 2
    assert result.rank_p95[0] == 1 and result.rank_p95[5] in (3, 4)
    assert (result.rank_p5 <= result.median_rank).all()
    assert (result.median_rank <= result.rank_p95).all()
    assert (result.draws, result.spread, result.seed) == (400, 0.25, 3)


def test_wide_spread_flips_initiatives_near_the_line(synthetic):
    portfolio, scenario = synthetic
    result = sensitivity(portfolio, scenario, draws=200, spread=0.9, seed=1)
    assert ((result.funded_share >= 0) & (result.funded_share <= 1)).all()
    assert np.array_equal(result.flips, (result.funded_share > FLIP_LOW) & (result.funded_share < FLIP_HIGH))
    assert result.flips.any()
    plain = evaluate(portfolio, scenario)
    # Flipping initiatives sit near the cut line, not at the top of the ranking.
    assert plain.ranking.rank[result.flips].min() > 1


def test_same_seed_same_result_and_other_seed_differs(synthetic):
    portfolio, scenario = synthetic
    ev = Evaluator(portfolio)
    one = sensitivity(portfolio, scenario, draws=50, seed=5, evaluator=ev)
    two = sensitivity(portfolio, scenario, draws=50, seed=5, evaluator=ev)
    other = sensitivity(portfolio, scenario, draws=50, seed=6, evaluator=ev)
    assert np.array_equal(one.funded_share, two.funded_share)
    assert np.array_equal(one.rank_p95, two.rank_p95)
    assert not np.array_equal(one.funded_share, other.funded_share)


def test_progress_and_cancel(synthetic):
    portfolio, scenario = synthetic
    seen = []
    sensitivity(portfolio, scenario, draws=100, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 1
    asked = []

    def cancel_on_second():
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(Cancelled):
        sensitivity(portfolio, scenario, draws=100, cancelled=cancel_on_second)


def test_pins_hold_in_every_draw():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    pinned = replace(reliability, overrides=Overrides().with_pin("A", False).with_pin("F", True))
    result = sensitivity(p, pinned, draws=50, spread=0.5)
    assert result.funded_share[0] == 0.0  # A pinned out
    assert result.funded_share[5] == 0.0  # F pinned in, but 20 weeks never fit in 10


@pytest.mark.parametrize(("settings", "message"), [
    ({"draws": 0}, "draws"),
    ({"draws": 2.5}, "draws"),
    ({"spread": -0.1}, "spread"),
    ({"spread": 1.5}, "spread"),
    ({"spread": float("nan")}, "spread"),
    ({"seed": -1}, "seed"),
    ({"seed": "x"}, "whole numbers"),
])
def test_bad_settings(settings, message):
    p = hb.portfolio()
    with pytest.raises(ModelError, match=message):
        sensitivity(p, hb.scenarios()[0], **settings)


# -- smallest weight change --------------------------------------------------------------------
def _funded_with(evaluator, scenario, criterion, weight, row):
    changed = replace(scenario, model=scenario.model.with_weight(criterion, weight))
    return bool(evaluator.evaluate(changed).allocation.funded[row])


def test_smallest_change_hand_built():
    """C (unfunded) passes A once dx weighs more than 2; lowering reliability needs 1.5."""
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    for row in (0, 2):  # A is pushed out, C pulled in, by the same change
        change = smallest_weight_change(p, reliability, row)
        assert change.criterion == "dx"
        assert change.old_weight == 1.0
        assert 2.0 < change.new_weight < 2.0 + 1e-4
        assert change.funded_before == (row == 0) and change.funded_after == (row != 0)
        assert change.change == pytest.approx(1.0, abs=1e-4)
        assert _funded_with(Evaluator(p), reliability, "dx", change.new_weight, row) == change.funded_after


def test_no_change_can_move_some_initiatives():
    p = hb.portfolio()
    reliability, _ = hb.scenarios()
    assert smallest_weight_change(p, reliability, 5) is None  # F never fits
    assert smallest_weight_change(p, reliability, 4) is None  # E always fits
    pinned = replace(reliability, overrides=Overrides().with_pin("A", True))
    assert smallest_weight_change(p, pinned, 0) is None
    with pytest.raises(ModelError, match="no initiative at row 9"):
        smallest_weight_change(p, reliability, 9)


def test_smallest_change_is_verified_and_minimal(synthetic):
    portfolio, scenario = synthetic
    ev = Evaluator(portfolio)
    plain = ev.evaluate(scenario)
    found = 0
    for row in _team_cut_lines(portfolio, plain):
        change = smallest_weight_change(portfolio, scenario, row, evaluator=ev)
        if change is None:
            continue
        found += 1
        assert change.funded_before == bool(plain.allocation.funded[row])
        assert change.new_weight >= 0
        assert _funded_with(ev, scenario, change.criterion, change.new_weight, row) == change.funded_after
        # No criterion flips it on a grid of smaller changes, up or down.
        size = abs(change.change)
        for c in scenario.model.criteria:
            for step in np.linspace(0, size, 6)[1:-1]:
                for weight in (c.weight + step, c.weight - step):
                    if weight >= 0:
                        assert _funded_with(ev, scenario, c.name, weight, row) == change.funded_before
    assert found >= 4


def _team_cut_lines(portfolio, plain, teams=3):
    """Per team, its last funded and first unfunded initiative in rank order (capacity is per team)."""
    rows = []
    team = portfolio.text("team")
    order = plain.ranking.order
    funded = plain.allocation.funded
    for name in list(dict.fromkeys(team[order].tolist()))[:teams]:
        mine = order[team[order] == name]
        rows += mine[funded[mine]][-1:].tolist() + mine[~funded[mine]][:1].tolist()
    return rows
