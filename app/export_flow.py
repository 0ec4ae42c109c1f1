"""Exporting the roadmap from the GUI: choose, then write off the GUI thread with progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from app import worker
from models.errors import CutlineError


class ExportCancelled(Exception):
    """The user pressed Cancel while the roadmap was being written."""


def _suggested(window, suffix: str) -> Path:
    doc = window.document
    folder = Path(window.settings.get("recent/folder") or Path.home())
    stem = doc.path.stem if doc.path is not None and not doc.untitled else "Roadmap"
    return folder / f"{stem} roadmap{suffix}"


def export_roadmap(window, *, dialog_result=None) -> worker.Job | None:
    """Ask what to export (or take `dialog_result` = (names, path, live)), then write it."""
    from views.export_dialog import ExportDialog

    doc = window.document
    names = [s.name for s in doc.workshop.scenarios]
    if dialog_result is None:
        dialog = ExportDialog(names, doc.workshop.current, _suggested(window, ".xlsx"),
                              window.settings.get("export/live_formulas"), window)
        window.export_dialog = dialog
        if window.show_dialog(dialog) != dialog.DialogCode.Accepted:
            return None
        dialog_result = (dialog.chosen, dialog.path, dialog.live_formulas)
    chosen, path, live = dialog_result
    window.settings.set("export/live_formulas", bool(live))
    evaluations = [doc.evaluate_scenario(name) for name in chosen]
    decisions = doc.journal()
    return _run(window, f"Writing {path.name}…", lambda progress: _write(path, evaluations, decisions,
                                                                          live, progress), path)


def export_csv(window, *, path: Path | None = None) -> worker.Job | None:
    if path is None:
        name, _ = QFileDialog.getSaveFileName(window, "Export the ranked list as CSV",
                                              str(_suggested(window, ".csv")), "CSV files (*.csv)")
        if not name:
            return None
        path = Path(name)
    from models.export import export_csv as write_csv

    evaluation = window.document.evaluation
    return _run(window, f"Writing {path.name}…", lambda progress: write_csv(path, evaluation), path)


def _write(path, evaluations, decisions, live, progress):
    from models.export import export_roadmap as write

    return write(path, evaluations, decisions=decisions, live_formulas=live, progress=progress)


def _run(window, label: str, work, path: Path) -> worker.Job:
    """Run `work(progress)` in the background with a progress dialog that can cancel it."""
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
        window.last_export = path
        if not window.property("headless") and window.answers is None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

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
    window.export_job = job
    return worker.start(job)
