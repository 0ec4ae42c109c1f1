"""The Ranked list sheet: the current scenario's initiatives in rank order, styled to be read
and printed as is; the columns the user did not pick follow, hidden, so the sheet reads back whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from cutline.models.export import styles as st
from cutline.models.export.book import Book, Sheet
from cutline.models.export.columns import (
    REASON_WIDTH,
    ROADMAP_HEADER_ROW,
    WRAP_WIDTHS,
    ListColumn,
    tier_label,
)
from cutline.models.export.printing import (
    READABLE_SCALE,
    page_width_pt,
    printed_width_pt,
    row_height,
    wrapped_lines,
)
from cutline.models.export.sheet_xml import Column
from cutline.models.export.styles import Look
from openpyxl.utils import get_column_letter

SHEET = "Ranked list"
#: The narrowest a wrapping column is made to fit the page.
NARROWEST = 14
#: A row grows to at most this many lines (Excel's tallest row holds about 30).
MAX_LINES = 30

#: Number format of each input field that is a number; the rest show as they are.
INPUT_FORMATS = {"effort": st.EFFORT, "reach": st.REACH}
_ROLE_FORMATS = {"rank": st.WHOLE, "score": st.SCORE, "points": st.POINTS, "funded_share": st.PERCENT,
                 "rank_p5": st.WHOLE, "rank_p95": st.WHOLE}
_TIER1, _UNFUNDED, _CUT = 1, 2, 4


def write_roadmap(
    book: Book,
    sheet: Sheet,
    evaluation,
    columns: Sequence[ListColumn],
    *,
    today: dt.date,
    live_cells: Sequence[Column] | None = None,
    shown: int | None = None,
) -> None:
    """Fill the ranked list: notes, header, one styled row per initiative in rank order.

    The first `shown` columns (all when None) are visible and printed; the rest are hidden.
    `live_cells`, when given, replaces the score and points columns with formulas.
    """
    ranking, allocation = evaluation.ranking, evaluation.allocation
    order = np.asarray(ranking.order, dtype=np.int64)
    n = len(order)
    shown = len(columns) if shown is None else shown
    _notes(sheet, evaluation, today, live=live_cells is not None)
    codes = _row_codes(ranking, allocation, order)
    header_look = st.HEADER if not (allocation.cut_line == 1 and n) else replace(st.HEADER, rule_below="thick")
    sheet.row([c.header for c in columns], header_look, height=30)
    formats = [_format(c) for c in columns]
    widths = [fit_width(c, fmt) for c, fmt in zip(columns, formats)]
    widths[:shown] = narrowed_to_page(columns[:shown], widths[:shown])
    cells = [_column(book, c, fmt, codes, evaluation) for c, fmt in zip(columns, formats)]
    if live_cells is not None:
        live = iter(live_cells)
        cells = [
            replace(next(live), style=cell.style) if c.role in ("score", "points") else cell
            for c, cell in zip(columns, cells)
        ]
    sheet.table(cells, n, heights=_heights(columns[:shown], widths[:shown], n))
    _layout(sheet, columns, widths, n, shown)


def _heights(columns: Sequence[ListColumn], widths: Sequence[float], n: int) -> np.ndarray | None:
    """Each row's height when a shown column wraps onto more than one line, NaN otherwise."""
    lines = np.ones(n, dtype=np.int64)
    for column, width in zip(columns, widths):
        if column.wraps:
            lines = np.maximum(lines, wrapped_lines(column.values.tolist(), width))
    if n == 0 or lines.max() <= 1:
        return None
    lines = np.minimum(lines, MAX_LINES)
    return np.where(lines > 1, np.array([row_height(k) for k in range(lines.max() + 1)])[lines], np.nan)


def _notes(sheet: Sheet, evaluation, today: dt.date, *, live: bool) -> None:
    """The three rows above the header: what this is, from which model, when, and a legend."""
    scenario, allocation, ranking = evaluation.scenario, evaluation.allocation, evaluation.ranking
    n, funded = len(ranking.order), int(np.count_nonzero(allocation.funded))
    from cutline.models.words.cut_line import funded_below

    below = int(funded_below(ranking, allocation).sum())
    cut = (
        f"the cut line falls above rank {allocation.cut_line}: everything above it is funded"
        + (f"; {below:,} below it are funded too" if below else "")
        if allocation.cut_line is not None else "every initiative is funded"
    )
    sheet.row([f"Ranked list: {scenario.name}"], st.TITLE, height=22)
    sheet.row(
        [f"Model: {scenario.model.name} · exported {today.isoformat()} · {n:,} initiatives, "
         f"{funded:,} funded · {cut}"],
        st.NOTE,
    )
    legend = "Grey italic rows are not funded; the thick line is the cut line; Reason says why."
    if len(ranking.tier_names) > 1:
        tiers = "; ".join(f"{tier_label(i + 1)} = {name}" for i, name in enumerate(ranking.tier_names))
        legend = f"Shaded rows are tier 1 ({tiers}). " + legend
    if live:
        legend += (" Score and points are formulas over the weights on the Model sheet;"
                   " rank, tier and funding are as Cutline computed them.")
    sheet.row([legend], st.NOTE)
    assert sheet.next_row == ROADMAP_HEADER_ROW


def _row_codes(ranking, allocation, order: np.ndarray) -> np.ndarray:
    """Each row's look as bits: tier 1, not funded, last row above the cut line."""
    codes = np.zeros(len(order), dtype=np.int64)
    if len(ranking.tier_names) > 1:
        codes |= np.where(np.asarray(ranking.tier)[order] == 1, _TIER1, 0)
    codes |= np.where(np.asarray(allocation.funded)[order], 0, _UNFUNDED)
    cut = allocation.cut_line
    if cut is not None and 2 <= cut <= len(order) + 1:
        codes[cut - 2] |= _CUT
    return codes


