"""The reveal of a group rating round and what the room agrees on.

Holds the reveal statistics (`RoundSummary`, `summarise`, `disagrees`), the agreed values
(`agreed_values`, `round_half_up`), how they become portfolio edits (`agreed_edits`,
`confidence_after_disagreement`), and which initiatives to rate (`select_near_cut_line`).
The round itself lives in `cutline.models.rating.round`, which re-exports every public name here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from cutline.models.capacity.allocation import Allocation
from cutline.models.errors import Location, ModelError
from cutline.models.portfolio.portfolio import Portfolio, value_problem
from cutline.models.scoring.ranking import Ranking

if TYPE_CHECKING:
    from cutline.models.rating.round import RatingRound


# -- the reveal -------------------------------------------------------------------------
def disagrees(spread: np.ndarray | float, threshold: float) -> np.ndarray | bool:
    """Whether a spread (range, max - min) is a disagreement: strictly above the threshold.

    The range is compared to nine decimals, so 7.3 - 5.3 counts as exactly 2.
    """
    out = np.round(np.asarray(spread, dtype=np.float64), 9) > threshold
    return bool(out) if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class RoundSummary:
    """The reveal: statistics per (initiative, criterion) pair, as arrays indexed by pair.

    Pairs come in grid order: initiative by initiative, each with its criteria in round order
    (pair p is initiative p // len(criteria), criterion p % len(criteria)). `std` is the
    population standard deviation (the room is the whole population, so divide by n); `range`
    is max - min. Pairs nobody rated have count 0 and NaN statistics. `values` holds every
    rating, one column per participant, NaN where missing. `order` lists pairs as the reveal
    shows them: disagreements first, then by range (largest first), then in grid order.
    """

    round_id: str
    initiatives: tuple[str, ...]
    criteria: tuple[str, ...]
    participants: tuple[str, ...]
    threshold: float
    initiative: np.ndarray  # (pairs,) object str
    criterion: np.ndarray   # (pairs,) object str
    count: np.ndarray       # (pairs,) int64
    mean: np.ndarray        # (pairs,) float64
    median: np.ndarray
    min: np.ndarray
    max: np.ndarray
    range: np.ndarray
    std: np.ndarray
    disagree: np.ndarray    # (pairs,) bool: range > threshold
    values: np.ndarray      # (pairs, participants) float64
    order: np.ndarray       # (pairs,) int64

    def __len__(self) -> int:
        return len(self.count)

    def pair_index(self, ident: str, criterion: str) -> int:
        """The pair number of (initiative id, criterion)."""
        return self.initiatives.index(ident) * len(self.criteria) + self.criteria.index(criterion)

    def disagreements(self) -> list[tuple[str, str]]:
        """The (initiative id, criterion) pairs the room disagreed on, in reveal order."""
        rows = self.order[self.disagree[self.order]]
        return list(zip(self.initiative[rows].tolist(), self.criterion[rows].tolist(), strict=True))

    def to_frame(self) -> pd.DataFrame:
        """The statistics as a table in reveal order (disagreements first)."""
        columns = ("initiative", "criterion", "count", "mean", "median", "min", "max", "range",
                   "std", "disagree")
        frame = pd.DataFrame({c: getattr(self, c)[self.order] for c in columns})
        return frame.reset_index(drop=True)


def summarise(round_: RatingRound) -> RoundSummary:
    """Count, mean, median, min, max, range and std of every rated pair, and the disagreements."""
    ids, crits, people = round_.initiatives, round_.criteria, round_.participants
    k, pairs = len(crits), len(ids) * len(crits)
    keys = pd.DataFrame(list(round_.ratings), columns=["participant", "initiative", "criterion"],
                        dtype=object)
    ratings = np.fromiter(round_.ratings.values(), dtype=np.float64, count=len(round_.ratings))
    pair = (pd.Index(ids, dtype=object).get_indexer(keys["initiative"]) * k
            + pd.Index(crits, dtype=object).get_indexer(keys["criterion"]))
    who = pd.Index(people, dtype=object).get_indexer(keys["participant"])

    grouped = pd.Series(ratings).groupby(pair)
    stats = grouped.agg(["count", "mean", "median", "min", "max"])
    stats["std"] = grouped.std(ddof=0)
    stats = stats.reindex(np.arange(pairs))
    count = stats["count"].fillna(0).to_numpy(dtype=np.int64)
    low, high = stats["min"].to_numpy(np.float64), stats["max"].to_numpy(np.float64)
    spread = np.round(high - low, 9)  # 7.3 - 5.3 is 2.0000000000000004 in floats
    disagree = disagrees(spread, round_.threshold) & (count > 0)

    values = np.full((pairs, len(people)), np.nan)
    values[pair, who] = ratings
    # lexsort sorts by the last key first: disagreement, then range (descending), then grid order.
    order = np.lexsort((np.arange(pairs), -np.nan_to_num(spread, nan=-1.0), ~disagree))
    return RoundSummary(
        round_id=round_.id, initiatives=ids, criteria=crits, participants=people,
        threshold=round_.threshold,
        initiative=np.repeat(np.array(ids, dtype=object), k),
        criterion=np.tile(np.array(crits, dtype=object), len(ids)),
        count=count, mean=stats["mean"].to_numpy(np.float64),
        median=stats["median"].to_numpy(np.float64), min=low, max=high, range=spread,
        std=stats["std"].to_numpy(np.float64), disagree=disagree, values=values,
        order=order.astype(np.int64),
    )


# -- agreeing and applying --------------------------------------------------------------
AGREEMENT_METHODS: tuple[str, ...] = ("mean", "median")


def round_half_up(values: np.ndarray, decimals: int = 1) -> np.ndarray:
    """Round as a PM expects (7.25 -> 7.3), not to even; float noise (6.15 as 6.1499...) ignored."""
    scale = 10.0 ** decimals
    return np.floor(np.round(np.asarray(values, dtype=np.float64) * scale, 6) + 0.5) / scale


def agreed_values(
    summary: RoundSummary,
    method: str = "mean",
    overrides: Mapping[tuple[str, str], float | None] | None = None,
) -> dict[tuple[str, str], float]:
    """The value each rated (initiative id, criterion) pair takes: the room's mean or median
    rounded to one decimal, or the value the facilitator typed after discussion.

    Pairs nobody rated are left out unless typed; a typed None leaves a pair out (not applied).
    """
    if method not in AGREEMENT_METHODS:
        raise ModelError(f"Agree on the mean or the median, not {method!r}.")
    base = round_half_up(summary.mean if method == "mean" else summary.median, 1)
    rated = np.flatnonzero(summary.count > 0)
    out = {(summary.initiative[p], summary.criterion[p]): float(base[p]) for p in rated}
    for (ident, criterion), value in (overrides or {}).items():
        if ident not in summary.initiatives or criterion not in summary.criteria:
            raise ModelError(f"{ident} / {criterion} is not part of this rating round.")
        if value is None:
            out.pop((ident, criterion), None)
            continue
        problem = value_problem(criterion, value)
        if problem:
            raise ModelError(problem, location=Location(column=criterion),
                             hint=f"Type another agreed value for {ident}.")
        out[(ident, criterion)] = float(value)
    return out


#: Confidence follows agreement: a disagreed initiative's confidence is multiplied by this...
CONFIDENCE_FACTOR = 0.8
#: ...but never lowered below this share (and a confidence already below it is left alone).
CONFIDENCE_FLOOR = 0.1


def confidence_after_disagreement(
    current_confidence: float | np.ndarray,
    spread: float | np.ndarray,
    threshold: float,
    *,
    factor: float = CONFIDENCE_FACTOR,
    floor: float = CONFIDENCE_FLOOR,
) -> float | np.ndarray:
    """Confidence after a round: times `factor` where the room disagreed (spread > threshold),
    never below `floor`, never raised; unchanged where it agreed or confidence is blank (NaN).

    Works on one value (returns a float) or on arrays (returns an array).
    """
    if not 0 < factor <= 1 or not 0 <= floor <= 1:
        raise ModelError("Confidence can only be lowered: the factor is above 0 and at most 1, "
                         "the floor between 0 and 1.")
    current = np.asarray(current_confidence, dtype=np.float64)
    lowered = np.minimum(current, np.maximum(current * factor, floor))
    out = np.where(disagrees(spread, threshold), lowered, current)
    return float(out) if out.ndim == 0 else out


def agreed_edits(
    summary: RoundSummary,
    agreed: Mapping[tuple[str, str], float],
    portfolio: Portfolio,
    *,
    follow_agreement: bool = False,
) -> dict[tuple[int, str], float]:
    """The portfolio cells (row, field) to set for the agreed values, ready for
    `Portfolio.with_values` as one undoable step.

    With `follow_agreement`, each initiative the room disagreed on (on any criterion) also gets
    its confidence lowered once by `confidence_after_disagreement`, using its largest range,
    unless confidence itself was rated and agreed in this round.
    """
    rows = portfolio.row_of_id
    gone = sorted({ident for ident, _ in agreed if ident not in rows})
    if gone:
        raise ModelError("These initiatives are no longer in the portfolio: " + ", ".join(gone) + ".",
                         hint="Leave them out of the agreed values.")
    edits = {(rows[ident], criterion): float(v) for (ident, criterion), v in agreed.items()}
    if not follow_agreement:
        return edits
    spread = pd.Series(np.where(summary.disagree, summary.range, np.nan))
    worst = spread.groupby(summary.initiative).max()  # skips NaN: only disagreed pairs count
    worst = worst[worst.notna() & worst.index.isin(list(rows))]
    worst = worst[[(ident, "confidence") not in agreed for ident in worst.index]]
    at = np.array([rows[ident] for ident in worst.index], dtype=np.int64)
    current = portfolio.numeric("confidence")[at]
    new = confidence_after_disagreement(current, worst.to_numpy(), summary.threshold)
    changed = ~np.isnan(current) & (new != current)
    edits.update({(int(r), "confidence"): float(v) for r, v in zip(at[changed], new[changed], strict=True)})
    return edits


# -- choosing what to rate ---------------------------------------------------------------
def select_near_cut_line(ranking: Ranking, allocation: Allocation, count: int = 12) -> list[int]:
    """Rows of the `count` initiatives ranked nearest the cut line, half above and half below
    (best first); when everything is funded, the lowest-ranked ones."""
    order = np.asarray(ranking.order, dtype=np.int64)
    count = min(max(int(count), 0), len(order))
    if allocation.cut_line is None:
        start = len(order) - count
    else:
        first_unfunded = allocation.cut_line - 1  # position in rank order
        start = min(max(first_unfunded - count // 2, 0), len(order) - count)
    return order[start:start + count].tolist()
