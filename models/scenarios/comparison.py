"""Scenarios side by side: what moves, what crosses the cut line, and how alike the rankings are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from cutline.models.errors import ModelError

if TYPE_CHECKING:  # only for type hints: comparison works on any evaluated scenarios
    from cutline.models.scenarios.pipeline import Evaluation

NEW_ABOVE = "new above the line"
DROPPED_BELOW = "dropped below the line"
#: The room's words for a change of funding against the first scenario: short enough that four
#: scenarios' change columns fit beside the titles at 1366 px ("drops below the cut line" does not).
NEWLY_FUNDED = "newly funded"
LOSES_FUNDING = "loses funding"


@dataclass(frozen=True, eq=False)
class PlanColumn:
    """One more plan to show beside the scenarios, e.g. an optimiser's best plan.

    `funded` is a (n,) bool mask in portfolio row order; `rank` a (n,) int array, or None when
    the plan has no order of its own; `score_total` the sum of the funded initiatives' scores.
    """

    name: str
    funded: np.ndarray
    rank: np.ndarray | None
    score_total: float


@dataclass(frozen=True, eq=False)
class Comparison:
    """Rank, score and funding of every initiative under each scenario, against the first.

    Arrays have one row per scenario (the first is the baseline) and one column per
    initiative in portfolio row order.
    """

    names: tuple[str, ...]              # scenario names; the first is the baseline
    ids: np.ndarray                     # (n,) object: initiative ids, portfolio row order
    rank: np.ndarray                    # (s, n) int64
    score: np.ndarray                   # (s, n) float64
    funded: np.ndarray                  # (s, n) bool
    rank_change: np.ndarray             # (s, n) int64: baseline rank - this rank (positive = moved up)
    change_label: np.ndarray            # (s, n) object str: "", "up 3", "down 5", NEW_ABOVE, DROPPED_BELOW
    funding_changes: tuple[str, ...]    # ids whose funding differs from the baseline in any scenario
    kendall_tau: np.ndarray             # (s,) tau-b of each ranking against the baseline (1.0 for itself)
    funded_overlap: np.ndarray          # (s,) Jaccard overlap of funded sets with the baseline
    cut_line: tuple[int | None, ...]    # per scenario
    capacity_by_category: pd.DataFrame  # columns scenario, category, used

    def __len__(self) -> int:
        return len(self.ids)


def compare(evaluations: Sequence[Evaluation]) -> Comparison:
    """Compare evaluated scenarios of one portfolio; the first is the baseline."""
    if not evaluations:
        raise ModelError("Choose at least one scenario to compare.")
    ids = np.asarray(evaluations[0].portfolio.ids, dtype=object)
    for ev in evaluations[1:]:
        other = np.asarray(ev.portfolio.ids, dtype=object)
        if len(other) != len(ids) or not np.array_equal(other, ids):
            raise ModelError(
                f"Scenario {ev.scenario.name!r} is of a different portfolio than "
                f"{evaluations[0].scenario.name!r}.",
                hint="Compare scenarios of the same workshop.",
            )
    rank = np.stack([np.asarray(ev.ranking.rank, dtype=np.int64) for ev in evaluations])
    score = np.stack([np.asarray(ev.ranking.score, dtype=np.float64) for ev in evaluations])
    funded = np.stack([np.asarray(ev.allocation.funded, dtype=bool) for ev in evaluations])
    rank_change = rank[0] - rank
    changed = funded != funded[0]
    # Ids listed in the baseline's rank order: the order the workshop reads the list in.
    moved = changed.any(axis=0)
    base_order = np.asarray(evaluations[0].ranking.order, dtype=np.int64)
    funding_changes = tuple(str(i) for i in ids[base_order[moved[base_order]]])
    return Comparison(
        names=tuple(ev.scenario.name for ev in evaluations),
        ids=ids,
        rank=rank,
        score=score,
        funded=funded,
        rank_change=rank_change,
        change_label=change_labels(rank_change, funded),
        funding_changes=funding_changes,
        kendall_tau=np.array([1.0] + [_tau_of_ranks(base_order, r) for r in rank[1:]]),
        funded_overlap=np.array([jaccard(funded[0], f) for f in funded]),
        cut_line=tuple(ev.allocation.cut_line for ev in evaluations),
        capacity_by_category=_capacity_by_category(evaluations),
    )


def change_labels(rank_change: np.ndarray, funded: np.ndarray) -> np.ndarray:
    """Label each initiative's change against the baseline (row 0).

    Crossing the cut line wins over a move: funded here but not in the baseline is
    NEW_ABOVE, the reverse is DROPPED_BELOW; otherwise "up k" or "down k", or "" when
    the rank is the same.
    """
    labels = np.full(rank_change.shape, "", dtype=object)
    for mask, word in ((rank_change > 0, "up"), (rank_change < 0, "down")):
        distance = np.abs(rank_change[mask])
        if len(distance) == 0:
            continue
        # Format each distinct distance once, not once per cell.
        table = np.empty(int(distance.max()) + 1, dtype=object)
        present = np.flatnonzero(np.bincount(distance))
        table[present] = [f"{word} {d}" for d in present.tolist()]
        labels[mask] = table[distance]
    labels[funded & ~funded[0]] = NEW_ABOVE
    labels[~funded & funded[0]] = DROPPED_BELOW
    return labels


def crosses_cut_line(funded: np.ndarray) -> np.ndarray:
    """Per initiative, whether it crosses the cut line: funded in some plans and not in others.

    `funded` is (plans, n). A rank move alone is no crossing, however far, and an initiative
    that keeps its funding everywhere never crosses, wherever each plan's cut line is drawn.
    """
    funded = np.asarray(funded, dtype=bool)
    if funded.ndim != 2 or funded.shape[0] == 0:
        return np.zeros(funded.shape[-1] if funded.ndim else 0, dtype=bool)
    return funded.any(axis=0) & ~funded.all(axis=0)


def change_words(rank_change: np.ndarray | None, funded: np.ndarray, baseline_funded: np.ndarray) -> np.ndarray:
    """The room's word for each initiative's change against the baseline, one plan at a time.

    A change of funding wins over a move: NEWLY_FUNDED or LOSES_FUNDING; else "▲3" (moved up
    three places), "▼5", or "" when nothing changed. `rank_change` is baseline rank - this
    rank, or None for a plan without ranks (then only funding changes are named).
    """
    funded = np.asarray(funded, dtype=bool)
    words = np.full(funded.shape, "", dtype=object)
    if rank_change is not None:
        rank_change = np.asarray(rank_change, dtype=np.int64)
        for mask, arrow in ((rank_change > 0, "▲"), (rank_change < 0, "▼")):
            distance = np.abs(rank_change[mask])
            if len(distance):
                # Format each distinct distance once, not once per cell.
                table = np.empty(int(distance.max()) + 1, dtype=object)
                present = np.flatnonzero(np.bincount(distance))
                table[present] = [f"{arrow}{d}" for d in present.tolist()]
                words[mask] = table[distance]
    words[funded & ~baseline_funded] = NEWLY_FUNDED
    words[~funded & baseline_funded] = LOSES_FUNDING
    return words


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Overlap of two funded sets: |a and b| / |a or b|, 1.0 when both are empty."""
    union = int(np.count_nonzero(a | b))
    return 1.0 if union == 0 else int(np.count_nonzero(a & b)) / union