def _look(base: Look, code: int) -> Look:
    changes: dict = {}
    if code & _TIER1 and base.fill is None:
        changes["fill"] = st.TIER1_FILL
    if code & _UNFUNDED:
        changes.update(italic=True, colour=st.GREY if base.fill is None else base.colour)
    if code & _CUT:
        changes["rule_below"] = "thick"
    return replace(base, **changes)


def _column(book: Book, column: ListColumn, fmt: str, codes: np.ndarray, evaluation) -> Column:
    """A sheet column with each cell's style picked by its row's look."""
    base = Look(fmt=fmt, bold=column.role in ("rank", "score"), wrap=column.wraps, top=True)
    if column.kind in ("int", "number"):  # keep numbers off the next column's text
        base = replace(base, align="right", indent=1)
    if column.role == "tier":
        ids = np.array([book.styles.id(_look(replace(base, bold=bool(c & _TIER1)), c)) for c in range(8)])
        style = ids[codes]
    elif column.field == "category" and column.role == "input":
        style = _category_styles(book, base, column.values, codes)
    else:
        style = np.array([book.styles.id(_look(base, c)) for c in range(8)])[codes]
    kind = {"int": "number", "number": "number", "text": "text", "value": "value"}[column.kind]
    values = column.values.astype(np.float64) if column.kind == "int" else column.values
    return Column(values, style, kind)


def _category_styles(book: Book, base: Look, categories: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Category cells filled with the category's colour, keeping the row's look otherwise."""
    category_codes, names = pd.factorize(pd.Series(categories, dtype=object))
    keys = category_codes * 8 + codes  # one style per (category, row look)
    unique, inverse = np.unique(keys, return_inverse=True)
    styles = []
    colours = st.category_colours(str(n) for n in names)
    for key in unique.tolist():
        category, code = str(names[key // 8]), key % 8
        colour = colours[category] if category else None
        look = replace(base, fill=colour, colour=st.text_for(colour)) if colour else base
        styles.append(book.styles.id(_look(look, code)))
    return np.array(styles, dtype=np.int64)[inverse.reshape(-1)]


def _format(column: ListColumn) -> str:
    if column.role in _ROLE_FORMATS:
        return _ROLE_FORMATS[column.role]
    if column.role == "input" and column.field == "confidence":
        values = column.values[np.isfinite(column.values)]
        return st.PERCENT if values.size == 0 or values.max() <= 1 else st.PERCENT_POINT
    return INPUT_FORMATS.get(column.field, st.GENERAL) if column.role == "input" else st.GENERAL


def _layout(sheet: Sheet, columns: Sequence[ListColumn], widths: Sequence[float], n: int, shown: int) -> None:
    """Frozen header and first columns, a filter over the table, widths that fit, the columns
    not picked hidden (grouped, so + shows them), print set-up over the shown ones."""
    ws = sheet.ws
    last = get_column_letter(max(len(columns), 1))
    ws.freeze_panes = f"D{ROADMAP_HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{ROADMAP_HEADER_ROW}:{last}{ROADMAP_HEADER_ROW + n}"
    for j, width in enumerate(widths):
        dim = ws.column_dimensions[get_column_letter(j + 1)]
        dim.width = width
        if j >= shown:
            dim.hidden = True
            dim.outline_level = 1
    if shown < len(columns):
        ws.sheet_properties.outlinePr.summaryRight = False
    sheet.print_wide(columns=max(shown, 1), header_row=ROADMAP_HEADER_ROW)


def narrowed_to_page(columns: Sequence[ListColumn], widths: Sequence[float]) -> list[float]:
    """The widths, with the columns that wrap narrowed (to NARROWEST at least) until the shown
    columns print one page wide at READABLE_SCALE or more, so 10 pt type stays 9 pt on paper;
    unchanged when even that would not be enough (many columns chosen)."""
    widths = list(widths)
    wrapping = [j for j, c in enumerate(columns) if c.wraps]
    limit = page_width_pt() / READABLE_SCALE
    narrowest = [min(w, NARROWEST) if j in wrapping else w for j, w in enumerate(widths)]
    if printed_width_pt(narrowest) > limit:  # too many columns to read at 9 pt anyway: keep them whole
        return widths
    while printed_width_pt(widths) > limit:
        j = max(wrapping, key=lambda k: widths[k], default=None)
        if j is None or widths[j] <= NARROWEST:
            break
        widths[j] -= 1
    return widths


def fit_width(column: ListColumn, fmt: str) -> float:
    """A width that shows the header's longest word and most values whole (Excel's units);
    a column that wraps its text is at most its WRAP_WIDTHS (REASON_WIDTH for Reason) wide."""
    header = max((len(w) for w in column.header.split()), default=4)
    values = column.values
    if column.kind in ("int", "number"):
        finite = np.abs(values[np.isfinite(values)]) if len(values) else values
        digits = int(np.log10(finite.max())) + 1 if finite.size and finite.max() >= 1 else 1
        width = digits + (2 if "0.0" in fmt else 0) + (3 if "pw" in fmt else 0) + 2
    else:
        sample = values[:: max(1, len(values) // 2_000)]  # widths need no more than a sample
        lengths = pd.Series(sample, dtype=object).map(lambda v: len(str(v)) if v is not None else 0)
        width = float(lengths.quantile(0.95)) if len(lengths) else 0
    widest = (WRAP_WIDTHS.get(column.field, REASON_WIDTH) if column.role == "input" else REASON_WIDTH) \
        if column.wraps else 40
    return float(round(min(max(width, header, 5) + 2, widest)))
