"""Tracker import benchmark: an n-row Jira "Export Excel CSV (all fields)" of 60 columns (repeated
Labels, Sprint and link columns, multiline descriptions) into a validated Portfolio.

Target on the reference machine: 10,000 rows in 500 ms, everything included: reading and
recognising the export, merging the repeated columns, the story-point conversion, the due
dates as quarters, the Blocks links in both directions and the dependency checks.
Run it as `python -m benchmarks.bench_tracker_import [N ...]`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from cutline.models.importing import read_portfolio

from benchmarks.bench_import import _median_ms
from benchmarks.tracker_exports import write_jira_export


def run(n: int) -> dict[str, float]:
    """Median milliseconds to import an n-row Jira export."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jira_export(Path(tmp) / "jira.csv", n)
        result = read_portfolio(path)
        assert result.mapping.tracker == "jira" and len(result.portfolio) == n, result.report.format_text(5)
        return {"import_jira_csv": _median_ms(lambda: read_portfolio(path), 3 if n >= 50_000 else 7),
                "file_mb": path.stat().st_size / 2**20}


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [10_000]:
        result = run(size)
        print(f"n={size:>7,}: import_jira_csv {result['import_jira_csv']:.0f} ms, {result['file_mb']:.2f} MB")
