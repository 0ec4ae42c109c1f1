"""A scatter of many points that share one symbol, drawn as one batch of pixmap fragments.

pyqtgraph's ScatterPlotItem keeps a record per point (its own style, a lookup in a symbol
atlas), which costs about 5 µs per point on every setData: half a second for 100,000
initiatives. Every point of a PointCloud looks the same, so it keeps only the x and y arrays,
renders the symbol once, and at paint time maps the points to pixels with numpy, drops points
that land on an already drawn pixel, and hands the rest to QPainter in one call.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph import debug
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPen, QPixmap

#: Device coordinates are clipped to this, as Qt misbehaves far outside a 32-bit range.
FAR = 2.0 ** 30


class PointCloud(pg.GraphicsObject):
    """Points at (x, y) in data coordinates, each drawn as the same symbol `size` pixels wide.

    `opts` holds symbol, size, pen and brush as ScatterPlotItem names them, and `data` the
    points as a record array with x and y fields, so code and tests read it the same way.
    """

    def __init__(self, symbol: str = "o", size: float = 10, pen=None, brush=None):
        super().__init__()
        self.opts = {"symbol": symbol, "size": size, "pen": pg.mkPen(pen), "brush": pg.mkBrush(brush)}
        self.data = np.zeros(0, dtype=[("x", float), ("y", float)])
        self._rect = QRectF()
        self._sprite: tuple[tuple, QPixmap] | None = None  # ((scale, pixel ratio), symbol)
        self._fragments = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._drawn_key: tuple | None = None  # the transform and ratio the fragments were made for

    # -- style ----------------------------------------------------------------------------------
    def setSymbol(self, symbol) -> None:
        self._restyle(symbol=symbol)

    def setSize(self, size: float) -> None:
        self._restyle(size=size)

    def setPen(self, *args, **kwargs) -> None:
        self._restyle(pen=pg.mkPen(*args, **kwargs))

    def setBrush(self, *args, **kwargs) -> None:
        self._restyle(brush=pg.mkBrush(*args, **kwargs))

    def _restyle(self, **opts) -> None:
        self.prepareGeometryChange()  # before the rect changes, as Qt requires
        self.opts.update(opts)
        self._sprite, self._drawn_key = None, None
        self.update()

    # -- data -----------------------------------------------------------------------------------
    def setData(self, x, y) -> None:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        data = np.empty(int(keep.sum()), dtype=self.data.dtype)
        data["x"], data["y"] = x[keep], y[keep]
        self.prepareGeometryChange()  # before the rect changes, as Qt requires
        self.data = data
        self._rect = (QRectF(float(data["x"].min()), float(data["y"].min()),
                             float(np.ptp(data["x"])), float(np.ptp(data["y"]))) if len(data) else QRectF())
        self._drawn_key = None
        self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self.data["x"], self.data["y"]

    # -- geometry -------------------------------------------------------------------------------
    def pixelPadding(self) -> float:
        return self.opts["size"] / 2 + max(self.opts["pen"].widthF(), 1.0) + 1.0  # +1: antialiasing

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        values = self.data["x" if ax == 0 else "y"]
        return (float(values.min()), float(values.max())) if len(values) else (None, None)

    def boundingRect(self) -> QRectF:
        if self._rect.isNull() and not len(self.data):
            return QRectF()
        pad = self.pixelPadding()
        px, py = self.pixelVectors()
        px = 0.0 if px is None else px.length() * pad
        py = 0.0 if py is None else py.length() * pad
        return self._rect.adjusted(-px, -py, px, py)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()  # the padding is in pixels, so the rect follows the zoom

    # -- drawing --------------------------------------------------------------------------------
    @debug.warnOnException  # an exception escaping paint() would take the whole app down
    def paint(self, painter: QPainter, *args) -> None:
        if not len(self.data):
            return
        world = painter.transform()
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        scale = self._export_scale(world)
        window = painter.window()  # the painted area, in the painter's units before the transform
        key = (world.m11(), world.m12(), world.m21(), world.m22(), world.dx(), world.dy(), ratio, scale,
               window.width(), window.height())
        sprite = self._sprite_for(scale, ratio)
        if key != self._drawn_key:
            self._layout_fragments(world, ratio, sprite.width(), window)
            self._drawn_key = key
        if not len(self._fragments):
            return
        painter.save()
        painter.resetTransform()
        painter.drawPixmapFragments(*self._fragments.drawargs(), sprite)
        painter.restore()

    def _export_scale(self, world) -> float:
        """How much larger than on screen the painter draws (2 for a 2x PNG export)."""
        widget = self.getViewWidget()
        if widget is None:
            return 1.0
        view = self.deviceTransform(widget.viewportTransform())
        on_screen = math.hypot(view.m11(), view.m12())
        return math.hypot(world.m11(), world.m12()) / on_screen if on_screen > 0 else 1.0

    def _layout_fragments(self, world, ratio: float, side: int, window) -> None:
        """One fragment per distinct device pixel that a point lands on, for points in `window`."""
        x, y = self.data["x"], self.data["y"]
        with np.errstate(over="ignore", invalid="ignore"):
            px = (world.m11() * x + world.m21() * y + world.dx()) * ratio
            py = (world.m12() * x + world.m22() * y + world.dy()) * ratio
        # Only points whose symbol reaches into the painted area (which also drops NaN and inf).
        reach = side  # the sprite's side in device pixels: a generous half-width either way
        inside = ((px > (window.left() * ratio - reach)) & (px < (window.right() * ratio + reach))
                  & (py > (window.top() * ratio - reach)) & (py < (window.bottom() * ratio + reach)))
        px, py = np.clip(px[inside], -FAR, FAR), np.clip(py[inside], -FAR, FAR)
        # Points that land on the same device pixel draw the same pixels: keep one of each.
        cell = np.unique(np.rint(px).astype(np.int64) * (1 << 32) + np.rint(py).astype(np.int64) + (1 << 31))
        low = cell & 0xFFFFFFFF
        cx, cy = (cell - low) >> 32, low - (1 << 31)
        self._fragments.resize(len(cell))
        frags = self._fragments.ndarray()
        frags[:, 0], frags[:, 1] = cx / ratio, cy / ratio     # centre, in the painter's units
        frags[:, 2:6] = (0.0, 0.0, side, side)                # the whole sprite, in its pixels
        frags[:, 6:10] = (1.0 / ratio, 1.0 / ratio, 0.0, 1.0)  # scale x and y, rotation, opacity

    def _sprite_for(self, scale: float, ratio: float) -> QPixmap:
        """The symbol rendered once, in device pixels, at `scale` times its size on screen."""
        if self._sprite is None or self._sprite[0] != (scale, ratio):
            o = self.opts
            pen = QPen(o["pen"])
            pen.setWidthF(pen.widthF() * scale)
            image = renderSymbol(o["symbol"], o["size"] * scale, pen, o["brush"], dpr=ratio)
            self._sprite = ((scale, ratio), QPixmap.fromImage(image))
        return self._sprite[1]
