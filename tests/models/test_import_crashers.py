"""The files that once aborted Cutline or made it allocate gigabytes before refusing them
(issue 16), kept as regression files in tests/fixtures/crashers/ (written by make_crashers.py;
the large ones are built here at test time). Each is read in a child process with an
address-space limit, so a crash is reported instead of taking the test run down, and each must
be refused with a message within seconds and a few hundred MB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cutline.models.errors import SpreadsheetError
from cutline.models.importing import Limits, read_portfolio

ROOT = Path(__file__).resolve().parents[2]
CRASHERS = ROOT / "tests" / "fixtures" / "crashers"
sys.path.insert(0, str(CRASHERS))
import make_crashers  # noqa: E402

#: The address space a child may use: the interpreter with pandas and numpy takes about 1 GiB of
#: it before reading anything.
AS_LIMIT_MB = 3072
#: Peak resident memory allowed for reading one hostile file, the interpreter included.
PEAK_MB = 400

_WORKER = r'''
import json, os, resource, sys, time, traceback
limit = int(sys.argv[2]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, sys.argv[1])
from cutline.models.errors import CutlineError
from cutline.models.importing import Limits, read_portfolio
def peak_kb():
    # VmHWM starts afresh at exec; ru_maxrss would carry the forking pytest process's peak
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
base = peak_kb()
print(json.dumps({"ready": base}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    start = time.perf_counter()
    try:
        result = read_portfolio(job["path"], limits=Limits(**job.get("limits", {})))
        out = {"outcome": "read", "rows": len(result.portfolio)}
    except CutlineError as exc:
        out = {"outcome": "refused", "message": str(exc.message)}
    except BaseException as exc:
        out = {"outcome": "exception", "message": type(exc).__name__ + ": " + str(exc)[:300],
               "traceback": traceback.format_exc()[-3000:]}
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = peak_kb() / 1024
    print(json.dumps(out), flush=True)
'''


class ChildReader:
    """A child process that reads files with read_portfolio, one at a time, under an address-space
    limit; one that dies or hangs is reported (and a new one started)."""

    def __init__(self, as_limit_mb: int = AS_LIMIT_MB) -> None:
        self.as_limit_mb = as_limit_mb
        self.proc: subprocess.Popen | None = None

    def _start(self) -> None:
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MALLOC_ARENA_MAX="2",
                   RUST_BACKTRACE="0")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(ROOT), str(self.as_limit_mb)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        ready = self.proc.stdout.readline()
        if not ready:
            raise RuntimeError("the reading child did not start: " + self.proc.stderr.read()[-2000:])

    def read(self, path: Path, timeout: float = 60, **limits) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        assert self.proc is not None
        self.proc.stdin.write(json.dumps({"path": str(path), "limits": limits}) + "\n")
        self.proc.stdin.flush()
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        start = time.perf_counter()
        ready = sel.select(timeout)
        sel.close()
        if not ready:
            self.proc.kill()
            self._end()
            return {"outcome": "timeout", "seconds": time.perf_counter() - start}
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read()[-1500:]
            code = self._end()
            return {"outcome": "crash", "exit": code, "stderr": err, "seconds": time.perf_counter() - start}
        return json.loads(line)

    def _end(self) -> int:
        assert self.proc is not None
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass
        code = self.proc.wait(timeout=30)
        self.proc = None
        return code

    def close(self) -> None:
        if self.proc is not None:
            self._end()


@pytest.fixture
def child():
    # A fresh child per file: its peak memory is then that file's alone.
    reader = ChildReader()
    yield reader
    reader.close()


EXPECTED = {
    "far_cell_r_second.xlsx": "spans 1,048,576 rows",
    "far_cell_lower_case.xlsx": "spans 1,048,576 rows",
    "far_cell_single_quotes.xlsx": "spans 1,048,576 rows",
    "far_cell_two_spaces.xlsx": "spans 1,048,576 rows",
    "far_cell_prefixed.xlsx": "spans 1,048,576 rows",
    "far_cell_without_reference.xlsx": "spans 1,048,576 rows",
    "shared_strings_unique_count.xlsx": "declare 2,000,000,000 different texts",
    "tall_sparse_60_columns.xlsx": "spans 1,048,576 rows",
    "ods_rows_repeated.ods": "spans 1,048,577 rows",
    "ods_doctype_after_comment.ods": "document type declaration in content.xml",
    "whitespace_2mib.xlsx": "more than 1 MiB of text or blank space in one place",
}


def test_every_crasher_has_an_expectation():
    on_disk = {p.name for p in CRASHERS.iterdir() if p.suffix in (".xlsx", ".ods", ".csv", ".xls")}
    assert on_disk == set(EXPECTED) == set(make_crashers.CRASHERS)
    assert all(p.stat().st_size < 100_000 for p in CRASHERS.iterdir())


def test_the_committed_files_are_what_the_script_writes(tmp_path):
    import zipfile

    for name, (_, write) in make_crashers.CRASHERS.items():
        fresh = write(tmp_path / name)
        with zipfile.ZipFile(fresh) as a, zipfile.ZipFile(CRASHERS / name) as b:
            assert {i.filename: a.read(i) for i in a.infolist()} == {i.filename: b.read(i) for i in b.infolist()}, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_crasher_is_refused_quickly_in_little_memory(child, name):
    out = child.read(CRASHERS / name, timeout=30)
    assert out["outcome"] == "refused", out
    assert EXPECTED[name] in out["message"], out["message"]
    assert out["seconds"] < 3, out
    assert out["peak_mb"] < PEAK_MB, out


def test_one_700_mib_shared_string_is_refused(child, tmp_path):
    path = make_crashers.big_shared_string(tmp_path / "long_string.xlsx", 700)
    assert path.stat().st_size < 1_000_000
    out = child.read(path, timeout=30)
    assert out["outcome"] == "refused", out
    assert "more than 1 MiB of text" in out["message"]
    assert out["seconds"] < 3 and out["peak_mb"] < PEAK_MB, out


def test_900_mib_of_blank_space_is_refused(child, tmp_path):
    path = make_crashers.big_whitespace(tmp_path / "blank.xlsx", 900)
    assert path.stat().st_size < 1_200_000
    out = child.read(path, timeout=30)
    assert out["outcome"] == "refused", out
    assert "blank space in one place" in out["message"]
    assert out["seconds"] < 3 and out["peak_mb"] < PEAK_MB, out


def test_a_shared_string_at_the_limit_is_read(tmp_path):
    path = make_crashers.big_member_xlsx(
        tmp_path / "ok.xlsx", "xl/sharedStrings.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{make_crashers.MAIN}" count="1" uniqueCount="1"><si><t>',
        b"a" * 1000, 1000, "</t></si></sst>")
    assert len(read_portfolio(path).portfolio) == 1


# -- csv and the row limit ------------------------------------------------------------------------
def test_csv_field_longer_than_the_csv_module_default(tmp_path):
    """A field over 131,072 characters was read as 15,002 columns."""
    long = ",".join(["word"] * 30_000)
    path = tmp_path / "long.csv"
    path.write_text(f'ID,Title,Team\nI-1,"{long}",Data\nI-2,Short,Data\n', encoding="utf-8")
    result = read_portfolio(path)
    assert result.portfolio.ids.tolist() == ["I-1", "I-2"]
    assert result.portfolio.text("title")[0] == long


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exactly_the_row_limit_is_accepted_the_header_not_counted(tmp_path, kind):
    from tests.models import import_files as f

    rows = [["ID", "Title"]] + [[f"I-{i}", "x"] for i in range(50)]
    path = (f.write_csv if kind == "csv" else f.write_xlsx)(tmp_path / f"t.{kind}", rows)
    assert len(read_portfolio(path, limits=Limits(max_rows=50)).portfolio) == 50
    with pytest.raises(SpreadsheetError, match="50 rows of data below its header; Cutline reads up to 49"):
        read_portfolio(path, limits=Limits(max_rows=49))
    titled = [["Roadmap"], [], *rows]  # rows above the header do not count either
    path = (f.write_csv if kind == "csv" else f.write_xlsx)(tmp_path / f"titled.{kind}", titled)
    assert len(read_portfolio(path, limits=Limits(max_rows=50)).portfolio) == 50


def test_one_million_initiatives_are_accepted(tmp_path):
    path = tmp_path / "million.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("ID\n")
        fh.writelines(f"I-{i}\n" for i in range(1_000_000))
    from cutline.models.importing import read_raw

    assert len(read_raw(path)) == 1_000_000
    path.write_text(path.read_text() + "I-x\n")
    with pytest.raises(SpreadsheetError, match="1,000,001 rows of data below its header; Cutline reads up to 1,000,000"):
        read_raw(path)
