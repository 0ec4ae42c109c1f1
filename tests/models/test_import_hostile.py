"""Hostile and broken files: each refused quickly with its own message, never a raw library error."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest
from cutline.models.errors import SpreadsheetError
from cutline.models.importing import (
    Limits,
    inspect_source,
    read_portfolio,
    read_raw,
    verify_xml_safety,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.models import import_files as f


@pytest.fixture
def xlsx(tmp_path):
    return f.write_xlsx(tmp_path / "plan.xlsx", [f.HEADERS, *f.ROWS])


def refused(path, match, **kwargs) -> SpreadsheetError:
    """Read the file; it must be refused with this message, fast and within little memory."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SpreadsheetError, match=match) as err:
            read_portfolio(path, **kwargs)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - start < 3
    assert peak < 64 << 20
    return err.value


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = f.zip_bomb(tmp_path / "bomb.xlsx")
    assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) > 1 << 30
    assert path.stat().st_size < 4 << 20
    err = refused(path, "would unpack to more than 1.0 GiB")
    assert "refuses" in err.message


def test_zip_bomb_under_a_lower_limit(tmp_path):
    path = f.zip_bomb(tmp_path / "bomb.xlsx", members=3, member_mib=8)
    refused(path, "would unpack to more than", limits=Limits(max_uncompressed_bytes=16 << 20))


def test_member_that_lies_about_its_size_is_caught_while_inflating(tmp_path):
    path = f.lying_zip_bomb(tmp_path / "lying.xlsx", mib=64)
    refused(path, "unpacks to more than the size it declares")


def test_too_many_zip_members(tmp_path):
    refused(f.many_members(tmp_path / "many.xlsx", 60), "holds 61 files", limits=Limits(max_zip_members=50))


def test_billion_laughs_is_refused(xlsx, tmp_path):
    path = f.with_sheet_xml(xlsx, tmp_path / "laughs.xlsx", lambda _: f.BILLION_LAUGHS)
    refused(path, "document type declaration in xl/worksheets/sheet1.xml")


def test_xxe_is_refused(xlsx, tmp_path):
    path = f.with_sheet_xml(xlsx, tmp_path / "xxe.xlsx", lambda _: f.XXE)
    err = refused(path, "document type declaration")
    assert "external-entity" in err.message


def test_doctype_in_utf16_xml_is_refused(xlsx, tmp_path):
    path = f.with_sheet_xml(xlsx, tmp_path / "xxe16.xlsx",
                            lambda _: f.XXE.decode().replace("UTF-8", "UTF-16").encode("utf-16"))
    refused(path, "document type declaration")


def test_doctype_in_an_ods_is_refused(tmp_path):
    path = f.write_ods(tmp_path / "plan.ods", {"Plan": [["ID"], ["I-1"]]})
    bad = f.rewrite_zip(path, tmp_path / "bad.ods", lambda name, data: data.replace(
        b"<office:document-content", b'<!DOCTYPE x [<!ENTITY a "b">]><office:document-content', 1)
        if name == "content.xml" else data)
    refused(bad, "document type declaration in content.xml")


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.05])
def test_file_cut_short(xlsx, tmp_path, fraction):
    err = refused(f.truncated(xlsx, tmp_path / "cut.xlsx", fraction), "damaged or was cut short")
    assert "download the file again" in err.hint


def test_damaged_member_data(xlsx, tmp_path):
    data = bytearray(xlsx.read_bytes())
    info = zipfile.ZipFile(xlsx).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start: start + 40] = bytes(40)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "damaged or incomplete")


def test_password_protected_workbook(tmp_path):
    err = refused(f.encrypted_office_file(tmp_path / "secret.xlsx"), "protected with a password")
    assert "remove the password" in err.hint


def test_password_protected_xls(tmp_path):
    refused(f.write_xls(tmp_path / "secret.xls", {"Plan": [f.HEADERS, *f.ROWS]}, password=True),
            "protected with a password")


def test_password_protected_ods(tmp_path):
    path = f.write_ods(tmp_path / "plan.ods", {"Plan": [["ID"], ["I-1"]]})
    locked = f.rewrite_zip(path, tmp_path / "locked.ods", lambda name, data: data.replace(
        b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>")
        if name == "META-INF/manifest.xml" else data)
    refused(locked, "protected with a password")


def test_encrypted_zip_member(tmp_path, xlsx):
    data = bytearray(xlsx.read_bytes())
    pos = data.find(b"PK\x01\x02")  # the first central directory entry
    data[pos + 8] |= 1  # its "encrypted" flag
    path = tmp_path / "enc.xlsx"
    path.write_bytes(bytes(data))
    refused(path, "protected with a password")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, "is empty \\(0 bytes\\)")


