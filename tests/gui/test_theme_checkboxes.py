"""Check boxes are visible in both themes: the indicator's border contrasts with the background."""

from __future__ import annotations

import pytest
from cutline.views.theme import DARK, LIGHT, apply_theme, style_sheet
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio: 3 or more is what a control's outline needs."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def themed(qapp):
    yield qapp
    apply_theme(QApplication.instance(), LIGHT, 11.0)


def _indicator_contrast(box: QCheckBox, background: QColor) -> float:
    """The best contrast against the background among the pixels of the box's indicator."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    assert rect.width() >= 8 and rect.height() >= 8
    return max(contrast(image.pixelColor(x, y), background)
               for x in range(rect.left(), rect.right() + 1) for y in range(rect.top(), rect.bottom() + 1))


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=["dark", "light"])
def test_checked_and_unchecked_boxes_stand_out_from_the_background(themed, qtbot, theme):
    apply_theme(themed, theme, 11.0)
    panel = QWidget()
    qtbot.addWidget(panel)
    layout = QVBoxLayout(panel)
    unchecked, checked = QCheckBox("Rank tiers first"), QCheckBox("Tier 1")
    checked.setChecked(True)
    layout.addWidget(unchecked)
    layout.addWidget(checked)
    panel.show()
    qtbot.waitExposed(panel)
    background = QColor(theme.window)
    assert _indicator_contrast(unchecked, background) >= 3.0
    assert _indicator_contrast(checked, background) >= 3.0


def test_the_dark_style_sheet_gives_indicators_a_border_and_a_check_mark():
    sheet = style_sheet(DARK)
    assert "QCheckBox::indicator" in sheet and f"border: 2px solid {DARK.muted}" in sheet
    assert "check.svg" in sheet
    assert contrast(QColor(DARK.muted), QColor(DARK.window)) >= 3.0
    assert contrast(QColor(DARK.muted), QColor(DARK.base)) >= 3.0
