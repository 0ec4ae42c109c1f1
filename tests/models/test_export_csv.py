"""The ranked list as CSV: UTF-8 with BOM, the Roadmap's columns, injection kept out."""

from __future__ import annotations

import csv
import io

import pandas as pd
from cutline.models.export import export_csv
from cutline.models.export.csv_export import number_field, value_field

from tests.models import test_export_cases as case
from tests.models.test_export_workbook import HEADER


def read(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_starts_with_a_bom_and_has_the_roadmap_header(tmp_path):
    path = tmp_path / "ranked.csv"
    result = export_csv(path, case.evaluation())
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert result.rows == 5
    rows = read(path)
    assert rows[0] == HEADER
    assert [r[HEADER.index("ID")] for r in rows[1:]] == ["I-1", "I-3", "I-2", "I-5", "I-4"]


def test_values_numbers_and_injection(tmp_path):
    path = tmp_path / "ranked.csv"
    export_csv(path, case.evaluation())
    rows = {r[HEADER.index("ID")]: dict(zip(HEADER, r)) for r in read(path)[1:]}
    assert rows["I-1"]["Rank"] == "1" and rows["I-1"]["Score"] == "86.25" and rows["I-1"]["Reach"] == "1200"
    assert rows["I-1"]["Confidence"] == "0.8" and rows["I-1"]["Due"] == "2027-03-31"
    assert rows["I-2"]["Title"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows["I-3"]["Title"] == "'-5 flaky tests"
    assert rows["I-2"]["Notes"] == "'+44 20 7946 0000"
    assert rows["I-3"]["Budget"] == "'\tTabbed"
    assert rows["I-2"]["Budget"] == "-1200.5"  # a real negative number stays a number
    assert rows["I-4"]["Notes"] == "line one\r\nline two"
    assert rows["I-5"]["Pulled in by"] == "I-1" and rows["I-4"]["Budget"] == ""


def test_pandas_reads_it_back_with_the_same_numbers(tmp_path):
    path = tmp_path / "ranked.csv"
    evaluation = case.scored()
    export_csv(path, evaluation)
    frame = pd.read_csv(path, encoding="utf-8-sig")
    order = evaluation.ranking.order
    assert frame["ID"].tolist() == list(evaluation.portfolio.ids[order])
    assert frame["Score"].round(4).tolist() == list(evaluation.ranking.score[order].round(4))
    assert frame["Effort"].tolist() == list(evaluation.portfolio.numeric("effort")[order])


def test_field_formatting():
    assert [number_field(v) for v in (3.0, 0.1, -2.5, float("nan"), 1e20)] == ["3", "0.1", "-2.5", "", "1e+20"]
    assert [value_field(v) for v in (None, True, 7, "@x", float("nan"))] == ["", "TRUE", "7", "'@x", ""]
