"""The decision log as a tab: what changed, when, in which scenario; notes; the undo history."""

from __future__ import annotations

from cutline.views.history_view import HistoryView


def install(window) -> None:
    view = HistoryView()
    window.add_chart("history", "Decision log", view)

    def refresh() -> None:
        if window.document is not None:
            view.set_entries(window.document.journal())

    def on_document(document) -> None:
        view.set_stack(document.undo_stack)
        document.journalChanged.connect(refresh)
        refresh()

    view.noteAdded.connect(lambda text: window.document.add_note(text))
    window.documentChanged.connect(on_document)
    window.history_view = view