def test_blank_text_file(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("  \n\n ")
    refused(path, "holds no text")


def test_empty_sheet(tmp_path):
    path = f.write_xlsx(tmp_path / "t.xlsx", [], others={"Data": [["ID"], ["I-1"]]})
    err = refused(path, "sheet 'Initiatives' is empty")
    assert "'Data'" in err.hint


def test_csv_with_only_separators(tmp_path):
    path = tmp_path / "seps.csv"
    path.write_text(",,,\n,,,\n")
    refused(path, "has no values")


def test_sheet_with_no_data_rows(tmp_path):
    err = refused(f.write_xlsx(tmp_path / "t.xlsx", [f.HEADERS]), "no rows of data")
    assert err.location.row == 1


def test_unclosed_quote_in_csv(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('ID,Title\nI-1,"never closed\nI-2,B\n')
    refused(path, "cannot be read as CSV")


@pytest.mark.parametrize("head, what", [
    (b"%PDF-1.7\n", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\x00\x01\x02\x03binary", "a binary file"),
])
def test_files_that_are_not_spreadsheets(tmp_path, head, what):
    path = tmp_path / "thing.xlsx"
    path.write_bytes(head + bytes(range(256)) * 4)
    refused(path, what)


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "jira.xls"
    path.write_text("<html><body><table><tr><td>ID</td></tr></table></body></html>")
    err = refused(path, "web page")
    assert "save it as .xlsx or .csv" in err.hint


def test_excel_2003_xml(tmp_path):
    path = tmp_path / "old.xml"
    path.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
    refused(path, "Excel 2003 XML spreadsheet")


def test_word_document_and_broken_xls(tmp_path):
    refused(f.ole2_with(tmp_path / "doc.xls", "WordDocument"), "a Word 97-2003 document")
    refused(f.ole2_with(tmp_path / "broken.xls", "Workbook"), "damaged or incomplete")


def test_docx_and_xlsb(tmp_path):
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types>wordprocessingml.document.main+xml</Types>")
    refused(docx, "a Word document")
    xlsb = tmp_path / "a.xlsb"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types>spreadsheetml.sheet.binary.macroEnabled.main</Types>")
    refused(xlsb, "binary workbook")


def test_missing_file(tmp_path):
    with pytest.raises(SpreadsheetError, match="Cannot open nothing.xlsx"):
        inspect_source(tmp_path / "nothing.xlsx")


# -- caps --------------------------------------------------------------------------------------
def test_row_column_and_size_caps(tmp_path, xlsx):
    rows = [["ID", "Title", "Effort"]] + [[f"I-{i}", "x", i] for i in range(30)]
    path = f.write_xlsx(tmp_path / "t.xlsx", rows)
    refused(path, "30 rows of data below its header; Cutline reads up to 20", limits=Limits(max_rows=20))
    refused(path, "3 columns \\(Cutline reads up to 2\\)", limits=Limits(max_columns=2))
    refused(path, "up to 50 cells", limits=Limits(max_cells=50))
    refused(path, "more than Cutline reads", limits=Limits(max_file_bytes=1000))
    csv_path = f.write_csv(tmp_path / "t.csv", rows)
    refused(csv_path, "30 rows of data below its header; Cutline reads up to 20", limits=Limits(max_rows=20))
    refused(csv_path, "3 columns; Cutline reads up to 2", limits=Limits(max_columns=2))


def test_far_away_cell_is_refused_before_loading(xlsx, tmp_path):
    """One value at XFD1048576 would make the used area 17 billion cells."""
    path = f.with_sheet_xml(xlsx, tmp_path / "far.xlsx", lambda x: x.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'))
    refused(path, "spans 1,048,576 rows")


def test_styled_but_empty_cells_do_not_count(xlsx, tmp_path):
    path = f.with_sheet_xml(xlsx, tmp_path / "styled.xlsx", lambda x: x.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'))
    assert len(read_portfolio(path).portfolio) == 3


# -- start-up check, and the promise never to leak a library error ------------------------------
def test_verify_xml_safety(monkeypatch):
    verify_xml_safety()
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "False")
    with pytest.raises(SpreadsheetError, match="OPENPYXL_DEFUSEDXML"):
        verify_xml_safety()


def test_verify_xml_safety_without_defusedxml(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "defusedxml", None)
    monkeypatch.setitem(sys.modules, "defusedxml.ElementTree", None)
    with pytest.raises(SpreadsheetError, match="defusedxml package is not installed"):
        verify_xml_safety()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=600), prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]))
def test_random_bytes_never_raise_a_library_error(tmp_path, data, prefix):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(prefix + data)
    try:
        read_raw(path)
    except SpreadsheetError:
        pass


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 4000), flip=st.integers(0, 255))
def test_damaged_workbooks_never_raise_a_library_error(tmp_path, xlsx, cut, flip):
    data = bytearray(xlsx.read_bytes())
    pos = cut % len(data)
    data[pos] ^= flip
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    try:
        read_portfolio(path)
    except SpreadsheetError:
        pass
