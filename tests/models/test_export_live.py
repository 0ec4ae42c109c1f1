"""Live formulas: the Roadmap's scores as formulas that give Cutline's numbers and follow the weights."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import numpy as np
import openpyxl
import pytest
from cutline.models.export import ROADMAP_HEADER_ROW, export_roadmap

from tests.models import test_export_cases as case
from tests.models.test_export_workbook import FIRST, column

_REF = re.compile(r"(?:(\w+)!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


class Formulas:
    """Evaluates the few formula shapes the export writes (cell refs, ranges, SUM, IF, + - * /)."""

    def __init__(self, workbook):
        self.workbook = workbook

    def value(self, sheet: str, coordinate: str) -> float:
        value = self.workbook[sheet][coordinate].value
        if isinstance(value, str) and value.startswith("="):
            return self.evaluate(sheet, value[1:])
        return 0.0 if value is None else value

    def evaluate(self, sheet: str, formula: str) -> float:
        def reference(m: re.Match) -> str:
            name = m.group(1) or sheet
            if m.group(4):
                return f"cells({name!r}, '{m.group(2)}{m.group(3)}', '{m.group(4)}{m.group(5)}')"
            return f"cell({name!r}, '{m.group(2)}{m.group(3)}')"

        python = re.sub(r"(?<![<>=!])=(?!=)", "==", _REF.sub(reference, formula))
        names = {
            "cell": self.value,
            "cells": lambda s, a, b: [self.value(s, c.coordinate) for row in self.workbook[s][a:b] for c in row],
            "SUM": lambda *args: sum(sum(a) if isinstance(a, list) else a for a in args),
            "IF": lambda test, yes, no: yes if test else no,
        }
        return eval(python, {"__builtins__": {}}, names)  # noqa: S307 - our own formulas only


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "live.xlsx"
    evaluation = case.scored()
    result = export_roadmap(path, [evaluation], live_formulas=True, columns="all")
    assert result.warnings == []
    return path, evaluation


def test_formula_text_points_at_the_right_cells(live):
    path, evaluation = live
    wb = openpyxl.load_workbook(path)
    ws, model, normalised = wb["Ranked list"], wb["Model"], wb["Normalised"]
    assert ws[f"C{FIRST}"].value == f"=SUM(L{FIRST}:M{FIRST})"  # the Points columns
    reliability = ws[f"{column(ws, 'Points: reliability')}{FIRST}"].value
    match = re.fullmatch(r"=100\*Normalised!([A-Z]+)(\d+)\*Model!\$D\$(\d+)", reliability)
    assert match, reliability
    letter, row, share_row = match.group(1), int(match.group(2)), int(match.group(3))
    assert row == FIRST and normalised[f"B{row}"].value == ws[f"{column(ws, 'ID')}{row}"].value
    assert normalised[f"{letter}{ROADMAP_HEADER_ROW}"].value == "reliability"
    assert model[f"A{share_row}"].value == "reliability"
    assert model[f"D{share_row - 1}"].value == "Share of total weight"
    assert model[f"D{share_row}"].value.startswith("=IF(SUM($C$")
    top = evaluation.ranking.order[0]
    assert normalised[f"{letter}{row}"].value == evaluation.ranking.normalised[top, 0]


def _scores(wb) -> dict[str, float]:
    ws = wb["Ranked list"]
    formulas, ident = Formulas(wb), column(ws, "ID")
    return {ws[f"{ident}{r}"].value: formulas.value("Ranked list", f"C{r}") for r in range(FIRST, ws.max_row + 1)}


def test_formulas_give_cutlines_scores_and_carry_them_as_cached_values(live):
    path, evaluation = live
    ids = evaluation.portfolio.ids
    expected = dict(zip(ids, evaluation.ranking.score))
    computed = _scores(openpyxl.load_workbook(path))
    assert computed.keys() == expected.keys()
    assert all(abs(computed[i] - expected[i]) < 1e-9 for i in ids)
    cached = openpyxl.load_workbook(path, data_only=True)["Ranked list"]
    assert [cached[f"C{r}"].value for r in range(FIRST, FIRST + 5)] == list(evaluation.ranking.score[evaluation.ranking.order])


def test_changing_a_weight_in_excel_gives_what_cutline_gives(live):
    path, _ = live
    wb = openpyxl.load_workbook(path)
    model = wb["Model"]
    row = next(r for r in range(1, model.max_row + 1) if model[f"A{r}"].value == "reliability")
    model[f"C{row}"].value = 1.0  # reliability 3 -> 1, effort stays 1
    reweighted = case.scored(weights=(1.0, 1.0))
    expected = dict(zip(reweighted.portfolio.ids, reweighted.ranking.score))
    computed = _scores(wb)
    assert all(abs(computed[i] - expected[i]) < 1e-9 for i in expected)
    assert computed["I-1"] == pytest.approx(82.5)  # 50 × 0.9 + 50 × 0.75, by hand


def test_no_criteria_means_no_formulas(tmp_path):
    ranking = replace(case.ranking(), criteria=(), raw=np.zeros((5, 0)), normalised=np.zeros((5, 0)),
                      contributions=np.zeros((5, 0)), unrated=np.zeros((5, 0), bool), score=np.zeros(5))
    export_roadmap(tmp_path / "r.xlsx", [case.evaluation(ranking=ranking)], live_formulas=True, columns="all")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "Normalised" not in wb.sheetnames and wb["Ranked list"][f"C{FIRST}"].value == 0


def test_a_ranking_the_formulas_cannot_reproduce_is_warned_about(tmp_path):
    contributions = case.CONTRIBUTIONS.copy()
    contributions[0, 0] += 1.0
    ranking = replace(case.ranking(), contributions=contributions)
    result = export_roadmap(tmp_path / "r.xlsx", [case.evaluation(ranking=ranking)], live_formulas=True, columns="all")
    assert any("do not reproduce" in w and "reliability" in w for w in result.warnings)


def _without_cached_values(source, target) -> None:
    """A copy whose formula cells carry no cached result, so a spreadsheet must compute them."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", data)
            dst.writestr(info.filename, data)


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed, so no spreadsheet program can evaluate the formulas here")
def test_libreoffice_computes_the_same_scores(live, tmp_path):
    path, evaluation = live
    bare = tmp_path / "bare.xlsx"
    _without_cached_values(path, bare)
    out = tmp_path / "out"
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"  # no clash with a running office
    subprocess.run(["soffice", profile, "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(bare)],
                   check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(out / "bare.xlsx", data_only=True)["Ranked list"]
    computed = [ws[f"C{r}"].value for r in range(FIRST, FIRST + len(evaluation.ranking.order))]
    assert np.allclose(computed, evaluation.ranking.score[evaluation.ranking.order], atol=1e-9)
