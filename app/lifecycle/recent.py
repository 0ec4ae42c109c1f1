"""The File > Open recent menu, rebuilt from the settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


def refresh(window: MainWindow) -> None:
    menu = window.recent_menu
    menu.clear()
    files = [p for p in window.settings.get("recent/files") if p]
    for i, path in enumerate(files):
        action = menu.addAction(f"&{i + 1} {Path(path).name}")
        action.setToolTip(path)
        action.triggered.connect(lambda checked=False, p=path: _open(window, p))
    menu.setEnabled(bool(files))


def _open(window: MainWindow, path: str) -> None:
    if not Path(path).exists():
        window.tell_error(f"{path} is no longer there.")
        return
    window.openAsked.emit(Path(path))  # the window opens it the way File > Open does
