"""Closing a workshop without losing anything: asks only when something would be lost."""

from __future__ import annotations


def has_unsaved_work(document) -> bool:
    """An untitled workshop with changes made since it was imported; a titled one saves every edit."""
    return document.untitled and (document.undo_stack.count() > 0 or getattr(document, "recovered", False))


def settle(window) -> bool:
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
            from cutline.app import file_actions

            file_actions.save_as(window)
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
