"""The exported workbook read back with openpyxl: sheets, values, formats, styles, chart."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import replace
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pytest
from cutline.models.colours import category_colours
from cutline.models.export import ROADMAP_HEADER_ROW, export_roadmap
from cutline.models.export.styles import GREY, TIER1_FILL
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Scenario

from tests.models import test_export_cases as case

TODAY = dt.date(2027, 2, 1)
HEADER = [
    "Rank", "Tier", "Score", "Funded", "Planned quarter", "Finishes", "Due quarter", "Late", "Reason",
    "Not funded because", "Pulled in by", "Points: reliability", "Points: effort",
    "ID", "Title", "Team", "Category", "Layer", "Reach", "Impact", "Confidence", "Effort", "Risk",
    "Reliability", "Security", "Developer experience", "Depends on", "Unblocks", "Target quarter", "Status",
    "Notes", "Jira key", "Budget", "Due",
]
RANKED = "Ranked list"
FIRST = ROADMAP_HEADER_ROW + 1  # first initiative's row


def other_scenario():
    """A second scenario: I-3 moves up to first, I-2 is funded instead of I-5."""
    ranking = replace(case.ranking(), order=np.array([2, 0, 1, 4, 3]), rank=np.array([2, 3, 1, 5, 4]))
    allocation = replace(case.allocation(), funded=np.array([True, True, True, False, False]),
                         quarter=np.array([0, 1, 0, -1, -1]), cut_line=4)
    return case.evaluation("Security push", ranking=ranking, allocation=allocation)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "roadmap.xlsx"
    result = export_roadmap(path, [case.evaluation(), other_scenario()], decisions=case.DECISIONS, today=TODAY,
                            columns="all")
    assert result.warnings == []
    return openpyxl.load_workbook(path), path


def column(ws, header: str) -> str:
    for cell in ws[ROADMAP_HEADER_ROW]:
        if cell.value == header:
            return cell.column_letter
    raise KeyError(header)


def values(ws, header: str) -> list:
    letter = column(ws, header)
    return [ws[f"{letter}{r}"].value for r in range(FIRST, FIRST + 5)]


def test_sheets_in_order(book, tmp_path):
    wb, _ = book
    assert wb.sheetnames == ["Roadmap", RANKED, "Model", "Capacity", "Scenarios", "Decisions"]
    export_roadmap(tmp_path / "one.xlsx", [case.evaluation()])
    assert openpyxl.load_workbook(tmp_path / "one.xlsx").sheetnames == [
        "Roadmap", RANKED, "Model", "Capacity", "Decisions"]


def test_roadmap_notes_then_the_exact_header(book):
    ws = book[0][RANKED]
    assert ws["A1"].value == "Ranked list: Baseline"
    assert "Model: Platform" in ws["A2"].value and "2027-02-01" in ws["A2"].value
    assert "cut line falls above rank 3" in ws["A2"].value
    assert "T1 = Reliability and security first" in ws["A3"].value
    assert [c.value for c in ws[ROADMAP_HEADER_ROW]] == HEADER


def test_roadmap_rows_are_in_rank_order_with_the_hand_worked_numbers(book):
    ws = book[0][RANKED]
    assert values(ws, "ID") == ["I-1", "I-3", "I-2", "I-5", "I-4"]
    assert values(ws, "Rank") == [1, 2, 3, 4, 5]
    assert values(ws, "Tier") == ["T1", "T1", "T2", "T2", "T2"]
    assert values(ws, "Score") == [86.25, 66.25, 40, 37.5, 12.5]
    assert values(ws, "Points: reliability") == [67.5, 60, 15, 37.5, 0]
    assert values(ws, "Points: effort") == [18.75, 6.25, 25, 0, 12.5]
    assert values(ws, "Funded") == ["Yes", "Yes", "No", "Yes", "No"]
    assert values(ws, "Reason") == [None, None, "No capacity left in Core",
                                    "Below the cut line: pulled in as a prerequisite of I-1", "No capacity left in Edge"]
    assert values(ws, "Planned quarter") == ["2027-Q1", "2027-Q1", None, "2027-Q2", None]
    assert values(ws, "Finishes") == ["2027-Q1", "2027-Q1", None, "2027-Q2", None]
    assert values(ws, "Due quarter") == [None] * 5
    assert values(ws, "Late") == ["No", "No", None, "No", None]
    assert values(ws, "Not funded because") == [None, None, "no capacity left in Core", None, "no capacity left in Edge"]
    assert values(ws, "Pulled in by") == [None, None, None, "I-1", None]
    assert values(ws, "Reliability") == [9, 8, 2, 5, None]
    assert values(ws, "Budget") == [1200.5, "\tTabbed", -1200.5, 0, None]
    assert values(ws, "Due")[0] == dt.datetime(2027, 3, 31)
    assert ws.max_row == ROADMAP_HEADER_ROW + 5


def test_a_spanning_late_initiative_says_when_it_finishes_and_that_it_is_late(tmp_path):
    """I-1 runs 2027-Q1 to 2027-Q2 although due in 2027-Q1: Finishes 2027-Q2, Late Yes."""
    allocation = replace(case.allocation(), finish=np.array([1, -1, 0, -1, 1]),
                         span_ptr=np.array([0, 2, 2, 3, 3, 4]), span_quarter=np.array([0, 1, 0, 1]),
                         span_pw=np.array([2.0, 2.0, 3.0, 1.0]),
                         due=np.array([0, 1, 1, np.iinfo(np.int64).max, 1]),
                         due_quarter=np.array(["2027-Q1", "2027-Q2", "2027-Q2", "", "2027-Q2"], dtype=object),
                         late=np.array([True, False, False, False, False]))
    path = tmp_path / "late.xlsx"
    export_roadmap(path, [case.evaluation(allocation=allocation)], today=TODAY)
    ws = openpyxl.load_workbook(path)[RANKED]
    assert values(ws, "ID") == ["I-1", "I-3", "I-2", "I-5", "I-4"]
    assert values(ws, "Planned quarter") == ["2027-Q1", "2027-Q1", None, "2027-Q2", None]
    assert values(ws, "Finishes") == ["2027-Q2", "2027-Q1", None, "2027-Q2", None]
    assert values(ws, "Due quarter") == ["2027-Q1", "2027-Q2", "2027-Q2", "2027-Q2", None]
    assert values(ws, "Late") == ["Yes", "No", None, "No", None]


def test_number_formats(book):
    ws = book[0][RANKED]
    expected = {"Rank": "0", "Score": "0.0", "Points: reliability": "0.0", "Effort": '0.0 "pw"',
                "Confidence": "0%", "Reach": "#,##0", "Due": "yyyy-mm-dd"}
    for header, fmt in expected.items():
        assert ws[f"{column(ws, header)}{FIRST}"].number_format == fmt, header


def _rgb(colour) -> str:
    return (colour.rgb or "")[-6:] if colour is not None else ""


def test_tier_one_unfunded_and_cut_line_are_styled(book):
    ws = book[0][RANKED]
    title = column(ws, "Title")
    for r in (FIRST, FIRST + 1):  # tier 1: shaded, "T1" in bold
        assert _rgb(ws[f"{title}{r}"].fill.fgColor) == TIER1_FILL
        assert ws[f"B{r}"].value == "T1" and ws[f"B{r}"].font.b
    for r in (FIRST + 2, FIRST + 4):  # not funded: grey italic
        cell = ws[f"{title}{r}"]
        assert cell.font.i and _rgb(cell.font.color) == GREY
    funded_below = ws[f"{title}{FIRST + 3}"]
    assert not funded_below.font.i and funded_below.fill.fill_type is None
    thick = [r for r in range(FIRST, FIRST + 5) if ws[f"{title}{r}"].border.bottom.style == "thick"]
    assert thick == [FIRST + 1]  # under rank 2, the last row above the cut line (rank 3)
    assert all(ws[f"{c.column_letter}{FIRST + 1}"].border.bottom.style == "thick" for c in ws[FIRST + 1])


def test_category_cells_carry_the_window_s_colours(book):
    # The same colours as the window's charts (models/colours.py), each category its own.
    ws = book[0][RANKED]
    letter = column(ws, "Category")
    cells = [ws[f"{letter}{r}"] for r in range(FIRST, ws.max_row + 1) if ws[f"{letter}{r}"].value]
    expected = category_colours(c.value for c in cells)
    for cell in cells:
        assert "#" + _rgb(cell.fill.fgColor) == expected[cell.value]


def test_frozen_header_filter_and_widths(book):
    ws = book[0][RANKED]
    assert ws.freeze_panes == f"D{FIRST}"
    assert ws.auto_filter.ref == f"A{ROADMAP_HEADER_ROW}:AH{ROADMAP_HEADER_ROW + 5}"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert len(widths) == len(HEADER) and all(5 <= w <= 52 for w in widths.values())
    assert widths[column(ws, "Title")] >= len("Harden database failover")
    assert widths[column(ws, "Not funded because")] >= len("no capacity left in Core")


def test_model_sheet_explains_weights_tiers_and_an_example(book):
    ws = book[0]["Model"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    criteria = {r[0]: r for r in rows if r[4] in ("benefit", "cost")}
    assert criteria["reliability"][2:6] == [3, 0.75, "benefit", "scale"]
    assert criteria["effort"][2:6] == [1, 0.25, "cost", "minmax"]
    assert "flipped" in criteria["effort"][9]
    assert any(r[:5] == ["Reliability and security first", "category in ('reliability', 'security')", "T1", "yes", 2] for r in rows)
    assert any(r[:5] == ["Everything else", "every initiative not in an earlier tier", "T2", "yes", 3] for r in rows)
    example = [r for r in rows if r[0] in ("reliability", "effort") and r[1] in (9, 4)]
    assert [r[:5] for r in example] == [["reliability", 9, 0.9, 0.75, 67.5], ["effort", 4, 0.75, 0.25, 18.75]]
    assert any(r[0] == "Score" and r[4] == 86.25 for r in rows)


def test_capacity_sheet_tables_and_guardrails(book):
    ws = book[0]["Capacity"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["Core", "2027-Q1", 6, 4, 2] == next(r[:5] for r in rows if r[:2] == ["Core", "2027-Q1"])
    quarter = next(r for r in rows if r[0] == "2027-Q1" and isinstance(r[1], (int, float)))
    assert quarter[:6] == ["2027-Q1", 4, 8, 0, 12, 14]  # reliability, security, tech-debt, total, capacity
    checks = {r[2]: r[7] for r in rows if len(r) > 7 and r[2] in ("reliability", "tech-debt", "security")}
    assert checks == {"reliability": "within", "tech-debt": "over its cap", "security": None}


def test_capacity_chart_is_a_native_stacked_bar_chart(book):
    ws = book[0]["Capacity"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.tagname == "barChart" and chart.type == "col" and chart.grouping == "stacked"
    assert chart.overlap == 100
    fills = [s.graphicalProperties.solidFill.srgbClr for s in chart.series]
    assert fills == [category_colours([c])[c].lstrip("#") for c in ("reliability", "security", "tech-debt")]
    refs = [s.val.numRef.f for s in chart.series]
    assert refs[0] == "'Capacity'!$B$6:$B$7"


def test_scenarios_sheet_side_by_side(book):
    ws = book[0]["Scenarios"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    summary = {r[0]: r for r in rows if r[0] in ("Baseline", "Security push")}
    assert summary["Baseline"][2:7] == [3, 3, 1, 1, 0]
    assert summary["Security push"][2] == 3 and summary["Security push"][3] == 4
    assert summary["Security push"][6] == 2  # I-2 and I-5 changed funding
    header = next(r for r in rows if r[0] == "ID")
    assert header[2:] == ["Baseline: rank", "Baseline: score", "Baseline: funded", "Security push: rank",
                          "Security push: score", "Security push: funded", "Security push: change"]
    table = {r[0]: r for r in rows[rows.index(header) + 1:]}
    assert [table[i][8] for i in ("I-1", "I-3", "I-2", "I-5", "I-4")] == [
        "down 1", "up 1", "new above the line", "dropped below the line", None]


def test_decisions_sheet(book):
    ws = book[0]["Decisions"]
    rows = [[c.value for c in row] for row in ws.iter_rows() if row[0].value is not None]
    assert rows[2] == ["Time", "Kind", "Scenario", "Summary", "Old", "New"]
    assert rows[3] == [dt.datetime(2027, 1, 12, 10, 15), "weight", "Baseline", "Raised reliability", 2, 3]
    assert rows[4][3] == "=cmd|' /C calc'!A0"
    assert ws.cell(row=6, column=4).data_type == "s"


def test_every_part_is_well_formed_and_dimensions_are_right(book):
    _, path = book
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(z.read(name))
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert re.search(r'<dimension ref="A1:AH9"\s*/>', sheet)
    assert "<f>" not in sheet  # no formulas unless asked for


def test_cutline_scored_evaluation_exports_its_own_numbers(tmp_path):
    evaluation = case.scored()
    export_roadmap(tmp_path / "scored.xlsx", [evaluation])
    ws = openpyxl.load_workbook(tmp_path / "scored.xlsx")[RANKED]
    order = evaluation.ranking.order
    assert values(ws, "ID") == list(evaluation.portfolio.ids[order])
    assert np.allclose(values(ws, "Score"), evaluation.ranking.score[order])
    funded = ["Yes" if f else "No" for f in evaluation.allocation.funded[order]]
    assert values(ws, "Funded") == funded


def test_an_empty_portfolio_and_no_capacity_still_export(tmp_path):
    evaluation = evaluate(Portfolio.from_records([]), Scenario("Empty", case.model()))
    export_roadmap(tmp_path / "empty.xlsx", [evaluation])
    wb = openpyxl.load_workbook(tmp_path / "empty.xlsx")
    assert [c.value for c in wb[RANKED][ROADMAP_HEADER_ROW]][:3] == ["Rank", "ID", "Title"]
    assert wb[RANKED].max_row == ROADMAP_HEADER_ROW
    assert "Nothing is funded" in wb["Roadmap"]["A3"].value
    assert "No capacity" in wb["Capacity"]["A3"].value


def test_categories_outside_the_palette_each_get_their_own_colour(tmp_path):
    # A tracker's own categories (customer, devex) are not all one grey, and match the window's.
    ev = case.evaluation()
    categories = np.array(["customer", "devex", "customer", "", "reliability"], dtype=object)
    frame = ev.portfolio.frame.assign(category=categories)
    ev = evaluate(Portfolio(frame, extra_columns=ev.portfolio.extra_columns), ev.scenario)
    path = tmp_path / "r.xlsx"
    export_roadmap(path, [ev], today=TODAY)
    ws = openpyxl.load_workbook(path)[RANKED]
    letter = column(ws, "Category")
    fills = {ws[f"{letter}{r}"].value: "#" + _rgb(ws[f"{letter}{r}"].fill.fgColor)
             for r in range(FIRST, FIRST + 5) if ws[f"{letter}{r}"].value}
    assert set(fills) == {"customer", "devex", "reliability"}
    assert len(set(fills.values())) == 3
    assert fills == {k: v for k, v in category_colours(categories).items() if k}
