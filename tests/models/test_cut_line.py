"""The cut line means what it says: everything above it is funded, and every initiative funded
below it says why (the hand-built scenario of tests/models/scenarios_hand_built.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario
from cutline.models.words.cut_line import below_reason, below_reasons, cut_line_in, funded_below
from tests.models import scenarios_hand_built as hand


def _evaluate(capacity=None):
    scenario = hand.scenarios()[0]
    if capacity is not None:
        scenario = Scenario(scenario.name, scenario.model, capacity)
    return Evaluator(hand.portfolio()).evaluate(scenario)


def test_the_hand_built_cut_line_and_the_one_funded_below_it():
    ev = _evaluate()  # A 1, B 2 funded; F 3 (20 pw) never fits; C 4, D 5 no room; E 6 (2 pw) fits
    assert ev.allocation.cut_line == 3
    below = funded_below(ev.ranking, ev.allocation)
    assert ev.portfolio.ids[below].tolist() == ["E"]
    reasons = below_reasons(ev)
    assert reasons[ev.portfolio.row_of_id["E"]] == "below the cut line, in the leftover capacity of the shared pool"
    assert (reasons != "").sum() == 1


def test_a_team_s_own_capacity_is_named():
    ev = _evaluate(Capacity.from_rows([("Core", "2027-Q1", 10)]))
    row = ev.portfolio.row_of_id["E"]
    assert below_reasons(ev)[row] == "below the cut line, in the leftover capacity of team Core"
    assert below_reason(ev, row) == below_reasons(ev)[row]


def test_the_cut_line_of_a_subset_is_its_own_first_unfunded():
    ev = _evaluate()
    rows = np.array([ev.portfolio.row_of_id[i] for i in ("A", "B", "E")])
    assert cut_line_in(ev.ranking, ev.allocation, rows) is None  # all three funded
    rows = np.array([ev.portfolio.row_of_id[i] for i in ("A", "C", "E")])
    assert cut_line_in(ev.ranking, ev.allocation, rows) == 4  # C, rank 4


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(efforts=st.lists(st.integers(1, 12), min_size=1, max_size=25), cap=st.integers(0, 40))
def test_nothing_funded_sits_below_the_line_without_a_reason(efforts, cap):
    portfolio = Portfolio.from_records(
        {"id": f"I{i}", "team": "T" if i % 2 else "U", "reliability": 10 - i % 10, "effort": e,
         "depends_on": f"I{i + 1}" if i % 3 == 0 and i + 1 < len(efforts) else ""}  # some pulled in
        for i, e in enumerate(efforts))
    capacity = Capacity.from_rows([("T", "2027-Q1", cap), ("U", "2027-Q1", cap // 2)])
    scenario = Scenario("S", hand.model(1, 0), capacity)
    ev = Evaluator(portfolio).evaluate(scenario)
    cut, rank, funded = ev.allocation.cut_line, ev.ranking.rank, ev.allocation.funded
    reasons = below_reasons(ev)
    if cut is not None:
        assert funded[rank < cut].all() and not funded[rank == cut].any()
    assert ((reasons != "") == (funded & (rank > (cut or len(rank) + 1)))).all()
    # One row's words (the explain panel's) are the whole portfolio's for that row.
    assert [below_reason(ev, row) for row in range(len(rank))] == reasons.tolist()
