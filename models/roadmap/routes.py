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
from cutline.models.roadmap.plan import RoadmapPlan

#: Costs of the route search: a slot's width against a row's height, and a bend.
ACROSS_COST = 2.5
BEND_COST = 1.5
#: A chain with more dependencies than this is drawn by the selection's direct ones only.
MOST_LINES = 400


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


@dataclass
class Lattice:
    """The gaps of one plan: channel x positions (slot boundaries), row boundary y positions
    (`lines`), and where a line may not run down a channel: across a box that spans over it, or
    across a lane's name in the band above the lane."""

    plan: RoadmapPlan
    #: Per lane, how many channels from the left its name covers in the band above it.
    name_channels: dict[int, int] = field(default_factory=dict)
    lines: np.ndarray = field(init=False)        # y of every row boundary, top to bottom
    line_of_box: np.ndarray = field(init=False)  # index in `lines` of each box's top edge
    closed: np.ndarray = field(init=False)       # (lines, channels): no run from line j to j + 1
    _closed_before: np.ndarray = field(init=False)  # (lines + 1, channels) running count of `closed`

    def __post_init__(self) -> None:
        plan = self.plan
        channels = plan.quarters * plan.columns + 1
        lines, line_base = [], []
        for top, count in zip(plan.lane_top.tolist(), plan.lane_rows.tolist()):
            line_base.append(len(lines))
            lines.extend(top + k for k in range(count + 1))
        self.lines = np.array(lines, dtype=float)
        base = np.array(line_base, dtype=np.int64)
        self.line_of_box = base[plan.lane] + plan.row_in_lane if len(plan.rows) else np.zeros(0, np.int64)
        closed = np.zeros((max(len(lines), 1), channels), dtype=bool)
        for b in np.flatnonzero(plan.slot_hi > plan.slot_lo).tolist():
            closed[self.line_of_box[b], plan.slot_lo[b] + 1:plan.slot_hi[b] + 1] = True
        for lane in range(1, len(base)):  # the band above lane `lane` follows the last line before it
            closed[base[lane] - 1, :self.name_channels.get(lane, 0)] = True
        closed[-1, :] = True  # below the last lane there is nothing to reach
        self.closed = closed
        self._closed_before = np.vstack([np.zeros((1, channels), dtype=np.int64), np.cumsum(closed, axis=0)])

    def _run_open(self, channel: int, j0: int, j1: int) -> bool:
        """Whether a line can run down `channel` between row boundaries j0 and j1."""
        lo, hi = min(j0, j1), max(j0, j1)
        return self._closed_before[hi, channel] == self._closed_before[lo, channel]

    def route(self, a: int, b: int) -> list[tuple[float, float]]:
        """The bends of the line from box `a`'s right edge to box `b`'s left edge: the first point
        is in the channel right of `a` at its centre height, the last in the channel left of
        `b`; the view adds the short run from and to the box edges."""
        plan = self.plan
        cols = plan.columns
        start = (int(plan.slot_hi[a]) + 1, int(self.line_of_box[a]))
        end = (int(plan.slot_lo[b]), int(self.line_of_box[b]))
        first = (start[0] / cols, float(self.lines[start[1]] + 0.5))
        last = (end[0] / cols, float(self.lines[end[1]] + 0.5))
        if start == end:
            return [first, last]
        path = self._straight(start, end)
        if path is None:
            lo, hi = min(start[1], end[1]), max(start[1], end[1]) + 1
            path = self._search(start, end, max(lo - 2, 0), min(hi + 2, len(self.lines) - 1)) \
                or self._search(start, end, 0, len(self.lines) - 1)
        return _bends([first] + [(i / cols, float(self.lines[j])) for i, j in path] + [last])

    def _straight(self, start, end) -> list[tuple[int, int]] | None:
        """A path of few bends, when the gaps allow: down the channel beside `a` to the row
        boundary next to `b`, or across first and down the channel beside `b`, or across to
        the nearest channel open all the way, down it and across."""
        (si, sj), (ei, ej) = start, end
        near_b = ej if ej > sj else ej + 1       # the boundary of b's row facing a
        near_a = sj + 1 if ej > sj else sj       # the boundary of a's row facing b
        if ej == sj:
            near_a = near_b = sj                 # the same row: over the top
        if self._run_open(si, sj, near_b):
            return [(si, near_b), (ei, near_b)]
        if self._run_open(ei, near_a, ej):
            return [(si, near_a), (ei, near_a)]
        # Across to the nearest channel that is open all the way down, down it, across again.
        by_detour = sorted(range(self.closed.shape[1]), key=lambda k: abs(k - si) + abs(k - ei))
        for k in by_detour:
            if self._run_open(k, near_a, near_b):
                return [(si, near_a), (k, near_a), (k, near_b), (ei, near_b)]
        return None

    def _search(self, start, end, j_lo: int, j_hi: int) -> list[tuple[int, int]]:
        """Cheapest lattice path (channel, line) from the lines above or below `start`'s row to
        those of `end`'s row, within lines j_lo..j_hi; [] when there is none."""
        channels = self.closed.shape[1]
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
                if nd == 1 and self.closed[min(j, nj), i]:
                    continue
                new = cost + step + (BEND_COST if nd != d else 0.0)
                nxt = (ni, nj, nd)
                if new < best.get(nxt, np.inf):
                    best[nxt], came[nxt] = new, state
                    heapq.heappush(heap, (new, nxt))
        return []

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


def chain_routes(plan: RoadmapPlan, box: int, lattice: Lattice | None = None, most: int = MOST_LINES
                 ) -> tuple[list[tuple[int, int, list[tuple[float, float]]]], int]:
    """(prerequisite box, dependent box, bends) for every dependency in `box`'s chain, and how
    many the chain has. A chain of more than `most` is drawn by its direct dependencies only:
    thousands of lines would be slow to draw and impossible to read."""
    edges = chain_edges(plan.arrow_from, plan.arrow_to, box)
    whole = len(edges)
    if whole > most:
        edges = edges[(plan.arrow_from[edges] == box) | (plan.arrow_to[edges] == box)]
    if not len(edges):
        return [], whole
    lattice = lattice or Lattice(plan)
    return [(int(plan.arrow_from[e]), int(plan.arrow_to[e]),
             lattice.route(int(plan.arrow_from[e]), int(plan.arrow_to[e]))) for e in edges.tolist()], whole
