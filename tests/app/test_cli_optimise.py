"""`cutline optimise`: text and JSON on the sample and on a tracker export, exit statuses."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import load_path, sample_path

SAMPLE = str(sample_path())


def test_text_on_the_sample(capsys):
    assert main(["optimise", SAMPLE, "--time-limit", "20"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Best plan for scenario Default: optimal (proven), ")
    assert lines[1].startswith("Total score 1931.5 (the walk: 1923.5, +7.9); person-weeks used ")
    assert lines[2].startswith("Tier by tier, tier 1 first: tier 1 1179.7 (walk 1144.3)")
    assert "Against the walk (" in out
    assert any(" to fund " in line for line in lines)
    assert "Funded in the best plan:" in out and "(added)" in out
    assert lines[-1].endswith("by the walk.")


def test_json_on_the_sample(capsys):
    assert main(["optimise", SAMPLE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal" and data["gap"] == 0
    assert data["objective"] >= data["walk_objective"] - 1 or data["tier_objectives"] >= data["walk_tier_objectives"]
    assert set(data["comparison"]) >= {"adds", "drops", "swaps"}
    first = data["initiatives"][0]
    assert {"id", "funded", "quarter", "quarters", "finish_quarter", "due_quarter", "late"} <= set(first)
    funded = [i for i in data["initiatives"] if i["funded"]]
    assert funded and all(i["quarters"] and i["quarter"] == i["quarters"][0]["quarter"] for i in funded)
    assert {i["id"] for i in data["initiatives"] if i["funded"] and not i["walk_funded"]} == set(data["comparison"]["adds"])


def test_a_tracker_export_with_a_capacity_file(tmp_path, capsys):
    capacity = tmp_path / "capacity.csv"
    capacity.write_text("team,quarter,capacity\n*,2027-Q1,20\n*,2027-Q2,20\n", encoding="utf-8")
    assert main(["optimise", "tests/fixtures/exports/jira_all_fields.csv", "--capacity", str(capacity),
                 "--json", "--ignore-tiers"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "optimal" and data["respect_tiers"] is False
    assert data["objective"] >= data["walk_objective"] - 1e-6
    assert any(i["funded"] for i in data["initiatives"])


def test_infeasible_constraints_exit_4_with_the_words(tmp_path, capsys):
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    workshop = load_path(sample_path(), read_only=True).workshop
    portfolio = workshop.portfolio
    no_effort = portfolio.ids[0]
    scenario = workshop.current_scenario()
    scenario = replace(scenario, overrides=scenario.overrides.with_pin(no_effort, True)
                       .with_input(no_effort, "effort", ""))
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, Workshop(portfolio, (scenario,), scenario.name)).close()
    assert main(["optimise", str(path)]) == 4
    out = capsys.readouterr().out
    assert f"Pinned-in {no_effort} cannot be funded: it has no effort estimate." in out
    assert "The walk's plan stands" in out


@pytest.mark.parametrize("limit", ["0", "abc", "-1"])
def test_a_bad_time_limit_is_a_usage_error(limit, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["optimise", SAMPLE, "--time-limit", limit])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--time-limit" in err and ("seconds" in err or "time limit" in err)


def test_a_missing_file_is_one_message(tmp_path, capsys):
    assert main(["optimise", str(tmp_path / "none.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cutline: ") and "Traceback" not in err


# -- --adopt: the best plan as a new scenario of a workshop file ---------------------------------
def _sample_workshop(tmp_path):
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "sample.cutline"
    WorkshopFile.create(path, load_path(sample_path(), read_only=True).workshop).close()
    return path


def test_adopt_adds_a_scenario_whose_walk_is_the_best_plan(tmp_path, capsys):
    from cutline.models.scenarios.pipeline import evaluate
    from cutline.models.workshop.file import WorkshopFile

    path = _sample_workshop(tmp_path)
    assert main(["optimise", str(path), "--adopt", "Best plan", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["adopted"]["scenario"] == "Best plan" and data["adopted"]["reproduces"] is True
    planned = {i["id"]: i["quarter"] for i in data["initiatives"] if i["funded"]}
    with WorkshopFile.open(path, read_only=True) as file:
        workshop = file.workshop
        last = file.journal()[-1]
    assert workshop.scenario_names == ("Default", "Best plan") and workshop.current == "Default"
    assert last.kind == "scenario" and last.new == "Best plan" and "best plan of Default" in last.summary
    evaluation = evaluate(workshop.portfolio, workshop.scenario("Best plan"))
    a = evaluation.allocation
    ids = workshop.portfolio.ids
    walked = {ids[r]: a.quarters[a.quarter[r]] for r in range(len(ids)) if a.funded[r]}
    assert walked == planned  # the same 45 initiatives, each from the same quarter
    assert float(evaluation.ranking.score[a.funded].sum()) == pytest.approx(data["objective"])


def test_adopt_in_words(tmp_path, capsys):
    path = _sample_workshop(tmp_path)
    assert main(["optimise", str(path), "--adopt", "Best plan"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("Added scenario Best plan to sample.cutline: its walk funds exactly the best "
                           "plan's initiatives, in the best plan's quarters, for a total score of 1931.5.")


def test_adopt_refuses_a_spreadsheet_before_solving(capsys):
    assert main(["optimise", SAMPLE, "--adopt", "Best plan"]) == 2
    err = capsys.readouterr().err
    assert "is a spreadsheet" in err and "cutline import" in err


@pytest.mark.parametrize("name", ["Default", "default", "  "])
def test_adopt_refuses_a_name_taken_or_blank_and_changes_nothing(tmp_path, capsys, name):
    from cutline.models.workshop.file import WorkshopFile

    path = _sample_workshop(tmp_path)
    with WorkshopFile.open(path, read_only=True) as file:
        entries = len(file.journal())
    assert main(["optimise", str(path), "--adopt", name]) == 2
    err = capsys.readouterr().err
    assert ("already has a scenario" in err) if name.strip() else ("needs the name" in err)
    with WorkshopFile.open(path, read_only=True) as file:
        assert file.workshop.scenario_names == ("Default",) and len(file.journal()) == entries


def test_adopt_refuses_a_workshop_open_elsewhere(tmp_path, capsys):
    from cutline.models.workshop.file import WorkshopFile

    path = _sample_workshop(tmp_path)
    with WorkshopFile.open(path):  # the GUI holding it
        assert main(["optimise", str(path), "--adopt", "Best plan"]) == 2
    err = capsys.readouterr().err
    assert "cannot be added to sample.cutline" in err and "If it is open in Cutline, close it first" in err
    with WorkshopFile.open(path, read_only=True) as file:
        assert file.workshop.scenario_names == ("Default",)


def test_adopt_adds_nothing_when_the_constraints_cannot_hold(tmp_path, capsys):
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    workshop = load_path(sample_path(), read_only=True).workshop
    no_effort = workshop.portfolio.ids[0]
    scenario = workshop.current_scenario()
    scenario = replace(scenario, overrides=scenario.overrides.with_pin(no_effort, True)
                       .with_input(no_effort, "effort", ""))
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, Workshop(workshop.portfolio, (scenario,), scenario.name)).close()
    assert main(["optimise", str(path), "--adopt", "Best plan", "--json"]) == 4
    assert json.loads(capsys.readouterr().out)["adopted"] is None
    with WorkshopFile.open(path, read_only=True) as file:
        assert file.workshop.scenario_names == (scenario.name,)


def test_adopt_on_a_workshop_changed_outside_cutline_says_how_to_keep_the_changes(tmp_path, capsys):
    import sqlite3

    path = _sample_workshop(tmp_path)
    conn = sqlite3.connect(path)
    with conn:  # another program edits a record behind Cutline's back
        conn.execute("UPDATE initiatives SET title = 'Edited elsewhere' WHERE position = 0")
    conn.close()
    assert main(["optimise", str(path), "--adopt", "Best plan"]) == 2
    err = capsys.readouterr().err
    assert "changed outside Cutline" in err and "which asks whether to keep those changes" in err
    assert "close it first" not in err