def kendall_tau(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b of two rankings (ties allowed), in O(n log n).

    1.0 means the same order, -1.0 the reverse. Fewer than two items give 1.0 (nothing
    can be out of order); a constant input, for which tau-b is undefined, gives NaN.
    """
    x = np.asarray(x)
    y = np.asarray(y)
    n = len(x)
    if len(y) != n:
        raise ValueError("kendall_tau needs two rankings of the same length")
    if n < 2:
        return 1.0
    order = np.lexsort((y, x))  # by x, then y: pairs tied in x are then never inversions
    xs, ys = x[order], y[order]
    pairs = n * (n - 1) // 2
    tied_x = _tied_pairs(xs != np.roll(xs, 1))
    tied_xy = _tied_pairs((xs != np.roll(xs, 1)) | (ys != np.roll(ys, 1)))
    tied_y = _tied_pairs(_starts(np.sort(y)))
    discordant = inversions(ys)
    denominator = float(pairs - tied_x) * float(pairs - tied_y)
    if denominator == 0:
        return float("nan")
    # concordant - discordant = pairs - tied_x - tied_y + tied_xy - 2 * discordant
    return float(pairs - tied_x - tied_y + tied_xy - 2 * discordant) / np.sqrt(denominator)


def _tau_of_ranks(base_order: np.ndarray, rank: np.ndarray) -> float:
    """Kendall's tau against the baseline for untied ranks 1..n: 1 - 4 * discordant / (n (n - 1))."""
    n = len(rank)
    if n < 2:
        return 1.0
    discordant = inversions(rank[base_order] - 1, dense=True)
    return 1.0 - 4.0 * discordant / (n * (n - 1))


def _starts(sorted_values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins."""
    return sorted_values != np.roll(sorted_values, 1)


def _tied_pairs(starts: np.ndarray) -> int:
    """Pairs within runs of equal values, given where each run starts."""
    starts = starts.copy()
    starts[0] = True
    lengths = np.diff(np.append(np.flatnonzero(starts), len(starts)))
    return int((lengths * (lengths - 1) // 2).sum())


def inversions(values: np.ndarray, *, dense: bool = False) -> int:
    """Pairs i < j with values[i] > values[j], by a bottom-up merge sort in numpy.

    At each level the blocks of width w are sorted; for every element of a right half
    the count of larger elements in its left half is found with one searchsorted over
    all blocks at once (block number * span + value keeps the blocks apart). `dense` says the
    values are already whole numbers 0..m-1, which saves recoding them.
    """
    n = len(values)
    if n < 2:
        return 0
    if dense:
        current = np.asarray(values, dtype=np.int64)
    else:
        current = np.unique(values, return_inverse=True)[1].astype(np.int64).ravel()
    span = int(current.max()) + 1
    position = np.arange(n, dtype=np.int64)
    total = 0
    width = 1
    while width < n:
        block = position // (2 * width)
        left = (position // width) % 2 == 0
        key = block * span + current
        right_block = block[~left]
        at_most = np.searchsorted(key[left], key[~left], side="right") - right_block * width
        total += int((width - at_most).sum())
        # Merge each pair of halves: a stable sort of two sorted runs is a linear merge.
        current = np.sort(key, kind="stable") - block * span
        width *= 2
    return total


def _capacity_by_category(evaluations: Sequence[Evaluation]) -> pd.DataFrame:
    """Capacity used per category per scenario, every category in every scenario (0 if none)."""
    per_scenario = []
    for ev in evaluations:
        used = ev.allocation.used_by_category
        if len(used):
            per_scenario.append(used.groupby("category", sort=False)["used"].sum())
        else:
            per_scenario.append(pd.Series(dtype="float64"))
    categories = sorted({str(c) for s in per_scenario for c in s.index})
    rows = [
        (ev.scenario.name, category, float(s.get(category, 0.0)))
        for ev, s in zip(evaluations, per_scenario, strict=True)
        for category in categories
    ]
    frame = pd.DataFrame(rows, columns=["scenario", "category", "used"])
    frame["used"] = frame["used"].astype("float64")
    return frame
