"""Ranking many weight sets at once: scores as one matrix product, orders as vectorised sorts."""

from __future__ import annotations

import numpy as np
from cutline.models.scoring.score import TIE_DECIMALS


def draw_scores(score: np.ndarray, normalised: np.ndarray, weights: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """Scores (draws, n) for weight sets `drawn` (draws, k), as corrections of the plain `score`.

    score_d = 100 * N @ w_d / sum(w_d) is computed as score * sum(w) / sum(w_d) +
    100 * N @ (w_d - w) / sum(w_d): the same number, but a draw equal to the current
    weights gives exactly the plain score (a separate matrix product would differ in the
    last bits and could reorder exact ties).
    """
    total = weights.sum()
    totals = drawn.sum(axis=1)
    if total <= 0:  # every weight is zero: every score is 0, as in plain scoring
        return np.zeros((len(drawn), len(score)))
    # A draw whose weights are all zero scores 0 everywhere, as plain scoring does.
    alive = totals > 0
    safe = np.where(alive, totals, 1.0)
    change = (drawn - weights) @ normalised.T
    scores = score[None, :] * (total / safe)[:, None] + 100.0 * change / safe[:, None]
    scores[~alive] = 0.0
    return scores


def rank_orders(scores: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Row indices best first for each row of `scores` (draws, n): tier, then score high to low, then row.

    Two stable sorts: by score, then by tier, so equal tiers keep score order and equal
    scores keep row order. Scores are rounded to TIE_DECIMALS first, as plain ranking does
    (cutline.models.scoring.score.rank_order), so what ties there ties here.
    """
    by_score = np.argsort(-np.round(scores, TIE_DECIMALS), axis=1, kind="stable")
    if len(tier) == 0 or tier.min() == tier.max():
        return by_score
    by_tier = np.argsort(tier[by_score], axis=1, kind="stable")
    return np.take_along_axis(by_score, by_tier, axis=1)
