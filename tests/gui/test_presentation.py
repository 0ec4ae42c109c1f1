"""The presentation view (F11): panels hidden and restored, large type remembered, the cut line emphasised."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QToolBar

from app import presentation


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the module: building one takes seconds."""
    from app import feature_workshop_mode
    from app.gui import LaunchOptions, build_window

    _, win, _ = build_window(LaunchOptions(screenshot=tmp_path_factory.mktemp("show") / "unused.png"))
    if "presentation" not in win.views:
        feature_workshop_mode.install(win)
    yield win
    if win.isVisible():
        win.answers = [None] * 10
        win.close()


@pytest.fixture
def window(shared_window):
    """The shared window shown, not presenting, every dock shown, at normal zoom."""
    window = shared_window
    presentation.presenter_for(window).leave()
    window.show()
    if window.zoom() != 1.0:
        window.set_zoom(1.0)
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() != "dock_rate":
            dock.show()
    return window


def heading(window) -> QLabel:
    return window.findChild(QLabel, "rankingHeading")


def panels(window) -> list:
    return [*window.findChildren(QToolBar), window.filter_bar, window.menuBar(), window.statusBar(),
            *[d for d in window.findChildren(QDockWidget) if not d.isHidden()]]


def test_presentation_hides_the_editing_panels_and_restores_them(window):
    shown = panels(window)
    assert shown and all(p.isVisible() for p in shown)
    hidden_columns = [window.table.isColumnHidden(c) for c in range(window.table_model.columnCount())]
    orientation = window.splitter.orientation()

    window.actions["presentation"].trigger()  # F11
    assert presentation.is_presenting(window)
    assert window.actions["presentation"].isChecked()
    assert not any(p.isVisible() for p in shown)
    assert window.table.isVisible()
    assert window.zoom() == pytest.approx(presentation.PRESENTATION_ZOOM)
    shown_keys = [k for c, k in enumerate(window.table_model.column_keys()) if not window.table.isColumnHidden(c)]
    assert shown_keys == list(presentation.SHOWN_COLUMNS)
    assert "cut line at #" in heading(window).text()
    assert window.styleSheet()

    window.actions["presentation"].trigger()
    assert not presentation.is_presenting(window)
    assert not window.actions["presentation"].isChecked()
    assert all(p.isVisible() for p in shown)
    assert window.zoom() == pytest.approx(1.0)
    assert [window.table.isColumnHidden(c) for c in range(window.table_model.columnCount())] == hidden_columns
    assert window.splitter.orientation() == orientation
    assert window.styleSheet() == ""
    assert heading(window).text() == "Ranked initiatives"


def test_zoom_while_presenting_is_remembered_for_the_next_time(window, qtbot):
    window.actions["presentation"].trigger()
    window.actions["zoom_in"].trigger()  # Ctrl+=
    bigger = window.zoom()
    assert bigger > presentation.PRESENTATION_ZOOM
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Esc leaves too
    assert not presentation.is_presenting(window)
    assert window.zoom() == pytest.approx(1.0)
    window.actions["presentation"].trigger()
    assert window.zoom() == pytest.approx(bigger)
    window.actions["presentation"].trigger()


def test_the_cut_line_is_drawn_thicker_while_presenting(window):
    presenter = presentation.presenter_for(window)
    window.show_view("presentation")
    assert presenter.active and presenter.emphasis.active
    y = presenter.emphasis.cut_line_y()
    assert y is not None and 0 <= y <= window.table.viewport().height()  # scrolled into view
    image = window.table.viewport().grab().toImage()
    colour = image.pixelColor(4, y)  # left of the label
    assert colour.name().upper() == "#D55E00"
    presenter.leave()
    assert not presenter.emphasis.active


def test_presentation_in_the_dark_theme(window):
    window.set_theme("dark")
    try:
        window.actions["presentation"].trigger()
        assert "#000000" in window.styleSheet()  # white on black
        window.actions["presentation"].trigger()
    finally:
        window.set_theme("light")


def test_closing_while_presenting_leaves_first(window):
    """Last in the module: the shared window stays closed."""
    window.actions["presentation"].trigger()
    window.answers = [None] * 5
    window.close()
    assert not presentation.is_presenting(window)
    assert window.zoom() == pytest.approx(1.0)
    assert window.settings.get("view/zoom") == pytest.approx(1.0)


def test_presenting_keeps_a_chart_that_was_built_on_demand_in_front(window):
    window.show_view("cutline")
    tab = window.charts.currentWidget()
    presentation.presenter_for(window).enter()
    assert window.charts.currentWidget() is tab
