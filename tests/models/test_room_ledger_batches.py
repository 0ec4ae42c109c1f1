"""The room's ledger: changes that wait while a write runs go into the next write together (a group
commit), shown without a network or a clock by letting the ledger's thread go one write at a time."""

from __future__ import annotations

import threading

from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.rating.round import RatingRound
from cutline.models.room.ledger import Join, Rate, RoomLedger
from cutline.models.room.state import Role, Room
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import WorkshopFile

IDS = ("A-1", "A-2", "A-3")


def test_ratings_that_wait_while_a_write_runs_share_one_commit(tmp_path):
    path = tmp_path / "room.cutline"
    WorkshopFile.create(path, Workshop.new(Portfolio.from_records([{"id": i} for i in IDS]))).close()
    base = RatingRound.start(["dx"], IDS, [])
    room = Room(round_=base, roles=[Role("Engineer", ("dx",))])
    people = [room.add_participant(f"P{n}", room.roles[0]) for n in range(6)]
    wrote, go = threading.Semaphore(0), threading.Semaphore(0)

    def changed():  # after each write: say so, then wait for the test to let the thread go on
        wrote.release()
        go.acquire(timeout=10)

    ledger = RoomLedger(path, room, lambda r, names: {**base.to_dict(), "participants": list(names)},
                        changed)
    try:
        joined = ledger.submit(Join("Q", room.roles[0]))  # writes the round, with everyone in it
        assert wrote.acquire(timeout=10)
        first = ledger.submit(Rate(people[0], [["P0", "A-1", "dx", 3]]))
        go.release()
        assert wrote.acquire(timeout=10)  # the first rating is written; the thread waits after it
        waiting = [ledger.submit(Rate(p, [[p.name, i, "dx", n + 1] for i in IDS]))
                   for n, p in enumerate(people[1:])]
        go.release()
        assert wrote.acquire(timeout=10)
        assert joined.result(10).name == "Q" and first.result(10) == 1
        assert [f.result(10) for f in waiting] == [3] * 5
        assert ledger.commits == 3  # the join, the first rating, then the five that waited: one
    finally:
        go.release(100)
        ledger.close()
    kept = WorkshopFile.open(path, read_only=True)
    try:
        ratings = {tuple(r[:3]): r[3] for r in kept.round_in_progress()["ratings"]}
    finally:
        kept.close()
    assert len(ratings) == 1 + 5 * 3
    assert ratings[("P0", "A-1", "dx")] == 3 and ratings[("P5", "A-3", "dx")] == 5
