"""Crossing the cut line means funding changes; the room's change words; the extra plan column."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
from cutline.models.scenarios.comparison import (
    LOSES_FUNDING,
    NEWLY_FUNDED,
    PlanColumn,
    change_words,
    compare,
    crosses_cut_line,
)


def _evaluation(name, ids, order, funded, cut_line):
    """A stand-in for an Evaluation: just what compare() reads."""
    order = np.asarray(order)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    used = pd.DataFrame({"team": [], "quarter": [], "category": [], "used": []})
    return SimpleNamespace(
        scenario=SimpleNamespace(name=name),
        portfolio=SimpleNamespace(ids=np.array(ids, dtype=object)),
        ranking=SimpleNamespace(order=order, rank=rank, score=np.linspace(90, 10, len(order))),
        allocation=SimpleNamespace(funded=np.asarray(funded, dtype=bool), cut_line=cut_line,
                                   used_by_category=used),
    )


def _second_everywhere():
    """B ranks #2 in all three scenarios and is funded in all three; the cut lines differ.

    In "Lean" A (#1) gets no capacity, so Lean's cut line sits at #1, above B: a rule that read
    "crosses" from where the line is drawn would mark B, though B is funded everywhere.
    D moves from #4 to #3 and keeps being unfunded; C is funded only in the baseline.
    """
    ids = ["A", "B", "C", "D"]
    return [
        _evaluation("Now", ids, [0, 1, 2, 3], [True, True, True, False], cut_line=4),
        _evaluation("Push", ids, [0, 1, 3, 2], [True, True, False, False], cut_line=3),
        _evaluation("Lean", ids, [0, 1, 3, 2], [False, True, False, False], cut_line=1),
    ]


def test_ranked_second_everywhere_and_funded_everywhere_never_crosses():
    c = compare(_second_everywhere())
    assert c.rank[:, 1].tolist() == [2, 2, 2]
    crosses = crosses_cut_line(c.funded)
    assert not crosses[1]                              # B: same funding in every scenario
    assert crosses.tolist() == [True, False, True, False]  # A and C change funding; D moves, stays out


def test_ranked_second_everywhere_but_unfunded_once_does_cross():
    ids = ["A", "B", "C"]
    c = compare([_evaluation("Now", ids, [0, 1, 2], [True, True, False], cut_line=3),
                 _evaluation("Lean", ids, [0, 1, 2], [True, False, False], cut_line=2)])
    assert c.rank[:, 1].tolist() == [2, 2]
    assert crosses_cut_line(c.funded).tolist() == [False, True, False]


def test_a_move_alone_is_no_crossing_however_far():
    funded = np.ones((3, 50), dtype=bool)
    assert not crosses_cut_line(funded).any()
    assert not crosses_cut_line(~funded).any()
    assert crosses_cut_line(np.zeros((0, 4), dtype=bool)).tolist() == [False] * 4


def test_change_words_name_funding_first_then_moves():
    rank_change = np.array([3, -5, 0, 2, -1])
    funded = np.array([True, True, True, True, False])
    base = np.array([True, True, True, False, True])
    assert change_words(rank_change, funded, base).tolist() == ["▲3", "▼5", "", NEWLY_FUNDED, LOSES_FUNDING]
    # A plan without ranks names only what funding did.
    assert change_words(None, funded, base).tolist() == ["", "", "", NEWLY_FUNDED, LOSES_FUNDING]


def test_a_plan_column_is_plain_data():
    plan = PlanColumn("Best plan", np.array([True, False]), None, 812.5)
    assert plan.rank is None and plan.score_total == 812.5
