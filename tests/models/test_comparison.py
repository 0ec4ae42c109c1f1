"""Comparison of scenarios: rank changes, funding changes, Kendall's tau, funded overlap."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from cutline.models.errors import ModelError
from cutline.models.scenarios.comparison import (
    DROPPED_BELOW,
    NEW_ABOVE,
    change_labels,
    compare,
    inversions,
    jaccard,
    kendall_tau,
)
from hypothesis import given
from hypothesis import strategies as st


def _brute_inversions(values) -> int:
    v = list(values)
    return sum(1 for i in range(len(v)) for j in range(i + 1, len(v)) if v[i] > v[j])


def _brute_tau(x, y) -> float:
    """Kendall's tau-b straight from its definition, O(n^2)."""
    concordant = discordant = only_x = only_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            a, b = np.sign(x[i] - x[j]), np.sign(y[i] - y[j])
            if a == 0 and b == 0:
                continue
            if a == 0:
                only_x += 1
            elif b == 0:
                only_y += 1
            elif a == b:
                concordant += 1
            else:
                discordant += 1
    denominator = np.sqrt((concordant + discordant + only_x) * (concordant + discordant + only_y))
    return float("nan") if denominator == 0 else (concordant - discordant) / denominator


def _evaluation(name, ids, order, score, funded, used=None, cut_line=None):
    """A stand-in for an Evaluation: just the attributes compare() reads."""
    order = np.asarray(order)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    if used is None:
        used = pd.DataFrame({"team": [], "quarter": [], "category": [], "used": []})
    return SimpleNamespace(
        scenario=SimpleNamespace(name=name),
        portfolio=SimpleNamespace(ids=np.array(ids, dtype=object)),
        ranking=SimpleNamespace(order=order, rank=rank, score=np.asarray(score, dtype=float)),
        allocation=SimpleNamespace(funded=np.asarray(funded, dtype=bool), cut_line=cut_line,
                                   used_by_category=used),
    )


# -- Kendall's tau and inversions -----------------------------------------------------------
@given(st.lists(st.integers(0, 6), max_size=40))
def test_inversions_match_brute_force(values):
    assert inversions(np.array(values, dtype=np.int64)) == _brute_inversions(values)


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=2, max_size=40))
def test_tau_b_matches_brute_force_with_ties(pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    expected = _brute_tau(x, y)
    got = kendall_tau(x, y)
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx(expected, abs=1e-12)


def test_tau_of_permutations_against_brute_force():
    rng = np.random.default_rng(3)
    for n in (2, 3, 10, 57):
        x, y = rng.permutation(n), rng.permutation(n)
        assert kendall_tau(x, y) == pytest.approx(_brute_tau(x, y), abs=1e-12)


def test_tau_known_values():
    assert kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # One swapped pair out of six: (5 - 1) / 6.
    assert kendall_tau([1, 2, 3, 4], [2, 1, 3, 4]) == pytest.approx(4 / 6)
    assert kendall_tau([7], [7]) == 1.0
    assert np.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))


def test_tau_on_a_hundred_thousand_is_fast():
    import time

    rng = np.random.default_rng(0)
    x, y = rng.permutation(100_000), rng.permutation(100_000)
    start = time.perf_counter()
    tau = kendall_tau(x, y)
    assert time.perf_counter() - start < 2.0
    assert abs(tau) < 0.02  # independent permutations


def test_jaccard():
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    assert jaccard(a, b) == pytest.approx(1 / 3)
    assert jaccard(a, a) == 1.0
    assert jaccard(np.zeros(3, bool), np.zeros(3, bool)) == 1.0


# -- compare ----------------------------------------------------------------------------------
def _two_scenarios():
    ids = ["A", "B", "C", "D", "E"]
    used_a = pd.DataFrame({"team": ["t", "t"], "quarter": ["Q1", "Q1"],
                           "category": ["reliability", "dx"], "used": [3.0, 2.0]})
    used_b = pd.DataFrame({"team": ["t", "t"], "quarter": ["Q1", "Q2"],
                           "category": ["dx", "dx"], "used": [4.0, 1.0]})
    # Baseline order A B C D E, A B C funded; the other ranks D first and funds D, A, B.
    base = _evaluation("Now", ids, [0, 1, 2, 3, 4], [90, 80, 70, 60, 50],
                       [True, True, True, False, False], used_a, cut_line=4)
    other = _evaluation("DX first", ids, [3, 0, 1, 4, 2], [85, 75, 40, 95, 60],
                        [True, True, False, True, False], used_b, cut_line=4)
    return base, other


