"""The room's band about the best plan: how sure, what it scores, every swap in words, and
the buttons to take it as a new scenario or put it away."""

from __future__ import annotations

from html import escape

from cutline.models.words.best_plan import PlanWords
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

#: The band never takes more than this many lines of text; more scrolls inside it.
MAX_LINES = 7


class BestPlanSummary(QFrame):
    """Shows PlanWords; emits a wish to adopt the plan or to hide it."""

    adoptAsked = Signal()
    hideAsked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("bestPlanSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = QLabel(objectName="bestPlanHeadline", wordWrap=True)
        self.headline.setProperty("role", "heading")
        self.body = QLabel(objectName="bestPlanBody", wordWrap=True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.adopted = QLabel(objectName="bestPlanAdopted", wordWrap=True)
        self.adopted.hide()
        self.adopt = QPushButton("Take it as a new scenario…", objectName="bestPlanAdopt")
        self.adopt.setToolTip("A new scenario whose pins make the walk fund this plan; "
                              "the scenario you ranked stays as it is")
        self.adopt.clicked.connect(self.adoptAsked)
        self.hide_button = QPushButton("Hide the best plan", objectName="bestPlanHide")
        self.hide_button.clicked.connect(self.hideAsked)
        self.scroll = QScrollArea(objectName="bestPlanScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(self.body)
        inner_layout.addWidget(self.adopted)
        inner_layout.addStretch(1)
        self.scroll.setWidget(inner)
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.adopt, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.hide_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.scroll)
        self.words: PlanWords | None = None
        self.hide()

    def show_words(self, words: PlanWords, *, stale: str = "") -> None:
        """Fill the band; `stale` says why the plan no longer matches the scenario (adopting is off)."""
        self.words = words
        self.headline.setText(words.headline)
        self.body.setText(_body_html(words, stale))
        self.adopt.setVisible(words.has_plan)
        self.adopt.setEnabled(words.has_plan and not stale)
        self.adopted.hide()
        self.fit_height()
        self.show()

    def show_adopted(self, text: str) -> None:
        self.adopted.setText(text)
        self.adopted.show()
        self.fit_height()

    def text(self) -> str:
        """Everything the band says, as plain text (tests, accessibility)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.body.text())
        parts = [self.headline.text(), doc.toPlainText()]
        if self.adopted.isVisible() or self.adopted.text():
            parts.append(self.adopted.text())
        return "\n".join(p for p in parts if p)

    def fit_height(self) -> None:
        """As tall as its words, up to MAX_LINES lines; the rest scrolls inside."""
        line = QFontMetrics(self.body.font()).lineSpacing()
        width = max(200, self.scroll.viewport().width() or self.width() - 40)
        inner = self.scroll.widget()
        need = inner.layout().heightForWidth(width) if inner.layout().hasHeightForWidth() else inner.sizeHint().height()
        # Where the room is tall, the band may take up to 38% of it, so the swaps read whole.
        room = self.parentWidget().height() if self.parentWidget() is not None else 0
        limit = max(line * MAX_LINES, int(room * 0.38) - self.headline.sizeHint().height())
        self.scroll.setFixedHeight(max(line * 2, min(need + 4, limit)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.words is not None:
            self.fit_height()


def _body_html(words: PlanWords, stale: str) -> str:
    parts = []
    if stale:
        parts.append(f"<p><b>{escape(stale)}</b></p>")
    if words.problems:
        parts.append("<p><b>Why no plan exists:</b></p><ul>"
                     + "".join(f"<li><b>{escape(p)}</b></li>" for p in words.problems) + "</ul>")
    if words.figures:
        parts.append("<p>" + "<br>".join(escape(f) for f in words.figures) + "</p>")
    if words.swaps:
        parts.append("<p style='margin-bottom:0'>What changes against the walk:</p><ul style='margin-top:0'>" + "".join(f"<li>{escape(s)}</li>" for s in words.swaps)
                     + "</ul>")
    if words.notes:
        parts.append("<ul>" + "".join(f"<li><i>{escape(n)}</i></li>" for n in words.notes) + "</ul>")
    return "".join(parts)
