"""The readers that are not the import's own cannot be tricked either: a hostile xls (whose
DIMENSIONS record claims four billion rows: python-calamine aborts on opening it) is probed in a
child process first, and a workbook's Capacity or ratings sheet is measured before pandas loads
it. Each read runs in a child here, so a failure is reported instead of ending the test run."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from tests.models import import_files as f

ROOT = Path(__file__).resolve().parents[2]
FAR_CELL = b'<c r="XFD1048576" t="n"><v>1</v></c>'


def hostile_xls(path: Path) -> Path:
    """A tiny xls whose sheet claims rows 0 to 4,294,967,280 in its DIMENSIONS record."""
    real_bof = f._bof

    def bof(kind: int) -> bytes:
        claim = f._record(0x0200, struct.pack("<IIHHH", 0, 0xFFFFFFF0, 0, 255, 0)) if kind == 0x0010 else b""
        return real_bof(kind) + claim

    f._bof = bof
    try:
        return f.write_xls(path, {"Plan": [["ID", "Title"], ["I-1", "x"]]})
    finally:
        f._bof = real_bof


def in_child(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + code],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_a_hostile_xls_is_refused_with_a_message(tmp_path):
    path = hostile_xls(tmp_path / "claims.xls")
    assert path.stat().st_size < 10_000
    done = in_child(f"""
from cutline.models.errors import CutlineError
from cutline.models.importing import read_portfolio
try:
    read_portfolio({str(path)!r})
except CutlineError as exc:
    print("refused:", exc.describe())
""")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "refused: claims.xls claims a sheet far larger than the file holds" in done.stdout
    assert "save it as .xlsx" in done.stdout


def test_an_ordinary_xls_still_reads(tmp_path):
    from cutline.models.importing import read_portfolio

    path = f.write_xls(tmp_path / "old.xls", {"Plan": [["ID", "Title", "Effort"], ["I-1", "A", 3]]})
    assert read_portfolio(path).portfolio.numeric("effort").tolist() == [3]


def test_a_hostile_capacity_sheet_is_measured_before_pandas_reads_it(tmp_path):
    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Initiatives"
    book.active.append(["ID", "Title", "Team", "Effort"])
    book.active.append(["I-1", "A", "Core", 3])
    capacity = book.create_sheet("Capacity")
    capacity.append(["team", "quarter", "capacity"])
    capacity.append(["Core", "2027-Q1", 10])
    book.save(path)
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576">' + FAR_CELL + b"</row></sheetData>")
            out.writestr(item, data)
    done = in_child(f"""
from cutline.models.errors import CutlineError
from cutline.models.capacity.tables import read_capacity
print(read_capacity({str(path)!r}).teams)
try:
    read_capacity({str(hostile)!r})
except CutlineError as exc:
    print("refused:", exc.describe())
""")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "('Core',)" in done.stdout
    assert "refused:" in done.stdout and "1,048,576 rows" in done.stdout
