"""The Model sheet: criteria, weights and tiers in words and numbers, checkable by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cutline.models.export import styles as st
from cutline.models.export.book import Sheet
from cutline.models.export.columns import tier_label
from cutline.models.export.printing import fitted_height as printed_height
from cutline.models.export.printing import row_height
from cutline.models.export.sheet_xml import Formula
from cutline.models.words.sources import formula_words

SHEET = "Model"
#: Where the criteria table's weights and shares are (columns C and D).
WEIGHT_COLUMN, SHARE_COLUMN = "C", "D"

_NORMALISATIONS = {
    "scale": "(input − low) ÷ (high − low), kept between 0 and 1",
    "minmax": "(input − lowest) ÷ (highest − lowest) among the initiatives with a value; "
              "0 for all when they are all equal",
    "rank": "(the input's rank among the initiatives with a value − 1) ÷ (how many have a "
            "value − 1); equal inputs share their average rank",
}
#: Column widths that print one page wide at 90% or more (printing.fit_scale), so type stays >= 9 pt.
_WIDTHS = (16, 24, 10, 10, 10, 13, 6, 6, 22, 30)
#: Explanations wrap across the whole table's width.
_TEXT = {"columns": len(_WIDTHS), "width": float(sum(_WIDTHS))}
HOW_IT_WORKS = (
    "1. Each criterion turns an initiative's input into a normalised value from 0 to 1 "
    "(see In words below). For a cost criterion less is better, so the value is flipped: "
    "1 − value. A blank input counts 0 (no credit for being unrated).",
    "2. Points = 100 × normalised value × weight ÷ total weight. Share of total weight holds "
    "weight ÷ total weight; when every weight is 0, every point is 0.",
    "3. Score = the sum of an initiative's points, from 0 to 100. The Ranked list shows each "
    "criterion's points in its own column, so every score can be added up by hand.",
    "4. Rank: tier 1 first, then tier 2 and so on; within a tier the higher score first; "
    "equal scores keep the order of the source spreadsheet.",
)


def write_model(sheet: Sheet, evaluation, *, live: bool) -> list[str]:
    """Fill the Model sheet; return each criterion's share-of-weight cell ("$D$9")."""
    model, ranking = evaluation.scenario.model, evaluation.ranking
    sheet.row([f"Scoring model: {model.name}"], st.TITLE, height=22)
    sheet.paragraph(model.description or "The criteria, weights and tiers behind the ranking.", st.NOTE, **_TEXT)
    if live:
        sheet.paragraph("Weights are live: change a shaded weight and the Ranked list's points and scores recompute.",
                        st.NOTE, **_TEXT)
    sheet.skip()
    sheet.row(["How a score is computed"], st.SECTION)
    for line in HOW_IT_WORKS:
        sheet.paragraph(line, **_TEXT)
    sheet.skip()
    shares = _criteria(sheet, model, live=live)
    sheet.skip()
    _tiers(sheet, model, ranking)
    sheet.skip()
    _example(sheet, evaluation)
    for letter, width in zip("ABCDEFGHIJ", _WIDTHS):
        sheet.ws.column_dimensions[letter].width = width
    sheet.print_wide(columns=len(_WIDTHS))
    return shares


def _header_height(columns: int) -> float:
    """Tall enough for "Share of total weight" wrapped in its column (three lines)."""
    return row_height(3) if columns >= 4 else 30.0


def fitted_height(values, looks, widths=_WIDTHS) -> float | None:
    """The height of a Model row whose wrapped cells show whole (printing.fitted_height)."""
    return printed_height(values, looks, widths)


def _criteria(sheet: Sheet, model, *, live: bool) -> list[str]:
    sheet.row(["Criteria"], st.SECTION)
    sheet.row(
        ["Criterion", "Source", "Weight", "Share of total weight", "Direction",
         "Normalisation", "Low", "High", "Formula", "In words"],
        st.HEADER, height=_header_height(10),
    )
    first = sheet.next_row
    last = first + len(model.criteria) - 1
    total = float(sum(c.weight for c in model.criteria))
    weights_range = f"${WEIGHT_COLUMN}${first}:${WEIGHT_COLUMN}${last}"
    weight_look = st.Look(fmt="0.0##", fill=st.INPUT_FILL if live else None, bold=live, top=True)
    share_look = st.Look(fmt=st.SHARE, top=True)
    wrap = st.Look(wrap=True)
    top = st.Look(top=True)
    shares = []
    for criterion in model.criteria:
        r = sheet.next_row
        share = criterion.weight / total if total else 0.0
        share_cell: object = share
        if live:
            share_cell = Formula(
                f"IF(SUM({weights_range})=0,0,{WEIGHT_COLUMN}{r}/SUM({weights_range}))", share
            )
        values = [criterion.name, source_in_words(criterion), float(criterion.weight), share_cell,
                  criterion.direction, criterion.normalisation, criterion.low, criterion.high,
                  criterion.formula or "", criterion_in_words(criterion)]
        looks = [top, wrap, weight_look, share_look, top, top, top, top, wrap, wrap]
        sheet.row(values, looks, height=fitted_height(values, looks))
        shares.append(f"${SHARE_COLUMN}${r}")
    total_cell: object = total
    total_share: object = 1.0 if total else 0.0
    if live and model.criteria:
        total_cell = Formula(f"SUM({weights_range})", total)
        total_share = Formula(f"SUM(${SHARE_COLUMN}${first}:${SHARE_COLUMN}${last})", total_share)
    total_look = st.Look(bold=True)
    sheet.row(
        ["Total", "", total_cell, total_share],
        [total_look, total_look, replace(total_look, fmt="0.0##"), replace(total_look, fmt=st.SHARE)],
    )
    return shares


