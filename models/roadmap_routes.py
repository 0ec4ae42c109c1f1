"""Which dependencies the roadmap draws for a selection, and the orthogonal paths they take.

Only the selected initiative's chain is drawn: everything it waits on, transitively, and
everything that waits on it. A line leaves its prerequisite's right edge, runs only in the gaps
(vertically in the channels between slots, horizontally between rows) and enters the dependent's
left edge, so it never crosses a box or covers a title. Coordinates are the plan's (x in
quarters, y in rows); the channels are the slot boundaries and the row boundaries.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from models.roadmap_plan import RoadmapPlan

#: Costs of the route search: a slot's width against a row's height, and a bend.
ACROSS_COST = 2.5
BEND_COST = 1.5


def chain_edges(arrow_from: np.ndarray, arrow_to: np.ndarray, box: int) -> np.ndarray:
    """Indices of the dependencies in `box`'s chain: among everything it waits on (transitively)
    and among everything that waits on it; none for box -1."""
    if box < 0 or not len(arrow_from):
        return np.zeros(0, dtype=np.int64)
    up = _reach(arrow_to, arrow_from, box)     # box and what it waits on
    down = _reach(arrow_from, arrow_to, box)   # box and what waits on it
    keep = np.isin(arrow_to, up) | np.isin(arrow_from, down)
    return np.flatnonzero(keep)


def _reach(ends: np.ndarray, starts: np.ndarray, box: int) -> np.ndarray:
    """`box` and every box reached by stepping from an edge's end to its start, repeatedly."""
    seen = {box}
    frontier = np.array([box])
    while len(frontier):
        nxt = starts[np.isin(ends, frontier)]
        frontier = np.array([b for b in set(nxt.tolist()) if b not in seen], dtype=np.int64)
        seen.update(frontier.tolist())
    return np.array(sorted(seen), dtype=np.int64)


def chain_boxes(plan: RoadmapPlan, box: int) -> np.ndarray:
    """The boxes of `box`'s chain, itself included (just itself when it has no chain)."""
    edges = chain_edges(plan.arrow_from, plan.arrow_to, box)
    if box < 0:
        return np.zeros(0, dtype=np.int64)
    return np.union1d([box], np.concatenate([plan.arrow_from[edges], plan.arrow_to[edges]]))


