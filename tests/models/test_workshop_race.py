"""Two processes opening one workshop at the same moment: exactly one gets it writable, every time.

The lock is checked and taken in one write transaction (BEGIN IMMEDIATE), so the second opener
waits for the first one's commit and then sees its lock. The child side of this test is this
same file run as a script, one long-lived worker per process so that each trial costs an open,
not an interpreter start:
    python test_workshop_race.py    reads commands on stdin:
        open PATH T D wait until time.time() >= T, open PATH, print the outcome as JSON; D seconds
                      pass between reading the lock row and writing one (a slow disk, a busy machine)
        close         close the file opened last, print "closed"
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time

from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import WorkshopFile

TRIALS = 60
SEED = 16


def _worker() -> None:
    from cutline.models.workshop import lock as workshop_lock

    read_lock_row = workshop_lock.other_live_holder
    delay = 0.0

    def slow_read(*args, **kwargs):
        holder = read_lock_row(*args, **kwargs)
        time.sleep(delay)
        return holder

    workshop_lock.other_live_holder = slow_read
    file = None
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "open":
            path, start, delay = rest[0], float(rest[1]), float(rest[2])
            while time.time() < start - 0.002:
                time.sleep(0.001)
            while time.time() < start:  # the last two milliseconds spinning, for a close start
                pass
            try:
                file = WorkshopFile.open(path)
                out = {"pid": os.getpid(), "writable": not file.read_only, "reason": file.read_only_reason}
            except Exception as exc:  # reported to the test, which fails on it
                out = {"pid": os.getpid(), "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(out), flush=True)
        elif command == "close":
            if file is not None:
                file.close()
                file = None
            print("closed", flush=True)


def _spawn() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, bufsize=1,
    )


def _send(proc: subprocess.Popen, line: str) -> None:
    proc.stdin.write(line + "\n")
    proc.stdin.flush()


def _read(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return line


def test_two_processes_opening_at_once_get_exactly_one_writable(tmp_path):
    records = [{"id": f"I-{i}", "title": f"Initiative {i}", "reach": i} for i in range(200)]
    template = tmp_path / "template.cutline"
    WorkshopFile.create(template, Workshop.new(Portfolio.from_records(records))).close()
    rng = random.Random(SEED)
    workers = [_spawn(), _spawn()]
    outcomes = []
    try:
        for trial in range(TRIALS):
            path = tmp_path / f"race-{trial}.cutline"
            shutil.copyfile(template, path)
            start = time.time() + (1.5 if trial == 0 else 0.05)  # the first waits for the imports
            delay = rng.choice((0.0, 0.0, 0.002, 0.02))
            for w in workers:
                _send(w, f"open {path} {start!r} {delay!r}")
            results = [json.loads(_read(w)) for w in workers]
            for w in workers:
                _send(w, "close")
                assert _read(w).strip() == "closed"
            outcomes.append(results)
            assert not [r for r in results if "error" in r], results
            writable = [r for r in results if r["writable"]]
            assert len(writable) == 1, f"trial {trial}: {results}"
            (reader,) = [r for r in results if not r["writable"]]
            assert "open in another Cutline window" in reader["reason"]
            assert f"process {writable[0]['pid']}" in reader["reason"]  # told who holds it
    finally:
        for w in workers:
            w.stdin.close()
            w.wait(timeout=20)
    firsts = {next(r["pid"] for r in results if r["writable"]) for results in outcomes}
    print(f"\n{TRIALS} trials: exactly one writable each time; {len(firsts)} different winners")


if __name__ == "__main__":
    _worker()
