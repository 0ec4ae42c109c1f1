"""The ranked list's columns, in rank order: what Cutline computed, then every input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.portfolio import CANONICAL_FIELDS, NUMERIC_FIELDS

RANK = "Rank"
TIER = "Tier"
SCORE = "Score"
FUNDED = "Funded"
PLANNED_QUARTER = "Planned quarter"
FINISHES = "Finishes"
#: Not "Due": that header is the due quarter an import reads as input (mapping.SYNONYMS), and a
#: workbook may already have a "Due" column of its own.
DUE_QUARTER = "Due quarter"
LATE = "Late"
NOT_FUNDED_BECAUSE = "Not funded because"
PULLED_IN_BY = "Pulled in by"
POINTS_PREFIX = "Points: "
#: Headers of the columns Cutline computes; an import of the Roadmap sheet drops them,
#: together with every header that starts with POINTS_PREFIX.
COMPUTED_COLUMNS: tuple[str, ...] = (
    RANK, TIER, SCORE, FUNDED, PLANNED_QUARTER, FINISHES, DUE_QUARTER, LATE, NOT_FUNDED_BECAUSE, PULLED_IN_BY,
)
#: Row of the header on the Roadmap sheet (1-based); the rows above it are notes.
ROADMAP_HEADER_ROW = 4
YES, NO = "Yes", "No"


def is_computed_header(name: str) -> bool:
    """True for a header of a column Cutline computes, which an import must not read as input."""
    return name in COMPUTED_COLUMNS or name.startswith(POINTS_PREFIX)


def points_header(criterion: str) -> str:
    return f"{POINTS_PREFIX}{criterion}"


@dataclass(frozen=True)
class ListColumn:
    """One column of the ranked list: its header, what it is, and its values in rank order.

    `role` is "rank", "tier", "score", "funded", "quarter", "finish", "due", "late", "reason",
    "pulled_in_by", "points", "input" or "extra"; `kind` is "int", "number", "text" or "value" (any type).
    """

    header: str
    role: str
    kind: str
    values: np.ndarray
    field: str = ""  # the input field or criterion the column shows


def tier_label(tier: int) -> str:
    """The short label of a tier: "T1", "T2", ..."""
    return f"T{int(tier)}"


def ranked_columns(evaluation) -> list[ListColumn]:
    """Every column of the ranked list of one evaluation, values in rank order."""
    ranking, allocation, portfolio = evaluation.ranking, evaluation.allocation, evaluation.portfolio
    order = np.asarray(ranking.order, dtype=np.int64)
    ids = np.asarray(portfolio.ids, dtype=object)
    quarters = np.array(list(allocation.quarters) + [""], dtype=object)  # -1 picks ""
    pulled = np.asarray(allocation.pulled_in_by, dtype=np.int64)[order]
    pulled_ids = np.where(pulled >= 0, ids[np.clip(pulled, 0, None)], "")
    cols = [
        ListColumn(RANK, "rank", "int", np.asarray(ranking.rank, dtype=np.int64)[order]),
        ListColumn(TIER, "tier", "text", np.array([tier_label(t) for t in ranking.tier[order]], dtype=object)),
        ListColumn(SCORE, "score", "number", np.asarray(ranking.score, dtype=np.float64)[order]),
        ListColumn(FUNDED, "funded", "text", _funded_words(evaluation)[order]),
        ListColumn(PLANNED_QUARTER, "quarter", "text", quarters[np.asarray(allocation.quarter, dtype=np.int64)[order]]),
        ListColumn(FINISHES, "finish", "text", quarters[np.asarray(allocation.finish, dtype=np.int64)[order]]),
        ListColumn(DUE_QUARTER, "due", "text", _texts(np.asarray(allocation.due_quarter, dtype=object)[order])),
        ListColumn(LATE, "late", "text", _late_words(allocation)[order]),
        ListColumn(NOT_FUNDED_BECAUSE, "reason", "text", _texts(np.asarray(allocation.reason, dtype=object)[order])),
        ListColumn(PULLED_IN_BY, "pulled_in_by", "text", pulled_ids.astype(object)),
    ]
    contributions = np.asarray(ranking.contributions, dtype=np.float64)
    for j, name in enumerate(ranking.criteria):
        cols.append(ListColumn(points_header(name), "points", "number", contributions[order, j], name))
    for name in CANONICAL_FIELDS:
        if name in NUMERIC_FIELDS:
            cols.append(ListColumn(name, "input", "number", portfolio.numeric(name)[order], name))
        else:
            cols.append(ListColumn(name, "input", "text", _texts(portfolio.text(name)[order]), name))
    for name in portfolio.extra_columns:
        values = portfolio.frame[name].to_numpy(dtype=object)[order]
        cols.append(ListColumn(name, "extra", "value", values, name))
    return cols


def _funded_words(evaluation) -> np.ndarray:
    """Yes / No per portfolio row; a row funded below the cut line says why it is there
    ("Yes: leftover capacity of team Storage"), as the window and the CLI do."""
    from models.cut_line import BELOW, below_reasons

    allocation = evaluation.allocation
    out = np.where(np.asarray(allocation.funded), YES, NO).astype(object)
    below = below_reasons(evaluation)
    marked = below != ""
    if marked.any():
        short = np.array([b.removeprefix(BELOW + ", in the ").removeprefix(BELOW + ", ") for b in below[marked]],
                         dtype=object)
        out[marked] = YES + ": " + short
    return out


def _late_words(allocation) -> np.ndarray:
    """Yes / No per funded row (late: it finishes after its due quarter); "" when not funded."""
    funded = np.asarray(allocation.funded, dtype=bool)
    late = np.asarray(allocation.late, dtype=bool)
    return np.where(funded, np.where(late, YES, NO), "").astype(object)


def _texts(values: np.ndarray) -> np.ndarray:
    """Text values as str, "" for blanks, so writers need no per-cell type tests."""
    out = np.asarray(values, dtype=object)
    if all(isinstance(v, str) for v in out.tolist()):
        return out
    return np.array(["" if v is None or v != v else str(v) for v in out.tolist()], dtype=object)
