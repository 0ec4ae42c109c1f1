"""Exit statuses of `cutline rank` and `cutline import` when there is nothing to rank, and the
words of a summary: an empty portfolio is never "everything funded"."""

import csv

import pytest

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import sample_path
from cutline.models.words.funding import cut_line_words


def _csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def all_rows_dropped(tmp_path):
    # Rows with nothing but spaces are not initiatives: every row of this file is left out.
    return _csv(tmp_path / "dropped.csv", [["id", "title", "team", "effort"],
                                           [" ", "", "", " "],
                                           ["", " ", "", ""]])


def test_rows_left_out_for_errors_are_named():
    from types import SimpleNamespace

    from cutline.app.cli.commands import NoInitiatives, require_initiatives

    issue = SimpleNamespace(is_error=True, describe=lambda: "row 2, column 'id': Id 'A' is also used on row 1.")
    loaded = SimpleNamespace(workshop=SimpleNamespace(portfolio=[]),   # nothing was kept
                             report=SimpleNamespace(rows_read=4, issues=[issue] * 4))
    with pytest.raises(NoInitiatives) as caught:
        require_initiatives(loaded, "export.csv")
    text = caught.value.describe()
    assert text.startswith("No initiatives in export.csv: all 4 rows have errors")
    assert text.count("Id 'A' is also used") == 3 and "and 1 more" in text


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_rank_with_every_row_dropped_exits_3(all_rows_dropped, capsys, json_flag):
    assert main(["rank", str(all_rows_dropped), *json_flag]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("cutline: No initiatives in dropped.csv")
    assert "Traceback" not in err and "everything funded" not in out + err


def test_import_with_every_row_dropped_exits_3_and_writes_nothing(all_rows_dropped, tmp_path, capsys):
    target = tmp_path / "plan.cutline"
    assert main(["import", str(all_rows_dropped), "-o", str(target)]) == 3
    assert not target.exists()
    assert "No initiatives in dropped.csv" in capsys.readouterr().err


def test_compare_with_every_row_dropped_exits_3(all_rows_dropped, capsys):
    assert main(["compare", str(all_rows_dropped)]) == 3
    assert "No initiatives" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["rank"], ["rank", "--json"], ["compare"], ["optimise"], ["import", "-o"]])
def test_a_header_without_rows_holds_no_initiatives_exit_3(tmp_path, capsys, command):
    """Read, but nothing in it: status 3, as docs/cli.md says of an input with no rows."""
    empty = _csv(tmp_path / "empty.csv", [["id", "title", "team", "effort"]])
    target = tmp_path / "plan.cutline"
    args = [command[0], str(empty), *command[1:]] + ([str(target)] if command[-1] == "-o" else [])
    assert main(args) == 3
    out, err = capsys.readouterr()
    assert out == "" and "has a header on row 1 but no rows of data below it" in err
    assert "Traceback" not in err and not target.exists()


