"""The Ranking: what scoring produces, as arrays indexed by portfolio row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Ranking:
    """Scores, tiers and ranks of every initiative.

    Every array is indexed by portfolio row (the source order), except `order`, which lists
    row indices best first. Matrices have one column per criterion, in `criteria` order.
    """

    criteria: tuple[str, ...]
    raw: np.ndarray            # (n, k) float64: the criterion's input value, NaN when blank
    normalised: np.ndarray     # (n, k) float64 in 0..1 (cost criteria already flipped)
    contributions: np.ndarray  # (n, k) float64 points; each row sums to `score`
    unrated: np.ndarray        # (n, k) bool: blank input on that criterion
    score: np.ndarray          # (n,) float64, 0..100
    tier: np.ndarray           # (n,) int64, 1 is first
    tier_names: tuple[str, ...]  # tier_names[t - 1] is the name of tier t; the last is the rest
    order: np.ndarray          # (n,) int64: row indices in rank order
    rank: np.ndarray           # (n,) int64: 1-based rank of each row
    rice: np.ndarray           # (n,) float64, NaN when unrated
    teams_unblocked: np.ndarray  # (n,) float64
    waits_on_lower: np.ndarray   # (n,) bool: depends on a prerequisite ranked below it

    def __len__(self) -> int:
        return len(self.score)
