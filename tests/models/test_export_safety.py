"""Formula injection stays text, numbers stay numbers, and what Excel cannot hold is reported."""

from __future__ import annotations

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from cutline.models.errors import ExportError
from cutline.models.export import ROADMAP_HEADER_ROW, check_exportable, export_roadmap
from cutline.models.export.safety import (
    MAX_TEXT,
    REPLACEMENT,
    csv_safe,
    fit_text,
    is_risky,
    text_problem,
)

from tests.models import test_export_cases as case

RISKY = ['=HYPERLINK("http://evil.example","click")', "-5 flaky tests", "@mention bot",
         "+44 20 7946 0000", "-PLAT-2", "@SUM(A1)", "\tTabbed"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = tmp_path_factory.mktemp("safety") / "roadmap.xlsx"
    export_roadmap(path, [case.evaluation()], decisions=case.DECISIONS)
    return path


def cells(path):
    ws = openpyxl.load_workbook(path)["Ranked list"]
    return [c for row in ws.iter_rows(min_row=ROADMAP_HEADER_ROW + 1) for c in row if c.value is not None]


def test_text_that_looks_like_a_formula_stays_text(exported):
    found = {c.value: c for c in cells(exported) if isinstance(c.value, str) and is_risky(c.value)}
    assert set(RISKY) <= set(found)
    for text in RISKY:
        assert found[text].data_type == "s"
        assert found[text].quotePrefix  # and stays text when edited in Excel
    with zipfile.ZipFile(exported) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name)


def test_real_numbers_negative_ones_too_stay_numbers(exported):
    numbers = [c for c in cells(exported) if c.data_type == "n"]
    assert -1200.5 in [c.value for c in numbers]
    assert 1200.5 in [c.value for c in numbers]


def test_excel_escapes_and_carriage_returns_survive_a_read_back(exported):
    frame = pd.read_excel(exported, sheet_name="Ranked list", header=ROADMAP_HEADER_ROW - 1, engine="calamine")
    row = frame[frame["ID"] == "I-4"].iloc[0]
    assert row["Jira key"] == "_x0041_ literal"
    assert row["Notes"] == "line one\r\nline two"


def _troubled_portfolio():
    records = [dict(r) for r in case.RECORDS]
    records[1]["notes"] = "x" * (MAX_TEXT + 10)
    records[2]["title"] = "bell\x07 in title"
    records[3]["Jira key"] = "nul\x00key"
    records[4]["reach"] = float("inf")
    return case.portfolio(records)


def test_check_exportable_names_initiative_column_and_row():
    evaluation = case.evaluation(portfolio=_troubled_portfolio())
    issues = check_exportable([evaluation])
    found = {(i.initiative, i.column) for i in issues}
    assert found == {("I-2", "notes"), ("I-3", "title"), ("I-4", "Jira key"), ("I-5", "reach")}
    notes = next(i for i in issues if i.column == "notes")
    assert notes.location.row == 3 and notes.location.sheet == "Initiatives" and notes.row == 1
    assert "32,777 characters" in notes.problem and "32,767" in notes.problem
    assert "U+0007" in next(i for i in issues if i.column == "title").problem
    assert "infinite" in next(i for i in issues if i.column == "reach").problem
    assert "initiative 'I-2', column 'notes'" in str(notes)


def test_check_exportable_covers_scenario_texts_and_the_decision_log():
    evaluation = case.evaluation("Bad\x1bname")
    bad_log = [case.Decision("2027-01-01T00:00:00", "note", "Baseline", "esc\x1b", None, None)]
    issues = check_exportable([evaluation], decisions=bad_log)
    assert {i.column for i in issues} == {"scenario name", "summary"}
    assert {i.location.sheet for i in issues} == {"Scenarios", "Decisions"}
    assert check_exportable([case.evaluation()], decisions=case.DECISIONS) == []


def test_export_refuses_before_writing_and_lists_the_problems(tmp_path):
    path = tmp_path / "roadmap.xlsx"
    with pytest.raises(ExportError) as caught:
        export_roadmap(path, [case.evaluation(portfolio=_troubled_portfolio())])
    message = str(caught.value)
    assert "4 value(s) cannot be written to Excel" in message
    assert "'I-2', column 'notes'" in message and "replace" in message
    assert not path.exists()


def test_replacing_is_an_explicit_choice_and_every_change_is_reported(tmp_path):
    path = tmp_path / "roadmap.xlsx"
    result = export_roadmap(path, [case.evaluation(portfolio=_troubled_portfolio())], on_problem="replace")
    assert len(result.issues) == 4 and "Changed to fit Excel" in result.warnings[0]
    frame = pd.read_excel(path, sheet_name="Ranked list", header=ROADMAP_HEADER_ROW - 1, engine="calamine")
    by_id = frame.set_index("ID")
    assert len(by_id.loc["I-2", "Notes"]) == MAX_TEXT and by_id.loc["I-2", "Notes"].endswith("\u2026")
    assert by_id.loc["I-3", "Title"] == f"bell{REPLACEMENT} in title"
    assert by_id.loc["I-4", "Jira key"] == f"nul{REPLACEMENT}key"
    assert np.isnan(by_id.loc["I-5", "Reach"])


def test_a_header_named_like_a_computed_column_is_warned_about(tmp_path):
    records = [dict(r, Score="ext") for r in case.RECORDS]
    evaluation = case.evaluation(portfolio=case.portfolio(records, extras=("Score",)))
    result = export_roadmap(tmp_path / "r.xlsx", [evaluation])
    assert any("'Score'" in w and "skip" in w for w in result.warnings)


def test_small_rules():
    assert [is_risky(t) for t in ("=1", "+1", "-1", "@a", "\ta", "\ra", "a=1", " =1")] == [True] * 6 + [False] * 2
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("plain") == "plain"
    assert text_problem("fine\ttab\nnewline\rreturn") is None
    assert fit_text("a\x01b") == f"a{REPLACEMENT}b"
    assert len(fit_text("y" * (MAX_TEXT + 1))) == MAX_TEXT
