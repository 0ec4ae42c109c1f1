"""Each format Cutline reads, detected from content: xlsx, xlsm, strict xlsx, ods, and CSV in
several encodings and separators; sheets, hidden sheets and the default sheet."""

from __future__ import annotations

import numpy as np
import pytest

from cutline.models.errors import SpreadsheetError
from cutline.models.importing import CsvOptions, inspect_source, read_portfolio, read_raw
from tests.models import import_files as f

EXPECTED_IDS = ["I-1", "I-2", "I-3"]


def check_portfolio(result) -> None:
    """The three sample rows, read into the right fields whatever the format."""
    p = result.portfolio
    assert p.ids.tolist() == EXPECTED_IDS
    assert p.text("team").tolist() == ["Identity", "Data", "Developer Platform"]
    assert np.allclose(p.numeric("reach"), [1200, 400, 2500])
    assert np.allclose(p.numeric("impact"), [2, 1, 3])
    assert np.allclose(p.numeric("confidence"), [0.8, 0.5, 0.9])
    assert np.allclose(p.numeric("effort"), [8, 3.5, 12])
    assert p.text("depends_on").tolist() == ["", "I-1", "I-1, I-2"]
    assert not result.report.has_errors


@pytest.fixture
def xlsx(tmp_path):
    return f.write_xlsx(tmp_path / "plan.xlsx", [f.HEADERS, *f.ROWS])


def test_xlsx_written_by_openpyxl(xlsx):
    result = read_portfolio(xlsx)
    check_portfolio(result)
    assert result.source.format == "xlsx" and result.source.default_sheet == "Initiatives"
    assert result.portfolio.sheet == "Initiatives"
    assert result.portfolio.source_rows.tolist() == [2, 3, 4]


def test_xlsm(xlsx, tmp_path):
    result = read_portfolio(f.as_xlsm(xlsx, tmp_path / "plan.xlsm"))
    assert result.source.format == "xlsm"
    check_portfolio(result)


def test_strict_open_xml(xlsx, tmp_path):
    path = f.as_strict(xlsx, tmp_path / "strict.xlsx")
    assert b"purl.oclc.org" in __import__("zipfile").ZipFile(path).read("xl/workbook.xml")
    info = inspect_source(path)
    assert info.strict_ooxml and info.format == "xlsx"
    check_portfolio(read_portfolio(path))


def test_ods_with_hidden_sheet(tmp_path):
    path = f.write_ods(tmp_path / "plan.ods", {"Notes": [["x"]], "Plan": [f.HEADERS, *f.ROWS]}, hidden=["Notes"])
    info = inspect_source(path)
    assert info.format == "ods"
    assert [(s.name, s.hidden) for s in info.sheets] == [("Notes", True), ("Plan", False)]
    assert info.default_sheet == "Plan"
    check_portfolio(read_portfolio(path))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    rows = [f.HEADERS, *f.ROWS, ["I-4", "Café résumé – naïve", "Équipe", 1, 1, 0.5, 1, ""]]
    path = f.write_csv(tmp_path / "plan.csv", rows, encoding=encoding)
    info = inspect_source(path)
    assert info.format == "csv"
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252", "utf-16": "utf-16"}[encoding]
    assert info.encoding == expected
    result = read_portfolio(path)
    assert result.portfolio.text("title")[3] == "Café résumé – naïve"
    assert result.portfolio.text("team")[3] == "Équipe"
    assert result.raw.sheet is None


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("ID,Title\nI-1,Été\n".encode("utf-16-le"))
    assert inspect_source(path).encoding == "utf-16-le"
    assert read_portfolio(path).portfolio.text("title").tolist() == ["Été"]


def test_semicolon_csv_reads_decimal_commas(tmp_path):
    rows = [["ID", "Title", "Confidence", "Effort", "Reach"],
            ["I-1", "A", "0,8", "3,5", "1.234"],
            ["I-2", "B", "80%", "12", "1.234,5"]]
    path = f.write_csv(tmp_path / "eu.csv", rows, encoding="cp1252", delimiter=";")
    info = inspect_source(path)
    assert (info.delimiter, info.decimal) == (";", ",")
    p = read_portfolio(path).portfolio
    assert np.allclose(p.numeric("confidence"), [0.8, 0.8])
    assert np.allclose(p.numeric("effort"), [3.5, 12])
    assert np.allclose(p.numeric("reach"), [1234, 1234.5])


def test_comma_csv_reads_quoted_thousands(tmp_path):
    rows = [["ID", "Reach", "Effort"], ["I-1", "1,234", "2.5"], ["I-2", "12,345,678", "1"]]
    path = f.write_csv(tmp_path / "us.csv", rows)
    assert b'"1,234"' in path.read_bytes()
    info = inspect_source(path)
    assert (info.delimiter, info.decimal) == (",", ".")
    assert read_portfolio(path).portfolio.numeric("reach").tolist() == [1234, 12345678]


@pytest.mark.parametrize("delimiter", ["\t", "|"])
def test_tab_and_pipe_separators(tmp_path, delimiter):
    path = f.write_csv(tmp_path / "plan.tsv", [f.HEADERS, *f.ROWS], delimiter=delimiter)
    assert inspect_source(path).delimiter == delimiter
    check_portfolio(read_portfolio(path))


def test_tab_separated_with_decimal_commas_is_detected(tmp_path):
    rows = [["ID", "Effort"], ["I-1", "1,5"], ["I-2", "2,25"]]
    path = f.write_csv(tmp_path / "plan.tsv", rows, delimiter="\t")
    assert inspect_source(path).decimal == ","
    assert read_portfolio(path).portfolio.numeric("effort").tolist() == [1.5, 2.25]


