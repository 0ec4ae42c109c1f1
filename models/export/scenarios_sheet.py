"""The Scenarios sheet: ranks and funding of every scenario side by side, and the summary."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from cutline.models.export import styles as st
from cutline.models.export.book import Book, Sheet
from cutline.models.export.columns import INPUT_HEADERS, NO, YES
from cutline.models.export.printing import fitted_height, row_height
from cutline.models.export.sheet_xml import Column
from openpyxl.utils import get_column_letter

CHANGE_LOOKS = {
    "new above the line": st.Look(bold=True, colour="007A4D"),
    "dropped below the line": st.Look(bold=True, colour="C00000"),
}


def column_widths(scenarios: int) -> list[float]:
    """ID, title, then rank, score and funded per scenario and the change against the baseline:
    narrow enough that three scenarios print one page wide with type at 9 pt or more."""
    return [11.0, 26.0] + [7.0, 7.0, 7.0] + [7.0, 7.0, 7.0, 20.0] * max(scenarios - 1, 0)


def _header_height(headers, widths) -> float:
    return max(fitted_height(headers, [st.HEADER] * len(headers), widths) or 0.0, row_height(3))


def write_scenarios(book: Book, sheet: Sheet, evaluations: Sequence) -> None:
    """Fill the Scenarios sheet; the first evaluation is the baseline."""
    from cutline.models.scenarios.comparison import (
        compare,  # the comparison is only needed for this sheet
    )

    comparison = compare(evaluations)
    base = comparison.names[0]
    sheet.row(["Scenarios side by side"], st.TITLE, height=22)
    sheet.row(
        [f"Against the baseline {base!r}. Change: how many places an initiative moved "
         "(up is better), or whether it crossed the cut line."],
        st.NOTE,
    )
    sheet.skip()
    widths = column_widths(len(evaluations))
    _summary(sheet, evaluations, comparison, widths)
    sheet.skip()
    _side_by_side(book, sheet, evaluations[0].portfolio, comparison, widths)


def _summary(sheet: Sheet, evaluations: Sequence, comparison, widths: list[float]) -> None:
    sheet.row(["Summary, each scenario against the baseline"], st.SECTION)
    # Scenario names wrap in column A; Model spans B, so that the figures sit under narrow headers.
    headers = ["Scenario", "Model", "Funded", "Cut line above rank", "Kendall's tau", "Funded overlap",
               "Funding changes"]
    sheet.row(headers, st.HEADER, height=_header_height(headers, widths))
    top = st.Look(top=True)
    looks = [st.Look(bold=True, wrap=True), st.Look(wrap=True), top, top, st.Look(fmt=st.RATIO, top=True),
             st.Look(fmt=st.PERCENT, top=True), top]
    for s, evaluation in enumerate(evaluations):
        funded = comparison.funded[s]
        values = [
            comparison.names[s], evaluation.scenario.model.name, int(np.count_nonzero(funded)),
            comparison.cut_line[s], float(comparison.kendall_tau[s]), float(comparison.funded_overlap[s]),
            int(np.count_nonzero(funded != comparison.funded[0])),
        ]
        sheet.row(values, looks, height=fitted_height(values, looks, widths))
    changes = comparison.funding_changes
    if changes:
        shown = ", ".join(changes[:20]) + (f" and {len(changes) - 20:,} more" if len(changes) > 20 else "")
        sheet.paragraph(f"Funded in some scenarios but not in others: {shown}.", st.NOTE,
                        columns=len(widths), width=float(sum(widths)))


def _side_by_side(book: Book, sheet: Sheet, portfolio, comparison, widths: list[float]) -> None:
    sheet.row(["Ranks and funding"], st.SECTION)
    headers = [INPUT_HEADERS["id"], INPUT_HEADERS["title"]]
    for s, name in enumerate(comparison.names):
        headers += [f"{name}: rank", f"{name}: score", f"{name}: funded"]
        if s:
            headers.append(f"{name}: change")
    header = sheet.row(headers, st.HEADER, height=_header_height(headers, widths))
    order = np.argsort(comparison.rank[0], kind="stable")
    body = book.styles.id(st.BODY)
    grey = book.styles.id(st.Look(italic=True, colour=st.GREY))
    columns = [
        Column(comparison.ids[order].astype(str).astype(object), body, "text"),
        Column(np.asarray(portfolio.text("title"), dtype=object)[order], body, "text"),
    ]
    for s in range(len(comparison.names)):
        funded = comparison.funded[s][order]
        columns += [
            Column(comparison.rank[s][order].astype(np.float64), book.styles.id(st.Look(fmt=st.WHOLE, bold=True))),
            Column(comparison.score[s][order], book.styles.id(st.Look(fmt=st.SCORE))),
            Column(np.where(funded, YES, NO).astype(object), np.where(funded, body, grey), "text"),
        ]
        if s:
            labels = comparison.change_label[s][order]
            styles = np.full(len(labels), body)
            for label, look in CHANGE_LOOKS.items():
                styles[labels == label] = book.styles.id(look)
            columns.append(Column(labels.astype(object), styles, "text"))
    n = len(order)
    sheet.table(columns, n)
    sheet.print_wide(columns=len(headers), header_row=header)
    ws = sheet.ws
    ws.freeze_panes = f"C{header + 1}"
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(headers))}{header + n}"
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
