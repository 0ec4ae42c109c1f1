"""A real main window on the sample, headless: no dialogs wait, no untitled file is written."""

from pathlib import Path

import pytest


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from cutline.app.gui import LaunchOptions, build_window

    QSettings("Cutline", "Cutline").clear()  # no mapping, zoom or theme left by another test

    _, win, _ = build_window(LaunchOptions(screenshot=Path(tmp_path / "unused.png")))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.answers = [None] * 10  # closing never waits on a question
    win.close()
