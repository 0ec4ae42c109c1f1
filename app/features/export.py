"""Exporting the roadmap from the GUI: choose, then write off the GUI thread with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtWidgets import QProgressDialog

from cutline.app import worker
from cutline.models.errors import CutlineError

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow
    from cutline.views.export_dialog import ExportDialog


class ExportCancelled(Exception):
    """The user pressed Cancel while the roadmap was being written."""


class ExportFeature:
    """File > Export: the dialog on screen, the job writing, and the last file written."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        self.window = window
        self.dialog: ExportDialog | None = None
        self.job: worker.Job | None = None
        self.last_path: Path | None = None

    def export_roadmap(self, *, dialog_result=None) -> worker.Job | None:
        """Ask what to export (or take `dialog_result` = (names, path, live[, columns])), then
        write it."""
        from cutline.models.export.columns import default_keys

        window = self.window
        doc = window.document
        names = [s.name for s in doc.workshop.scenarios]
        sensitivity = current_sensitivity(window)
        if dialog_result is None:
            from cutline.views.export_dialog import ExportDialog

            dialog = ExportDialog(names, doc.workshop.current, _suggested(window, ".xlsx"),
                                  window.settings.get("export/live_formulas"), window,
                                  columns=column_choices(window, sensitivity),
                                  default_columns=list(default_keys(sensitivity is not None)))
            self.dialog = dialog
            dialog.pathAsked.connect(lambda shown: _choose_path(window, dialog, shown))
            if window.show_dialog(dialog) != dialog.DialogCode.Accepted:
                return None
            dialog_result = (dialog.chosen, dialog.path, dialog.live_formulas, dialog.columns)
        chosen, path, live = dialog_result[:3]
        columns = dialog_result[3] if len(dialog_result) > 3 else remembered_columns(window, sensitivity)
        window.settings.set("export/live_formulas", bool(live))
        if len(dialog_result) > 3:
            remember_columns(window, columns)
        evaluations = [doc.evaluate_scenario(name) for name in chosen]
        decisions = doc.journal()
        return self._run(f"Writing {path.name}…", lambda progress: _write(
            path, evaluations, decisions, live, progress, columns, sensitivity), path)

    def export_csv(self, *, path: Path | None = None) -> worker.Job | None:
        window = self.window
        if path is None:
            chosen = window.ask_save_path("Export the ranked list as CSV", _suggested(window, ".csv"),
                                          "CSV files (*.csv)")
            if not chosen:
                return None
            path = chosen[0]
        from cutline.models.export import export_csv as write_csv

        evaluation = window.document.evaluation
        return self._run(f"Writing {path.name}…", lambda progress: write_csv(path, evaluation), path)

    def _run(self, label: str, work, path: Path) -> worker.Job:
        """Run `work(progress)` in the background with a progress dialog that can cancel it."""
        window = self.window
        dialog = QProgressDialog(label, "Cancel", 0, 100, window)
        dialog.setWindowTitle("Export")
        dialog.setMinimumDuration(400)
        job: worker.Job

        def progress(done: int, total: int) -> None:
            if job.cancelled:
                raise ExportCancelled
            job._progress(done, total)

        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

        def on_done(result) -> None:
            dialog.reset()
            window.settings.set("recent/folder", str(path.parent))
            warnings = list(getattr(result, "warnings", []) or [])
            window.tell(f"Exported {path.name}" + (f" ({len(warnings)} warnings)" if warnings else ""))
            self.last_path = path
            window.prompts.reveal(path.parent)

        def on_error(exc) -> None:
            dialog.reset()
            if isinstance(exc, ExportCancelled):
                window.tell("Export cancelled; nothing was written.")
            elif isinstance(exc, CutlineError):
                window.tell_error(exc.describe())
            else:
                window.tell_error(f"Could not export {path.name}: {exc}")

        job = worker.Job(lambda _: work(progress), on_done, on_error, on_progress)
        dialog.canceled.connect(job.cancel)
        self.job = job
        return worker.start(job)


def export_roadmap(window: MainWindow, *, dialog_result=None) -> worker.Job | None:
    """File > Export roadmap…: the window's export feature asks and writes."""
    return window.feature(ExportFeature).export_roadmap(dialog_result=dialog_result)


def _choose_path(window: MainWindow, dialog: ExportDialog, shown: str) -> None:
    """The export dialog's "Choose…": where to write the workbook."""
    chosen = window.ask_save_path("Export the roadmap", shown, "Excel workbooks (*.xlsx)")
    if chosen:
        dialog.set_path(chosen[0])


def export_csv(window: MainWindow, *, path: Path | None = None) -> worker.Job | None:
    """File > Export the ranked list as CSV…"""
    return window.feature(ExportFeature).export_csv(path=path)


def _suggested(window: MainWindow, suffix: str) -> Path:
    doc = window.document
    folder = Path(window.settings.get("recent/folder") or Path.home())
    stem = doc.path.stem if doc.path is not None and not doc.untitled else "Roadmap"
    return folder / f"{stem} roadmap{suffix}"


def current_sensitivity(window: MainWindow):
    """The last sensitivity result, while it is of the current scenario and portfolio; else None."""
    from cutline.app.features.sensitivity import SensitivityFeature

    feature = window.feature(SensitivityFeature)
    result, basis = feature.result, feature.basis
    evaluation = window.document.evaluation
    if result is None or basis is None or evaluation is None:
        return None
    scenario, portfolio = basis
    if portfolio is not evaluation.portfolio or scenario != window.document.workshop.current_scenario():
        return None
    return result if len(result.funded_share) == len(evaluation.portfolio) else None


def _workshop_key(window: MainWindow) -> str:
    doc = window.document
    return str(doc.path) if doc.path is not None and not doc.untitled else ""


def remembered_columns(window: MainWindow, sensitivity=None) -> list[str] | None:
    """This workshop's last chosen columns that still exist, or None (the default set)."""
    from cutline.models.export.columns import ranked_columns_headers

    saved = (window.settings.get("export/columns") or {}).get(_workshop_key(window))
    if not saved:
        return None
    known = {k for k, _ in ranked_columns_headers(window.document.evaluation, sensitivity)}
    kept = [k for k in saved if k in known]
    return kept or None


def remember_columns(window: MainWindow, columns) -> None:
    saved = dict(window.settings.get("export/columns") or {})
    saved[_workshop_key(window)] = list(columns or [])
    window.settings.set("export/columns", saved)


def column_choices(window: MainWindow, sensitivity=None) -> list[tuple[str, str, bool]]:
    """(key, header, ticked) for the dialog: the workshop's last choice, else the default set."""
    from cutline.models.export.columns import column_choices as choices

    evaluation = window.document.evaluation
    found = choices(evaluation, sensitivity)
    chosen = remembered_columns(window, sensitivity)
    if chosen is None:
        return found
    position = {k: i for i, k in enumerate(chosen)}
    ordered = sorted(found, key=lambda c: position.get(c[0], len(position)))
    return [(k, h, k in position) for k, h, _ in ordered]


def _write(path, evaluations, decisions, live, progress, columns=None, sensitivity=None):
    from cutline.models.export import export_roadmap as write

    return write(path, evaluations, decisions=decisions, live_formulas=live, progress=progress,
                 columns=columns or None, sensitivity=sensitivity)
