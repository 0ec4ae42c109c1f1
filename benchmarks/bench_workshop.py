"""Benchmark: the workshop file (SQLite) at size: create, open, and save a cell edit and a weight
change (each saved edit is one durable commit, with its journal entry).

Targets at 100,000 initiatives: create in 2 s, open in 1 s, a cell edit in 100 ms, a weight change
in 100 ms.
Run: .venv/bin/python -m benchmarks.bench_workshop [n]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path


def big_portfolio(n: int):
    """n initiatives, every canonical field filled, five extra columns of different kinds."""
    import numpy as np
    import pandas as pd

    from cutline.models.portfolio.portfolio import Portfolio

    rng = np.random.default_rng(7)
    ints = lambda hi: rng.integers(0, hi, n).astype(float)  # noqa: E731
    frame = pd.DataFrame({
        "id": np.char.add("I-", np.arange(n).astype(str)).astype(object),
        "title": np.char.add("Initiative with a longer title ", np.arange(n).astype(str)).astype(object),
        "team": rng.choice(np.array(["core", "data", "edge", "sre"], dtype=object), n),
        "category": rng.choice(np.array(["reliability", "security", "dx", "feature"], dtype=object), n),
        "reach": ints(10_000), "impact": rng.random(n) * 3, "confidence": rng.random(n),
        "effort": ints(20) + 1, "risk": ints(10), "reliability": ints(10), "security": ints(10), "dx": ints(10),
        "Owner": rng.choice(np.array(["Ana", "Bo", "Chen", None], dtype=object), n),
        "Budget": rng.random(n) * 1e6,
        "Count": rng.integers(0, 100, n),
        "Due": pd.date_range("2024-01-01", periods=n, freq="h"),
        "Mixed": np.where(np.arange(n) % 2 == 0, np.arange(n).astype(object), None),
    })
    return Portfolio.from_frame(frame, extra_columns=["Owner", "Budget", "Count", "Due", "Mixed"])


def run(n: int, edits: int = 5) -> dict[str, float]:
    """Median milliseconds of creating, opening (of 3) and saving `edits` cell edits and weight
    changes (the first of each is left out: it also makes the file's first journal page)."""
    from cutline.models.scenarios.scenario import Scenario
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import JournalEntry, WorkshopFile

    workshop = Workshop.new(big_portfolio(n))

    def timed(fn, *args) -> float:
        start = time.perf_counter()
        fn(*args)
        return (time.perf_counter() - start) * 1000

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.cutline"
        create = timed(lambda: WorkshopFile.create(path, workshop).close())
        opens = [timed(lambda: WorkshopFile.open(path).close()) for _ in range(3)]
        file = WorkshopFile.open(path)
        cells, weights = [], []
        try:
            for i in range(edits + 1):
                edited = file.workshop.with_cell(i * 997 % n, "reach", float(i))
                cells.append(timed(file.record, edited, JournalEntry("cell", f"Reach {i}")))
                s = file.workshop.current_scenario()
                weighted = file.workshop.with_scenario(Scenario(s.name, s.model.with_weight("dx", i), s.capacity))
                weights.append(timed(file.record, weighted, JournalEntry("weight", f"Weight of dx → {i}")))
        finally:
            file.close()
        size_mb = path.stat().st_size / 2**20
    return {"workshop_create": create, "workshop_open": statistics.median(opens),
            "workshop_cell_edit": statistics.median(cells[1:]),
            "workshop_weight_change": statistics.median(weights[1:]), "file_mb": size_mb}


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for key, value in run(size).items():
        print(f"{key}: {value:,.1f}")