@dataclass
class Lattice:
    """The gaps of one plan: channel x positions, row boundary y positions, and which channel
    is blocked in which row (by a box that spans across it)."""

    plan: RoadmapPlan
    #: Per lane, how many channels from the left its name covers in the band above it.
    name_channels: dict[int, int] = field(default_factory=dict)
    lines: np.ndarray = field(init=False)       # y of every row boundary, top to bottom
    line_row: np.ndarray = field(init=False)    # global row below each line, -1 above a lane's band
    band_lane: np.ndarray = field(init=False)   # for a lane's last line, the lane whose band follows
    line_of_box: np.ndarray = field(init=False)  # index in `lines` of each box's top edge
    blocked: np.ndarray = field(init=False)     # (rows, channels) bool

    def __post_init__(self) -> None:
        plan = self.plan
        lines, line_row, band_lane, row_base, line_base = [], [], [], [], []
        g = 0
        for lane, (top, count) in enumerate(zip(plan.lane_top.tolist(), plan.lane_rows.tolist())):
            row_base.append(g)
            line_base.append(len(lines))
            for k in range(count + 1):
                lines.append(top + k)
                line_row.append(g + k if k < count else -1)
                band_lane.append(lane + 1 if k == count else -1)
            g += count
        self.lines = np.array(lines, dtype=float)
        self.line_row = np.array(line_row, dtype=np.int64)
        self.band_lane = np.array(band_lane, dtype=np.int64)
        row_base_a, line_base_a = np.array(row_base, dtype=np.int64), np.array(line_base, dtype=np.int64)
        self.line_of_box = (line_base_a[plan.lane] + plan.row_in_lane) if len(plan.rows) else np.zeros(0, int)
        channels = plan.quarters * plan.columns + 1
        self.blocked = np.zeros((max(g, 1), channels), dtype=bool)
        glob = (row_base_a[plan.lane] + plan.row_in_lane) if len(plan.rows) else np.zeros(0, int)
        for b in np.flatnonzero(plan.slot_hi > plan.slot_lo).tolist():
            self.blocked[glob[b], plan.slot_lo[b] + 1:plan.slot_hi[b] + 1] = True

    def route(self, a: int, b: int) -> list[tuple[float, float]]:
        """The bends of the line from box `a`'s right edge to box `b`'s left edge: the first point
        is in the channel right of `a` at its centre height, the last in the channel left of
        `b`; the view adds the short run from and to the box edges."""
        plan = self.plan
        cols = plan.columns
        start = (int(plan.slot_hi[a]) + 1, int(self.line_of_box[a]))
        end = (int(plan.slot_lo[b]), int(self.line_of_box[b]))
        mid_a = float(self.lines[start[1]] + 0.5)
        mid_b = float(self.lines[end[1]] + 0.5)
        if start == end:
            return [(start[0] / cols, mid_a), (end[0] / cols, mid_b)]
        lo, hi = min(start[1], end[1]), max(start[1], end[1]) + 1
        path = self._search(start, end, max(lo - 2, 0), min(hi + 2, len(self.lines) - 1)) \
            or self._search(start, end, 0, len(self.lines) - 1)
        points = [(start[0] / cols, mid_a)] + [(i / cols, float(self.lines[j])) for i, j in path]
        points.append((end[0] / cols, mid_b))
        return _bends(points)

    def _search(self, start, end, j_lo: int, j_hi: int) -> list[tuple[int, int]]:
        """Cheapest lattice path (channel, line) from the lines above or below `start`'s row to
        those of `end`'s row, within lines j_lo..j_hi; [] when there is none."""
        channels = self.blocked.shape[1]
        heap, best, came = [], {}, {}
        for j in (start[1], start[1] + 1):
            if j_lo <= j <= j_hi:
                state = (start[0], j, 1)
                best[state] = 0.5
                came[state] = None
                heapq.heappush(heap, (0.5, state))
        goals = {(end[0], end[1]), (end[0], end[1] + 1)}
        while heap:
            cost, state = heapq.heappop(heap)
            if cost > best.get(state, np.inf):
                continue
            i, j, d = state
            if (i, j) in goals:
                return self._walk_back(came, state)
            for ni, nj, nd, step in ((i - 1, j, 0, ACROSS_COST), (i + 1, j, 0, ACROSS_COST),
                                     (i, j - 1, 1, 1.0), (i, j + 1, 1, 1.0)):
                if not (0 <= ni < channels and j_lo <= nj <= j_hi):
                    continue
                if nd == 1 and not self._open(i, min(j, nj)):
                    continue
                new = cost + step + (BEND_COST if nd != d else 0.0)
                nxt = (ni, nj, nd)
                if new < best.get(nxt, np.inf):
                    best[nxt], came[nxt] = new, state
                    heapq.heappush(heap, (new, nxt))
        return []

    def _open(self, channel: int, line: int) -> bool:
        """Whether a line may run down `channel` from row boundary `line` to the next."""
        row = self.line_row[line]
        if row < 0:  # across the next lane's band: not through its name
            return channel >= self.name_channels.get(int(self.band_lane[line]), 0)
        return not self.blocked[row, channel]

    @staticmethod
    def _walk_back(came: dict, state) -> list[tuple[int, int]]:
        path = []
        while state is not None:
            path.append(state[:2])
            state = came[state]
        return path[::-1]


def _bends(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The same polyline without repeated points or points in the middle of a straight run."""
    out: list[tuple[float, float]] = []
    for p in points:
        if out and p == out[-1]:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == p[0] or out[-2][1] == out[-1][1] == p[1]):
            out[-1] = p
        else:
            out.append(p)
    return out


def chain_routes(plan: RoadmapPlan, box: int, lattice: Lattice | None = None
                 ) -> list[tuple[int, int, list[tuple[float, float]]]]:
    """(prerequisite box, dependent box, bends) for every dependency in `box`'s chain."""
    edges = chain_edges(plan.arrow_from, plan.arrow_to, box)
    if not len(edges):
        return []
    lattice = lattice or Lattice(plan)
    return [(int(plan.arrow_from[e]), int(plan.arrow_to[e]),
             lattice.route(int(plan.arrow_from[e]), int(plan.arrow_to[e]))) for e in edges.tolist()]
