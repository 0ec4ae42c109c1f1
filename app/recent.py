"""The File > Open recent menu, rebuilt from the settings."""

from __future__ import annotations

from pathlib import Path


def refresh(window) -> None:
    menu = window.recent_menu
    menu.clear()
    files = [p for p in window.settings.get("recent/files") if p]
    for i, path in enumerate(files):
        action = menu.addAction(f"&{i + 1} {Path(path).name}")
        action.setToolTip(path)
        action.triggered.connect(lambda checked=False, p=path: _open(window, p))
    menu.setEnabled(bool(files))


def _open(window, path: str) -> None:
    from cutline.app import file_actions

    if not Path(path).exists():
        window.tell_error(f"{path} is no longer there.")
        return
    file_actions.open_path(window, Path(path))
