"""`cutline rank --delay ID [--by N]`: the hand-worked plan of tests/models/test_delay.py from files."""

from __future__ import annotations

import json

import pytest

from cutline.app.cli.main import main
from tests.models.test_delay import QUARTERS, ROWS


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "plan.csv"
    data.write_text("id,title,team,effort,depends_on,quarter,reliability\n" + "".join(
        f"{i},Initiative {i},{team},{effort},{deps},{due},{value}\n" for i, team, effort, deps, due, value in ROWS),
        encoding="utf-8")
    capacity = tmp_path / "capacity.csv"
    capacity.write_text("team,quarter,capacity\n" + "".join(
        f"{t},{q},10\n" for t in ("Platform", "Data", "Web") for q in QUARTERS), encoding="utf-8")
    model = tmp_path / "value.toml"
    model.write_text('schema_version = 2\nname = "Value"\ntiers_enabled = false\n[[criteria]]\nname = "reliability"\n'
                     'source = "reliability"\ndirection = "benefit"\nnormalisation = "scale"\nweight = 1\n'
                     'low = 0\nhigh = 10\n', encoding="utf-8")
    return [str(data), "--capacity", str(capacity), "--model", str(model)]


def test_delay_in_words(files, capsys):
    assert main(["rank", *files, "--delay", "P1"]) == 0
    out = capsys.readouterr().out
    words = out[out.index("If P1 starts 1 quarter later"):].splitlines()
    assert words[1] == "  P1 (team Platform) starts in 2027-Q2 instead of 2027-Q1 and finishes in 2027-Q2."
    assert words[2:] == [
        "Start later (2):",
        "  #2 D1 (team Data): 2027-Q1 → 2027-Q2",
        "  #3 D2 (team Data): 2027-Q2 → 2027-Q3",
        "Finish late (1):",
        "  #3 D2 (team Data): due 2027-Q2, finishes 2027-Q3 (was 2027-Q2)",
        "Fall out of the funded set (1):",
        "  #5 D3 (team Data): was 2027-Q3; needs 10 person-weeks, team Data has 0 free from 2027-Q3 to the end of the plan",
        "Start earlier (1):",
        "  #4 P2 (team Platform): 2027-Q2 → 2027-Q1",
        "Teams affected: Data.",
    ]


def test_delay_in_json(files, capsys):
    assert main(["rank", *files, "--delay", "P1", "--by", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    delay = out["delay"]
    assert (delay["id"], delay["quarters"], delay["delayed"]["after_quarter"]) == ("P1", 2, "2027-Q3")
    assert [(m["id"], m["team"], m["before_quarter"], m["after_quarter"]) for m in delay["starts_later"]] == \
        [("D1", "Data", "2027-Q1", "2027-Q3")]
    assert [m["id"] for m in delay["unfunded"]] == ["D2"] and delay["newly_late"] == []
    assert [m["id"] for m in delay["starts_earlier"]] == ["P2", "D3"]
    assert delay["teams"] == ["Data"] and delay["breaks_nothing"] is False
    # the plan itself is the one without the delay
    plan = {e["id"]: e["quarter"] for e in out["initiatives"]}
    assert plan["P1"] == "2027-Q1" and plan["D3"] == "2027-Q3"


def test_without_delay_there_is_no_delay_key(files, capsys):
    assert main(["rank", *files, "--json"]) == 0
    assert "delay" not in json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("extra, message", [
    (["--delay", "NOPE"], "no initiative 'NOPE'"),
    (["--by", "2"], "--by needs --delay ID"),
])
def test_bad_delays_are_one_message(files, capsys, extra, message):
    assert main(["rank", *files, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_by_must_be_one_or_more(files, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["rank", *files, "--delay", "P1", "--by", "0"])
    assert exit_.value.code == 2 and "delay by 1 quarter or more" in capsys.readouterr().err
