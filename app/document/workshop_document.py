"""The open workshop: its state, its file, its evaluation and its undo stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from cutline.app import worker
from cutline.app.document.journal_writer import JournalWriter
from cutline.app.document.undo import WorkshopChange, open_step
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.workshop.diff import WorkshopDiff, diff
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.journal import JournalEntry

#: Above this many initiatives, evaluation runs off the GUI thread (it takes over ~50 ms).
BACKGROUND_ROWS = 20_000


class WorkshopDocument(QObject):
    """Holds one Workshop and keeps its evaluation current; every change is an undo command."""

    evaluated = Signal(object)        # Evaluation of the current scenario
    # What a change did, each with its WorkshopDiff; a listener connects to what it shows.
    modelChanged = Signal(object)     # the current scenario's model (or another one is current)
    capacityChanged = Signal(object)  # the current scenario's capacity and guardrails
    planChanged = Signal(object)      # the current scenario's overrides, planning, constraints
    scenariosChanged = Signal(object)  # added, removed, renamed, current, or another one edited
    portfolioChanged = Signal(object)  # cells edited, or a new portfolio (diff.portfolio_replaced)
    portfolioReplaced = Signal()      # other initiatives (import, open): views reset
    ratingsChanged = Signal(object)   # rating rounds
    fileStateChanged = Signal()       # dirty or saved, another file, read-only
    busyChanged = Signal(bool)
    failed = Signal(str)              # a message for the user
    journalChanged = Signal()
    fileAttached = Signal()           # the document now saves to another file (Save As)

    def __init__(self, workshop: Workshop, file=None, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self.fileStateChanged)  # dirty or saved
        self._workshop = workshop
        self._file = file
        self._writer = JournalWriter(self)
        self._writer.attach(file)
        self._writer.written.connect(self.journalChanged)
        self._writer.failed.connect(self.failed)
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
        self._in_gesture = False  # between begin_gesture and end_gesture (a drag)

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
        """The workshop file, with every change written (a drag still moving included)."""
        self._writer.flush()
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
        if open_step(self.undo_stack, merge_key) is None:
            self._writer.flush()  # another step begins: the one before is committed first
        self.undo_stack.push(WorkshopChange(self, after, text, kind=kind, old=old, new=new,
                                            merge_key=merge_key, template=template))

    def begin_gesture(self) -> None:
        """A drag begins: it is an undo step and journal entry of its own, and its moves are
        committed to the file when it ends or pauses rather than one by one."""
        self.end_gesture()
        self._in_gesture = True

    def end_gesture(self) -> None:
        """A gesture has ended: the next change starts a new undo step and journal entry, and
        the gesture is committed to the file."""
        index = self.undo_stack.index()
        top = self.undo_stack.command(index - 1) if index else None
        if isinstance(top, WorkshopChange):
            top.close()
        self._in_gesture = False
        self._writer.flush()

    def apply(self, workshop: Workshop, entry: JournalEntry, *, replaces_last: bool = False,
              moving: bool = False) -> None:
        """Make `workshop` current, hand it to the file with its journal entry, re-evaluate.

        Called by undo commands only: they own the before and after states and the entry.
        """
        before, self._workshop = self._workshop, workshop
        self._writer.write(workshop, entry, replaces_last=replaces_last,
                           moving=moving and self._in_gesture)
        if workshop.portfolio is not before.portfolio:
            self._evaluator = Evaluator(workshop.portfolio)
        self._announce(diff(before, workshop))
        self.request_evaluation()

    def _announce(self, change: WorkshopDiff) -> None:
        """Emit one signal per part that changed, so each view refreshes only for its own."""
        if change.model:
            self.modelChanged.emit(change)
        if change.capacity:
            self.capacityChanged.emit(change)
        if change.plan:
            self.planChanged.emit(change)
        if change.scenarios or change.other_scenarios:
            self.scenariosChanged.emit(change)
        if change.portfolio:
            self.portfolioChanged.emit(change)
        if change.portfolio_replaced:
            self.portfolioReplaced.emit()
        if change.ratings:
            self.ratingsChanged.emit(change)

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
        self._writer.attach(file)
        self._file = file
        self.fileAttached.emit()
        self.undo_stack.setClean()
        self.fileStateChanged.emit()
        self.journalChanged.emit()

    def journal(self) -> list:
        return [] if self.file is None else list(self.file.journal())

    def add_note(self, text: str) -> None:
        if self.file is not None and text.strip():
            self.file.add_note(text.strip())
            self.journalChanged.emit()

    # -- a rating round in progress (kept in the file, outside undo) -----------------------------
    def keep_round_in_progress(self, data: dict | None) -> None:
        """Keep the round being rated in the workshop file, so a crash loses no rating."""
        if self._file is None or self._file.read_only:
            return
        try:
            self.file.keep_round_in_progress(data)
        except Exception as exc:  # noqa: BLE001 - the round stays in memory; say the file did not take it
            self.failed.emit(f"Could not keep the rating round in the workshop file: {exc}")

    def round_in_progress(self) -> dict | None:
        return None if self._file is None else self._file.round_in_progress()

    def room_file(self):
        """The workshop file a room keeps its ratings in as they arrive, or None when it cannot
        (no file, or open read-only). Called on the GUI thread only."""
        return None if self._file is None or self._file.read_only else self.file
