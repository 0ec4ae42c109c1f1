"""Start-up in a subprocess, as a user starts it: the screenshot of the sample and the CLI basics."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Left out of the fast lane (pytest -m "not slow"): starts Cutline in child processes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, timeout=180):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "cutline.app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_screenshot_of_the_sample(tmp_path):
    out = tmp_path / "shot.png"
    result = _run("--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)


def test_unknown_view_lists_the_known_ones(tmp_path):
    result = _run("--screenshot", str(tmp_path / "x.png"), "--view", "nope")
    assert result.returncode == 2
    assert "Known views:" in result.stderr and "ranking" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.startswith("cutline ")


def test_bad_file_gives_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = _run("rank", str(bad))
    assert result.returncode == 2
    assert "cutline:" in result.stderr and "Traceback" not in result.stderr


def test_a_screenshot_of_the_rating_views_leaves_the_workshop_file_as_it_was(tmp_path):
    from cutline.app.lifecycle.loading import load_spreadsheet, sample_path
    from cutline.models.workshop.file import WorkshopFile

    path = tmp_path / "mine.cutline"
    WorkshopFile.create(path, load_spreadsheet(sample_path()).workshop).close()
    for view in ("rating", "reveal"):
        out = _run(str(path), "--screenshot", str(tmp_path / f"{view}.png"), "--view", view)
        assert out.returncode == 0, out.stderr
    file = WorkshopFile.open(path)
    try:
        assert file.round_in_progress() is None  # the screenshot's made-up round was never kept
    finally:
        file.close()
