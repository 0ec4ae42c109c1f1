"""`cutline rank --json` says what it read (schema 2): the source, the mapping with its conversions,
and each initiative's inputs under Cutline's names; a model template can be named by its key."""

import json
from pathlib import Path

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import sample_path

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def _rank(capsys, *args):
    code = main(["rank", *map(str, args), "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_a_jira_export_ranks_with_its_inputs_and_mapping(capsys):
    code, out, _ = _rank(capsys, EXPORTS / "jira_all_fields.csv")
    assert code == 0 and out["schema_version"] == 3 and out["source"] == "jira"
    effort = out["mapping"]["effort"]
    assert effort["columns"] == ["Custom field (Story Points)"]
    assert effort["conversion"] == {"unit": "points", "factor": 0.5}
    assert effort["described"] == "points, 1 = 0.5 person-weeks"
    assert out["mapping"]["depends_on"]["columns"] == ["Inward issue link (Blocks)"]
    by_id = {e["id"]: e for e in out["initiatives"]}
    entry = next(e for e in out["initiatives"] if e["inputs"]["as_written"]["effort"] not in (None, ""))
    written = float(entry["inputs"]["as_written"]["effort"])
    assert entry["inputs"]["effort"] == written * 0.5  # points -> person-weeks
    waits = [e for e in by_id.values() if e["inputs"]["depends_on"]]
    assert waits and all(isinstance(e["inputs"]["depends_on"], list) for e in waits)
    assert len({e["score"] for e in out["initiatives"]}) > 3  # the scores vary


def test_words_criteria_are_numbers_in_the_inputs(capsys):
    code, out, _ = _rank(capsys, EXPORTS / "linear.csv", "--model", "priority_effort")
    assert code == 0 and out["source"] == "linear"
    priorities = {e["inputs"]["Priority"] for e in out["initiatives"]}
    assert priorities <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, None} and len(priorities) > 2
    assert not any("no data in this file" in w for w in out["warnings"])


def test_blank_criteria_are_named_with_the_template_that_fits(capsys):
    code, out, _ = _rank(capsys, EXPORTS / "linear.csv")
    assert code == 0
    warning = next(w for w in out["warnings"] if "no data in this file" in w)
    assert warning.startswith("reliability, security, dx") and "--model priority_effort" in warning


def test_a_spreadsheet_s_source_is_spreadsheet(capsys):
    code, out, _ = _rank(capsys, sample_path())
    assert code == 0 and out["source"] == "spreadsheet" and "inputs" in out["initiatives"][0]
    assert out["initiatives"][0]["inputs"]["team"]
