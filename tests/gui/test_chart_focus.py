"""A chart in the whole window (F10): the list and the docks give way; Esc brings them back."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from cutline.app.features import chart_focus, comparison_room

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def _layout(window) -> dict:
    return {"docks": {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)},
            "top": window.splitter.widget(0).isVisible(), "charts": window.charts.isVisible(),
            "tab": window.charts.currentIndex()}


def test_f10_gives_the_chart_the_window_and_esc_returns(window, qtbot):
    window.findChild(QDockWidget, "dock_explain").hide()  # a dock the PM had closed stays closed
    qtbot.wait(10)
    window.charts.setCurrentIndex(window.charts.count() - 1)
    before, sizes = _layout(window), window.splitter.sizes()
    chart_height = window.charts.height()

    window.actions["chart_focus"].trigger()
    assert window.actions["chart_focus"].isChecked()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert not window.splitter.widget(0).isVisible() and window.charts.isVisible()
    qtbot.wait(10)
    assert window.charts.height() > chart_height  # the chart has the room the list had
    assert window.charts.currentIndex() == before["tab"]

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert _layout(window) == before and window.splitter.sizes() == sizes
    assert not window.actions["chart_focus"].isChecked()


def test_one_full_window_view_at_a_time(window, qtbot):
    window.actions["chart_focus"].trigger()
    window.actions["compare"].trigger()  # the comparison takes over: the chart gives way first
    assert comparison_room.is_in_room(window) and not window.feature(chart_focus.ChartFocus).active
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not comparison_room.is_in_room(window)
    assert window.splitter.widget(0).isVisible()
    assert any(d.isVisible() for d in window.findChildren(QDockWidget))
