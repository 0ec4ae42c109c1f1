"""The presentation view (F11): panels hidden and restored, large type remembered, the cut line emphasised."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QToolBar

from cutline.app.features import presentation
from tests.gui.closing import close_discarding

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the module: building one takes seconds."""
    from tests.gui.windows import scripted_window

    win = scripted_window(tmp_path_factory.mktemp("show"))
    yield win
    if win.isVisible():
        close_discarding(win)


@pytest.fixture
def window(shared_window):
    """The shared window shown, not presenting, every dock shown, at normal zoom."""
    window = shared_window
    window.feature(presentation.Presenter).leave()
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
    presenter = window.feature(presentation.Presenter)
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
    window.prompts.script(*[None] * 5)
    window.close()
    assert not presentation.is_presenting(window)
    assert window.zoom() == pytest.approx(1.0)
    assert window.settings.get("view/zoom") == pytest.approx(1.0)


def test_presenting_keeps_a_chart_that_was_built_on_demand_in_front(window):
    window.show_view("cutline")
    tab = window.charts.currentWidget()
    window.feature(presentation.Presenter).enter()
    assert window.charts.currentWidget() is tab


# -- leaving returns the window exactly as it was -----------------------------------------------
def _look(window) -> dict:
    """What a user would see change: type sizes, geometry, docks, splitter, columns."""
    from PySide6.QtWidgets import QApplication, QWidget

    docks = [d for d in window.findChildren(QDockWidget)]
    return {
        "app": QApplication.font().pointSizeF(),
        "table": window.table.font().pointSizeF(),
        "header": window.table.horizontalHeader().font().pointSizeF(),
        "menu bar": window.menuBar().font().pointSizeF(),
        "menus": [m.font().pointSizeF() for m in window.menuBar().findChildren(QWidget)],
        "dock": [d.font().pointSizeF() for d in docks],
        "dock contents": [d.widget().font().pointSizeF() for d in docks if d.widget() is not None],
        "toolbar": window.toolbar.font().pointSizeF(),
        "geometry": window.geometry().getRect(),
        "docks shown": [d.isVisible() for d in docks],
        "splitter": window.splitter.sizes(),
        "row height": window.table.verticalHeader().defaultSectionSize(),
        "column widths": [window.table.columnWidth(c) for c in range(window.table_model.columnCount())],
    }


def _every_font(window) -> dict:
    from PySide6.QtWidgets import QWidget

    return {id(w): (w, w.font().pointSizeF()) for w in [window, *window.findChildren(QWidget)]}


def test_f11_then_esc_returns_every_font_size_geometry_and_dock(window, qtbot):
    before, fonts = _look(window), _every_font(window)
    window.actions["presentation"].trigger()
    during = _look(window)
    assert during["table"] > before["table"] and not any(during["docks shown"])
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.wait(20)  # the settling pass after the layout ran
    after = _look(window)
    assert after == before
    changed = [type(w).__name__ + ":" + w.objectName() for w, size in
               (fonts[k] for k in fonts if k in _every_font(window)) if w.font().pointSizeF() != size]
    assert changed == []  # not one widget left at the presentation's type


def test_a_font_set_by_hand_comes_back_as_it_was(window):
    from PySide6.QtGui import QFont

    label = window.findChild(QLabel, "rankingHeading")
    own = QFont(label.font())
    own.setPointSizeF(13.5)
    label.setFont(own)
    try:
        window.feature(presentation.Presenter).enter()
        window.feature(presentation.Presenter).leave()
        assert label.font().pointSizeF() == pytest.approx(13.5)
    finally:
        label.setFont(QFont())


