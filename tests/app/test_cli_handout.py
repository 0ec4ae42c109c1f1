"""`cutline rank … -o handout.pdf` and `cutline compare … -o handout.pdf`: the PDF handout from a
terminal, with no display at all (the way CI runs it)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cutline.app.cli.main import main
from cutline.app.lifecycle.loading import sample_path

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"


def page_count(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", path.read_bytes()))


def pdf_text(path: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.slow
def test_rank_writes_the_handout_headless_in_a_fresh_process(tmp_path):
    out = tmp_path / "h.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "cutline.app", "rank", str(sample_path()), "-o", str(out)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    found = re.search(r"wrote .*h\.pdf \((\d+) pages\)", result.stderr)
    assert found and page_count(out) == int(found.group(1)) >= 4
    assert "Traceback" not in result.stderr
    text = pdf_text(out)
    if text is not None:
        pages = int(found.group(1))
        assert text.count("sample_portfolio") >= pages and text.count("Scenario: Default") == pages
        assert f"page 1 of {pages}" in text and f"page {pages} of {pages}" in text


def test_compare_writes_every_scenario_into_the_handout(qapp, tmp_path, capsys):
    models = ROOT / "resources" / "models"
    out = tmp_path / "compare.pdf"
    assert main(["compare", str(sample_path()), "--model", str(models / "platform_default.toml"),
                 "--model", str(models / "rice.toml"), "-o", str(out)]) == 0
    assert page_count(out) >= 4 and "wrote" in capsys.readouterr().err
    text = pdf_text(out)
    if text is not None:
        assert "RICE against" in text and "New above the cut line" in text


def test_a_tracker_export_without_capacity_gives_words(qapp, tmp_path, capsys):
    out = tmp_path / "jira.pdf"
    assert main(["rank", str(EXPORTS / "jira_all_fields.csv"), "-o", str(out)]) == 0
    assert page_count(out) >= 4
    text = pdf_text(out)
    if text is not None:
        assert "No capacity is set for this scenario" in text and "jira_all_fields" in text


def test_a_missing_folder_is_a_message_not_a_traceback(qapp, tmp_path, capsys):
    assert main(["rank", str(sample_path()), "-o", str(tmp_path / "no" / "such" / "h.pdf")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
