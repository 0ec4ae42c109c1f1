"""The handout's roadmap: funded work by quarter, one lane per team (or layer), each initiative
a box across the quarters it runs over, in its category's colour with its rank and title.

Drawn here from the handout's data (models/export/handout.py), not from the window's roadmap chart,
so the printed page has its own paper-sized layout: lanes that do not fit continue on the next
page, with the quarters repeated at the top.
"""

from __future__ import annotations

from cutline.models.export.handout import pack_rows
from cutline.models.words.plans import LATE_MARK
from cutline.views.handout_pdf import Body, Page, note_page
from cutline.views.handout_sheet import (
    BODY_PT,
    CENTRE,
    INK,
    LEFT,
    RULE,
    SHADE,
    SMALL_PT,
    Sheet,
    tint,
)
from cutline.views.palette import LATE, category_colour, ordered_categories
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

SECTION = "Roadmap: funded work by quarter"
HEAD_H = 18.0
SUMMARY_H = 18.0
LEGEND_LINE = 13.0
LANE_PAD = 3.0
LANE_SHARE = 0.15   # of the width, for the lane names


def roadmap_pages(sheet: Sheet, handout, body: Body) -> list[Page]:
    if not handout.boxes:
        why = ("No capacity is set for this scenario, so nothing is funded and the roadmap is empty."
               if not handout.capacity_set else "Nothing is funded in this scenario, so the roadmap is empty.")
        return [note_page(SECTION, body, [why, "Set capacity per team and quarter (Edit > Capacity and "
                                               "guardrails…, or cutline --capacity FILE) to fund work."])]
    box_h = sheet.line_height(sheet.font(BODY_PT)) + 6
    legend_h = 10 + LEGEND_LINE * _legend_lines(sheet, handout, body.width)
    rows = pack_rows(handout.boxes)
    by_lane: dict[str, list[tuple[object, int]]] = {lane: [] for lane in handout.lanes}
    for box, row in zip(handout.boxes, rows, strict=True):
        by_lane.setdefault(box.lane, []).append((box, row))
    # Pieces of lanes, page by page: (lane, its boxes on this page with rows from 0, rows, continued).
    pages, chunk = [], []
    top = body.top + SUMMARY_H + HEAD_H
    y, limit = top, body.bottom - legend_h
    for lane, placed in by_lane.items():
        count = max(row for _, row in placed) + 1
        start = 0
        while start < count:
            room = int((limit - y - 2 * LANE_PAD) // box_h)
            if chunk and room < min(2, count - start):  # not one lonely row of a lane: a new page
                pages.append(chunk)
                chunk, y = [], body.top + HEAD_H
                continue
            take = max(1, min(room, count - start))
            piece = [(box, row - start) for box, row in placed if start <= row < start + take]
            chunk.append((lane, piece, take, start > 0))
            y += take * box_h + 2 * LANE_PAD
            start += take
    if chunk:
        pages.append(chunk)
    return [_page(handout, body, chunk, box_h, legend_h, first=i == 0) for i, chunk in enumerate(pages)]


def summary_words(handout) -> str:
    quarters = handout.quarters
    span = f"{quarters[0]} to {quarters[-1]}" if len(quarters) > 1 else (quarters[0] if quarters else "")
    kind = "teams" if handout.lane_kind == "team" else "layers"
    count = len(handout.boxes)
    return (f"{count:,} funded initiative{'' if count == 1 else 's'} in {len(handout.lanes):,} {kind}, "
            f"{span}; each box is one initiative, #rank and title")


def _page(handout, body: Body, chunk, box_h: float, legend_h: float, *, first: bool) -> Page:
    def draw(sheet: Sheet) -> None:
        y = body.top
        if first:
            sheet.text(0, y, body.width, SUMMARY_H - 4, summary_words(handout), sheet.font(BODY_PT + 1, bold=True))
            y += SUMMARY_H
        lane_w = body.width * LANE_SHARE
        quarter_w = (body.width - lane_w) / max(1, len(handout.quarters))
        grid_top = y
        bold = sheet.font(SMALL_PT + 0.5, bold=True)
        for q, name in enumerate(handout.quarters):
            sheet.text(lane_w + q * quarter_w, y, quarter_w, HEAD_H - 2, name, bold, align=CENTRE)
        y += HEAD_H
        sheet.rule(0, y - 1, body.width, y - 1, INK, 1.0)
        tops = []
        for index, (lane, _, rows, continued) in enumerate(chunk):   # lanes first, boxes over the grid
            height = rows * box_h + 2 * LANE_PAD
            tops.append(y)
            if index % 2:
                sheet.fill(0, y, body.width, height, SHADE)
            label = f"{lane} (continued)" if continued else lane
            font = sheet.font(BODY_PT, bold=True)
            lines = sheet.wrapped(label, font, lane_w - 6, max_lines=max(1, min(3, int(height // sheet.line_height(font)))))
            sheet.lines(2, y + LANE_PAD, lane_w - 6, lines, font)
            y += height
            sheet.rule(0, y, body.width, y, RULE, 0.5)
        for q in range(len(handout.quarters) + 1):
            x = lane_w + q * quarter_w
            sheet.rule(x, grid_top, x, y, RULE, 0.5)
        for (_, piece, _, _), lane_top in zip(chunk, tops, strict=True):
            for box, row in piece:
                _box(sheet, lane_w + box.first * quarter_w + 2, lane_top + LANE_PAD + row * box_h + 1,
                     (box.finish - box.first + 1) * quarter_w - 4, box_h - 2, box)
        _legend(sheet, handout, body, legend_h)

    return Page(SECTION, draw)


def _box(sheet: Sheet, x: float, y: float, w: float, h: float, box) -> None:
    colour = category_colour(box.category)
    if box.late:
        sheet.box(x, y, w, h, fill=tint(colour, 0.25), outline=QColor(LATE), width=1.2, style=Qt.PenStyle.DashLine)
    else:
        sheet.box(x, y, w, h, fill=tint(colour, 0.25), outline=colour, width=0.75)
    sheet.fill(x, y, 4, h, colour)
    words = f"{LATE_MARK} " if box.late else ""
    sheet.text(x + 7, y, w - 9, h, f"{words}#{box.rank} {box.title}", sheet.font(BODY_PT), colour=INK, align=LEFT)


def _late_words() -> str:
    return f"{LATE_MARK} late: finishes after its due quarter"


def _legend_lines(sheet: Sheet, handout, width: float) -> int:
    """How many lines the legend takes: the late mark (when any box is late), then the categories."""
    font = sheet.font(SMALL_PT)
    x = 20 + sheet.text_width(_late_words(), font) + 24 if any(b.late for b in handout.boxes) else 0.0
    lines = 1
    for category in ordered_categories(b.category for b in handout.boxes):
        need = 24 + sheet.text_width(category or "no category", font)
        if x + need > width and x > 0:
            x, lines = 0.0, lines + 1
        x += need
    return lines


def _legend(sheet: Sheet, handout, body: Body, legend_h: float) -> None:
    font = sheet.font(SMALL_PT)
    y = body.bottom - legend_h + 8
    x = 0.0
    if any(b.late for b in handout.boxes):
        sheet.box(x, y + 1, 16, 10, outline=QColor(LATE), width=1.2, style=Qt.PenStyle.DashLine)
        sheet.text(x + 20, y, 300, 12, _late_words(), font)
        x += 20 + sheet.text_width(_late_words(), font) + 24
    sheet.category_legend(x, y, body.width, body.bottom, ordered_categories(b.category for b in handout.boxes),
                          font, LEGEND_LINE)
