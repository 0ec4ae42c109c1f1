"""Scenario > How sure is the ranking?: weight draws off the GUI thread, with progress and cancel."""

from __future__ import annotations

import shiboken6
from cutline.app import worker
from PySide6.QtWidgets import QProgressDialog


def run(window, *, background: bool = True, draws: int = 1000, spread: float = 0.25, seed: int = 0):
    """Draw weights around the current scenario's, re-rank and re-allocate, and show the result."""
    from cutline.models.scenarios.sensitivity import Cancelled, sensitivity

    doc = window.document
    scenario = doc.workshop.current_scenario()
    evaluation = doc.evaluation
    evaluator = doc.evaluator()

    def work(progress, cancelled=lambda: False):
        return sensitivity(evaluation.portfolio, scenario, draws=draws, spread=spread, seed=seed,
                           progress=progress, cancelled=cancelled, evaluator=evaluator)

    def done(result) -> None:
        window.sensitivity = result
        window.sensitivity_basis = (scenario, evaluation.portfolio)  # what it is of (the export checks)
        window.table_model.set_sensitivity(result)
        window.table.set_sensitivity_visible(True)
        feature = getattr(window, "scenario_feature", None)
        if feature is not None:
            feature.intervals.show_sensitivity(result, doc.evaluation)
        flips = int(result.flips.sum())
        window.tell(f"{draws:,} weight draws (±{spread:.0%}): {flips} initiatives near the cut line "
                    "flip between funded and not — discuss them first.")

    if not background:
        done(work(lambda d, t: None))
        return None
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

    job = worker.Job(lambda progress: work(progress, lambda: job.cancelled), on_done, on_error, on_progress)
    dialog.canceled.connect(job.cancel)
    window.sensitivity_job = job
    return worker.start(job)
