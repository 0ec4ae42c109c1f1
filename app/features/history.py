"""The decision log as a tab: what changed, when, in which scenario; notes; the undo history."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from cutline.views.history_view import HistoryView

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class HistoryFeature:
    """Keeps the decision-log tab on the window's document and its undo stack."""

    VIEWS: ClassVar[tuple[str, ...]] = ("history",)

    def __init__(self, window: MainWindow):
        self.window = window
        self.view = HistoryView()
        window.add_chart("history", "Decision log", self.view)
        self.view.noteAdded.connect(lambda text: window.document.add_note(text))
        window.documentChanged.connect(self._on_document)

    def refresh(self) -> None:
        if self.window.document is not None:
            self.view.set_entries(self.window.document.journal())

    def _on_document(self, document) -> None:
        self.view.set_stack(document.undo_stack)
        document.journalChanged.connect(self.refresh)
        self.refresh()
