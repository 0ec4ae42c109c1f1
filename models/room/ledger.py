"""The room's writer: joins, ratings and purchases written durably to the workshop file as they
arrive, from a thread of its own, before anyone is told they are saved.

The room's web server (one thread) hands each change over with `submit` and waits on the
Future. The ledger's thread takes every change waiting, writes them in as few commits as it can
(all ratings waiting go into one commit: a group commit, so forty phones cost one disk sync,
not forty), on a connection of its own to the workshop file, then records them in the `Room`
and resolves the Futures. The window's thread is never made to wait for the disk, and a rating
answered "saved" is in the file: a crash of the laptop loses none of them. The window's own
connection and this one take turns through SQLite's locks (BEGIN IMMEDIATE, with a timeout).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from cutline.models.errors import CutlineError
from cutline.models.room.state import (
    ADDRESS_PARTICIPANTS,
    BUDGET,
    PARTICIPANT_LIMIT,
    Participant,
    Role,
    Room,
    RoomRefused,
    name_key,
)
from cutline.models.workshop import disk, store
from cutline.models.workshop.file import BUDGET_VOTE_IN_PROGRESS, ROUND_IN_PROGRESS


@dataclass(frozen=True)
class Join:
    name: str
    role: Role
    address: str = ""


@dataclass(frozen=True)
class Rate:
    person: Participant
    entries: list


@dataclass(frozen=True)
class Buy:
    person: Participant
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Remove:
    """The host took `name` out (already out of the `Room`): the file forgets them too."""
    name: str


#: After this many additions the round is written whole and they are dropped: a participant who
#: changes their ratings over and over keeps the file to one row per rating, not one per change.
COMPACT_EVERY = 200
_GONE = RoomRefused(401, "The host has taken you out of the round; nothing was saved.")
_CLOSED = RoomRefused(409, "The round is closed: the host has stopped taking ratings.")
_STOP = object()


class RoomLedger:
    """Writes a room's changes into the workshop file at `path`, from its own thread.

    `record(room, participants)` is the round's plain data for those participants (a rating
    round's record, or the budget vote's); `changed()` is called (from the ledger's thread)
    after each batch, for the host's screen.
    """

    def __init__(self, path: Path, room: Room, record: Callable[[Room, tuple], dict],
                 changed: Callable[[], None] = lambda: None):
        self.path, self.room, self._record, self._changed = Path(path), room, record, changed
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self.closed = False
        self._number = 0  # the last addition written
        self._compacted = 0  # the last addition folded into the round written whole
        self.commits = 0
        self.longest_write_ms = 0.0
        self._conn: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="cutline-room-ledger", daemon=True)
        self._thread.start()

    # -- any thread -----------------------------------------------------------------------------
    def submit(self, job: Join | Rate | Buy | Remove) -> Future:
        """Queue `job`; its Future gets the answer once the change is on disk (or the refusal)."""
        future: Future = Future()
        with self._lock:
            if self.closed:
                future.set_exception(_CLOSED)
                return future
            self._queue.put((job, future))
        return future

    def close(self, timeout: float = 10.0) -> None:
        """Write what is waiting, then stop: later changes are refused as the round is closed."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self._queue.put(_STOP)
        self._thread.join(timeout)

    def move_to(self, path: Path) -> None:
        """Continue in another file (the workshop was saved under a new name)."""
        with self._lock:
            self._queue.put(("move", Path(path)))

    # -- the ledger's thread --------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                batch = [self._queue.get()]
                while True:  # everything waiting now goes into this batch
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                stop = _STOP in batch
                jobs = [item for item in batch if item is not _STOP]
                moves = [item for item in jobs if isinstance(item, tuple) and item[0] == "move"]
                if moves:
                    self._reconnect(moves[-1][1])
                self._write([item for item in jobs if item not in moves])
                if stop:
                    return
        finally:
            if self._conn is not None:
                self._conn.close()

    def _reconnect(self, path: Path) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.path = path

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = disk.connect(self.path, writable=True)  # durable: synchronous = FULL
        return self._conn

    def _write(self, jobs: list) -> None:
        if not jobs:
            return
        started = time.perf_counter()
        for kind, write in ((Join, self._join), (Rate, self._rate), (Buy, self._buy), (Remove, self._remove)):
            batch = [(job, future) for job, future in jobs if isinstance(job, kind)]
            if batch:
                self._settle(batch, write)
        self.longest_write_ms = max(self.longest_write_ms, (time.perf_counter() - started) * 1000)
        self._changed()

    def _settle(self, batch: list, write) -> None:
        """Run `write(jobs)` and resolve the batch's Futures with its answers, or with the failure."""
        try:
            answers = write([job for job, _ in batch])
        except RoomRefused as exc:
            answers = [exc] * len(batch)
        except (CutlineError, sqlite3.Error, OSError) as exc:
            refused = RoomRefused(503, "Not saved: the host's laptop could not write the workshop file. "
                                       "Try again in a moment.")
            refused.__cause__ = exc
            answers = [refused] * len(batch)
        for (_, future), answer in zip(batch, answers):
            if isinstance(answer, RoomRefused):
                future.set_exception(answer)
            else:
                future.set_result(answer)

    def _commit(self, rows: list[tuple[str, object]]) -> None:
        """One durable transaction writing these `meta` rows."""
        with disk.transaction(self._connection(), self.path) as cur:
            for key, value in rows:
                store.set_meta(cur, key, value)
        self.commits += 1

    def _join(self, jobs: list[Join]) -> list:
        """Everyone waiting joins with one write of the round (names checked again, each other's too)."""
        answers, taken, names = [], {name_key(n) for n in self.room.participants}, []
        addresses: list[str] = []
        for job in jobs:
            try:
                name, role = self.room.check_join(job.name, job.role.name, job.address)
                if name_key(name) in taken:
                    raise RoomRefused(409, f"Someone called {name} has joined already; add an initial.")
                if len(self.room.participants) + len(names) >= PARTICIPANT_LIMIT:
                    raise RoomRefused(409, f"The room is full: {PARTICIPANT_LIMIT} people have joined.")
                here = self.room.joined_from(job.address) + sum(a == job.address for a in addresses)
                if job.address and here >= ADDRESS_PARTICIPANTS:
                    raise RoomRefused(429, "Too many people have joined from this device.")
            except RoomRefused as refused:
                answers.append(refused)
                continue
            taken.add(name_key(name))
            names.append(name)
            addresses.append(job.address)
            answers.append((name, role, job.address))
        if names:
            key = BUDGET_VOTE_IN_PROGRESS if self.room.kind == BUDGET else ROUND_IN_PROGRESS
            self._commit([(key, self._record(self.room, self.room.participants + tuple(names)))])
        return [a if isinstance(a, RoomRefused) else self.room.add_participant(*a) for a in answers]

    def _rate(self, jobs: list[Rate]) -> list:
        present = set(self.room.participants)
        entries = [list(e) for job in jobs if job.person.name in present for e in job.entries]
        if entries:
            self._number += 1
            self._commit([(f"{ROUND_IN_PROGRESS}:{self.room.round_id}:{self._number:09d}", entries)])
            self.room.record_ratings([tuple(e) for e in entries])
            if self._number - self._compacted >= COMPACT_EVERY:
                try:
                    self._compact()
                except (CutlineError, sqlite3.Error, OSError):
                    pass  # the additions stay, and are folded in next time; the answers are saved
        return [len(job.entries) if job.person.name in present else _GONE for job in jobs]

    def _compact(self) -> None:
        """One durable transaction writing the round whole, with every rating the room keeps, and
        dropping its additions. Run in the ledger's turn, so nothing saved is missed: the room
        holds every rating written so far (and none of the people taken out)."""
        record = {**self._record(self.room, self.room.participants),
                  "ratings": [[p, i, c, v] for (p, i, c), v in self.room.ratings().items()]}
        with disk.transaction(self._connection(), self.path) as cur:
            cur.execute("DELETE FROM meta WHERE key LIKE ?", (f"{ROUND_IN_PROGRESS}:{self.room.round_id}:%",))
            store.set_meta(cur, ROUND_IN_PROGRESS, record)
        self.commits += 1
        self._compacted = self._number

    def _buy(self, jobs: list[Buy]) -> list:
        vote, present = self.room.vote, set(self.room.participants)
        for job in jobs:
            if job.person.name in present:
                vote = vote.with_purchase(job.person.name, job.ids)
        self._commit([(BUDGET_VOTE_IN_PROGRESS, vote.to_dict())])
        for job in jobs:
            if job.person.name in present:
                self.room.record_purchase(job.person.name, job.ids)
        return [len(job.ids) if job.person.name in present else _GONE for job in jobs]

    def _remove(self, jobs: list[Remove]) -> list:
        """Write the round (or the vote) without the people taken out, in the ledger's turn with
        the answers: a write of the window's own could cross one of the ledger's and put them
        back. A rating round is written whole without their ratings and its additions dropped:
        should someone join later under the same name, a crash must not hand them those ratings."""
        if self.room.kind == BUDGET:
            self._commit([(BUDGET_VOTE_IN_PROGRESS, self._record(self.room, self.room.participants))])
        else:
            self._compact()
        return [job.name for job in jobs]
