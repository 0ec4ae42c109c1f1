"""Reading capacity tables and guardrails, the messages for bad input, and the editor's edits."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from cutline.models.capacity.capacity import POOL, Capacity, Guardrail
from cutline.models.capacity.edits import (
    adding_quarter,
    adding_team,
    removing_guardrail,
    removing_quarter,
    removing_team,
    with_capacity,
    with_guardrail,
    with_team_capacity,
)
from cutline.models.capacity.tables import (
    capacity_from_frame,
    capacity_warnings,
    guardrails_from_frame,
    read_capacity,
    validate_guardrails,
)
from cutline.models.errors import CapacityError
from cutline.models.portfolio.portfolio import Portfolio


def rows(capacity: Capacity) -> list[tuple]:
    return [tuple(r) for r in capacity.table[["team", "quarter", "capacity"]].itertuples(index=False)]


# -- the long layout ---------------------------------------------------------------------------
def test_long_layout_with_synonyms_and_a_pool():
    frame = pd.DataFrame({
        "Team ": ["Platform", "Data", "*", None],
        "QUARTER": ["2025-Q2", "2025-Q1", "2025-Q1", "2025-Q2"],
        "Capacity (person-weeks)": ["12", 8, 4.5, "3"],
        "notes": ["", "", "", "a pool"],
    })
    cap = capacity_from_frame(frame)
    assert rows(cap) == [("Platform", "2025-Q2", 12.0), ("Data", "2025-Q1", 8.0),
                         (POOL, "2025-Q1", 4.5), (POOL, "2025-Q2", 3.0)]
    assert cap.quarters == ("2025-Q2", "2025-Q1")  # in the order the table first names them
    assert cap.teams == ("Platform", "Data")


@pytest.mark.parametrize("header", ["pw", "Person-weeks", "person weeks", "capacity_pw"])
def test_capacity_column_synonyms(header):
    cap = capacity_from_frame(pd.DataFrame({"team": ["A"], "quarter": ["Q1"], header: [3]}))
    assert rows(cap) == [("A", "Q1", 3.0)]


def test_blank_rows_are_skipped_and_rows_are_counted_as_the_sheet_shows_them():
    frame = pd.DataFrame({"team": ["A", None, "B"], "quarter": ["Q1", None, "Q1"], "capacity": [1, None, -2]})
    with pytest.raises(CapacityError) as caught:
        capacity_from_frame(frame, sheet="Capacity")
    assert caught.value.location.sheet == "Capacity"
    assert caught.value.location.row == 4 and caught.value.location.column == "capacity"
    assert "below zero" in str(caught.value)


@pytest.mark.parametrize(("cells", "row", "column", "words"), [
    ({"quarter": ["Q1", " "], "capacity": [1, 2]}, 3, "quarter", "quarter is blank"),
    ({"quarter": ["Q1", "Q2"], "capacity": [1, "lots"]}, 3, "capacity", "'lots' is not a number"),
    ({"quarter": ["Q1", "Q2"], "capacity": [None, 2]}, 2, "capacity", "capacity is blank"),
    ({"quarter": ["Q1", "Q2"], "capacity": [1, "-0.5"]}, 3, "capacity", "-0.5 is below zero"),
])
def test_bad_cells_are_named_where_they_are(cells, row, column, words):
    frame = pd.DataFrame({"team": ["A", "B"], **cells})
    with pytest.raises(CapacityError) as caught:
        capacity_from_frame(frame, sheet="Cap")
    assert caught.value.location.row == row and caught.value.location.column == column
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"sheet 'Cap', row {row}, column '{column}'")


def test_a_team_named_twice_for_a_quarter():
    frame = pd.DataFrame({"team": ["A", "a"], "quarter": ["Q1", "Q1"], "capacity": [1, 2]})
    with pytest.raises(CapacityError, match=r"Team 'a' has two capacities for quarter 'Q1' \(rows 2 and 3\)"):
        capacity_from_frame(frame)


def test_missing_columns():
    with pytest.raises(CapacityError, match="needs the columns team, quarter and capacity"):
        capacity_from_frame(pd.DataFrame({"squad": ["A"], "quarter": ["Q1"]}))
    with pytest.raises(CapacityError, match="needs the columns"):
        capacity_from_frame(pd.DataFrame({"team": ["A"]}))


# -- the wide layout ---------------------------------------------------------------------------
def test_wide_layout_one_column_per_quarter():
    frame = pd.DataFrame({"Team": ["A", "B", "*"], "2025-Q1": [10, None, 5], "2025-Q2": ["12", 6, None],
                          "Unnamed: 3": [None, None, None]})
    cap = capacity_from_frame(frame)
    assert rows(cap) == [("A", "2025-Q1", 10.0), (POOL, "2025-Q1", 5.0),
                         ("A", "2025-Q2", 12.0), ("B", "2025-Q2", 6.0)]


def test_wide_layout_errors():
    with pytest.raises(CapacityError) as caught:
        capacity_from_frame(pd.DataFrame({"team": ["A"], "Q1": [-1]}), sheet="S")
    assert (caught.value.location.row, caught.value.location.column) == (2, "Q1")
    with pytest.raises(CapacityError, match="quarter column has no name"):
        capacity_from_frame(pd.DataFrame({"team": ["A"], "Unnamed: 1": [3]}))


# -- files -------------------------------------------------------------------------------------
def test_read_a_csv(tmp_path):
    path = tmp_path / "capacity.csv"
    path.write_text("team,quarter,capacity\nA,Q1,4\n,Q1,2\nA,Q2,0\n", encoding="utf-8")
    assert rows(read_capacity(path)) == [("A", "Q1", 4.0), (POOL, "Q1", 2.0), ("A", "Q2", 0.0)]


def _workbook(path, sheets: dict[str, list[list]]):
    book = Workbook()
    book.remove(book.active)
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for line in cells:
            sheet.append(line)
    book.save(path)


def test_read_a_workbook_with_guardrails(tmp_path):
    path = tmp_path / "plan.xlsx"
    _workbook(path, {
        "Initiatives": [["id"], ["A"]],
        "capacity": [["Team", "Quarter", "PW"], ["A", "Q1", 4], ["B", "Q1", 2.5]],
        "Guardrails": [["Category", "Reserve", "Cap"], ["tech-debt", "20%", None], ["capability", None, 0.5]],
    })
    cap = read_capacity(path)
    assert rows(cap) == [("A", "Q1", 4.0), ("B", "Q1", 2.5)]
    assert cap.guardrails == (Guardrail("tech-debt", 0.2, None), Guardrail("capability", 0.0, 0.5))


def test_read_a_named_sheet_and_a_missing_one(tmp_path):
    path = tmp_path / "plan.xlsx"
    _workbook(path, {"Teams": [["team", "Q1", "Q2"], ["A", 1, 2]]})
    assert rows(read_capacity(path, sheet="Teams")) == [("A", "Q1", 1.0), ("A", "Q2", 2.0)]
    with pytest.raises(CapacityError, match="has no sheet named 'Capacity'. Its sheets are 'Teams'"):
        read_capacity(path)


def test_bad_cells_in_a_workbook_name_the_sheet_and_row(tmp_path):
    path = tmp_path / "plan.xlsx"
    _workbook(path, {"Capacity": [["team", "quarter", "capacity"], ["A", "Q1", 3], ["A", None, 3]]})
    with pytest.raises(CapacityError, match="sheet 'Capacity', row 3, column 'quarter': The quarter is blank"):
        read_capacity(path)


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(CapacityError, match="does not exist"):
        read_capacity(tmp_path / "nope.csv")
    (tmp_path / "plan.txt").write_text("x")
    with pytest.raises(CapacityError, match=r"needs the columns team, quarter and capacity \(found 'x'\)"):
        read_capacity(tmp_path / "plan.txt")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(CapacityError) as caught:
        read_capacity(tmp_path / "broken.xlsx")
    assert "broken.xlsx is named '.xlsx' but holds a CSV text file" in caught.value.describe()
    (tmp_path / "cut.xlsx").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CapacityError, match="cut.xlsx is damaged or was cut short") as caught:
        read_capacity(tmp_path / "cut.xlsx")
    assert caught.value.hint == "Choose the csv, xlsx or ods file with the teams' capacity."
    (tmp_path / "plan.csv").write_bytes(b"%PDF-1.4")
    with pytest.raises(CapacityError, match="plan.csv is a PDF document"):
        read_capacity(tmp_path / "plan.csv")


@pytest.mark.parametrize(("name", "data"), [
    ("semicolons.csv", b"Team;Quarter;Capacity\nCore;2027-Q1;2,5\nEdge;2027-Q1;1.000,5\n"),
    ("tabs.tsv", b"Team\tQuarter\tCapacity\nCore\t2027-Q1\t2.5\nEdge\t2027-Q1\t1000.5\n"),
    ("grouped.csv", b'Team,Quarter,Capacity\nCore,2027-Q1,2.5\nEdge,2027-Q1,"1,000.5"\n'),
    ("cp1252.csv", "Team,Quarter,Capacity\nCore,2027-Q1,2.5\nEdge,2027-Q1,1000.5\n".encode("cp1252")),
    ("utf16.csv", "Team,Quarter,Capacity\nCore,2027-Q1,2.5\nEdge,2027-Q1,1000.5\n".encode("utf-16")),
    ("bom.csv", "\ufeffTeam,Quarter,Capacity\n\nCore,2027-Q1,2.5\nEdge,2027-Q1,1000.5\n".encode()),
])
def test_a_capacity_text_file_is_read_as_the_import_reads_text(tmp_path, name, data):
    """Encoding, separator and decimal mark detected, as for the initiatives (it was pandas'
    read_csv with commas and UTF-8 only)."""
    path = tmp_path / name
    path.write_bytes(data)
    assert rows(read_capacity(path)) == [("Core", "2027-Q1", 2.5), ("Edge", "2027-Q1", 1000.5)]


def test_a_team_name_in_cp1252_keeps_its_letters(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes("Team,Quarter,Capacity\nZürich,2027-Q1,2\n".encode("cp1252"))
    assert rows(read_capacity(path)) == [("Zürich", "2027-Q1", 2.0)]


def test_a_workbook_named_csv_gives_its_capacity_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Initiatives"
    sheet = book.create_sheet("Capacity")
    for row in (["Team", "Quarter", "Capacity"], ["Core", "2027-Q1", 12]):
        sheet.append(row)
    book.save(tmp_path / "plan.csv")
    assert rows(read_capacity(tmp_path / "plan.csv")) == [("Core", "2027-Q1", 12.0)]


def test_quarters_typed_as_dates_are_named_by_their_quarter(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "Capacity"
    for row in (["Team", "Quarter", "Capacity"], ["Core", dt.datetime(2027, 1, 1), 3],
                ["Core", dt.date(2027, 4, 1), 4], ["Edge", "2027-07-01", 5]):
        sheet.append(row)
    wide = book.create_sheet("Wide")
    wide.append(["Team", dt.datetime(2027, 1, 1), dt.datetime(2027, 4, 1)])
    wide.append(["Core", 3, 4])
    book.save(tmp_path / "dates.xlsx")
    assert rows(read_capacity(tmp_path / "dates.xlsx")) == [
        ("Core", "2027-Q1", 3.0), ("Core", "2027-Q2", 4.0), ("Edge", "2027-Q3", 5.0)]
    assert rows(read_capacity(tmp_path / "dates.xlsx", sheet="Wide")) == [
        ("Core", "2027-Q1", 3.0), ("Core", "2027-Q2", 4.0)]


def test_a_capacity_written_as_a_percentage_is_no_number_of_person_weeks(tmp_path):
    path = tmp_path / "share.csv"
    path.write_text("Team,Quarter,Capacity\nCore,2027-Q1,80%\n")
    with pytest.raises(CapacityError, match="row 2, column 'Capacity': The capacity '80%' is not a number"):
        read_capacity(path)


# -- guardrails -----------------------------------------------------------------------------
def test_guardrails_from_a_table_take_shares_and_percentages():
    frame = pd.DataFrame({"category": ["a", "b", "c"], "reserve": [0.1, "15%", 20], "cap": [None, 0.5, "60 %"]})
    assert guardrails_from_frame(frame) == (Guardrail("a", 0.1, None), Guardrail("b", 0.15, 0.5),
                                            Guardrail("c", 0.2, 0.6))
    with pytest.raises(CapacityError) as caught:
        guardrails_from_frame(pd.DataFrame({"category": ["a"], "cap": ["half"]}), sheet="Guardrails")
    assert caught.value.location.row == 2 and caught.value.location.column == "cap"


@pytest.mark.parametrize(("rails", "words"), [
    ((Guardrail("a", reserve=1.2),), "reserve of 'a' is 120%, not between 0% and 100%"),
    ((Guardrail("a", cap=-0.1),), "cap of 'a' is -10%"),
    ((Guardrail("a", reserve=0.4, cap=0.3),), "reserve of 'a' (40%) is above its cap (30%)"),
    ((Guardrail("a", 0.6), Guardrail("b", 0.3), Guardrail("c", 0.2)),
     "reserves add up to 110%, more than 100%: a 60%, b 30%, c 20%"),
    ((Guardrail("a", 0.1), Guardrail("A", 0.1)), "'A' has two guardrails"),
    ((Guardrail(" ", 0.1),), "has no category"),
    ((Guardrail("a", float("nan")),), "not between"),
])
def test_invalid_guardrails(rails, words):
    with pytest.raises(CapacityError) as caught:
        validate_guardrails(rails)
    assert words in str(caught.value)


def test_valid_guardrails_pass():
    validate_guardrails((Guardrail("a", 0.5, 0.5), Guardrail("b", 0.5), Guardrail("c", 0.0, 0.0)))


# -- warnings ------------------------------------------------------------------------------
def test_warnings_name_teams_with_nothing_to_draw_on():
    portfolio = Portfolio.from_records([{"id": "1", "team": "Data"}, {"id": "2", "team": "data"},
                                        {"id": "3", "team": "Platform"}, {"id": "4", "team": ""}])
    cap = Capacity.from_rows([("platform", "Q1", 3)])
    warnings = capacity_warnings(portfolio, cap)
    assert len(warnings) == 2
    assert warnings[0].startswith("Team 'Data' has 2 initiatives but no row in the capacity table")
    assert warnings[1].startswith("1 initiative with no team cannot be funded")
    assert capacity_warnings(portfolio, with_capacity(cap, "*", "Q1", 1)) == []


# -- the editor's edits ---------------------------------------------------------------------
def test_setting_capacities():
    cap = Capacity.from_rows([("A", "Q1", 1), ("A", "Q2", 2)], (Guardrail("x", 0.1),))
    changed = with_capacity(cap, "a", "Q2", 5)
    assert rows(changed) == [("A", "Q1", 1.0), ("A", "Q2", 5.0)] and changed.guardrails == cap.guardrails
    assert rows(cap) == [("A", "Q1", 1.0), ("A", "Q2", 2.0)]  # the original is untouched
    assert rows(with_capacity(cap, "*", "Q3", 4)) == rows(cap) + [(POOL, "Q3", 4.0)]
    assert rows(with_team_capacity(with_capacity(cap, "B", "Q1", 1), "B", 3)) == rows(cap) + [
        ("B", "Q1", 3.0), ("B", "Q2", 3.0)]
    with pytest.raises(CapacityError, match="0 or more"):
        with_capacity(cap, "A", "Q1", -1)
    with pytest.raises(CapacityError, match="not a number"):
        with_capacity(cap, "A", "Q1", "many")
    with pytest.raises(CapacityError, match="quarter's name is blank"):
        with_capacity(cap, "A", " ", 1)


def test_adding_and_removing_teams_and_quarters():
    cap = adding_quarter(Capacity.empty(), "Q1", 2)
    assert rows(cap) == [(POOL, "Q1", 2.0)]  # with no teams yet, the quarter is the pool's
    cap = adding_team(cap, "A", 4)
    cap = adding_quarter(cap, "Q2")
    assert rows(cap) == [(POOL, "Q1", 2.0), ("A", "Q1", 4.0), ("A", "Q2", 0.0)]
    assert cap.quarters == ("Q1", "Q2") and cap.teams == ("A",)
    with pytest.raises(CapacityError, match="already in the capacity table"):
        adding_team(cap, "a")
    with pytest.raises(CapacityError, match="already in the capacity table"):
        adding_quarter(cap, "Q2")
    with pytest.raises(CapacityError, match="Add a quarter first"):
        adding_team(Capacity.empty(), "A")
    with pytest.raises(CapacityError, match="name is blank"):
        adding_team(cap, "*")
    assert rows(removing_team(cap, "*")) == [("A", "Q1", 4.0), ("A", "Q2", 0.0)]
    assert rows(removing_team(cap, "a")) == [(POOL, "Q1", 2.0)]
    assert rows(removing_quarter(cap, "Q1")) == [("A", "Q2", 0.0)]


def test_editing_guardrails():
    cap = Capacity.from_rows([("A", "Q1", 1)], (Guardrail("a", 0.1), Guardrail("b", cap=0.5)))
    changed = with_guardrail(cap, Guardrail("A", 0.3, 0.6))
    assert changed.guardrails == (Guardrail("A", 0.3, 0.6), Guardrail("b", cap=0.5))
    assert with_guardrail(cap, Guardrail("c", 0.2)).guardrails[-1] == Guardrail("c", 0.2)
    with pytest.raises(CapacityError, match="more than 100%"):
        with_guardrail(cap, Guardrail("c", 0.95))
    assert removing_guardrail(changed, "a").guardrails == (Guardrail("b", cap=0.5),)
    assert rows(changed) == rows(cap)


# -- a Cutline export's own Capacity sheet ------------------------------------------------------
@pytest.mark.slow
def test_an_exported_capacity_sheet_reads_back_with_its_pool_and_guardrails(tmp_path):
    from cutline.models.export import export_roadmap
    from cutline.models.scenarios.pipeline import evaluate
    from tests.models import test_export_cases as case

    capacity = Capacity.from_rows([("Core", "2027-Q1", 6), ("Core", "2027-Q2", 4.5), ("", "2027-Q2", 3)],
                                  (Guardrail("reliability", reserve=0.2), Guardrail("tech-debt", cap=0.5)))
    scenario = case.evaluation().scenario
    evaluation = evaluate(case.portfolio(), type(scenario)(scenario.name, scenario.model, capacity))
    path = tmp_path / "roadmap.xlsx"
    export_roadmap(path, [evaluation])
    assert read_capacity(path) == capacity  # the table in order, the pool, both guardrails


def test_an_exported_capacity_sheet_without_capacity_is_no_capacity(tmp_path):
    from cutline.models.export import export_roadmap
    from cutline.models.scenarios.pipeline import evaluate
    from cutline.models.scenarios.scenario import Scenario
    from tests.models import test_export_cases as case

    path = tmp_path / "roadmap.xlsx"
    export_roadmap(path, [evaluate(case.portfolio(), Scenario("Bare", case.model()))])
    assert read_capacity(path).table.empty


@pytest.mark.parametrize("header", ["team,2027-Q1,2027-Q1", "team,team,quarter,capacity"])
def test_a_capacity_file_with_a_column_named_twice_is_refused_naming_it(tmp_path, header):
    path = tmp_path / "twice.csv"
    path.write_text(header + "\n" + ",".join(["A", "2027-Q1", "10", "12"][: header.count(",") + 1]) + "\n")
    with pytest.raises(CapacityError, match="Two columns are named '(2027-Q1|team)' \\(columns [AB] and [BC]\\)"):
        read_capacity(path)


def test_a_blank_cell_in_a_column_of_quarter_dates_is_a_blank_quarter(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.title = "Capacity"
    for row in (["Team", "Quarter", "Capacity"], ["A", dt.datetime(2027, 1, 1), 3], ["B", None, 5]):
        sheet.append(row)
    book.save(tmp_path / "gap.xlsx")
    with pytest.raises(CapacityError, match="row 3, column 'Quarter': The quarter is blank"):
        read_capacity(tmp_path / "gap.xlsx")


def test_a_text_file_without_values_says_so_for_capacity(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text(",,,\n,,\n")
    with pytest.raises(CapacityError, match="has no values in it") as caught:
        read_capacity(path)
    assert caught.value.hint == "Choose the csv, xlsx or ods file with the teams' capacity."
