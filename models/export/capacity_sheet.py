"""The Capacity sheet: capacity, used and free per team and quarter, guardrails, and a chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from cutline.models.capacity.capacity import POOL
from cutline.models.export import styles as st
from cutline.models.export.book import Book, Sheet
from cutline.models.export.sheet_xml import Column
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

SHARED_POOL = "Shared pool"
#: Rows the chart covers below the table it draws.
CHART_ROWS = 19
OVER_CAP, BELOW_RESERVE, WITHIN = "over its cap", "below its reserve", "within"
_EPS = 1e-9


def write_capacity(book: Book, sheet: Sheet, evaluation) -> None:
    """Fill the Capacity sheet for the current scenario."""
    allocation, capacity = evaluation.allocation, evaluation.scenario.capacity
    sheet.row([f"Capacity: {evaluation.scenario.name}"], st.TITLE, height=22)
    sheet.row(["Person-weeks (pw) per team and quarter. Used is the effort of the funded initiatives."], st.NOTE)
    utilisation = allocation.utilisation
    if utilisation is None or utilisation.empty:
        sheet.row(["No capacity was set for this scenario, so nothing is funded against it."], st.NOTE)
        return
    sheet.skip()
    by_category = allocation.used_by_category
    categories = _categories(by_category)
    first, quarters = _per_quarter(book, sheet, allocation, categories)
    if quarters:  # below the table, so that the page stays one table wide
        sheet.skip()
        _chart(sheet, first, len(quarters), categories, anchor_row=sheet.next_row)
        sheet.skip(CHART_ROWS)
    sheet.skip()
    _per_team(book, sheet, utilisation)
    if capacity.guardrails:
        sheet.skip()
        _guardrail_table(sheet, capacity.guardrails)
    sheet.skip()
    _guardrails(book, sheet, by_category, utilisation, capacity.guardrails)
    widths = [18, 12, 22, 12, 12, 12, 12, 16] + [12] * max(0, len(categories) - 5)
    for j, width in enumerate(widths):
        sheet.ws.column_dimensions[get_column_letter(j + 1)].width = width
    sheet.print_wide(columns=max(8, len(categories) + 3), header_row=None)


def _guardrail_table(sheet: Sheet, guardrails) -> None:
    """Each category's reserve and cap, as a capacity file's Guardrails sheet holds them
    (an export read back into Cutline keeps them)."""
    sheet.row(["Guardrails"], st.SECTION)
    sheet.row(["Category", "Reserve", "Cap"], st.HEADER, height=30)
    percent = st.Look(fmt=st.PERCENT)
    for g in guardrails:
        sheet.row([g.category, float(g.reserve), None if g.cap is None else float(g.cap)],
                  [st.BODY, percent, percent])


def _categories(by_category: pd.DataFrame) -> list[str]:
    """Categories with used capacity: the palette's order first, then the rest by name."""
    present = set(by_category["category"].astype(str)) if not by_category.empty else set()
    known = [c for c in st.CATEGORY_ORDER if c in present]
    return known + sorted(present - set(known))


def _per_quarter(book: Book, sheet: Sheet, allocation, categories: list[str]) -> tuple[int, list[str]]:
    """Used capacity by category per quarter (the chart's data); returns its header row."""
    sheet.row(["Used capacity by category per quarter"], st.SECTION)
    quarters = list(allocation.quarters)
    header = sheet.row(["Quarter", *categories, "Total used", "Capacity"], st.HEADER, height=30)
    used = allocation.used_by_category
    pivot = (
        used.assign(category=used["category"].astype(str))
        .pivot_table(index="quarter", columns="category", values="used", aggfunc="sum", fill_value=0.0)
        .reindex(index=quarters, columns=categories, fill_value=0.0)
    ) if not used.empty else pd.DataFrame(0.0, index=quarters, columns=categories)
    cap = allocation.utilisation.groupby("quarter", sort=False)["capacity"].sum().reindex(quarters, fill_value=0.0)
    pw = book.styles.id(st.Look(fmt=st.PERSON_WEEKS))
    bold_pw = book.styles.id(st.Look(fmt=st.PERSON_WEEKS, bold=True))
    columns = [Column(np.array(quarters, dtype=object), book.styles.id(st.BODY), "text")]
    columns += [Column(pivot[c].to_numpy(np.float64), pw) for c in categories]
    columns += [Column(pivot.to_numpy(np.float64).sum(axis=1), bold_pw), Column(cap.to_numpy(np.float64), pw)]
    sheet.table(columns, len(quarters))
    return header, quarters