def test_a_sheet_with_only_a_header_names_the_other_sheets(tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Readme"
    book.active.append(["This workbook holds the platform backlog on the next sheet."])
    data = book.create_sheet("Data")
    data.append(["id", "title"])
    data.append(["A-1", "Rotate"])
    book.save(tmp_path / "book.xlsx")
    assert main(["rank", str(tmp_path / "book.xlsx")]) == 3
    assert "the other sheets are 'Data'." in capsys.readouterr().err
    assert main(["rank", str(tmp_path / "book.xlsx"), "--sheet", "Data"]) == 0


@pytest.mark.parametrize("option", [["--columns", "rank,id"], ["--all-columns"]])
@pytest.mark.parametrize("command", ["rank", "compare"])
def test_export_columns_without_a_workbook_to_write_are_refused(capsys, command, option):
    args = [command, str(sample_path()), *option] + (["--model", "rice", "--model", "wsjf"] if command == "compare" else [])
    assert main(args) == 2
    assert "choose the columns of the workbook that -o OUT.xlsx writes" in capsys.readouterr().err


def test_compare_takes_template_keys_as_rank_does(capsys):
    assert main(["compare", str(sample_path()), "--model", "rice", "--model", "wsjf", "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["scenarios"] == ["RICE", "WSJF"]


def test_rank_summary_says_where_the_cut_line_is(capsys):
    assert main(["rank", str(sample_path())]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("64 initiatives, ") and "cut line at #" in last


def test_rank_without_capacity_says_nothing_can_be_funded(tmp_path, capsys):
    one = _csv(tmp_path / "one.csv", [["id", "title", "team", "effort"], ["A-1", "Rotate", "Identity", "3"]])
    assert main(["rank", str(one)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("1 initiative, 0 funded, nothing can be funded until capacity is set")


def test_cut_line_words():
    assert cut_line_words(0, 0, None) == "nothing to fund"
    assert cut_line_words(0, 0, None, capacity_set=False) == "nothing to fund"
    assert cut_line_words(5, 0, 1, capacity_set=False) == "nothing can be funded until capacity is set"
    assert cut_line_words(5, 5, None) == "everything funded"
    assert cut_line_words(5, 3, 4) == "cut line at #4"


def test_a_scenario_named_for_a_spreadsheet_is_refused_unless_it_is_its_one(tmp_path, capsys):
    one = _csv(tmp_path / "one.csv", [["id", "title", "team", "effort"], ["A-1", "Rotate", "Identity", "3"]])
    assert main(["rank", str(one), "--scenario", "Nope"]) == 2
    assert "one.csv is a spreadsheet, so it has one scenario, 'Default', not 'Nope'" in capsys.readouterr().err
    assert main(["rank", str(one), "--scenario", "Default"]) == 0


def test_warnings_start_cutline_warning_and_a_file_without_teams_is_not_called_zero_teams(tmp_path, capsys):
    lone = _csv(tmp_path / "lone.csv", [["id", "title", "effort"], ["A-1", "Rotate", "3"]])
    assert main(["rank", str(lone)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("cutline: warning: ") for line in err)
    capacity = next(line for line in err if "No Capacity sheet" in line)
    assert "0 teams" not in capacity and "no initiative names a team" in capacity


def test_the_text_table_stays_aligned_with_wide_characters(tmp_path, capsys):
    from cutline.app.cli.commands import _cells, fit

    assert fit("数据库", 8) == "数据库  " and _cells(fit("数据库", 8)) == 8
    assert fit("Rocket 🚀", 10) == "Rocket 🚀 "
    assert fit("数据库数据库", 7) == "数据库…" and _cells(fit("数据库数据库", 7)) == 7
    assert fit("Plain", 3, cut=False) == "Plain"
    wide = _csv(tmp_path / "wide.csv", [["ID", "Title", "Team", "Effort"], ["A", "Self-serve databases 数据库", "Data", "1"],
                                        ["B", "Plain title here", "数据平台", "1"], ["C", "Rocket 🚀 launch", "Data", "1"]])
    assert main(["rank", str(wide)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 3
    assert len({_cells(line.split("  6.7")[0]) for line in rows}) == 1  # the score column lines up


def _model(tmp_path, text, name="m.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_refuses_a_model_that_cannot_score_the_portfolio_and_writes_nothing(tmp_path, capsys):
    one = _csv(tmp_path / "one.csv", [["id", "title", "team", "effort"], ["A-1", "Rotate", "Identity", "3"]])
    model = _model(tmp_path, 'schema_version = 2\n[[criteria]]\nname = "f"\nsource = "formula"\n'
                             'formula = "foo * 2"\nweight = 1\n')
    target = tmp_path / "plan.cutline"
    assert main(["import", str(one), "-o", str(target), "--model", str(model)]) == 2
    assert "There is no column called 'foo'" in capsys.readouterr().err
    assert not target.exists()  # it used to be written, and no command could rank it after


@pytest.mark.parametrize("command", ["rank", "optimise"])
def test_what_checking_the_model_finds_is_said_as_a_warning(tmp_path, capsys, command):
    one = _csv(tmp_path / "one.csv", [["id", "title", "team", "effort", "dx"], ["A-1", "Rotate", "Identity", "3", "5"]])
    model = _model(tmp_path, 'schema_version = 2\n[[criteria]]\nname = "dx"\nsource = "dx"\nweight = 1\n'
                             '[[tiers]]\nname = "Huge"\ncondition = "dx > 100"\n')
    assert main([command, str(one), "--model", str(model)]) == 0
    assert "cutline: warning: Tier 'Huge': no initiative meets its condition." in capsys.readouterr().err


def test_compare_warns_of_a_model_with_no_data_naming_its_scenario(capsys):
    assert main(["compare", str(sample_path()), "--model", "rice", "--model", "wsjf"]) == 0
    err = capsys.readouterr().err
    assert "cutline: warning: Scenario 'WSJF': Every criterion of the model is blank" in err
    assert "Scenario 'RICE'" not in err


def test_a_delay_longer_than_any_plan_is_past_its_end_not_a_crash(capsys):
    huge = "99999999999999999999"
    assert main(["rank", str(sample_path()), "--delay", "PLT-101", "--by", huge]) == 0
    out = capsys.readouterr().out
    assert f"If PLT-101 starts {huge} quarters later" in out and "cannot start before the end of the plan" in out


@pytest.mark.parametrize("command", [["rank", "--json"]])  # 88 KB: more than a pipe holds
def test_output_cut_short_by_its_reader_is_no_error(command):
    """`cutline rank … | head -1`: the reader closes the pipe; the command ends quietly with 0
    (every command ends through app/cli/run.py, which this goes through)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "cutline.app", command[0], str(sample_path()), *command[1:]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0, err
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.parametrize(("command", "name", "words"), [
    (["rank"], "out.doc", "Cutline writes .xlsx for the Excel roadmap; .csv for the ranked list as CSV; .pdf"),
    (["compare", "--model", "rice", "--model", "wsjf"], "out.csv", "a CSV holds one ranked list"),
])
def test_an_output_cutline_does_not_write_is_refused_before_any_work(tmp_path, capsys, command, name, words):
    assert main([command[0], str(sample_path()), *command[1:], "-o", str(tmp_path / name)]) == 2
    assert words in capsys.readouterr().err and not (tmp_path / name).exists()


def test_draw_settings_without_sensitivity_are_refused(capsys):
    assert main(["rank", str(sample_path()), "--draws", "10", "--seed", "3"]) == 2
    assert "--draws, --seed set the weight draws of --sensitivity, which was not given" in capsys.readouterr().err
    assert main(["rank", str(sample_path()), "--sensitivity", "--draws", "20", "--json"]) == 0


def test_import_to_a_missing_folder_says_so_before_reading(tmp_path, capsys):
    assert main(["import", str(sample_path()), "-o", str(tmp_path / "nope" / "w.cutline")]) == 2
    assert f"The folder {tmp_path / 'nope'} does not exist" in capsys.readouterr().err


def test_compare_of_a_spreadsheet_refuses_a_scenario_it_does_not_have(tmp_path, capsys):
    one = _csv(tmp_path / "one.csv", [["id", "title", "team", "effort"], ["A-1", "Rotate", "Identity", "3"]])
    assert main(["compare", str(one), "--model", "rice", "--model", "wsjf", "--scenario", "X"]) == 2
    assert "one.csv is a spreadsheet, so it has one scenario, 'Default', not 'X'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["rank"], ["optimise"], ["compare", "--model", "rice"]])
def test_a_criterion_on_a_column_of_words_without_a_value_map_is_an_error(tmp_path, capsys, command):
    """As docs/model-file.md says; it scored 0 for everyone with only a general warning."""
    tags = _csv(tmp_path / "tags.csv", [["id", "title", "team", "effort", "Tag"], ["A", "a", "T", "1", "foo"],
                                        ["B", "b", "T", "1", "bar"]])
    model = _model(tmp_path, 'schema_version = 2\n[[criteria]]\nname = "p"\nsource = "Tag"\nweight = 1\n')
    assert main([command[0], str(tags), "--model", str(model), *command[1:]]) == 2
    assert "the column 'Tag' holds text; a criterion needs numbers" in capsys.readouterr().err