def source_in_words(criterion) -> str:
    """Where a criterion's input comes from, in words."""
    if criterion.source == "formula":
        return f"formula: {criterion.formula}"
    return formula_words(criterion.source)


def criterion_in_words(criterion) -> str:
    """How a criterion's input becomes its normalised value, in words."""
    how = _NORMALISATIONS.get(criterion.normalisation, criterion.normalisation)
    if criterion.normalisation == "scale":
        how = how.replace("low", f"low ({_num(criterion.low)})").replace("high", f"high ({_num(criterion.high)})")
    if criterion.direction == "cost":
        how += "; then flipped (1 − value), because less is better"
    return how + "."


def _num(value) -> str:
    return "not set" if value is None else f"{value:g}"


def _tiers(sheet: Sheet, model, ranking) -> None:
    sheet.row(["Tiers"], st.SECTION)
    on = model.tiers_enabled
    sheet.paragraph(
        f"Tiers are {'on' if on else 'off'}: initiatives in an earlier tier rank above every later tier, whatever their scores.",
        st.NOTE, **_TEXT,
    )
    sheet.row(["Tier", "Condition", "Label", "On", "Initiatives"], st.HEADER, height=_header_height(5))
    counts = np.bincount(np.asarray(ranking.tier, dtype=np.int64), minlength=len(ranking.tier_names) + 1)
    active = {t.name for t in model.active_tiers()}
    position = {name: i + 1 for i, name in enumerate(ranking.tier_names)}
    top = st.Look(top=True)
    looks = [st.Look(wrap=True), st.Look(wrap=True)] + [top] * 3
    rows = [[tier.name, tier.condition, *_tier_cells(tier, position, active, counts)] for tier in model.tiers]
    last = len(ranking.tier_names)
    if last:
        rows.append([ranking.tier_names[-1], "every initiative not in an earlier tier", tier_label(last), "yes",
                     int(counts[last])])
    for values in rows:
        sheet.row(values, looks, height=fitted_height(values, looks))


def _tier_cells(tier, position, active, counts) -> list:
    t = position.get(tier.name) if tier.name in active else None
    return [tier_label(t) if t else "", "yes" if tier.name in active else "no", int(counts[t]) if t else None]


def _example(sheet: Sheet, evaluation) -> None:
    """The top-ranked initiative's score worked out criterion by criterion."""
    ranking, portfolio, model = evaluation.ranking, evaluation.portfolio, evaluation.scenario.model
    if len(ranking.order) == 0 or not ranking.criteria:
        return
    row = int(ranking.order[0])
    ident, title = portfolio.ids[row], portfolio.value(row, "title")
    sheet.row([f"Worked example: rank 1, {ident} {title}".rstrip()], st.SECTION)
    sheet.row(["Criterion", "Input", "Normalised", "Share of total weight", "Points"], st.HEADER,
              height=_header_height(5))
    total = float(sum(c.weight for c in model.criteria))
    weights = {c.name: c.weight for c in model.criteria}
    for j, name in enumerate(ranking.criteria):
        raw = float(ranking.raw[row, j])
        sheet.row(
            [name, None if np.isnan(raw) else raw, float(np.nan_to_num(ranking.normalised[row, j])),
             weights.get(name, 0.0) / total if total else 0.0, float(ranking.contributions[row, j])],
            [st.BODY, st.Look(fmt="0.###"), st.Look(fmt=st.RATIO), st.Look(fmt=st.SHARE), st.Look(fmt=st.POINTS)],
        )
    bold = st.Look(bold=True)
    sheet.row(["Score", None, None, None, float(ranking.score[row])],
              [bold, None, None, None, replace(bold, fmt=st.SCORE)])
