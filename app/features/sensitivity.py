"""Scenario > How sure is the ranking?: weight draws off the GUI thread, with progress and cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog

from cutline.app import worker
from cutline.models.words.counts import counted

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class SensitivityFeature(QObject):
    """The window's last weight draws: the result, what it is of, and the job drawing them."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    computed = Signal(object)  # cutline.models.scenarios.sensitivity.Sensitivity, once the draws are done

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.result = None
        #: (Scenario, Portfolio) the result is of: the export checks it is still the current one.
        self.basis: tuple | None = None
        self.job: worker.Job | None = None

    def run(self, *, background: bool = True, draws: int = 1000, spread: float = 0.25,
            seed: int = 0) -> worker.Job | None:
        """Draw weights around the current scenario's, re-rank and re-allocate, and show the result."""
        from cutline.models.scenarios.sensitivity import sensitivity

        window = self.window
        doc = window.document
        scenario = doc.workshop.current_scenario()
        evaluation = doc.evaluation
        evaluator = doc.evaluator()

        def work(progress, cancelled=lambda: False):
            return sensitivity(evaluation.portfolio, scenario, draws=draws, spread=spread, seed=seed,
                               progress=progress, cancelled=cancelled, evaluator=evaluator)

        def done(result) -> None:
            self.result, self.basis = result, (scenario, evaluation.portfolio)
            self.computed.emit(result)
            flips = int(result.flips.sum())
            window.tell(f"{draws:,} weight draws (±{spread:.0%}): " + (
                f"{counted(flips, 'initiative')} {'flips' if flips == 1 else 'flip'} between funded and not "
                "(⚑ in How sure?) — discuss them first." if flips else "no initiative's funding flips."))

        if not background:
            done(work(lambda d, t: None))
            return None
        self.job = self._start(work, done, draws)
        return self.job

    def _start(self, work, done, draws: int) -> worker.Job:
        """`work` in the background with a progress dialog whose Cancel stops it."""
        from cutline.models.scenarios.sensitivity import Cancelled

        window = self.window
        dialog = QProgressDialog("Drawing weights and re-ranking…", "Cancel", 0, draws, window)
        dialog.setWindowTitle("How sure is the ranking?")
        dialog.setMinimumDuration(300)
        job: worker.Job

        def on_error(exc) -> None:
            if not shiboken6.isValid(dialog):
                return  # the window closed while the draws ran
            dialog.reset()
            if isinstance(exc, Cancelled):
                window.tell("Sensitivity cancelled.")
            else:
                window.tell_error(str(exc))

        def on_done(result) -> None:
            if not shiboken6.isValid(dialog):
                return  # the window closed while the draws ran
            dialog.reset()
            done(result)

        def on_progress(done_draws, total) -> None:
            if shiboken6.isValid(dialog):
                dialog.setValue(done_draws)

        job = worker.Job(lambda progress: work(progress, lambda: job.cancelled), on_done, on_error,
                         on_progress)
        dialog.canceled.connect(job.cancel)
        worker.start(job)
        return job


def run(window: MainWindow, **options) -> worker.Job | None:
    """Scenario > How sure is the ranking? (the action): the window's sensitivity feature runs."""
    return window.feature(SensitivityFeature).run(**options)
