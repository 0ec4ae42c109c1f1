"""The header row: found below titles and notes, merged header cells, repeated and blank headers,
a Cutline export's Roadmap sheet read back."""

from __future__ import annotations

import numpy as np
import pytest

from cutline.models.errors import SpreadsheetError
from cutline.models.export.columns import COMPUTED_COLUMNS, POINTS_PREFIX
from cutline.models.importing import COMPUTED_HEADERS, read_portfolio, read_raw
from cutline.models.importing import mapping as mapping_module
from tests.models import import_files as f


def test_title_and_notes_above_the_header(tmp_path):
    rows = [["Platform roadmap 2025"], ["Owner: Platform PM, updated weekly"], [], f.HEADERS, *f.ROWS]
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", rows))
    assert raw.header_row == 4
    assert raw.headers == tuple(f.HEADERS)
    assert raw.source_rows.tolist() == [5, 6, 7]


def test_a_long_preamble_of_notes_above_the_header(tmp_path):
    """Past the first 30 rows, a header is still found when nothing above names two fields."""
    notes = [[f"Note {i}: how this sheet is kept, two words or more"] for i in range(40)]
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", [*notes, ["Owner", "Updated"], f.HEADERS, *f.ROWS]))
    assert raw.header_row == 42
    assert raw.headers == tuple(f.HEADERS)
    assert len(read_portfolio(tmp_path / "t.xlsx").portfolio) == len(f.ROWS)


def test_a_table_whose_header_names_one_field_keeps_its_header_whatever_its_cells_say(tmp_path):
    """The deeper look is for notes above a table, not for a table: a data row holding two field
    words ('Security', 'Feature') must not become the header and drop the rows above it."""
    rows = [["Name", "Pillar", "Kind", "Weeks"]]
    rows += [[f"Epic {i}", "Security" if i == 45 else ("Cost", "Growth")[i % 2],
              ("Enabler", "Feature")[i % 2], str(i % 9 + 1)] for i in range(60)]
    raw = read_raw(f.write_csv(tmp_path / "t.csv", rows))
    assert raw.header_row == 1 and len(raw) == 60


def test_table_that_starts_off_the_corner(tmp_path):
    path = tmp_path / "t.xlsx"
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws["C3"] = "Roadmap"
    for r, row in enumerate([["ID", "Title"], ["I-1", "A"], ["I-2", "B"]], start=6):
        for c, value in enumerate(row, start=2):
            ws.cell(r, c, value)
    book.save(path)
    raw = read_raw(path)
    assert raw.header_row == 6 and raw.letters == ("B", "C")
    assert raw.source_rows.tolist() == [7, 8]


def test_header_row_chosen_by_the_user(tmp_path):
    rows = [["Name", "Comment"], ["x", "y"], ["ID", "Title"], ["I-1", "A"]]
    path = f.write_xlsx(tmp_path / "t.xlsx", rows)
    raw = read_raw(path, header_row=3)
    assert raw.headers == ("ID", "Title") and raw.source_rows.tolist() == [4]


@pytest.mark.parametrize("row, message", [(40, "outside the table"), (0, "outside the table")])
def test_header_row_outside_the_sheet(tmp_path, row, message):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["ID"], ["I-1"]])
    with pytest.raises(SpreadsheetError, match=message):
        read_raw(path, header_row=row)


def test_blank_header_row_is_refused(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["ID"], [None], ["I-1"]])
    with pytest.raises(SpreadsheetError, match="Row 2 .* is blank"):
        read_raw(path, header_row=2)


def test_header_only_has_no_data_rows(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["Roadmap"], f.HEADERS])
    with pytest.raises(SpreadsheetError, match="header on row 2 but no rows of data") as err:
        read_raw(path)
    assert err.value.location.row == 2 and err.value.location.sheet == "Initiatives"


def test_merged_header_cells(tmp_path):
    # A two-row header: "ID" and "Title" merged down over both rows, "RICE" merged across.
    rows = [["ID", "Title", "RICE", None, None, None],
            [None, None, "Reach", "Impact", "Confidence", "Effort"],
            ["I-1", "A", 100, 2, 0.5, 3]]
    path = f.write_xlsx(tmp_path / "t.xlsx", rows, merges=["A1:A2", "B1:B2", "C1:F1"])
    raw = read_raw(path)
    assert raw.header_row == 2
    assert raw.headers == ("ID", "Title", "Reach", "Impact", "Confidence", "Effort")
    p = read_portfolio(path).portfolio
    assert p.ids.tolist() == ["I-1"] and p.numeric("effort").tolist() == [3]


def test_merged_header_over_an_empty_column(tmp_path):
    rows = [["ID", "Title", None, "Effort"], ["I-1", "A", None, 3]]
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", rows, merges=["B1:C1"]))
    assert raw.headers == ("ID", "Title", "Effort")  # the covered, empty column is dropped


def test_cells_merged_down_in_the_data_fill_each_row(tmp_path):
    rows = [["ID", "Team"], ["I-1", "Data"], ["I-2", None], ["I-3", None], ["I-4", "Edge"]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows, merges=["B2:B4"]))
    assert result.portfolio.text("team").tolist() == ["Data", "Data", "Data", "Edge"]
    warning = next(i for i in result.report.warnings if "merged" in i.message)
    assert warning.location.row == 2 and "B2:B4" in warning.message