# -- the cut-line band ---------------------------------------------------------------------------
def _band_clear_of_every_cell(table) -> None:
    band = table.band_rect()
    assert band is not None and band.height() > 0
    model = table.model()
    top = table.rowAt(0)
    bottom = table.rowAt(table.viewport().height() - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    for row in range(top, bottom + 1):
        for column in shown:
            cell = table.visualRect(model.index(row, column))
            assert not cell.intersects(band), (row, column, cell, band)
            assert cell.height() >= table.verticalHeader().defaultSectionSize() - 1  # the whole cell shown


def test_the_cut_line_band_never_covers_a_row(window):
    table = window.table
    table.scroll_to_cut_line()
    _band_clear_of_every_cell(table)
    row = table.cut_band_row()
    above = table.visualRect(window.table_model.index(row - 1, window.table_model.column_of("score")))
    below = table.visualRect(window.table_model.index(row, window.table_model.column_of("score")))
    band = table.band_rect()
    assert above.bottom() < band.top() and band.bottom() < below.top()  # between the two rows

    window.actions["presentation"].trigger()
    try:
        assert window.feature(presentation.Presenter).emphasis.active
        _band_clear_of_every_cell(table)
        assert table.band_rect().height() > band.height()  # the presentation's label is larger
    finally:
        window.actions["presentation"].trigger()
    _band_clear_of_every_cell(table)


def test_sorting_by_another_column_drops_the_band_and_its_height(window):
    table, model = window.table, window.table_model
    row = table.cut_band_row()
    assert table.rowHeight(row) > table.verticalHeader().defaultSectionSize()
    table.sortByColumn(model.column_of("title"), Qt.SortOrder.AscendingOrder)
    try:
        assert table.band_rect() is None
        heights = {table.rowHeight(r) for r in range(model.rowCount())}
        assert heights == {table.verticalHeader().defaultSectionSize()}
    finally:
        table.sortByColumn(model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    assert table.rowHeight(table.cut_band_row()) > table.verticalHeader().defaultSectionSize()


# -- reasons whole, unfunded bars grey -----------------------------------------------------------
def test_every_reason_is_whole_while_presenting_at_1366x768(window, qtbot):
    from PySide6.QtGui import QFont, QFontMetrics

    from cutline.views.presentation import cell_padding, lines_needed

    size = window.size()
    window.resize(1366, 768)
    try:
        window.actions["presentation"].trigger()
        qtbot.wait(20)  # the widths are fitted once the layout has its sizes
        table, model = window.table, window.table_model
        column = model.column_of("funding")
        bold = QFont(table.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        lines = table.text_lines()
        width = table.columnWidth(column) - cell_padding(table)
        texts = model.shown_texts("funding")
        longest = max(texts, key=len)
        assert len(longest) > 90  # the sample's longest reason
        assert metrics.horizontalAdvance(longest) > width  # it could not fit on one line here
        assert 2 <= lines <= 3
        assert all(lines_needed(metrics, t, width) <= lines for t in texts)
        assert table.verticalHeader().defaultSectionSize() >= lines * metrics.lineSpacing()
        assert table.wordWrap()
        title = table.columnWidth(model.column_of("title"))
        used = sum(table.columnWidth(c) for c in range(model.columnCount()) if not table.isColumnHidden(c))
        assert title > 150 and used <= table.viewport().width()  # nothing pushed out to the right
    finally:
        window.actions["presentation"].trigger()
        window.resize(size)
    assert not window.table.wordWrap() and window.table.text_lines() == 1


def _score_cell_colours(table, view_row: int) -> set[str]:
    model = table.model()
    index = model.index(view_row, model.column_of("score"))
    table.scrollTo(index)  # the score column may be right of the list's visible part
    rect = table.visualRect(index)
    assert table.viewport().rect().contains(rect)
    image = table.viewport().grab(rect).toImage()
    return {image.pixelColor(x, y).name().upper() for x in range(image.width()) for y in range(image.height())}


@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presentation"])
def test_an_unfunded_score_bar_is_grey_and_a_funded_one_coloured(window, presenting):
    from cutline.views.palette import FUNDED
    from cutline.views.theme import current_theme

    if presenting:
        window.actions["presentation"].trigger()
    try:
        table, model = window.table, window.table_model
        table.scroll_to_cut_line()
        first_unfunded = table.cut_band_row()
        funded = window.document.evaluation.allocation.funded
        assert not funded[model.portfolio_row(first_unfunded)] and funded[model.portfolio_row(first_unfunded - 1)]
        assert FUNDED.upper() in _score_cell_colours(table, first_unfunded - 1)
        unfunded_colours = _score_cell_colours(table, first_unfunded)
        assert FUNDED.upper() not in unfunded_colours
        assert current_theme().unfunded_text.upper() in unfunded_colours  # its outline
    finally:
        if presenting:
            window.actions["presentation"].trigger()


def test_an_editor_on_the_row_below_the_cut_line_opens_below_the_band(window, qtbot):
    from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QWidget

    table, model = window.table, window.table_model
    table.scroll_to_cut_line()
    index = model.index(table.cut_band_row(), model.column_of("title"))
    table.setCurrentIndex(index)
    table.edit(index)
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = [w for w in table.viewport().children() if isinstance(w, QWidget) and w.isVisible()][-1]
    try:
        assert editor.geometry().top() >= table.band_rect().bottom()
        assert editor.geometry().intersects(table.visualRect(index))
    finally:
        table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
