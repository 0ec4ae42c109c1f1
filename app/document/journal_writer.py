"""Writing a document's changes to its workshop file, without a commit per slider tick.

A change is committed before `write` returns, so it survives a kill -9, with one exception: the
ticks of a gesture still moving (a slider being dragged) wait. The latest of them is committed
when the gesture ends, when the hand rests for `PAUSE_MS`, before any other change, and before
anyone reads or takes the file. A kill -9 therefore loses at most the drag in flight, never a
change the user has let go of. Each tick had cost one SQLite commit (an fsync) on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from cutline.models.workshop.document import Workshop
from cutline.models.workshop.journal import JournalEntry

#: A drag held still this long is committed as it stands (ticks come every 40 ms while it moves;
#: one tick of a large portfolio, evaluated and painted, can take a few hundred ms).
PAUSE_MS = 1000


@dataclass(frozen=True)
class _Write:
    workshop: Workshop
    entry: JournalEntry
    replaces_last: bool


class JournalWriter(QObject):
    """Commits each change (the workshop and its journal entry) to the file it is given."""

    written = Signal()      # the journal in the file changed
    failed = Signal(str)    # a sentence for the user

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._file = None
        self._waiting: _Write | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.flush)

    def attach(self, file) -> None:
        """Write to `file` from now on (what waited goes to the previous file first)."""
        self.flush()
        self._file = file

    def write(self, workshop: Workshop, entry: JournalEntry, *, replaces_last: bool,
              moving: bool) -> None:
        """Commit `workshop` with `entry` (in place of the last entry when `replaces_last`);
        with `moving`, the commit waits for the gesture to end or pause."""
        if self._file is None or self._file.read_only:
            return
        if moving:
            # Only the gesture's latest state is kept; it is a new entry if the first tick was.
            first = self._waiting
            self._waiting = _Write(workshop, entry, replaces_last if first is None else first.replaces_last)
            self._pause.start()
            return
        self.flush()
        self._commit(_Write(workshop, entry, replaces_last))

    def flush(self) -> None:
        """Commit what waits now (a gesture ended, or someone reads or takes the file)."""
        self._pause.stop()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._commit(waiting)

    def _commit(self, write: _Write) -> None:
        try:
            if write.replaces_last:
                self._file.replace_last(write.workshop, write.entry)
            else:
                self._file.record(write.workshop, write.entry)
        except Exception as exc:  # noqa: BLE001 - a failed write must never lose the state in memory
            self.failed.emit(f"Could not write the change to the workshop file: {exc}")
        self.written.emit()
