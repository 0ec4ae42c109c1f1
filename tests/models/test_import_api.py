"""The import API as its two clients use it: step by step (the dialog) and in one call (the CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from cutline.models.importing import (
    ColumnMapping,
    CsvOptions,
    ImportResult,
    build_portfolio,
    guess_mapping,
    inspect_source,
    read_portfolio,
    read_raw,
)

from tests.models import import_files as f

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample_portfolio.xlsx"


def test_the_bundled_sample_imports_cleanly():
    result = read_portfolio(SAMPLE)
    assert isinstance(result, ImportResult)
    assert result.source.sheet_names[:1] == ("Initiatives",)
    assert len(result.portfolio) == result.report.rows_imported == 64
    assert not result.report.issues
    assert result.portfolio.extra_columns == ("Jira key", "Sponsor")


def test_dialog_steps_with_plain_data(tmp_path):
    path = f.write_csv(tmp_path / "plan.csv", [["Exported from Jira"], ["Issue key", "Summary", "Lead", "Size"],
                                              ["P-1", "A", "Ana", "3,5"], ["P-2", "B", "Bo", "x"]], delimiter=";")
    info = inspect_source(path)  # 1. what is it?
    assert (info.format, info.delimiter, info.decimal) == ("csv", ";", ",")
    raw = read_raw(path, csv_options=info.csv_options)  # 2. the table, header found below the title
    assert raw.header_row == 2 and raw.headers == ("Issue key", "Summary", "Lead", "Size")
    assert raw.preview(1).index.tolist() == [3] and raw.letter_of("Lead") == "C"
    mapping = guess_mapping(raw.headers).with_field("Lead", "team")  # 3. the user confirms and remaps
    assert mapping.mapped() == {"id": "Issue key", "title": "Summary", "team": "Lead", "effort": "Size"}
    portfolio, report = build_portfolio(raw, mapping)  # 4. preview the result
    assert portfolio.ids.tolist() == ["P-1", "P-2"] and report.issues_at(4, "Size")[0].value == "x"
    assert np.isnan(portfolio.numeric("effort")[1]) and report.cells_left_blank == 1  # kept, cell blank
    portfolio, report = build_portfolio(raw, mapping, edits={(4, "Size"): "2,5"})  # 5. fix a cell
    assert portfolio.numeric("effort").tolist() == [3.5, 2.5] and not report.has_errors
    again = ColumnMapping.from_dict(json.loads(json.dumps(mapping.to_dict())))  # 6. saved for next time
    assert again == mapping


def test_header_row_and_csv_options_through_the_one_call(tmp_path):
    path = f.write_csv(tmp_path / "plan.txt", [["ID|Effort"], ["I-1|1,5"]], delimiter=";")
    result = read_portfolio(path, csv_options=CsvOptions(delimiter="|", decimal=","), header_row=1)
    assert result.portfolio.numeric("effort").tolist() == [1.5]
    assert result.raw.csv_options == CsvOptions("utf-8", "|", ",")


def test_given_mapping_is_used(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["A", "B"], ["I-1", "x"]])
    result = read_portfolio(path, mapping=ColumnMapping({"A": "id", "B": "title"}))
    assert result.portfolio.text("title").tolist() == ["x"] and result.mapping.field_of("A") == "id"


def test_report_is_plain_data(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [["ID", "Effort", "Start"], ["I-1", "soon", None]])
    report = read_portfolio(path).report
    data = json.loads(json.dumps(report.to_dict()))
    assert data["issues"][0] | {"hint": ""} == {
        "severity": "warning", "message": "Effort should be a number, not 'soon'. It is left blank.",
        "sheet": "Initiatives",
        "row": 2, "column": "Effort", "value": "soon", "hint": ""}
    assert report.format_text().startswith(
        "Read 1 rows, imported 1; 1 cell could not be read and is left blank; 0 errors, 1 warning.\nwarning: sheet")


def test_inspection_follows_the_file(tmp_path):
    path = tmp_path / "plan.xlsx"
    f.write_csv(path, [["ID"], ["I-1"]])
    assert inspect_source(path).format == "csv"
    f.write_xlsx(path, [["ID"], ["I-1"], ["I-2"]])
    assert inspect_source(path).format == "xlsx"
    assert len(read_portfolio(path).portfolio) == 2


def test_portfolio_keeps_source_rows_and_sheet(tmp_path):
    rows = [["Title row"], [], ["ID", "Effort"], ["I-1", 1], [], ["I-2", 2]]
    p = read_portfolio(f.write_xlsx(tmp_path / "t.xlsx", rows, sheet="Q3")).portfolio
    assert p.source_rows.tolist() == [4, 6] and p.sheet == "Q3"
    assert np.allclose(p.numeric("effort"), [1, 2])


def test_models_importing_loads_no_qt_and_reads_without_openpyxl(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [f.HEADERS, *f.ROWS])
    code = (
        "import sys\nimport cutline.models.importing as m\n"
        f"r = m.read_portfolio({str(path)!r})\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'openpyxl')]\n"
        "print(len(r.portfolio), bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "3 []"


EXAMPLE = [
    ["Platform roadmap, H1"],
    [],
    ["Key", "Summary", "Owning Team", "Reach (users/quarter)", "Impact", "Confidence %", "Effort (person-weeks)",
     "Depends On", "Sponsor"],
    ["PLT-101", "Rotate root CA", "Identity", 420, "massive", "90%", 8, None, "CISO"],
    ["PLT-102", "Self-serve databases", "Data", "1,800", "high", 70, "6,5", "PLT-101", "CTO"],
    ["PLT-103", "Faster CI", "Developer Platform", 2500, 1.5, 0.8, "lots", "PLT-101; PLT-109", "VP Eng"],
]


def test_the_example_in_docs_input_md(tmp_path):
    result = read_portfolio(f.write_xlsx(tmp_path / "example.xlsx", EXAMPLE))
    p, report = result.portfolio, result.report
    assert result.raw.header_row == 3 and p.extra_columns == ("Sponsor",)
    assert p.ids.tolist() == ["PLT-101", "PLT-102", "PLT-103"]
    assert np.allclose(p.numeric("confidence")[:2], [0.9, 0.7]) and np.allclose(p.numeric("impact")[:2], [3, 2])
    assert np.allclose(p.numeric("reach")[:2], [420, 1800]) and np.allclose(p.numeric("effort")[:2], [8, 6.5])
    assert np.isnan(p.numeric("effort")[2])
    assert [(i.severity, i.location.row, i.location.column, i.message) for i in report.issues] == [
        ("warning", 6, "Effort (person-weeks)", "Effort should be a number, not 'lots'. It is left blank."),
        ("warning", 6, "Depends On", "Depends on 'PLT-109', which is not an id of any initiative in this sheet."),
    ]
    csv_path = tmp_path / "example.csv"
    csv_path.write_text(
        "Key;Summary;Owning Team;Reach (users/quarter);Impact;Confidence %;Effort (person-weeks);Depends On;Sponsor\n"
        "PLT-101;Rotate root CA;Identity;420;massive;90%;8;;CISO\n"
        "PLT-102;Self-serve databases;Data;1.800;high;70;6,5;PLT-101;CTO\n", encoding="utf-8")
    again = read_portfolio(csv_path).portfolio
    assert np.allclose(again.numeric("reach"), [420, 1800]) and np.allclose(again.numeric("effort"), [8, 6.5])