def test_compare_two_hand_built_scenarios():
    base, other = _two_scenarios()
    c = compare([base, other])
    assert c.names == ("Now", "DX first")
    assert c.ids.tolist() == ["A", "B", "C", "D", "E"]
    assert c.rank.tolist() == [[1, 2, 3, 4, 5], [2, 3, 5, 1, 4]]
    assert c.rank_change.tolist() == [[0] * 5, [-1, -1, -2, 3, 1]]
    assert c.change_label[0].tolist() == [""] * 5
    assert c.change_label[1].tolist() == ["down 1", "down 1", DROPPED_BELOW, NEW_ABOVE, "up 1"]
    assert c.funding_changes == ("C", "D")
    # Rankings (1 2 3 4 5) and (2 3 5 1 4): 4 discordant pairs of 10, tau = (6 - 4) / 10.
    assert c.kendall_tau.tolist() == pytest.approx([1.0, 0.2])
    # Funded {A, B, C} and {A, B, D}: 2 shared of 4.
    assert c.funded_overlap.tolist() == pytest.approx([1.0, 0.5])
    assert c.cut_line == (4, 4)
    table = c.capacity_by_category
    assert list(table.columns) == ["scenario", "category", "used"]
    got = {(s, k): u for s, k, u in table.itertuples(index=False)}
    assert got == {("Now", "dx"): 2.0, ("Now", "reliability"): 3.0,
                   ("DX first", "dx"): 5.0, ("DX first", "reliability"): 0.0}


def test_baseline_first_and_change_is_relative_to_it():
    base, other = _two_scenarios()
    c = compare([other, base])
    assert c.rank_change[1].tolist() == [1, 1, 2, -3, -1]
    assert c.change_label[1].tolist() == ["up 1", "up 1", NEW_ABOVE, DROPPED_BELOW, "down 1"]
    # Listed in the baseline's rank order: D is first in "DX first".
    assert c.funding_changes == ("D", "C")


def test_comparing_different_portfolios_is_an_error():
    base, _ = _two_scenarios()
    other = _evaluation("Other", ["A", "B", "C", "D", "X"], [0, 1, 2, 3, 4], [1] * 5, [False] * 5)
    with pytest.raises(ModelError, match="different portfolio"):
        compare([base, other])
    with pytest.raises(ModelError):
        compare([])


@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.permutations(list(range(n))),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.integers(1, 3),
)))
def test_a_scenario_compared_with_itself_shows_no_change(case):
    order, funded, copies = case
    n = len(order)
    ev = _evaluation("Same", [f"I-{i}" for i in range(n)], order,
                     np.linspace(100, 0, n), funded)
    c = compare([ev] * (copies + 1))
    assert (c.rank_change == 0).all()
    assert (c.change_label == "").all()
    assert c.funding_changes == ()
    assert c.kendall_tau.tolist() == [1.0] * (copies + 1)
    assert c.funded_overlap.tolist() == [1.0] * (copies + 1)


def test_labels_prefer_crossing_the_line_over_moves():
    rank_change = np.array([[0, 0, 0], [2, -4, 0]])
    funded = np.array([[False, True, True], [True, False, True]])
    assert change_labels(rank_change, funded)[1].tolist() == [NEW_ABOVE, DROPPED_BELOW, ""]


@given(st.integers(2, 40).flatmap(lambda n: st.tuples(
    st.permutations(list(range(n))), st.permutations(list(range(n))))))
def test_compare_tau_equals_the_general_tau_b(orders):
    first, second = orders
    n = len(first)
    ids = [f"I-{i}" for i in range(n)]
    a = _evaluation("A", ids, first, np.zeros(n), [False] * n)
    b = _evaluation("B", ids, second, np.zeros(n), [False] * n)
    c = compare([a, b])
    assert c.kendall_tau[1] == pytest.approx(kendall_tau(c.rank[0], c.rank[1]), abs=1e-12)
    assert c.kendall_tau[1] == pytest.approx(_brute_tau(c.rank[0], c.rank[1]), abs=1e-12)
