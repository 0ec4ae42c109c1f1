"""The PDF handout from the File menu and from `cutline rank … -o handout.pdf`.

The pages are drawn by views/handout_pdf.py from models/export/handout.py's data. Qt's PDF writer needs
a QGuiApplication; the command line has none, so one is made here, offscreen when there is no
display, and no window is ever shown.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from cutline.models.errors import CutlineError, ExportError

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow
    from cutline.app.worker import Job

PDF_FILTER = "PDF files (*.pdf)"


@dataclass(frozen=True)
class HandoutResult:
    """What was written: the file and its number of pages."""

    path: Path
    pages: int
    warnings: tuple[str, ...] = ()


def ensure_gui_application():
    """The running application (the window's), or a new one that draws offscreen when no display
    is there (a terminal, CI): Qt's fonts and PDF writer need one. It is a QApplication, not just
    a QGuiApplication, so that a window can still be made later in the same process (tests, the
    Python API); no window is shown."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    app = QCoreApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if app is not None:  # a console-only Qt application cannot load fonts or draw a PDF
        raise ExportError("The handout needs Qt's GUI part, and this process runs Qt without it.",
                          hint="Write the handout with cutline rank FILE -o handout.pdf instead.")
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                             or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    return QApplication(["cutline"])


def default_page_size() -> str:
    """Letter where the locale measures in inches (the US), A4 elsewhere."""
    from PySide6.QtCore import QLocale

    return "Letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "A4"


def write_handout(path: Path, evaluations, *, workshop: str, current: int = 0,
                  page_size: str | None = None, today: dt.date | None = None,
                  progress=None) -> HandoutResult:
    """Write the handout of `evaluations[current]` (compared against `evaluations[0]`) to `path`,
    whole or not at all. Raises ExportError with words when it cannot. `progress(done, total)`
    is called after each page is drawn; an exception it raises cancels, writing nothing."""
    from cutline.models.export.atomic import write_atomically
    from cutline.models.export.handout import handout_data

    ensure_gui_application()
    from cutline.views.handout_pdf import handout_pdf

    path = Path(path)
    handout = handout_data(evaluations, workshop=workshop, current=current, today=today)
    try:
        data, pages = handout_pdf(handout, page_size=page_size or default_page_size(), progress=progress)
    except OSError as exc:
        raise ExportError(f"Could not draw the handout: {exc}") from None
    write_atomically(path, data)
    return HandoutResult(path, pages)


def workshop_name(loaded) -> str:
    """What the handout calls a workshop opened by the command line: its file's or source's name."""
    file = getattr(loaded, "file", None)
    if file is not None and getattr(file, "path", None) is not None:
        return Path(file.path).stem
    source = getattr(loaded.workshop, "source", "") or ""
    return Path(source).stem if source else "Workshop"


# -- from the window ---------------------------------------------------------------------------
def _suggested(window: MainWindow) -> Path:
    doc = window.document
    folder = Path(window.settings.get("recent/folder") or Path.home())
    return folder / f"{_document_name(doc)} handout.pdf"


def _document_name(doc) -> str:
    if doc.path is not None and not doc.untitled:
        return doc.path.stem
    return doc.display_name or "Workshop"


def _ask_path(window: MainWindow) -> str | None:
    """The file to write, asked with the save dialog; None when cancelled."""
    chosen = window.ask_save_path("Export the workshop handout as PDF", _suggested(window), PDF_FILTER)
    return str(chosen[0]) if chosen else None


class HandoutCancelled(Exception):
    """The user pressed Cancel while the handout was being drawn."""


class HandoutFeature:
    """File > Export handout (PDF): the job drawing the pages and the last file written."""

    VIEWS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, window: MainWindow):
        self.window = window
        self.job: Job | None = None
        self.last_path: Path | None = None

    def export_handout(self, *, path: Path | None = None) -> Job | None:
        """File > Export handout (PDF)…: every scenario compared, the current one printed. The pages
        are drawn off the GUI thread with progress (a large portfolio is hundreds of pages); returns
        the running job, or None when nothing is to be written."""
        window = self.window
        doc = window.document
        if doc is None:
            return None
        if path is None:
            name = _ask_path(window)
            if not name:
                return None
            path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        names = [s.name for s in doc.workshop.scenarios]
        try:
            evaluations = [doc.evaluate_scenario(name) for name in names]
        except CutlineError as exc:
            window.tell_error(exc.describe())
            return None
        ensure_gui_application()
        workshop, current = _document_name(doc), names.index(doc.workshop.current)
        return self._run(path, lambda progress: write_handout(path, evaluations, workshop=workshop,
                                                              current=current, progress=progress))


    def _run(self, path: Path, work) -> Job:
        """`work(progress)` in the background, with a progress dialog whose Cancel stops it."""
        window = self.window
        import shiboken6
        from PySide6.QtWidgets import QProgressDialog

        from cutline.app import worker

        dialog = QProgressDialog(f"Drawing {path.name}…", "Cancel", 0, 100, window)
        dialog.setWindowTitle("Export handout")
        dialog.setMinimumDuration(400)
        job: worker.Job

        def progress(done: int, total: int) -> None:
            if job.cancelled:
                raise HandoutCancelled
            job._progress(done, total)

        def on_progress(done: int, total: int) -> None:
            if shiboken6.isValid(dialog):  # not after the window closed
                dialog.setMaximum(max(total, 1))
                dialog.setValue(done)

        def on_done(result: HandoutResult) -> None:
            if not shiboken6.isValid(dialog):
                return  # the window closed while the pages were drawn
            dialog.reset()
            window.settings.set("recent/folder", str(path.parent))
            self.last_path = path
            window.tell(f"Exported {path.name} ({result.pages} page{'' if result.pages == 1 else 's'})")

        def on_error(exc) -> None:
            if not shiboken6.isValid(dialog):
                return
            dialog.reset()
            if isinstance(exc, HandoutCancelled):
                window.tell("Handout cancelled; nothing was written.")
            elif isinstance(exc, CutlineError):
                window.tell_error(exc.describe())
            elif isinstance(exc, OSError):
                window.tell_error(f"Could not write {path.name}: {exc.strerror or exc}")
            else:
                window.tell_error(f"Could not write {path.name}: {exc}")

        job = worker.Job(lambda _: work(progress), on_done, on_error, on_progress)
        dialog.canceled.connect(job.cancel)
        self.job = job
        return worker.start(job)


def export_handout(window: MainWindow, *, path: Path | None = None) -> Job | None:
    """File > Export handout (PDF)… from the window: its handout feature draws and writes."""
    return window.feature(HandoutFeature).export_handout(path=path)