def _chart(sheet: Sheet, header: int, quarters: int, categories: list[str], anchor_row: int) -> None:
    """A native stacked column chart of used capacity by category per quarter, with the
    quarter's capacity drawn as a line over the columns."""
    from openpyxl.chart import LineChart

    ws = sheet.ws
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    chart.title = "Used capacity by category against capacity, per quarter"
    chart.y_axis.title = "Person-weeks"
    chart.x_axis.title = "Quarter"
    # openpyxl 3.1 marks axes as deleted unless told otherwise; Excel then hides them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    labels = Reference(ws, min_col=1, min_row=header + 1, max_row=header + quarters)
    if categories:
        data = Reference(ws, min_col=2, max_col=1 + len(categories), min_row=header, max_row=header + quarters)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        colours = st.category_colours(categories)
        for series, name in zip(chart.series, categories):
            colour = colours[name]
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
    line = LineChart()
    capacity_column = len(categories) + 3
    line.add_data(Reference(ws, min_col=capacity_column, min_row=header, max_row=header + quarters),
                  titles_from_data=True)
    line.set_categories(labels)
    series = line.series[0]
    series.graphicalProperties.line.solidFill = st.INK
    series.graphicalProperties.line.width = 38100  # 3 pt, in EMU: reads from the back of a room
    series.marker.symbol = "diamond"
    series.marker.size = 8
    series.marker.graphicalProperties.solidFill = st.INK
    series.smooth = False
    line.y_axis.axId = chart.y_axis.axId  # the same person-weeks axis as the columns
    chart += line
    chart.legend.position = "b"
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{anchor_row}")


def _per_team(book: Book, sheet: Sheet, utilisation: pd.DataFrame) -> None:
    sheet.row(["Capacity, used and free per team and quarter"], st.SECTION)
    sheet.row(["Team", "Quarter", "Capacity", "Used", "Free", "Utilisation"], st.HEADER, height=30)
    teams = team_labels(utilisation["team"])
    capacity = utilisation["capacity"].to_numpy(np.float64)
    used = utilisation["used"].to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(capacity > 0, used / capacity, np.nan)
    pw = book.styles.id(st.Look(fmt=st.PERSON_WEEKS))
    free = utilisation["free"].to_numpy(np.float64)
    sheet.table([
        Column(teams, book.styles.id(st.BODY), "text"),
        Column(utilisation["quarter"].astype(str).to_numpy(dtype=object), book.styles.id(st.BODY), "text"),
        Column(capacity, pw),
        Column(used, pw),
        Column(free, np.where(free < -_EPS, book.styles.id(st.Look(fmt=st.PERSON_WEEKS, colour="C00000")), pw)),
        Column(share, book.styles.id(st.Look(fmt=st.PERCENT))),
    ], len(utilisation))


def team_labels(teams: pd.Series) -> np.ndarray:
    """Team names, with the shared pool named as such."""
    values = teams.astype(str).to_numpy(dtype=object)
    return np.where(values == POOL, SHARED_POOL, values).astype(object)


def _guardrails(book: Book, sheet: Sheet, by_category: pd.DataFrame, utilisation: pd.DataFrame, guardrails) -> None:
    """Each category's share of each team-quarter's capacity, against its reserve and cap."""
    sheet.row(["Share per category against the guardrails"], st.SECTION)
    sheet.row(
        ["A reserve is a share only that category may use; a cap is the most it may use."],
        st.NOTE,
    )
    sheet.row(["Team", "Quarter", "Category", "Used", "Share of capacity", "Reserve", "Cap", "Check"], st.HEADER, height=30)
    if by_category.empty:
        return
    merged = by_category.merge(utilisation[["team", "quarter", "capacity"]], on=["team", "quarter"], how="left")
    capacity = merged["capacity"].to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(capacity > 0, merged["used"].to_numpy(np.float64) / capacity, np.nan)
    rails = {g.category.strip().lower(): g for g in guardrails}
    keys = merged["category"].astype(str).str.strip().str.lower()
    reserve = keys.map(lambda c: rails[c].reserve if c in rails and rails[c].reserve else np.nan).to_numpy(np.float64)
    cap = keys.map(lambda c: rails[c].cap if c in rails and rails[c].cap is not None else np.nan).to_numpy(np.float64)
    check = np.where(keys.isin(list(rails)).to_numpy(), WITHIN, "")
    check = np.where(share < reserve - _EPS, BELOW_RESERVE, check)
    check = np.where(share > cap + _EPS, OVER_CAP, check).astype(object)
    percent = book.styles.id(st.Look(fmt=st.PERCENT))
    body = book.styles.id(st.BODY)
    sheet.table([
        Column(team_labels(merged["team"]), body, "text"),
        Column(merged["quarter"].astype(str).to_numpy(dtype=object), body, "text"),
        Column(merged["category"].astype(str).to_numpy(dtype=object), body, "text"),
        Column(merged["used"].to_numpy(np.float64), book.styles.id(st.Look(fmt=st.PERSON_WEEKS))),
        Column(share, percent),
        Column(reserve, percent),
        Column(cap, percent),
        Column(check, np.where(check == OVER_CAP, book.styles.id(st.Look(bold=True, colour="C00000")), body), "text"),
    ], len(merged))
