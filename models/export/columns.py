"""The ranked list's columns, in rank order: what Cutline computed, then every input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cutline.models.portfolio.portfolio import CANONICAL_FIELDS, NUMERIC_FIELDS

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
#: Why a row is funded below the cut line, or why it is not funded; blank above the cut line.
REASON = "Reason"
FUNDED_SHARE = "Funded in draws"
RANK_P5 = "Rank p5"
RANK_P95 = "Rank p95"
POINTS_PREFIX = "Points: "
#: Headers of the columns Cutline computes; an import of the ranked list drops them,
#: together with every header that starts with POINTS_PREFIX.
COMPUTED_COLUMNS: tuple[str, ...] = (
    RANK, TIER, SCORE, FUNDED, PLANNED_QUARTER, FINISHES, DUE_QUARTER, LATE, NOT_FUNDED_BECAUSE, PULLED_IN_BY,
    REASON, FUNDED_SHARE, RANK_P5, RANK_P95,
)
#: Row of the header on the ranked list sheet (1-based); the rows above it are notes.
ROADMAP_HEADER_ROW = 4
YES, NO = "Yes", "No"
#: Each input field's header in words; every one reads back as its field (importing.mapping.SYNONYMS).
INPUT_HEADERS: dict[str, str] = {
    "id": "ID", "title": "Title", "team": "Team", "category": "Category", "layer": "Layer",
    "reach": "Reach", "impact": "Impact", "confidence": "Confidence", "effort": "Effort",
    "risk": "Risk", "reliability": "Reliability", "security": "Security", "dx": "Developer experience",
    "depends_on": "Depends on", "unblocks": "Unblocks", "quarter": "Target quarter",
    "status": "Status", "notes": "Notes",
}
#: The input fields whose text wraps in the ranked list, and the widest each is made.
WRAP_WIDTHS: dict[str, float] = {"title": 32, "team": 15, "category": 15, "layer": 15, "notes": 40}
#: The widest the Reason column is made (it wraps).
REASON_WIDTH = 30.0
#: The key of every computed column, as `--columns` and the export dialog name them.
COMPUTED_KEYS: dict[str, str] = {
    "rank": RANK, "tier": TIER, "score": SCORE, "funded": FUNDED, "planned": PLANNED_QUARTER,
    "finishes": FINISHES, "due": DUE_QUARTER, "late": LATE, "reason": REASON,
    "not_funded_because": NOT_FUNDED_BECAUSE, "pulled_in_by": PULLED_IN_BY, "points": "Points (one per criterion)",
    "funded_share": FUNDED_SHARE, "rank_p5": RANK_P5, "rank_p95": RANK_P95,
}
#: The ranked list's columns by default, in this order: what a one-page-wide handout can hold.
DEFAULT_KEYS: tuple[str, ...] = (
    "rank", "id", "title", "team", "category", "score", "funded", "planned", "finishes", "reason",
)
#: Added to the default when a sensitivity analysis was run.
SENSITIVITY_KEYS: tuple[str, ...] = ("funded_share", "rank_p5", "rank_p95")


def is_computed_header(name: str) -> bool:
    """True for a header of a column Cutline computes, which an import must not read as input."""
    return name in COMPUTED_COLUMNS or name.startswith(POINTS_PREFIX)


def points_header(criterion: str) -> str:
    return f"{POINTS_PREFIX}{criterion}"


@dataclass(frozen=True)
class ListColumn:
    """One column of the ranked list: its header, what it is, and its values in rank order.

    `role` is "rank", "tier", "score", "funded", "quarter", "finish", "due", "late", "reason",
    "why", "pulled_in_by", "points", "funded_share", "rank_p5", "rank_p95", "input" or "extra";
    `kind` is "int", "number", "text" or "value" (any type). `key` names it for `--columns`.
    """

    header: str
    role: str
    kind: str
    values: np.ndarray
    field: str = ""  # the input field or criterion the column shows
    key: str = ""

    @property
    def wraps(self) -> bool:
        """Long words that wrap within the column (the row grows) rather than run off the page."""
        return self.role == "why" or (self.role == "input" and self.field in WRAP_WIDTHS)


def tier_label(tier: int) -> str:
    """The short label of a tier: "T1", "T2", ..."""
    return f"T{int(tier)}"


def ranked_columns(evaluation, sensitivity=None) -> list[ListColumn]:
    """Every column of the ranked list of one evaluation, values in rank order; with a
    `cutline.models.scenarios.sensitivity.Sensitivity` of the same portfolio, its funded share and rank interval."""
    ranking, allocation, portfolio = evaluation.ranking, evaluation.allocation, evaluation.portfolio
    order = np.asarray(ranking.order, dtype=np.int64)
    ids = np.asarray(portfolio.ids, dtype=object)
    quarters = np.array(list(allocation.quarters) + [""], dtype=object)  # -1 picks ""
    pulled = np.asarray(allocation.pulled_in_by, dtype=np.int64)[order]
    pulled_ids = np.where(pulled >= 0, ids[np.clip(pulled, 0, None)], "")
    cols = [
        ListColumn(RANK, "rank", "int", np.asarray(ranking.rank, dtype=np.int64)[order], key="rank"),
        ListColumn(TIER, "tier", "text", np.array([tier_label(t) for t in ranking.tier[order]], dtype=object),
                   key="tier"),
        ListColumn(SCORE, "score", "number", np.asarray(ranking.score, dtype=np.float64)[order], key="score"),
        ListColumn(FUNDED, "funded", "text", _funded_words(allocation)[order], key="funded"),
        ListColumn(PLANNED_QUARTER, "quarter", "text", quarters[np.asarray(allocation.quarter, dtype=np.int64)[order]],
                   key="planned"),
        ListColumn(FINISHES, "finish", "text", quarters[np.asarray(allocation.finish, dtype=np.int64)[order]],
                   key="finishes"),
        ListColumn(DUE_QUARTER, "due", "text", _texts(np.asarray(allocation.due_quarter, dtype=object)[order]),
                   key="due"),
        ListColumn(LATE, "late", "text", _late_words(allocation)[order], key="late"),
        ListColumn(REASON, "why", "text", reason_words(evaluation)[order], key="reason"),
        ListColumn(NOT_FUNDED_BECAUSE, "reason", "text", _texts(np.asarray(allocation.reason, dtype=object)[order]),
                   key="not_funded_because"),
        ListColumn(PULLED_IN_BY, "pulled_in_by", "text", pulled_ids.astype(object), key="pulled_in_by"),
    ]
    if sensitivity is not None:
        cols += [
            ListColumn(FUNDED_SHARE, "funded_share", "number",
                       np.asarray(sensitivity.funded_share, dtype=np.float64)[order], key="funded_share"),
            ListColumn(RANK_P5, "rank_p5", "number", np.asarray(sensitivity.rank_p5, dtype=np.float64)[order],
                       key="rank_p5"),
            ListColumn(RANK_P95, "rank_p95", "number", np.asarray(sensitivity.rank_p95, dtype=np.float64)[order],
                       key="rank_p95"),
        ]
    contributions = np.asarray(ranking.contributions, dtype=np.float64)
    for j, name in enumerate(ranking.criteria):
        cols.append(ListColumn(points_header(name), "points", "number", contributions[order, j], name, key="points"))
    for name in CANONICAL_FIELDS:
        header = INPUT_HEADERS.get(name, name)
        if name in NUMERIC_FIELDS:
            cols.append(ListColumn(header, "input", "number", portfolio.numeric(name)[order], name, key=name))
        else:
            cols.append(ListColumn(header, "input", "text", _texts(portfolio.text(name)[order]), name, key=name))
    for name in portfolio.extra_columns:
        values = portfolio.frame[name].to_numpy(dtype=object)[order]
        cols.append(ListColumn(extra_header(name), "extra", "value", values, name, key=name))
    return cols


#: A field's header in the ranked list, folded, for telling an extra column apart from it.
_FIELD_HEADERS = frozenset(h.casefold() for h in INPUT_HEADERS.values())


def extra_header(name: object) -> str:
    """An extra column's header in the ranked list: its name, or "Effort (as written)" when that
    name is a field's header too (the import keeps a converted field's cells as written under the
    source's header, "Effort", beside the field's own "Effort"): one header per column, so the
    workbook reads back with no "both named" warning."""
    text = str(name)
    return f"{text} (as written)" if text.casefold() in _FIELD_HEADERS else text


def column_choices(evaluation, sensitivity=None) -> list[tuple[str, str, bool]]:
    """What a user may pick for the ranked list: (key, header in words, shown by default),
    the default set first in its order, then the others as the sheet keeps them."""
    defaults = {k: i for i, k in enumerate(default_keys(sensitivity is not None))}
    found: dict[str, str] = {}
    for key, header in ranked_columns_headers(evaluation, sensitivity):
        found.setdefault(key, header)  # an extra column named like a key is that one choice
    ordered = sorted(found, key=lambda k: defaults.get(k, len(defaults)))
    return [(k, found[k], k in defaults) for k in ordered]


def ranked_columns_headers(evaluation, sensitivity=None) -> list[tuple[str, str]]:
    """(key, header) of every column of the ranked list, cheaply (no values)."""
    out = [(k, COMPUTED_KEYS[k]) for k in ("rank", "tier", "score", "funded", "planned", "finishes", "due",
                                          "late", "reason", "not_funded_because", "pulled_in_by")]
    if sensitivity is not None:
        out += [(k, COMPUTED_KEYS[k]) for k in SENSITIVITY_KEYS]
    if evaluation.ranking.criteria:
        out.append(("points", COMPUTED_KEYS["points"]))
    out += [(name, INPUT_HEADERS.get(name, name)) for name in CANONICAL_FIELDS]
    out += [(name, extra_header(name)) for name in evaluation.portfolio.extra_columns]
    return out


def default_keys(sensitivity: bool = False) -> tuple[str, ...]:
    """The ranked list's columns when the user picked none."""
    return DEFAULT_KEYS + (SENSITIVITY_KEYS if sensitivity else ())


