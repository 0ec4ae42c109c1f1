"""The window as it was before a presentation: geometry, docks and every font set by hand.

Presentation mode changes the type size, hides panels and goes full screen; leaving puts the
window back exactly from this snapshot, and never wider or taller than the screen it is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


@dataclass
class WindowSnapshot:
    state: Qt.WindowState
    geometry: QByteArray
    rect: QRect
    docks: QByteArray
    app_font: QFont
    fonts: list[tuple[QWidget, QFont]] = field(default_factory=list)  # widgets whose font was set

    @classmethod
    def take(cls, window: QMainWindow) -> WindowSnapshot:
        widgets = [window, *window.findChildren(QWidget)]
        fonts = [(w, QFont(w.font())) for w in widgets if w.testAttribute(Qt.WidgetAttribute.WA_SetFont)]
        return cls(window.windowState(), window.saveGeometry(), QRect(window.geometry()),
                   window.saveState(), QFont(QApplication.font()), fonts)

    def restore_fonts(self) -> None:
        """The application's type and each font set by hand, as they were."""
        if QApplication.font() != self.app_font:
            QApplication.setFont(self.app_font)
        for widget, font in self.fonts:
            if shiboken6.isValid(widget) and widget.font() != font:
                widget.setFont(font)

    def restore_layout(self, window: QMainWindow, on_screen: bool) -> None:
        """Docks and toolbars where they were, then the window's state and geometry."""
        window.restoreState(self.docks)
        if not on_screen:  # a picture: nothing went full screen; only the size may have been pushed
            if window.geometry() != self.rect:
                window.setGeometry(self.rect)
            return
        window.setWindowState(self.state)
        if not self.state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            window.restoreGeometry(self.geometry)
        keep_on_screen(window)


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move a normal window into its screen's available area (never 1710 px on 1600)."""
    screen = window.screen()
    if screen is None or window.isFullScreen() or window.isMaximized():
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    if available.contains(frame):
        return
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = max(window.minimumWidth(), min(window.width(), available.width() - extra_w))
    height = max(window.minimumHeight(), min(window.height(), available.height() - extra_h))
    window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.left(), available.left()), available.right() + 1 - frame.width())
    y = min(max(frame.top(), available.top()), available.bottom() + 1 - frame.height())
    window.move(max(x, available.left()), max(y, available.top()))
