"""What the PDF handout says, gathered from evaluated scenarios as plain data (no Qt here).

The handout has four parts: the ranked list with its cut line, the roadmap (funded work by
quarter in lanes), capacity used against capacity per team and quarter, and the scenarios
compared with the first one. views/handout_pdf.py lays these out on pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from cutline.models.capacity.capacity import POOL
from cutline.models.errors import ModelError
from cutline.models.scenarios.comparison import DROPPED_BELOW, NEW_ABOVE, compare
from cutline.models.words.cut_line import below_reasons
from cutline.models.words.plans import LATE_MARK, late_words, span_words

if TYPE_CHECKING:
    from cutline.models.scenarios.pipeline import Evaluation

Lanes = Literal["team", "layer"]

SHARED_POOL = "Shared pool"
NO_TEAM = "No team"
#: Initiatives named per list of the comparison ("and N more" after them).
NAMED_CHANGES = 8


@dataclass(frozen=True)
class RankedRow:
    """One line of the ranked list."""

    rank: int
    tier: int
    ident: str
    title: str
    team: str
    category: str
    score: float
    funded: bool
    quarter: str   # "2027-Q1 → Q3" for funded work, "" otherwise
    reason: str    # why not funded, why funded below the line, or "late (due 2027-Q2)"
    late: bool


@dataclass(frozen=True)
class RoadmapBox:
    """A funded initiative on the roadmap: its lane and its quarters (indices, first to finish)."""

    lane: str
    first: int
    finish: int
    ident: str
    title: str
    category: str
    rank: int
    late: bool


@dataclass(frozen=True)
class TeamQuarter:
    """Capacity and what is used of it by one team (or the shared pool) in one quarter."""

    team: str
    quarter: str
    capacity: float
    used: float
    by_category: tuple[tuple[str, float], ...]  # (category, person-weeks), largest first


@dataclass(frozen=True)
class ScenarioSummary:
    """One scenario's funding, and what changed against the first scenario."""

    name: str
    initiatives: int
    funded: int
    used: float        # person-weeks placed
    capacity: float    # person-weeks available
    cut_line: int | None
    new_above: tuple[str, ...] = ()     # "#40 → #12  PLT-101 Title": first rank, then this one
    dropped_below: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()         # the largest moves that did not cross the line
    overlap: float = 1.0                # share of funded initiatives in common with the first
    more: tuple[int, int, int] = (0, 0, 0)  # how many of each list were left unnamed


@dataclass(frozen=True)
class Handout:
    """Everything the handout prints, for the scenario `scenario` of workshop `workshop`."""

    workshop: str
    scenario: str
    model: str
    date: str
    rows: tuple[RankedRow, ...]
    cut_line: int | None
    funded_below: int
    quarters: tuple[str, ...]
    lanes: tuple[str, ...]
    lane_kind: Lanes
    boxes: tuple[RoadmapBox, ...]
    capacity: tuple[TeamQuarter, ...]
    capacity_set: bool
    scenarios: tuple[ScenarioSummary, ...]

    @property
    def funded(self) -> int:
        return sum(r.funded for r in self.rows)


def handout_data(evaluations: Sequence[Evaluation], *, workshop: str, current: int = 0,
                 today: dt.date | None = None, lanes: Lanes = "team") -> Handout:
    """The handout of `evaluations[current]`, its scenarios compared against `evaluations[0]`."""
    if not evaluations:
        raise ModelError("Choose at least one scenario for the handout.")
    if not 0 <= current < len(evaluations):
        raise ModelError(f"There is no scenario number {current + 1} to print.")
    ev = evaluations[current]
    capacity = ev.scenario.capacity
    return Handout(
        workshop=workshop.strip() or "Untitled workshop",
        scenario=ev.scenario.name,
        model=ev.scenario.model.name or "Unnamed model",
        date=(today or dt.date.today()).isoformat(),
        rows=ranked_rows(ev),
        cut_line=ev.allocation.cut_line,
        funded_below=sum(1 for text in below_reasons(ev) if text),
        quarters=tuple(ev.allocation.quarters),
        lanes=lane_names(ev, lanes),
        lane_kind=lanes,
        boxes=roadmap_boxes(ev, lanes),
        capacity=team_quarters(ev),
        capacity_set=bool(len(capacity.table)) and float(capacity.table["capacity"].sum()) > 0,
        scenarios=scenario_summaries(evaluations),
    )


def ranked_rows(ev: Evaluation) -> tuple[RankedRow, ...]:
    """Every initiative in rank order, with the words the table prints."""
    p, r, a = ev.portfolio, ev.ranking, ev.allocation
    titles, teams, categories, ids = p.text("title"), p.text("team"), p.text("category"), p.ids
    spans, lates, below = span_words(a), late_words(a), below_reasons(ev)
    rows = []
    for row in r.order.tolist():
        funded = bool(a.funded[row])
        words = [str(a.reason[row])] if not funded else []
        if lates[row]:  # before "below the cut line…": the longer words are the ones cut short
            words.append(f"{LATE_MARK} {lates[row]}")
        if below[row]:
            words.append(str(below[row]))
        rows.append(RankedRow(int(r.rank[row]), int(r.tier[row]), str(ids[row]), str(titles[row]),
                              str(teams[row]), str(categories[row]), float(r.score[row]), funded,
                              str(spans[row]), "; ".join(w for w in words if w), bool(a.late[row])))
    return tuple(rows)


