"""The benchmarks keep working: `python -m benchmarks --quick` runs every row at a small size."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Left out of the fast lane (pytest -m "not slow"): runs every benchmark.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmarks_run_and_report_every_row():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--quick"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    from benchmarks.__main__ import PLAN

    assert {name for name, *_ in PLAN} <= set(report["results"])
    assert {"startup_sample", "gui_memory_100k"} <= set(report["results"])
    for row in report["results"].values():
        measured = row.get("median_ms", row.get("peak_mb"))
        assert measured is not None and measured > 0
