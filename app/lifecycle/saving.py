"""Keeping the open workshop: saving it under a name, and closing or replacing it without losing
anything (asks only when something would be lost)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cutline.app.lifecycle import recent
from cutline.models.errors import CutlineError

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

WORKSHOPS = "Cutline workshops (*.cutline)"


def folder(window: MainWindow) -> str:
    return window.settings.get("recent/folder") or str(Path.home())


def remember(window: MainWindow, path: Path) -> None:
    """Remember `path` in the recent files and its folder as the last one used."""
    window.settings.set("recent/folder", str(Path(path).parent))
    window.settings.add_recent(str(path))
    recent.refresh(window)


def has_unsaved_work(document) -> bool:
    """An untitled workshop with changes made since it was imported; a titled one saves every edit."""
    return document.untitled and (document.undo_stack.count() > 0 or getattr(document, "recovered", False))


def settle(window: MainWindow) -> bool:
    """Make the current document safe to leave; False when the user cancels."""
    document = window.document
    if has_unsaved_work(document):
        choice = window.ask_choice(
            "Keep this workshop?",
            "It has changes that are not saved under a name yet. Save it to keep them, or discard it.",
            ["Save…", "Discard"])
        if choice is None:
            return False
        if choice == "Save…":
            save_as(window)
            if document.untitled:  # the save dialog was cancelled
                return False
    close_document(document, discard=document.untitled)
    return True


def close_document(document, *, discard: bool) -> None:
    """Close the file cleanly; an untitled workshop nobody kept is removed from the data folder."""
    file = document.file
    if file is None:
        return
    try:
        file.close(discard=discard)
    except Exception:  # noqa: BLE001 - closing must not stop the app from closing
        pass


def replace_document(window: MainWindow, document) -> None:
    """Show another workshop, after settling the current one (nothing is lost)."""
    if window.document is not None and not settle(window):
        return
    window.set_document(document)


def save(window: MainWindow) -> None:
    doc = window.document
    if doc.untitled:
        save_as(window)
    else:
        window.tell(f"Every change is already saved in {doc.path.name}.")


def save_as(window: MainWindow) -> None:
    doc = window.document
    suggestion = Path(folder(window))
    if doc is not None and doc.untitled and doc.display_name:
        suggestion = suggestion / f"{doc.display_name}.cutline"
    chosen = window.ask_save_path("Save workshop as", suggestion, WORKSHOPS)
    if chosen:
        save_to(window, chosen[0])


def save_to(window: MainWindow, path: Path) -> None:
    if path.suffix.lower() != ".cutline":
        path = path.with_suffix(".cutline")
    doc = window.document
    try:
        old = doc.file
        if old is None or old.read_only:
            from cutline.models.workshop.file import WorkshopFile

            new = WorkshopFile.create(path, doc.workshop)
        else:
            new = old.save_as(path, remove_old=doc.untitled)
    except (CutlineError, OSError) as exc:
        window.tell_error(f"Could not save to {path}: {exc}")
        return
    doc.attach_file(new)
    doc.untitled = False
    doc.recovered = False
    remember(window, path)
    window._refresh_title()  # the new name and "saved" at once, not at the next change
    window.tell(f"Saved as {path.name}; every change is now saved there as you make it.")
