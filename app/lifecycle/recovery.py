"""After a crash: offer the untitled workshops that were not closed cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


def candidates() -> list[Path]:
    from cutline.app.lifecycle.document_factory import untitled_folder
    from cutline.models.workshop.file import WorkshopFile

    return [Path(p) for p in WorkshopFile.recoverable(untitled_folder())]


def offer(window: MainWindow) -> None:
    """Ask, for each workshop a crash left behind, whether to open it; open the first accepted."""
    current = window.document.path if window.document is not None else None
    for path in candidates():
        if current is not None and path == current:
            continue
        if window.ask_yes_no(
                f"Recover “{path.stem}”?",
                "Cutline did not close this untitled workshop cleanly. Its changes up to the last "
                "edit are kept. Open it now? (No leaves it for later.)"):
            recover(window, path)
            return


def recover(window: MainWindow, path: Path) -> None:
    from cutline.app.lifecycle import document_factory, saving
    from cutline.app.lifecycle.loading import Loaded
    from cutline.models.errors import CutlineError
    from cutline.models.workshop.file import WorkshopFile

    try:
        file = WorkshopFile.open(path)
    except CutlineError as exc:
        window.tell_error(exc.describe())
        return
    document = document_factory.document_for(Loaded(file.workshop, file), keep_file=True)
    document.untitled = True
    document.recovered = True
    saving.replace_document(window, document)
    window.tell(f"Recovered {path.stem}. Save it under a name to keep it (File > Save As).")
