"""A tab page whose content is built the first time it is needed (start-up builds only what shows)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds the place of a widget that `build` makes on first `content()` or first show."""

    built = Signal(QWidget)  # the content, once made

    def __init__(self, build: Callable[[], QWidget], parent=None):
        super().__init__(parent)
        self._build = build
        self._content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        if self._content is None:
            self._content = self._build()
            self.layout().addWidget(self._content)
            self.built.emit(self._content)
        return self._content

    def showEvent(self, event) -> None:
        self.content()
        super().showEvent(event)