def choose_columns(columns: list[ListColumn], keys=None) -> tuple[list[ListColumn], list[ListColumn]]:
    """The columns to show, in the order of `keys` (the default set when None; every column
    when "all"), and the rest, kept after them hidden so the sheet still reads back whole."""
    if keys == "all":
        return list(columns), []
    wanted = list(dict.fromkeys(keys if keys is not None else default_keys(any(
        c.role == "funded_share" for c in columns))))
    position = {k: i for i, k in enumerate(wanted)}
    shown = sorted((c for c in columns if c.key in position), key=lambda c: position[c.key])
    hidden = [c for c in columns if c.key not in position]
    return shown, hidden


def unknown_keys(evaluation, keys, sensitivity=None) -> list[str]:
    """Keys of `keys` that name no column of this ranked list."""
    known = {k for k, _ in ranked_columns_headers(evaluation, sensitivity)}
    return [k for k in keys if k not in known]


def _funded_words(allocation) -> np.ndarray:
    """Yes / No per portfolio row (Reason says why a row below the cut line is funded)."""
    return np.where(np.asarray(allocation.funded), YES, NO).astype(object)


def reason_words(evaluation) -> np.ndarray:
    """Per portfolio row: why it is funded below the cut line ("Below the cut line: leftover
    capacity of team Storage"), why it is not funded, or "" above the cut line."""
    from cutline.models.words.cut_line import BELOW, below_reasons

    allocation = evaluation.allocation
    out = np.where(np.asarray(allocation.funded), "", _texts(np.asarray(allocation.reason, dtype=object))).astype(object)
    out = np.array([r[:1].upper() + r[1:] for r in out.tolist()], dtype=object) if len(out) else out
    below = below_reasons(evaluation)
    marked = below != ""
    if marked.any():
        out[marked] = np.array(["Below the cut line: " + b.removeprefix(BELOW + ", in the ").removeprefix(BELOW + ", ")
                                for b in below[marked]], dtype=object)
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
