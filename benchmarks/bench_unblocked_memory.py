"""Peak memory of teams unblocked when every initiative has a team of its own.

`python -m benchmarks.bench_unblocked_memory [N ...]` (default 60,000). Each size runs in a child
process, so the figure is that process's own peak resident memory (VmHWM): once after
building the portfolio and its dependency graph, once after `teams_unblocked`. The difference
is what the computation itself added at its peak. The portfolio is the scoring benchmark's
(2 to 3 earlier prerequisites per row) with team `team-i` on row i, plus a few cycles so the
cycle pass runs too: the case that used to take rows x teams bits (2.1 GB at 60,000).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Peak the computation may add at 60,000 distinct teams; a few hundred MB at most.
TARGET_MB = 300

ROOT = Path(__file__).resolve().parent.parent


def distinct_team_portfolio(n: int, seed: int = 4):
    """The scoring benchmark's portfolio with a team of its own on every row and a few cycles."""
    from cutline.models.portfolio.portfolio import Portfolio

    from benchmarks.bench_scoring import synthetic_portfolio

    frame = synthetic_portfolio(n, seed=seed).frame.copy()
    frame["team"] = [f"team-{i}" for i in range(n)]
    depends = frame["depends_on"].to_numpy(dtype=object).copy()
    ids = frame["id"].to_numpy(dtype=object)
    for start in range(1, n - 2, max(1, n // 20)):  # 20 three-way cycles: s -> s+2 -> s+1 -> s
        for row, on in ((start, start + 2), (start + 2, start + 1), (start + 1, start)):
            depends[row] = ", ".join(filter(None, [str(depends[row]), str(ids[on])]))
    frame["depends_on"] = depends
    frame["unblocks"] = [f"team-{(7 * i) % n}" if i % 10 == 0 else "" for i in range(n)]
    return Portfolio.from_frame(frame)


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB.

    Linux's VmHWM belongs to the process's own memory since it started its program; ru_maxrss
    also keeps the peak of the parent it was forked from, which would hide the figure when a
    large process (such as `python -m benchmarks`) starts this one.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(n: int) -> dict[str, float]:
    import time

    from cutline.models.portfolio.dependencies import DependencyGraph, teams_unblocked

    portfolio = distinct_team_portfolio(n)
    graph = DependencyGraph.from_portfolio(portfolio)
    before = peak_mb()
    start = time.perf_counter()
    result = teams_unblocked(portfolio, graph)
    ms = (time.perf_counter() - start) * 1000
    after = peak_mb()
    return {"before_mb": before, "peak_mb": after, "added_mb": after - before, "ms": ms,
            "max_teams": float(result.max()), "total": float(result.sum())}


def measure(n: int) -> dict[str, float]:
    """Run the child process for n rows and return its figures."""
    code = (f"import json\nfrom benchmarks.bench_unblocked_memory import _child\n"
            f"print(json.dumps(_child({n})))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(n: int) -> dict[str, float]:
    """For `python -m benchmarks`: the peak (MB) teams unblocked adds at n distinct teams."""
    # At --quick sizes the call may touch no new page at all; 0.1 MB stands for "below that".
    return {"teams_unblocked_memory_mb": max(measure(n)["added_mb"], 0.1)}


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [60_000]:
        figures = measure(size)
        print(f"n={size:>7,}: " + "  ".join(f"{k} {v:,.1f}" for k, v in figures.items()))
