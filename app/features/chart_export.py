"""Saving a chart as an image: the chart asks (`exportAsked`), the window's prompts give the
path, the chart writes it; a path that cannot be written is told, not raised."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cutline.views.charts.base import Chart
from cutline.views.charts.roadmap_lanes import RoadmapChart
from cutline.views.lazy_tab import LazyTab

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


def offer(window: MainWindow, widget) -> None:
    """Answer the export requests of `widget` (a chart, or a LazyTab that will build one)."""
    if isinstance(widget, LazyTab):
        widget.built.connect(lambda content: offer(window, content))
    elif isinstance(widget, Chart | RoadmapChart):
        widget.exportAsked.connect(lambda scale: save_image(window, widget, scale))


def save_image(window: MainWindow, chart: Chart | RoadmapChart, scale: int = 1) -> Path | None:
    """Ask where, then write the chart there; the path written, or None."""
    chosen = window.ask_save_path(chart.EXPORT_TITLE, chart.export_name(), chart.EXPORT_FILTERS)
    if chosen is None:
        return None
    path, chosen_filter = chosen
    try:
        written = chart.export_chosen(path, chosen_filter, scale)
    except OSError as exc:
        window.tell_error(f"Cutline could not write the image to {path} ({exc}). "
                          "Choose a folder you can write to and try again.")
        return None
    return written