def test_repeated_headers_are_reported_not_silently_renamed(tmp_path):
    rows = [["ID", "Owner", "Title", "Owner"], ["I-1", "Ana", "A", "Bo"]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows))
    raw = result.raw
    assert raw.headers == ("ID", "Owner", "Title", "Owner (D)")
    assert raw.header_texts == ("ID", "Owner", "Title", "Owner")
    issue = next(i for i in result.report.warnings if "both named" in i.message)
    assert issue.location.row == 1 and issue.location.column == "Owner (D)"
    assert "Columns B and D" in issue.message
    assert result.mapping.field_of("Owner") == "team"
    assert result.mapping.field_of("Owner (D)") is None
    assert result.portfolio.frame["Owner (D)"].tolist() == ["Bo"]


def test_blank_header_over_data_is_named_by_its_letter(tmp_path):
    rows = [["ID", None, "Title"], ["I-1", "x", "A"]]
    result = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows))
    assert result.raw.headers == ("ID", "Column B", "Title")
    assert any(i.location.column == "Column B" for i in result.report.warnings)


def test_numeric_and_date_headers_become_text(tmp_path):
    import datetime as dt

    rows = [["ID", 2025, dt.date(2025, 7, 1), "Effort\n(weeks)"], ["I-1", 1, 2, 3]]
    raw = read_raw(f.write_xlsx(tmp_path / "t.xlsx", rows))
    assert raw.headers == ("ID", "2025", "2025-07-01", "Effort (weeks)")


def test_computed_headers_match_the_export():
    assert COMPUTED_HEADERS == COMPUTED_COLUMNS
    assert mapping_module.POINTS_PREFIX == POINTS_PREFIX


def test_cutline_export_reads_back(tmp_path):
    """The Roadmap sheet as exported: notes above, computed columns, inputs, extras."""
    computed = ["Rank", "Tier", "Score", "Funded", "Planned quarter", "Not funded because", "Pulled in by",
                "Points: rice", "Points: risk"]
    inputs = ["id", "title", "team", "reach", "confidence", "effort", "depends_on"]
    rows = [
        ["Roadmap: Base"], ["Model: default · exported 2025-01-01"], ["Grey italic rows are not funded."],
        computed + inputs + ["Jira key"],
        [1, "T1", 87.5, "Yes", "2025-Q1", None, None, 40.1, 3.2, "I-7", "Rotate CA", "Identity", 1200, 0.8, 8, None, "IAM-1"],
        [2, "T2", 50.0, "No", None, "no capacity", None, 20.0, 1.0, "I-9", "Faster CI", "DevEx", 900, 0.55, 3, "I-7", "DX-4"],
    ]
    path = f.write_xlsx(tmp_path / "roadmap.xlsx", rows, sheet="Roadmap", formats={"N5": "0%", "N6": "0%"})
    result = read_portfolio(path, sheet="Roadmap")
    assert result.raw.header_row == 4
    assert result.mapping.ignored == frozenset(computed)
    assert result.mapping.extras() == ("Jira key",)
    assert not result.report.issues
    p = result.portfolio
    assert p.ids.tolist() == ["I-7", "I-9"]
    assert np.allclose(p.numeric("confidence"), [0.8, 0.55])
    assert p.extra_columns == ("Jira key",)
    assert "Score" not in p.frame.columns


def test_real_export_round_trip(tmp_path):
    from cutline.models.export import export_roadmap
    from cutline.models.scenarios.pipeline import evaluate
    from cutline.models.scenarios.scenario import Scenario

    sample = read_portfolio(f.write_xlsx(tmp_path / "in.xlsx", [f.HEADERS + ["Sponsor"], *[r + ["CTO"] for r in f.ROWS]]))
    path = tmp_path / "roadmap.xlsx"
    export_roadmap(path, [evaluate(sample.portfolio, Scenario("Base"))], live_formulas=True)
    back = read_portfolio(path)  # the export's Ranked list, not its one-page Roadmap
    assert not back.report.has_errors
    order = [back.portfolio.ids.tolist().index(i) for i in sample.portfolio.ids]
    for name in ("title", "team", "depends_on"):
        assert back.portfolio.text(name)[order].tolist() == sample.portfolio.text(name).tolist()
    for name in ("reach", "impact", "confidence", "effort"):
        assert np.allclose(back.portfolio.numeric(name)[order], sample.portfolio.numeric(name), equal_nan=True)
    assert back.portfolio.extra_columns == ("Sponsor",)


@pytest.mark.parametrize("rows, expected", [
    # Headers Cutline does not know, over data whose category values are field names.
    ([["Nr", "Titel", "Kategorie", "Aufwand"], ["P-1", "Login", "security", 3], ["P-2", "CI", "reliability", 5]], 1),
    # A title, a blank row, then a table of unknown headers over numbers.
    ([["Roadmap"], [], ["Ref", "Thema", "Wochen"], ["A", "x", 1], ["B", "y", 2]], 3),
    # Known headers win over a first row of two words.
    ([["Prepared by", "Ana"], ["ID", "Title", "Effort"], ["I-1", "A", 2]], 2),
])
def test_header_detection(tmp_path, rows, expected):
    assert read_raw(f.write_xlsx(tmp_path / "t.xlsx", rows)).header_row == expected
