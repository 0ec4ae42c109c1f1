"""The command line never shows a traceback: a mistyped command, a screenshot folder that does
not exist, too many draws, numbers that would overflow, and a bug all end in one line."""

import json
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from cutline.app.cli import commands as cli_commands
from cutline.app.cli import main as cli
from cutline.app.cli import run as cli_run
from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import sample_path

SAMPLE = str(sample_path())


@pytest.fixture
def no_window(monkeypatch):
    """Fail if the window would be started; record what it was asked to open."""
    opened = []

    def run(options):
        opened.append(options)
        return 0

    monkeypatch.setattr("cutline.app.lifecycle.start.run", run)
    return opened


# -- a mistyped command ------------------------------------------------------------------------
def test_a_mistyped_command_names_the_commands(no_window, capsys):
    assert main(["bogus"]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("cutline: unknown command 'bogus'; the commands are rank, compare, import, optimise.")
    assert len(err.splitlines()) == 1 and out == "" and no_window == []


def test_a_near_miss_suggests_the_command(no_window, capsys):
    assert main(["rnak", SAMPLE]) == 2
    assert "unknown command 'rnak' (did you mean 'rank'?)" in capsys.readouterr().err
    assert no_window == []


@pytest.mark.parametrize("name", ["some_file.xlsx", "plan.CUTLINE", "old.csv", "sub/dir/plan"])
def test_a_file_name_still_opens_the_window_even_when_missing(no_window, name):
    assert main([name]) == 0
    assert [str(o.path) for o in no_window] == [name]


def test_an_existing_file_without_an_ending_opens_the_window(no_window, tmp_path, monkeypatch):
    (tmp_path / "portfolio").write_bytes(b"id,title\nA,a\n")
    monkeypatch.chdir(tmp_path)
    assert main(["portfolio"]) == 0 and len(no_window) == 1


# -- the screenshot's folder -------------------------------------------------------------------
def test_a_screenshot_into_a_missing_folder_is_refused_before_any_window(no_window, tmp_path, capsys):
    out = tmp_path / "no" / "such" / "dir" / "s.png"
    assert main(["--screenshot", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"cutline: cannot write the screenshot to {out}: the folder {out.parent} does not exist.\n"
    assert not (tmp_path / "no").exists() and no_window == []


def test_a_screenshot_onto_a_folder_is_refused(no_window, tmp_path, capsys):
    assert main(["--screenshot", str(tmp_path)]) == 2
    assert "it is a folder" in capsys.readouterr().err


def test_the_real_command_exits_2_for_a_missing_folder(tmp_path):
    out = tmp_path / "missing" / "s.png"
    result = subprocess.run([sys.executable, "-m", "cutline.app", "--screenshot", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr and not out.parent.exists()


# -- sensitivity draws -------------------------------------------------------------------------
def test_too_many_draws_are_refused_at_once(capsys):
    start = time.perf_counter()
    assert main(["rank", SAMPLE, "--sensitivity", "--draws", "200000000"]) == 2
    assert time.perf_counter() - start < 10
    out, err = capsys.readouterr()
    assert err.startswith("cutline: The number of draws must be at most 100,000, not 200,000,000.")
    assert out == "" and "Traceback" not in err


def test_draws_whose_ranks_would_not_fit_are_refused_before_allocating(monkeypatch, capsys):
    import cutline.models.scenarios.sensitivity as sensitivity

    monkeypatch.setattr(sensitivity, "MAX_RANK_BYTES", 100 * 1024)
    assert main(["rank", SAMPLE, "--sensitivity", "--draws", "1000", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == ("cutline: 1,000 draws over 64 initiatives would need 125 KiB for their "
                                 "ranks; the limit is 100 KiB. Use at most 800 draws for this portfolio.\n")
    assert sensitivity._memory(512 * 1024**2) == "512 MiB" and sensitivity._memory(25 * 1024**3 + 1) == "25 GiB"


# -- numbers and JSON --------------------------------------------------------------------------
def _strict(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_a_huge_weight_in_a_model_file_is_refused_naming_the_criterion(tmp_path, capsys):
    model = tmp_path / "w.toml"
    model.write_text('schema_version = 2\n[[criteria]]\nname = "reliability"\nsource = "reliability"\n'
                     'weight = 1.7e308\n[[criteria]]\nname = "security"\nsource = "security"\n'
                     'weight = 1.7e308\n', encoding="utf-8")
    assert main(["rank", SAMPLE, "--model", str(model), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("cutline: w.toml: Criterion 'reliability', key 'weight': the weight must be at most "
                   "1,000,000, not 1.7e+308.\n")


def test_json_is_strict_even_for_numbers_at_the_edge_of_a_float(tmp_path, capsys):
    data = tmp_path / "big.csv"
    data.write_text("id,title,team,effort,reach,impact,confidence,reliability\n"
                    "A,a,t,1.7e308,1.7e308,1.7e308,1,1\nB,b,t,1.7e308,1,1,1,2\nC,c,t,1e-320,1,1,1,\n",
                    encoding="utf-8")
    capacity = tmp_path / "cap.csv"
    capacity.write_text("team,quarter,capacity\nt,2027-Q1,1.7e308\nt,2027-Q2,1.7e308\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["rank", str(data), "--capacity", str(capacity), "--json",
                     "--sensitivity", "--draws", "50"]) == 0
    out, err = capsys.readouterr()
    ranked = _strict(out)
    assert all(np.isfinite(e["score"]) for e in ranked["initiatives"])
    assert sorted(e["rank"] for e in ranked["initiatives"]) == [1, 2, 3]
    assert "RuntimeWarning" not in err and ".py:" not in err
    two = [str(data), "--model", "resources/default_model.toml", "--model", "resources/models/rice.toml"]
    assert main(["compare", *two, "--capacity", str(capacity), "--json"]) == 0
    _strict(capsys.readouterr().out)


def test_dumps_writes_what_cannot_be_computed_as_null():
    text = cli_commands.dumps({"a": float("nan"), "b": [float("inf"), 1.5], "c": np.float64("-inf"),
                               "d": {"e": (np.nan, "x")}})
    assert _strict(text) == {"a": None, "b": [None, 1.5], "c": None, "d": {"e": [None, "x"]}}


# -- the last resort -----------------------------------------------------------------------------
def _broken(*args, **kwargs):
    raise RuntimeError("boom\nsecond line")


def test_an_unexpected_error_is_one_line_and_exit_70(monkeypatch, capsys):
    monkeypatch.delenv("CUTLINE_DEBUG", raising=False)
    monkeypatch.setattr(cli_run, "run", _broken)
    assert main(["rank", SAMPLE]) == 70
    err = capsys.readouterr().err
    assert err == ("cutline: unexpected error (RuntimeError: boom second line). This is a bug in "
                   "Cutline; run again with CUTLINE_DEBUG=1 to see where it happened.\n")


def test_cutline_debug_keeps_the_traceback(monkeypatch):
    monkeypatch.setenv("CUTLINE_DEBUG", "1")
    monkeypatch.setattr(cli_run, "run", _broken)
    with pytest.raises(RuntimeError, match="boom"):
        main(["rank", SAMPLE])


def test_warnings_are_one_line_and_numpy_arithmetic_is_silent(monkeypatch, capsys):
    monkeypatch.delenv("CUTLINE_DEBUG", raising=False)

    def noisy(args):
        np.array([1.0]) / np.array([0.0])          # a RuntimeWarning from numpy
        warnings.warn("the sheet has a chart, which is not read", UserWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(cli_run, "run", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # as a user's Python has it (the test run makes them errors)
        assert main(["rank", SAMPLE]) == 0
    err = capsys.readouterr().err
    assert err == "cutline: warning: the sheet has a chart, which is not read\n"


def test_unknown_command_function():
    assert cli.unknown_command("rank") is None and cli.unknown_command("--json") is None
    assert cli.unknown_command("plan.ods") is None and cli.unknown_command("./plan") is None
    assert cli.unknown_command("import2").startswith("unknown command 'import2' (did you mean 'import'?)")
