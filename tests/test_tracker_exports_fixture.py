"""The tracker-export fixtures and the large Jira export writer are what they say they are.

These tests check the files themselves (that Python's csv module reads them, with the shape each
tracker writes), not Cutline's importer: they are test data for it, written by nobody on the team.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest

from benchmarks.tracker_exports import HEADER, write_jira_export

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"

#: file -> (encoding, delimiter, header row index, expected header cells (a prefix), data rows)
FIXTURES = {
    "jira_all_fields.csv": ("utf-8", ",", 0, ["Summary", "Issue key", "Issue id", "Issue Type"], 30),
    "jira_current_fields.csv": ("utf-8", ",", 0, ["Issue Type", "Issue key", "Issue id", "Summary"], 25),
    "jira_plans.csv": ("utf-8", ",", 0, ["Hierarchy", "Work item key", "Title", "Team"], 30),
    "linear.csv": ("utf-8", ",", 0, ["ID", "Team", "Title", "Description", "Status", "Estimate"], 26),
    "azure_devops.csv": ("utf-8-sig", ",", 0, ["ID", "Work Item Type", "Title", "State"], 30),
    "azure_devops_tree.csv": ("utf-8-sig", ",", 0, ["ID", "Work Item Type", "Title 1", "Title 2", "Title 3"], 34),
    "github_projects.tsv": ("utf-8", "\t", 0, ["Title", "URL", "Assignees", "Status", "Labels"], 31),
    "pm_sheet_words.csv": ("cp1252", ";", 2, ["Initiative", "Owner", "Theme", "T-shirt size"], 24),
}


def _rows(name: str) -> list[list[str]]:
    encoding, delimiter, *_ = FIXTURES[name]
    text = (EXPORTS / name).read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def test_every_fixture_file_is_listed():
    on_disk = {p.name for p in EXPORTS.iterdir() if p.suffix in {".csv", ".tsv"}}
    assert on_disk == set(FIXTURES)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_parses_as_a_rectangular_table(name):
    _encoding, _delimiter, header_at, header_start, data_rows = FIXTURES[name]
    rows = _rows(name)
    header = rows[header_at]
    assert header[: len(header_start)] == header_start
    body = rows[header_at + 1:]
    assert len(body) == data_rows
    assert 20 <= len(body) <= 40
    assert {len(row) for row in rows} == {len(header)}, "every record has as many cells as the header"


def test_azure_devops_files_start_with_a_bom_and_quote_values_as_ado_does():
    for name in ("azure_devops.csv", "azure_devops_tree.csv"):
        raw = (EXPORTS / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfID,Work Item Type,")
        lines = raw.decode("utf-8-sig").split("\r\n")
        assert lines[-1] == "" and all("\n" not in line for line in lines)
        # header bare, every non-empty value quoted, empty values bare
        assert not lines[0].startswith('"') and lines[1].startswith('"')
    rows = _rows("azure_devops.csv")
    header = rows[0]
    risk = {row[header.index("Risk")] for row in rows[1:]}
    assert risk <= {"1 - High", "2 - Medium", "3 - Low", ""}
    assert any("; " in row[header.index("Tags")] for row in rows[1:])
    assert all(row[header.index("Area Path")].startswith("Contoso\\Platform\\") for row in rows[1:])


def test_no_other_fixture_has_a_bom():
    for name in set(FIXTURES) - {"azure_devops.csv", "azure_devops_tree.csv"}:
        assert not (EXPORTS / name).read_bytes().startswith(b"\xef\xbb\xbf"), name


def test_jira_all_fields_has_repeated_columns_and_links_that_agree():
    rows = _rows("jira_all_fields.csv")
    header, body = rows[0], rows[1:]
    assert len(header) == 59
    for name, count in [("Labels", 3), ("Component/s", 2), ("Sprint", 2), ("Watchers", 2), ("Comment", 2),
                        ("Inward issue link (Blocks)", 2), ("Outward issue link (Blocks)", 2)]:
        assert header.count(name) == count, name
    key = header.index("Issue key")
    keys = {row[key] for row in body}
    inward = [i for i, h in enumerate(header) if h == "Inward issue link (Blocks)"]
    outward = [i for i, h in enumerate(header) if h == "Outward issue link (Blocks)"]
    waits = {(row[key], row[i]) for row in body for i in inward if row[i]}
    blocks = {(row[i], row[key]) for row in body for i in outward if row[i]}
    assert {pair for pair in waits if pair[1] in keys} == blocks
    assert {blocker for _, blocker in waits} - keys == {"PLAT-87"}, "one link leaves the file"
    assert any("\n" in row[header.index("Description")] for row in body)
    assert (EXPORTS / "jira_all_fields.csv").read_bytes().count(b"\r\n") >= len(body) + 1


def test_linear_header_is_the_34_column_shape():
    header = _rows("linear.csv")[0]
    assert len(header) == 34
    assert header[-3:] == ["Related to", "Blocked by", "Duplicate of"]


def test_pm_sheet_csv_matches_the_workbook():
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(EXPORTS / "pm_sheet_words.xlsx", read_only=True).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    rows = _rows("pm_sheet_words.csv")
    assert cells[1] == [""] * len(cells[1]) and rows[1] == [""] * len(rows[1])
    assert cells[2:] == rows[2:]
    assert rows[0][0] == cells[0][0]


@pytest.mark.parametrize("count", [0, 1, 37])
def test_write_jira_export_writes_the_requested_rows_and_60_columns(tmp_path, count):
    path = write_jira_export(tmp_path / "jira.csv", count, seed=4)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, strict=True))
    assert rows[0] == list(HEADER) and len(rows[0]) == 60
    assert len(rows) - 1 == count
    assert {len(row) for row in rows} == {60}


@pytest.mark.slow
def test_write_jira_export_is_deterministic_linked_and_fast(tmp_path):
    start = time.perf_counter()
    first = write_jira_export(tmp_path / "a.csv", 10_000, seed=1)
    elapsed = time.perf_counter() - start
    second = write_jira_export(tmp_path / "b.csv", 10_000, seed=1)
    assert first.read_bytes() == second.read_bytes()
    assert elapsed < 2.0
    with first.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, strict=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 10_000
    inward = [i for i, h in enumerate(header) if h == "Inward issue link (Blocks)"]
    linked = sum(1 for row in body if any(row[i] for i in inward))
    assert 0.07 * len(body) <= linked <= 0.13 * len(body)
    assert any("\n" in row[header.index("Description")] for row in body)
