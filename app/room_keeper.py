"""The window's side of the room: what the server thread hands over is written to the workshop file
on the GUI thread, then answered.

The server thread never touches the document, the file or a widget. It calls `submit` (any
thread), which queues the job and wakes the GUI thread through a queued signal; the GUI thread
takes every job waiting, writes them durably in as few commits as it can (all ratings waiting
go into one commit: a group commit, so forty phones cost one disk sync, not forty), records them
in the room, and only then resolves each job's Future, so that the page says "saved" only for
what is on disk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal

from models.errors import CutlineError
from models.room import BUDGET, Participant, Role, Room, RoomRefused

_GONE = RoomRefused(401, "The host has taken you out of the round; nothing was saved.")


@dataclass(frozen=True)
class Join:
    name: str
    role: Role


@dataclass(frozen=True)
class Rate:
    person: Participant
    entries: list


@dataclass(frozen=True)
class Buy:
    person: Participant
    ids: tuple[str, ...]


class RoomKeeper(QObject):
    """Writes a room's joins, ratings and purchases into the workshop file, on the GUI thread.

    `record(room)` is the round's plain data to keep for the participants now in the room (a
    rating round's record, or the budget vote's); `file()` is the workshop file, or None.
    """

    _wake = Signal()
    changed = Signal()  # someone joined, rated or bought: the join screen refreshes

    def __init__(self, room: Room, file: Callable[[], object], record: Callable[[Room, tuple], dict],
                 parent=None):
        super().__init__(parent)
        self.room, self._file, self._record = room, file, record
        self._jobs: list[tuple[object, Future]] = []
        self._lock = threading.Lock()
        self._woken = False
        self.closed = False
        self._number = 0  # the last addition written
        self.commits = 0
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    # -- any thread -----------------------------------------------------------------------------
    def submit(self, job: Join | Rate | Buy) -> Future:
        """Queue `job` for the GUI thread; the Future gets its answer once it is on disk."""
        future: Future = Future()
        with self._lock:
            if self.closed:
                future.set_exception(RoomRefused(409, "The round is closed: the host has stopped taking ratings."))
                return future
            self._jobs.append((job, future))
            wake, self._woken = not self._woken, True
        if wake:
            self._wake.emit()
        return future

    # -- the GUI thread -------------------------------------------------------------------------
    def _drain(self) -> None:
        with self._lock:
            jobs, self._jobs, self._woken = self._jobs, [], False
        if not jobs:
            return
        for job, future in jobs:
            if isinstance(job, Join):
                self._settle([(job, future)], self._join)
        rates = [(j, f) for j, f in jobs if isinstance(j, Rate)]
        buys = [(j, f) for j, f in jobs if isinstance(j, Buy)]
        if rates:
            self._settle(rates, self._rate)
        if buys:
            self._settle(buys, self._buy)
        self.changed.emit()

    def _settle(self, batch: list, write) -> None:
        """Run `write(jobs)` and resolve the batch's Futures with its answers, or with the failure."""
        try:
            answers = write([job for job, _ in batch])
        except RoomRefused as exc:
            for _, future in batch:
                future.set_exception(exc)
            return
        except (CutlineError, OSError) as exc:
            refused = RoomRefused(503, "Not saved: the host's laptop could not write the workshop file. "
                                       "Try again in a moment.")
            refused.__cause__ = exc
            for _, future in batch:
                future.set_exception(refused)
            return
        for (_, future), answer in zip(batch, answers):
            if isinstance(answer, RoomRefused):
                future.set_exception(answer)
            else:
                future.set_result(answer)

    def _file_or_refuse(self):
        file = self._file()
        if file is None:
            raise RoomRefused(503, "Not saved: the host's workshop cannot be written to.")
        return file

    def _join(self, jobs: list[Join]) -> list[Participant]:
        job = jobs[0]
        name, role = self.room.check_join(job.name, job.role.name)  # again: names taken meanwhile
        data = self._record(self.room, self.room.participants + (name,))
        file = self._file_or_refuse()
        if self.room.kind == BUDGET:
            file.keep_budget_vote_in_progress(data)
        else:
            file.keep_round_in_progress(data, keep_additions=True)
        self.commits += 1
        return [self.room.add_participant(name, role)]

    def _rate(self, jobs: list[Rate]) -> list[int]:
        present = set(self.room.participants)
        entries = [list(e) for job in jobs if job.person.name in present for e in job.entries]
        if entries:
            self._number += 1
            self._file_or_refuse().keep_round_additions(self.room.round_id, self._number, entries)
            self.commits += 1
            self.room.record_ratings([tuple(e) for e in entries])
        return [len(job.entries) if job.person.name in present else _GONE for job in jobs]

    def _buy(self, jobs: list[Buy]) -> list[int]:
        vote = self.room.vote
        present = set(self.room.participants)
        for job in jobs:
            if job.person.name in present:
                vote = vote.with_purchase(job.person.name, job.ids)
        self._file_or_refuse().keep_budget_vote_in_progress(vote.to_dict())
        self.commits += 1
        for job in jobs:
            if job.person.name in present:
                self.room.record_purchase(job.person.name, job.ids)
        return [len(job.ids) if job.person.name in present else _GONE for job in jobs]

    def close(self) -> None:
        """Write whatever is waiting now and take nothing more (the round is closing)."""
        self._drain()
        with self._lock:
            self.closed = True
        self._drain()  # what came in between
