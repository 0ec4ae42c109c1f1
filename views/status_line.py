"""The status bar: how many initiatives, how many funded, where the cut line is, which scenario, saved."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from cutline.models.words.counts import counted
from cutline.models.words.funding import evaluation_words


class StatusLine:
    """Fills a QStatusBar with the summary a PM glances at; flashes messages for a while."""

    def __init__(self, bar: QStatusBar):
        self.bar = bar
        self.summary = QLabel(objectName="statusSummary")
        self.busy = QLabel("", objectName="statusBusy")
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.summary)
        # A child of the bar: it goes with the window, never firing on a bar already deleted.
        self._clear = QTimer(bar, singleShot=True, interval=8000)
        self._clear.timeout.connect(self._clear_message)

    def show(self, document, evaluation) -> None:
        self.summary.setText(summary_text(document, evaluation))

    def set_busy(self, busy: bool) -> None:
        self.busy.setText("Recomputing…" if busy else "")

    def flash(self, text: str) -> None:
        self.bar.showMessage(text)
        self.bar.setToolTip(text)  # whole, where a narrow window cuts the message short
        self._clear.start()

    def _clear_message(self) -> None:
        self.bar.clearMessage()
        self.bar.setToolTip("")


def summary_text(document, evaluation) -> str:
    n = len(evaluation.ranking)
    funded = int(evaluation.allocation.funded.sum())
    cut_text = evaluation_words(evaluation)
    if document.read_only:
        saved = "read-only"
    elif not document.undo_stack.isClean():
        saved = "unsaved changes" if document.untitled else "saving…"
    elif document.untitled:
        saved = "not saved yet"
    else:
        saved = "saved " + QDateTime.currentDateTime().toString("HH:mm")
    return (f"{counted(n, 'initiative')} · {funded:,} funded · {cut_text} · "
            f"scenario {evaluation.scenario.name} · {saved}")
