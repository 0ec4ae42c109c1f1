"""The safety pass's fast measure of a worksheet's cells (models/importing/cell_refs.py) against
the regular expressions it replaced, on generated sheets full of odd cell tags."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cutline.models.importing.cell_refs import SliceCells, measure_slice
from cutline.models.importing.safety import Limits
from cutline.models.importing.xml_guard import _ordinary_extent, scan_worksheet

# The rules as regular expressions (the measure before numpy): the reference to agree with.
_ODD_REF = re.compile(rb'<c r="(?![A-Za-z]{1,3}[1-9][0-9]{0,6}")')
_ROWS = re.compile(rb'<c r="[A-Za-z]{1,3}([0-9]{1,7})"')
_COLUMNS = re.compile(rb'<c r="([A-Za-z]{1,3})[0-9]')
_OTHER_CELL = re.compile(rb'<c(?=[\s/>])(?! r=")')
_PREFIXED_CELL = re.compile(rb':c[\s/>]')


def by_expressions(data: bytes) -> SliceCells | None:
    if _OTHER_CELL.search(data) or _PREFIXED_CELL.search(data) or _ODD_REF.search(data):
        return None
    count = data.count(b'<c r="')
    if not count:
        return SliceCells(0, 0, 0)
    column = 0
    for letters in set(_COLUMNS.findall(data)):
        value = 0
        for ch in letters.upper():
            value = value * 26 + ch - 64
        column = max(column, value)
    return SliceCells(count, max(map(int, _ROWS.findall(data))), column)


near_refs = st.builds(
    lambda c, r, q: f'<c r="{c}{r}{q} s="1"/>'.encode(),
    st.text(alphabet="AbCdXyZz", min_size=0, max_size=4),
    st.one_of(st.integers(1, 9_999_999).map(str), st.integers(0, 99_999).map(lambda r: f"0{r}"),
              st.integers(10_000_000, 10**9).map(str), st.just("")),
    st.sampled_from(['"', "", "'", " ", "x"]))
ordinary = st.builds(lambda c, r: f'<c r="{c}{r}" t="n"><v>1</v></c>'.encode(),
                     st.text(alphabet="ABCXYZabz", min_size=1, max_size=3),
                     st.integers(1, 9_999_999).map(str))
separators = st.sampled_from([b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"/", b">", b"x", b"_"])
odd = st.one_of(
    near_refs,
    st.builds(lambda prefix, sep: prefix + b"c" + sep + b'r="A1"/>', st.sampled_from([b"<", b"<x:", b":", b"<ns:"]),
              separators),
    st.sampled_from([b"<col min=\"1\"/>", b"<cols>", b"<v>10:30</v>", b"<t>a:c d</t>", b"<t>http://x</t>",
                     b'<c r="A1"', b"<c", b"<", b":c", b'<c r="']),
)
# Ordinary cells with at most one odd piece among them: the piece alone decides the answer.
sheets = st.builds(lambda cells, piece, at: b"".join(cells[:at] + piece + cells[at:]),
                   st.lists(ordinary, max_size=20), st.lists(odd, max_size=1), st.integers(0, 20))


@pytest.mark.parametrize("ref", ["A1", "a1", "XFD1048576", "ABC9999999", "A10000000", "A0", "A01", "AB0", "ABC012",
                                 "ABCD1", "1", "A", "", "A1'", "A1 ", "A1x", "Zz12345678", "zZz7", "A1B2"])
@pytest.mark.parametrize("end", ['"', "'", ""])
def test_each_form_of_reference_agrees_with_the_expressions(ref, end):
    for data in (f'<c r="{ref}{end} t="n"><v>1</v></c>'.encode(),
                 f'<row r="3"><c r="B3"/><c r="{ref}{end}/></row>'.encode()):
        assert measure_slice(data, 0, len(data)) == by_expressions(data), data


@pytest.mark.parametrize("blank", [b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c", b"/", b">", b"x"])
@pytest.mark.parametrize("start", [b"<", b"<x:", b":", b"<c r=\"A1\"/><"])
def test_each_other_start_of_a_cell_agrees_with_the_expressions(start, blank):
    data = b'<c r="C9"/>' + start + b"c" + blank + b'r="A1"/>'
    assert measure_slice(data, 0, len(data)) == by_expressions(data), data


@given(sheets)
def test_the_fast_measure_agrees_with_the_expressions(data):
    assert measure_slice(data, 0, len(data)) == by_expressions(data)


@given(sheets, st.integers(0, 10_000))
def test_slices_cut_at_a_tag_add_up_to_the_whole(data, at):
    starts = [i for i in range(1, len(data)) if data[i:i + 1] == b"<"]
    if not starts:
        return
    cut = starts[at % len(starts)]
    whole = by_expressions(data)
    parts = [measure_slice(data, 0, cut), measure_slice(data, cut, len(data))]
    if whole is None:
        assert None in parts
        return
    assert None not in parts
    assert sum(p.cells for p in parts) == whole.cells
    assert max(p.row for p in parts) == whole.row and max(p.column for p in parts) == whole.column


def test_an_ordinary_sheet_measures_as_the_exact_reader_places_its_cells(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 40):
        for col in range(1, 30, 3):
            sheet.cell(row * 7, col, f"{row}:{col}")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    extent, data = scan_worksheet(path, "xl/worksheets/sheet1.xml", "Sheet", Limits())
    assert (extent.rows, extent.columns, extent.cells) == (39 * 7, 28, 39 * 10)
    assert _ordinary_extent(data, "wide.xlsx", "Sheet", Limits()) == extent
