"""Budget voting: prices from effort, purchases within the budget, results and the votes column."""

from __future__ import annotations

import math

import pytest
from cutline.models.errors import ModelError, WorkshopFileError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.rating.budget_vote import (
    BudgetVote,
    default_budget,
    prices_of,
    with_votes_column,
)


def _portfolio() -> Portfolio:
    return Portfolio.from_records([{"id": "A", "effort": 4}, {"id": "B", "effort": 6},
                                   {"id": "C", "effort": None}, {"id": "D", "effort": 0},
                                   {"id": "E", "effort": 10}])


def test_prices_are_efforts_and_the_budget_half_their_total():
    prices = prices_of(_portfolio(), ["A", "B", "C", "D", "E", "Z"])
    assert prices == {"A": 4.0, "B": 6.0, "E": 10.0}  # no effort, no price: not on sale
    assert default_budget(prices) == 10.0


def test_results_count_buyers_most_bought_first_and_round_trip():
    vote = BudgetVote.start({"A": 4, "B": 6, "E": 10})
    for name in ("Ann", "Bo", "Cy"):
        vote = vote.with_participant(name)
    vote = vote.with_purchase("Ann", ["B", "A"]).with_purchase("Bo", ["E"]).with_purchase("Cy", ["B"])
    results = vote.results()
    assert [(r.ident, r.votes) for r in results] == [("B", 2), ("A", 1), ("E", 1)]
    assert math.isclose(results[0].share, 2 / 3)
    assert vote.purchases["Ann"] == ("A", "B")  # in the order offered
    assert BudgetVote.from_dict(vote.to_dict()) == vote
    with pytest.raises(ModelError):
        vote.with_purchase("Ann", ["A", "B", "E"])  # 20 is over the budget of 10
    with pytest.raises(WorkshopFileError):
        BudgetVote.from_dict({"id": "x"})


def test_votes_become_an_extra_column_a_model_can_read():
    portfolio = _portfolio()
    vote = BudgetVote.start(prices_of(portfolio, portfolio.ids)).with_participant("Ann")
    vote = vote.with_purchase("Ann", ["A", "B"])
    out = with_votes_column(portfolio, vote.results())
    assert "votes" in out.extra_columns
    assert [out.value(r, "votes") for r in range(5)] == [1.0, 1.0, None, None, 0.0]
    again = with_votes_column(out, vote.with_purchase("Ann", ["E"]).results())
    assert again.extra_columns.count("votes") == 1 and again.value(4, "votes") == 1.0


def test_a_model_scores_the_votes_column_as_a_criterion():
    from dataclasses import replace

    from cutline.models.scoring.model import Criterion, default_model
    from cutline.models.scoring.score import score

    portfolio = _portfolio()
    vote = BudgetVote.start(prices_of(portfolio, portfolio.ids))
    for name in ("Ann", "Bo"):
        vote = vote.with_participant(name)
    vote = vote.with_purchase("Ann", ["E"]).with_purchase("Bo", ["E"]).with_purchase("Ann", ["E"])
    voted = with_votes_column(portfolio, vote.results())
    model = replace(default_model(), criteria=(Criterion("votes", "votes", weight=1.0),), tiers=())
    ranking = score(voted, model)
    assert str(voted.ids[ranking.order[0]]) == "E"  # bought by both: first on votes alone


def test_the_votes_column_is_kept_by_the_workshop_file(tmp_path):
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    portfolio = _portfolio()
    vote = BudgetVote.start(prices_of(portfolio, portfolio.ids)).with_participant("Ann").with_purchase("Ann", ["B"])
    WorkshopFile.create(tmp_path / "v.cutline", Workshop.new(with_votes_column(portfolio, vote.results()))).close()
    again = WorkshopFile.open(tmp_path / "v.cutline")
    try:
        kept = again.workshop.portfolio
        assert [kept.value(r, "votes") for r in range(5)] == [0.0, 1.0, None, None, 0.0]
    finally:
        again.close()
