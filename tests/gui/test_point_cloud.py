"""PointCloud: points drawn where they belong, at the symbol's size, one fragment per pixel."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from cutline.views.charts.point_cloud import PointCloud
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

RED = QColor(220, 0, 0)


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    widget.setBackground("w")
    widget.resize(400, 300)
    widget.setXRange(0, 10, padding=0)
    widget.setYRange(0, 10, padding=0)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cloud_in(plot, x, y, size=12) -> PointCloud:
    item = PointCloud("s", size, pen=None, brush=RED)
    plot.addItem(item)
    item.setData(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return item


def rendered(plot, scale: int = 1) -> QImage:
    size = plot.size() * scale
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    plot.render(painter, QRectF(image.rect()), plot.viewport().rect())
    painter.end()
    return image


def red_box(image: QImage) -> tuple[int, int, int, int]:
    """The bounding box (left, top, right, bottom) of the red pixels."""
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.width(), 4)
    red = (pixels[..., 2] > 180) & (pixels[..., 1] < 80) & (pixels[..., 0] < 80)  # BGRA
    rows, cols = np.flatnonzero(red.any(axis=1)), np.flatnonzero(red.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])


def test_a_point_is_drawn_at_its_place_and_size(plot):
    cloud_in(plot, [5.0], [5.0])
    left, top, right, bottom = red_box(rendered(plot))
    centre = plot.getPlotItem().getViewBox().mapViewToScene(QPointF(5, 5))
    centre = plot.mapFromScene(centre)
    assert abs((left + right) / 2 - centre.x()) <= 1 and abs((top + bottom) / 2 - centre.y()) <= 1
    assert 11 <= right - left + 1 <= 13


def test_a_twice_as_large_export_draws_the_symbol_twice_as_large(plot):
    cloud_in(plot, [5.0], [5.0])
    left, top, right, bottom = red_box(rendered(plot, scale=2))
    assert 22 <= right - left + 1 <= 26 and 22 <= bottom - top + 1 <= 26


def test_points_on_one_pixel_are_drawn_once_and_blanks_are_dropped(plot):
    x = np.r_[np.full(10_000, 2.0), 8.0, np.nan]
    item = cloud_in(plot, x, np.r_[np.full(10_000, 2.0), 8.0, 1.0])
    assert len(item.data) == 10_001 and item.dataBounds(0) == (2.0, 8.0)
    rendered(plot)
    assert len(item._fragments) == 2


def test_a_restyle_redraws(plot):
    item = cloud_in(plot, [5.0], [5.0])
    rendered(plot)
    item.setBrush(QColor("blue"))
    assert item.opts["brush"].color() == QColor("blue")
    with pytest.raises(IndexError):  # no red left
        red_box(rendered(plot))


def test_points_off_the_plot_and_huge_values_are_not_drawn(plot):
    item = cloud_in(plot, [5.0, 1e6, -1e6, 1e308, 5.0], [5.0, 5.0, 5.0, -1e308, 1e300])
    rendered(plot)
    assert len(item._fragments) == 1
