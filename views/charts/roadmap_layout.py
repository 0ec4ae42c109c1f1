"""Where each funded initiative's box sits on the roadmap: swim lane, quarter, and place in the cell.

Pure numpy over the Allocation, so the chart only hands arrays to its items. Quarter q spans
x in [q, q + 1]; lanes are stacked downwards in rows of boxes, best ranked first in each cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.dependencies import DependencyGraph

#: The layers of the platform, bottom of the stack first; any other layer follows alphabetically.
LAYERS = ("infrastructure", "core services", "enabling capabilities")
PAD = 0.04          # of a quarter, either side of its boxes
GAP = 0.06          # between boxes side by side, as a share of a box's slot
BOX_HEIGHT = 0.72   # of a row
LANE_GAP = 0.4      # rows between lanes


@dataclass(frozen=True)
class RoadmapLayout:
    """Boxes (one per funded initiative), the lanes they sit in, and the arrows between them."""

    lanes: tuple[str, ...]
    lane_top: np.ndarray      # (lanes,) y of each lane's top edge
    lane_rows: np.ndarray     # (lanes,) rows of boxes in each lane
    rows: np.ndarray          # (k,) portfolio row of each box, in rank order
    lane: np.ndarray          # (k,) lane of each box
    x0: np.ndarray            # (k,) left edge
    y: np.ndarray             # (k,) centre
    width: float
    columns: int
    arrow_from: np.ndarray    # box index of each arrow's prerequisite
    arrow_to: np.ndarray      # box index of the initiative that waits on it
    height: float             # total, in rows

    def box_at(self, x: float, y: float) -> int:
        """Index of the box under (x, y), -1 for none."""
        inside = ((x >= self.x0) & (x <= self.x0 + self.width) & (np.abs(y - self.y) <= BOX_HEIGHT / 2))
        hits = np.flatnonzero(inside)
        return int(hits[0]) if len(hits) else -1


def lane_order(values: list[str], first: tuple[str, ...] = ()) -> list[str]:
    """Named lanes in `first`'s order (matched without case), the rest alphabetically, blank last."""
    present = list(dict.fromkeys(values))
    folded = {v.casefold(): v for v in present if v}
    head = [folded[f.casefold()] for f in first if f.casefold() in folded]
    rest = sorted((v for v in present if v and v not in head), key=str.casefold)
    return head + rest + ([""] if "" in present else [])


def funded_in_rank_order(evaluation) -> np.ndarray:
    order = np.asarray(evaluation.ranking.order, dtype=np.int64)
    return order[evaluation.allocation.funded[order]]


def most_in_a_cell(evaluation, by: str) -> int:
    """The most funded initiatives sharing one lane and quarter."""
    rows = funded_in_rank_order(evaluation)
    if not len(rows):
        return 0
    lane, _ = pd.factorize(evaluation.portfolio.text(by)[rows])
    cell = lane * len(evaluation.allocation.quarters) + evaluation.allocation.quarter[rows]
    return int(np.bincount(cell).max())


def roadmap_layout(evaluation, by: str, columns: int, graph: DependencyGraph,
                   lane_first: tuple[str, ...] = ()) -> RoadmapLayout:
    """Lay out every funded initiative of `evaluation` in lanes by `by` ("layer" or "team")."""
    alloc = evaluation.allocation
    quarters = max(len(alloc.quarters), 1)
    rows = funded_in_rank_order(evaluation)
    codes, names = pd.factorize(evaluation.portfolio.text(by)[rows])
    names = [str(n) for n in names.tolist()]
    lanes = lane_order(names, lane_first)
    lane_index = {name: i for i, name in enumerate(lanes)}
    lane = np.array([lane_index[n] for n in names], dtype=np.int64)[codes] if len(rows) else codes
    quarter = alloc.quarter[rows].astype(np.int64)
    # Place within the cell: rows are in rank order, so a stable sort by cell keeps it.
    cell = lane * quarters + quarter
    by_cell = np.argsort(cell, kind="stable")
    starts = np.searchsorted(cell[by_cell], cell[by_cell], side="left")
    place = np.empty(len(rows), dtype=np.int64)
    place[by_cell] = np.arange(len(rows)) - starts
    sub_row, sub_col = place // columns, place % columns
    lane_rows = np.ones(len(lanes), dtype=np.int64)
    if len(rows):
        np.maximum.at(lane_rows, lane, sub_row + 1)
    lane_top = np.concatenate([[0.0], np.cumsum(lane_rows + LANE_GAP)[:-1]]) if len(lanes) else np.zeros(0)
    slot = (1 - 2 * PAD) / columns
    x0 = quarter + PAD + sub_col * slot + slot * GAP / 2
    y = (lane_top[lane] if len(rows) else np.zeros(0)) + sub_row + 0.5
    arrow_from, arrow_to = _arrows(rows, graph, len(evaluation.portfolio))
    height = float(lane_top[-1] + lane_rows[-1]) if len(lanes) else 1.0
    return RoadmapLayout(tuple(lanes), lane_top, lane_rows, rows, lane, x0, y, slot * (1 - GAP),
                         columns, arrow_from, arrow_to, height)


def _arrows(rows: np.ndarray, graph: DependencyGraph, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(prerequisite box, dependent box) for every dependency between two funded initiatives."""
    box_of = np.full(n, -1, dtype=np.int64)
    box_of[rows] = np.arange(len(rows))
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.indptr))
    src, dst = box_of[graph.indices], box_of[owner]
    keep = (src >= 0) & (dst >= 0)
    return src[keep], dst[keep]
