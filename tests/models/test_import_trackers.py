"""Tracker exports as the trackers write them (tests/fixtures/exports): recognised, mapped, read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cutline.models.importing import ColumnMapping, build_portfolio, read_portfolio, read_raw
from cutline.models.importing.conversions import Conversion, effort_conversion, quarter_of_date
from cutline.models.importing.suggest import effort_unit, proposed_value_maps, suggest_mapping
from cutline.models.importing.trackers import recognise
from tests.models import import_files as f

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


@pytest.mark.parametrize("name, tracker, note", [
    ("jira_all_fields.csv", "jira", "Read as a Jira export."),
    ("jira_current_fields.csv", "jira", "Read as a Jira export."),
    ("jira_plans.csv", "jira_plans", "Read as a Jira Plans export."),
    ("linear.csv", "linear", "Read as a Linear export."),
    ("azure_devops.csv", "azure_devops", "Read as an Azure DevOps export."),
    ("azure_devops_tree.csv", "azure_devops", "Read as an Azure DevOps export."),
    ("github_projects.tsv", "github_projects", "Read as a GitHub Projects export."),
])
def test_each_export_is_recognised_and_ranks_with_ids_titles_teams_and_efforts(name, tracker, note):
    result = read_portfolio(EXPORTS / name)
    p, report = result.portfolio, result.report
    assert result.raw.tracker == tracker and result.mapping.tracker == tracker
    assert report.notes[0] == note and report.format_text().startswith(note)
    assert report.rows_imported == report.rows_read > 10  # no row dropped
    assert (p.text("id") != "").all() and (p.text("title") != "").all()
    assert (p.text("team") != "").mean() > 0.9  # Linear's sample is one team, "Platform"
    assert len(set(p.text("team"))) >= (1 if tracker == "linear" else 3)
    effort = p.numeric("effort")
    assert np.isfinite(effort).mean() > 0.6 and np.nanmin(effort) > 0
    assert not any("are both named" in i.message for i in report.issues)  # repeated columns are lists


def test_jira_all_fields_maps_story_points_team_links_and_due_dates():
    result = read_portfolio(EXPORTS / "jira_all_fields.csv")
    m, p = result.mapping, result.portfolio
    assert m.mapped()["id"] == "Issue key" and m.mapped()["title"] == "Summary"
    assert m.mapped()["team"] == "Custom field (Team)"
    assert m.mapped()["effort"] == "Custom field (Story Points)"
    assert m.conversion("effort") == effort_conversion("points")
    assert m.headers_of("depends_on") == ("Inward issue link (Blocks)",)
    assert m.headers_of("blocks") == ("Outward issue link (Blocks)",)
    raw = read_raw(EXPORTS / "jira_all_fields.csv")
    assert raw.headers.count("Labels") == 1 and "Labels (AA)" not in raw.headers
    points = raw.frame["Custom field (Story Points)"]
    row = int(np.flatnonzero(points.astype(str).str.strip() == "8")[0])
    assert p.numeric("effort")[row] == 4.0  # 8 points x 0.5 person-weeks
    assert p.frame["Custom field (Story Points)"].tolist()[row] in ("8", 8)  # kept as written
    assert set(p.text("quarter")) - {""} <= {f"{y}-Q{q}" for y in (2026, 2027, 2028) for q in range(1, 5)}


def test_jira_outward_blocks_links_become_the_blocked_issues_dependencies(tmp_path):
    header = ["Summary", "Issue key", "Issue id", "Issue Type", "Custom field (Team)", "Custom field (Story Points)",
              "Inward issue link (Blocks)", "Outward issue link (Blocks)", "Outward issue link (Blocks)"]
    rows = [header,
            ["Base", "P-1", "1", "Epic", "Core", "3", "", "P-2", "P-3"],
            ["Next", "P-2", "2", "Story", "Apps", "5", "P-1", "", ""],
            ["Then", "P-3", "3", "Story", "Apps", "2", "", "P-9", ""]]
    result = read_portfolio(f.write_csv(tmp_path / "jira.csv", rows))
    p = result.portfolio
    assert p.text("depends_on").tolist() == ["", "P-1", "P-1"]  # both directions merge, each link once
    missing = [i for i in result.report.warnings if i.value == "P-9"]
    assert missing and "P-9" in missing[0].message and missing[0].location.column == "Outward issue link (Blocks)"


def test_azure_devops_team_from_area_path_risk_words_and_bom():
    assert (EXPORTS / "azure_devops.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_portfolio(EXPORTS / "azure_devops.csv")
    p, raw = result.portfolio, result.raw
    assert "ID" in raw.headers  # the BOM is not part of the first header
    assert not any("\\" in t for t in p.text("team"))
    assert result.mapping.conversion("risk").words == {"1 - High": 8.0, "2 - Medium": 5.0, "3 - Low": 2.0}
    written = raw.frame["Risk"].astype(str).str.strip().tolist()
    risk = p.numeric("risk")
    for text, value in zip(written, risk):
        if text in ("1 - High", "2 - Medium", "3 - Low"):
            assert value == {"1 - High": 8, "2 - Medium": 5, "3 - Low": 2}[text]


def test_azure_devops_tree_query_reads_the_deepest_title():
    result = read_portfolio(EXPORTS / "azure_devops_tree.csv")
    raw, p = result.raw, result.portfolio
    levels = [raw.frame[h].fillna("").astype(str).str.strip() for h in ("Title 1", "Title 2", "Title 3")]
    for i, title in enumerate(p.text("title")):
        deepest = [lv.iloc[i] for lv in levels if lv.iloc[i]][-1]
        assert title == deepest


def test_github_projects_ids_from_urls_and_sizes_in_person_weeks():
    result = read_portfolio(EXPORTS / "github_projects.tsv")
    p, raw = result.portfolio, result.raw
    ids = [i for i in p.text("id") if not i.startswith("R")]
    assert ids and all("#" in i for i in ids)
    sizes = raw.frame["Size"].fillna("").astype(str).str.strip().tolist()
    table = {"XS": 1, "S": 2, "M": 5, "L": 10, "XL": 20}
    for size, effort in zip(sizes, p.numeric("effort")):
        if size in table:
            assert effort == table[size]


def test_a_pm_sheet_of_sizes_and_words(tmp_path):
    for name in ("pm_sheet_words.xlsx", "pm_sheet_words.csv"):
        result = read_portfolio(EXPORTS / name)
        p, report, m = result.portfolio, result.report, result.mapping
        assert m.tracker == "" and report.rows_imported == report.rows_read
        assert m.conversion("effort").unit == "sizes"
        assert m.conversion("confidence").words == {"High": 1.0, "Medium": 0.8, "Low": 0.5}
        assert m.conversion("risk").words == {"High": 8.0, "Medium": 5.0, "Low": 2.0}
        assert np.isfinite(p.numeric("risk")).all() and np.isfinite(p.numeric("impact")).all()
        assert report.cells_left_blank >= 1  # "TBD" is flagged and left blank, its row kept
        assert any("named by title" in n for n in report.notes)
        assert any(d.startswith("R") for d in p.text("depends_on") if d)
        assert "Priority" in proposed_value_maps(result.raw, m)  # MoSCoW words can become a criterion


def test_the_user_sets_the_units_and_the_words(tmp_path):
    path = f.write_csv(tmp_path / "t.csv", [["ID", "Effort (story points)", "Risk"], ["I-1", "8", "Hi"],
                                           ["I-2", "3", "Lo"]])
    raw = read_raw(path)
    mapping = suggest_mapping(raw)
    assert mapping.conversion("effort").unit == "points"
    assert read_portfolio(path).report.cells_left_blank == 2  # "Hi" and "Lo" are no known words
    mapping = mapping.with_conversion("effort", effort_conversion("points", 1.0)).with_conversion(
        "risk", Conversion({"hi": 9, "lo": 1}))
    p, report = build_portfolio(raw, mapping)
    assert p.numeric("effort").tolist() == [8, 3] and p.numeric("risk").tolist() == [9, 1]
    assert not report.issues and p.frame["Risk"].tolist() == ["Hi", "Lo"]  # the words are kept too
    again = ColumnMapping.from_dict(mapping.to_dict())
    assert again == mapping and again.to_dict()["version"] == 2


def test_a_version_1_mapping_still_reads():
    old = {"version": 1, "headers_key": "h1-x", "columns": [
        {"header": "Key", "field": "id", "ignored": False}, {"header": "Size", "field": "effort", "ignored": False}]}
    mapping = ColumnMapping.from_dict(old)
    assert mapping.mapped() == {"id": "Key", "effort": "Size"} and not mapping.conversions


@pytest.mark.parametrize("header, unit", [
    ("Effort", "person-weeks"), ("Effort (days)", "person-days"), ("Estimates (d)", "person-days"),
    ("Custom field (Story Points)", "points"), ("Hours", "hours"), ("Effort (person-weeks)", "person-weeks"),
])
def test_effort_unit_from_the_header(header, unit):
    assert effort_unit(header) == unit


@pytest.mark.parametrize("text, quarter", [
    ("2027-02-14", "2027-Q1"), ("03/Dec/26 9:15 AM", "2026-Q4"), ("Q3 2027", "2027-Q3"), ("2027-Q2", "2027-Q2"),
    ("2027 Q4", "2027-Q4"), ("someday", "someday"), ("12/31/2026", "2026-Q4"),
    ("01/07/2027", "2027-Q1"), ("31.03.2027", "2027-Q1"), ("01.07.2027", "2027-Q3"), ("31/12/26", "2026-Q4"),
    ("2027/08/31", "2027-Q3"), ("Jan 2027", "2027-Q1"), ("September 2027", "2027-Q3"),
    ("Mar 15, 2027", "2027-Q1"), ("15 Oct 2027", "2027-Q4"), ("2027-Q5", "2027-Q5"),
])
def test_dates_become_quarters(text, quarter):
    assert quarter_of_date(text) == quarter


def test_a_column_that_writes_its_day_first_is_read_day_first_throughout():
    from cutline.models.importing.conversions import apply_rule

    day_first = np.array(["31/12/2026", "15/05/2027", "01/07/2027", "03/04/2027", "", "Q1 2028"], dtype=object)
    assert apply_rule("quarter_of_date", day_first).tolist() == [
        "2026-Q4", "2027-Q2", "2027-Q3", "2027-Q2", "", "2028-Q1"]
    month_first = np.array(["12/31/2026", "05/15/2027", "01/07/2027", "03/04/2027"], dtype=object)
    assert apply_rule("quarter_of_date", month_first).tolist() == ["2026-Q4", "2027-Q2", "2027-Q1", "2027-Q1"]
    # No day above 12 either way: a slash is month first (as the United States writes it).
    assert apply_rule("quarter_of_date", np.array(["01/07/2027"], dtype=object)).tolist() == ["2027-Q1"]


def test_a_european_csv_with_day_first_due_dates_gets_the_right_quarters(tmp_path):
    path = tmp_path / "dmy.csv"
    path.write_text("ID;Title;Effort;Due\nA;a;1;31/12/2026\nB;b;2;15/05/2027\nC;c;3;01/07/2027\n"
                    "D;d;4;03/04/2027\n", encoding="utf-8")
    portfolio = read_portfolio(path).portfolio
    assert portfolio.text("quarter").tolist() == ["2026-Q4", "2027-Q2", "2027-Q3", "2027-Q2"]


def test_an_ordinary_sheet_is_no_tracker_export():
    assert recognise(["ID", "Title", "Team", "Effort"]) is None
    assert recognise(["Summary", "Issue key", "Status"]).key == "jira"


def test_a_template_that_cannot_score_the_file_is_never_proposed(tmp_path):
    from cutline.models.scoring.coverage import best_template, can_score
    from cutline.models.scoring.templates import shipped_template

    path = f.write_csv(tmp_path / "t.csv", [["ID", "Title", "Impact", "Effort", "Risk"],
                                           ["I-1", "A", "high", "3", "2"], ["I-2", "B", "low", "8", "7"]])
    portfolio = read_portfolio(path).portfolio
    assert not can_score(shipped_template("weighted_scoring"), portfolio)  # no Strategic alignment
    assert best_template(portfolio) != "weighted_scoring"


def test_ids_that_differ_only_by_invisible_characters_are_one_id(tmp_path):
    rows = [["ID", "Title", "Depends on"], ["PLT-1", "A", ""], ["PLT-1\u200b", "B", ""], ["PLT-2\ufeff", "C", "PLT-1\u200b"],
            ["PLT-3\u00a0", "D", ""]]
    result = read_portfolio(f.write_csv(tmp_path / "t.csv", rows))
    p, report = result.portfolio, result.report
    assert p.ids.tolist() == ["PLT-1", "PLT-2", "PLT-3"]  # the second PLT-1 is a repeat, reported
    repeat = next(i for i in report.errors if i.location.row == 3)
    assert "also used on row 2" in repeat.message
    hidden = [i for i in report.warnings if "invisible" in i.message]
    assert len(hidden) == 2 and "U+200B" in hidden[0].message  # a no-break space is trimmed as a space
    assert p.text("depends_on").tolist() == ["", "PLT-1", ""]


# -- found in review -------------------------------------------------------------------------------
def _read(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_portfolio(path)


def test_a_cycle_made_of_blocks_links_alone_is_found(tmp_path):
    result = _read(tmp_path, "Summary,Issue key,Outward issue link (Blocks),Custom field (Team)\n"
                             "A,P-1,P-2,T\nB,P-2,P-1,T\n")
    assert all("P-1 -> P-2 -> P-1" in e.message for e in result.report.errors) and result.report.errors


def test_links_and_titles_never_point_at_a_rejected_repeat(tmp_path):
    blocks = _read(tmp_path, "Summary,Issue key,Outward issue link (Blocks)\nA,P-1,P-2\nB,P-2,\nB again,P-2,\n")
    assert blocks.portfolio.text("depends_on").tolist() == ["", "P-1"]
    titles = _read(tmp_path, "id,title,depends on\nX-1,Login,\nX-1,Billing,\nX-2,Report,Billing\n", "u.csv")
    assert titles.portfolio.text("depends_on").tolist() == ["", "Billing"]  # not X-1, which is Login


def test_a_column_named_like_a_field_beside_its_lookalike_still_opens(tmp_path):
    for text in ("id,title,Effort (days),effort\nA,a,5,2\n", "ID,Title,Team,team\nA,a,X,Y\n",
                 "Summary,Issue key,Custom field (Team),team\nA,P-1,Core,Other\n"):
        result = _read(tmp_path, text)
        assert len(result.portfolio) == 1 and not result.report.errors


@pytest.mark.parametrize("header, pw", [("Effort (person-hours)", 2.0), ("Effort (man-days)", 16.0),
                                        ("Effort (person-months)", 80 * 52 / 12)])
def test_hyphenated_units_are_read(tmp_path, header, pw):
    assert _read(tmp_path, f"id,title,{header}\nA,a,80\n").portfolio.numeric("effort")[0] == pytest.approx(pw)


def test_one_size_word_in_a_column_of_days_keeps_the_days(tmp_path):
    result = _read(tmp_path, "id,title,Effort (days)\nA,a,10\nB,b,M\n")
    assert result.portfolio.numeric("effort").tolist() == [2.0, 5.0]  # 10 days; M is still 5 pw


def test_a_pm_sheet_with_an_id_and_urls_is_no_github_export(tmp_path):
    result = _read(tmp_path, "ID,Title,URL,Assignees,Depends on\nI-1,SSO,https://wiki/sso,Ann,\n"
                             "I-2,Audit,https://wiki/audit,Bob,I-1\n")
    assert result.portfolio.ids.tolist() == ["I-1", "I-2"] and result.mapping.tracker == ""


def test_a_blank_row_is_nobody_s_repeat(tmp_path):
    assert _read(tmp_path, "id,title,effort\nA,a,1\n  ,  ,  \nR3,real,2\n").portfolio.ids.tolist() == ["A", "R3"]


def test_a_saved_mapping_learns_the_words_of_the_next_file(tmp_path):
    from cutline.models.importing.suggest import with_new_words

    first = _read(tmp_path, "id,title,T-shirt size,Risk\nA,a,M,High\nB,b,L,Low\n", "jan.csv")
    saved = ColumnMapping.from_dict(first.mapping.to_dict()).with_conversion(
        "risk", Conversion({"High": 9.0, "Low": 1.0}))
    feb = tmp_path / "feb.csv"
    feb.write_text("id,title,T-shirt size,Risk\nA,a,XL,Medium\nB,b,S,High\n", encoding="utf-8")
    mapping = with_new_words(read_raw(feb), saved)
    p, report = build_portfolio(read_raw(feb), mapping)
    assert p.numeric("effort").tolist() == [20.0, 2.0] and p.numeric("risk").tolist() == [5.0, 9.0]
    assert report.cells_left_blank == 0


def test_a_team_from_components_or_a_repository_is_one_team(tmp_path):
    jira = _read(tmp_path, "Summary,Issue key,Component/s,Component/s\nA,P-1,Identity,Data\nB,P-2,Data,\n")
    assert jira.portfolio.text("team").tolist() == ["Identity", "Data"]
    github = _read(tmp_path, "Title\tURL\tRepository\tAssignees\nA\thttps://github.com/acme/platform/issues/1\t"
                             "acme/platform\tAnn\n", "gh.tsv")
    assert github.portfolio.text("team").tolist() == ["platform"]


def test_a_repeated_number_column_keeps_its_first_number(tmp_path):
    result = _read(tmp_path, "Summary,Issue key,Custom field (Story Points),Custom field (Story Points),Labels,Labels\n"
                             "A,P-1,,6,x,y\nB,P-2,4,8,z,\n")
    assert result.portfolio.numeric("effort").tolist() == [3.0, 2.0]  # 6 and 4 points, not "4, 8"
    assert result.portfolio.frame["Labels"].tolist() == ["x, y", "z"]


@pytest.mark.parametrize(("name", "field", "header"), [
    ("github_projects.tsv", "id", "URL"), ("github_projects.tsv", "quarter", "Target date"),
    ("azure_devops.csv", "team", "Area Path"), ("jira_all_fields.csv", "quarter", "Due date"),
])
def test_a_text_field_read_through_a_rule_keeps_its_cells_as_written(name, field, header):
    """An issue URL read as platform#12, a date read as its quarter, an area path read as its
    last part: the cells as the tracker wrote them stay in an extra column under their header."""
    from cutline.models.portfolio.inputs import initiative_inputs
    from cutline.models.scoring.model import default_model

    result = read_portfolio(EXPORTS / name)
    copy = f"{header} (as written)"  # named so that, read back, it is not taken for the field
    assert result.mapping.conversions[field].rule and copy in result.portfolio.extra_columns
    raw = result.raw.frame[header].tolist()  # every row of these files is an initiative
    kept = result.portfolio.frame[copy].tolist()
    converted = result.portfolio.text(field).tolist()
    assert any(k is not None and str(k) != c for k, c in zip(kept, converted, strict=True))
    assert [None if v is None or v != v else v for v in raw] == kept
    inputs = initiative_inputs(result.portfolio, default_model(), result.mapping.to_dict())
    assert [row["as_written"][field] for row in inputs] == [None if k is None else str(k) for k in kept]


@pytest.mark.parametrize(("headers", "key"), [
    (["Title", "URL", "Status", "Labels", "Size", "Target date"], "github_projects"),
    (["Title", "URL", "Milestone"], "github_projects"),
    (["Title", "URL", "Iteration", "Estimate"], "github_projects"),
    (["Title", "URL", "Status"], None),  # nothing of GitHub's own: a PM's list of links
    (["ID", "Title", "URL", "Labels"], None),  # an id column: a PM's own sheet
])
def test_a_github_view_is_recognised_by_any_of_its_own_fields(headers, key):
    """GitHub exports the view's visible columns only: Assignees or Repository may be hidden."""
    found = recognise(headers)
    assert (found.key if found else None) == key


