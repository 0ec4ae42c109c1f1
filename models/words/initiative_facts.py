"""What the explain panel says about one initiative, gathered from an Evaluation (no Qt here)."""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from cutline.models.portfolio.dependencies import DependencyGraph
from cutline.models.portfolio.portfolio import split_list
from cutline.models.scoring.score import Scorer

BLANK = "blank"  # the cell's tooltip and the 0 points beside it say the rest; short for a narrow panel


def number_text(value: float) -> str:
    """A number as a PM reads it: 1,200 · 7 · 0.25 · 12.5; blank for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if abs(value) >= 1000 or float(value).is_integer():
        return f"{value:,.0f}"
    digits = 1 if abs(value) >= 100 else 2
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class CriterionLine:
    """One criterion of one initiative: input, normalised value, points."""

    name: str
    weight: float
    raw: str          # the input as shown, or BLANK
    normalised: float
    points: float
    unrated: bool


@dataclass(frozen=True)
class Neighbour:
    """An initiative this one depends on."""

    ident: str
    title: str
    rank: int | None     # None when the id is not in the portfolio
    funding: str


@dataclass(frozen=True)
class InitiativeFacts:
    """Everything the explain panel shows for one initiative."""

    row: int
    ident: str
    title: str
    team: str
    category: str
    rank: int
    count: int
    score: float
    tier: int
    tier_name: str
    tier_reason: str
    funded: bool
    funding: str
    pulled_in_by: str
    lines: tuple[CriterionLine, ...]
    depends_on: tuple[Neighbour, ...]
    waits_on_lower: bool
    teams_unblocked: int
    unblocked_teams: tuple[str, ...]
    #: (quarter, person-weeks) for every quarter it runs over, first to finish; () when not funded.
    quarters: tuple[tuple[str, float], ...] = ()
    finish_quarter: str = ""
    due_quarter: str = ""
    late: bool = False


def funding_text(evaluation, row: int) -> str:
    """"Funded in 2025-Q1", "Funded in 2027-Q1 → Q3, late (due 2027-Q2)" or "Not funded: <reason>"."""
    from cutline.models.words.plans import late_text, span_text

    alloc = evaluation.allocation
    if alloc.funded[row]:
        first, finish = int(alloc.quarter[row]), int(alloc.finish[row])
        text = f"Funded in {span_text(alloc.quarters[first], alloc.quarters[max(first, finish)])}"
        if alloc.late[row]:
            text += f", {late_text(str(alloc.due_quarter[row]))}"
        cut = alloc.cut_line
        if cut is not None and int(evaluation.ranking.rank[row]) > cut:
            from cutline.models.words.cut_line import below_reason

            text += f", {below_reason(evaluation, row)}"
        return text
    reason = str(alloc.reason[row]) or "no capacity left"
    return f"Not funded: {reason}"


def facts_for(evaluation, row: int, scorer: Scorer | None = None, written=None) -> InitiativeFacts:
    """Gather the facts about portfolio row `row` of `evaluation`.

    `scorer`, when it scores this very portfolio, brings its cached dependency graph and tier
    masks (the window passes the document's); without it they are computed here. `written`
    (field -> extra column) adds a converted input's cell as written: "4 pw (written: 8)".
    """
    p, ranking, alloc = evaluation.portfolio, evaluation.ranking, evaluation.allocation
    model = evaluation.scenario.model
    if scorer is None or scorer.portfolio is not p:
        scorer = Scorer(p)
    graph = scorer.graph
    pulled = int(alloc.pulled_in_by[row])
    pulled_text = ""
    if pulled >= 0:
        pulled_text = f"{p.ids[pulled]} {p.value(pulled, 'title')} (rank {int(ranking.rank[pulled])})"
    tier = int(ranking.tier[row])
    return InitiativeFacts(
        row=row,
        ident=str(p.ids[row]),
        title=str(p.value(row, "title")),
        team=str(p.value(row, "team")),
        category=str(p.value(row, "category")),
        rank=int(ranking.rank[row]),
        count=len(ranking),
        score=float(ranking.score[row]),
        tier=tier,
        tier_name=ranking.tier_names[tier - 1],
        tier_reason=scorer.explain_tier(model, row),
        funded=bool(alloc.funded[row]),
        funding=funding_text(evaluation, row),
        pulled_in_by=pulled_text,
        lines=_lines(ranking, model, row, p, written or {}),
        depends_on=_depends_on(evaluation, row),
        waits_on_lower=bool(ranking.waits_on_lower[row]),
        teams_unblocked=int(np.nan_to_num(ranking.teams_unblocked[row])),
        unblocked_teams=unblocked_teams(p, graph, row),
        quarters=tuple(alloc.quarters_of(row)) if alloc.funded[row] else (),
        finish_quarter=alloc.quarters[int(alloc.finish[row])] if alloc.funded[row] and alloc.finish[row] >= 0 else "",
        due_quarter=str(alloc.due_quarter[row] or ""),
        late=bool(alloc.late[row]),
    )


def _lines(ranking, model, row: int, portfolio, written) -> tuple[CriterionLine, ...]:
    weights = dict(zip(model.names, model.weights))
    sources = {c.name: c.source for c in model.criteria}
    return tuple(
        CriterionLine(
            name=name,
            weight=float(weights.get(name, float("nan"))),
            raw=_with_written(BLANK if ranking.unrated[row, k] else number_text(float(ranking.raw[row, k])),
                              sources.get(name), portfolio, row, written),
            normalised=float(ranking.normalised[row, k]),
            points=float(ranking.contributions[row, k]),
            unrated=bool(ranking.unrated[row, k]),
        )
        for k, name in enumerate(ranking.criteria)
    )


def _with_written(shown: str, source: str | None, portfolio, row: int, written) -> str:
    """An input with its cell as written, when the import converted it ("4 pw (written: 8)")."""
    column = written.get(source) if source else None
    if column is None or column not in portfolio.extra_columns:
        return shown
    cell = portfolio.value(row, column)
    text = "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell).strip()
    if not text:
        return shown
    unit = " pw" if source == "effort" and shown != BLANK else ""
    return f"{shown}{unit} (written: {text})"


def _depends_on(evaluation, row: int) -> tuple[Neighbour, ...]:
    p, ranking = evaluation.portfolio, evaluation.ranking
    out = []
    for ident in split_list(str(p.value(row, "depends_on"))):
        other = p.row_of_id.get(ident)
        if other is None or other == row:
            out.append(Neighbour(ident, "not in the portfolio", None, ""))
            continue
        out.append(Neighbour(ident, str(p.value(other, "title")), int(ranking.rank[other]),
                             funding_text(evaluation, other)))
    return tuple(out)


def waiting_rows(graph: DependencyGraph, row: int) -> np.ndarray:
    """Rows that wait on `row`, directly or through others, a whole level at a time."""
    indptr, indices = graph.dependents
    seen = np.zeros(len(graph), dtype=bool)
    seen[row] = True
    frontier = np.array([row], dtype=np.int64)
    while frontier.size:
        starts, counts = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        following = indices[offsets + np.arange(int(counts.sum()), dtype=np.int64)]
        frontier = np.unique(following[~seen[following]])
        seen[frontier] = True
    seen[row] = False
    return np.flatnonzero(seen)


#: The last answers of unblocked_teams for one portfolio and graph (held weakly): a weight change
#: asks again for the same initiative, and the answer depends only on the graph.
_recent_unblocked: dict = {"of": None, "teams": {}}


def unblocked_teams(portfolio, graph: DependencyGraph, row: int) -> tuple[str, ...]:
    """Teams that wait on this initiative (directly or through others) or that it names; not its own."""
    of = _recent_unblocked["of"]
    if of is None or of[0]() is not portfolio or of[1]() is not graph:
        _recent_unblocked.update(of=(weakref.ref(portfolio), weakref.ref(graph)), teams={})
    known = _recent_unblocked["teams"]
    if row not in known:
        if len(known) > 64:
            known.clear()
        known[row] = _unblocked_teams(portfolio, graph, row)
    return known[row]


def _unblocked_teams(portfolio, graph: DependencyGraph, row: int) -> tuple[str, ...]:
    teams = portfolio.text("team")
    names = [str(t) for t in dict.fromkeys(teams[waiting_rows(graph, row)].tolist())]
    names += split_list(str(portfolio.value(row, "unblocks")))
    own = str(teams[row]).strip().casefold()
    found: dict[str, str] = {}
    for name in names:
        key = name.strip().casefold()
        if key and key != own:
            found.setdefault(key, name.strip())
    return tuple(sorted(found.values(), key=str.casefold))
