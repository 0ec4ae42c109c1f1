"""The open workshop: its state, its file, its evaluation and its undo stack."""

from __future__ import annotations

from pathlib import Path

from cutline.app import worker
from cutline.app.undo import WorkshopChange
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.workshop.document import Workshop
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

#: Above this many initiatives, evaluation runs off the GUI thread (it takes over ~50 ms).
BACKGROUND_ROWS = 20_000


class WorkshopDocument(QObject):
    """Holds one Workshop and keeps its evaluation current; every change is an undo command."""

    evaluated = Signal(object)        # Evaluation of the current scenario
    workshopChanged = Signal()        # anything in the workshop changed (scenarios, names, ...)
    portfolioReplaced = Signal()      # a new portfolio (import, open): views reset
    busyChanged = Signal(bool)
    failed = Signal(str)              # a message for the user
    journalChanged = Signal()
    fileAttached = Signal()           # the document now saves to another file (Save As)

    def __init__(self, workshop: Workshop, file=None, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._workshop = workshop
        self._file = file
        self._evaluator = Evaluator(workshop.portfolio)
        self._evaluation = None
        self._job = None
        self._pending = False
        self._generation = 0
        self.background_rows = BACKGROUND_ROWS
        #: True while the workshop lives only in the data folder (imported, never saved by name).
        self.untitled = file is None
        #: What an untitled workshop is called until saved: the spreadsheet it came from.
        self.display_name: str | None = None
        #: Opened from a spreadsheet without capacity: the window proposes one once shown.
        self.needs_capacity = False
        self.recovered = False
        self._last_merge_key: str | None = None

    # -- reading ----------------------------------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        return self._workshop

    @property
    def evaluation(self):
        """The evaluation of the current scenario (None until the first one is done)."""
        return self._evaluation

    @property
    def file(self):
        return self._file

    @property
    def path(self) -> Path | None:
        return None if self._file is None else Path(self._file.path)

    @property
    def read_only(self) -> bool:
        return bool(self._file is not None and self._file.read_only)

    def evaluator(self) -> Evaluator:
        return self._evaluator

    def evaluate_now(self):
        """Evaluate the current scenario on this thread and show it (start-up, tests, CLI)."""
        self._evaluation = self._evaluator.evaluate(self._workshop.current_scenario())
        self.evaluated.emit(self._evaluation)
        return self._evaluation

    def evaluate_scenario(self, name: str):
        """The evaluation of any scenario of the workshop, by name."""
        return self._evaluator.evaluate(self._workshop.scenario(name))

    # -- changing ---------------------------------------------------------------------------
    def change(self, after: Workshop, text: str, *, kind: str, old=None, new=None,
               merge_key: str | None = None, template: str | None = None) -> None:
        """Push one undoable change that turns the workshop into `after`.

        `template` ("Weight of dx {old} → {new}") lets merged slider moves keep a true text.
        """
        if self.read_only:
            self.failed.emit("This workshop is open read-only; use Save As to keep your changes.")
            return
        if after is self._workshop:
            return
        self.undo_stack.push(WorkshopChange(self, after, text, kind=kind, old=old, new=new,
                                            merge_key=merge_key, template=template))

    def end_gesture(self) -> None:
        """A drag has ended: the next change starts a new undo step and journal entry."""
        top = self.undo_stack.command(self.undo_stack.index() - 1) if self.undo_stack.index() else None
        if isinstance(top, WorkshopChange):
            top.close()
        self._last_merge_key = None

    def apply(self, workshop: Workshop, entry: dict | None, merge_key: str | None = None) -> None:
        """Make `workshop` current, write it to the file with its journal entry, re-evaluate.

        Called by undo commands only: they own the before and after states.
        """
        portfolio_changed = workshop.portfolio is not self._workshop.portfolio
        self._workshop = workshop
        if self._file is not None and not self._file.read_only:
            from cutline.models.workshop.journal import JournalEntry

            # A slider still moving folds into the journal entry it started.
            merge = merge_key is not None and merge_key == self._last_merge_key
            entry = dict(entry)
            summary_for = entry.pop("summary_for", None)
            try:
                self._file.record(workshop, JournalEntry(**entry), merge=merge, summary_for=summary_for)
            except Exception as exc:  # noqa: BLE001 - a failed write must never lose the state in memory
                self.failed.emit(f"Could not write the change to the workshop file: {exc}")
            self._last_merge_key = merge_key
            self.journalChanged.emit()
        if portfolio_changed:
            self._evaluator = Evaluator(workshop.portfolio)
        self.workshopChanged.emit()
        self.request_evaluation()

    def request_evaluation(self) -> None:
        """Re-evaluate the current scenario: at once when small, else in the background.

        A burst of requests while a background evaluation runs computes only the last state.
        """
        if len(self._workshop.portfolio) < self.background_rows:
            self.evaluate_now()
            return
        if self._job is not None:
            self._pending = True
            return
        self._start_job()

    def _start_job(self) -> None:
        self._pending = False
        self._generation += 1
        generation = self._generation
        evaluator, scenario = self._evaluator, self._workshop.current_scenario()
        self.busyChanged.emit(True)
        self._job = worker.start(worker.Job(
            lambda progress: evaluator.evaluate(scenario),
            lambda result: self._job_done(generation, result),
            lambda exc: self._job_failed(exc),
        ))

    def _job_done(self, generation: int, evaluation) -> None:
        self._job = None
        if self._pending:
            self._start_job()
            return
        self.busyChanged.emit(False)
        if generation == self._generation:
            self._evaluation = evaluation
            self.evaluated.emit(evaluation)

    def _job_failed(self, exc: BaseException) -> None:
        self._job = None
        self.busyChanged.emit(False)
        self.failed.emit(str(exc))
        if self._pending:
            self._start_job()

    def wait_idle(self, timeout_ms: int = 30_000) -> None:
        """Block until background evaluation is done (benchmarks and tests)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThreadPool

        timer = QElapsedTimer()
        timer.start()
        while self._job is not None and timer.elapsed() < timeout_ms:
            QThreadPool.globalInstance().waitForDone(20)
            QCoreApplication.processEvents()

    # -- the file ---------------------------------------------------------------------------
    def attach_file(self, file) -> None:
        self._file = file
        self.fileAttached.emit()
        self.undo_stack.setClean()
        self.workshopChanged.emit()
        self.journalChanged.emit()

    def journal(self) -> list:
        return [] if self._file is None else list(self._file.journal())

    def add_note(self, text: str) -> None:
        if self._file is not None and text.strip():
            self._file.add_note(text.strip())
            self.journalChanged.emit()

    # -- a rating round in progress (kept in the file, outside undo) -----------------------------
    def keep_round_in_progress(self, data: dict | None) -> None:
        """Keep the round being rated in the workshop file, so a crash loses no rating."""
        if self._file is None or self._file.read_only:
            return
        try:
            self._file.keep_round_in_progress(data)
        except Exception as exc:  # noqa: BLE001 - the round stays in memory; say the file did not take it
            self.failed.emit(f"Could not keep the rating round in the workshop file: {exc}")

    def round_in_progress(self) -> dict | None:
        return None if self._file is None else self._file.round_in_progress()

    def room_file(self):
        """The workshop file a room keeps its ratings in as they arrive, or None when it cannot
        (no file, or open read-only). Called on the GUI thread only."""
        return None if self._file is None or self._file.read_only else self._file
