"""Running work off the GUI thread and getting the result back on it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Bridge(QObject):
    """Lives in the GUI thread; its signals carry results back to it (queued)."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class Job(QRunnable):
    """Runs `work(progress)` in the thread pool; calls back on the GUI thread."""

    def __init__(self, work: Callable, on_done: Callable, on_error: Callable,
                 on_progress: Callable | None = None):
        super().__init__()
        self.setAutoDelete(True)
        self.bridge = _Bridge()
        self.bridge.finished.connect(on_done)
        self.bridge.failed.connect(on_error)
        if on_progress is not None:
            self.bridge.progressed.connect(on_progress)
        self._work = work
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI as a message
            self.bridge.failed.emit(exc)
        else:
            self.bridge.finished.emit(result)

    def _progress(self, done: int, total: int) -> None:
        self.bridge.progressed.emit(int(done), int(total))

    def cancel(self) -> None:
        self.cancelled = True


def start(job: Job) -> Job:
    QThreadPool.globalInstance().start(job)
    return job
