"""The workshop handout as a PDF, drawn with Qt's own PDF writer.

Four parts, each as many pages as it needs: the ranked list with its cut line, the roadmap,
capacity by team, and the scenarios compared. Every page carries the workshop, the scenario,
the date and the model in its header, and "page 2 of 5" in its footer. The page contents are
laid out first (so the page count is known), then drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cutline.views.handout_sheet import (
    BODY_PT,
    HEADER_PT,
    HEADING_PT,
    MUTED,
    RIGHT,
    RULE,
    SMALL_PT,
    Sheet,
)
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

PageSizeName = Literal["A4", "Letter"]

RESOLUTION = 600       # dots per inch of the PDF's coordinates; text and lines stay vector
MARGIN_MM = 12.0
HEADER_H = 34.0        # points: two lines of header and a rule
FOOTER_H = 18.0
TITLE_H = 26.0         # a section's title line


@dataclass(frozen=True)
class Body:
    """Where a page's content goes, in points from the printable area's top left."""

    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass
class Page:
    """One page of a section: its title and how to draw its content."""

    section: str
    draw: Callable[[Sheet], None]


Progress = Callable[[int, int], None]


def handout_pdf(handout, *, page_size: PageSizeName = "A4", progress: Progress | None = None) -> tuple[bytes, int]:
    """The handout as PDF bytes, and its number of pages. `progress(done, total)` is called after
    each page; an exception it raises stops the drawing."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = render(handout, buffer, page_size=page_size, progress=progress)
    buffer.close()
    return bytes(data.data()), pages


def render(handout, device: QIODevice, *, page_size: PageSizeName = "A4", progress: Progress | None = None) -> int:
    """Draw the handout into `device` as a PDF; returns the number of pages."""
    writer = QPdfWriter(device)
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{handout.workshop}: {handout.scenario} handout")
    writer.setCreator("Cutline")
    size = QPageSize(QPageSize.PageSizeId.Letter if page_size == "Letter" else QPageSize.PageSizeId.A4)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Landscape,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("Qt could not start writing the PDF.")
    try:
        u = writer.logicalDpiX() / 72.0
        sheet = Sheet(painter, writer, writer.width() / u, writer.height() / u)
        pages = plan_pages(sheet, handout)
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            draw_frame(sheet, handout, page.section, number, len(pages))
            page.draw(sheet)
            if progress is not None:
                progress(number, len(pages))
    finally:
        painter.end()
    return len(pages)


def body_of(sheet: Sheet) -> Body:
    top = HEADER_H + TITLE_H
    return Body(top, sheet.width, sheet.height - top - FOOTER_H)


def plan_pages(sheet: Sheet, handout) -> list[Page]:
    """Every page of the handout, in order, laid out on `sheet` (nothing drawn yet)."""
    from cutline.views.handout_capacity import capacity_pages
    from cutline.views.handout_roadmap import roadmap_pages
    from cutline.views.handout_scenarios import scenario_pages
    from cutline.views.handout_table import ranked_pages

    body = body_of(sheet)
    pages: list[Page] = []
    for section in (ranked_pages, roadmap_pages, capacity_pages, scenario_pages):
        pages.extend(section(sheet, handout, body))
    return pages


def header_words(handout) -> tuple[str, str]:
    """The header's two lines: the workshop, then scenario, model and date."""
    return (handout.workshop,
            f"Scenario: {handout.scenario}   ·   Model: {handout.model}   ·   {handout.date}")


def draw_frame(sheet: Sheet, handout, section: str, number: int, total: int) -> None:
    """The header (workshop, scenario, model, date), the section's title and the page number."""
    first, second = header_words(handout)
    w = sheet.width
    big = sheet.font(HEADER_PT, bold=True)
    small = sheet.font(SMALL_PT)
    sheet.text(0, 0, w * 0.55, 15, first, big)
    sheet.text(w * 0.35, 0, w * 0.65, 15, "Cutline workshop handout", small, colour=MUTED,
               align=RIGHT)
    sheet.text(0, 15, w, 14, second, small)
    sheet.rule(0, HEADER_H - 3, w, HEADER_H - 3, RULE, 1.0)
    sheet.text(0, HEADER_H, w, TITLE_H - 4, section, sheet.font(HEADING_PT, bold=True))
    bottom = sheet.height - FOOTER_H
    sheet.rule(0, bottom + 3, w, bottom + 3, RULE, 0.75)
    sheet.text(0, bottom + 5, w * 0.7, FOOTER_H - 5, f"{handout.workshop} · {handout.scenario} · "
               f"{handout.date} · {handout.model}", small, colour=MUTED)
    sheet.text(w * 0.7, bottom + 5, w * 0.3, FOOTER_H - 5, f"page {number} of {total}", small,
               align=RIGHT)


def note_page(section: str, body: Body, lines: list[str]) -> Page:
    """A page that says in words why a part of the handout is empty."""
    def draw(sheet: Sheet) -> None:
        font = sheet.font(BODY_PT + 1.5)
        y = body.top + 10
        for line in lines:
            wrapped = sheet.wrapped(line, font, body.width * 0.8, max_lines=4)
            y += sheet.lines(0, y, body.width * 0.8, wrapped, font) + 6

    return Page(section, draw)
