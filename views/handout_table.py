"""The handout's ranked list: every initiative in rank order, the cut line drawn as a rule with
its words, the header repeated on every page. Long titles and reasons wrap to two lines and are
cut with "…" after that, so nothing runs into the next column."""

from __future__ import annotations

from dataclasses import dataclass

from cutline.models.words.funding import cut_line_words
from cutline.views.handout_pdf import Body, Page, note_page
from cutline.views.handout_sheet import (
    BODY_PT,
    CENTRE,
    INK,
    LEFT,
    MUTED,
    RIGHT,
    RULE,
    SHADE,
    SMALL_PT,
    Sheet,
)
from cutline.views.palette import CUT_LINE, LATE, category_colour
from PySide6.QtGui import QColor

SECTION = "Ranked initiatives and the cut line"
PAD = 2.5          # points above and below a row's text
HEAD_H = 18.0
CUT_H = 20.0
SUMMARY_H = 18.0
MAX_LINES = 2
SWATCH = 8.0


@dataclass(frozen=True)
class Column:
    title: str
    share: float   # of the page's width
    align: object = LEFT


COLUMNS = (
    Column("#", 0.032, RIGHT),
    Column("ID", 0.068),
    Column("Title", 0.215),
    Column("Team", 0.105),
    Column("Category", 0.125),
    Column("Score", 0.045, RIGHT),
    Column("Funded", 0.055, CENTRE),
    Column("Quarter", 0.1),
    Column("Reason", 0.255),
)
GAP = 5.0  # points between columns


def column_edges(width: float) -> list[tuple[float, float]]:
    """(x, width) of each column's text, with a gap between columns."""
    total = sum(c.share for c in COLUMNS)
    out, x = [], 0.0
    for column in COLUMNS:
        w = width * column.share / total
        out.append((x + GAP / 2, w - GAP))
        x += w
    return out


def summary_words(handout) -> str:
    words = cut_line_words(len(handout.rows), handout.funded, handout.cut_line,
                           capacity_set=handout.capacity_set, below=handout.funded_below)
    count = len(handout.rows)
    return f"{count:,} initiative{'' if count == 1 else 's'} · {handout.funded:,} funded · {words}"


def cut_words(handout) -> str:
    if handout.cut_line == 1 and handout.funded == 0:
        why = "until capacity is set" if not handout.capacity_set else "in this scenario"
        return f"cut line (#1): nothing can be funded {why}"
    text = f"cut line (#{handout.cut_line}): everything above it is funded"
    if handout.funded_below:
        text += f"; {handout.funded_below:,} below it are funded in leftover capacity"
    return text


def ranked_pages(sheet: Sheet, handout, body: Body) -> list[Page]:
    if not handout.rows:
        return [note_page(SECTION, body, [
            "This workshop has no initiatives, so there is nothing to rank.",
            "Import a spreadsheet with one row per initiative (docs/input.md), then export the handout again."])]
    edges = column_edges(body.width)
    font = sheet.font(BODY_PT)
    step = sheet.line_height(font)
    laid: list[tuple[object, dict[int, list[str]], float]] = []
    for row in handout.rows:
        cells = {2: sheet.wrapped(row.title, font, edges[2][1], MAX_LINES),
                 3: sheet.wrapped(row.team, font, edges[3][1], MAX_LINES),
                 4: sheet.wrapped(row.category or "—", font, edges[4][1] - SWATCH - 4, MAX_LINES),
                 8: sheet.wrapped(row.reason, sheet.font(BODY_PT, italic=True), edges[8][1], MAX_LINES)}
        laid.append((row, cells, max(len(lines) for lines in cells.values()) * step + 2 * PAD))
    pages: list[Page] = []
    chunk: list[tuple] = []
    y, limit = body.top + SUMMARY_H + HEAD_H, body.bottom
    for item in laid:
        need = item[2] + (CUT_H if item[0].rank == handout.cut_line else 0)
        if chunk and y + need > limit:
            pages.append(_page(handout, body, chunk, edges, first=not pages))
            chunk, y = [], body.top + HEAD_H
        chunk.append(item)
        y += need
    pages.append(_page(handout, body, chunk, edges, first=not pages))
    return pages


def _page(handout, body: Body, chunk: list[tuple], edges, *, first: bool) -> Page:
    def draw(sheet: Sheet) -> None:
        y = body.top
        if first:
            sheet.text(0, y, body.width, SUMMARY_H - 4, summary_words(handout), sheet.font(BODY_PT + 1, bold=True))
            y += SUMMARY_H
        y = _header(sheet, y, body.width, edges)
        for index, (row, cells, height) in enumerate(chunk):
            if row.rank == handout.cut_line:
                _cut_line(sheet, y, body.width, cut_words(handout))
                y += CUT_H
            _row(sheet, y, body.width, height, edges, row, cells, shaded=index % 2 == 1)
            y += height

    return Page(SECTION, draw)


def _header(sheet: Sheet, y: float, width: float, edges) -> float:
    bold = sheet.font(SMALL_PT, bold=True)
    for column, (x, w) in zip(COLUMNS, edges, strict=True):
        sheet.text(x, y, w, HEAD_H - 2, column.title, bold, align=column.align)
    sheet.rule(0, y + HEAD_H - 1, width, y + HEAD_H - 1, INK, 1.0)
    return y + HEAD_H


def _cut_line(sheet: Sheet, y: float, width: float, words: str) -> None:
    colour = QColor(CUT_LINE)
    middle = y + CUT_H / 2
    sheet.rule(0, middle, width, middle, colour, 2.0)
    font = sheet.font(BODY_PT, bold=True)
    text_w = min(width - 40, sheet.text_width(words, font) + 12)
    x = (width - text_w) / 2
    sheet.fill(x, y + 2, text_w, CUT_H - 4, QColor("#FFFFFF"))
    sheet.text(x, y + 2, text_w, CUT_H - 4, words, font, colour=colour, align=CENTRE)


def _row(sheet: Sheet, y: float, width: float, height: float, edges, row, cells, *, shaded: bool) -> None:
    if shaded:
        sheet.fill(0, y, width, height, SHADE)
    colour = INK if row.funded else MUTED
    font = sheet.font(BODY_PT, italic=not row.funded)
    step = sheet.line_height(font)
    top = y + PAD
    plain = (str(row.rank), row.ident, None, None, None, f"{row.score:.1f}",
             "Yes" if row.funded else "No", row.quarter, None)
    for column, (x, w), text in zip(COLUMNS, edges, plain, strict=True):
        if text is not None:
            sheet.text(x, top, w, step, text, font, colour=colour, align=column.align)
    sheet.lines(edges[2][0], top, edges[2][1], cells[2], font, colour=colour)
    sheet.lines(edges[3][0], top, edges[3][1], cells[3], font, colour=colour)
    x, w = edges[4]
    sheet.swatch(x, top + (step - SWATCH) / 2, SWATCH, category_colour(row.category))
    sheet.lines(x + SWATCH + 4, top, w - SWATCH - 4, cells[4], font, colour=colour)
    reason_colour = QColor(LATE) if row.late else colour
    sheet.lines(edges[8][0], top, edges[8][1], cells[8], sheet.font(BODY_PT, italic=True), colour=reason_colour)
    sheet.rule(0, y + height, width, y + height, RULE, 0.4)
