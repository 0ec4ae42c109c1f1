"""The exported workbook as a handout and its round trip: the one-page Roadmap first and funded
only, every sheet one page wide with readable type, the default column set, and
`cutline rank exported.xlsx --json` giving the same ids, scores and funded set as the original."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import sample_path
from cutline.models.export.columns import DEFAULT_KEYS, ROADMAP_HEADER_ROW
from cutline.models.export.printing import fit_scale
from cutline.models.export.roadmap_page import SHEET as ROADMAP
from cutline.models.export.roadmap_sheet import SHEET as RANKED

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
DEFAULT_HEADERS = ["Rank", "ID", "Title", "Team", "Category", "Score", "Funded", "Planned quarter", "Finishes",
                   "Reason"]
CAPACITY = "team,quarter,capacity\nIdentity,2027-Q1,4\nIdentity,2027-Q2,3\nData,2027-Q1,2\n" \
           "Observability,2027-Q1,5\nObservability,2027-Q2,5\n,2027-Q2,3\n"
#: Type on the sheets is 10 pt; printed one page wide it must stay 9 pt or more.
BODY_PT, READABLE_PT = 10, 9


def rank_json(capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["rank", *map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def essentials(data: dict) -> list[tuple]:
    return [(i["id"], round(i["score"], 9), i["funded"]) for i in data["initiatives"]]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, list]:
    """The sample (its own Capacity sheet) and a Jira export with a capacity file (a pool row too)."""
    folder = tmp_path_factory.mktemp("handout")
    capacity = folder / "capacity.csv"
    capacity.write_text(CAPACITY)
    return {"sample": [sample_path()], "jira": [EXPORTS / "jira_all_fields.csv", "--capacity", capacity]}


@pytest.fixture(scope="module", params=["sample", "jira"])
def exported(request, sources, tmp_path_factory):
    args = sources[request.param]
    out = tmp_path_factory.mktemp("out") / f"{request.param}.xlsx"
    assert main(["rank", *map(str, args), "-o", str(out)]) == 0
    return request.param, args, out


@pytest.mark.slow
def test_the_round_trip_gives_the_same_ids_scores_funding_and_capacity(exported, capsys):
    _, args, out = exported
    before = rank_json(capsys, *args)
    after = rank_json(capsys, out)  # no --sheet, no --capacity: the export holds both
    assert essentials(after) == essentials(before)
    assert after["utilisation"] == before["utilisation"]
    assert sum(i["funded"] for i in after["initiatives"]) > 0
    strip = [{k: v for k, v in i["inputs"].items() if k != "as_written"} for i in before["initiatives"]]
    assert strip == [{k: v for k, v in i["inputs"].items() if k != "as_written"} for i in after["initiatives"]]


def test_the_one_page_roadmap_comes_first_and_holds_funded_work_only(exported, capsys):
    _, args, out = exported
    funded = {i["id"] for i in rank_json(capsys, *args)["initiatives"] if i["funded"]}
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == [ROADMAP, RANKED]
    ws = book[ROADMAP]
    setup = ws.page_setup
    assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$3:$3"
    quarters = [c.value for c in ws[3]][1:]
    assert quarters and all(re.fullmatch(r"\d{4}-Q[1-4]", q) for q in quarters)
    text = "\n".join(str(c.value) for row in ws.iter_rows(min_row=4) for c in row[1:] if c.value)
    named = set(re.findall(r"^(\S+) ", text, re.M)) - {"+"}
    assert named and named <= funded
    if "more (see the Ranked list)" not in text:
        assert named == funded
    assert fit_scale(ws) * BODY_PT >= READABLE_PT


def test_every_sheet_prints_one_page_wide_with_readable_type(exported):
    _, _, out = exported
    for ws in openpyxl.load_workbook(out).worksheets:
        setup = ws.page_setup
        assert setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.orientation == "landscape" and ws.print_area, ws.title
        assert fit_scale(ws) * BODY_PT >= READABLE_PT - 1e-9, (ws.title, fit_scale(ws))


@pytest.mark.slow
def test_the_ranked_list_shows_the_default_columns_and_keeps_the_rest_hidden(exported):
    name, _, out = exported
    ws = openpyxl.load_workbook(out)[RANKED]
    headers = [c.value for c in ws[ROADMAP_HEADER_ROW]]
    hidden = {c.value for c in ws[ROADMAP_HEADER_ROW] if ws.column_dimensions[c.column_letter].hidden}
    assert headers[:len(DEFAULT_KEYS)] == DEFAULT_HEADERS and not hidden & set(DEFAULT_HEADERS)
    assert {"Tier", "Reach", "Effort", "Points: reliability"} <= hidden
    assert len(headers) > 30 if name == "jira" else True  # every extra column is still in the file
    assert ws.print_title_rows == f"${ROADMAP_HEADER_ROW}:${ROADMAP_HEADER_ROW}"
    assert ws.print_area.endswith(f"$J${ws.max_row}")  # the shown columns only


@pytest.mark.slow
def test_chosen_columns_in_their_order_and_every_column_on_request(tmp_path, capsys):
    out = tmp_path / "chosen.xlsx"
    assert main(["rank", str(sample_path()), "-o", str(out), "--columns", "id,title,score,reach"]) == 0
    ws = openpyxl.load_workbook(out)[RANKED]
    shown = [c.value for c in ws[ROADMAP_HEADER_ROW] if not ws.column_dimensions[c.column_letter].hidden]
    assert shown == ["ID", "Title", "Score", "Reach"]
    every = tmp_path / "every.xlsx"
    assert main(["rank", str(sample_path()), "-o", str(every), "--all-columns"]) == 0
    ws = openpyxl.load_workbook(every)[RANKED]
    assert not any(d.hidden for d in ws.column_dimensions.values())
    capsys.readouterr()
    assert main(["rank", str(sample_path()), "-o", str(out), "--columns", "id,nonsense"]) == 2
    assert "no column 'nonsense'" in capsys.readouterr().err


@pytest.mark.slow
def test_sensitivity_is_exported_as_columns(tmp_path, capsys):
    out = tmp_path / "sure.xlsx"
    assert main(["rank", str(sample_path()), "--sensitivity", "--draws", "50", "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)[RANKED]
    headers = [c.value for c in ws[ROADMAP_HEADER_ROW]]
    assert headers[len(DEFAULT_KEYS):len(DEFAULT_KEYS) + 3] == ["Funded in draws", "Rank p5", "Rank p95"]
    share = headers.index("Funded in draws") + 1
    values = [ws.cell(r, share).value for r in range(ROADMAP_HEADER_ROW + 1, ws.max_row + 1)]
    assert all(0 <= v <= 1 for v in values) and ws.cell(ROADMAP_HEADER_ROW + 1, share).number_format == "0%"
    assert fit_scale(ws) * BODY_PT >= READABLE_PT - 1e-9
    back = rank_json(capsys, out)  # the sensitivity columns are computed: a read back drops them
    assert "Funded in draws" not in json.dumps(back["mapping"])


def test_wrapped_rows_on_the_model_sheet_have_their_height(exported):
    """LibreOffice does not grow a row for wrapped text on opening: every row whose wrapped text
    is longer than its column has a height of its own."""
    _, _, out = exported
    ws = openpyxl.load_workbook(out)["Model"]
    for row in ws.iter_rows():
        long = [c for c in row if c.alignment.wrap_text and isinstance(c.value, str)
                and len(c.value) > (ws.column_dimensions[c.column_letter].width or 8) * 1.3]
        if long:
            assert ws.row_dimensions[row[0].row].height, (row[0].row, long[0].value)


def test_the_capacity_chart_draws_the_capacity_line(exported):
    _, _, out = exported
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<barChart>" in xml and "<lineChart>" in xml
    line = xml[xml.index("<lineChart>"):xml.index("</lineChart>")]
    assert line.count("<ser>") == 1 and "'Capacity'!$" in line


@pytest.mark.slow
def test_sheet_roadmap_of_an_export_reads_its_ranked_list(exported, capsys):
    """`--sheet Roadmap` read the list of earlier exports; in an export with a one-page Roadmap it
    still means the initiatives, so the Ranked list is read."""
    _, _, out = exported
    assert essentials(rank_json(capsys, out, "--sheet", "Roadmap")) == essentials(rank_json(capsys, out))
