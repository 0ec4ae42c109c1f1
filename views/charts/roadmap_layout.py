"""Where each funded initiative's box sits on the roadmap: swim lane, quarter, and place in the cell.

Pure numpy over the Allocation, so the chart only hands arrays to its items. Quarter q spans
x in [q, q + 1]; lanes are stacked downwards in rows of boxes, best ranked first in each cell; an
initiative that spans quarters is one box from its first quarter to its finish quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """Boxes (one per funded initiative), the lanes they sit in, and the arrows between them.

    An initiative that spans quarters is one box from the last slot of its first quarter to the
    first slot of its finish quarter, across the quarter lines; initiatives within one quarter
    sit side by side in their quarter, and beside spanning boxes where there is room.
    """

    lanes: tuple[str, ...]
    lane_top: np.ndarray      # (lanes,) y of each lane's top edge
    lane_rows: np.ndarray     # (lanes,) rows of boxes in each lane
    rows: np.ndarray          # (k,) portfolio row of each box, in rank order
    lane: np.ndarray          # (k,) lane of each box
    x0: np.ndarray            # (k,) left edge
    y: np.ndarray             # (k,) centre
    width: np.ndarray         # (k,) width of each box (a spanning box is wider than one slot)
    columns: int
    arrow_from: np.ndarray    # box index of each arrow's prerequisite
    arrow_to: np.ndarray      # box index of the initiative that waits on it
    height: float             # total, in rows
    first: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))   # (k,) first quarter
    finish: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (k,) finish quarter

    @property
    def spanning(self) -> np.ndarray:
        """(k,) bool: the box runs over more than one quarter."""
        return self.finish > self.first

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
    """The most funded initiatives sharing one lane and first quarter."""
    rows = funded_in_rank_order(evaluation)
    if not len(rows):
        return 0
    lane, _ = pd.factorize(evaluation.portfolio.text(by)[rows])
    cell = lane * len(evaluation.allocation.quarters) + evaluation.allocation.quarter[rows]
    return int(np.bincount(cell).max())


def _grid_places(lane: np.ndarray, first: np.ndarray, columns: int) -> tuple[np.ndarray, np.ndarray]:
    """(row in lane, slot in its quarter) of boxes that each sit in one quarter: in rank order,
    left to right, then a row down. Rows are in rank order, so a stable sort by cell keeps it."""
    cell = lane * (int(first.max(initial=0)) + 1) + first
    by_cell = np.argsort(cell, kind="stable")
    starts = np.searchsorted(cell[by_cell], cell[by_cell], side="left")
    place = np.empty(len(first), dtype=np.int64)
    place[by_cell] = np.arange(len(first)) - starts
    return place // columns, place % columns


def _span_places(lane: np.ndarray, first: np.ndarray, finish: np.ndarray, columns: int,
                 quarters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row in lane, first slot, last slot) of every box, slots counted across the plan
    (quarter q has slots q * columns to q * columns + columns - 1), first fit in rank order.

    A box in one quarter takes the first free slot of that quarter, in the first row that has
    one. A box that spans quarters takes the last slot of its first quarter, every slot of the
    quarters between, and the first slot of its finish quarter: it crosses the quarter lines,
    and boxes of one quarter can sit beside it in the same row.
    """
    n = len(lane)
    row, lo, hi = (np.zeros(n, dtype=np.int64) for _ in range(3))
    taken: dict[int, list[int]] = {}                # lane -> bits of the slots taken, per row
    open_from: dict[tuple[int, int], int] = {}      # (lane, quarter) -> rows above are full there
    full = (1 << columns) - 1
    for i, (ln, a, b) in enumerate(zip(lane.tolist(), first.tolist(), finish.tolist())):
        rows = taken.setdefault(ln, [])
        if b > a:
            s, e = a * columns + columns - 1, b * columns
        else:
            s = e = -1
        r = max(open_from.get((ln, q), 0) for q in range(a, b + 1))
        while True:
            if r == len(rows):
                rows.append(0)
            used = rows[r]
            if b > a:
                bits = ((1 << (e - s + 1)) - 1) << s
                if not used & bits:
                    break
            else:
                free = ~(used >> (a * columns)) & full
                if free:
                    slot = (free & -free).bit_length() - 1
                    s = e = a * columns + slot
                    bits = 1 << s
                    break
            r += 1
        rows[r] |= bits
        row[i], lo[i], hi[i] = r, s, e
        for q in range(a, b + 1):  # the rows from which a quarter still has room
            k = open_from.get((ln, q), 0)
            while k < len(rows) and (rows[k] >> (q * columns)) & full == full:
                k += 1
            open_from[(ln, q)] = k
    return row, lo, hi


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
    first = np.asarray(alloc.quarter, dtype=np.int64)[rows]
    finish = np.maximum(np.asarray(alloc.finish, dtype=np.int64)[rows], first)
    slot = (1 - 2 * PAD) / columns
    if (finish > first).any():
        sub_row, lo, hi = _span_places(lane, first, finish, columns, quarters)
    else:  # every box in one quarter: the same places, with numpy alone
        sub_row, sub_col = _grid_places(lane, first, columns)
        lo = hi = first * columns + sub_col
    lane_rows = np.ones(len(lanes), dtype=np.int64)
    if len(rows):
        np.maximum.at(lane_rows, lane, sub_row + 1)
    lane_top = np.concatenate([[0.0], np.cumsum(lane_rows + LANE_GAP)[:-1]]) if len(lanes) else np.zeros(0)
    # Slot j of quarter q starts at q + PAD + j * slot; a box leaves a gap either side.
    start = lo // columns + PAD + (lo % columns) * slot
    end = hi // columns + PAD + (hi % columns + 1) * slot
    x0 = start + slot * GAP / 2
    width = end - start - slot * GAP
    y = (lane_top[lane] if len(rows) else np.zeros(0)) + sub_row + 0.5
    arrow_from, arrow_to = _arrows(rows, graph, len(evaluation.portfolio))
    height = float(lane_top[-1] + lane_rows[-1]) if len(lanes) else 1.0
    return RoadmapLayout(tuple(lanes), lane_top, lane_rows, rows, lane, x0.astype(float), y.astype(float),
                         width.astype(float), columns, arrow_from, arrow_to, height, first, finish)


def _arrows(rows: np.ndarray, graph: DependencyGraph, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(prerequisite box, dependent box) for every dependency between two funded initiatives."""
    box_of = np.full(n, -1, dtype=np.int64)
    box_of[rows] = np.arange(len(rows))
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.indptr))
    src, dst = box_of[graph.indices], box_of[owner]
    keep = (src >= 0) & (dst >= 0)
    return src[keep], dst[keep]
