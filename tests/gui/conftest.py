"""A real main window on the sample, offscreen: its questions are answered by ScriptedPrompts
(a test scripts what it expects to be asked), and no untitled file is written."""

import pytest

from tests.gui.closing import answer_closing, close_discarding


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from tests.gui.windows import scripted_window

    QSettings("Cutline", "Cutline").clear()  # no mapping, zoom or theme left by another test

    win = scripted_window(tmp_path)
    qtbot.addWidget(win, before_close_func=answer_closing)
    win.show()
    yield win
    close_discarding(win)