def _lane_values(ev: Evaluation, kind: Lanes) -> np.ndarray:
    values = ev.portfolio.text(kind)
    blank = "No layer" if kind == "layer" else NO_TEAM
    return np.array([str(v).strip() or blank for v in values], dtype=object)


def lane_names(ev: Evaluation, kind: Lanes = "team") -> tuple[str, ...]:
    """The lanes with funded work: the capacity's teams in its order first, then the others as
    they first appear in rank order."""
    values = _lane_values(ev, kind)
    funded_rows = [row for row in ev.ranking.order.tolist() if ev.allocation.funded[row]]
    present = dict.fromkeys(values[row] for row in funded_rows)
    first = [t for t in ev.scenario.capacity.teams if t in present] if kind == "team" else []
    return tuple(first + [lane for lane in present if lane not in first])


def roadmap_boxes(ev: Evaluation, kind: Lanes = "team") -> tuple[RoadmapBox, ...]:
    """A box for every funded initiative with a quarter, in rank order."""
    p, r, a = ev.portfolio, ev.ranking, ev.allocation
    lanes, titles, categories, ids = _lane_values(ev, kind), p.text("title"), p.text("category"), p.ids
    boxes = []
    for row in r.order.tolist():
        first = int(a.quarter[row])
        if not a.funded[row] or first < 0:
            continue
        finish = max(first, int(a.finish[row]))
        boxes.append(RoadmapBox(str(lanes[row]), first, finish, str(ids[row]), str(titles[row]),
                                str(categories[row]), int(r.rank[row]), bool(a.late[row])))
    return tuple(boxes)


def pack_rows(boxes: Sequence[RoadmapBox]) -> list[int]:
    """The row of each box within its lane: the first row whose quarters are free, so boxes of
    one lane never overlap and the lane is as short as this greedy walk makes it."""
    taken: dict[str, list[list[bool]]] = {}
    out = []
    for box in boxes:
        rows = taken.setdefault(box.lane, [])
        span = range(box.first, box.finish + 1)
        index = next((i for i, used in enumerate(rows)
                      if all(q >= len(used) or not used[q] for q in span)), len(rows))
        if index == len(rows):
            rows.append([])
        used = rows[index]
        used.extend([False] * (box.finish + 1 - len(used)))
        for q in span:
            used[q] = True
        out.append(index)
    return out


def team_quarters(ev: Evaluation) -> tuple[TeamQuarter, ...]:
    """Capacity and use of every team and quarter with capacity, in the capacity's order."""
    util, by_cat = ev.allocation.utilisation, ev.allocation.used_by_category
    shares: dict[tuple[str, str], list[tuple[str, float]]] = {}
    if len(by_cat):
        for team, quarter, category, used in by_cat[["team", "quarter", "category", "used"]].itertuples(index=False):
            if used > 0:
                shares.setdefault((str(team), str(quarter)), []).append((str(category), float(used)))
    out = []
    for team, quarter, capacity, used in util[["team", "quarter", "capacity", "used"]].itertuples(index=False):
        parts = sorted(shares.get((str(team), str(quarter)), []), key=lambda s: -s[1])
        out.append(TeamQuarter(SHARED_POOL if team == POOL else str(team), str(quarter),
                               float(capacity), float(used), tuple(parts)))
    return tuple(out)


def scenario_summaries(evaluations: Sequence[Evaluation]) -> tuple[ScenarioSummary, ...]:
    """Each scenario's funding; from the second on, what crossed the cut line or moved most."""
    comparison = compare(evaluations)
    base = evaluations[0]
    titles = base.portfolio.text("title")
    out = []
    for i, ev in enumerate(evaluations):
        a = ev.allocation
        summary = ScenarioSummary(ev.scenario.name, len(ev.ranking), int(a.funded.sum()),
                                  float(a.utilisation["used"].sum()) if len(a.utilisation) else 0.0,
                                  float(ev.scenario.capacity.table["capacity"].sum())
                                  if len(ev.scenario.capacity.table) else 0.0,
                                  a.cut_line, overlap=float(comparison.funded_overlap[i]))
        if i:
            summary = _with_changes(summary, comparison, i, base, titles)
        out.append(summary)
    return tuple(out)


def _with_changes(summary: ScenarioSummary, comparison, i: int, base, titles) -> ScenarioSummary:
    labels, ranks = comparison.change_label[i], comparison.rank
    order = base.ranking.order.tolist()  # baseline rank order: the order the room reads the list

    def words(row: int) -> str:
        return f"#{ranks[0, row]} → #{ranks[i, row]}  {comparison.ids[row]} {titles[row]}"

    above = [row for row in order if labels[row] == NEW_ABOVE]
    dropped = [row for row in order if labels[row] == DROPPED_BELOW]
    crossed = set(above) | set(dropped)
    change = comparison.rank_change[i]
    moved = sorted((row for row in order if change[row] and row not in crossed),
                   key=lambda row: -abs(int(change[row])))
    named = NAMED_CHANGES
    return ScenarioSummary(
        summary.name, summary.initiatives, summary.funded, summary.used, summary.capacity,
        summary.cut_line,
        new_above=tuple(words(r) for r in above[:named]),
        dropped_below=tuple(words(r) for r in dropped[:named]),
        moved=tuple(words(r) for r in moved[:named]),
        overlap=summary.overlap,
        more=(max(0, len(above) - named), max(0, len(dropped) - named), max(0, len(moved) - named)),
    )
