"""Where each funded initiative sits on the roadmap: its swim lane, its row, the quarters it spans.

Qt-free, so the GUI, a printed handout or a test can share it. Coordinates are abstract: x in
quarters (quarter q spans x in [q, q + 1], split into `columns` equal slots), y in rows (each
lane a block of rows under a band of `LANE_GAP` rows for its name). A view scales both to pixels and insets every
box inside its slots, which leaves the gaps that dependency lines are routed through
(models/roadmap/routes.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from cutline.models.portfolio.dependencies import DependencyGraph

#: The layers of the platform, bottom of the stack first; any other layer follows alphabetically.
LAYERS = ("infrastructure", "core services", "enabling capabilities")
LANE_GAP = 0.5       # rows above each lane: the band that carries the lane's name
#: Lane names when the portfolio has no layer column: how deep the initiative sits in its chain.
DEPTH_NAMES = ("Waits on nothing", "Waits on 1 step", "Waits on {n} steps")


@dataclass(frozen=True)
class RoadmapPlan:
    """Boxes (one per funded initiative, best ranked first), their lanes, and the dependencies.

    A box runs from the start of its first quarter to the end of its finish quarter. Boxes that
    sit in one quarter take one of its `columns` slots; a spanning box takes every slot of its
    quarters. `slot_lo`/`slot_hi` count slots across the plan (quarter q holds q * columns to
    q * columns + columns - 1).
    """

    lanes: tuple[str, ...]
    lane_top: np.ndarray      # (lanes,) y of each lane's first row (its name's band is above)
    lane_rows: np.ndarray     # (lanes,) rows of boxes in each lane
    rows: np.ndarray          # (k,) portfolio row of each box, in rank order
    lane: np.ndarray          # (k,) lane of each box
    row_in_lane: np.ndarray   # (k,) row of each box within its lane
    first: np.ndarray         # (k,) first quarter
    finish: np.ndarray        # (k,) finish quarter (>= first)
    slot_lo: np.ndarray       # (k,) first slot
    slot_hi: np.ndarray       # (k,) last slot
    columns: int
    quarters: int
    arrow_from: np.ndarray    # box index of each dependency's prerequisite (both boxes funded)
    arrow_to: np.ndarray      # box index of the initiative that waits on it
    height: float             # in rows, the lanes' bands included

    @property
    def x0(self) -> np.ndarray:
        """(k,) left edge of each box's slots, in quarters."""
        return self.slot_lo / self.columns

    @property
    def width(self) -> np.ndarray:
        """(k,) width of each box's slots, in quarters."""
        return (self.slot_hi + 1 - self.slot_lo) / self.columns

    @property
    def top(self) -> np.ndarray:
        """(k,) top edge of each box's row."""
        return (self.lane_top[self.lane] if len(self.rows) else np.zeros(0)) + self.row_in_lane

    @property
    def y(self) -> np.ndarray:
        """(k,) centre of each box's row."""
        return self.top + 0.5

    @property
    def spanning(self) -> np.ndarray:
        return self.finish > self.first

    def box_of_row(self, row: int) -> int:
        """The box of portfolio row `row`, -1 when it has none (not funded)."""
        where = np.flatnonzero(self.rows == row) if row >= 0 else ()
        return int(where[0]) if len(where) else -1


def lane_order(values: list[str], first: tuple[str, ...] = ()) -> list[str]:
    """Named lanes in `first`'s order (matched without case), the rest alphabetically, blank last."""
    present = list(dict.fromkeys(values))
    folded = {v.casefold(): v for v in present if v}
    head = [folded[f.casefold()] for f in first if f.casefold() in folded]
    rest = sorted((v for v in present if v and v not in head), key=str.casefold)
    return head + rest + ([""] if "" in present else [])


def funded_in_rank_order(evaluation) -> np.ndarray:
    order = np.asarray(evaluation.ranking.order, dtype=np.int64)
    return order[np.asarray(evaluation.allocation.funded, dtype=bool)[order]]


def most_in_a_cell(evaluation, by: str) -> int:
    """The most funded initiatives sharing one lane and first quarter."""
    rows = funded_in_rank_order(evaluation)
    if not len(rows):
        return 0
    lane, _ = pd.factorize(evaluation.portfolio.text(by)[rows])
    cell = lane * max(len(evaluation.allocation.quarters), 1) + np.asarray(evaluation.allocation.quarter)[rows]
    return int(np.bincount(cell).max())


