"""Work that runs in the background may end after its progress dialog is gone (its window
closed): what it reports then is ignored, instead of raising 'Internal C++ object already
deleted' in the event loop."""

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QProgressDialog

from cutline.app.features import sensitivity as sensitivity_flow


@pytest.mark.slow
def test_weight_draws_that_end_after_their_dialog_is_gone_are_ignored(window, qtbot):
    sensitivity_flow.run(window, draws=300)
    dialog = window.findChild(QProgressDialog)
    shiboken6.delete(dialog)  # as when the window that owned it is deleted
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=30_000)
    qtbot.wait(50)  # the last reports arrive; pytest-qt fails the test on any exception in them
