"""A workshop survives kill -9: every edit a killed process reported done is in the file, which opens.

The child side of these tests is this same file run as a script:
    python test_workshop_kill.py edit FILE   make edits forever, printing each one's number once committed
    python test_workshop_kill.py hold FILE   open FILE, print "ready", wait for stdin to close
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import JournalEntry, WorkshopFile

ROWS = 600
SEED = 20240502
ROUNDS = 3


def initial_workshop() -> Workshop:
    records = [{"id": f"I-{i}", "title": f"Initiative {i}", "reach": 0, "Owner": "Ana"} for i in range(ROWS)]
    return Workshop.new(Portfolio.from_records(records, extra_columns=["Owner"]))


def apply_edit(workshop: Workshop, i: int) -> tuple[Workshop, JournalEntry]:
    """Edit number `i`: mostly a cell, every third a weight too, every seventh a whole new portfolio."""
    if i % 7 == 6:
        frame = workshop.portfolio.frame.assign(reach=float(i), Owner=f"import {i}")
        workshop = workshop.with_portfolio(Portfolio(frame, workshop.portfolio.extra_columns))
    else:
        workshop = workshop.with_cell(i % ROWS, "reach", float(i))
    if i % 3 == 0:
        s = workshop.current_scenario()
        workshop = workshop.with_scenario(Scenario(s.name, s.model.with_weight("dx", i % 10), s.capacity))
    return workshop, JournalEntry("cell", f"edit {i}", "Default", None, i)


def expected_after(edits: int) -> Workshop:
    workshop = initial_workshop()
    for i in range(edits):
        workshop, _ = apply_edit(workshop, i)
    return workshop


def _child_edit(path: str) -> None:
    file = WorkshopFile.open(path)
    assert not file.read_only, file.read_only_reason
    i = len(file.journal())
    while True:
        workshop, entry = apply_edit(file.workshop, i)
        file.record(workshop, entry)
        print(i, flush=True)
        i += 1


def _child_hold(path: str) -> None:
    file = WorkshopFile.open(path)
    print("ready" if not file.read_only else file.read_only_reason, flush=True)
    sys.stdin.read()
    file.close()


def _spawn(mode: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, mode, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)  # reaped, so its pid is free, as after a real crash


def test_every_reported_edit_survives_sigkill(tmp_path):
    rng = random.Random(SEED)
    path = tmp_path / "Untitled.cutline"
    WorkshopFile.create(path, initial_workshop()).close()
    reported: list[int] = []
    mid_transaction = 0
    for _ in range(ROUNDS):
        proc = _spawn("edit", path)
        # Kill after a random number of edits, often just as a whole-portfolio rewrite begins.
        stop_after = rng.randint(2, 25)
        for _ in range(stop_after):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            reported.append(int(line))
        time.sleep(rng.uniform(0, 0.02))
        _kill(proc)
        reported += [int(line) for line in proc.stdout.read().split()]  # printed before it died
        mid_transaction += path.with_name(path.name + "-journal").exists()
        with WorkshopFile.open(path) as file:  # it opens, hot journal and all
            edits = len(file.journal())
            assert [e.new for e in file.journal()] == list(range(edits))
            assert reported == sorted(set(reported))
            # Every reported edit is there; beyond them, at most the one in flight.
            assert reported[-1] + 1 <= edits <= reported[-1] + 2
            assert file.workshop.equals(expected_after(edits))  # state and journal agree
        _mark_unclean(path)  # as the kill left it, before this check closed it cleanly
    assert WorkshopFile.recoverable(tmp_path) == [path]
    print(f"{len(reported)} edits reported; killed mid-transaction {mid_transaction} of {ROUNDS} times")


def _mark_unclean(path: Path) -> None:
    import sqlite3

    from cutline.models.workshop.checksums import refresh_table

    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'false' WHERE key = 'clean_close'")
    refresh_table(conn.cursor(), "meta", "key = 'clean_close'")  # as Cutline would have written it
    conn.commit()
    conn.close()


def test_a_file_held_by_a_live_process_opens_read_only_until_that_process_dies(tmp_path):
    path = tmp_path / "Shared.cutline"
    WorkshopFile.create(path, initial_workshop()).close()
    proc = _spawn("hold", path)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        with WorkshopFile.open(path) as second:
            assert second.read_only and f"process {proc.pid}" in second.held_by_other()
        assert WorkshopFile.recoverable(tmp_path) == []  # a live window is not a crash
    finally:
        _kill(proc)
    assert WorkshopFile.recoverable(tmp_path) == [path]
    with WorkshopFile.open(path) as file:
        assert not file.read_only and file.held_by_other() is None
        assert np.all(file.workshop.portfolio.numeric("reach") == 0)


if __name__ == "__main__":
    {"edit": _child_edit, "hold": _child_hold}[sys.argv[1]](sys.argv[2])
