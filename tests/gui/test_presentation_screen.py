"""Presentation on a real screen (ScreenDisplay, not a picture) and a screen of a given size: full screen on
entering, the very same window on leaving, never wider than the screen.

Each case runs in a child process: the offscreen platform takes its screen size only at start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow

CHILD = r'''
import json, sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget
from tests.gui.windows import scripted_window
from cutline.app.window.display import ScreenDisplay
from cutline.app.features import presentation
from cutline.app.window.snapshot import keep_on_screen
from tests.gui.closing import close_discarding

width, height = int(sys.argv[1]), int(sys.argv[2])
# A real screen: full screen on entering, its state back on leaving.
win = scripted_window(Path(sys.argv[3]), display=ScreenDisplay())
app = QApplication.instance()
screen = win.screen().availableGeometry()
win.setGeometry(screen.x() + 5, screen.y() + 30, width - 10, height - 90)  # within the screen
win.show()
def settle():
    for _ in range(6):
        app.processEvents()
settle()

def look():
    docks = win.findChildren(QDockWidget)
    return {"geometry": win.geometry().getRect(), "state": int(win.windowState().value),
            "docks": [d.isVisible() for d in docks], "splitter": win.splitter.sizes(),
            "fonts": sorted({round(w.font().pointSizeF(), 2) for w in [win, *win.findChildren(QWidget)]}),
            "table": win.table.font().pointSizeF(), "menu": win.menuBar().font().pointSizeF()}

def fits(rect):
    return screen.contains(rect)

before = look()
win.actions["presentation"].trigger()
settle()
during = {"geometry": win.geometry().getRect(), "full": win.isFullScreen(),
          "minimum": [win.minimumSizeHint().width(), win.minimumSizeHint().height()],
          "fits": fits(win.frameGeometry()), "table_right": win.table.mapTo(win, win.table.rect().topRight()).x()}
win.actions["presentation"].trigger()
settle()
after = look()
after_fits = fits(win.frameGeometry())
toolbar = win.toolbar
buttons = {name: toolbar.widgetForAction(win.actions[name]) for name in ("compare", "undo", "redo")}
buttons_shown = {n: b is not None and b.isVisible() and win.rect().contains(b.mapTo(win, b.rect().bottomRight()))
                 for n, b in buttons.items()}
win.resize(screen.width() + 110, height - 90)  # what leaving used to do: 1710 on a 1600 screen
settle()
keep_on_screen(win)
settle()
pulled_in = fits(win.frameGeometry())
print(json.dumps({"before": before, "during": during, "after": after, "after_fits": after_fits,
                  "buttons": buttons_shown, "pulled_in": pulled_in,
                  "screen": [screen.width(), screen.height()], "minimum_width": win.minimumSizeHint().width()}))
close_discarding(win)
'''


def run_child(tmp_path: Path, width: int, height: int) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "projector", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", TMPDIR=str(tmp_path))
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", CHILD, str(width), str(height), str(tmp_path)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)], ids=["1600x1000", "1366x768"])
def test_presentation_fills_the_screen_and_leaving_returns_the_window(tmp_path, size):
    result = run_child(tmp_path, *size)
    width, height = size
    assert result["screen"] == [width, height]
    during = result["during"]
    assert during["full"] and during["geometry"] == [0, 0, width, height]
    assert during["minimum"][0] <= width and during["minimum"][1] <= height  # the layout fits the screen
    assert during["table_right"] <= width
    before, after = result["before"], result["after"]
    # The normal window fits the screen too: the filter bar and both docks need less than 1366 px.
    assert result["minimum_width"] <= width
    assert after == before  # fonts, geometry, state, docks, splitter
    assert result["after_fits"]
    assert all(result["buttons"].values()), result["buttons"]  # Compare, Undo and Redo visible
    assert result["pulled_in"]  # a window wider than its screen is brought back within it
