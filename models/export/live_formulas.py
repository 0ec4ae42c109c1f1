"""Live scores: the Ranked list's points and scores as formulas over the Model sheet's weights.

What is live: each "Points: <criterion>" cell is 100 × the initiative's normalised value
(on the Normalised sheet, as Cutline computed it) × the criterion's share of the total
weight (on the Model sheet, itself a formula over the weights); each Score cell is the
sum of its row's points. Changing a weight on the Model sheet recomputes every point and
score. What is not live: the normalised values, the tiers, the ranks and the funding.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from cutline.models.export import styles as st
from cutline.models.export.book import Book, Sheet
from cutline.models.export.columns import ROADMAP_HEADER_ROW, ListColumn
from cutline.models.export.model_sheet import SHEET as MODEL_SHEET
from cutline.models.export.sheet_xml import Column
from openpyxl.utils import get_column_letter

NORMALISED_SHEET = "Normalised"
#: First column of the normalised values on the Normalised sheet (after rank, id, title).
FIRST_VALUE_COLUMN = 4


def shares_of(model, criteria: Sequence[str]) -> np.ndarray:
    """Each criterion's weight ÷ total weight (0 when the weights add up to 0)."""
    weights = {c.name: float(c.weight) for c in model.criteria}
    w = np.array([weights.get(name, 0.0) for name in criteria], dtype=np.float64)
    total = float(sum(weights.values()))
    return w / total if total else np.zeros_like(w)


def formula_inputs(ranking) -> np.ndarray:
    """Per initiative and criterion, Cutline's normalised value (blank inputs count 0)."""
    return np.nan_to_num(np.asarray(ranking.normalised, dtype=np.float64))


def mismatch(ranking, model, values: np.ndarray) -> list[str]:
    """Criteria whose formulas would not give Cutline's points, and whether scores add up."""
    share = shares_of(model, ranking.criteria)
    points = 100.0 * values * share
    contributions = np.nan_to_num(np.asarray(ranking.contributions, dtype=np.float64))
    problems = [
        name for j, name in enumerate(ranking.criteria)
        if not np.allclose(points[:, j], contributions[:, j], rtol=1e-9, atol=1e-9)
    ]
    if not np.allclose(points.sum(axis=1), np.asarray(ranking.score, dtype=np.float64), rtol=1e-9, atol=1e-9):
        problems.append("Score")
    return problems


def write_normalised(book: Book, sheet: Sheet, evaluation, values: np.ndarray) -> None:
    """The Normalised sheet: one row per Ranked list row, on the same row numbers."""
    ranking, portfolio = evaluation.ranking, evaluation.portfolio
    order = np.asarray(ranking.order, dtype=np.int64)
    sheet.row(["Normalised values"], st.TITLE, height=22)
    widths = [6, 12, 30] + [11] * values.shape[1]
    text = {"columns": len(widths), "width": float(sum(widths))}
    sheet.paragraph("Each criterion's normalised value, 0 to 1 (cost criteria already flipped), "
                    "as Cutline computed it; rows line up with the Ranked list's.", st.NOTE, **text)
    sheet.paragraph("Ranked list points = 100 × this value × the criterion's share of total weight on the "
                    "Model sheet.", st.NOTE, **text)
    assert sheet.next_row == ROADMAP_HEADER_ROW
    sheet.row(["Rank", "id", "title", *ranking.criteria], st.HEADER, height=30)
    body = book.styles.id(st.BODY)
    columns = [
        Column(np.asarray(ranking.rank, dtype=np.float64)[order], book.styles.id(st.Look(fmt=st.WHOLE))),
        Column(np.asarray(portfolio.ids, dtype=object)[order], body, "text"),
        Column(np.asarray(portfolio.text("title"), dtype=object)[order], body, "text"),
    ]
    ratio = book.styles.id(st.Look(fmt=st.RATIO))
    columns += [Column(values[order, j], ratio) for j in range(values.shape[1])]
    sheet.table(columns, len(order))
    sheet.print_wide(header_row=ROADMAP_HEADER_ROW)
    ws = sheet.ws
    ws.freeze_panes = f"D{ROADMAP_HEADER_ROW + 1}"
    for j, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(j + 1)].width = width


def live_columns(evaluation, columns: Sequence[ListColumn], shares: Sequence[str]) -> list[Column]:
    """Formula columns for Score and each Points column, in the Ranked list's column order.

    `shares` holds each model criterion's share-of-weight cell on the Model sheet.
    """
    ranking, model = evaluation.ranking, evaluation.scenario.model
    order = np.asarray(ranking.order, dtype=np.int64)
    rows = range(ROADMAP_HEADER_ROW + 1, ROADMAP_HEADER_ROW + 1 + len(order))
    share_of = dict(zip(model.names, shares))
    points_at = [j for j, c in enumerate(columns) if c.role == "points"]
    out = []
    for c in columns:
        if c.role == "score":
            first, last = (get_column_letter(points_at[0] + 1), get_column_letter(points_at[-1] + 1)) if points_at else (None, None)
            formulas = [f"SUM({first}{r}:{last}{r})" for r in rows] if points_at else ["0"] * len(rows)
            out.append(Column(formulas, 0, "formula", np.asarray(ranking.score, dtype=np.float64)[order]))
        elif c.role == "points":
            j = list(ranking.criteria).index(c.field)
            value = get_column_letter(FIRST_VALUE_COLUMN + j)
            share = f"{MODEL_SHEET}!{share_of[c.field]}"
            formulas = [f"100*{NORMALISED_SHEET}!{value}{r}*{share}" for r in rows]
            out.append(Column(formulas, 0, "formula", np.asarray(ranking.contributions[:, j], dtype=np.float64)[order]))
    return out
