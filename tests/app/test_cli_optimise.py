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
