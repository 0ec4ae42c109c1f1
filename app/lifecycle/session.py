"""The window's life around the document: restored geometry, recovery offers, closing safely."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


def restore_window(window: MainWindow) -> None:
    geometry = window.settings.get("window/geometry")
    state = window.settings.get("window/state")
    if geometry:
        window.restoreGeometry(QByteArray(geometry))
    if state:
        window.restoreState(QByteArray(state))


def save_window(window: MainWindow) -> None:
    window.settings.set("window/geometry", bytes(window.saveGeometry().data()))
    window.settings.set("window/state", bytes(window.saveState().data()))


def after_show(window: MainWindow, messages: list[str]) -> None:
    """Once the window is up: offer recovery of workshops a crash left behind, then a capacity
    for a spreadsheet opened from the command line without a Capacity sheet."""
    from pathlib import Path

    from cutline.app.lifecycle import recovery

    recovery.offer(window)
    doc = window.document
    if doc is not None and getattr(doc, "needs_capacity", False):
        from cutline.app.features import capacity_proposal

        doc.needs_capacity = False
        capacity_proposal.offer(window, Path(doc.workshop.source).name if doc.workshop.source else "")
