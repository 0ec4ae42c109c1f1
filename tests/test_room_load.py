"""A small, bounded version of benchmarks/bench_room.py: participants rating at once lose nothing."""

from __future__ import annotations

import pytest

from benchmarks.bench_room import load

# Left out of the fast lane (pytest -m "not slow"): participants rating at once over the network.
pytestmark = pytest.mark.slow


def test_participants_rating_at_once_lose_no_rating(qapp):
    out = load(participants=8, initiatives=10, criteria=("dx", "risk", "effort"))
    assert out["failed"] == 0 and out["lost"] == 0
    assert out["saved"] == out["stored"] == 8 * 10 * 3
    # How many commits the ratings share, and how long answers and the window's stalls take,
    # depend on the machine's timing: `python -m benchmarks --only room` measures them, and
    # tests/models/test_room_ledger_batches.py shows the shared commit without a clock.
