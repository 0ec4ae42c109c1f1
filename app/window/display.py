"""Where the window is shown: a person's screen, or an offscreen picture (--screenshot).

The full-window views (presentation, the comparison room) ask the window's `Display` how big the
screen is and whether going full screen really happens, instead of guessing who is looking.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget


class ScreenDisplay:
    """A person's monitor: full screen is real, the window's geometry is theirs to keep."""

    on_screen = True

    def go_full_screen(self, window: QWidget) -> None:
        window.showFullScreen()

    def screen_size(self, window: QWidget) -> QSize:
        screen = window.screen()
        return window.size() if screen is None else screen.size()

    def available_height(self, window: QWidget) -> int:
        screen = window.screen()
        return window.height() if screen is None else screen.availableGeometry().height()


class PictureDisplay:
    """An offscreen picture of a fixed size: the window stands for the screen it is the size of,
    nothing goes full screen and the window's geometry is never restored over the picture's."""

    on_screen = False

    def go_full_screen(self, window: QWidget) -> None:
        pass

    def screen_size(self, window: QWidget) -> QSize:
        return window.size()

    def available_height(self, window: QWidget) -> int:
        return window.height()


Display = ScreenDisplay | PictureDisplay
