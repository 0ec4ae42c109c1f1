"""Import benchmark: an n-row, 15-column xlsx (as openpyxl writes it) into a validated Portfolio.

Targets on the reference machine: 10,000 rows in 400 ms and 100,000 rows in 4 s, everything
included: the zip and XML safety checks, the formula scan, python-calamine's read, header
detection, mapping and the vectorised validation with the dependency checks.
Run it as `python benchmarks/bench_import.py [N ...]`.
"""

from __future__ import annotations

import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from cutline.models.importing import build_portfolio, guess_mapping, read_portfolio, read_raw
from cutline.models.importing.reader import _inspect_cached

HEADERS = ["ID", "Title", "Owning team", "Category", "Reach (users/quarter)", "Impact", "Confidence %",
           "Effort (person-weeks)", "Risk", "Reliability", "Security", "Developer experience", "Depends on",
           "Target quarter", "Description"]
TEAMS = [f"Team {i}" for i in range(40)]
IMPACTS = ["massive", "high", "medium", "low", "minimal", 2, 1.5]


def rows(n: int, seed: int = 7):
    """n rows like a real sheet: words and numbers for impact, some blanks, 1-2 earlier prerequisites."""
    rng = np.random.default_rng(seed)
    for i in range(1, n + 1):
        deps = ", ".join(f"I-{j}" for j in sorted({int(rng.integers(1, i)) for _ in range(2)})) if i > 2 and i % 3 else ""
        yield [
            f"I-{i}", f"Initiative {i}", TEAMS[i % len(TEAMS)], ("feature", "reliability", "security")[i % 3],
            int(rng.integers(0, 5000)), IMPACTS[i % len(IMPACTS)], round(float(rng.random()), 2),
            None if i % 50 == 0 else int(rng.integers(1, 40)), int(rng.integers(0, 11)), int(rng.integers(0, 11)),
            int(rng.integers(0, 11)), int(rng.integers(0, 11)), deps, f"2026-Q{i % 4 + 1}", f"Notes on {i}",
        ]


def write_xlsx(path: Path, n: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Initiatives")
    sheet.append(HEADERS)
    for row in rows(n):
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        out.writerows(rows(n))
    return path


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        _inspect_cached.cache_clear()  # every run checks the file from scratch, as a first open does
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(n: int) -> dict[str, float]:
    """Median milliseconds to import an n-row xlsx (and csv) into a validated Portfolio."""
    repeats = 3 if n >= 50_000 else 7
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = write_xlsx(Path(tmp) / "portfolio.xlsx", n)
        csv_path = write_csv(Path(tmp) / "portfolio.csv", n)
        result = read_portfolio(xlsx)
        assert len(result.portfolio) == n and not result.report.has_errors, result.report.format_text(5)
        raw = read_raw(xlsx)
        mapping = guess_mapping(raw.headers)
        return {
            "import_xlsx": _median_ms(lambda: read_portfolio(xlsx), repeats),
            "read_raw_xlsx": _median_ms(lambda: read_raw(xlsx), repeats),
            "build_portfolio": _median_ms(lambda: build_portfolio(raw, mapping), repeats),
            "import_csv": _median_ms(lambda: read_portfolio(csv_path), repeats),
            "file_mb": xlsx.stat().st_size / 2**20,
        }


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [10_000, 100_000]:
        result = run(size)
        print(f"n={size:>7,}: " + "  ".join(
            f"{k} {v:.2f} MB" if k == "file_mb" else f"{k} {v:.0f} ms" for k, v in result.items()))