def test_a_github_view_with_a_draft_item_reads_the_urls_as_ids(tmp_path):
    path = tmp_path / "view.tsv"
    path.write_text("Title\tURL\tStatus\tLabels\tSize\tTarget date\n"
                    "Ship SSO\thttps://github.com/acme/platform/issues/1184\tTodo\tsecurity\tM\t2026-12-15\n"
                    "Draft idea\t\tTodo\t\tS\t\n")
    result = read_portfolio(path)
    assert result.raw.tracker == "github_projects"
    assert result.portfolio.ids.tolist()[0] == "platform#1184"
    assert result.portfolio.text("quarter").tolist()[0] == "2026-Q4"
    assert result.portfolio.numeric("effort").tolist() == [5.0, 2.0]
    assert result.portfolio.ids.tolist()[1]  # a draft has no URL: it still gets an id of its own


def test_a_due_cell_written_like_a_quarter_or_date_that_is_not_one_is_warned_of(tmp_path):
    path = tmp_path / "due.csv"
    path.write_text("ID,Title,Due\nA,a,2027-Q5\nB,b,31/02/2027\nC,c,Later\nD,d,2027/03/31\n"
                    "E,e,Jan 2027\nF,f,2027-13-01\nG,g,Q1 2028\nH,h,\n")
    result = read_portfolio(path)
    assert result.portfolio.text("quarter").tolist()[3:7] == ["2027-Q1", "2027-Q1", "2027-13-01", "2028-Q1"]
    warned = {(i.location.row, i.location.column): i.message for i in result.report.issues
              if "looks like a quarter or a date" in i.message}
    assert sorted(warned) == [(2, "Due"), (3, "Due"), (7, "Due")]  # not 'Later', not the blank
    assert warned[(2, "Due")].startswith("'2027-Q5' looks like a quarter or a date but is not one")
    assert len(result.portfolio) == 8  # a warning: every row is imported
