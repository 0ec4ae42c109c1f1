"""Values: every written form of a number, confidence, impact, ratings, lists and ids; each error
reported with its sheet, row, column and value; fixes typed in a preview; dependencies."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from cutline.models.importing import build_portfolio, guess_mapping, read_portfolio, read_raw
from cutline.models.importing.values import (
    list_values,
    parse_number_field,
    read_numbers,
    text_values,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models import import_files as f


def numbers(cells, decimal=".", name="reach"):
    parsed = parse_number_field(name, pd.Series(cells, dtype=object), decimal)
    return parsed.values, parsed.problems


@pytest.mark.parametrize("cell, value", [
    (1234, 1234), (12.5, 12.5), ("1,234", 1234), ("1,234.5", 1234.5), ("12,345,678", 12345678),
    (" 42 ", 42), ("42", 42), ("0.5", 0.5), ("80%", 0.8), ("1 234", 1234), ("1\u00a0234", 1234),
    ("1e3", 1000), ("+7", 7), ("0,8", 0.8), (None, np.nan), ("", np.nan), ("   ", np.nan), (np.nan, np.nan),
])
def test_number_forms_with_decimal_point(cell, value):
    values, problems = numbers([cell])
    assert np.allclose(values, [value], equal_nan=True) and not problems


@pytest.mark.parametrize("cell, value", [
    ("0,8", 0.8), ("1.234", 1234), ("1.234,5", 1234.5), ("1 234,5", 1234.5), ("12", 12), ("1.5", 1.5), ("50%", 0.5),
])
def test_number_forms_with_decimal_comma(cell, value):
    values, problems = numbers([cell], decimal=",")
    assert np.allclose(values, [value]) and not problems


@pytest.mark.parametrize("cell, message", [
    ("lots", "Reach should be a number, not 'lots'."),
    ("1,2,3", "Reach should be a number, not '1,2,3'."),
    ("#DIV/0!", "Reach shows the spreadsheet error '#DIV/0!'"),
    (dt.date(2025, 1, 2), "Reach holds a date or time (2025-01-02)"),
    (True, "Reach holds TRUE/FALSE"),
    (-5, "Reach cannot be negative (-5)."),
    ("inf", "Reach should be a number, not 'inf'."),
])
def test_number_problems(cell, message):
    values, problems = numbers([cell])
    assert np.isnan(values[0])
    assert len(problems) == 1 and problems[0].mask.tolist() == [True]
    assert problems[0].message.replace("{value}", repr(cell) if isinstance(cell, str) else str(cell)).startswith(message)


@pytest.mark.parametrize("cell, value", [
    (0.8, 0.8), (0, 0), (1, 1), ("80%", 0.8), ("80 %", 0.8), (80, 0.8), ("80", 0.8), (100, 1), ("0,5", 0.5), (None, np.nan),
])
def test_confidence_forms(cell, value):
    values, problems = numbers([cell], name="confidence")
    assert np.allclose(values, [value], equal_nan=True) and not problems


@pytest.mark.parametrize("cell, message", [
    (150, "Confidence cannot be above 100%"), ("120%", "Confidence cannot be above 100%"),
    (-0.1, "Confidence cannot be negative"), ("sure", "Confidence should be a number"),
])
def test_confidence_problems(cell, message):
    values, problems = numbers([cell], name="confidence")
    assert np.isnan(values[0]) and problems[0].message.startswith(message)


@pytest.mark.parametrize("cell, value", [
    ("massive", 3), ("High", 2), (" medium ", 1), ("LOW", 0.5), ("minimal", 0.25), (2, 2), ("1.5", 1.5), (None, np.nan),
])
def test_impact_forms(cell, value):
    values, problems = numbers([cell], name="impact")
    assert np.allclose(values, [value], equal_nan=True) and not problems


def test_impact_problems():
    values, problems = numbers(["huge", -1], name="impact")
    assert np.isnan(values).all()
    assert [p.message.split(" (")[0].split(",")[0] for p in problems] == [
        "Impact should be a number or massive", "Impact cannot be negative"]


@pytest.mark.parametrize("name", ["risk", "reliability", "security", "dx"])
def test_ratings_are_0_to_10(name):
    values, problems = numbers([0, 10, 7.5, 11, -1, "8"], name=name)
    assert np.allclose(values, [0, 10, 7.5, np.nan, np.nan, 8], equal_nan=True)
    assert len(problems) == 1 and problems[0].mask.tolist() == [False, False, False, True, True, False]
    assert "between 0 and 10" in problems[0].message


def test_mixed_column_is_read_cell_by_kind():
    nums = read_numbers(pd.Series([1.5, "2,5", None, "x", dt.datetime(2020, 1, 1), False], dtype=object))
    assert np.allclose(nums.values, [1.5, 2.5, np.nan, np.nan, np.nan, np.nan], equal_nan=True)
    assert nums.blank.tolist() == [False, False, True, False, False, False]
    assert nums.unreadable.tolist() == [False, False, False, True, False, False]
    assert nums.dates.tolist() == [False] * 4 + [True, False]
    assert nums.logical.tolist() == [False] * 5 + [True]


def test_text_values():
    assert text_values(pd.Series([" a ", None, 12.0, 1.5, dt.datetime(2025, 3, 1), dt.date(2025, 3, 2), True],
                                 dtype=object)).tolist() == ["a", "", "12", "1.5", "2025-03-01", "2025-03-02", "TRUE"]
    assert text_values(pd.Series([101.0, np.nan, 2.5])).tolist() == ["101", "", "2.5"]
    assert text_values(pd.Series([" x", None], dtype="str")).tolist() == ["x", ""]


def test_list_values():
    cells = pd.Series(["I-1;I-2", "I-1 , I-2", "I-3\nI-4", ",I-5,,", None, 7.0, " ; "], dtype=object)
    assert list_values(cells).tolist() == ["I-1, I-2", "I-1, I-2", "I-3, I-4", "I-5", "", "7", ""]


@settings(max_examples=30)
@given(st.floats(0, 1e12, allow_nan=False, allow_infinity=False))
def test_grouped_numbers_parse_back(x):
    x = round(x, 2)
    us, eu = f"{x:,.2f}", f"{x:,.2f}".replace(",", " ").replace(".", ",")
    assert numbers([us])[0][0] == pytest.approx(x)
    assert numbers([eu], decimal=",")[0][0] == pytest.approx(x)


@settings(max_examples=30)
@given(st.integers(0, 100))
def test_confidence_percent_forms_agree(pct):
    written = [f"{pct}%", pct / 100] + ([pct] if pct > 1 else [])
    values, problems = numbers(written, name="confidence")
    assert not problems and np.allclose(values, pct / 100)


# -- whole sheets: locations of problems ---------------------------------------------------------
BAD_ROWS = [
    ["Roadmap Q3"],
    ["ID", "Title", "Reach", "Confidence", "Risk", "Effort", "Impact"],
    ["I-1", "Good", 100, 0.5, 3, 2, "high"],
    ["I-2", "Words", "lots", 0.5, 3, 2, "high"],
    ["I-3", "Too sure", 100, 150, 3, 2, "high"],
    ["I-4", "Risky", 100, 0.5, 12, 2, "high"],
    ["I-5", "Negative", 100, 0.5, 3, -2, "high"],
    ["I-1", "Duplicate", 100, 0.5, 3, 2, "high"],
    ["I-7", "Odd impact", 100, 0.5, 3, 2, "galactic"],
    [None, "No id", 100, 0.5, 3, 2, "low"],
]


@pytest.fixture
def bad_sheet(tmp_path):
    return read_portfolio(f.write_xlsx(tmp_path / "bad.xlsx", BAD_ROWS, sheet="Plan"))


@pytest.mark.parametrize("row, column, value, text", [
    (4, "Reach", "lots", "Reach should be a number, not 'lots'. It is left blank."),
    (5, "Confidence", 150, "Confidence cannot be above 100% (150). It is left blank."),
    (6, "Risk", 12, "Risk must be between 0 and 10, not 12. It is left blank."),
    (7, "Effort", -2, "Effort cannot be negative (-2). It is left blank."),
    (8, "ID", "I-1", "Id 'I-1' is also used on row 3."),
    (9, "Impact", "galactic",
     "Impact should be a number or massive, high, medium, low, minimal, not 'galactic'. It is left blank."),
])
def test_each_problem_has_its_sheet_row_column_and_value(bad_sheet, row, column, value, text):
    issue = next(i for i in bad_sheet.report.issues if i.location.row == row and i.location.column == column)
    assert (issue.location.sheet, issue.location.column, issue.value, issue.message) == ("Plan", column, value, text)
    assert issue.hint
    assert str(issue.location) in issue.describe()


def test_a_bad_cell_never_drops_its_row(bad_sheet):
    p, report = bad_sheet.portfolio, bad_sheet.report
    assert p.ids.tolist() == ["I-1", "I-2", "I-3", "I-4", "I-5", "I-7", "R10"]  # only the repeated id is out
    assert p.source_rows.tolist() == [3, 4, 5, 6, 7, 9, 10]
    assert np.isnan(p.numeric("reach")[1]) and np.isnan(p.numeric("confidence")[2])
    assert np.isnan(p.numeric("risk")[3]) and np.isnan(p.numeric("effort")[4]) and np.isnan(p.numeric("impact")[5])
    assert p.text("title")[1] == "Words" and p.numeric("effort")[1] == 2  # the rest of the row is read
    assert report.rows_read == 8 and report.rows_imported == 7 and report.rows_rejected == 1
    assert report.rows_with_errors() == (8,) and report.cells_left_blank == 5
    generated = next(i for i in report.warnings if i.location.row == 10)
    assert "given 'R10'" in generated.message and generated.location.column == "ID"
    assert report.issues_at(5, "Confidence")[0].value == 150
    assert "5 cells could not be read and are left blank; 1 error" in report.summary()
    assert report.format_text(limit=2).splitlines()[-1] == f"... and {len(report.issues) - 2} more."
    assert report.to_dict()["issues"][0]["sheet"] == "Plan"


def test_edits_typed_in_the_preview_fix_cells(tmp_path):
    raw = read_raw(f.write_xlsx(tmp_path / "bad.xlsx", BAD_ROWS, sheet="Plan"))
    mapping = guess_mapping(raw.headers)
    fixes = {(4, "Reach"): "250", (5, "Confidence"): "75%", (6, "Risk"): 9, (7, "Effort"): "",
             (8, "ID"): "I-8", (9, "Impact"): "Massive", (99, "Reach"): 1}
    portfolio, report = build_portfolio(raw, mapping, edits=fixes)
    assert not report.has_errors
    assert portfolio.ids.tolist() == ["I-1", "I-2", "I-3", "I-4", "I-5", "I-8", "I-7", "R10"]
    assert portfolio.numeric("reach")[1] == 250 and portfolio.numeric("confidence")[2] == 0.75
    assert np.isnan(portfolio.numeric("effort")[4]) and portfolio.numeric("impact")[6] == 3
    assert any(i.location.row == 99 and "not in the table" in i.message for i in report.warnings)
    assert raw.frame["Reach"].tolist()[1] == "lots"  # the raw table is left as it was


def test_no_id_column_generates_ids_from_rows(tmp_path):
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", [["Title"], ["A"], [None], ["B"]]))
    assert result.portfolio.ids.tolist() == ["R2", "R4"]
    assert any("no id column" in i.message for i in result.report.warnings)


def test_numeric_ids_read_as_text(tmp_path):
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Depends on"], [101, None], [102, 101]]))
    assert result.portfolio.ids.tolist() == ["101", "102"]
    assert result.portfolio.text("depends_on").tolist() == ["", "101"]
    assert not result.report.issues


def test_rows_of_only_spaces_are_skipped(tmp_path):
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Title"], ["I-1", "A"], ["  ", " "], ["I-2", "B"]]))
    assert result.portfolio.ids.tolist() == ["I-1", "I-2"] and result.report.rows_read == 2


def test_portfolio_column_types(tmp_path):
    rows = [["ID", "Title", "Effort", "Budget", "Start"], ["I-1", "A", 3, 1000, dt.date(2025, 1, 6)],
            ["I-2", None, None, None, None]]
    p = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows)).portfolio
    assert p.frame["effort"].dtype == np.float64 and np.isnan(p.numeric("effort")[1])
    assert p.frame["title"].dtype == object and p.text("title").tolist() == ["A", ""]
    assert p.frame["status"].tolist() == ["", ""] and np.isnan(p.numeric("reach")).all()
    assert p.extra_columns == ("Budget", "Start")
    assert p.frame["Budget"].tolist() == [1000, None]
    assert p.frame["Start"].tolist()[0] == dt.date(2025, 1, 6)
    assert p.equals(type(p).from_frame(p.frame, extra_columns=p.extra_columns, source_rows=p.source_rows,
                                       sheet=p.sheet))


# -- dependencies --------------------------------------------------------------------------------
def test_unknown_dependency_is_a_warning_naming_row_and_id(tmp_path):
    rows = [["ID", "Depends on"], ["I-1", "I-9"], ["I-2", "I-1; I-2"], ["I-3", "I-1, I-4"], ["I-4", "lots"]]
    rows.append(["I-4", ""])
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows))
    warnings = {(i.location.row, i.value): i.message for i in result.report.warnings}
    assert warnings[(2, "I-9")] == "Depends on 'I-9', which is not an id of any initiative in this sheet."
    assert "lists itself" in warnings[(3, "I-2")]
    assert result.portfolio.ids.tolist() == ["I-1", "I-2", "I-3", "I-4"]


def test_dependency_on_a_row_with_a_bad_cell_is_kept(tmp_path):
    rows = [["ID", "Effort", "Depends on"], ["I-1", -1, ""], ["I-2", 1, "I-1"]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.portfolio.ids.tolist() == ["I-1", "I-2"] and result.portfolio.text("depends_on")[1] == "I-1"
    assert not any(i.location.row == 3 for i in result.report.issues)


def test_dependency_cycle_is_an_error_naming_the_cycle(tmp_path):
    rows = [["ID", "Depends on"], ["I-1", ""], ["I-3", "I-7"], ["I-5", "I-1"], ["I-7", "I-3"], ["I-8", "I-3"]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows, sheet="Plan"))
    errors = result.report.errors
    assert {(e.location.row, e.location.column) for e in errors} == {(3, "Depends on"), (5, "Depends on")}
    assert all("I-3 -> I-7 -> I-3" in e.message for e in errors)
    assert result.portfolio.ids.tolist() == ["I-1", "I-5", "I-8"]
    waiting = next(w for w in result.report.warnings if w.location.row == 6)
    assert waiting.message == "Depends on 'I-3', which has errors and was not imported."


# -- cells whose value is not in the file --------------------------------------------------------
def test_formula_without_a_cached_value_is_reported(tmp_path):
    rows = [["ID", "Reach", "Effort", "Budget"], ["I-1", 10, "=B2*2", "=B2*100"], ["I-2", 20, 4, 5]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.raw.formulas_checked and set(result.raw.uncached_formulas) == {(2, "Effort"), (2, "Budget")}
    issue = next(i for i in result.report.warnings if i.location.column == "Effort")
    assert issue.location.row == 2 and "=B2*2" in issue.message and "left blank" in issue.message
    assert issue.hint.startswith("Open and save the file in Excel or LibreOffice first")
    warning = next(i for i in result.report.warnings if i.location.column == "Budget")
    assert "left blank" in warning.message
    assert result.portfolio.ids.tolist() == ["I-1", "I-2"] and np.isnan(result.portfolio.numeric("effort")[0])
    fixed, report = build_portfolio(result.raw, result.mapping, edits={(2, "Effort"): 8})
    assert fixed.numeric("effort").tolist() == [8, 4] and not report.has_errors


def test_error_cells_are_reported(tmp_path):
    base = f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Reach"], ["I-1", 5], ["I-2", 6]])
    path = f.with_sheet_xml(base, tmp_path / "e.xlsx", lambda x: x.replace(
        b'<c r="B3" t="n"><v>6</v></c>', b'<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    result = read_portfolio(path)
    assert result.raw.error_cells == {(3, "Reach"): "#DIV/0!"}
    issue = result.report.warnings[0]
    assert (issue.location.row, issue.location.column, issue.value) == (3, "Reach", "#DIV/0!")
    assert "#DIV/0!" in issue.message and result.portfolio.ids.tolist() == ["I-1", "I-2"]


def test_cached_formula_values_are_read(tmp_path):
    base = f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Reach"], ["I-1", 5]])
    path = f.with_sheet_xml(base, tmp_path / "c.xlsx", lambda x: x.replace(
        b'<c r="B2" t="n"><v>5</v></c>', b'<c r="B2"><f>2+3</f><v>5</v></c>'))
    result = read_portfolio(path)
    assert not result.raw.flagged and result.portfolio.numeric("reach").tolist() == [5]