def depth_lanes(rows: np.ndarray, graph: DependencyGraph) -> tuple[np.ndarray, tuple[str, ...]]:
    """(lane name of each box, the names shallowest first): how many prerequisites deep each
    funded initiative sits among the funded ones. A cycle puts everything in the first lane."""
    funded = np.zeros(len(graph), dtype=bool)
    funded[rows] = True
    depth = np.zeros(len(graph), dtype=np.int64)
    order = graph.topological_order() if graph.cycle_rows() is None else np.zeros(0, dtype=np.int64)
    for row in order[funded[order]].tolist():  # prerequisites come first
        before = [depth[p] for p in graph.prerequisites_of(row).tolist() if funded[p]]
        depth[row] = 1 + max(before) if before else 0
    deepest = int(depth[rows].max(initial=0))
    names = tuple(DEPTH_NAMES[min(d, 2)].format(n=d) for d in range(deepest + 1))
    return np.array(names, dtype=object)[depth[rows]], names


def _places(lane: np.ndarray, first: np.ndarray, finish: np.ndarray,
            columns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row in lane, first slot, last slot) of every box, first fit in rank order.

    A box in one quarter takes the first free slot of that quarter in the first row that has
    one; a spanning box takes every slot of its quarters in the first row where all are free.
    """
    n = len(lane)
    row, lo, hi = (np.zeros(n, dtype=np.int64) for _ in range(3))
    taken: dict[int, list[int]] = {}              # lane -> bits of the slots taken, per row
    open_from: dict[tuple[int, int], int] = {}    # (lane, quarter) -> rows above are full there
    full = (1 << columns) - 1
    for i, (ln, a, b) in enumerate(zip(lane.tolist(), first.tolist(), finish.tolist())):
        rows = taken.setdefault(ln, [])
        r = max(open_from.get((ln, q), 0) for q in range(a, b + 1))
        while True:
            if r == len(rows):
                rows.append(0)
            used = rows[r]
            if b > a:
                s, e = a * columns, b * columns + columns - 1
                bits = ((1 << (e - s + 1)) - 1) << s
                if not used & bits:
                    break
            else:
                free = ~(used >> (a * columns)) & full
                if free:
                    s = e = a * columns + (free & -free).bit_length() - 1
                    bits = 1 << s
                    break
            r += 1
        rows[r] |= bits
        row[i], lo[i], hi[i] = r, s, e
        for q in range(a, b + 1):  # the first row in which each quarter still has room
            k = open_from.get((ln, q), 0)
            while k < len(rows) and (rows[k] >> (q * columns)) & full == full:
                k += 1
            open_from[(ln, q)] = k
    return row, lo, hi


def plan_roadmap(evaluation, by: str, columns: int, graph: DependencyGraph,
                 lane_first: tuple[str, ...] = ()) -> RoadmapPlan:
    """Lay out every funded initiative of `evaluation` in lanes by `by` ("layer" or "team").

    By layer with no layer named anywhere, the lanes are the dependency depth instead.
    """
    alloc = evaluation.allocation
    quarters = max(len(alloc.quarters), 1)
    columns = max(int(columns), 1)
    rows = funded_in_rank_order(evaluation)
    values = np.asarray(evaluation.portfolio.text(by), dtype=object)[rows]
    if by == "layer" and len(rows) and not any(str(v).strip() for v in values.tolist()):
        values, lane_first = depth_lanes(rows, graph)
    codes, names = pd.factorize(pd.Series(values, dtype=object).astype(str).str.strip())
    names = [str(n) for n in names.tolist()]
    lanes = lane_order(names, lane_first)
    lane_index = {name: i for i, name in enumerate(lanes)}
    lane = np.array([lane_index[n] for n in names], dtype=np.int64)[codes] if len(rows) else codes.astype(np.int64)
    first = np.asarray(alloc.quarter, dtype=np.int64)[rows]
    finish = np.maximum(np.asarray(alloc.finish, dtype=np.int64)[rows], first)
    row_in_lane, lo, hi = _places(lane, first, finish, columns)
    lane_rows = np.ones(len(lanes), dtype=np.int64)
    if len(rows):
        np.maximum.at(lane_rows, lane, row_in_lane + 1)
    lane_top = np.cumsum(lane_rows + LANE_GAP) - lane_rows if len(lanes) else np.zeros(0)
    arrow_from, arrow_to = _arrows(rows, graph, len(evaluation.portfolio))
    height = float(lane_top[-1] + lane_rows[-1]) if len(lanes) else 1.0
    return RoadmapPlan(tuple(lanes), lane_top, lane_rows, rows, lane, row_in_lane, first, finish, lo, hi,
                       columns, quarters, arrow_from, arrow_to, height)


def _arrows(rows: np.ndarray, graph: DependencyGraph, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(prerequisite box, dependent box) for every dependency between two funded initiatives."""
    box_of = np.full(n, -1, dtype=np.int64)
    box_of[rows] = np.arange(len(rows))
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(graph.indptr))
    src, dst = box_of[graph.indices], box_of[owner]
    keep = (src >= 0) & (dst >= 0) & (src != dst)
    return src[keep], dst[keep]