def test_excel_sep_line(tmp_path):
    path = f.write_csv(tmp_path / "plan.csv", [["ID", "Effort"], ["I-1", "1,5"]], delimiter=";", lines=["sep=;"])
    raw = read_raw(path)
    assert raw.csv_options.delimiter == ";" and raw.headers == ("ID", "Effort")
    assert raw.source_rows.tolist() == [2]


def test_csv_options_override_the_detection(tmp_path):
    path = f.write_csv(tmp_path / "plan.csv", [["ID;Effort"], ["I-1;1,5"]], delimiter="|")
    raw = read_raw(path, csv_options=CsvOptions(delimiter=";", decimal=","))
    assert raw.headers == ("ID", "Effort")
    result = read_portfolio(path, csv_options=CsvOptions(delimiter=";", decimal=","))
    assert result.portfolio.numeric("effort").tolist() == [1.5]
    latin = read_raw(path, csv_options=CsvOptions(encoding="latin-1", delimiter=";"))
    assert latin.csv_options.encoding == "latin-1"


def test_wrong_encoding_override_says_so(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes("ID,Title\nI-1,Été\n".encode("cp1252"))
    with pytest.raises(SpreadsheetError, match="not valid utf-8"):
        read_raw(path, csv_options=CsvOptions(encoding="utf-8"))


def test_bad_csv_options_are_refused():
    with pytest.raises(SpreadsheetError):
        CsvOptions(delimiter=";;")
    with pytest.raises(SpreadsheetError):
        CsvOptions(decimal=";")
    with pytest.raises(SpreadsheetError):
        CsvOptions(delimiter=",", decimal=",")
    with pytest.raises(SpreadsheetError):
        CsvOptions(encoding="klingon")


def test_renamed_csv_opens_with_a_note(tmp_path):
    path = f.write_csv(tmp_path / "plan.xlsx", [f.HEADERS, *f.ROWS])
    result = read_portfolio(path)
    assert result.source.format == "csv"
    check_portfolio(result)
    assert any("named '.xlsx'" in i.message for i in result.report.warnings)


def test_workbook_renamed_csv_opens_as_workbook(xlsx, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(xlsx.read_bytes())
    assert inspect_source(path).format == "xlsx"
    check_portfolio(read_portfolio(path))


@pytest.mark.parametrize(("made", "named"), [("xlsx", ".xls"), ("xlsx", ".ods"), ("ods", ".xlsx"), ("ods", ".xls")])
def test_a_workbook_named_as_another_kind_opens_by_its_content(tmp_path, made, named):
    """calamine goes by the name's ending when given a path; Cutline goes by the content."""
    if made == "xlsx":
        source = f.write_xlsx(tmp_path / "made.xlsx", [f.HEADERS, *f.ROWS])
    else:
        source = f.write_ods(tmp_path / "made.ods", {"Initiatives": [f.HEADERS, *f.ROWS]})
    path = tmp_path / f"plan{named}"
    path.write_bytes(source.read_bytes())
    result = read_portfolio(path)
    assert result.source.format == made
    check_portfolio(result)
    assert any(f"named '{named}'" in i.message for i in result.report.warnings)


def test_first_visible_sheet_is_the_default(tmp_path):
    path = f.write_xlsx(tmp_path / "book.xlsx", [f.HEADERS, *f.ROWS], first="Cover",
                        others={"Archive": [["ID"], ["old"]]}, hidden=["Cover"])
    info = inspect_source(path)
    assert [(s.name, s.hidden) for s in info.sheets] == [("Cover", True), ("Initiatives", False), ("Archive", False)]
    assert info.default_sheet == "Initiatives"
    assert read_portfolio(path).portfolio.sheet == "Initiatives"
    archive = read_portfolio(path, sheet="archive")  # names match ignoring case
    assert archive.portfolio.ids.tolist() == ["old"] and archive.raw.sheet == "Archive"


def test_unknown_sheet_lists_the_sheets(xlsx):
    with pytest.raises(SpreadsheetError, match="no sheet named 'Roadmap'") as err:
        read_raw(xlsx, sheet="Roadmap")
    assert "'Initiatives'" in err.value.hint


def test_source_describes_itself(tmp_path, xlsx):
    csv_path = f.write_csv(tmp_path / "eu.csv", [["ID", "Effort"], ["I-1", "1,5"]], delimiter=";")
    assert inspect_source(csv_path).describe() == "A CSV text file, utf-8, semicolon-separated, decimal mark ','."
    assert inspect_source(xlsx).describe() == "An Excel workbook (xlsx)."
    assert inspect_source(csv_path).csv_options == CsvOptions("utf-8", ";", ",")
    assert inspect_source(xlsx).csv_options is None


def test_xls_with_hidden_sheet(tmp_path):
    path = f.write_xls(tmp_path / "old.xls", {"Archive": [["x"]], "Plan": [f.HEADERS, *f.ROWS]}, hidden=["Archive"])
    info = inspect_source(path)
    assert info.format == "xls"
    assert [(s.name, s.hidden) for s in info.sheets] == [("Archive", True), ("Plan", False)]
    assert info.default_sheet == "Plan"
    result = read_portfolio(path)
    check_portfolio(result)
    assert not result.raw.formulas_checked  # xls formulas cannot be inspected; nothing is claimed
