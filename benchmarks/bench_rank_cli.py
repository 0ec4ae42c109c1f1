"""`cutline rank --json` of an n-initiative xlsx against the floor measured in the same run.

The floor is the least a program can do for the same answer: one process that imports pandas
and numpy, reads both sheets with pandas' calamine reader, scores and ranks with numpy (the
default model's seven criteria: scale and min-max normalisation, a weighted sum, a lexsort by
tier and score) and prints the same records with `json.dumps(..., indent=1)`: rank, id, title,
team, category, tier, score, the seven contributions, rice, and every input of the row. It does
not validate, map columns, read dependencies, allocate capacity or check the file's safety;
Cutline does all of that, so the ratio says what those cost. Both are whole processes
(interpreter start and imports included) with output to /dev/null, run in turn so the machine's
slow phases fall on both; each figure is a median of `repeat` runs, of wall time (the target's)
and of CPU time (user + system, less disturbed by other work on a shared machine).

Target (issue 16): `cutline rank` within 1.5x of the floor at 20,000 initiatives.
`python -m benchmarks.bench_rank_cli [N] [--repeat R]` (default 20,000 and 5).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5

FLOOR = r'''
import json, sys
import numpy as np
import pandas as pd

sheets = pd.read_excel(sys.argv[1], sheet_name=None, engine="calamine")
frame, capacity = sheets["Initiatives"], sheets.get("Capacity")
num = {c: pd.to_numeric(frame[c], errors="coerce").to_numpy(np.float64)
       for c in ("reach", "impact", "confidence", "effort", "risk", "reliability", "security", "dx")}
with np.errstate(divide="ignore", invalid="ignore"):
    rice = num["reach"] * num["impact"] * num["confidence"] / num["effort"]
unblocking = frame["unblocks"].fillna("").astype(str).str.count(",").to_numpy(np.float64)

def scale(x, low, high):
    return np.clip((x - low) / (high - low), 0, 1)

def minmax(x):
    low, high = np.nanmin(x), np.nanmax(x)
    return np.zeros_like(x) if high == low else (x - low) / (high - low)

parts = {"reliability": (scale(num["reliability"], 0, 10), 3), "security": (scale(num["security"], 0, 10), 3),
         "unblocking": (minmax(unblocking), 3), "dx": (scale(num["dx"], 0, 10), 2),
         "rice": (minmax(np.where(np.isfinite(rice), rice, np.nan)), 2),
         "effort": (1 - minmax(num["effort"]), 1), "risk": (1 - scale(num["risk"], 0, 10), 1)}
total = sum(w for _, w in parts.values())
points = {k: np.nan_to_num(n) * w * 100 / total for k, (n, w) in parts.items()}
score = sum(points.values())
tier = np.where(frame["category"].isin(["reliability", "security"]) | (num["reliability"] >= 8)
                | (num["security"] >= 8), 1, 2)
order = np.lexsort((-score, tier))
rank = np.empty(len(order), dtype=np.int64)
rank[order] = np.arange(1, len(order) + 1)
inputs = frame.drop(columns=["id", "title"]).astype(object).where(frame.notna(), None).to_dict("records")
ids, titles, teams, cats = (frame[c].tolist() for c in ("id", "title", "team", "category"))
contrib = [dict(zip(points, row)) for row in zip(*(p.tolist() for p in points.values()))]
rice_list, score_list, tier_list = rice.tolist(), score.tolist(), tier.tolist()
records = [{"rank": int(rank[i]), "id": ids[i], "title": titles[i], "team": teams[i], "category": cats[i],
            "tier": tier_list[i], "score": score_list[i], "contributions": contrib[i],
            "rice": rice_list[i] if rice_list[i] == rice_list[i] else None, "inputs": inputs[i]}
           for i in order.tolist()]
util = [] if capacity is None else capacity.to_dict("records")
print(json.dumps({"initiatives": records, "utilisation": util}, ensure_ascii=False, indent=1,
                 default=str))
'''


def write_portfolio(path: Path, n: int) -> Path:
    """The benchmarks' realistic portfolio of n initiatives with capacity, as xlsx."""
    from benchmarks.generate import synthetic_capacity, synthetic_frame, write_xlsx

    frame = synthetic_frame(n)
    return write_xlsx(frame, path, synthetic_capacity(frame))


def _seconds(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one child process."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True,
                   timeout=300)
    wall = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (now.ru_utime - used.ru_utime) + (now.ru_stime - used.ru_stime)


def measure(n: int = 20_000, repeat: int = 5) -> dict[str, float]:
    """Median seconds of `cutline rank --json` and of the floor, in turn, and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = write_portfolio(Path(tmp) / "portfolio.xlsx", n)
        floor_cmd = [sys.executable, "-c", FLOOR, str(xlsx)]
        rank_cmd = [sys.executable, "-m", "cutline.app", "rank", str(xlsx), "--json"]
        _seconds(floor_cmd), _seconds(rank_cmd)  # warm the disk cache and bytecode
        floor, rank = [], []
        for _ in range(repeat):
            floor.append(_seconds(floor_cmd))
            rank.append(_seconds(rank_cmd))
    f, r = statistics.median(w for w, _ in floor), statistics.median(w for w, _ in rank)
    f_cpu, r_cpu = statistics.median(c for _, c in floor), statistics.median(c for _, c in rank)
    return {"floor_s": f, "rank_s": r, "ratio": r / f,
            "floor_cpu_s": f_cpu, "rank_cpu_s": r_cpu, "cpu_ratio": r_cpu / f_cpu,
            "floor_runs": [w for w, _ in floor], "rank_runs": [w for w, _ in rank]}


def run(n: int) -> dict[str, float]:
    """For `python -m benchmarks`: milliseconds of `cutline rank --json` and of the floor."""
    figures = measure(n, repeat=3 if n <= 1_000 else 5)
    return {"rank_cli": figures["rank_s"] * 1000, "rank_cli_floor": figures["floor_s"] * 1000,
            "rank_cli_ratio": figures["ratio"]}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_rank_cli")
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    got = measure(args.n, args.repeat)
    print(f"n={args.n:,}: cutline rank --json {got['rank_s']:.2f} s, floor {got['floor_s']:.2f} s, "
          f"ratio {got['ratio']:.2f} (target {TARGET_RATIO}); CPU time {got['rank_cpu_s']:.2f} s "
          f"against {got['floor_cpu_s']:.2f} s, ratio {got['cpu_ratio']:.2f}; wall runs: rank "
          + ", ".join(f"{t:.2f}" for t in got["rank_runs"]) + "; floor "
          + ", ".join(f"{t:.2f}" for t in got["floor_runs"]))
