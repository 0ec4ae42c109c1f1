"""`cutline rank` and `cutline compare` on the sample, through the real entry point."""

import json

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import default_model_path, sample_path


def test_rank_json(capsys):
    assert main(["rank", str(sample_path()), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["schema_version"] == 3
    entries = out["initiatives"]
    assert [e["rank"] for e in entries] == list(range(1, len(entries) + 1))
    for e in entries:
        assert abs(sum(e["contributions"].values()) - e["score"]) < 1e-9
    assert out["cut_line"] == next(e["rank"] for e in entries if not e["funded"])
    assert all(set(u) == {"team", "quarter", "capacity", "used"} for u in out["utilisation"])
    # schema 3: the quarters each funded initiative runs over, its finish and due quarters, late
    for e in entries:
        assert {"quarters", "finish_quarter", "due_quarter", "late"} <= set(e)
        if e["funded"]:
            assert e["quarters"][0]["quarter"] == e["quarter"] and e["quarters"][-1]["quarter"] == e["finish_quarter"]
            assert abs(sum(q["person_weeks"] for q in e["quarters"]) - e["inputs"]["effort"]) < 1e-6 \
                if isinstance(e.get("inputs"), dict) and isinstance(e["inputs"].get("effort"), int | float) else True
        else:
            assert e["quarters"] == [] and e["finish_quarter"] is None and e["late"] is False


def test_compare_json_same_model_changes_nothing(capsys):
    model = str(default_model_path())
    assert main(["compare", str(sample_path()), "--model", model, "--model", model, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["scenarios"]) == 2
    assert out["summary"]["funding_changes"] == []
    assert all(v == 1.0 for v in out["summary"]["kendall_tau"].values())


def test_missing_file_is_a_message(capsys):
    assert main(["rank", "no-such-file.xlsx"]) == 2
    assert "no-such-file.xlsx" in capsys.readouterr().err


def test_import_then_rank_the_workshop(tmp_path, capsys):
    out = tmp_path / "plan.cutline"
    assert main(["import", str(sample_path()), "-o", str(out)]) == 0
    assert main(["import", str(sample_path()), "-o", str(out)]) == 2   # never overwrites
    capsys.readouterr()
    before = out.read_bytes()
    assert main(["rank", str(out), "--json"]) == 0
    assert out.read_bytes() == before                                # ranking only reads
    from_workshop = json.loads(capsys.readouterr().out)
    assert main(["rank", str(sample_path()), "--json"]) == 0
    from_sheet = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in from_workshop["initiatives"]] == [e["id"] for e in from_sheet["initiatives"]]
    assert main(["rank", str(out), "--scenario", "Nope"]) == 2
    assert "no scenario" in capsys.readouterr().err
