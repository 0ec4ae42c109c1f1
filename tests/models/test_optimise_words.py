"""The best plan's swaps in words: a swap that scores less says which tier gains (tiers first)."""

from types import SimpleNamespace

import numpy as np

from cutline.models.optimise.differences import _why_less
from cutline.models.optimise.result import OptimisedPlan


def problem(scores, tiers):
    return SimpleNamespace(score=np.array(scores, dtype=float), tier=np.array(tiers))


def test_a_swap_that_scores_less_names_the_tier_it_gains():
    # drops rows 0 (T1, 33.3) and 1 (T2, 28.8); funds 2 (T1, 36.7) and 3 (T2, 16.5): 62.1 -> 53.2
    p = problem([33.3, 28.8, 36.7, 16.5], [1, 2, 1, 2])
    assert _why_less(p, [0, 1], [2, 3]) == "; more tier-1 score: 36.7 against 33.3"


def test_a_swap_that_scores_more_needs_no_reason():
    p = problem([10, 30], [1, 1])
    assert _why_less(p, [0], [1]) == ""


def test_no_tier_reason_when_the_first_tier_that_differs_loses():
    p = problem([10, 30, 25], [1, 2, 1])  # drops T1 10 and T2 30 for T1 25: tier 1 gains
    assert _why_less(p, [0, 1], [2]) == "; more tier-1 score: 25 against 10"
    p = problem([30, 5], [1, 1])  # same tier, less score: not a tier's doing
    assert _why_less(p, [0], [1]) == ""



def _stopped(status, seconds, time_limit):
    return OptimisedPlan(status=status, allocation=None, objective=1.0, walk_objective=1.0, gap=0.01,
                         seconds=seconds, comparison=None, time_limit=time_limit)


def test_a_search_that_ends_well_before_its_time_limit_says_so_not_that_time_ran_out():
    assert _stopped("time limit", 29.2, 120).ended_early
    assert not _stopped("time limit", 119.9, 120).ended_early  # it ran to the limit
    assert not _stopped("time limit", 1.98, 2).ended_early
    assert not _stopped("time limit", 1.2, None).ended_early  # limit not known
    assert not _stopped("optimal", 0.2, 10).ended_early and not _stopped("cancelled", 1.0, 10).ended_early
